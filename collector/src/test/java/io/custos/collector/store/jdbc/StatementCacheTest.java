package io.custos.collector.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StatementCache} on a real SQLite file. */
class StatementCacheTest {
  @TempDir Path dir;
  private Connection db;

  @BeforeEach
  void open() throws SQLException {
    db = StatementCache.wrap(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db")));
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    if (!db.isClosed()) {
      db.close();
    }
  }

  private int insert(String k, int v) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      ps.setString(1, k);
      ps.setInt(2, v);
      return ps.executeUpdate();
    }
  }

  private Integer value(String k) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("SELECT v FROM t WHERE k = ?")) {
      ps.setString(1, k);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  @Test
  void aClosedStatementIsHandedOutAgainForTheSameSql() throws SQLException {
    PreparedStatement first = db.prepareStatement("SELECT v FROM t WHERE k = ?");
    first.close();
    PreparedStatement second = db.prepareStatement("SELECT v FROM t WHERE k = ?");

    assertThat(second).isSameAs(first);
    assertThat(second.isClosed()).isFalse();
    second.close();
    assertThat(second.isClosed()).isTrue();
  }

  @Test
  void reusedStatementsRunWithTheirNewParameters() throws SQLException {
    for (int i = 0; i < 5; i++) {
      assertThat(insert("k" + i, i * 10)).isEqualTo(1);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(value("k" + i)).isEqualTo(i * 10);
    }
    assertThat(value("absent")).isNull();
  }

  @Test
  void theSameSqlStillOpenGetsAFreshStatement() throws SQLException {
    insert("a", 1);
    insert("b", 2);
    try (PreparedStatement outer = db.prepareStatement("SELECT v FROM t WHERE k = ?")) {
      outer.setString(1, "a");
      try (ResultSet rs = outer.executeQuery()) {
        assertThat(rs.next()).isTrue();
        // nested use of the same SQL while the outer result set is open
        assertThat(value("b")).isEqualTo(2);
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void parametersDoNotLeakFromOneUseToTheNext() throws SQLException {
    insert("a", 1);
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      ps.setString(1, "b");
      // v not bound: NULL, as for a fresh statement
      ps.executeUpdate();
    }
    try (PreparedStatement ps = db.prepareStatement("SELECT v FROM t WHERE k = ?")) {
      ps.setString(1, "b");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        rs.getInt(1);
        assertThat(rs.wasNull()).isTrue();
      }
    }
  }

  @Test
  void closingTheConnectionClosesTheKeptStatements() throws SQLException {
    PreparedStatement ps = db.prepareStatement("SELECT v FROM t WHERE k = ?");
    ps.close();
    db.close();

    assertThat(db.isClosed()).isTrue();
    assertThatThrownBy(() -> db.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class);
  }
}
