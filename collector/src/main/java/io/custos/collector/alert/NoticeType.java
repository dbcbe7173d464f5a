package io.custos.collector.alert;

/** Kinds of notification, named as Nagios names them in {@code $NOTIFICATIONTYPE$}. */
public enum NoticeType {
  PROBLEM,
  RECOVERY,
  ACKNOWLEDGEMENT,
  FLAPPINGSTART,
  FLAPPINGSTOP
}
