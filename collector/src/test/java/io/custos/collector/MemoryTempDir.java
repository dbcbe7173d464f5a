package io.custos.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * A {@code @TempDir} in {@code /dev/shm} (tmpfs) where it exists, else in the default place. For a
 * test that writes thousands of reports, each committed with {@code synchronous=FULL}: on tmpfs an
 * fsync costs nothing, so the test measures the store's logic, not the disk.
 */
final class MemoryTempDir implements TempDirFactory {
  private static final Path SHM = Path.of("/dev/shm");

  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension)
      throws IOException {
    if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
      return Files.createTempDirectory(SHM, "custos-test-");
    }
    return Files.createTempDirectory("custos-test-");
  }
}
