package io.custos.agent.check;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Captured tool output under {@code src/test/resources/tool-output/<tool>/} (see its README), and
 * fake programs: small shell scripts that print a fixture, run as real processes through {@link
 * CommandRunner#SYSTEM}.
 */
public final class ToolOutput {
  private ToolOutput() {}

  public static Path path(String tool, String file) {
    try {
      return Path.of(ToolOutput.class.getResource("/tool-output/" + tool + "/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no fixture tool-output/" + tool + "/" + file, e);
    }
  }

  public static String read(String tool, String file) throws IOException {
    return Files.readString(path(tool, file), StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code dir/program}, a {@code /bin/sh} script with {@code body}; {@code "$*"} is its
   * arguments.
   */
  public static Path script(Path dir, String program, String body) throws IOException {
    Path p = dir.resolve(program);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /**
   * The real process runner, but a program name is looked up in {@code dir} first, as if {@code
   * dir} were at the front of {@code PATH}; programs not in {@code dir} are not found.
   */
  public static CommandRunner onPath(Path dir) {
    return (argv, timeout) -> {
      List<String> a = new ArrayList<>(argv);
      a.set(0, dir.resolve(argv.get(0)).toString());
      return CommandRunner.SYSTEM.run(a, timeout);
    };
  }
}
