package io.custos.collector.alert;

import io.custos.common.wire.Status;

/**
 * Nagios's flap detection ({@code check_for_service_flapping} in {@code base/flapping.c}): the last
 * {@value #HISTORY} statuses give 20 transitions; a transition counts 0.75 when oldest rising
 * linearly to 1.25 when newest, and the sum over 20 is the percent state change. A shorter history
 * (a new service) has fewer transitions but the same divisor, as Nagios's zero-filled array does.
 */
public final class FlapDetector {
  /** States kept, as Nagios's {@code MAX_STATE_HISTORY_ENTRIES}. */
  public static final int HISTORY = 21;

  private static final double LOW = 0.75;
  private static final double HIGH = 1.25;

  private FlapDetector() {}

  /** {@code history} with {@code s} appended, keeping the last {@value #HISTORY}. */
  static String append(String history, Status s) {
    String h = history + letter(s);
    return h.length() > HISTORY ? h.substring(h.length() - HISTORY) : h;
  }

  /** The weighted percent state change of {@code history} (oldest first), 0 to 100. */
  public static double percent(String history) {
    // Align to the newest end, so the newest transition always weighs 1.25.
    int offset = HISTORY - history.length();
    double changes = 0;
    for (int i = 1; i < history.length(); i++) {
      if (history.charAt(i) != history.charAt(i - 1)) {
        int x = i + offset; // 1..20 in Nagios's numbering
        changes += (x - 1) * (HIGH - LOW) / (HISTORY - 2) + LOW;
      }
    }
    return changes * 100.0 / (HISTORY - 1);
  }

  private static char letter(Status s) {
    return s.name().charAt(0);
  }
}
