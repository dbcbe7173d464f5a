package io.custos.collector.status;

import java.util.List;

/**
 * A host as the API shows it, evaluated at one instant.
 *
 * @param name node name
 * @param up false once it has been silent for {@code absent_after} of its intervals
 * @param agent agent name and version
 * @param tags host groups
 * @param intervalS report interval, seconds
 * @param firstSeen first report, epoch ms
 * @param lastReport last report, epoch ms (collector clock)
 * @param since when the current UP/DOWN state began, epoch ms
 * @param services number of reported services (not counting {@code Host Alive})
 * @param problems how many of them are not OK
 */
public record HostView(
    String name,
    boolean up,
    String agent,
    List<String> tags,
    int intervalS,
    long firstSeen,
    long lastReport,
    long since,
    int services,
    int problems) {
  public HostView {
    tags = List.copyOf(tags);
  }
}
