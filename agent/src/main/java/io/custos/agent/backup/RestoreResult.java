package io.custos.agent.backup;

import java.util.List;

/**
 * What a restore did.
 *
 * @param entries archive entries restored
 * @param bytes bytes of file content written (data regions only for sparse files)
 * @param deleted paths removed because a {@code GNU.dumpdir} no longer listed them
 * @param warnings what was not restored and why (device nodes without root, foreign xattrs, ...)
 */
public record RestoreResult(int entries, long bytes, int deleted, List<String> warnings) {
  public RestoreResult {
    warnings = List.copyOf(warnings);
  }
}
