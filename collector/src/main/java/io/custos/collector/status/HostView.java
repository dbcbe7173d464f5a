package io.custos.collector.status;

import java.util.List;

/**
 * A host as the API shows it, evaluated at one instant.
 *
 * @param name node name
 * @param state UP, DOWN or UNREACHABLE (see {@link Topology})
 * @param agent agent name and version
 * @param tags host groups
 * @param intervalS report interval, seconds
 * @param firstSeen first report, epoch ms
 * @param lastReport last report, epoch ms (collector clock)
 * @param since when the current UP/DOWN state began, epoch ms
 * @param services number of reported services (not counting {@code Host Alive})
 * @param problems how many of them are not OK
 * @param parents its configured parents ({@code hosts.parents}), sorted
 * @param rootCauses when UNREACHABLE, the DOWN hosts that cut it off, sorted; else empty
 * @param blocking when DOWN, the hosts UNREACHABLE because of it (transitively), sorted; else empty
 */
public record HostView(
    String name,
    HostState state,
    String agent,
    List<String> tags,
    int intervalS,
    long firstSeen,
    long lastReport,
    long since,
    int services,
    int problems,
    List<String> parents,
    List<String> rootCauses,
    List<String> blocking) {
  public HostView {
    tags = List.copyOf(tags);
    parents = List.copyOf(parents);
    rootCauses = List.copyOf(rootCauses);
    blocking = List.copyOf(blocking);
  }

  /** True only when the host is UP (DOWN and UNREACHABLE are not). */
  public boolean up() {
    return state == HostState.UP;
  }
}
