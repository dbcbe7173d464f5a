package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.TokenOwner;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/events?since=&host=&service=&group=&kind=&limit=&offset=}, operator or admin
 * token: the event history, oldest first — status changes ({@code kind: state}: time, host,
 * service, old and new status, output) and the alert engine's notes ({@code kind: alert}:
 * soft/hard, notifications sent, failed or suppressed and why, acknowledgements, flapping). {@code
 * since} takes the forms of {@link Params#time} and defaults to 24 hours ago; {@code group} keeps
 * hosts in that group (tag or configured pattern); {@code kind} keeps one kind. Paginated ({@link
 * Page}).
 */
final class EventsHandler implements Handler {
  private static final long DEFAULT_SINCE_MS = 24 * 3_600_000L;

  private final StatusBoard board;

  EventsHandler(StatusBoard board) {
    this.board = board;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    boolean text = Formats.wantsText(request);
    Page page = Page.of(request);
    long now = board.clock().millis();
    long since = Params.time(request, "since", now, now - DEFAULT_SINCE_MS);
    String host = Params.text(request, "host");
    String service = Params.text(request, "service");
    String group = Params.text(request, "group");
    String kind = Params.text(request, "kind");
    Set<String> inGroup = group == null ? null : hostsIn(group);
    List<EventRecord> all =
        board.store().events(host, since).stream()
            .filter(e -> service == null || service.equals(e.service()))
            .filter(e -> inGroup == null || inGroup.contains(e.host()))
            .filter(e -> kind == null || kind.equals(e.kind()))
            .toList();
    List<EventRecord> rows = page.slice(all);
    Response r;
    if (text) {
      ZoneId zone = board.clock().getZone();
      TextTable t = new TextTable("Time", "Host", "Service", "Kind", "From", "To", "Output");
      for (EventRecord e : rows) {
        t.add(
            Formats.localTime(e.time(), zone),
            e.host(),
            e.service(),
            e.kind(),
            e.oldStatus() == null ? "-" : e.oldStatus().name(),
            e.newStatus().name(),
            TextTable.truncate(e.output(), ServicesHandler.MAX_OUTPUT));
      }
      r = Response.text(200, t.render());
    } else {
      ArrayNode out = Response.mapper().createArrayNode();
      for (EventRecord e : rows) {
        out.add(row(e));
      }
      r = Response.json(200, out);
    }
    return page.headers(r, request, all.size());
  }

  private Set<String> hostsIn(String group) {
    Set<String> out = new HashSet<>();
    for (HostRecord h : board.store().hosts()) {
      if (board.groups().of(h.name(), h.tags()).contains(group)) {
        out.add(h.name());
      }
    }
    return out;
  }

  /** One event as JSON, shared with the live stream's {@code alert} events. */
  static ObjectNode row(EventRecord e) {
    ObjectNode o = Response.mapper().createObjectNode();
    o.put("time", e.time());
    o.put("time_iso", Instant.ofEpochMilli(e.time()).toString());
    o.put("host", e.host());
    o.put("service", e.service());
    o.put("kind", e.kind());
    o.put("old_status", e.oldStatus() == null ? null : e.oldStatus().name());
    o.put("new_status", e.newStatus().name());
    // "status" is the name the alert side's clients read; the same value as new_status.
    o.put("status", e.newStatus().name());
    o.put("output", e.output());
    return o;
  }
}
