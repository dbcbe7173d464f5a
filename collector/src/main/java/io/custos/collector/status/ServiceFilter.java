package io.custos.collector.status;

import io.custos.common.wire.Status;
import java.util.Locale;

/**
 * Which rows of the service table to show: {@code status=problems|ok|warning|critical|unknown|all}
 * and an optional exact host name.
 *
 * @param status one status, or null for the {@code problems}/{@code all} selections
 * @param problemsOnly true for {@code problems}: everything not OK
 * @param host only this host, or null for all
 */
public record ServiceFilter(Status status, boolean problemsOnly, String host) {

  /** Everything. */
  public static final ServiceFilter ALL = new ServiceFilter(null, false, null);

  /**
   * Parses query parameters; null means not given.
   *
   * @throws IllegalArgumentException whose message starts with {@code status: } for a bad value
   */
  public static ServiceFilter parse(String status, String host) {
    String h = host == null || host.isBlank() ? null : host;
    if (status == null || status.isBlank() || status.equals("all")) {
      return new ServiceFilter(null, false, h);
    }
    if (status.equals("problems")) {
      return new ServiceFilter(null, true, h);
    }
    for (Status s : Status.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(status.toLowerCase(Locale.ROOT))) {
        return new ServiceFilter(s, false, h);
      }
    }
    throw new IllegalArgumentException(
        "status: expected problems|unhandled|ok|warning|critical|unknown|all, got \""
            + status
            + "\"");
  }

  /** True if {@code row} passes this filter. */
  public boolean matches(ServiceView row) {
    if (host != null && !host.equals(row.host())) {
      return false;
    }
    if (problemsOnly) {
      return row.status().isProblem();
    }
    return status == null || status == row.status();
  }
}
