package io.custos.agent.backup;

import java.util.List;

/**
 * What a restore did.
 *
 * @param entries archive entries restored
 * @param bytes bytes of file content written (data regions only for sparse files)
 * @param deleted paths removed because a {@code GNU.dumpdir} no longer listed them
 * @param warnings what was left out by choice and why (device nodes without root, foreign xattrs,
 *     ...)
 * @param failures entries that could not be restored, each naming the entry and the reason ({@code
 *     entry 'etc/x': Operation not permitted (/restore/etc/x)}); the rest was restored
 */
public record RestoreResult(
    int entries, long bytes, int deleted, List<String> warnings, List<String> failures) {
  public RestoreResult {
    warnings = List.copyOf(warnings);
    failures = List.copyOf(failures);
  }

  /** Whether every entry was restored. */
  public boolean complete() {
    return failures.isEmpty();
  }
}
