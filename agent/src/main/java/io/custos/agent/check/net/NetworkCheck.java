package io.custos.agent.check.net;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.LostSample;
import io.custos.agent.check.RateCheck;
import io.custos.agent.check.os.Interfaces;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Network saturation: receive and transmit rates between two runs as a share of the link speed,
 * from {@code <root>/sys/class/net/<if>/statistics/{rx,tx}_bytes} and {@code speed}. See {@link
 * NetworkConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: network, critical: 100%, for: 15m }
 * }</pre>
 *
 * <p>Service {@code Network}, the worst direction of the worst interface: {@code NETWORK CRITICAL -
 * eno1 RX 100.0% of 1000Mb/s; eno1 TX 10.0%}. Metrics per interface ({@code interface} label):
 * {@code network_receive_bytes_per_second}, {@code network_transmit_bytes_per_second}, {@code
 * network_receive_percent}, {@code network_transmit_percent}. An interface without a known speed
 * (down, virtual, or a driver's "unknown" speed such as 65535) has rates but no percentage. The
 * first run has no rate yet and is OK "first sample"; a counter that went backwards is a lost
 * sample (see {@link LostSample}).
 *
 * <p>Failure behaviour: unreadable counters skip that interface; a configured interface that is
 * missing is UNKNOWN naming it.
 */
public final class NetworkCheck implements RateCheck {
  private final NetworkConfig config;
  private final LostSample lost = new LostSample();
  private Map<String, long[]> previous;
  private long previousTime;

  public NetworkCheck(NetworkConfig config) {
    this.config = config;
  }

  @Override
  public String kind() {
    return "network";
  }

  @Override
  public String name() {
    return "Network";
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    Path net = context.resolve("sys/class/net");
    List<String> names = new ArrayList<>(config.interfaces());
    if (names.isEmpty()) {
      names.addAll(Interfaces.physical(context.root()));
    }
    // name -> rx bytes, tx bytes, speed Mb/s (-1 unknown); absent when unreadable
    Map<String, long[]> now = new HashMap<>();
    for (String n : names) {
      Path dir = net.resolve(n);
      Long rx = SysText.readLong(dir.resolve("statistics/rx_bytes"));
      Long tx = SysText.readLong(dir.resolve("statistics/tx_bytes"));
      Long speed = SysText.readLong(dir.resolve("speed"));
      if (rx != null && tx != null) {
        now.put(n, new long[] {rx, tx, Interfaces.speedMbps(speed)});
      }
    }
    Map<String, long[]> before = previous;
    long elapsed = context.now() - previousTime;
    previous = now;
    previousTime = context.now();
    String back = before == null ? null : backwards(before, now);
    if (back != null) {
      return List.of(lost.repeat(name(), kind(), back, context.now()));
    }
    CheckResult r = result(names, before, now, elapsed, config, context.now());
    return List.of(before == null ? r : lost.remember(r));
  }

  @Override
  public void sample(CheckContext context) {
    run(context);
  }

  /** Names the first interface whose byte counters went backwards, or null; pure. */
  static String backwards(Map<String, long[]> before, Map<String, long[]> now) {
    for (Map.Entry<String, long[]> e : now.entrySet()) {
      long[] a = before.get(e.getKey());
      if (a != null && (e.getValue()[0] < a[0] || e.getValue()[1] < a[1])) {
        return e.getKey() + " byte counters went backwards, sample lost";
      }
    }
    return null;
  }

  /** The result between two samples {@code elapsedMillis} apart; pure. */
  static CheckResult result(
      List<String> names,
      Map<String, long[]> before,
      Map<String, long[]> now,
      long elapsedMillis,
      NetworkConfig config,
      long time) {
    if (before == null || elapsedMillis <= 0) {
      return new CheckResult(
          "Network",
          "network",
          Status.OK,
          "NETWORK OK - first sample of "
              + names.size()
              + " interfaces, the rate comes with the"
              + " next run",
          time,
          List.of());
    }
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    double seconds = elapsedMillis / 1000.0;
    for (String n : names) {
      long[] a = before.get(n);
      long[] b = now.get(n);
      if (b == null) {
        status = status.worse(Status.UNKNOWN);
        problems.add(n + " has no readable counters");
        continue;
      }
      if (a == null || b[0] < a[0] || b[1] < a[1]) {
        continue;
      }
      Map<String, String> label = Map.of("interface", n);
      double[] rate = {(b[0] - a[0]) / seconds, (b[1] - a[1]) / seconds};
      metrics.add(Metric.of("network_receive_bytes_per_second", label, rate[0], "B"));
      metrics.add(Metric.of("network_transmit_bytes_per_second", label, rate[1], "B"));
      if (b[2] <= 0) {
        fine.add(n + " speed unknown");
        continue;
      }
      String[] dir = {"RX", "TX"};
      String[] metric = {"network_receive_percent", "network_transmit_percent"};
      for (int i = 0; i < 2; i++) {
        double pct = Math.min(100, Levels.round1(rate[i] * 8 * 100 / (b[2] * 1_000_000.0)));
        metrics.add(
            new Metric(
                metric[i],
                label,
                pct,
                "%",
                config.warning().value(),
                config.critical().value(),
                0.0,
                100.0));
        Status s = Levels.ofUsedPercent(pct, config.warning(), config.critical());
        status = status.worse(s);
        if (s == Status.OK) {
          fine.add(n + " " + dir[i] + " " + Levels.pct1(pct));
        } else {
          problems.add(n + " " + dir[i] + " " + Levels.pct1(pct) + " of " + b[2] + "Mb/s");
        }
      }
    }
    String text =
        problems.isEmpty()
            ? (fine.isEmpty() ? "no interfaces" : String.join(", ", fine))
            : String.join(", ", problems) + (fine.isEmpty() ? "" : "; " + String.join(", ", fine));
    return new CheckResult(
        "Network", "network", status, "NETWORK " + status + " - " + text, time, metrics);
  }
}
