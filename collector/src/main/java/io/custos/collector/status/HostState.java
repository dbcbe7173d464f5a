package io.custos.collector.status;

/**
 * A host's state, with Nagios's words: UP while it reports; DOWN when it has been silent for {@code
 * absent_after} of its intervals and at least one of its parents (if it has any) is UP; UNREACHABLE
 * when it is silent and every parent is DOWN or UNREACHABLE, so that its silence is most likely the
 * parent's fault (Nagios "Network Outages", Icinga 2 dependencies).
 */
public enum HostState {
  UP,
  DOWN,
  UNREACHABLE
}
