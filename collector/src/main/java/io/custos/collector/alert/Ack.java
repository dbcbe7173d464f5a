package io.custos.collector.alert;

/**
 * An acknowledgement of a problem, as Nagios keeps it. A non-sticky acknowledgement ends when the
 * service changes to another state; a sticky one lasts until the service recovers to OK (so an
 * acknowledged WARNING that turns CRITICAL stays acknowledged). Either ends on recovery.
 *
 * @param id store id, used by {@code DELETE /api/v1/acks/{id}}
 * @param author who acknowledged
 * @param comment why
 * @param sticky true to survive changes between problem states
 * @param time when, epoch ms
 * @param expires when it ends by itself, epoch ms, as Icinga 2's {@code expiry}; 0 for never
 */
public record Ack(long id, String author, String comment, boolean sticky, long time, long expires) {
  /** An acknowledgement that does not expire. */
  public Ack(long id, String author, String comment, boolean sticky, long time) {
    this(id, author, comment, sticky, time, 0);
  }

  /** True when it has an expiry and {@code now} has reached it. */
  boolean expiredAt(long now) {
    return expires > 0 && now >= expires;
  }
}
