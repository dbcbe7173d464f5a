package io.custos.agent.backup;

import java.util.Locale;

/** The kinds of entry an archive and a manifest hold; {@link #token()} is the manifest's word. */
enum EntryType {
  FILE,
  DIR,
  SYMLINK,
  HARDLINK,
  FIFO,
  CHAR,
  BLOCK;

  private static final int S_IFMT = 0170000;

  String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  static EntryType fromToken(String token) {
    return valueOf(token.toUpperCase(Locale.ROOT));
  }

  /** The type of a {@code st_mode}, or null for a socket or anything unknown. */
  static EntryType fromMode(int mode) {
    switch (mode & S_IFMT) {
      case 0100000:
        return FILE;
      case 0040000:
        return DIR;
      case 0120000:
        return SYMLINK;
      case 0010000:
        return FIFO;
      case 0020000:
        return CHAR;
      case 0060000:
        return BLOCK;
      default:
        return null;
    }
  }
}
