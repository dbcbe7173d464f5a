package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.Catalog;
import io.custos.agent.backup.Retention;
import io.custos.agent.backup.TestClock;
import io.custos.agent.backup.Uploader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, kind "archive order taken from wall-clock stamps": the node's clock steps back one day
 * (a bad NTP source, a VM restored from a snapshot) between a full and an incremental, so the
 * incremental's stamp is older than its base's. Listing, the default restore, the next run's base,
 * retention ({@code keep: { count: 1 }}, {@code keep_local: 1}) and the upload queue all follow the
 * chain; the run that saw the clock go back says so.
 */
class ClockStepsBackTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z");
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private static final String FULL = "n1.www.20261129T010000Z.full.tar.zst";
  private static final String INCR = "n1.www.20261128T010000Z.incr.tar.zst";

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    AgentMain.Env env =
        new AgentMain.Env(Map.of(), dir.resolve("no-such.yml"), Path.of("/"), clock);
    return AgentMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String config() throws IOException {
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "node: n1\nbackups:\n  directory: "
            + dir.resolve("archives")
            + "\n  sets:\n    - name: www\n      root: "
            + dir.resolve("live")
            + "\n      paths: [site]\n      compression: zstd\n      keep: { count: 1 }\n");
    return cfg.toString();
  }

  @Test
  void anIncrementalStampedBeforeItsBaseStillFollowsItEverywhere() throws Exception {
    Path site = Files.createDirectories(dir.resolve("live/site"));
    Files.writeString(site.resolve("page.html"), "v1\n");
    String c = config();
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "full"))
        .as(err.toString())
        .isZero();

    clock.set("2026-11-28T01:00:00Z"); // one day back
    Files.writeString(site.resolve("page.html"), "v2, the newest data\n");
    Files.writeString(site.resolve("new.html"), "new\n");
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "incr"))
        .as("a warning, so exit 1: " + err)
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("warning: the clock went back: this run started at 2026-11-28T01:00:00Z")
        .contains("before " + FULL);

    // list: the incremental after its base
    assertThat(run("backup", "list", "-c", c)).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(1)).startsWith(FULL);
    assertThat(lines.get(2)).startsWith(INCR).endsWith(FULL);

    // restore (newest) is the tip of the chain: the incremental's data
    Path to = dir.resolve("to");
    assertThat(run("restore", "-c", c, "--set", "www", "--to", to.toString()))
        .as(err.toString())
        .isZero();
    assertThat(err.toString()).contains("restoring " + FULL).contains("restoring " + INCR);
    assertThat(to.resolve("site/page.html")).hasContent("v2, the newest data");
    assertThat(to.resolve("site/new.html")).exists();

    // retention: keep count 1 keeps the tip and so its base; keep_local 1 keeps the chain
    assertThat(run("backup", "prune", "-c", c, "--dry-run")).isZero();
    assertThat(out.toString()).doesNotContain("would delete");
    Path archives = dir.resolve("archives");
    List<Catalog.Item> items = Catalog.list(archives, "n1", "www");
    assertThat(items).extracting(Catalog.Item::fileName).containsExactly(FULL, INCR);
    assertThat(items).extracting(Catalog.Item::seq).containsExactly(1L, 2L);
    Retention.Decision local =
        Retention.decide(
            items,
            new BackupSetConfig.Keep(0, 1),
            1,
            Instant.parse("2026-12-30T00:00:00Z"),
            Set.of());
    assertThat(local.delete()).isEmpty();

    // the next incremental builds on the tip, and a later full starts the newest chain
    clock.set("2026-11-28T02:00:00Z");
    Files.writeString(site.resolve("page.html"), "v3\n");
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "incr")).isEqualTo(1);
    items = Catalog.list(archives, "n1", "www");
    assertThat(items.get(2).base()).isEqualTo(INCR);

    // the upload queue keeps the order archives were made: the base goes up first
    Uploader u = new Uploader("n1", archives, new NoRemote(), clock);
    for (Catalog.Item i : items) {
      u.enqueue("www", i.file());
    }
    assertThat(u.pending()).extracting(Uploader.Pending::archive).startsWith(FULL, INCR);
  }

  /** A collector that is never reached: the test only looks at the queue's order. */
  private static final class NoRemote implements Uploader.Remote {
    @Override
    public Optional<String> sha256(String node, String object) {
      throw new AssertionError("not reached");
    }

    @Override
    public void put(
        String node, String object, Path file, Map<String, String> index, String sha256) {
      throw new AssertionError("not reached");
    }
  }
}
