package io.custos.agent.check.os;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Mounts and their usage from OSHI's {@link FileSystem}, for nodes that are not Linux (FreeBSD,
 * macOS), where there is no {@code /proc/self/mountinfo} and JNA's Linux {@code statvfs} does not
 * apply. One snapshot serves one run: its mounts, and a {@link StatFs} over the same file stores
 * that refreshes each store before reading it.
 */
public final class OshiFileSystems implements StatFs {
  private final Map<String, OSFileStore> byMount = new LinkedHashMap<>();

  private OshiFileSystems(List<OSFileStore> stores) {
    for (OSFileStore s : stores) {
      if (s.getMount() != null && !s.getMount().isEmpty()) {
        byMount.put(s.getMount(), s);
      }
    }
  }

  /** A snapshot of {@code fs}'s file stores. */
  public static OshiFileSystems snapshot(FileSystem fs) {
    return new OshiFileSystems(fs.getFileStores());
  }

  /** The file stores as mounts: device from the volume, {@code ro} from the options. */
  public List<Mounts.Mount> mounts() {
    List<Mounts.Mount> out = new ArrayList<>();
    for (OSFileStore s : byMount.values()) {
      String options = s.getOptions() == null ? "" : s.getOptions();
      boolean ro = Arrays.asList(options.split(",")).contains("ro");
      String device =
          s.getVolume() == null || s.getVolume().isEmpty() ? s.getName() : s.getVolume();
      out.add(new Mounts.Mount(device, s.getMount(), s.getType(), ro));
    }
    return out;
  }

  /**
   * The usage of the store mounted at {@code mountPoint} (an absolute path of the live system).
   *
   * @throws IOException when OSHI knows no such mount or cannot refresh it
   */
  @Override
  public FsUsage stat(Path mountPoint) throws IOException {
    OSFileStore s = byMount.get(mountPoint.toString());
    if (s == null) {
      throw new IOException("no file store mounted at " + mountPoint);
    }
    if (!s.updateAttributes()) {
      throw new IOException("OSHI could not read the file store at " + mountPoint);
    }
    return new FsUsage(
        s.getTotalSpace(),
        s.getFreeSpace(),
        s.getUsableSpace(),
        Math.max(0, s.getTotalInodes()),
        Math.max(0, s.getFreeInodes()));
  }
}
