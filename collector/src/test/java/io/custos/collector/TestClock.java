package io.custos.collector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock tests advance by hand instead of sleeping. Thread-safe. */
public final class TestClock extends Clock {
  private volatile Instant now;
  private final ZoneId zone;

  public TestClock(Instant start, ZoneId zone) {
    this.now = start;
    this.zone = zone;
  }

  public TestClock(Instant start) {
    this(start, ZoneId.of("UTC"));
  }

  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new TestClock(now, z);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
