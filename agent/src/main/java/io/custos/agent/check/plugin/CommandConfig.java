package io.custos.agent.check.plugin;

import io.custos.agent.check.CheckKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the {@code command} check: a Nagios-compatible plugin.
 *
 * <pre>{@code
 * - { type: command, name: Current Users, command: "/usr/lib/nagios/plugins/check_users -w 5 -c 10" }
 * - { type: command, name: Root Partition, timeout: 30s,
 *     command: "/usr/lib/nagios/plugins/check_disk -w 20% -c 10% -p /" }
 * }</pre>
 *
 * @param command the program and its arguments, split on blanks; single or double quotes keep
 *     blanks inside one argument ({@code check_http -H example.net -s 'Welcome home'}). No shell
 *     runs it, so {@code $VAR}, globs and pipes mean nothing; write {@code sh -c '...'} for those.
 */
public record CommandConfig(String command) implements CheckKind {

  public CommandConfig {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("command: expected the plugin and its arguments");
    }
    split(command);
  }

  /** A plugin with every common key at its default. */
  public static CommandConfig of(String command) {
    return new CommandConfig(command);
  }

  @Override
  public String type() {
    return "command";
  }

  /** The argument vector: blank-separated words, quotes keeping blanks; no other expansion. */
  static List<String> split(String command) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException(
          "command: unbalanced " + quote + " in \"" + command + "\"");
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }
}
