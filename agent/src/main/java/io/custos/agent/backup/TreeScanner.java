package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the paths of a backup set without following symbolic links and returns them in GNU tar's
 * incremental order: every directory first (pre-order, children sorted by their name bytes), then
 * the other entries directory by directory. Names are relative to the root like {@code tar -C
 * root}, read as bytes ({@link LinuxFiles#list}) and kept exact in {@link FileNames} form, whatever
 * the locale.
 *
 * <p>A file that vanishes or cannot be read while walking becomes a warning and is skipped, like
 * GNU tar; a path that is outside the root or missing is an {@link IOException} naming it.
 */
final class TreeScanner {

  private final Path root;
  private final String rootName;
  private final ExcludeMatcher excludes;
  private final List<String> warnings;
  private final Map<Long, String> userNames = new HashMap<>();
  private final Map<Long, String> groupNames = new HashMap<>();

  /** The tree in archive order. */
  record Tree(List<FileNode> directories, List<FileNode> others) {}

  TreeScanner(Path root, ExcludeMatcher excludes, List<String> warnings) {
    this.root = root.toAbsolutePath().normalize();
    this.rootName = FileNames.of(this.root);
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
      String absName = FileNames.of(abs);
      String name =
          root.equals(abs)
              ? "."
              : absName.substring(rootName.equals("/") ? 1 : rootName.length() + 1);
      FileNode node;
      try {
        node = stat(absName, name);
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
    List<byte[]> entries;
    try {
      entries = LinuxFiles.list(dir.absolute);
    } catch (IOException e) {
      warnings.add(FileNames.display(dir.name) + ": cannot read directory: " + e.getMessage());
      return;
    }
    entries.sort(Arrays::compareUnsigned);
    String prefix = dir.absolute.equals("/") ? "/" : dir.absolute + "/";
    for (byte[] raw : entries) {
      String base = FileNames.decode(raw);
      String name = dir.name.equals(".") ? base : dir.name + "/" + base;
      if (excludes.excludes(name)) {
        dir.skipped.add(base);
        continue;
      }
      FileNode child;
      try {
        child = stat(prefix + base, name);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        warnings.add(FileNames.display(name) + ": cannot stat: " + e.getMessage());
        dir.skipped.add(base);
        continue;
      }
      if (child == null) {
        warnings.add(FileNames.display(name) + ": socket ignored");
        dir.skipped.add(base);
        continue;
      }
      dir.children.add(child);
      if (child.type == EntryType.DIR) {
        walk(child, dirs);
      }
    }
  }

  /** The node for the absolute name {@code abs}, or null for a socket. */
  private FileNode stat(String abs, String name) throws IOException {
    LinuxFiles.Stat st = LinuxFiles.lstat(abs);
    EntryType type = EntryType.fromMode(st.mode());
    if (type == null) {
      return null;
    }
    String target = type == EntryType.SYMLINK ? FileNames.decode(LinuxFiles.readlink(abs)) : null;
    String uname = userNames.get(st.uid());
    String gname = groupNames.get(st.gid());
    if (uname == null || gname == null) {
      Path p = FileNames.path(abs);
      uname = userNames.computeIfAbsent(st.uid(), u -> principalName(p, "unix:owner", u));
      gname = groupNames.computeIfAbsent(st.gid(), g -> principalName(p, "unix:group", g));
    }
    return new FileNode(abs, name, st, type, uname, gname, target);
  }

  /** The user or group name, or "" when the id has none on this host (like GNU tar). */
  private static String principalName(Path p, String attribute, long id) {
    try {
      Object principal = Files.getAttribute(p, attribute, LinkOption.NOFOLLOW_LINKS);
      String name =
          principal instanceof UserPrincipal
              ? ((UserPrincipal) principal).getName()
              : ((GroupPrincipal) principal).getName();
      return name.equals(Long.toString(id)) || name.startsWith("-") ? "" : name;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
