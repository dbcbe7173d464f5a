package io.custos.agent.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The archives in a backup directory, found by their names ({@link ArchiveName}) and described by
 * the head of their manifests (the base archive), without reading the archives or whole manifests.
 * Files that are not archive names ({@code .part} files, the state file, foreign files) are
 * ignored; an archive without a readable manifest is listed with a null base and {@code manifestOk}
 * false, so that chains and retention can refuse to guess.
 *
 * <p>Listings are in chain order, never in the order of the node's clock: by the {@code seq} each
 * manifest records ({@link Manifest#seq}), archives from before it existed first (by their stamps),
 * and a base always before what depends on it. A clock that steps back (a bad NTP source, a VM
 * restored from a snapshot) gives an incremental an older stamp than its base; it still lists after
 * it, and "newest" is the last of the list, the tip of the newest chain.
 */
public final class Catalog {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One archive.
   *
   * @param name its parsed name
   * @param file the archive file
   * @param bytes its size
   * @param base the file name of its base archive per its manifest, null for a full or unknown
   * @param manifestOk whether the manifest could be read
   * @param seq the manifest's {@code seq}, 0 when it has none (or is unreadable)
   */
  public record Item(
      ArchiveName name, Path file, long bytes, String base, boolean manifestOk, long seq) {
    /** An item without {@code seq} (an archive from before it, or from a listing without it). */
    public Item(ArchiveName name, Path file, long bytes, String base, boolean manifestOk) {
      this(name, file, bytes, base, manifestOk, 0);
    }

    /** The archive's file name. */
    public String fileName() {
      return name.fileName();
    }

    /** When it was made. */
    public Instant created() {
      return name.created();
    }

    /** Its level. */
    public Level level() {
      return name.level();
    }
  }

  private Catalog() {}

  /**
   * The archives of {@code set} (all sets when null) made by {@code node} (any node when null),
   * oldest first; a missing directory has none.
   */
  public static List<Item> list(Path directory, String node, String set) throws IOException {
    return list(directory, node, set, Age.Identities.none());
  }

  /**
   * Like {@link #list(Path, String, String)}; an archive with only a sealed ({@code .age}) manifest
   * has it decrypted with {@code identities} (without one it is listed as {@code manifestOk}
   * false).
   */
  public static List<Item> list(Path directory, String node, String set, Age.Identities identities)
      throws IOException {
    List<Item> items = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
      for (Path p : ds) {
        var parsed = ArchiveName.tryParse(p.getFileName().toString());
        if (parsed.isEmpty()) {
          continue;
        }
        ArchiveName n = parsed.get();
        if ((set != null && !set.equals(n.set())) || (node != null && !node.equals(n.node()))) {
          continue;
        }
        long bytes;
        try {
          bytes = Files.size(p);
        } catch (NoSuchFileException e) {
          continue; // pruned meanwhile
        }
        String base = null;
        long seq = 0;
        boolean ok = true;
        try {
          try (var in = Manifest.open(p, identities)) {
            java.util.Map<String, String> head = readHead(in, p.toString());
            base = head.get("base");
            seq = parseSeq(head.get("seq"));
          }
        } catch (IOException e) {
          ok = false;
        }
        items.add(new Item(n, p, bytes, base, ok, seq));
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return chainOrder(items);
  }

  /**
   * {@code items} in chain order (see the class comment): by {@code seq}, those without one first
   * by their stamps, then every archive moved after its base if it was not already.
   */
  public static List<Item> chainOrder(List<Item> items) {
    List<Item> sorted = new ArrayList<>(items);
    sorted.sort(
        Comparator.comparingLong(Item::seq)
            .thenComparing(Item::created)
            .thenComparing(Item::fileName));
    // a base before its dependents, whatever the numbers say (a seq lost with a restored manifest)
    java.util.Map<String, Item> byName = new java.util.HashMap<>();
    sorted.forEach(i -> byName.put(i.fileName(), i));
    List<Item> out = new ArrayList<>(sorted.size());
    java.util.Set<String> placed = new java.util.HashSet<>();
    for (Item i : sorted) {
      place(i, byName, placed, out, sorted.size());
    }
    return out;
  }

  private static void place(
      Item i,
      java.util.Map<String, Item> byName,
      java.util.Set<String> placed,
      List<Item> out,
      int limit) {
    java.util.ArrayDeque<Item> todo = new java.util.ArrayDeque<>();
    for (Item cur = i;
        cur != null && !placed.contains(cur.fileName()) && todo.size() <= limit;
        cur = cur.base() == null ? null : byName.get(cur.base())) {
      todo.push(cur);
    }
    while (!todo.isEmpty()) {
      Item t = todo.pop();
      if (placed.add(t.fileName())) {
        out.add(t);
      }
    }
  }

  /**
   * The {@code seq} for a new archive of {@code set} by {@code node} in {@code directory}: 1 + the
   * highest recorded, 1 when there is none.
   */
  public static long nextSeq(Path directory, String node, String set) throws IOException {
    long max = 0;
    for (Item i : list(directory, node, set)) {
      max = Math.max(max, i.seq());
    }
    return max + 1;
  }

  /** The {@code depth} of an archive made on {@code base}: 0 without base, null when unknown. */
  public static Integer depthAfter(Manifest base) {
    if (base == null) {
      return 0;
    }
    if (base.depth() != null) {
      return base.depth() + 1;
    }
    return "full".equals(base.level()) ? 1 : null;
  }

  private static long parseSeq(String s) {
    try {
      return s == null ? 0 : Math.max(0, Long.parseLong(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The {@code base} field of a manifest, read with a streaming parser that stops at {@code
   * entries}, so a manifest of a million paths costs a few bytes.
   */
  static String readBase(Path manifest) throws IOException {
    try (var in = Files.newInputStream(manifest)) {
      return readBase(in, manifest.toString());
    }
  }

  /**
   * The scalar fields before {@code entries} of a manifest ({@code base}, {@code archive_sha256},
   * ...), as text, read with a streaming parser.
   */
  static java.util.Map<String, String> readHead(Path manifest) throws IOException {
    try (var in = Files.newInputStream(manifest)) {
      return readHead(in, manifest.toString());
    }
  }

  private static java.util.Map<String, String> readHead(java.io.InputStream in, String manifest)
      throws IOException {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(manifest + ": not a manifest");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if ("entries".equals(field)) {
          break;
        } else if (t.isScalarValue()) {
          out.put(field, t == JsonToken.VALUE_NULL ? null : p.getText());
        } else {
          p.skipChildren();
        }
      }
    }
    return out;
  }

  private static String readBase(java.io.InputStream in, String manifest) throws IOException {
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(manifest + ": not a manifest");
      }
      String base = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if ("base".equals(field)) {
          base = t == JsonToken.VALUE_NULL ? null : p.getText();
        } else if ("entries".equals(field)) {
          break;
        } else {
          p.skipChildren();
        }
      }
      return base;
    }
  }

  /** How many entries the archive holds, per its manifest ({@code in_archive}), streaming. */
  public static int countEntries(Path archive) throws IOException {
    return countEntries(archive, Age.Identities.none());
  }

  /** Like {@link #countEntries(Path)}, decrypting a sealed manifest with {@code identities}. */
  public static int countEntries(Path archive, Age.Identities identities) throws IOException {
    int count = 0;
    try (JsonParser p = JSON.createParser(Manifest.open(archive, identities))) {
      int depth = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME
            && depth == 3
            && "in_archive".equals(p.currentName())) {
          if (p.nextToken() == JsonToken.VALUE_TRUE) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
