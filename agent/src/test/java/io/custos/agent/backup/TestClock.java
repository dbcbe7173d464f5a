package io.custos.agent.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand (UTC). */
public final class TestClock extends Clock {
  private volatile Instant now;

  public TestClock(String iso) {
    this.now = Instant.parse(iso);
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  public void set(String iso) {
    now = Instant.parse(iso);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Instant instant() {
    return now;
  }
}
