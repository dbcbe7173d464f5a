package io.custos.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} arguments. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      values.put(args[i].substring(2), args[++i]);
    }
  }

  int integer(String name, int dflt) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : dflt;
  }

  String text(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }
}
