package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.BackupPage;
import io.custos.collector.store.BackupRecord;
import io.custos.collector.store.TokenOwner;
import io.custos.common.wire.Status;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

/**
 * {@code GET /api/v1/backups?node=&set=&result=&limit=&offset=}, operator or admin token: the
 * backup catalog, every backup run the agents reported, newest first (by start time). {@code node}
 * and {@code set} keep one node and one backup set; {@code result} keeps one result ({@code ok},
 * {@code critical}, any case). Paginated ({@link Page}); the store pages, so a large catalog is
 * never read whole.
 */
final class BackupsHandler implements Handler {
  private final StatusBoard board;

  BackupsHandler(StatusBoard board) {
    this.board = board;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) throws HttpError {
    boolean text = Formats.wantsText(request);
    Page page = Page.of(request);
    String node = Params.text(request, "node");
    String set = Params.text(request, "set");
    Status result = result(request);
    BackupPage found = board.store().backups(node, set, result, page.limit(), page.offset());
    Response r;
    if (text) {
      ZoneId zone = board.clock().getZone();
      TextTable t =
          new TextTable(
              "Node",
              "Set",
              "Level",
              "Archive",
              "Result",
              "Size",
              "Files",
              "Started",
              "Duration",
              "Message");
      for (BackupRecord b : found.backups()) {
        t.add(
            b.node(),
            b.set(),
            b.level(),
            b.archive() == null ? "-" : b.archive(),
            b.result().name(),
            size(b.bytes()),
            Long.toString(b.files()),
            Formats.localTime(b.started(), zone),
            Params.human(b.finished() - b.started()),
            TextTable.truncate(b.message(), ServicesHandler.MAX_OUTPUT));
      }
      r = Response.text(200, t.render());
    } else {
      ArrayNode out = Response.mapper().createArrayNode();
      for (BackupRecord b : found.backups()) {
        ObjectNode o = out.addObject();
        o.put("node", b.node());
        o.put("set", b.set());
        o.put("level", b.level());
        o.put("archive", b.archive());
        o.put("result", b.result().name());
        o.put("bytes", b.bytes());
        o.put("files", b.files());
        o.put("started", b.started());
        o.put("started_iso", Instant.ofEpochMilli(b.started()).toString());
        o.put("finished", b.finished());
        o.put("finished_iso", Instant.ofEpochMilli(b.finished()).toString());
        o.put("duration_ms", b.finished() - b.started());
        o.put("message", b.message());
        o.put("received", b.received());
      }
      r = Response.json(200, out);
    }
    return page.headers(r, request, found.total());
  }

  /**
   * A size for people, in the binary units of configuration sizes ({@code 64MB} is 64 MiB): {@code
   * 512B}, {@code 1.5KB}, {@code 249.6MB}.
   */
  static String size(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    if (bytes < 1024) {
      return bytes + "B";
    }
    double v = bytes;
    int i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f%s", v, units[i]);
  }

  private static Status result(Request request) throws HttpError {
    String v = Params.text(request, "result");
    if (v == null) {
      return null;
    }
    try {
      return Status.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(
          400,
          "result: expected ok|warning|critical|unknown, got \"" + request.query("result") + "\"");
    }
  }
}
