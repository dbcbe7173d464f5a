package io.custos.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Puts a restored tree in place of the live one, like {@code mv live live.damn && mv restored
 * live}: the live directory is renamed to {@code <live>.before-<UTC yyyyMMdd'T'HHmmss'Z'>} and the
 * restored one renamed to the live name. Both renames are atomic and only work within one file
 * system, so a restored tree on another file system is refused before anything moves (restore it
 * next to the live tree instead). If the second rename fails, the first is undone.
 */
public final class Rollback {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * What was done.
   *
   * @param live the live path, now holding the restored tree
   * @param aside where the former live tree is now
   */
  public record Result(Path live, Path aside) {
    /** The shell commands that undo the rollback. */
    public String undo() {
      return "mv " + live + " " + live + ".rolled-back && mv " + aside + " " + live;
    }
  }

  private final Clock clock;

  public Rollback(Clock clock) {
    this.clock = clock;
  }

  /**
   * Rolls back.
   *
   * @throws IOException naming the reason when a directory is missing, they are on different file
   *     systems, or a rename fails (nothing is left half-done)
   */
  public Result rollback(Path restored, Path live) throws IOException {
    Path r = restored.toAbsolutePath().normalize();
    Path l = live.toAbsolutePath().normalize();
    if (!Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("restored tree " + r + " is not a directory");
    }
    if (!Files.isDirectory(l, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("live tree " + l + " is not a directory");
    }
    if (r.equals(l) || r.startsWith(l) || l.startsWith(r)) {
      throw new IOException("the restored and live trees must not contain each other");
    }
    Object devR = Files.getAttribute(r, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    Object devL = Files.getAttribute(l, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    Object devParent = Files.getAttribute(l.getParent(), "unix:dev");
    if (!devR.equals(devL) || !devR.equals(devParent)) {
      throw new IOException(
          "the restored tree "
              + r
              + " is on another file system than "
              + l
              + "; a rollback only renames, so restore next to the live tree (e.g. --to "
              + l
              + ".restored) and roll back from there");
    }
    Path aside = l.resolveSibling(l.getFileName() + ".before-" + STAMP.format(clock.instant()));
    if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(aside + " already exists; try again in a second");
    }
    Files.move(l, aside, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(r, l, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(aside, l, StandardCopyOption.ATOMIC_MOVE);
      throw new IOException("cannot move " + r + " to " + l + " (nothing changed): " + e, e);
    }
    return new Result(l, aside);
  }
}
