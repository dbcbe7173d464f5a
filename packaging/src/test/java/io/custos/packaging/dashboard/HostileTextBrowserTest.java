package io.custos.packaging.dashboard;

import static io.custos.packaging.dashboard.DashboardRig.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

/**
 * Text no page may choke on or be fooled by (issue 21), in Debian's headless Chromium: a result
 * whose output is 1 MiB of one unbroken word (stored whole: the collector here keeps up to 1 MB, as
 * if it had been stored before the cut at ingest existed), and bidi overrides in a service name and
 * an output. Each page must render the row, stay interactive and keep the text within the window;
 * the assertions are on what the page shows, not on how long it took.
 */
class HostileTextBrowserTest {
  private static final String WORD = "A".repeat(1 << 20);

  @TempDir Path dir;
  private DashboardRig rig;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        DashboardRig.chromiumPresent(),
        "needs the Debian packages chromium and chromium-driver (/usr/bin/chromium,"
            + " /usr/bin/chromedriver)");
    Awaitility.ignoreExceptionsByDefault();
    rig = new DashboardRig(dir, "limits: { output_size: 1MB }\n");
    long now = System.currentTimeMillis();
    rig.report(
        "web-1",
        List.of("web"),
        now,
        List.of(
            result("Huge", Status.CRITICAL, "CRITICAL " + WORD, now),
            result("Disk \u202E/var", Status.WARNING, "WARNING \u202Etxt.exe", now)),
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
  void aOneMebibyteOutputAndBidiOverridesRenderBoundedOnEveryPage() throws Exception {
    ChromeDriver b = rig.browser();
    b.get(rig.base() + "/");
    waitFor(b, "#login");
    b.findElement(By.id("token")).sendKeys(rig.roleToken("operator"));
    b.findElement(By.id("login-submit")).click();

    waitFor(b, "#unhandled tr[data-key='web-1/Huge'] td.out");
    assertBounded(b, "#unhandled tr[data-key='web-1/Huge'] td.out");
    assertNeutralised(b, "#unhandled");

    open(b, "#/services", "#services tr[data-key='web-1/Huge'] td.out");
    assertBounded(b, "#services tr[data-key='web-1/Huge'] td.out");
    assertNeutralised(b, "#services");

    open(b, "#/host/web-1", "#host-services tr[data-key='web-1/Huge'] td.out");
    assertBounded(b, "#host-services tr[data-key='web-1/Huge'] td.out");
    // The event history keeps the state change with the whole output.
    waitFor(b, "#events tbody tr td.out");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (WebElement td : b.findElements(By.cssSelector("#events tbody td.out"))) {
                assertThat(td.getText().length()).isLessThan(11_000);
              }
            });
    assertNeutralised(b, "#events");

    open(b, "#/alerts", "#events tbody tr");
    assertNeutralised(b, "#events");

    // Interactive: the page still answers clicks and navigation after all that text.
    open(b, "#/hosts", "#hosts tbody tr");
  }

  /** The cell shows at most 10,000 characters, says how many it left out, fits the window. */
  private static void assertBounded(ChromeDriver b, String css) {
    // Tables re-render on live updates: an element read mid-way can go stale; read it again.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> checkBounded(b, css));
  }

  private static void checkBounded(ChromeDriver b, String css) {
    WebElement td = b.findElement(By.cssSelector(css));
    // The operations screen marks a first-attempt problem "SOFT 1/3" ahead of its output.
    String text = td.getText().replaceFirst("^SOFT \\d+/\\d+\\s*", "");
    assertThat(text).startsWith("CRITICAL AAAA").contains("more characters not shown]");
    assertThat(text.length()).isLessThan(10_100);
    Object fits =
        ((JavascriptExecutor) b)
            .executeScript(
                "const r = arguments[0].getBoundingClientRect();"
                    + " return r.right <= document.documentElement.clientWidth;",
                td);
    assertThat(fits).as("%s wraps within the window", css).isEqualTo(true);
  }

  /** No bidi override reaches the page as such: it is shown as <U+202E>. */
  private static void assertNeutralised(ChromeDriver b, String css) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> checkNeutralised(b, css));
  }

  private static void checkNeutralised(ChromeDriver b, String css) {
    String text = b.findElement(By.cssSelector(css)).getText();
    assertThat(text).doesNotContain("\u202E");
    if (text.contains("txt.exe")) {
      assertThat(text).contains("WARNING <U+202E>txt.exe");
    }
  }

  private static void open(ChromeDriver b, String hash, String css) {
    ((JavascriptExecutor) b).executeScript("location.hash = arguments[0]", hash);
    waitFor(b, css);
  }

  private static void waitFor(ChromeDriver b, String css) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !b.findElements(By.cssSelector(css)).isEmpty());
  }
}
