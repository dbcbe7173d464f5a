package io.custos.collector.http;

import io.custos.collector.archive.ArchiveException;
import io.custos.collector.archive.ArchiveIndex;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.store.TokenOwner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read side of the archive store: {@code GET /api/v1/backups/{node}} (catalog), {@code HEAD}
 * and {@code GET /api/v1/backups/{node}/{object}} (whether it is stored; its bytes, with a single
 * {@code Range: bytes=a-b}, RFC 9110 §14). Uploads are {@link ArchiveUploadHandler}'s.
 */
final class ArchivesHandler {
  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
  static final String OCTETS = "application/octet-stream";

  private final ArchiveStore store;

  ArchivesHandler(ArchiveStore store) {
    this.store = store;
  }

  /**
   * The catalog: {@code {"node","archives":[ArchiveIndex...],"total"}}, archives only (manifests
   * are named by their archive), newest first, {@code ?set=} filter, {@code limit} (default 100, at
   * most 1000) rows from {@code offset}. With {@code ?format=text} (or {@code Accept: text/plain})
   * an aligned table (Archive, Set, Level, Base, Created, Size, Encrypted, Verified) with the total
   * in {@code X-Total-Count}, as the other lists answer a terminal.
   */
  Response catalog(Request request, TokenOwner caller) throws HttpError {
    String node = request.param("node");
    String set = Params.text(request, "set");
    int limit = Params.integer(request, "limit", 100, 1, 1000);
    int offset = Params.integer(request, "offset", 0, 0, Integer.MAX_VALUE);
    List<ArchiveIndex> all = new ArrayList<>();
    try {
      for (ArchiveIndex a : store.objects(node)) {
        if (a.isArchive() && (set == null || set.equals(a.set()))) {
          all.add(a);
        }
      }
    } catch (ArchiveException e) {
      throw new HttpError(e.status(), e.getMessage());
    }
    List<ArchiveIndex> rows =
        all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    if (Formats.wantsText(request)) {
      TextTable t =
          new TextTable(
              "Archive", "Set", "Level", "Base", "Created", "Size", "Encrypted", "Verified");
      for (ArchiveIndex a : rows) {
        t.add(
            a.object(),
            a.set(),
            a.level(),
            a.base() == null ? "-" : a.base(),
            a.created(),
            Long.toString(a.size()),
            a.encrypted() == null ? "-" : a.encrypted(),
            a.verified() ? "yes" : "no");
      }
      return Response.text(200, t.render())
          .withHeader("X-Total-Count", Integer.toString(all.size()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node);
    body.put("archives", rows);
    body.put("total", all.size());
    return Response.json(200, body);
  }

  /** {@code HEAD}: 200 with {@code Content-Length} and {@code X-Custos-Sha256}, or 404. */
  Response check(Request request, TokenOwner caller) throws HttpError {
    ArchiveIndex index = find(request);
    return new Response(200, OCTETS, Map.of(), new byte[0])
        .withHeader("Content-Length", Long.toString(index.size()))
        .withHeader("X-Custos-Sha256", index.sha256())
        .withHeader("Accept-Ranges", "bytes");
  }

  /** {@code GET}: the bytes, whole (200) or one range (206), or 416 for a range past the end. */
  Response download(Request request, TokenOwner caller) throws HttpError {
    ArchiveIndex index = find(request);
    long size = index.size();
    long from = 0;
    long to = size - 1;
    int status = 200;
    String range = request.header("Range");
    if (range != null && !range.contains(",")) {
      Matcher m = RANGE.matcher(range.strip());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        try {
          if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            from = Math.max(0, size - suffix);
          } else {
            from = Long.parseLong(m.group(1));
            to = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
          }
        } catch (NumberFormatException e) {
          from = size; // beyond any file: unsatisfiable below
        }
        if (from >= size || from > to) {
          throw new HttpError(
              416,
              "Range: " + range + " is outside " + index.object() + " of " + size + " bytes",
              Map.of("Content-Range", "bytes */" + size));
        }
        status = 206;
      }
      // Another unit or a malformed range is ignored (RFC 9110 §14.2): the whole object follows.
    }
    FileChannel ch;
    try {
      ch =
          FileChannel.open(
              store.path(request.param("node"), index.object()), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new HttpError(404, index.object() + " was deleted by retention meanwhile");
    } catch (IOException e) {
      throw new HttpError(500, "cannot open " + index.object() + ": " + e.getMessage());
    } catch (ArchiveException e) {
      throw new HttpError(e.status(), e.getMessage());
    }
    Response r =
        Response.file(status, OCTETS, new Response.FileBody(ch, from, to - from + 1))
            .withHeader("X-Custos-Sha256", index.sha256())
            .withHeader("Accept-Ranges", "bytes");
    if (status == 206) {
      r = r.withHeader("Content-Range", "bytes " + from + "-" + to + "/" + size);
    }
    return r;
  }

  private ArchiveIndex find(Request request) throws HttpError {
    String node = request.param("node");
    String object = request.param("object");
    try {
      return store
          .find(node, object)
          .orElseThrow(() -> new HttpError(404, "no object " + object + " for node " + node));
    } catch (ArchiveException e) {
      throw new HttpError(e.status(), e.getMessage());
    }
  }
}
