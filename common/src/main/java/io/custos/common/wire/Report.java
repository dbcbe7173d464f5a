package io.custos.common.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one agent sends in one push: the results of one check cycle, plus finished backups. The
 * collector stores a given ({@code node}, {@code seq}) once, so a replayed spool never duplicates.
 *
 * @param v wire format version, {@link #VERSION}
 * @param node the reporting node's name; the collector accepts it only with that node's token
 * @param agent agent name and version, {@code custos-agent/0.1.0}
 * @param seq per-node sequence number, strictly increasing across restarts of the agent
 * @param sent when the report was built, UTC epoch ms
 * @param intervalS the agent's check interval in seconds; the collector uses it to decide when a
 *     silent host is DOWN
 * @param tags host groups declared by the agent
 * @param results check results; one check reports one service once: two results with the same
 *     {@code service} and {@code check} are refused (a {@link WireException} naming the second,
 *     which the collector answers with 400), as they would overwrite each other
 * @param backups finished backup runs
 */
public record Report(
    int v,
    String node,
    String agent,
    long seq,
    long sent,
    @JsonProperty("interval_s") int intervalS,
    List<String> tags,
    List<CheckResult> results,
    List<BackupEvent> backups) {

  /** The only wire format version this build reads and writes. */
  public static final int VERSION = 1;

  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  public Report {
    if (v != VERSION) {
      throw new WireException(
          "v", "unsupported wire format version " + v + ", expected " + VERSION);
    }
    if (node == null || !NODE.matcher(node).matches()) {
      throw new WireException(
          "node", "expected a host name ([A-Za-z0-9][A-Za-z0-9._-]*), got " + quote(node));
    }
    if (agent == null || agent.isBlank()) {
      throw new WireException("agent", "expected a non-empty string");
    }
    if (seq < 0) {
      throw new WireException("seq", "must not be negative, got " + seq);
    }
    if (sent <= 0) {
      throw new WireException("sent", "expected UTC epoch milliseconds, got " + sent);
    }
    if (intervalS <= 0) {
      throw new WireException("interval_s", "must be positive, got " + intervalS);
    }
    tags = tags == null ? List.of() : List.copyOf(tags);
    results = results == null ? List.of() : List.copyOf(results);
    requireOneResultPerService(results);
    backups = backups == null ? List.of() : List.copyOf(backups);
  }

  private static void requireOneResultPerService(List<CheckResult> results) {
    java.util.Map<String, Integer> first = new java.util.HashMap<>();
    for (int i = 0; i < results.size(); i++) {
      CheckResult r = results.get(i);
      Integer before = first.putIfAbsent(r.check() + "\u0000" + r.service(), i);
      if (before != null) {
        throw new WireException(
            "results[" + i + "].service",
            quote(r.service())
                + " from check "
                + r.check()
                + " repeats results["
                + before
                + "]: one check reports one service once");
      }
    }
  }

  /** Validates a node name as {@link Report} does; returns it. */
  public static String requireNodeName(String node) {
    if (node == null || !NODE.matcher(node).matches()) {
      throw new WireException(
          "node", "expected a host name ([A-Za-z0-9][A-Za-z0-9._-]*), got " + quote(node));
    }
    return node;
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
