package io.custos.agent.check;

/**
 * A check whose verdict is a rate between two runs (CPU, disk, network). {@code custos-agent check}
 * runs from cron has no earlier run, so it takes a first sample through {@link #sample}, waits a
 * moment, and then runs the check, instead of reporting "first sample".
 */
public interface RateCheck extends Check {
  /**
   * Takes a sample of the counters without reporting, so that the next {@link #run} has a rate.
   *
   * @throws Exception as {@link #run} does
   */
  void sample(CheckContext context) throws Exception;
}
