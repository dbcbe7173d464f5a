package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.host.CpuCheck;
import io.custos.agent.check.host.CpuConfig;
import io.custos.agent.check.plugin.CommandCheck;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code for:} with a failing check, counters that step backwards under a hold, and plugin perfdata
 * with decimal commas (issue 10).
 */
class HeldAndLostSamplesTest {
  private static final long T0 = 1_795_783_507_000L;
  private static final long MIN = 60_000;

  private static CheckResult cpu(Status s, long time) {
    return new CheckResult("CPU", "cpu", s, "CPU " + s + " - 100% busy", time, List.of());
  }

  @Test
  void aFailingCheckUnderForIsUnknownAtOnceNotOk() {
    Hold hold = new Hold(new Schedule(null, null, Duration.ofMinutes(15), null, null));

    CheckResult critical = hold.apply(List.of(cpu(Status.CRITICAL, T0))).get(0);
    CheckResult failing =
        hold.apply(
                List.of(
                    new CheckResult(
                        "CPU",
                        "cpu",
                        Status.UNKNOWN,
                        "CPU UNKNOWN - /proc/stat: is a directory",
                        T0 + MIN,
                        List.of())))
            .get(0);

    assertThat(critical.status()).isEqualTo(Status.OK);
    assertThat(failing.status()).isEqualTo(Status.UNKNOWN);
    assertThat(failing.output()).isEqualTo("CPU UNKNOWN - /proc/stat: is a directory");
  }

  @Test
  void aCpuCounterSteppingBackIsALostSampleThatKeepsTheHold(@TempDir Path root) throws Exception {
    Path stat = root.resolve("proc/stat");
    Files.createDirectories(stat.getParent());
    CpuConfig config = CpuConfig.defaults();
    CheckRunner.Task task =
        new CheckRunner.Task(new CpuCheck(config), config.defaultSchedule(), null);
    MutableClock clock = new MutableClock(T0);
    try (CheckRunner runner = new CheckRunner(List.of(task), root, clock)) {
      long busy = 0;
      List<CheckResult> last = null;
      for (int minute = 0; minute <= 16; minute++) {
        busy += 6000;
        // minute 10: a restored VM snapshot; the counters are lower than a minute ago
        long shown = minute == 10 ? busy - 50_000 : busy;
        Files.writeString(stat, "cpu  " + shown + " 0 0 0 0 0 0 0 0 0\nbtime 1\n");
        clock.set(T0 + minute * MIN);
        last = runner.runAll();
        if (minute == 10) {
          assertThat(last.get(0).output()).contains("went backwards, sample lost");
          assertThat(last.get(0).metrics()).isEmpty();
        }
      }
      assertThat(last.get(0).status()).isEqualTo(Status.CRITICAL);
      assertThat(last.get(0).output()).startsWith("CPU CRITICAL - 100.0% busy");
    }
  }

  @Test
  void nagiosPlugins526NtpDecimalComma() throws Exception {
    String stdout =
        Files.readString(
            Fixtures.root("nagios-plugins-526-ntp-decimal-comma").resolve("check_ntp.txt"));

    CheckResult r = CommandCheck.result(1, stdout, "", "NTP", T0);

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output()).isEqualTo("NTP WARNING: Offset -0,0820441246 secs");
    assertThat(r.metrics())
        .containsExactly(
            new Metric(
                "offset_seconds", Map.of("label", "offset"), -0.082044, "s", 0.0, 1.0, null, null));
    assertThat(r.longOutput()).isNull();
  }

  @Test
  void anItemThatOverflowsOrIsNotANumberIsSkippedWithANote() {
    CheckResult r =
        CommandCheck.result(
            0, "OK - fine | big=1e999;; junk=abc time=0,5s;1,5;2,5", "", "Plugin", T0);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.metrics()).extracting(Metric::name).containsExactly("time_seconds");
    assertThat(r.metrics().get(0).value()).isEqualTo(0.5);
    assertThat(r.longOutput())
        .isEqualTo(
            "perfdata skipped: 'big'=1e999;;: value overflows a double; 'junk'=abc: value is not"
                + " a number");
  }

  @Test
  void metricsPrintAsNagiosPerfdata() {
    String perf =
        NagiosPerfdata.format(
            List.of(
                new Metric(
                    "fs_used_percent", Map.of("mount", "/"), 30.1, "%", 80.0, 90.0, 0.0, 100.0),
                Metric.of("fs_free_bytes", Map.of("mount", "/it's"), 5234491392.0, "B"),
                Metric.of("load1", Map.of(), 0.52, null),
                Metric.of("disk_written_bytes_per_second", Map.of(), 1571120.5, "B")));

    assertThat(perf)
        .isEqualTo(
            "'fs_used_percent{mount=\"/\"}'=30.1%;80;90;0;100"
                + " 'fs_free_bytes{mount=\"/it''s\"}'=5234491392B 'load1'=0.52"
                + " 'disk_written_bytes_per_second'=1571120.5B");
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends java.time.Clock {
    private long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    void set(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
