package io.custos.collector.alert.notify;

import io.custos.collector.alert.Notice;
import java.util.List;

/**
 * What one notification message says: the notices of one host grouped within {@code group_wait}.
 *
 * @param host the host all notices are about
 * @param subject mail subject, {@code [custos] PROBLEM web01/Filesystem / is CRITICAL}
 * @param body plain text
 * @param notices the notices, at least one
 */
public record Message(String host, String subject, String body, List<Notice> notices) {
  public Message {
    notices = List.copyOf(notices);
  }
}
