package io.custos.packaging.dashboard;

import static org.awaitility.Awaitility.await;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 13's figures, run by {@code bench/dashboard-bench.sh} (never by {@code mvn verify}): the
 * dashboard's page weight (gzip size of every asset under {@code ui/}, uPlot apart) and the first
 * render of the operations screen with 1,000 hosts × 20 services in headless Chromium — the {@code
 * custos-ops-rendered} performance mark, in ms after navigation start, median of 5 loads after one
 * warm-up. Writes {@code target/dashboard-bench.txt}.
 */
@EnabledIfSystemProperty(named = "custos.bench.dashboard", matches = "true")
class DashboardRenderBench {
  private static final int HOSTS = 1000;
  private static final int SERVICES = 20;
  private static final int LOADS = 5;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void pageWeightAndFirstRenderOfTheOperationsScreen() throws Exception {
    Assumptions.assumeTrue(
        DashboardRig.chromiumPresent(), "needs the Debian packages chromium and chromium-driver");
    StringBuilder out = new StringBuilder();
    long[] weight = weight();
    out.append(
        String.format(
            Locale.ROOT,
            "page weight: %d files, %d bytes, %d bytes gzip (uPlot js+css: %d bytes gzip)%n",
            weight[0],
            weight[1],
            weight[2],
            weight[3]));
    try (DashboardRig rig = new DashboardRig(dir)) {
      long now = System.currentTimeMillis();
      long t0 = System.nanoTime();
      int problems = 0;
      for (int h = 0; h < HOSTS; h++) {
        List<CheckResult> results = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
          int n = h * SERVICES + s;
          Status st =
              n % 40 == 7
                  ? Status.CRITICAL
                  : n % 50 == 3 ? Status.WARNING : n % 211 == 5 ? Status.UNKNOWN : Status.OK;
          if (st != Status.OK) {
            problems++;
          }
          results.add(DashboardRig.result("Service " + s, st, st + " - synthetic " + n, now));
        }
        rig.report(String.format("host-%04d", h), List.of("g" + h % 25), now, results, List.of());
      }
      out.append(
          String.format(
              Locale.ROOT,
              "fleet: %d hosts x %d services, %d problems, loaded in %d ms%n",
              HOSTS,
              SERVICES,
              problems,
              (System.nanoTime() - t0) / 1_000_000));
      // Server side alone, no browser: the two requests the operations screen waits on.
      String token = rig.roleToken("viewer");
      for (String path :
          List.of("/api/v1/services?status=problems&limit=10000", "/api/v1/summary")) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i <= LOADS; i++) {
          long t = System.nanoTime();
          HttpResponse<Void> r =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create(rig.base() + path))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  BodyHandlers.discarding());
          if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": HTTP " + r.statusCode());
          }
          if (i > 0) {
            ms.add((System.nanoTime() - t) / 1e6);
          }
        }
        out.append(
            String.format(
                Locale.ROOT,
                "server: GET %s median %.0f ms over %d requests (no browser)%n",
                path,
                median(ms),
                LOADS));
      }
      ChromeDriver b = rig.browser();
      b.get(rig.base() + "/");
      await().atMost(Duration.ofSeconds(30)).until(() -> !b.findElements(By.id("token")).isEmpty());
      b.findElement(By.id("token")).sendKeys(rig.roleToken("viewer"));
      b.findElement(By.id("login-submit")).click();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !b.findElements(By.cssSelector("body[data-ops-rendered]")).isEmpty());
      List<Double> marks = new ArrayList<>();
      List<Double> data = new ArrayList<>();
      List<Double> dom = new ArrayList<>();
      for (int i = 0; i <= LOADS; i++) {
        b.get(rig.base() + "/");
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> !b.findElements(By.cssSelector("body[data-ops-rendered]")).isEmpty());
        Object ms =
            ((JavascriptExecutor) b)
                .executeScript(
                    "return performance.getEntriesByName('custos-ops-rendered')[0].startTime");
        JavascriptExecutor js = b;
        Object d =
            js.executeScript("return performance.getEntriesByName('custos-ops-data')[0].startTime");
        Object r =
            js.executeScript(
                "return performance.getEntriesByName('custos-ops-render')[0].duration");
        if (i > 0) {
          marks.add(((Number) ms).doubleValue());
          data.add(((Number) d).doubleValue());
          dom.add(((Number) r).doubleValue());
        }
      }
      List<Double> sorted = marks.stream().sorted().toList();
      out.append(
          String.format(
              Locale.ROOT,
              "first render of the operations screen: median %.0f ms (min %.0f, max %.0f) over %d loads%n",
              sorted.get(sorted.size() / 2),
              sorted.get(0),
              sorted.get(sorted.size() - 1),
              LOADS));
      out.append(
          String.format(
              Locale.ROOT,
              "  of which: problem list read (custos-ops-data mark) median %.0f ms; building the"
                  + " DOM after the data median %.0f ms%n",
              median(data),
              median(dom)));
      rig.screenshot("operations-1000-hosts");
    }
    out.append("load average: ")
        .append(Files.readString(Path.of("/proc/loadavg")).trim())
        .append('\n');
    Files.writeString(Path.of("target/dashboard-bench.txt"), out);
    System.out.print(out);
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.get(s.size() / 2);
  }

  /** {files, bytes, gzip bytes, uPlot gzip bytes}: every ui/ asset as the collector serves it. */
  private static long[] weight() throws Exception {
    Path ui = Path.of("../collector/src/main/resources/io/custos/collector/ui");
    long[] w = new long[4];
    try (Stream<Path> files = Files.list(ui)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] b = Files.readAllBytes(f);
        w[0]++;
        w[1] += b.length;
        w[2] += gzip(b);
      }
    }
    for (String name : List.of("uPlot.iife.min.js", "uPlot.min.css")) {
      try (InputStream in =
          DashboardRenderBench.class.getResourceAsStream(
              "/META-INF/resources/webjars/uplot/1.6.30/dist/" + name)) {
        w[3] += gzip(in.readAllBytes());
      }
    }
    return w;
  }

  private static long gzip(byte[] b) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
      g.write(b);
    }
    return bos.size();
  }
}
