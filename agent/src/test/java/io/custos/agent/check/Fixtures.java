package io.custos.agent.check;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Captured {@code /proc} trees under {@code src/test/resources/fixtures/<case>}. */
public final class Fixtures {
  private Fixtures() {}

  /** The root of a fixture tree, to use as a check's root path. */
  public static Path root(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<String> lines(String name, String file) throws IOException {
    return Files.readAllLines(root(name).resolve(file), StandardCharsets.UTF_8);
  }
}
