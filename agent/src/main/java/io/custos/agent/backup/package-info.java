/**
 * The backup engine: archives GNU tar can read, their manifests, restore and verification.
 *
 * <p>Public surface: {@link io.custos.agent.backup.ArchiveWriter} (with {@link
 * io.custos.agent.backup.BackupSpec} and {@link io.custos.agent.backup.BackupResult}), {@link
 * io.custos.agent.backup.Restorer} ({@link io.custos.agent.backup.RestoreOptions}, {@link
 * io.custos.agent.backup.RestoreResult}), {@link io.custos.agent.backup.Verifier}, {@link
 * io.custos.agent.backup.ArchiveReader}, {@link io.custos.agent.backup.Manifest}, {@link
 * io.custos.agent.backup.ArchiveName}, {@link io.custos.agent.backup.Compression} and {@link
 * io.custos.agent.backup.Level}.
 *
 * <p>Sets and policy on top of the engine: {@link io.custos.agent.backup.BackupsConfig} and {@link
 * io.custos.agent.backup.BackupSetConfig} (the {@code backups:} section of {@code agent.yml}),
 * {@link io.custos.agent.backup.Catalog} (the archives in the backup directory, by name and
 * manifest head), {@link io.custos.agent.backup.Chains} (level, base, chain for a time) and {@link
 * io.custos.agent.backup.Retention} (pure, clock-free), {@link io.custos.agent.backup.BackupRunner}
 * (hooks, dumps, one run), {@link io.custos.agent.backup.BackupScheduler} (the daemon's schedule
 * and the {@code Backup <set>} service), {@link io.custos.agent.backup.TreeDiff} and {@link
 * io.custos.agent.backup.Rollback}. The operator's view is {@code docs/backups.md}.
 *
 * <p>Choices made where DESIGN.md is silent, each matching GNU tar 1.34:
 *
 * <ul>
 *   <li>Excludes use {@code tar --exclude}'s default (unanchored, {@code *} matches {@code /}); an
 *       excluded child is listed as {@code N} in its directory's dumpdir, so {@code tar -G -x}
 *       keeps whatever is there.
 *   <li>The fake ustar name of a sparse file is {@code %d/GNUSparseFile.%p/%f}, as GNU tar 1.34
 *       writes it ({@code ./GNUSparseFile.<pid>/<name>} for a file at the top).
 *   <li>Sockets are skipped with a warning; a file that vanishes before it is read is skipped with
 *       a warning; one that shrinks is zero-padded, one that grows is cut at its header size.
 *   <li>Changed since the base = new path, other type, or different size, mtime, ctime or inode
 *       (like {@code --listed-incremental}, without its device check, which NFS and btrfs break).
 *   <li>A second hard link is written as a link only when its first link is in the same archive;
 *       otherwise it is stored as a full file.
 *   <li>Symlink targets are restored verbatim (absolute, dangling, {@code dir/}); restore never
 *       writes through a symlink instead. An entry that cannot be written is reported and the rest
 *       restored, and the restore exits 2 with the count, like GNU tar.
 * </ul>
 *
 * <p>Format code: {@link io.custos.agent.backup.tar.TarHeaders} decides, as a pure function, which
 * fields need PAX records and encodes the ustar block; {@link io.custos.agent.backup.tar.TarReader}
 * parses what GNU tar writes; {@link io.custos.agent.backup.FileNames} keeps names as exact bytes;
 * {@link io.custos.agent.backup.LinuxFiles} makes the Linux calls NIO cannot make on byte names;
 * {@link io.custos.agent.backup.Acls} converts POSIX ACLs to and from GNU tar's text form.
 *
 * <p>Known limits: set paths in {@code agent.yml} and command-line paths are text (UTF-8 from the
 * YAML file); names found below them may be any bytes. Linux only (statx, xattrs, {@code
 * SEEK_DATA}).
 */
package io.custos.agent.backup;
