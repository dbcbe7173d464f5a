package io.custos.agent.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry under {@code backups.sets} in {@code agent.yml}:
 *
 * <pre>{@code
 * - name: www                        # required, [A-Za-z0-9_-]+, unique
 *   root: /                          # names in the archive are relative to it, like tar -C
 *   paths: [/srv/www, /etc]          # required; absolute below root, or relative to it
 *   exclude: ["*.avi", "www/dev/*"]  # GNU tar --exclude globs
 *   compression: zstd                # gzip (default) | bzip2 | xz | lz4 | zstd | none
 *   level: 3                         # compression level; default: the codec's own
 *   workers: 2                       # zstd / gzip worker threads; default 0
 *   at: "01:00"                      # time of day, the node's time zone; default 01:00
 *   week: { sun: full, mon: diff, tue: diff, wed: diff, thu: diff, fri: diff, sat: diff }
 *   keep: { days: 14, count: 3 }     # retention, see Retention
 *   before: ["fsfreeze -f /srv"]     # sh -c commands run before the archive, in order
 *   after: ["fsfreeze -u /srv"]      # sh -c commands run after it, always
 *   hook_timeout: 1h                 # each before/after command's limit; default 1h
 *   dumps:                           # sh -c commands whose stdout becomes dumps/<name>
 *     - { name: all.sql, command: "pg_dumpall", timeout: 2h }   # timeout default 12h
 *   encrypt: { age_recipients: ["age1..."] }   # archive and manifest age-encrypted, see Age
 *   upload: { enabled: true, deadline: 26h }   # default: backups.upload
 *   keep_local: 2                    # newest chains kept on the node, instead of keep
 * }</pre>
 *
 * A hook or dump still running at its timeout is killed with its child processes and fails the run,
 * naming the command and the time ({@code Hooks}).
 *
 * <p>A day missing from {@code week} has no scheduled backup (the default table is a full on Sunday
 * and a differential every other day). Validated at construction; a bad value is an {@link
 * IllegalArgumentException} naming the key and the value.
 *
 * @param name the set's name, part of archive names
 * @param root the directory archive names are relative to; default {@code /}
 * @param paths what to back up
 * @param exclude GNU tar-style exclude globs
 * @param compression the codec; default gzip
 * @param level the codec's level, null for its default
 * @param workers zstd or gzip worker threads (gzip: independent 1 MiB members, like pigz)
 * @param at time of day of the scheduled run, {@code HH:MM}
 * @param week level per day, keys {@code sun..sat}
 * @param keep retention
 * @param before commands run before the archive is written
 * @param after commands run after it, whatever happened
 * @param dumps commands whose output is stored as {@code dumps/<name>}
 * @param hookTimeout how long each {@code before}/{@code after} command may run; default {@link
 *     #DEFAULT_HOOK_TIMEOUT}
 * @param encrypt age recipients the archive and its manifest are encrypted for; null for clear
 * @param upload whether and how soon archives go to the collector; null for {@code backups.upload}
 * @param keepLocal when set, local retention keeps this many newest chains (a full and what depends
 *     on it) instead of applying {@code keep}; an archive not yet uploaded is never deleted
 */
public record BackupSetConfig(
    String name,
    Path root,
    List<Path> paths,
    List<String> exclude,
    Compression compression,
    Integer level,
    Integer workers,
    String at,
    Map<String, Level> week,
    Keep keep,
    List<String> before,
    List<String> after,
    List<Dump> dumps,
    @JsonProperty("hook_timeout") Duration hookTimeout,
    Encrypt encrypt,
    Upload upload,
    @JsonProperty("keep_local") Integer keepLocal) {

  /**
   * A hook's limit unless {@code hook_timeout} says otherwise: freezing or snapshotting is quick.
   */
  public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofHours(1);

  /** A dump's limit unless its {@code timeout} says otherwise: a big database, but not forever. */
  public static final Duration DEFAULT_DUMP_TIMEOUT = Duration.ofHours(12);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern DUMP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("H:mm");
  private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  /** A set without encryption, upload settings or {@code keep_local}. */
  public BackupSetConfig(
      String name,
      Path root,
      List<Path> paths,
      List<String> exclude,
      Compression compression,
      Integer level,
      Integer workers,
      String at,
      Map<String, Level> week,
      Keep keep,
      List<String> before,
      List<String> after,
      List<Dump> dumps,
      Duration hookTimeout) {
    this(
        name,
        root,
        paths,
        exclude,
        compression,
        level,
        workers,
        at,
        week,
        keep,
        before,
        after,
        dumps,
        hookTimeout,
        null,
        null,
        null);
  }

  public BackupSetConfig {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: expected [A-Za-z0-9_-]+, got " + (name == null ? "nothing" : "\"" + name + "\""));
    }
    if (encrypt != null) {
      Age.checkRecipients("set " + name + ": encrypt.age_recipients", encrypt.ageRecipients());
    }
    if (keepLocal != null && keepLocal < 1) {
      throw new IllegalArgumentException(
          "set " + name + ": keep_local: must be at least 1 chain, got " + keepLocal);
    }
    root = root == null ? Path.of("/") : root;
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("root: expected an absolute path, got \"" + root + "\"");
    }
    paths = paths == null ? List.of() : List.copyOf(paths);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("paths: set " + name + " has no paths");
    }
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    compression = compression == null ? Compression.GZIP : compression;
    if (level != null) {
      compression.effectiveLevel(level);
    }
    workers = workers == null ? 0 : workers;
    if (workers < 0 || workers > 256) {
      throw new IllegalArgumentException("workers: expected 0..256, got " + workers);
    }
    at = at == null ? "01:00" : at;
    parseTime(at);
    if (week == null) {
      Map<String, Level> w = new LinkedHashMap<>();
      w.put("sun", Level.FULL);
      for (String d : List.of("mon", "tue", "wed", "thu", "fri", "sat")) {
        w.put(d, Level.DIFF);
      }
      week = w;
    }
    for (Map.Entry<String, Level> e : week.entrySet()) {
      if (day(e.getKey()) == null) {
        throw new IllegalArgumentException(
            "week: unknown day \""
                + e.getKey()
                + "\" (expected sun, mon, tue, wed, thu, fri, sat)");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("week." + e.getKey() + ": expected full|diff|incr");
      }
    }
    week = Map.copyOf(week);
    keep = keep == null ? Keep.defaults() : keep;
    before = before == null ? List.of() : List.copyOf(before);
    after = after == null ? List.of() : List.copyOf(after);
    dumps = dumps == null ? List.of() : List.copyOf(dumps);
    hookTimeout = hookTimeout == null ? DEFAULT_HOOK_TIMEOUT : hookTimeout;
    requirePositive("hook_timeout", hookTimeout);
    Set<String> dumpNames = new HashSet<>();
    for (Dump d : dumps) {
      if (!dumpNames.add(d.name())) {
        throw new IllegalArgumentException("dumps: name \"" + d.name() + "\" appears twice");
      }
    }
  }

  static void requirePositive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + ": must be more than 0, got " + d);
    }
  }

  /** The scheduled time of day. */
  public LocalTime atTime() {
    return parseTime(at);
  }

  /** The level scheduled on {@code day}, or empty when the table has no backup that day. */
  public Optional<Level> levelOn(DayOfWeek day) {
    return Optional.ofNullable(week.get(DAYS[day.getValue() - 1]));
  }

  /** The table by day. */
  public Map<DayOfWeek, Level> weekTable() {
    Map<DayOfWeek, Level> m = new EnumMap<>(DayOfWeek.class);
    week.forEach((k, v) -> m.put(day(k), v));
    return m;
  }

  /** The compression level to pass to {@link ArchiveWriter}. */
  public int compressionLevel() {
    return level == null ? Compression.DEFAULT_LEVEL : level;
  }

  /**
   * What {@link ArchiveWriter} needs for one run of this set. The backup directory itself is
   * excluded when it lies below the root, so a set of {@code /} does not archive its own archives.
   */
  public BackupSpec spec(String node, Path directory, Level lvl, Manifest base) {
    List<Path> p = new ArrayList<>(paths);
    List<String> ex = new ArrayList<>(exclude);
    Path dir = directory.toAbsolutePath().normalize();
    if (dir.startsWith(root) && !dir.equals(root)) {
      ex.add(root.relativize(dir).toString());
    }
    return new BackupSpec(
            node, name, lvl, root, p, ex, compression, compressionLevel(), workers, directory, base)
        .withRecipients(recipients());
  }

  /** The age recipients, empty when the set is not encrypted. */
  public List<String> recipients() {
    return encrypt == null ? List.of() : encrypt.ageRecipients();
  }

  /**
   * {@code encrypt:}: the archive and its manifest are encrypted on the node for each recipient
   * ({@code age1...}, as {@code age-keygen -y} prints); any one identity decrypts.
   *
   * @param ageRecipients one or more X25519 recipients
   */
  public record Encrypt(@JsonProperty("age_recipients") List<String> ageRecipients) {
    public Encrypt {
      ageRecipients = ageRecipients == null ? List.of() : List.copyOf(ageRecipients);
    }
  }

  /**
   * {@code upload:}: archives and manifests go to the collector after each backup.
   *
   * @param enabled default true
   * @param deadline how long after it was made the newest archive may still be missing on the
   *     collector before {@code Backup <set>} is WARNING (CRITICAL after twice as long); default
   *     26h
   */
  public record Upload(Boolean enabled, Duration deadline) {
    /** The deadline unless one is given. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofHours(26);

    public Upload {
      enabled = enabled == null || enabled;
      deadline = deadline == null ? DEFAULT_DEADLINE : deadline;
      requirePositive("upload.deadline", deadline);
    }

    /** Enabled, 26h. */
    public static Upload defaults() {
      return new Upload(null, null);
    }
  }

  private static DayOfWeek day(String key) {
    for (int i = 0; i < DAYS.length; i++) {
      if (DAYS[i].equals(key == null ? "" : key.toLowerCase(Locale.ROOT))) {
        return DayOfWeek.of(i + 1);
      }
    }
    return null;
  }

  private static LocalTime parseTime(String at) {
    try {
      return LocalTime.parse(at.trim(), HH_MM);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("at: expected HH:MM (e.g. \"01:00\"), got \"" + at + "\"");
    }
  }

  /**
   * Retention: an archive is kept while it is younger than {@code days} or among the newest {@code
   * count} of its set (either rule keeps it), and whatever a kept archive depends on is kept too.
   *
   * @param days age limit in days; default 14; 0 keeps none by age
   * @param count how many of the newest archives are always kept; default 0
   */
  public record Keep(Integer days, Integer count) {
    public Keep {
      days = days == null ? 14 : days;
      count = count == null ? 0 : count;
      if (days < 0) {
        throw new IllegalArgumentException("keep.days: must not be negative, got " + days);
      }
      if (count < 0) {
        throw new IllegalArgumentException("keep.count: must not be negative, got " + count);
      }
      if (days == 0 && count == 0) {
        throw new IllegalArgumentException(
            "keep: days and count are both 0, which would delete every archive");
      }
    }

    /** 14 days. */
    public static Keep defaults() {
      return new Keep(null, null);
    }
  }

  /**
   * A dump: {@code command} runs with {@code sh -c}; its stdout is stored as {@code dumps/<name>}.
   *
   * @param name the entry's name under {@code dumps/}
   * @param command the shell command
   * @param timeout how long it may run; default {@link #DEFAULT_DUMP_TIMEOUT}
   */
  public record Dump(String name, String command, Duration timeout) {
    /** A dump with the default timeout. */
    public Dump(String name, String command) {
      this(name, command, null);
    }

    public Dump {
      if (name == null || !DUMP_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "dumps: name: expected a file name ([A-Za-z0-9_.-]+), got "
                + (name == null ? "nothing" : "\"" + name + "\""));
      }
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException("dumps: " + name + ": command is missing");
      }
      timeout = timeout == null ? DEFAULT_DUMP_TIMEOUT : timeout;
      requirePositive("dumps: " + name + ": timeout", timeout);
    }
  }
}
