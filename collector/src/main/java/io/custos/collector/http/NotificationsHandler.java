package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.TokenOwner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/notifications?since=&host=&result=&limit=&offset=}, any reading token: what
 * became of every notification, newest first — {@code sent}, {@code failed} or {@code suppressed},
 * with type ({@code PROBLEM}, {@code RECOVERY}…), channel ({@code email}, {@code webhook:1}; null
 * when none was tried), reason or the transport's answer, time, host, service and status. Read from
 * the alert notes of the event history; {@code since} as in {@link Params#time}, default 7 days
 * ago; {@code result} keeps one result. Paginated ({@link Page}). The recipient is the channel's
 * configured one (not repeated per row; {@code recipient} is present when the transport's answer
 * names it).
 */
final class NotificationsHandler {
  private static final long DEFAULT_SINCE_MS = 7 * 24 * 3_600_000L;
  private static final Pattern SENT =
      Pattern.compile("(\\S+) sent via (\\S+): (.*)", Pattern.DOTALL);
  private static final Pattern FAILED =
      Pattern.compile("(\\S+) FAILED via (\\S+) ?(.*?): (.*)", Pattern.DOTALL);
  private static final Pattern NOT_SENT_VIA =
      Pattern.compile("(\\S+) not sent via (\\S+): (.*)", Pattern.DOTALL);
  private static final Pattern NOT_SENT = Pattern.compile("(\\S+) not sent: (.*)", Pattern.DOTALL);
  private static final Pattern SUPPRESSED =
      Pattern.compile("(\\S+) suppressed: (.*)", Pattern.DOTALL);
  private static final Pattern RECIPIENT = Pattern.compile("-> (.+)$");

  /** One notification's fate, parsed from an alert note. */
  record Outcome(String type, String result, String channel, String reason) {}

  private final StatusBoard board;

  NotificationsHandler(StatusBoard board) {
    this.board = board;
  }

  /** The outcome an alert note records, or null when it is about something else. */
  static Outcome parse(String note) {
    Matcher m;
    if ((m = SENT.matcher(note)).matches()) {
      return new Outcome(m.group(1), "sent", m.group(2), m.group(3));
    }
    if ((m = FAILED.matcher(note)).matches()) {
      String why = m.group(3).isBlank() ? m.group(4) : m.group(4) + " " + m.group(3).strip();
      return new Outcome(m.group(1), "failed", m.group(2), why);
    }
    if ((m = NOT_SENT_VIA.matcher(note)).matches()) {
      return new Outcome(m.group(1), "suppressed", m.group(2), m.group(3));
    }
    if ((m = NOT_SENT.matcher(note)).matches()) {
      return new Outcome(m.group(1), "suppressed", null, m.group(2));
    }
    if ((m = SUPPRESSED.matcher(note)).matches()) {
      return new Outcome(m.group(1), "suppressed", null, m.group(2));
    }
    return null;
  }

  Response list(Request request, TokenOwner caller) throws HttpError {
    Page page = Page.of(request);
    long now = board.clock().millis();
    long since = Params.time(request, "since", now, now - DEFAULT_SINCE_MS);
    String host = Params.text(request, "host");
    String result = Params.text(request, "result");
    if (result != null && !List.of("sent", "failed", "suppressed").contains(result)) {
      throw new HttpError(400, "result: expected sent|failed|suppressed, got \"" + result + "\"");
    }
    List<ObjectNode> all = new ArrayList<>();
    for (EventRecord e : board.store().events(host, since)) {
      if (!"alert".equals(e.kind())) {
        continue;
      }
      Outcome o = parse(e.output());
      if (o == null || (result != null && !result.equals(o.result()))) {
        continue;
      }
      ObjectNode n = Response.mapper().createObjectNode();
      n.put("time", e.time());
      n.put("time_iso", Instant.ofEpochMilli(e.time()).toString());
      n.put("host", e.host());
      n.put("service", e.service());
      n.put("status", e.newStatus().name());
      n.put("type", o.type());
      n.put("result", o.result());
      n.put("channel", o.channel());
      Matcher r = RECIPIENT.matcher(o.reason());
      n.put("recipient", r.find() ? r.group(1) : null);
      n.put("reason", o.reason());
      all.add(n);
    }
    // The history is oldest first; the dashboard shows the newest first.
    List<ObjectNode> newestFirst = new ArrayList<>(all);
    Collections.reverse(newestFirst);
    ArrayNode out = Response.mapper().createArrayNode();
    page.slice(newestFirst).forEach(out::add);
    return page.headers(Response.json(200, out), request, newestFirst.size());
  }
}
