package io.custos.agent.check.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.HoldTest;
import io.custos.agent.check.NagiosRange;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.TimeTicks;

/** The snmp check on walks captured from real devices (see resources/snmp/README.md). */
class SnmpCheckTest {
  static final long T0 = 1_795_783_500_000L;
  static final String SWITCH = "librenms-snmpsim-XMG1915-10EP-ifmib.snmprec";
  static final String UPS = "librenms-snmpsim-abbups_abbups.snmprec";

  static SnmpConfig config(
      List<SnmpConfig.Item> get, SnmpConfig.Interfaces interfaces, boolean ups) {
    return new SnmpConfig(
        "10.0.0.2",
        null,
        null,
        Path.of("/nonexistent/community"),
        null,
        null,
        null,
        null,
        null,
        get,
        interfaces,
        ups,
        null,
        null,
        "sw1");
  }

  static SnmpConfig.Item item(String name, String warning, String critical) {
    return new SnmpConfig.Item(
        name,
        null,
        null,
        warning == null ? null : NagiosRange.parse(warning),
        critical == null ? null : NagiosRange.parse(critical));
  }

  static CheckResult service(List<CheckResult> results, String name) {
    return results.stream().filter(r -> r.service().equals(name)).findFirst().orElseThrow();
  }

  static double metric(CheckResult r, String name) {
    return r.metrics().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .map(Metric::value)
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + r.metrics()));
  }

  @Test
  void nagiosRangesAlertAsThePluginGuidelinesSay() {
    assertThat(NagiosRange.parse("10").alerts(11)).isTrue();
    assertThat(NagiosRange.parse("10").alerts(10)).isFalse();
    assertThat(NagiosRange.parse("10").alerts(-1)).isTrue();
    assertThat(NagiosRange.parse("10:").alerts(9.9)).isTrue();
    assertThat(NagiosRange.parse("10:").alerts(452)).isFalse();
    assertThat(NagiosRange.parse("~:10").alerts(-100)).isFalse();
    assertThat(NagiosRange.parse("~:10").alerts(11)).isTrue();
    assertThat(NagiosRange.parse("10:20").alerts(15)).isFalse();
    assertThat(NagiosRange.parse("@10:20").alerts(15)).isTrue();
    assertThat(NagiosRange.parse("@10:20").alerts(21)).isFalse();
    assertThatThrownBy(() -> NagiosRange.parse("ten"))
        .hasMessageContaining("expected a Nagios range")
        .hasMessageContaining("\"ten\"");
    assertThatThrownBy(() -> NagiosRange.parse("20:10")).hasMessageContaining("20:10");
  }

  @Test
  void namesResolveToOidsScalarsToTheirZeroInstanceColumnsToAWalk() {
    assertThat(SnmpNames.resolve("sysUpTime"))
        .isEqualTo(new SnmpNames.Target(new OID("1.3.6.1.2.1.1.3.0"), false));
    assertThat(SnmpNames.resolve("upsBatteryStatus").oid())
        .isEqualTo(new OID("1.3.6.1.2.1.33.1.2.1.0"));
    assertThat(SnmpNames.resolve("ifInErrors"))
        .isEqualTo(new SnmpNames.Target(new OID("1.3.6.1.2.1.2.2.1.14"), true));
    assertThat(SnmpNames.resolve("ifHighSpeed.3").oid())
        .isEqualTo(new OID("1.3.6.1.2.1.31.1.1.1.15.3"));
    assertThat(SnmpNames.resolve(".1.3.6.1.4.1.9.9.13.1.3.1.3.1").oid())
        .isEqualTo(new OID("1.3.6.1.4.1.9.9.13.1.3.1.3.1"));
    assertThat(SnmpNames.describe(new OID("1.3.6.1.2.1.33.1.4.4.1.5.2")))
        .isEqualTo("upsOutputPercentLoad.2");
    assertThatThrownBy(() -> SnmpNames.resolve("ifInErorrs.3"))
        .hasMessageContaining("unknown SNMP object \"ifInErorrs.3\"");
  }

  @Test
  void counter32WrapsAt2To32AndCounter64BackwardsIsADiscontinuity() {
    assertThat(SnmpValues.delta(4_294_967_000L, 704L, true)).isEqualTo(1000L);
    assertThat(SnmpValues.delta(5, 3, false)).isNull();
    assertThat(SnmpValues.delta(3, 5, false)).isEqualTo(2L);
  }

  @Test
  void sysUpTimeBackwardsIsARebootButItsWrapAfter497DaysIsNot() {
    long minute = 60_000;
    assertThat(SnmpCheck.rebooted(360_000_000L, T0, 3_000L, T0 + minute)).isTrue();
    assertThat(SnmpCheck.rebooted(4_294_960_000L, T0, 2_000L, T0 + minute)).isFalse();
    assertThat(SnmpCheck.rebooted(1000, T0, 7000, T0 + minute)).isFalse();
  }

  @Test
  void zyxelSwitchPortsDownSlowAndAdministrativelyDown() throws Exception {
    Snmprec device = Snmprec.load(SWITCH);
    var interfaces = new SnmpConfig.Interfaces("swp*", "swp08", 1000L, null, null);
    var check = new SnmpCheck(config(List.of(), interfaces, false), c -> device);

    List<CheckResult> r = check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0)));

    assertThat(r)
        .extracting(CheckResult::service)
        .containsExactly(
            "SNMP sw1",
            "SNMP sw1 swp00",
            "SNMP sw1 swp01",
            "SNMP sw1 swp02",
            "SNMP sw1 swp03",
            "SNMP sw1 swp04",
            "SNMP sw1 swp05",
            "SNMP sw1 swp06",
            "SNMP sw1 swp07",
            "SNMP sw1 swp09");
    assertThat(service(r, "SNMP sw1 swp02").output())
        .isEqualTo("SNMP CRITICAL - swp02 (Port3) down (ifOperStatus down, ifAdminStatus up)");
    assertThat(service(r, "SNMP sw1 swp01").output())
        .isEqualTo("SNMP OK - swp01 (Port2) up, 1000Mb/s");
    assertThat(service(r, "SNMP sw1 swp05").status()).isEqualTo(Status.WARNING);
    assertThat(service(r, "SNMP sw1 swp05").output()).endsWith("up, 100Mb/s, expected 1000Mb/s");
    assertThat(service(r, "SNMP sw1 swp07").output())
        .isEqualTo("SNMP OK - swp07 (Port8) up, 2500Mb/s");
    assertThat(service(r, "SNMP sw1 swp09").output())
        .isEqualTo("SNMP OK - swp09 (Port10) administratively down, not judged");
    assertThat(metric(service(r, "SNMP sw1 swp07"), "snmp_if_speed_bits_per_second"))
        .isEqualTo(2.5e9);
    assertThat(metric(service(r, "SNMP sw1 swp02"), "snmp_if_in_errors_total")).isEqualTo(63);
    // the capture has no sysUpTime: the device service says so without failing
    assertThat(service(r, "SNMP sw1").status()).isEqualTo(Status.OK);
  }

  @Test
  void errorRatePerPortFromTheSecondRunCounter32WrapIncluded() throws Exception {
    Snmprec device = Snmprec.load(SWITCH);
    var interfaces = new SnmpConfig.Interfaces("swp01|swp08", null, null, 1.0, 5.0);
    var check = new SnmpCheck(config(List.of(), interfaces, false), c -> device);
    HoldTest.MutableClock clock = new HoldTest.MutableClock(T0);
    CheckContext ctx = new CheckContext(Path.of("/"), clock);

    List<CheckResult> first = check.run(ctx);
    assertThat(service(first, "SNMP sw1 swp08").metrics())
        .extracting(Metric::name)
        .doesNotContain("snmp_if_errors_per_second");

    clock.millis += 60_000;
    device.set("1.3.6.1.2.1.2.2.1.14.9", new Counter32(77 + 120)); // swp08: 2/s in
    device.set("1.3.6.1.2.1.2.2.1.14.2", new Counter32(4_294_967_000L));
    List<CheckResult> second = check.run(ctx);
    assertThat(service(second, "SNMP sw1 swp08").status()).isEqualTo(Status.WARNING);
    assertThat(service(second, "SNMP sw1 swp08").output())
        .isEqualTo("SNMP WARNING - swp08 (Port9) up, 10000Mb/s, 2.00/s errors (warning 1/s)");

    clock.millis += 60_000;
    device.set("1.3.6.1.2.1.2.2.1.14.2", new Counter32(5_704L)); // wrapped: 6000 in 60 s
    List<CheckResult> third = check.run(ctx);
    assertThat(service(third, "SNMP sw1 swp01").status()).isEqualTo(Status.CRITICAL);
    assertThat(metric(service(third, "SNMP sw1 swp01"), "snmp_if_errors_per_second"))
        .isEqualTo(100.0);
    assertThat(service(third, "SNMP sw1 swp08").status()).isEqualTo(Status.OK);
  }

  @Test
  void abbUpsOnMainsIsOkWithItsMinutesChargeAndLoadPerLine() throws Exception {
    Snmprec device = Snmprec.load(UPS);
    var check = new SnmpCheck(config(List.of(), null, true), c -> device);

    List<CheckResult> r = check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0)));

    CheckResult ups = service(r, "UPS sw1");
    assertThat(ups.status()).isEqualTo(Status.OK);
    assertThat(ups.output())
        .isEqualTo(
            "UPS OK - sw1 battery batteryNormal, output normal, 452 min remaining, charge 100%,"
                + " load line 1 6%, load line 2 6%, load line 3 4%");
    assertThat(metric(ups, "snmp_ups_minutes_remaining")).isEqualTo(452);
    assertThat(ups.metrics())
        .filteredOn(m -> m.name().equals("snmp_ups_output_load_percent"))
        .hasSize(3);
  }

  @Test
  void abbUpsOnBatteryWithLowBatteryIsCritical() throws Exception {
    Snmprec device = Snmprec.load(UPS);
    device.set("1.3.6.1.2.1.33.1.2.1.0", new Integer32(3)); // batteryLow
    device.set("1.3.6.1.2.1.33.1.4.1.0", new Integer32(5)); // battery
    device.set("1.3.6.1.2.1.33.1.2.3.0", new Integer32(4));
    var check = new SnmpCheck(config(List.of(), null, true), c -> device);

    CheckResult ups =
        service(
            check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0))), "UPS sw1");

    assertThat(ups.status()).isEqualTo(Status.CRITICAL);
    assertThat(ups.output())
        .startsWith(
            "UPS CRITICAL - sw1 battery batteryLow, on battery, 4 min remaining, charge 100%");
  }

  @Test
  void getJudgesValuesMissingObjectsAndRebootsOnce() throws Exception {
    Snmprec device = Snmprec.load(UPS);
    device.set("1.3.6.1.2.1.1.3.0", new TimeTicks(360_000_000L)); // 41d 16h
    var get =
        List.of(
            item("sysDescr", null, null),
            item("upsEstimatedMinutesRemaining", "500:", "10:"),
            item("ifInOctets", null, null),
            item("ifInErrors.99", null, null));
    var check = new SnmpCheck(config(get, null, false), c -> device);
    HoldTest.MutableClock clock = new HoldTest.MutableClock(T0);
    CheckContext ctx = new CheckContext(Path.of("/"), clock);

    CheckResult first = check.run(ctx).get(0);
    // statuses rank OK < UNKNOWN < WARNING < CRITICAL
    assertThat(first.status()).isEqualTo(Status.WARNING);
    assertThat(first.output())
        .startsWith(
            "SNMP WARNING - sw1 upsEstimatedMinutesRemaining 452 (warning 500:),"
                + " ifInErrors.99 noSuchInstance (1.3.6.1.2.1.2.2.1.14.99), up 41d 16h,"
                + " sysDescr Linux ABB-acd364-201f0a")
        .contains("ifInOctets.2 252332746 (first sample)");
    assertThat(metric(first, "snmp_uptime_seconds")).isEqualTo(3_600_000.0);

    clock.millis += 10_000;
    device.set("1.3.6.1.2.1.1.3.0", new TimeTicks(3_000L));
    device.set("1.3.6.1.2.1.2.2.1.10.2", new Counter32(252_332_746L + 5_000));
    CheckResult second = check.run(ctx).get(0);
    assertThat(second.output())
        .contains("rebooted: sysUpTime 30s, was 41d 16h")
        .contains("ifInOctets.2 252337746 (first sample)");

    clock.millis += 10_000;
    device.set("1.3.6.1.2.1.1.3.0", new TimeTicks(4_000L));
    device.set("1.3.6.1.2.1.2.2.1.10.2", new Counter32(252_332_746L + 15_000));
    CheckResult third = check.run(ctx).get(0);
    assertThat(third.output()).doesNotContain("rebooted").contains("ifInOctets.2 1000.00/s");
  }

  @Test
  void anUnreachableDeviceIsCriticalARefusalUnknown() {
    var cfg = config(List.of(), null, false);
    CheckContext ctx = new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0));
    var down =
        new SnmpCheck(
            cfg,
            c -> {
              throw new SnmpSource.SnmpException("no answer from 10.0.0.2:161 within 2s", true);
            });
    var refused =
        new SnmpCheck(
            cfg,
            c -> {
              throw new SnmpSource.SnmpException("cannot read community_file", false);
            });

    assertThat(down.run(ctx).get(0).output())
        .isEqualTo("SNMP CRITICAL - no answer from 10.0.0.2:161 within 2s");
    assertThat(refused.run(ctx).get(0).status()).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void anUnreadableCommunityFileIsUnknownNamingIt() {
    CheckResult r =
        new SnmpCheck(config(List.of(), null, false))
            .run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0)))
            .get(0);

    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output())
        .isEqualTo(
            "SNMP UNKNOWN - cannot read community_file \"/nonexistent/community\":"
                + " NoSuchFileException");
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(
            () ->
                new SnmpConfig(
                    "h", null, "3", null, null, null, null, null, null, null, null, null, null,
                    null, null))
        .hasMessageContaining("user:");
    assertThatThrownBy(
            () ->
                new SnmpConfig(
                    "h", null, "2c", null, null, null, null, null, null, null, null, null, null,
                    null, null))
        .hasMessageContaining("community_file:");
    assertThatThrownBy(
            () ->
                new SnmpConfig(
                    "h",
                    null,
                    "3",
                    null,
                    "u",
                    "md5",
                    Path.of("/a"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessageContaining("auth_protocol: expected sha or sha256, got \"md5\"");
    assertThatThrownBy(() -> new SnmpConfig.Interfaces(null, null, null, 5.0, 2.0))
        .hasMessageContaining("error_rate_warning (5) must be below error_rate_critical (2)");
  }

  static final String TRIPPLITE = "librenms-snmpsim-tripplite.snmprec";
  static final String HP_2530 = "librenms-snmpsim-hp-2530.snmprec";

  @Test
  void trippliteUpsWithBatteryBadAlarmIsWarningNamingIt() throws Exception {
    Snmprec device = Snmprec.load(TRIPPLITE);
    var check = new SnmpCheck(config(List.of(), null, true), c -> device);

    CheckResult ups =
        service(
            check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0))), "UPS sw1");

    assertThat(ups.status()).isEqualTo(Status.WARNING);
    assertThat(ups.output())
        .startsWith(
            "UPS WARNING - sw1 alarm upsAlarmBatteryBad (batteries need replacement), battery"
                + " batteryNormal, output normal");
    assertThat(metric(ups, "snmp_ups_alarms_present")).isEqualTo(1);
  }

  @Test
  void upsOnMainsNormalWithoutAlarmIsNeverPagedByOurLimits() throws Exception {
    Snmprec device = Snmprec.load(UPS);
    device.set("1.3.6.1.2.1.33.1.2.3.0", new Integer32(4)); // 4 min: below our 5
    device.set("1.3.6.1.2.1.33.1.6.1.0", new Integer32(0));
    var check = new SnmpCheck(config(List.of(), null, true), c -> device);
    CheckResult ups =
        service(
            check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0))), "UPS sw1");
    assertThat(ups.status()).isEqualTo(Status.OK);
    assertThat(ups.output())
        .contains(
            "4 min remaining (below 5: not judged, the UPS is on mains, normal, without alarm)");

    // the same reading with the UPS's own alarm is judged by our limits too
    device.set("1.3.6.1.2.1.33.1.6.1.0", new Integer32(1));
    device.set("1.3.6.1.2.1.33.1.6.2.1.2.1", new OID("1.3.6.1.2.1.33.1.6.3.5"));
    CheckResult alarmed =
        service(
            check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0 + 60_000))),
            "UPS sw1");
    assertThat(alarmed.status()).isEqualTo(Status.CRITICAL);
    assertThat(alarmed.output())
        .startsWith("UPS CRITICAL - sw1 alarm upsAlarmTempBad (temperature out of tolerance),")
        .contains("4 min remaining");
  }

  @Test
  void hp2530UnusedPortsAndVlansAreNotJudgedTheOneInUseIs() throws Exception {
    Snmprec device = Snmprec.load(HP_2530);
    var check =
        new SnmpCheck(
            config(List.of(), new SnmpConfig.Interfaces(null, null, null, null, null), false),
            c -> device);
    List<CheckResult> r = check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0)));

    // port 28 is up; port 2 went down 15h before the capture, 3 days after boot: a link lost
    assertThat(r)
        .extracting(CheckResult::service)
        .containsExactly("SNMP sw1", "SNMP sw1 2", "SNMP sw1 28");
    assertThat(service(r, "SNMP sw1 28").status()).isEqualTo(Status.OK);
    assertThat(service(r, "SNMP sw1 2").output())
        .isEqualTo("SNMP CRITICAL - 2 down (ifOperStatus down, ifAdminStatus up) for 15h 3m");
    assertThat(service(r, "SNMP sw1").output())
        .isEqualTo(
            "SNMP OK - sw1 up 3d 19h 31m, 26 ports with no link since boot not judged,"
                + " 14 virtual interfaces not judged");
    assertThat(service(r, "SNMP sw1 28").metrics())
        .allSatisfy(m -> assertThat(m.labels()).containsEntry("ifindex", "28"));

    // a port this check saw up that loses its link is judged, whenever it changed
    device.set("1.3.6.1.2.1.2.2.1.8.28", new Integer32(2));
    device.set("1.3.6.1.2.1.2.2.1.9.28", new TimeTicks(0));
    List<CheckResult> later =
        check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0 + 60_000)));
    assertThat(service(later, "SNMP sw1 28").status()).isEqualTo(Status.CRITICAL);

    // listed ports are judged whatever their history
    var listed =
        new SnmpCheck(
            config(List.of(), new SnmpConfig.Interfaces("1|28", null, null, null, null), false),
            c -> device);
    assertThat(listed.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0))))
        .extracting(CheckResult::service)
        .containsExactly("SNMP sw1", "SNMP sw1 1", "SNMP sw1 28");
  }

  @Test
  void procurve2510gPortsTheOperatorDescribedAreJudgedDownOnesSinceBootAreNot() throws Exception {
    Snmprec device = Snmprec.load("librenms-snmpsim-procurve-2510g-ifmib.snmprec");
    var check =
        new SnmpCheck(
            config(List.of(), new SnmpConfig.Interfaces(null, null, null, null, null), false),
            c -> device);

    List<CheckResult> r = check.run(new CheckContext(Path.of("/"), new HoldTest.MutableClock(T0)));

    // 3 and 6 are down and carry an ifAlias ("ComCtr Node", "Elm St Node"): someone relies on
    // them; 11 lost its link a day ago; 7, 9, 10 and 12-24 never had one since boot
    assertThat(r)
        .extracting(CheckResult::service)
        .containsExactly(
            "SNMP sw1",
            "SNMP sw1 1",
            "SNMP sw1 2",
            "SNMP sw1 3",
            "SNMP sw1 4",
            "SNMP sw1 5",
            "SNMP sw1 6",
            "SNMP sw1 8",
            "SNMP sw1 11");
    assertThat(service(r, "SNMP sw1 3").output())
        .isEqualTo("SNMP CRITICAL - 3 (ComCtr Node) down (ifOperStatus down, ifAdminStatus up)");
    assertThat(service(r, "SNMP sw1").output())
        .endsWith("16 ports with no link since boot not judged, 3 virtual interfaces not judged");
  }
}
