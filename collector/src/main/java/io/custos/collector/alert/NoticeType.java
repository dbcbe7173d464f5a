package io.custos.collector.alert;

/** Kinds of notification, named as Nagios names them in {@code $NOTIFICATIONTYPE$}. */
public enum NoticeType {
  PROBLEM,
  RECOVERY,
  ACKNOWLEDGEMENT,
  FLAPPINGSTART,
  FLAPPINGSTOP,
  DOWNTIMESTART,
  DOWNTIMEEND,
  DOWNTIMECANCELLED;

  /** True for the notices about a downtime itself. */
  public boolean isDowntime() {
    return this == DOWNTIMESTART || this == DOWNTIMEEND || this == DOWNTIMECANCELLED;
  }
}
