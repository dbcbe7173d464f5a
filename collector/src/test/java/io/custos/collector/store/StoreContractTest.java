package io.custos.collector.store;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestBackups;
import io.custos.collector.TestClock;
import io.custos.collector.store.history.Bucket;
import io.custos.collector.store.history.Resolution;
import io.custos.collector.store.history.SeriesData;
import io.custos.collector.store.history.SeriesKey;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Store} must do. Each implementation extends this once; the tests use only the
 * interface.
 */
public abstract class StoreContractTest {
  protected static final StatePolicy POLICY = new StatePolicy(3, 3);
  protected static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @TempDir protected Path dir;
  protected TestClock clock;
  protected Store store;

  /** Opens the store kept in {@code dir}, creating it when new. */
  protected abstract Store open(Path dir, TestClock clock, StatePolicy policy);

  @BeforeEach
  void openStore() {
    clock = new TestClock(Instant.ofEpochMilli(T0));
    store = open(dir, clock, POLICY);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void ingestStoresHostAndServiceState() {
    IngestResult r =
        store.ingest(report("web01", 1, T0, result("Root Partition", Status.OK, "DISK OK", T0)));

    assertThat(r).isEqualTo(new IngestResult(true, 1));
    assertThat(store.hosts())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.name()).isEqualTo("web01");
              assertThat(h.agent()).isEqualTo("custos-agent/0.1.0");
              assertThat(h.tags()).containsExactly("web");
              assertThat(h.intervalS()).isEqualTo(30);
              assertThat(h.firstSeen()).isEqualTo(T0);
              assertThat(h.lastReport()).isEqualTo(T0);
              assertThat(h.lastSeq()).isEqualTo(1);
            });
    assertThat(store.services("web01"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.service()).isEqualTo("Root Partition");
              assertThat(s.check()).isEqualTo("filesystem");
              assertThat(s.status()).isEqualTo(Status.OK);
              assertThat(s.output()).isEqualTo("DISK OK");
              assertThat(s.attempt()).isEqualTo(1);
              assertThat(s.lastCheck()).isEqualTo(T0);
              assertThat(s.lastChange()).isEqualTo(T0);
              assertThat(s.metrics())
                  .singleElement()
                  .extracting("name")
                  .isEqualTo("fs_used_percent");
            });
    assertThat(store.services("db01")).isEmpty();
  }

  @Test
  void servicesOfSomeStatusesAreSelectedAndCountedByTheStore() {
    store.ingest(
        report(
            "web01",
            1,
            T0,
            result("Load", Status.WARNING, "LOAD WARNING", T0),
            result("Disk /", Status.OK, "DISK OK", T0),
            result("Swap", Status.CRITICAL, "SWAP CRITICAL", T0)));
    store.ingest(report("db01", 1, T0, result("Load", Status.UNKNOWN, "no data", T0)));

    Set<Status> problems = EnumSet.of(Status.WARNING, Status.CRITICAL, Status.UNKNOWN);
    assertThat(store.services(null, problems))
        .extracting(s -> s.host() + "/" + s.service())
        .containsExactly("db01/Load", "web01/Load", "web01/Swap");
    assertThat(store.services("web01", problems))
        .extracting(ServiceRecord::service)
        .containsExactly("Load", "Swap");
    assertThat(store.services(null, EnumSet.of(Status.OK)))
        .singleElement()
        .satisfies(s -> assertThat(s.metrics()).isNotEmpty());
    assertThat(store.services("db01", EnumSet.of(Status.OK))).isEmpty();
    assertThat(store.services(null, EnumSet.noneOf(Status.class))).isEmpty();

    assertThat(store.serviceCounts(null))
        .isEqualTo(
            Map.of(
                "web01",
                Map.of(Status.OK, 1, Status.WARNING, 1, Status.CRITICAL, 1),
                "db01",
                Map.of(Status.UNKNOWN, 1)));
    assertThat(store.serviceCounts("db01")).isEqualTo(Map.of("db01", Map.of(Status.UNKNOWN, 1)));
    assertThat(store.serviceCounts("nobody")).isEmpty();
  }

  @Test
  void duplicateSeqIsANoOpAndStoredOnce() {
    store.ingest(report("web01", 7, T0, result("Load", Status.OK, "LOAD OK", T0)));
    clock.advance(Duration.ofSeconds(30));

    IngestResult again =
        store.ingest(report("web01", 7, T0 + 30_000, result("Load", Status.CRITICAL, "X", T0 + 1)));

    assertThat(again).isEqualTo(new IngestResult(false, 7));
    assertThat(store.services(null)).singleElement().extracting("status").isEqualTo(Status.OK);
    assertThat(store.hosts()).singleElement().extracting("lastReport").isEqualTo(T0);
    assertThat(store.events(null, 0)).isEmpty();
  }

  @Test
  void sameSeqFromAnotherNodeIsStored() {
    store.ingest(report("web01", 1, T0));
    assertThat(store.ingest(report("web02", 1, T0)).stored()).isTrue();
    assertThat(store.hosts()).extracting("name").containsExactly("web01", "web02");
  }

  @Test
  void everyStatusChangeIsAnEvent() {
    store.ingest(report("web01", 1, T0, result("Load", Status.OK, "LOAD OK", T0)));
    store.ingest(report("web01", 2, T0, result("Load", Status.WARNING, "LOAD WARNING", T0 + 1)));
    store.ingest(report("web01", 3, T0, result("Load", Status.WARNING, "LOAD WARNING", T0 + 2)));
    store.ingest(report("web01", 4, T0, result("Load", Status.OK, "LOAD OK", T0 + 3)));

    assertThat(store.events("web01", 0))
        .containsExactly(
            new EventRecord("web01", "Load", T0 + 1, Status.OK, Status.WARNING, "LOAD WARNING"),
            new EventRecord("web01", "Load", T0 + 3, Status.WARNING, Status.OK, "LOAD OK"));
    assertThat(store.events("web01", T0 + 2)).hasSize(1);
    assertThat(store.events("db01", 0)).isEmpty();
    assertThat(store.services(null)).singleElement().extracting("lastChange").isEqualTo(T0 + 3);
  }

  @Test
  void newServiceInTroubleIsAnEventButNewOkServiceIsNot() {
    store.ingest(
        report(
            "web01",
            1,
            T0,
            result("Load", Status.OK, "LOAD OK", T0),
            result("Raid", Status.CRITICAL, "RAID CRITICAL - md0 degraded", T0)));

    assertThat(store.events(null, 0))
        .containsExactly(
            new EventRecord(
                "web01", "Raid", T0, null, Status.CRITICAL, "RAID CRITICAL - md0 degraded"));
  }

  @Test
  void attemptCountsNonOkResultsInARowCappedAtMaxAttempts() {
    Status[] seq = {
      Status.WARNING, Status.CRITICAL, Status.CRITICAL, Status.CRITICAL, Status.OK, Status.UNKNOWN
    };
    int[] expected = {1, 2, 3, 3, 1, 1};
    for (int i = 0; i < seq.length; i++) {
      store.ingest(report("web01", i, T0, result("Load", seq[i], "x", T0 + i)));
      assertThat(store.services(null).get(0).attempt())
          .as("after result %d", i)
          .isEqualTo(expected[i]);
    }
  }

  @Test
  void lateOlderResultDoesNotRollStateBack() {
    store.ingest(report("web01", 2, T0, result("Load", Status.OK, "new", T0 + 10)));
    store.ingest(report("web01", 1, T0, result("Load", Status.CRITICAL, "old", T0)));

    assertThat(store.services(null)).singleElement().extracting("output").isEqualTo("new");
    assertThat(store.hosts()).singleElement().extracting("lastSeq").isEqualTo(2L);
  }

  @Test
  void resultsAfterTheNodesClockSteppedBackAreAppliedInSeqOrder() {
    // NTP corrects a fast clock by an hour: later reports carry earlier times.
    store.ingest(report("web01", 1, T0, result("Load", Status.OK, "fast clock", T0 + 3_600_000)));
    store.ingest(report("web01", 2, T0, result("Load", Status.CRITICAL, "after step", T0)));

    assertThat(store.services(null)).singleElement().extracting("output").isEqualTo("after step");
    assertThat(store.events("web01", 0))
        .extracting(EventRecord::newStatus)
        .containsExactly(Status.CRITICAL);
  }

  @Test
  void lateReportBySeqIsNotAppliedEvenWithALaterTime() {
    store.ingest(report("web01", 3, T0, result("Load", Status.OK, "seq 3", T0)));
    store.ingest(report("web01", 2, T0, result("Load", Status.CRITICAL, "seq 2", T0 + 10)));

    assertThat(store.services(null)).singleElement().extracting("output").isEqualTo("seq 3");
  }

  @Test
  void hostComingBackAfterAbsenceIsUpSinceThen() {
    store.ingest(report("web01", 1, T0));
    clock.advance(Duration.ofSeconds(60));
    store.ingest(report("web01", 2, T0));
    assertThat(store.hosts().get(0).upSince()).isEqualTo(T0);

    clock.advance(Duration.ofSeconds(91)); // > 3 intervals of 30s
    store.ingest(report("web01", 3, T0));
    assertThat(store.hosts().get(0).upSince()).isEqualTo(T0 + 151_000);
    assertThat(store.hosts().get(0).firstSeen()).isEqualTo(T0);
  }

  @Test
  void tokensAreFoundByHash() {
    store.addToken("aa", Role.NODE, "web01");
    store.addToken("bb", Role.OPERATOR, null);

    assertThat(store.findToken("aa")).contains(new TokenOwner(Role.NODE, "web01"));
    assertThat(store.findToken("bb")).contains(new TokenOwner(Role.OPERATOR, null));
    assertThat(store.findToken("cc")).isEmpty();
    assertThatThrownBy(() -> store.addToken("dd", Role.NODE, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void restoreTokenIsStoredAndFound() {
    store.addToken("ee", Role.RESTORE, null);

    assertThat(store.findToken("ee")).contains(new TokenOwner(Role.RESTORE, null));
    assertThat(store.tokens()).extracting(TokenRecord::role).containsExactly(Role.RESTORE);
  }

  @Test
  void issuedTokenIsStoredOnlyAsItsHash() {
    String token = new Tokens().issue(store, Role.NODE, "web01");

    assertThat(token).startsWith("cst_node_").hasSize("cst_node_".length() + 43);
    assertThat(store.findToken(token)).isEmpty();
    assertThat(store.findToken(Tokens.hash(token))).contains(new TokenOwner(Role.NODE, "web01"));
  }

  // ---- operations: tokens and host removal ----

  @Test
  void tokenListShowsIdRoleNodeCreatedAndLastUseButNoHash() {
    String hash = Tokens.hash("cst_node_secret");
    store.addToken(hash, Role.NODE, "web01");
    clock.advance(Duration.ofMinutes(1));
    store.addToken(Tokens.hash("cst_admin_secret"), Role.ADMIN, null);
    clock.advance(Duration.ofMinutes(1));
    store.touchToken(hash, clock.millis());
    store.touchToken(hash, clock.millis() - 30_000); // an older use never moves it back

    assertThat(store.tokens())
        .containsExactly(
            new TokenRecord(hash.substring(0, 12), Role.NODE, "web01", T0, T0 + 2 * MIN),
            new TokenRecord(
                Tokens.hash("cst_admin_secret").substring(0, 12), Role.ADMIN, null, T0 + MIN, 0));
  }

  @Test
  void aRevokedTokenIsNotFoundAnyMore() {
    String hash = Tokens.hash("cst_node_secret");
    store.addToken(hash, Role.NODE, "web01");
    store.addToken(Tokens.hash("cst_operator_other"), Role.OPERATOR, null);

    assertThat(store.revokeToken(hash.substring(0, 12)))
        .singleElement()
        .extracting(TokenRecord::node)
        .isEqualTo("web01");

    assertThat(store.findToken(hash)).isEmpty();
    assertThat(store.tokens()).extracting(TokenRecord::role).containsExactly(Role.OPERATOR);
    assertThat(store.revokeToken(hash)).isEmpty();
  }

  @Test
  void anAmbiguousOrMalformedTokenIdRevokesNothing() {
    store.addToken("abcdef0123" + "0".repeat(54), Role.OPERATOR, null);
    store.addToken("abcdef0123" + "1".repeat(54), Role.ADMIN, null);

    assertThatThrownBy(() -> store.revokeToken("abcdef0123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matches 2 tokens");
    assertThatThrownBy(() -> store.revokeToken("abc%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abc%");
    assertThatThrownBy(() -> store.revokeToken("abcdef0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.tokens()).hasSize(2);
  }

  @Test
  void removingAHostDeletesItsServicesAndTokensButKeepsHistoryAndOtherHosts() {
    reportValue(1, 10);
    store.ingest(report("db01", 1, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0)));
    store.ingest(report("web01", 2, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0 + 1)));
    store.addToken(Tokens.hash("cst_node_web01"), Role.NODE, "web01");
    store.addToken(Tokens.hash("cst_node_db01"), Role.NODE, "db01");

    HostRemoval r = store.removeHost("web01", false).orElseThrow();

    assertThat(r.services()).isEqualTo(2);
    assertThat(r.tokens()).isEqualTo(1);
    assertThat(store.hosts()).extracting(HostRecord::name).containsExactly("db01");
    assertThat(store.services(null)).extracting(ServiceRecord::host).containsOnly("db01");
    assertThat(store.findToken(Tokens.hash("cst_node_web01"))).isEmpty();
    assertThat(store.findToken(Tokens.hash("cst_node_db01"))).isPresent();
    // Root Partition's two series and Load's (TestReports' results carry fs_used_percent too).
    assertThat(store.history().series("web01")).hasSize(3);
    assertThat(store.events("web01", 0)).isNotEmpty();
    assertThat(store.removeHost("web01", false)).isEmpty();
  }

  @Test
  void removingAHostWithHistoryDeletesItsSeriesEventsAndReportLog() {
    reportValue(1, 10);
    store.history().maintain();
    store.ingest(report("web01", 2, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0 + 1)));
    store.ingest(report("db01", 1, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0)));

    HostRemoval r = store.removeHost("web01", true).orElseThrow();

    assertThat(r.series()).isEqualTo(3);
    assertThat(r.reports()).isEqualTo(2);
    assertThat(store.history().series("web01")).isEmpty();
    assertThat(store.events("web01", 0)).isEmpty();
    assertThat(store.events("db01", 0)).isNotEmpty();
    // The report log is gone too, so the node's numbers count as new if it ever comes back.
    assertThat(store.ingest(report("web01", 2, T0)).stored()).isTrue();
  }

  @Test
  void aRestartedStoreKeepsEverything() {
    store.ingest(report("web01", 1, T0, result("Load", Status.OK, "LOAD OK", T0)));
    store.ingest(report("web01", 2, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0 + 1)));
    store.addToken("aa", Role.ADMIN, null);
    store.close();

    store = open(dir, clock, POLICY);

    assertThat(store.hosts()).extracting("name").containsExactly("web01");
    assertThat(store.services(null))
        .singleElement()
        .extracting("status")
        .isEqualTo(Status.CRITICAL);
    assertThat(store.events(null, 0)).hasSize(1);
    assertThat(store.findToken("aa")).isPresent();
    assertThat(store.ingest(report("web01", 2, T0)).stored()).isFalse();
  }

  // ---- metric history ----

  protected static final long MIN = 60_000L;
  protected static final long HOUR = 3_600_000L;
  protected static final long DAY = 24 * HOUR;

  /** A report of {@code web01} at the clock's time with fs_used_percent = {@code value}. */
  protected void reportValue(long seq, double value) {
    long t = clock.millis();
    store.ingest(
        report(
            "web01",
            seq,
            t,
            new CheckResult(
                "Root Partition",
                "filesystem",
                Status.OK,
                "DISK OK",
                t,
                List.of(
                    Metric.of("fs_used_percent", Map.of("mount", "/"), value, "%"),
                    Metric.of("fs_used_percent", Map.of("mount", "/var"), value * 2, "%")))));
  }

  protected static final SeriesKey ROOT = new SeriesKey("fs_used_percent", Map.of("mount", "/"));

  @Test
  void ingestedMetricsAreQueryableAtOnceAndListed() {
    reportValue(1, 10);
    clock.advance(Duration.ofSeconds(10));
    reportValue(2, 20);

    assertThat(store.history().series("web01"))
        .extracting(s -> s.key().toString())
        .containsExactly("fs_used_percent{mount=\"/\"}", "fs_used_percent{mount=\"/var\"}");
    assertThat(store.history().series("web01").get(0).unit()).isEqualTo("%");
    SeriesData d = store.history().query("web01", ROOT, T0 - HOUR, T0 + HOUR, 0);
    assertThat(d.resolution()).isEqualTo(Resolution.RAW);
    assertThat(d.points()).containsExactly(Bucket.of(T0, 10), Bucket.of(T0 + 10_000, 20));
    assertThat(store.history().query("db01", ROOT, 0, T0, 0).points()).isEmpty();
    assertThat(store.history().series("db01")).isEmpty();
  }

  @Test
  void aDuplicateReportAddsNoSamples() {
    reportValue(1, 10);
    reportValue(1, 99);
    assertThat(store.history().query("web01", ROOT, 0, T0 + 1, 0).points())
        .containsExactly(Bucket.of(T0, 10));
  }

  @Test
  void compactionKeepsEverySampleAndEmptiesTheHead() {
    for (int i = 0; i < 130; i++) {
      reportValue(i, i);
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(store.history().maintain().compactedHosts()).isEqualTo(1);
    assertThat(store.history().maintain().compactedHosts()).isZero();
    reportValue(1000, 1000);

    SeriesData d = store.history().query("web01", ROOT, T0, clock.millis(), 0);
    assertThat(d.points()).hasSize(131);
    assertThat(d.points().get(129)).isEqualTo(Bucket.of(T0 + 1_290_000, 129));
    assertThat(d.points().get(130).min()).isEqualTo(1000);
  }

  @Test
  void historyIsDownsampledAndExpiredAsTheClockAdvances() {
    // 3 days at one report a minute.
    long seq = 0;
    for (long t = 0; t < 3 * DAY; t += MIN) {
      reportValue(seq, seq % 10);
      seq++;
      clock.advance(Duration.ofMinutes(1));
      if (seq % 360 == 0) {
        store.history().maintain();
      }
    }
    store.history().maintain();
    long now = clock.millis();

    // Older than 48h: raw is gone, but the 5-minute tier answers for it.
    SeriesData old = store.history().query("web01", ROOT, T0, T0 + DAY - 1, 0);
    assertThat(old.resolution()).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(old.points()).hasSize(288);
    assertThat(old.points().get(0)).isEqualTo(new Bucket(T0, 0, 4, 10, 5));
    assertThat(old.points()).allSatisfy(b -> assertThat(b.count()).isEqualTo(5));

    // The recent hours, not yet rolled up, are aggregated on the fly from raw samples.
    SeriesData recent = store.history().query("web01", ROOT, now - 6 * HOUR, now, 300_000);
    assertThat(recent.points()).hasSize(72);
    assertThat(recent.points()).allSatisfy(b -> assertThat(b.count()).isEqualTo(5));

    // A whole-range query at 1h step: 72 hourly buckets of 60 samples.
    SeriesData hourly = store.history().query("web01", ROOT, T0, now, HOUR);
    assertThat(hourly.resolution()).isEqualTo(Resolution.ONE_HOUR);
    assertThat(hourly.points()).hasSize(72);
    assertThat(hourly.points()).allSatisfy(b -> assertThat(b.count()).isEqualTo(60));
    assertThat(hourly.points().get(0).avg()).isEqualTo(4.5);

    // Raw samples in the last 48h are still there.
    assertThat(store.history().query("web01", ROOT, now - HOUR, now, 0).points()).hasSize(60);
  }

  @Test
  void samplesArrivingAfterTheirWindowWasRolledUpAreRolledUpToo() {
    // Six days of one report every 10 minutes, maintained as the collector does.
    long seq = 0;
    for (long t = 0; t < 6 * DAY; t += 10 * MIN) {
      reportValue(seq++, 1);
      clock.advance(Duration.ofMinutes(10));
      if (seq % 36 == 0) {
        store.history().maintain();
      }
    }
    store.history().maintain();
    // A spool replayed 5.5 days late: a sample of T0 + 12h 1m, whose 5-minute and 1-hour
    // windows were rolled up days ago.
    long late = T0 + 12 * HOUR + MIN;
    store.ingest(
        report(
            "web01",
            seq,
            clock.millis(),
            new CheckResult(
                "Root Partition",
                "filesystem",
                Status.OK,
                "DISK OK",
                late,
                List.of(Metric.of("fs_used_percent", Map.of("mount", "/"), 100, "%")))));
    // It is compacted, and its raw chunk later expires with the raw tier.
    clock.advance(Duration.ofHours(3));
    store.history().maintain();
    clock.advance(Duration.ofDays(2));
    store.history().maintain();

    SeriesData fiveMinutes =
        store.history().query("web01", ROOT, T0 + 12 * HOUR, T0 + 12 * HOUR + 4 * MIN, 5 * MIN);
    assertThat(fiveMinutes.resolution()).isEqualTo(Resolution.FIVE_MINUTES);
    assertThat(fiveMinutes.points()).containsExactly(new Bucket(T0 + 12 * HOUR, 1, 100, 101, 2));
    SeriesData hourly =
        store.history().query("web01", ROOT, T0 + 12 * HOUR, T0 + 12 * HOUR + 59 * MIN, HOUR);
    assertThat(hourly.resolution()).isEqualTo(Resolution.ONE_HOUR);
    assertThat(hourly.points()).containsExactly(new Bucket(T0 + 12 * HOUR, 1, 100, 106, 7));
    // The neighbouring windows are as they were.
    assertThat(
            store
                .history()
                .query("web01", ROOT, T0 + 13 * HOUR, T0 + 13 * HOUR + 59 * MIN, HOUR)
                .points())
        .containsExactly(new Bucket(T0 + 13 * HOUR, 1, 1, 6, 6));
  }

  @Test
  void twoCommandChecksWithTheSamePerfdataLabelStaySeparateSeries() {
    for (int i = 0; i < 3; i++) {
      long t = clock.millis();
      store.ingest(
          report(
              "web01",
              i + 1,
              t,
              new CheckResult(
                  "Current Users",
                  "command",
                  Status.OK,
                  "USERS OK",
                  t,
                  List.of(Metric.of("users", Map.of(), 2 + i, null))),
              new CheckResult(
                  "Remote Users",
                  "command",
                  Status.OK,
                  "USERS OK",
                  t,
                  List.of(Metric.of("users", Map.of(), 40 + i, null)))));
      clock.advance(Duration.ofSeconds(30));
    }

    List<io.custos.collector.store.history.SeriesInfo> series = store.history().series("web01");
    assertThat(series)
        .extracting(s -> s.key().service())
        .containsExactlyInAnyOrder("Current Users", "Remote Users");
    for (io.custos.collector.store.history.SeriesInfo s : series) {
      List<Bucket> points = store.history().query("web01", s.key(), T0, clock.millis(), 0).points();
      assertThat(points)
          .extracting(Bucket::max)
          .containsExactly(
              s.key().service().equals("Current Users")
                  ? new Double[] {2.0, 3.0, 4.0}
                  : new Double[] {40.0, 41.0, 42.0});
    }
  }

  @Test
  void aClosedStoreRefusesWork() {
    store.close();
    assertThatThrownBy(() -> store.hosts())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(store::ping).isInstanceOf(StoreException.class);
  }

  @Test
  void backupRunsOfAReportAreInTheCatalogNewestFirst() {
    long h = 3_600_000L;
    store.ingest(
        TestBackups.report(
            "web01",
            1,
            T0,
            TestBackups.ok("web01", "www", "full", T0 - 2 * h),
            TestBackups.failed("www", T0 - h, "tar: /var/www: Permission denied")));
    store.ingest(TestBackups.report("db01", 1, T0, TestBackups.ok("db01", "pg", "diff", T0)));

    BackupPage all = store.backups(null, null, null, 10, 0);
    assertThat(all.total()).isEqualTo(3);
    assertThat(all.backups())
        .extracting(BackupRecord::node)
        .containsExactly("db01", "web01", "web01");
    BackupRecord failed = all.backups().get(1);
    assertThat(failed)
        .isEqualTo(
            new BackupRecord(
                "web01",
                "www",
                "incr",
                null,
                Status.CRITICAL,
                0,
                0,
                T0 - h,
                T0 - h + 2_000,
                "tar: /var/www: Permission denied",
                T0));
    BackupRecord full = all.backups().get(2);
    assertThat(full.archive()).isEqualTo("web01.www." + (T0 - 2 * h) + ".full.tar.zst");
    assertThat(full.result()).isEqualTo(Status.OK);
    assertThat(full.bytes()).isEqualTo(261_711_066);
    assertThat(full.files()).isEqualTo(78_020);
    assertThat(full.message()).isEmpty();
  }

  @Test
  void backupCatalogFiltersAndPagesWithTheTotal() {
    long h = 3_600_000L;
    for (int i = 0; i < 5; i++) {
      store.ingest(
          TestBackups.report(
              "web01",
              i,
              T0,
              TestBackups.ok("web01", "www", "incr", T0 + i * h),
              TestBackups.ok("web01", "etc", "incr", T0 + i * h)));
    }
    store.ingest(TestBackups.report("web01", 9, T0, TestBackups.failed("www", T0, "disk full")));
    store.ingest(TestBackups.report("db01", 1, T0, TestBackups.ok("db01", "www", "full", T0)));

    assertThat(store.backups("web01", null, null, 100, 0).total()).isEqualTo(11);
    assertThat(store.backups(null, "www", null, 100, 0).total()).isEqualTo(7);
    assertThat(store.backups("web01", "www", Status.CRITICAL, 100, 0).backups())
        .singleElement()
        .extracting(BackupRecord::message)
        .isEqualTo("disk full");
    BackupPage second = store.backups("web01", "etc", Status.OK, 2, 2);
    assertThat(second.total()).isEqualTo(5);
    assertThat(second.backups())
        .extracting(BackupRecord::started)
        .containsExactly(T0 + 2 * h, T0 + h);
    BackupPage beyond = store.backups("web01", null, null, 10, 50);
    assertThat(beyond.backups()).isEmpty();
    assertThat(beyond.total()).isEqualTo(11);
    assertThat(store.backups("nobody", null, null, 10, 0)).isEqualTo(new BackupPage(List.of(), 0));
  }

  @Test
  void aReplayedReportOrArchiveAddsNoBackupRow() {
    var run = TestBackups.ok("web01", "www", "full", T0);
    store.ingest(TestBackups.report("web01", 1, T0, run));
    // The same seq again (a replayed spool) stores nothing; a new seq with an archive already in
    // the catalog keeps the first row.
    assertThat(store.ingest(TestBackups.report("web01", 1, T0, run)).stored()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.ingest(TestBackups.report("web01", 2, T0, run, run)).stored()).isTrue();
    // Failures without an archive name are all kept.
    store.ingest(
        TestBackups.report(
            "web01",
            3,
            T0,
            TestBackups.failed("www", T0, "a"),
            TestBackups.failed("www", T0, "a")));

    BackupPage page = store.backups("web01", null, null, 10, 0);
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.backups())
        .filteredOn(b -> b.archive() != null)
        .singleElement()
        .extracting(BackupRecord::received)
        .isEqualTo(T0);
  }

  @Test
  void aReportRolledBackByItsHookLeavesNoBackupRow() {
    assertThatThrownBy(
            () ->
                store.ingest(
                    TestBackups.report("web01", 1, T0, TestBackups.ok("web01", "www", "full", T0)),
                    (report, applied, tx) -> {
                      throw new IllegalStateException("hook failed");
                    }))
        .hasMessageContaining("hook failed");

    assertThat(store.backups(null, null, null, 10, 0).total()).isZero();
  }
}
