package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.util.List;
import java.util.Locale;

/**
 * What a rate check reports when a counter stepped backwards or wrapped between two samples (a
 * restored VM, a driver reload, a 32-bit counter): that sample is lost, not a recovery. The last
 * verdict is reported again, with a note and without metrics, so a {@code for: 15m} hold over a
 * saturated CPU is not reset by one bad sample. Before any verdict it is OK "first sample".
 *
 * <p>Not thread-safe; one instance per check, used from the runner's one thread per check.
 */
public final class LostSample {
  private CheckResult last;

  /** Remembers {@code r} as the last verdict and returns it. */
  public CheckResult remember(CheckResult r) {
    last = r;
    return r;
  }

  /**
   * The result for a lost sample: the last verdict again at {@code now}, its output followed by
   * {@code why}; or OK "first sample" when there is none.
   */
  public CheckResult repeat(String service, String kind, String why, long now) {
    if (last == null) {
      return new CheckResult(
          service,
          kind,
          Status.OK,
          kind.toUpperCase(Locale.ROOT) + " OK - first sample (" + why + ")",
          now,
          List.of());
    }
    return new CheckResult(
        last.service(),
        last.check(),
        last.status(),
        last.output() + " (" + why + "; last verdict kept)",
        last.longOutput(),
        now,
        List.of());
  }
}
