package io.custos.agent.check.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.Fixtures;
import io.custos.common.wire.Metric;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plugin output captured from Debian's monitoring-plugins 2.3 and the Nagios documentation. */
class PerfdataTest {
  private static Perfdata.Output parse(String file) throws Exception {
    return Perfdata.parse(Files.readString(Fixtures.root("plugins").resolve(file)));
  }

  @Test
  void checkDiskInBytes() throws Exception {
    Perfdata.Output o = parse("check_disk.txt");

    assertThat(o.text()).isEqualTo("DISK OK - free space: / 81524MiB (78% inode=97%);");
    assertThat(o.longOutput()).isNull();
    assertThat(o.metrics())
        .containsExactly(
            new Metric(
                "root_bytes",
                Map.of("label", "/"),
                23458742272.0,
                "B",
                216442024755.0,
                243497277849.0,
                0.0,
                270552530944.0));
  }

  @Test
  void checkLoadHasThreeSeriesWithoutMax() throws Exception {
    Perfdata.Output o = parse("check_load.txt");

    assertThat(o.text()).isEqualTo("LOAD OK - total load average: 0.57, 1.22, 0.89");
    assertThat(o.metrics()).extracting(Metric::name).containsExactly("load1", "load5", "load15");
    Metric load5 = o.metrics().get(1);
    assertThat(load5.value()).isEqualTo(1.22);
    assertThat(load5.warn()).isEqualTo(4.0);
    assertThat(load5.crit()).isEqualTo(8.0);
    assertThat(load5.min()).isEqualTo(0.0);
    assertThat(load5.max()).isNull();
    assertThat(load5.unit()).isNull();
  }

  @Test
  void checkHttpSecondsAndBytes() throws Exception {
    Perfdata.Output o = parse("check_http.txt");

    assertThat(o.text()).startsWith("HTTP OK: HTTP/1.0 200 OK - 611 bytes");
    assertThat(o.metrics())
        .extracting(Metric::name, Metric::value, Metric::unit, Metric::max)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("time_seconds", 0.00114, "s", 10.0),
            org.assertj.core.groups.Tuple.tuple("size_bytes", 611.0, "B", null));
  }

  @Test
  void usersAndProcs() throws Exception {
    assertThat(parse("check_users.txt").metrics().get(0))
        .isEqualTo(new Metric("users", Map.of("label", "users"), 0, null, 5.0, 10.0, 0.0, null));
    assertThat(parse("check_procs.txt").text()).isEqualTo("PROCS OK: 72 processes");
    assertThat(parse("check_procs.txt").metrics().get(0).value()).isEqualTo(72.0);
  }

  @Test
  void multiLineOutputFromTheNagiosDocumentation() throws Exception {
    Perfdata.Output o = parse("multiline-nagios-docs.txt");

    assertThat(o.text()).isEqualTo("DISK OK - free space: / 3326 MB (56%);");
    assertThat(o.longOutput())
        .isEqualTo(
            "/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);");
    assertThat(o.metrics())
        .extracting(Metric::name, m -> m.labels().get("label"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("root_bytes", "/"),
            org.assertj.core.groups.Tuple.tuple("boot_bytes", "/boot"),
            org.assertj.core.groups.Tuple.tuple("home_bytes", "/home"),
            org.assertj.core.groups.Tuple.tuple("var_log_bytes", "/var/log"));
    Metric root = o.metrics().get(0);
    assertThat(root.value()).isEqualTo(2643.0 * 1024 * 1024);
    assertThat(root.max()).isEqualTo(5968.0 * 1024 * 1024);
  }

  @Test
  void quotedLabelsMillisecondsRangesCountersAndUndetermined() throws Exception {
    Perfdata.Output o = parse("synthetic-ranges.txt");

    assertThat(o.metrics())
        .extracting(Metric::name, Metric::value, Metric::unit, Metric::warn, Metric::crit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rta_seconds", 0.00005, "s", 0.1, 0.5),
            org.assertj.core.groups.Tuple.tuple("pl_percent", 0.0, "%", 20.0, 60.0),
            org.assertj.core.groups.Tuple.tuple("in_octets_total", 123456.0, "c", 20.0, 50.0));
  }

  @Test
  void labelsBecomePrometheusNames() {
    assertThat(Perfdata.metricName("Time Taken", "_seconds")).isEqualTo("time_taken_seconds");
    assertThat(Perfdata.metricName("5xx", "")).isEqualTo("_5xx");
    assertThat(Perfdata.metricName("time_seconds", "_seconds")).isEqualTo("time_seconds");
    assertThat(Perfdata.metricName("C:\\ %", "_percent")).isEqualTo("c_percent");
  }

  @Test
  void noOutputAtAll() {
    assertThat(Perfdata.parse("\n\n"))
        .isEqualTo(new Perfdata.Output("", null, java.util.List.of()));
  }
}
