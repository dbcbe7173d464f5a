package io.custos.collector.store.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesIdCacheTest {
  @TempDir Path dir;

  private static SeriesIdCache.Key key(String item) {
    return new SeriesIdCache.Key("Load", "load1", Map.of("item", item));
  }

  @Test
  void anEqualKeyFindsTheId() {
    SeriesIdCache cache = new SeriesIdCache(10);
    cache.put("web01", key("a"), 7);

    assertThat(cache.get("web01", key("a"))).isEqualTo(7);
    assertThat(cache.get("web01", key("b"))).isNull();
    assertThat(cache.get("db01", key("a"))).isNull();
  }

  @Test
  void pastItsBoundTheLeastRecentlyReportingHostsAreForgotten() {
    SeriesIdCache cache = new SeriesIdCache(4);
    cache.put("a", key("1"), 1);
    cache.put("a", key("2"), 2);
    cache.put("b", key("1"), 3);
    cache.put("b", key("2"), 4);
    cache.get("a", key("1")); // a reported more recently than b

    cache.put("c", key("1"), 5);

    assertThat(cache.size()).isLessThanOrEqualTo(4);
    assertThat(cache.get("b", key("1"))).isNull();
    assertThat(cache.get("a", key("2"))).isEqualTo(2);
    assertThat(cache.get("c", key("1"))).isEqualTo(5);
  }

  @Test
  void aCommitOfAnotherConnectionForgetsEverythingAndOwnCommitsDoNot() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("t.db");
    try (Connection writer = DriverManager.getConnection(url);
        Connection other = DriverManager.getConnection(url)) {
      try (Statement st = writer.createStatement()) {
        st.execute("CREATE TABLE t (x INTEGER)");
      }
      SeriesIdCache cache = new SeriesIdCache(10);
      cache.validate(writer);
      cache.put("web01", key("a"), 1);
      try (Statement st = writer.createStatement()) {
        st.execute("INSERT INTO t VALUES (1)");
      }
      cache.validate(writer);
      assertThat(cache.get("web01", key("a"))).isEqualTo(1);

      try (Statement st = other.createStatement()) {
        st.execute("INSERT INTO t VALUES (2)");
      }
      cache.validate(writer);

      assertThat(cache.get("web01", key("a"))).isNull();
      assertThat(cache.size()).isZero();
    }
  }
}
