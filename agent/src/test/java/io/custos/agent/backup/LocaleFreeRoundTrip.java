package io.custos.agent.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Run by {@link NoLocaleTest} in a child JVM with no {@code LANG}/{@code LC_*}: backs up {@code
 * ROOT/tree} into {@code OUT}, verifies it and restores it into {@code DEST}.
 *
 * <pre>LocaleFreeRoundTrip ROOT OUT DEST</pre>
 */
final class LocaleFreeRoundTrip {

  private LocaleFreeRoundTrip() {}

  public static void main(String[] args) throws Exception {
    System.out.println("sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding"));
    BackupResult r =
        new ArchiveWriter(Clock.systemUTC())
            .write(
                BackupSpec.full(
                    "n",
                    "s",
                    Path.of(args[0]),
                    List.of(Path.of("tree")),
                    List.of(),
                    Compression.GZIP,
                    Path.of(args[1])));
    new Verifier().verify(r.archive());
    new Restorer(RestoreOptions.defaults()).restore(r.archive(), Path.of(args[2]));
    System.out.println("ok " + r.entries() + " entries");
    List<TreeDiff.Difference> diffs =
        new TreeDiff(Path.of(args[2], "tree"), Path.of(args[0], "tree")).compare();
    diffs.forEach(System.out::println);
    System.out.println(diffs.size() + " differences");
  }
}
