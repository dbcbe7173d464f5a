package io.custos.agent.backup;

/**
 * How {@link Restorer} behaves.
 *
 * @param allowNonEmpty restore into a directory that already has entries (a chain restore does this
 *     itself after its first archive)
 * @param incremental apply {@code GNU.dumpdir}: after restoring a directory, delete its children
 *     that the archive does not list, like {@code tar -G -x}
 * @param sameOwner restore uid/gid (user and group names first, when they exist here), as GNU tar
 *     does for root; needs root
 * @param only restore only this archive path and what is below it (like {@code tar -x NAME}), null
 *     for everything; a hard link inside it to a file outside it fails
 */
public record RestoreOptions(
    boolean allowNonEmpty, boolean incremental, boolean sameOwner, String only) {

  /** Strict defaults: empty target, no dumpdir, owners only when running as root. */
  public static RestoreOptions defaults() {
    return new RestoreOptions(false, false, Processes.isRoot(), null);
  }

  public RestoreOptions withAllowNonEmpty(boolean v) {
    return new RestoreOptions(v, incremental, sameOwner, only);
  }

  public RestoreOptions withIncremental(boolean v) {
    return new RestoreOptions(allowNonEmpty, v, sameOwner, only);
  }

  public RestoreOptions withSameOwner(boolean v) {
    return new RestoreOptions(allowNonEmpty, incremental, v, only);
  }

  public RestoreOptions withOnly(String path) {
    return new RestoreOptions(allowNonEmpty, incremental, sameOwner, path);
  }
}
