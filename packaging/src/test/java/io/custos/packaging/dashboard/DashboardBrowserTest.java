package io.custos.packaging.dashboard;

import static io.custos.packaging.dashboard.DashboardRig.load;
import static io.custos.packaging.dashboard.DashboardRig.ok;
import static io.custos.packaging.dashboard.DashboardRig.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard end to end: a real collector, nodes reporting over HTTP, and Debian's headless
 * Chromium clicking through every page. Screenshots of each page go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  private static final Duration PUSH = Duration.ofSeconds(2);

  @TempDir Path dir;
  private DashboardRig rig;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        DashboardRig.chromiumPresent(),
        "needs the Debian packages chromium and chromium-driver (/usr/bin/chromium,"
            + " /usr/bin/chromedriver)");
    // Tables re-render on live updates: an element read mid-way can go stale; read it again.
    Awaitility.ignoreExceptionsByDefault();
    rig = new DashboardRig(dir);
    long now = System.currentTimeMillis();
    // Raw samples over the last half hour for the graph; a second host in another group.
    for (int i = 6; i >= 0; i--) {
      long t = now - i * 5 * 60_000L;
      rig.report(
          "web-1",
          List.of("web"),
          t,
          List.of(ok("Load", t, load(0.5 + i * 0.3)), ok("Disk /var", t)),
          i == 0
              ? List.of(
                  new BackupEvent(
                      "etc",
                      "full",
                      "etc-full.tar.zst",
                      Status.OK,
                      1_234_567,
                      321,
                      t - 60_000,
                      t - 30_000,
                      ""),
                  new BackupEvent(
                      "home",
                      "incr",
                      null,
                      Status.CRITICAL,
                      0,
                      0,
                      t - 20_000,
                      t - 10_000,
                      "tar: /home/x: Cannot open: Permission denied"))
              : List.of());
    }
    rig.report(
        "db-1",
        List.of("db"),
        now,
        List.of(result("Replication", Status.WARNING, "WARNING - lag 42 s", now)),
        List.of());
  }

  @AfterEach
  void stop() {
    Awaitility.reset();
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void everyPageWorksLiveWithAcknowledgementDowntimeGraphsAndKiosk() throws Exception {
    ChromeDriver b = rig.browser();
    JavascriptExecutor js = b;
    b.get(rig.base() + "/");
    waitFor(b, "#login");
    rig.screenshot("login");
    b.findElement(By.id("token")).sendKeys(rig.roleToken("operator"));
    b.findElement(By.id("login-submit")).click();
    waitFor(b, "#counts #count-ok");
    waitFor(b, "#unhandled tr[data-key^='db-1']");
    waitFor(b, "#live.on");
    rig.awaitStreamReady();
    js.executeScript("window.custosNoReload = 'still here'");

    // A report with a CRITICAL: on the screen within 2 s, pushed, without a reload.
    long now = System.currentTimeMillis();
    rig.report(
        "web-1",
        List.of("web"),
        now,
        List.of(
            ok("Load", now, load(0.4)),
            result("Disk /var", Status.CRITICAL, "DISK CRITICAL - /var 97% used", now)),
        List.of());
    String row = "#unhandled tr[data-key='web-1/Disk /var']";
    await()
        .atMost(PUSH)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !b.findElements(By.cssSelector(row)).isEmpty());
    assertThat(js.executeScript("return window.custosNoReload")).isEqualTo("still here");
    await()
        .atMost(PUSH)
        .ignoreExceptions()
        .until(() -> b.findElement(By.id("count-critical")).getText().startsWith("1"));
    rig.screenshot("operations");
    b.findElement(By.id("theme")).click();
    assertThat(b.findElement(By.tagName("html")).getAttribute("data-theme")).isEqualTo("dark");
    rig.screenshot("operations-dark");
    b.findElement(By.id("theme")).click();
    b.findElement(By.id("theme")).click();

    // Acknowledge it from the UI: it leaves the unhandled list.
    click(b, row + " button.ack");
    b.findElement(By.id("ack-comment")).sendKeys("replacing the disk");
    b.findElement(By.cssSelector("dialog form button[type=submit]")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                b.findElements(By.cssSelector(row)).isEmpty()
                    && !b.findElements(By.cssSelector("#handled tr[data-key='web-1/Disk /var']"))
                        .isEmpty());

    // Schedule downtime for a host from the downtime page; it is listed, and can be deleted.
    open(b, "#/downtime", "#downtime-form");
    b.findElement(By.id("dt-host")).sendKeys("db-1");
    b.findElement(By.id("dt-comment")).sendKeys("database upgrade");
    b.findElement(By.id("dt-submit")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                b.findElements(By.cssSelector("#downtimes td")).stream()
                    .anyMatch(td -> td.getText().equals("database upgrade")));
    rig.screenshot("downtime");

    // Service status with a filter.
    open(b, "#/services?status=problems", "#services tbody tr");
    assertThat(b.findElements(By.cssSelector("#services tbody tr"))).hasSize(2);
    rig.screenshot("services");

    // Host detail: services, history, and a graph with points and threshold lines.
    open(b, "#/host/web-1", "#host-services");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !b.findElements(By.cssSelector("#graphs figure.chart[data-points] canvas"))
                    .isEmpty());
    WebElement chart = b.findElement(By.cssSelector("#graphs figure.chart[data-points]"));
    assertThat(Integer.parseInt(chart.getAttribute("data-points"))).isGreaterThanOrEqualTo(7);
    assertThat(
            chart.findElements(By.cssSelector(".u-legend .u-series")).stream()
                .map(WebElement::getText)
                .toList())
        .anyMatch(t -> t.contains("critical"));
    waitFor(b, "#events tbody tr");
    rig.screenshot("host-detail");
    b.findElement(By.cssSelector("#graphs button[data-range='7d']")).click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !b.findElements(By.cssSelector("#graphs figure.chart[data-resolution] canvas"))
                    .isEmpty());

    open(b, "#/hosts", "#hosts tbody tr");
    rig.screenshot("hosts");
    open(b, "#/groups", "#group-summary tbody tr");
    rig.screenshot("hostgroup-summary");
    open(b, "#/groups?view=grid", ".tiles .tile");
    rig.screenshot("hostgroup-grid");
    open(b, "#/alerts", "#events tbody tr");
    rig.screenshot("latest-alerts");
    open(b, "#/notifications", "#notifications");
    rig.screenshot("notifications");
    open(b, "#/backups", "#backups tbody tr");
    assertThat(b.findElement(By.cssSelector("#backups tbody tr")).getText())
        .as("failures first")
        .contains("home")
        .contains("CRITICAL");
    rig.screenshot("backups");

    assertThat(severe(b)).as("console errors").isEmpty();

    // The kiosk link logs a viewer in from the fragment, drops it from the URL, hides controls.
    ChromeDriver k = rig.browser();
    b.findElement(By.id("logout")).click();
    waitFor(b, "#login");
    k.get(rig.base() + "/#token=" + rig.roleToken("viewer"));
    waitFor(k, "#unhandled");
    waitFor(k, "#counts #count-ok");
    assertThat(k.getCurrentUrl()).doesNotContain("token");
    assertThat(k.findElements(By.cssSelector("button")).stream().filter(WebElement::isDisplayed))
        .as("no control is shown in kiosk mode")
        .isEmpty();
    assertThat(k.findElements(By.cssSelector("#handled tr[data-key]")))
        .as("the acknowledged and downtime problems")
        .hasSize(2);
    rig.screenshot("kiosk");
    assertThat(severe(k)).as("console errors").isEmpty();

    // The screen survives a collector restart: it reconnects and shows what happened meanwhile.
    rig.restart();
    long later = System.currentTimeMillis();
    rig.report(
        "db-1",
        List.of("db"),
        later,
        List.of(result("Backup age", Status.CRITICAL, "CRITICAL - last backup 3 days ago", later)),
        List.of());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                !k.findElements(
                        By.cssSelector(
                            "#handled tr[data-key='db-1/Backup age'],"
                                + " #unhandled tr[data-key='db-1/Backup age']"))
                    .isEmpty());
  }

  /** Clicks, again if a live update replaced the element in between (the tables re-render). */
  private static void click(ChromeDriver b, String css) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
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
