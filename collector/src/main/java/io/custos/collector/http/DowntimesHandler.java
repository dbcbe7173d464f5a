package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.alert.Downtime;
import io.custos.collector.alert.Weekly;
import io.custos.collector.store.TokenOwner;
import io.custos.common.units.Durations;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Scheduled downtimes, operator token.
 *
 * <ul>
 *   <li>{@code POST /api/v1/downtimes}: {@code host} or {@code group}, optional {@code service};
 *       one-off with {@code start} (default now) and {@code end} or {@code duration} ({@code 2h}),
 *       or recurring with {@code weekly} ({@code "sun 01:00-03:00"}, optionally bounded by start
 *       and end); {@code author}, {@code comment}. Times are epoch ms or ISO-8601 ({@code
 *       2026-11-29T01:00:00Z}). 201 with the downtime; 400 naming any other field (a typo such as
 *       {@code servcie} must not widen it to the whole host); 404 for a host that has never
 *       reported or a service it does not have (a misspelt name would cover nothing).
 *   <li>{@code GET /api/v1/downtimes}: all, with {@code active} now; {@code ?format=text} a table.
 *   <li>{@code DELETE /api/v1/downtimes/{id}}: 200, or 404.
 *   <li>{@code GET /api/v1/downtimes}: every downtime, paginated ({@link Page}).
 * </ul>
 */
final class DowntimesHandler {
  private final io.custos.collector.alert.AlertEngine engine;
  private final Clock clock;

  DowntimesHandler(io.custos.collector.alert.AlertEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  Response create(Request request, TokenOwner caller) throws HttpError {
    BodyFields f =
        BodyFields.parse(
            request,
            "host",
            "group",
            "service",
            "start",
            "end",
            "duration",
            "weekly",
            "author",
            "comment");
    long now = clock.millis();
    Weekly weekly = null;
    if (f.get("weekly") != null) {
      try {
        weekly = Weekly.parse(f.get("weekly"));
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "weekly: " + e.getMessage());
      }
    }
    long start =
        f.get("start") == null ? (weekly == null ? now : 0) : time("start", f.get("start"));
    long end;
    if (f.get("end") != null) {
      end = time("end", f.get("end"));
    } else if (f.get("duration") != null) {
      try {
        end = start + Durations.parse(f.get("duration")).toMillis();
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "duration: " + e.getMessage());
      }
    } else if (weekly != null) {
      end = Long.MAX_VALUE;
    } else {
      throw new HttpError(400, "end: required (or duration, or weekly)");
    }
    String author = f.get("author") == null ? caller.role().id() : f.get("author");
    Downtime d;
    try {
      d =
          new Downtime(
              0,
              f.get("host"),
              f.get("service"),
              f.get("group"),
              start,
              end,
              weekly,
              author,
              f.get("comment"));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    if (d.host() != null) {
      // A misspelt name would give a downtime that covers nothing while the operator believes
      // the maintenance silenced: refused, as an ack of an unknown service is.
      java.util.Optional<String> unknown = engine.unknownTarget(d.host(), d.service());
      if (unknown.isPresent()) {
        throw new HttpError(404, unknown.get());
      }
    }
    return Response.json(201, json(engine.addDowntime(d), now));
  }

  Response list(Request request, TokenOwner caller) throws HttpError {
    long now = clock.millis();
    Page page = Page.of(request);
    List<Downtime> all = engine.downtimes();
    List<Downtime> rows = page.slice(all);
    if (Formats.wantsText(request)) {
      TextTable t =
          new TextTable("Id", "Host/Group", "Service", "When", "Active", "Author", "Comment");
      for (Downtime d : rows) {
        t.add(
            Long.toString(d.id()),
            d.host() != null ? d.host() : "group " + d.group(),
            d.service() == null ? "(all)" : d.service(),
            d.weekly() != null
                ? "weekly " + d.weekly().text()
                : Formats.localTime(d.start(), clock.getZone())
                    + " - "
                    + Formats.localTime(d.end(), clock.getZone()),
            d.activeAt(now, clock.getZone()) ? "yes" : "no",
            d.author(),
            d.comment());
      }
      return page.headers(Response.text(200, t.render()), request, all.size());
    }
    ArrayNode out = Response.mapper().createArrayNode();
    for (Downtime d : rows) {
      out.add(json(d, now));
    }
    return page.headers(Response.json(200, out), request, all.size());
  }

  Response delete(Request request, TokenOwner caller) throws HttpError {
    long id = BodyFields.pathId(request);
    BodyFields.parse(request);
    if (!engine.deleteDowntime(id)) {
      throw new HttpError(404, "no downtime " + id);
    }
    return Response.json(200, Map.of("deleted", true, "id", id));
  }

  private ObjectNode json(Downtime d, long now) {
    ObjectNode o = Response.mapper().createObjectNode();
    o.put("id", d.id());
    o.put("host", d.host());
    o.put("service", d.service());
    o.put("group", d.group());
    o.put("start", d.start());
    if (d.end() != Long.MAX_VALUE) {
      o.put("end", d.end());
    } else {
      o.putNull("end");
    }
    o.put("weekly", d.weekly() == null ? null : d.weekly().text());
    o.put("author", d.author());
    o.put("comment", d.comment());
    o.put("active", d.activeAt(now, clock.getZone()));
    return o;
  }

  static long time(String field, String text) throws HttpError {
    if (text.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(text);
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new HttpError(
          400,
          field
              + ": expected epoch ms or ISO-8601 such as 2026-11-29T01:00:00Z, got \""
              + text
              + "\"");
    }
  }
}
