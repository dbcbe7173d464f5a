package io.custos.agent.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BackupRunner.Outcome} as the one JSON object {@code backup run --result-json FILE}
 * leaves for the daemon: {@code set, level (null when the run could not start), archive (path or
 * null), ok, bytes, files, started, finished (ISO instants), message, note, warnings}. Written as
 * {@code .part} and renamed, so the daemon never reads half a file.
 */
public final class OutcomeJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutcomeJson() {}

  /** Writes {@code o} to {@code file}. */
  public static void write(BackupRunner.Outcome o, Path file) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("set", o.set());
    n.put("level", o.level() == null ? null : o.level().token());
    n.put("archive", o.archive() == null ? null : o.archive().toString());
    n.put("ok", o.ok());
    n.put("bytes", o.bytes());
    n.put("files", o.files());
    n.put("started", o.started().toString());
    n.put("finished", o.finished().toString());
    n.put("message", o.message());
    n.put("note", o.note());
    o.warnings().forEach(n.putArray("warnings")::add);
    Path part = SafeFiles.partOf(file);
    Files.deleteIfExists(part);
    SafeFiles.writePart(part, JSON.writeValueAsBytes(n));
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @param level the level when the file has none (the run failed before choosing one)
   * @throws IOException when the file is missing, unreadable or lacks a field
   */
  static BackupRunner.Outcome read(Path file, Level level) throws IOException {
    JsonNode n = JSON.readTree(Files.readAllBytes(file));
    try {
      List<String> warnings = new ArrayList<>();
      n.path("warnings").forEach(w -> warnings.add(w.asText()));
      JsonNode archive = n.path("archive");
      return new BackupRunner.Outcome(
          n.required("set").asText(),
          n.path("level").isTextual() ? Level.fromToken(n.path("level").asText()) : level,
          archive.isTextual() ? Path.of(archive.asText()) : null,
          n.required("ok").asBoolean(),
          n.required("bytes").asLong(),
          n.required("files").asLong(),
          Instant.parse(n.required("started").asText()),
          Instant.parse(n.required("finished").asText()),
          n.path("message").asText(""),
          n.path("note").asText(""),
          warnings);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new IOException("bad backup result in " + file + ": " + e.getMessage(), e);
    }
  }
}
