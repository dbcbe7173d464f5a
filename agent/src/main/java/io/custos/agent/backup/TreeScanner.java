package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the paths of a backup set without following symbolic links and returns them in GNU tar's
 * incremental order: every directory first (pre-order, children sorted by name), then the other
 * entries directory by directory. Names are relative to the root like {@code tar -C root}.
 *
 * <p>A file that vanishes or cannot be read while walking becomes a warning and is skipped, like
 * GNU tar; a path that is outside the root or missing is an {@link IOException} naming it.
 */
final class TreeScanner {

  private static final String ATTRS =
      "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,ctime";

  private final Path root;
  private final ExcludeMatcher excludes;
  private final List<String> warnings;
  private final Map<Long, String> userNames = new HashMap<>();
  private final Map<Long, String> groupNames = new HashMap<>();

  /** The tree in archive order. */
  record Tree(List<FileNode> directories, List<FileNode> others) {}

  TreeScanner(Path root, ExcludeMatcher excludes, List<String> warnings) {
    this.root = root.toAbsolutePath().normalize();
    this.excludes = excludes;
    this.warnings = warnings;
  }

  Tree scan(List<Path> paths) throws IOException {
    List<FileNode> dirs = new ArrayList<>();
    List<FileNode> topOthers = new ArrayList<>();
    for (Path p : paths) {
      Path abs = root.resolve(p).normalize();
      if (!abs.startsWith(root)) {
        throw new IOException("backup path " + p + " is outside the root " + root);
      }
      String name = root.equals(abs) ? "." : root.relativize(abs).toString();
      FileNode node;
      try {
        node = stat(abs, name);
      } catch (NoSuchFileException e) {
        throw new IOException("backup path " + abs + " does not exist", e);
      }
      if (node == null) {
        warnings.add(name + ": socket ignored");
      } else if (node.type == EntryType.DIR) {
        walk(node, dirs);
      } else {
        topOthers.add(node);
      }
    }
    List<FileNode> others = new ArrayList<>(topOthers);
    for (FileNode d : dirs) {
      for (FileNode c : d.children) {
        if (c.type != EntryType.DIR) {
          others.add(c);
        }
      }
    }
    return new Tree(dirs, others);
  }

  private void walk(FileNode dir, List<FileNode> dirs) throws IOException {
    dirs.add(dir);
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path)) {
      for (Path p : ds) {
        entries.add(p);
      }
    } catch (IOException e) {
      warnings.add(dir.name + ": cannot read directory: " + e);
      return;
    }
    entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path p : entries) {
      String base = p.getFileName().toString();
      String name = dir.name.equals(".") ? base : dir.name + "/" + base;
      if (excludes.excludes(name)) {
        dir.skipped.add(base);
        continue;
      }
      FileNode child;
      try {
        child = stat(p, name);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        warnings.add(name + ": cannot stat: " + e);
        dir.skipped.add(base);
        continue;
      }
      if (child == null) {
        warnings.add(name + ": socket ignored");
        dir.skipped.add(base);
        continue;
      }
      dir.children.add(child);
      if (child.type == EntryType.DIR) {
        walk(child, dirs);
      }
    }
  }

  /** The node for {@code p}, or null for a socket. */
  private FileNode stat(Path p, String name) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    EntryType type = EntryType.fromMode(mode);
    if (type == null) {
      return null;
    }
    long uid = ((Number) a.get("uid")).longValue();
    long gid = ((Number) a.get("gid")).longValue();
    String target = type == EntryType.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
    return new FileNode(
        p,
        name,
        type,
        type == EntryType.FILE ? (Long) a.get("size") : 0L,
        ((FileTime) a.get("lastModifiedTime")).toInstant(),
        ((FileTime) a.get("ctime")).toInstant(),
        mode & 07777,
        uid,
        gid,
        userNames.computeIfAbsent(uid, u -> principalName(p, "unix:owner", u)),
        groupNames.computeIfAbsent(gid, g -> principalName(p, "unix:group", g)),
        (Long) a.get("dev"),
        (Long) a.get("ino"),
        (Integer) a.get("nlink"),
        (Long) a.get("rdev"),
        target);
  }

  /** The user or group name, or "" when the id has none on this host (like GNU tar). */
  private static String principalName(Path p, String attribute, long id) {
    try {
      Object principal = Files.getAttribute(p, attribute, LinkOption.NOFOLLOW_LINKS);
      String name =
          principal instanceof UserPrincipal
              ? ((UserPrincipal) principal).getName()
              : ((GroupPrincipal) principal).getName();
      return name.equals(Long.toString(id)) ? "" : name;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
