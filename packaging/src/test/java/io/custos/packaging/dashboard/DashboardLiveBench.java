package io.custos.packaging.dashboard;

import static org.awaitility.Awaitility.await;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 24's figures, run by {@code bench/dashboard-bench.sh} (never by {@code mvn verify}):
 *
 * <ul>
 *   <li>10,000 problems: the operations screen's first render (the {@code custos-ops-rendered}
 *       mark, ms after navigation start, median of 3 loads after one warm-up) and whether the count
 *       it shows equals the server's total (nothing cut off);
 *   <li>live load: 300 hosts × 25 services, reports changing 150 services a second (the rate is
 *       counted on a stream of our own, not assumed) for 30 s, with the operations screen open: the
 *       browser main thread's busy share (Chrome's {@code TaskDuration} over wall time, from the
 *       DevTools protocol's {@code Performance.getMetrics}), its longest task ({@code longtask}
 *       entries), and the time from posting a report with a new CRITICAL to its row being in the
 *       page (a {@code MutationObserver}, wall clock of this machine; p50 and max).
 * </ul>
 *
 * Every state is hard at once ({@code max_attempts: 1}) so a pushed CRITICAL sorts to the top.
 * Writes {@code target/dashboard-live-bench.txt}.
 */
@EnabledIfSystemProperty(named = "custos.bench.dashboard", matches = "true")
class DashboardLiveBench {
  private static final String HARD = "defaults: { max_attempts: 1 }\n";

  @TempDir Path dir;

  @Test
  void tenThousandProblemsAndLiveLoad() throws Exception {
    Assumptions.assumeTrue(
        DashboardRig.chromiumPresent(), "needs the Debian packages chromium and chromium-driver");
    StringBuilder out = new StringBuilder();
    tenThousand(out);
    live(out);
    out.append("load average: ")
        .append(Files.readString(Path.of("/proc/loadavg")).trim())
        .append('\n');
    Files.writeString(Path.of("target/dashboard-live-bench.txt"), out);
    System.out.print(out);
  }

