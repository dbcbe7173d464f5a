package io.custos.packaging.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real collector (in this JVM, real loopback HTTP, real SQLite file) that nodes report to as the
 * agent does ({@code POST /api/v1/reports} with the node's token, the wire format of {@link
 * Report}), and Debian's headless Chromium driven through chromedriver.
 */
final class DashboardRig implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target/screenshots");

  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final WireCodec codec = new WireCodec();
  private final Map<String, String> nodeTokens = new HashMap<>();
  private final Map<String, Long> seqs = new HashMap<>();
  private CollectorConfig config;
  private Collector collector;
  private ChromeDriver browser;

  DashboardRig(Path dir) throws Exception {
    this(dir, "");
  }

  /** With {@code extraYaml} (whole top-level keys, one a line) added to the configuration. */
  DashboardRig(Path dir, String extraYaml) throws Exception {
    this.dir = dir;
    config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: "
                + dir.resolve("collector.db")
                + " }\n"
                + extraYaml,
            "dashboard-test.yml");
    collector = Collector.start(config, Clock.systemUTC());
    config = config.withListen("127.0.0.1:" + collector.port());
  }

  /** Whether the Debian packages chromium and chromium-driver are installed. */
  static boolean chromiumPresent() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  String base() {
    return "http://127.0.0.1:" + collector.port();
  }

  Collector collector() {
    return collector;
  }

  String roleToken(String role) {
    return collector.createRoleToken(role);
  }

  /** A login link (the address {@code token login-link} prints) for a new token of {@code role}. */
  String loginLink(String role) {
    String hash = io.custos.collector.store.Tokens.hash(roleToken(role));
    return base()
        + "/#login="
        + io.custos.collector.http.LoginLinks.create(
            Collector.sessionKeyFile(config), hash, System.currentTimeMillis() + 15 * 60_000L);
  }

  /** Stops the collector and starts a new one on the same port and database file. */
  void restart() {
    collector.close();
    collector = Collector.start(config, Clock.systemUTC());
  }

  /** Sends one report from {@code node}, as its agent would, stamped {@code time}. */
  void report(
      String node, List<String> tags, long time, List<CheckResult> results, List<BackupEvent> b)
      throws Exception {
    report(node, tags, time, results, b, 60);
  }

  /** As above, the agent saying it reports every {@code intervalS} seconds. */
  void report(
      String node,
      List<String> tags,
      long time,
      List<CheckResult> results,
      List<BackupEvent> b,
      int intervalS)
      throws Exception {
    String token = nodeTokens.computeIfAbsent(node, collector::createToken);
    long seq = seqs.merge(node, 1L, Long::sum);
    Report r =
        new Report(
            Report.VERSION, node, "custos-agent/0.1.0", seq, time, intervalS, tags, results, b);
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/reports"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(r)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as("report from %s: %s", node, resp.body()).isBetween(200, 299);
  }

  /**
   * Waits until the collector's live feed has taken its baseline: a stream of our own gets its
   * first line ({@code retry:}) only then, and from then on every change reaches every open stream,
   * the browser's included.
   */
  void awaitStreamReady() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/stream"))
                .header("Authorization", "Bearer " + roleToken("viewer"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    try (java.util.stream.Stream<String> lines = r.body()) {
      assertThat(lines.filter(l -> l.startsWith("retry:")).findFirst()).isPresent();
    }
  }

  static CheckResult ok(String service, long time, Metric... metrics) {
    return new CheckResult(
        service, "test", io.custos.common.wire.Status.OK, "OK - fine", time, List.of(metrics));
  }

  static CheckResult result(
      String service, io.custos.common.wire.Status status, String output, long time) {
    return new CheckResult(service, "test", status, output, time, List.of());
  }

  static Metric load(double value) {
    return new Metric("load1", Map.of(), value, null, 4.0, 8.0, 0.0, null);
  }

  /** Headless Chromium with the flags this machine needs; browser console kept for checking. */
  ChromeDriver browser() {
    if (browser == null) {
      ChromeOptions o = new ChromeOptions();
      o.setBinary(CHROMIUM.toFile());
      o.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1920,1080",
          "--user-data-dir=" + dir.resolve("chromium-profile"));
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
      o.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      browser = new ChromeDriver(service, o);
      browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }
    return browser;
  }

  /**
   * Saves the page as a {@code width}×{@code height} CSS-pixel screen (device scale 1) would show
   * it, as target/screenshots/{name}.png: the wall's own resolution, whatever the window is.
   */
  Path screenshotAt(String name, int width, int height) throws Exception {
    browser.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    try {
      browser.executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + " requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)));");
      return screenshot(name);
    } finally {
      browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  /** Saves the browser's viewport as target/screenshots/{name}.png. */
  Path screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path out = SCREENSHOTS.resolve(name + ".png");
    Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    return out;
  }

  @Override
  public void close() {
    if (browser != null) {
      browser.quit();
    }
    collector.close();
  }
}
