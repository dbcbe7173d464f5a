package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import java.util.List;

/**
 * One kind of check, configured and ready to run once per cycle. One check may yield several
 * services (the filesystem check yields one per mount).
 *
 * <p>Failure behaviour: a check may throw; {@link CheckRunner} turns that into an UNKNOWN result
 * for {@link #name()} with the reason as output, and a check that does not return within its
 * timeout into an UNKNOWN "timed out" result. A check should still report what it can, e.g. one
 * UNKNOWN mount among OK ones, rather than throw.
 */
public interface Check {
  /** The registry name of this kind, e.g. {@code filesystem}; sent as {@code check}. */
  String kind();

  /** The service name reported when the check as a whole fails or times out. */
  String name();

  /** Runs the check once. */
  List<CheckResult> run(CheckContext context) throws Exception;
}