  private void tenThousand(StringBuilder out) throws Exception {
    try (DashboardRig rig = new DashboardRig(Files.createDirectories(dir.resolve("10k")), HARD)) {
      long now = System.currentTimeMillis();
      int problems = 0;
      for (int h = 0; h < 480; h++) {
        List<CheckResult> results = new ArrayList<>();
        for (int s = 0; s < 25; s++) {
          int n = h * 25 + s;
          Status st =
              n % 10 == 9
                  ? Status.OK
                  : n % 3 == 0 ? Status.CRITICAL : n % 3 == 1 ? Status.WARNING : Status.UNKNOWN;
          problems += st == Status.OK ? 0 : 1;
          results.add(DashboardRig.result("Service " + s, st, st + " - synthetic " + n, now));
        }
        rig.report(String.format("host-%04d", h), List.of("g" + h % 20), now, results, List.of());
      }
      ChromeDriver b = login(rig);
      List<Double> marks = new ArrayList<>();
      List<Double> data = new ArrayList<>();
      String shown = "";
      for (int i = 0; i <= 3; i++) {
        b.get(rig.base() + "/");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> !b.findElements(By.cssSelector("body[data-ops-rendered]")).isEmpty());
        if (i > 0) {
          marks.add(
              ((Number)
                      ((JavascriptExecutor) b)
                          .executeScript(
                              "return performance.getEntriesByName('custos-ops-rendered')[0]"
                                  + ".startTime"))
                  .doubleValue());
          data.add(
              ((Number)
                      ((JavascriptExecutor) b)
                          .executeScript(
                              "return performance.getEntriesByName('custos-ops-data')[0]"
                                  + ".startTime"))
                  .doubleValue());
        }
        shown =
            b.findElements(By.id("unhandled-n")).isEmpty()
                ? "(no count)"
                : b.findElement(By.id("unhandled-n")).getText();
      }
      out.append(
          String.format(
              Locale.ROOT,
              "10,000 problems: %d problems reported, the screen heads its list with %s;"
                  + " first render median %.0f ms (min %.0f, max %.0f) over %d loads, of which"
                  + " the list was in at %.0f ms (median)%n",
              problems,
              shown,
              median(marks),
              marks.stream().min(Double::compare).orElseThrow(),
              marks.stream().max(Double::compare).orElseThrow(),
              marks.size(),
              median(data)));
      rig.screenshot("operations-10000-problems");
    }
  }

  private void live(StringBuilder out) throws Exception {
    try (DashboardRig rig = new DashboardRig(Files.createDirectories(dir.resolve("live")), HARD)) {
      int hosts = 300;
      int services = 25;
      long now = System.currentTimeMillis();
      List<List<CheckResult>> fleet = new ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        List<CheckResult> results = new ArrayList<>();
        for (int s = 0; s < services; s++) {
          results.add(result(h, s, 0, now));
        }
        fleet.add(results);
        rig.report(host(h), List.of("g" + h % 12), now, results, List.of());
      }
      ChromeDriver b = login(rig);
      rig.awaitStreamReady();
      JavascriptExecutor js = b;
      js.executeScript(
          "window.__seen = {}; window.__long = [];"
              + "new PerformanceObserver((l) => { for (const e of l.getEntries())"
              + " window.__long.push(e.duration); }).observe({ type: 'longtask' });"
              // A row added alone, or inside a whole new table (a page that rebuilds its tables).
              + "const seen = (n) => { if (n.dataset && n.dataset.key && n.dataset.key.includes("
              + "'/Probe ') && !(n.dataset.key in window.__seen)) window.__seen[n.dataset.key] ="
              + " Date.now(); };"
              + "new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) {"
              + " seen(n); if (n.querySelectorAll) n.querySelectorAll('tr[data-key]').forEach(seen);"
              + " } }).observe(document.getElementById('unhandled'), { childList: true, subtree: true"
              + " });");
      b.executeCdpCommand("Performance.enable", Map.of());
      AtomicLong events = new AtomicLong();
      Thread counter = countEvents(rig, events);
      Map<String, Double> m0 = cdpMetrics(b);
      long wall0 = System.nanoTime();
      long events0 = events.get();
      List<long[]> probes = new ArrayList<>();
      int seconds = 30;
      int tick = 0;
      // Every 100 ms, 3 hosts report with 5 services each changed: 150 changes a second.
      for (long next = System.nanoTime(); tick < seconds * 10; tick++) {
        long t = System.currentTimeMillis();
        for (int k = 0; k < 3; k++) {
          int h = (tick * 3 + k) % hosts;
          List<CheckResult> results = fleet.get(h);
          for (int c = 0; c < 5; c++) {
            int s = (tick + c * 5) % services;
            results.set(s, result(h, s, tick + 1, t));
          }
          if (k == 0 && tick % 10 == 5) {
            results.add(
                DashboardRig.result(
                    "Probe " + tick, Status.CRITICAL, "CRITICAL - pushed at " + t, t));
            probes.add(new long[] {h, tick, System.currentTimeMillis()});
          }
          rig.report(host(h), List.of("g" + h % 12), t, results, List.of());
        }
        next += 100_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      double wall = (System.nanoTime() - wall0) / 1e9;
      Map<String, Double> m1 = cdpMetrics(b);
      double busy = (m1.get("TaskDuration") - m0.get("TaskDuration")) / wall;
      StringBuilder parts = new StringBuilder();
      for (String k :
          List.of("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "ThreadTime")) {
        if (m0.containsKey(k) && m1.containsKey(k)) {
          parts.append(
              String.format(Locale.ROOT, " %s %.1f %%", k, (m1.get(k) - m0.get(k)) / wall * 100));
        }
      }
      long rate = Math.round((events.get() - events0) / wall);
      await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofSeconds(2)).until(() -> true);
      counter.interrupt();
      @SuppressWarnings("unchecked")
      Map<String, Number> seen = (Map<String, Number>) js.executeScript("return window.__seen");
      List<Double> lat = new ArrayList<>();
      int missing = 0;
      for (long[] p : probes) {
        Number at = seen.get(host((int) p[0]) + "/Probe " + p[1]);
        if (at == null) {
          missing++;
        } else {
          lat.add((double) (at.longValue() - p[2]));
        }
      }
      @SuppressWarnings("unchecked")
      List<Number> longTasks = (List<Number>) js.executeScript("return window.__long");
      double longest = longTasks.stream().mapToDouble(Number::doubleValue).max().orElse(0);
      out.append(
          String.format(
              Locale.ROOT,
              "live load: %d hosts x %d services, %d service events/s on the stream for %.0f s;"
                  + " browser main thread busy %.1f %% of the time (of wall time:%s), %d long"
                  + " tasks (longest %.0f ms)%n",
              hosts,
              services,
              rate,
              wall,
              busy * 100,
              parts,
              longTasks.size(),
              longest));
      out.append(
          String.format(
              Locale.ROOT,
              "pushed CRITICAL on screen: %d probes, p50 %.0f ms, max (= p99 at this count) %.0f"
                  + " ms, %d never shown%n",
              probes.size(),
              lat.isEmpty() ? Double.NaN : median(lat),
              lat.stream().max(Double::compare).orElse(Double.NaN),
              missing));
    }
  }

  private static String host(int h) {
    return String.format("node-%03d", h);
  }

  /** Service s of host h at version v: one in ten is a problem; v changes the output's number. */
  private static CheckResult result(int h, int s, int v, long t) {
    int n = h * 25 + s;
    Status st = n % 10 == 3 ? (n % 20 == 3 ? Status.CRITICAL : Status.WARNING) : Status.OK;
    return DashboardRig.result("Service " + s, st, st + " - value " + (n + v * 7) % 1000, t);
  }

  private static ChromeDriver login(DashboardRig rig) {
    ChromeDriver b = rig.browser();
    b.get(rig.base() + "/");
    await().atMost(Duration.ofSeconds(30)).until(() -> !b.findElements(By.id("token")).isEmpty());
    b.findElement(By.id("token")).sendKeys(rig.roleToken("viewer"));
    b.findElement(By.id("login-submit")).click();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !b.findElements(By.cssSelector("body[data-ops-rendered]")).isEmpty());
    return b;
  }

  /**
   * Chrome's renderer metrics in seconds (DevTools protocol {@code Performance.getMetrics}):
   * TaskDuration (the main thread busy, wall time), ScriptDuration, LayoutDuration,
   * RecalcStyleDuration, and ThreadTime (CPU time of the main thread) where this Chrome has it.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Double> cdpMetrics(ChromeDriver b) {
    Map<String, Object> r = b.executeCdpCommand("Performance.getMetrics", Map.of());
    Map<String, Double> out = new java.util.HashMap<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) r.get("metrics")) {
      out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue());
    }
    if (!out.containsKey("TaskDuration")) {
      throw new IllegalStateException("no TaskDuration in " + r);
    }
    return out;
  }

  /** Counts {@code event: service} lines on a stream of our own, in a daemon thread. */
  private static Thread countEvents(DashboardRig rig, AtomicLong events) {
    Thread t =
        new Thread(
            () -> {
              try {
                HttpResponse<Stream<String>> r =
                    HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(URI.create(rig.base() + "/api/v1/stream"))
                                .header("Authorization", "Bearer " + rig.roleToken("viewer"))
                                .build(),
                            HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = r.body()) {
                  lines
                      .filter(l -> l.equals("event: service"))
                      .forEach(l -> events.incrementAndGet());
                }
              } catch (Exception e) {
                // the rig closed the collector, or the test is over
              }
            },
            "event-counter");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    return s.get(s.size() / 2);
  }
}
