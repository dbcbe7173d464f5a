package io.custos.packaging.dashboard;

import static io.custos.packaging.dashboard.DashboardRig.ok;
import static io.custos.packaging.dashboard.DashboardRig.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Issue 24's views in headless Chromium against a real collector: host problems with a DOWN host
 * shown as a host, soft problems below hard ones, acknowledgements with who and why (and their
 * page, with remove), the page of one service, the monitoring process, the grid following the
 * stream, and the wall (clock, paging, kiosk theme by URL) at 1920×1080 and 3840×2160. Screenshots
 * go to {@code target/screenshots/}.
 */
class DashboardViewsTest {
  @TempDir Path dir;
  private DashboardRig rig;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        DashboardRig.chromiumPresent(),
        "needs the Debian packages chromium and chromium-driver (/usr/bin/chromium,"
            + " /usr/bin/chromedriver)");
    Awaitility.ignoreExceptionsByDefault();
    rig =
        new DashboardRig(
            dir,
            "defaults: { max_attempts: 2 }\nhosts: { absent_after: 2 }\n"
                + "servicegroups: { queues: { hosts: ['mq-*'], services: ['Queue *'] },"
                + " disks: { services: ['Disk *'] } }\n");
    long now = System.currentTimeMillis();
    for (int i = 6; i >= 0; i--) {
      long t = now - i * 60_000L;
      rig.report(
          "web-1",
          List.of("web"),
          t,
          List.of(
              new CheckResult(
                  "Backup www",
                  "backup",
                  Status.OK,
                  "BACKUP OK - no backup yet, next at 01:00",
                  t,
                  List.of()),
              ok(
                  "Memory",
                  t,
                  new Metric("mem_used_bytes", Map.of(), 3.2e9 + i * 1e8, "B", 6e9, 7e9, 0.0, 8e9)),
              new CheckResult(
                  "Disk /var",
                  "filesystem",
                  Status.CRITICAL,
                  "DISK CRITICAL - /var 97% used",
                  "/var/log 61 GB\n/var/lib/docker 12 GB",
                  t,
                  List.of(
                      new Metric(
                          "fs_used_percent",
                          Map.of("mount", "/var"),
                          97.0 - i * 0.5,
                          "%",
                          80.0,
                          90.0,
                          0.0,
                          100.0)))),
          List.of());
    }
    for (int i = 1; i >= 0; i--) {
      long t = now - i * 60_000L;
      List<CheckResult> db = new ArrayList<>();
      db.add(result("Backup age", Status.CRITICAL, "CRITICAL - last backup 3 days ago", t));
      db.add(
          i == 0
              ? result("Replication", Status.WARNING, "WARNING - lag 42 s", t)
              : ok("Replication", t));
      rig.report("db-1", List.of("db"), t, db, List.of());
    }
    // Forty long-standing WARNINGs: more than a 1080p wall shows at once.
    for (int i = 1; i >= 0; i--) {
      long t = now - i * 60_000L;
      List<CheckResult> many = new ArrayList<>();
      for (int s = 0; s < 40; s++) {
        many.add(result(String.format("Queue %02d", s), Status.WARNING, "WARNING - 120 queued", t));
      }
      rig.report("mq-1", List.of("mq"), t, many, List.of());
    }
    // Reports every second, once: DOWN two seconds later.
    rig.report("gone-1", List.of("web"), now, List.of(ok("Load", now)), List.of(), 1);
  }

  @AfterEach
  void stop() {
    Awaitility.reset();
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void hostProblemsAcknowledgementsServicePageProcessGridAndTheWall() throws Exception {
    ChromeDriver b = rig.browser();
    JavascriptExecutor js = b;
    // A login link, as the demo prints: logged in, the secret gone from the address bar.
    b.get(rig.loginLink("operator"));
    waitFor(b, "#counts #count-ok");
    assertThat(b.getCurrentUrl()).doesNotContain("login=");
    assertThat(b.findElement(By.id("who")).getText()).contains("operator");
    rig.awaitStreamReady();

    // A silent host is a DOWN host, first, not a CRITICAL service.
    String down = "#unhandled tr[data-key='gone-1/Host Alive']";
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> b.findElement(By.cssSelector(down + " .badge")).getText().equals("DOWN"));
    @SuppressWarnings("unchecked")
    List<String> order =
        (List<String>)
            js.executeScript(
                "return [...document.querySelectorAll('#unhandled tbody tr')]"
                    + ".map((tr) => tr.dataset.key)");
    assertThat(order.get(0)).isEqualTo("gone-1/Host Alive");
    // The soft first attempt sorts below every long-standing hard problem, marked SOFT.
    assertThat(order.indexOf("db-1/Replication")).isGreaterThan(order.indexOf("mq-1/Queue 39"));
    assertThat(
            b.findElement(By.cssSelector("#unhandled tr[data-key='db-1/Replication']")).getText())
        .contains("SOFT 1/2");
    // The Unhandled count is the length of the list it heads.
    assertThat(b.findElement(By.cssSelector("#count-unhandled .value")).getText())
        .isEqualTo(b.findElement(By.id("unhandled-n")).getText())
        .isEqualTo(String.valueOf(order.size()));
    // Every count box says its state in words and a shape, not by colour alone.
    assertThat(b.findElement(By.id("count-critical")).getText()).contains("✖").contains("CRITICAL");

    // Acknowledge with a comment: the handled row says who and why.
    click(b, "#unhandled tr[data-key='web-1/Disk /var'] button.ack");
    b.findElement(By.id("ack-comment")).sendKeys("replacing the disk");
    b.findElement(By.cssSelector("dialog form button[type=submit]")).click();
    String handled = "#handled tr[data-key='web-1/Disk /var']";
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> b.findElement(By.cssSelector(handled)).getText().contains("replacing the disk"));
    assertThat(b.findElement(By.cssSelector(handled + " .flag.ack")).getText())
        .startsWith("ACK ")
        .hasSizeGreaterThan(4);
    rig.screenshotAt("operations-acknowledged", 1920, 1080);

    // The acknowledgements page lists it.
    open(b, "#/acks", "#acks tbody tr");
    assertThat(b.findElement(By.cssSelector("#acks tbody tr")).getText())
        .contains("web-1")
        .contains("Disk /var")
        .contains("replacing the disk");
    rig.screenshot("acknowledgements");

    // The page of one service: output and long output, perfdata in units with thresholds, its
    // graph, its acknowledgement, its history.
    open(b, "#/service/web-1/Disk%20%2Fvar", "#svc-output");
    assertThat(b.findElement(By.id("svc-long-output")).getText()).contains("/var/lib/docker 12 GB");
    waitFor(b, "#perfdata tbody tr");
    assertThat(b.findElement(By.cssSelector("#perfdata tbody tr")).getText())
        .contains("fs_used_percent")
        .contains("97 %")
        .contains("80 %")
        .contains("90 %");
    assertThat(b.findElement(By.id("svc-ack-info")).getText()).contains("replacing the disk");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !b.findElements(By.cssSelector("#graphs figure.chart canvas")).isEmpty());
    assertThat(b.findElements(By.cssSelector("#graphs figure.chart")))
        .as("only this service's series")
        .hasSize(1);
    assertThat(b.findElement(By.id("graph-zone")).getText()).startsWith("times 24-hour, ");
    waitFor(b, "#events tbody tr");
    rig.screenshot("service-page");

    // The host page's graphs: axes in units.
    open(b, "#/host/web-1", "#host-services");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> b.findElements(By.cssSelector("#graphs figure.chart canvas")).size() == 2);
    rig.screenshot("host-graphs");

    // Host problems: the DOWN host as a host.
    open(b, "#/hostproblems", "#host-problems tr[data-host='gone-1']");
    assertThat(b.findElement(By.cssSelector("#host-problems tr[data-host='gone-1']")).getText())
        .contains("DOWN");
    rig.screenshot("host-problems");
    open(b, "#/outages", "#no-outages, #outages");
    rig.screenshot("network-outages");

    // The monitoring process.
    open(b, "#/process", "#proc-store");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                b.findElement(By.id("proc-ingest")).getText().contains("reports/s")
                    && b.findElement(By.id("proc-process")).getText().contains("Uptime"));
    assertThat(b.findElement(By.id("proc-store")).getText()).contains("writing");
    assertThat(b.findElement(By.id("proc-process")).getText()).containsPattern("Version\\s+0\\.");
    rig.screenshot("monitoring-process");

    // Service Status: a host filter that matches part of a name, and says when nothing did.
    open(b, "#/services?host=EB-", "#services tbody tr");
    assertThat(texts(b, "#services tbody td.host")).isNotEmpty().allMatch(h -> h.equals("web-1"));
    open(b, "#/services?host=nosuch", "#no-match");
    assertThat(b.findElement(By.id("no-match")).getText()).contains("host containing \"nosuch\"");
    // Sorted by a column, a page of 25, every visible problem selected at once.
    open(b, "#/services?status=problems&sort=-status&size=25", "#services tbody tr");
    assertThat(b.findElements(By.cssSelector("#services tbody tr"))).hasSize(25);
    assertThat(texts(b, "#services tbody tr .badge").get(0)).isEqualTo("CRITICAL");
    assertThat(b.findElement(By.cssSelector(".pager")).getText()).contains("1–25 of ");
    b.findElement(By.id("select-all")).click();
    assertThat(b.findElement(By.id("mass-ack")).getText()).isEqualTo("Acknowledge selected (25)");
    b.findElement(By.cssSelector("th a[data-sort='host']")).click();
    await().atMost(Duration.ofSeconds(5)).until(() -> b.getCurrentUrl().contains("sort=host"));
    waitFor(b, "#services tbody tr");
    rig.screenshot("services-sorted");

    // Deleting a downtime asks first; dismissing keeps it.
    open(b, "#/downtime", "#downtime-form");
    b.findElement(By.id("dt-host")).sendKeys("mq-1");
    b.findElement(By.id("dt-comment")).sendKeys("broker upgrade");
    b.findElement(By.id("dt-submit")).click();
    waitFor(b, "#downtimes button.danger");
    b.findElement(By.cssSelector("#downtimes button.danger")).click();
    assertThat(b.switchTo().alert().getText()).startsWith("Delete the downtime for mq-1");
    b.switchTo().alert().dismiss();
    assertThat(b.findElements(By.cssSelector("#downtimes tbody tr"))).hasSize(1);
    b.findElement(By.cssSelector("#downtimes button.danger")).click();
    b.switchTo().alert().accept();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> b.findElements(By.cssSelector("#downtimes tbody tr")).isEmpty());

    // Latest alerts: state changes apart from engine notes, filtered by host and state.
    open(b, "#/alerts", "#events tbody tr");
    assertThat(b.findElement(By.cssSelector(".tabs a.on")).getAttribute("data-kind"))
        .isEqualTo("state");
    assertThat(texts(b, "#events tbody td:nth-child(4)"))
        .isNotEmpty()
        .allMatch(k -> k.equals("state"));
    open(b, "#/alerts?kind=state&host=mq", "#events tbody tr");
    assertThat(texts(b, "#events tbody td:nth-child(2)")).allMatch(h -> h.equals("mq-1"));
    open(b, "#/alerts?kind=state&host=mq&state=OK", "#no-match");
    rig.screenshot("latest-alerts-filtered");

    // Backups: a configured set that never ran is listed.
    open(b, "#/backups", "#backups tr.never[data-set='www']");
    assertThat(b.findElement(By.cssSelector("#backups tr.never[data-set='www']")).getText())
        .contains("web-1")
        .contains("NEVER RAN");
    rig.screenshot("backups-never-ran");

    // The grid follows the stream: db-1 recovers, its tile turns OK without reading the lists.
    open(b, "#/groups?view=grid", ".tile[data-host='db-1'][data-state='CRITICAL']");
    assertThat(b.findElement(By.cssSelector(".tile[data-host='db-1']")).getText()).contains("CRIT");
    Object reads = hostListReads(js);
    long now = System.currentTimeMillis();
    rig.report(
        "db-1",
        List.of("db"),
        now,
        List.of(ok("Backup age", now), ok("Replication", now)),
        List.of());
    waitFor(b, ".tile[data-host='db-1'][data-state='OK']");
    assertThat(hostListReads(js)).as("no list read again").isEqualTo(reads);
    rig.screenshot("hostgroup-grid-shapes");

    // Service groups: the summary and the grid, which follows the stream too.
    open(b, "#/servicegroups", "#servicegroup-summary tbody tr");
    assertThat(texts(b, "#servicegroup-summary tbody td:first-child"))
        .containsExactly("disks", "queues");
    rig.screenshot("servicegroup-summary");
    open(b, "#/servicegroups?view=grid", ".tile[data-key='mq-1/Queue 00'][data-state='WARNING']");
    assertThat(b.findElements(By.cssSelector("section[data-group='queues'] .tile"))).hasSize(40);
    List<CheckResult> calm = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      calm.add(
          s == 0
              ? ok("Queue 00", System.currentTimeMillis())
              : result(
                  String.format("Queue %02d", s),
                  Status.WARNING,
                  "WARNING - 120 queued",
                  System.currentTimeMillis()));
    }
    rig.report("mq-1", List.of("mq"), System.currentTimeMillis(), calm, List.of());
    waitFor(b, ".tile[data-key='mq-1/Queue 00'][data-state='OK']");
    rig.screenshot("servicegroup-grid");

    // Removing an acknowledgement asks first.
    open(b, "#/acks", "#acks tbody tr");
    b.findElement(By.cssSelector("#acks button.unack")).click();
    b.switchTo().alert().accept();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> b.findElement(By.id("view")).getText().contains("Nothing is acknowledged."));
    assertThat(b.findElements(By.cssSelector("#acks tbody tr"))).isEmpty();

    assertThat(severe(b)).as("console errors").isEmpty();

    // The wall: a kiosk link with its theme; a clock with the zone; the list pages by itself.
    b.findElement(By.id("logout")).click();
    waitFor(b, "#login");
    b.get(rig.base() + "/#token=" + rig.roleToken("viewer") + "&theme=dark");
    waitFor(b, "#unhandled tbody tr");
    assertThat(b.findElement(By.tagName("html")).getAttribute("data-theme")).isEqualTo("dark");
    assertThat(b.getCurrentUrl()).doesNotContain("token");
    assertThat(b.findElement(By.id("clock-now")).getText()).matches("\\d\\d:\\d\\d:\\d\\d");
    assertThat(b.findElement(By.id("clock-zone")).getText()).isNotBlank();
    assertThat(b.findElement(By.id("updated")).getText()).startsWith("updated ");
    rig.screenshotAt("wall-1920x1080", 1920, 1080);
    assertThat(b.findElement(By.id("unhandled-page")).getText()).startsWith("page 1 of ");
    rig.screenshotAt("wall-3840x2160", 3840, 2160);
    open(b, "#/groups?view=grid", ".tile");
    rig.screenshotAt("wall-grid-3840x2160", 3840, 2160);
    assertThat(severe(b)).as("console errors").isEmpty();
  }

  /** The text of every element {@code css} selects, read in one script (rows re-render). */
  @SuppressWarnings("unchecked")
  private static List<String> texts(ChromeDriver b, String css) {
    return (List<String>)
        ((JavascriptExecutor) b)
            .executeScript(
                "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)",
                css);
  }

  /** How many times this page has read /api/v1/hosts. */
  private static Object hostListReads(JavascriptExecutor js) {
    return js.executeScript(
        "return performance.getEntriesByType('resource')"
            + ".filter((e) => e.name.includes('/api/v1/hosts')).length");
  }

  private static void click(ChromeDriver b, String css) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              b.findElement(By.cssSelector(css)).click();
              return true;
            });
  }

  private static void open(ChromeDriver b, String hash, String css) {
    ((JavascriptExecutor) b).executeScript("location.hash = arguments[0]", hash);
    waitFor(b, css);
  }

  private static void waitFor(ChromeDriver b, String css) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !b.findElements(By.cssSelector(css)).isEmpty());
  }

  private static List<String> severe(ChromeDriver b) {
    return b.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }
}
