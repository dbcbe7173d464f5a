package io.custos.agent.backup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * POSIX ACLs between the form Linux keeps them in ({@code system.posix_acl_access} and {@code
 * system.posix_acl_default}: a little-endian version 2 header, then 8-byte entries of tag,
 * permissions and id, see {@code include/uapi/linux/posix_acl_xattr.h}) and the text form GNU tar
 * {@code --acls} stores in {@code SCHILY.acl.access} and {@code SCHILY.acl.default} ({@code
 * acl_to_text(3)}: one {@code tag:qualifier:perms} entry per line, e.g. {@code
 * user::rw-\nuser:1234:rw-\ngroup::r--\nmask::rw-\nother::r--\n}).
 *
 * <p>We write qualifiers as numeric ids ({@code getfacl -n}), so an ACL means the same ids on any
 * host, as the archive's uid/gid do; we read names too (GNU tar writes them when they resolve).
 */
final class Acls {

  private static final int VERSION = 2;
  private static final int USER_OBJ = 0x01;
  private static final int USER = 0x02;
  private static final int GROUP_OBJ = 0x04;
  private static final int GROUP = 0x08;
  private static final int MASK = 0x10;
  private static final int OTHER = 0x20;
  private static final long UNDEFINED_ID = 0xffffffffL;

  private Acls() {}

  /**
   * The text form of a binary ACL.
   *
   * @throws IllegalArgumentException if {@code xattr} is not a version 2 ACL
   */
  static String toText(byte[] xattr) {
    ByteBuffer b = ByteBuffer.wrap(xattr).order(ByteOrder.LITTLE_ENDIAN);
    if (xattr.length < 4 || (xattr.length - 4) % 8 != 0 || b.getInt(0) != VERSION) {
      throw new IllegalArgumentException(
          "not a POSIX ACL (version 2, 4 + 8n bytes): " + xattr.length + " bytes");
    }
    StringBuilder text = new StringBuilder();
    for (int at = 4; at < xattr.length; at += 8) {
      int tag = Short.toUnsignedInt(b.getShort(at));
      int perm = Short.toUnsignedInt(b.getShort(at + 2));
      long id = Integer.toUnsignedLong(b.getInt(at + 4));
      String qualifier = tag == USER || tag == GROUP ? Long.toString(id) : "";
      text.append(tagName(tag))
          .append(':')
          .append(qualifier)
          .append(':')
          .append((perm & 4) != 0 ? 'r' : '-')
          .append((perm & 2) != 0 ? 'w' : '-')
          .append((perm & 1) != 0 ? 'x' : '-')
          .append('\n');
    }
    return text.toString();
  }

  /**
   * The binary ACL for a text form: entries separated by newlines or commas, {@code #} comments
   * ignored, tags {@code user}/{@code u}, {@code group}/{@code g}, {@code mask}/{@code m}, {@code
   * other}/{@code o}, qualifiers numeric or names that {@code ids} resolves.
   *
   * @param ids a user ({@code u:NAME}) or group ({@code g:NAME}) name to its id, -1 if unknown
   * @throws IllegalArgumentException naming the entry that cannot be read
   */
  static byte[] fromText(String text, ToLongFunction<String> ids) {
    List<long[]> entries = new ArrayList<>();
    for (String raw : text.split("[\n,]")) {
      String e = raw;
      int hash = e.indexOf('#');
      if (hash >= 0) {
        e = e.substring(0, hash);
      }
      e = e.strip();
      if (e.isEmpty()) {
        continue;
      }
      String[] f = e.split(":", -1);
      if (f.length != 3) {
        throw new IllegalArgumentException("ACL entry '" + e + "': expected tag:qualifier:perms");
      }
      int tag;
      switch (f[0]) {
        case "user":
        case "u":
          tag = f[1].isEmpty() ? USER_OBJ : USER;
          break;
        case "group":
        case "g":
          tag = f[1].isEmpty() ? GROUP_OBJ : GROUP;
          break;
        case "mask":
        case "m":
          tag = MASK;
          break;
        case "other":
        case "o":
          tag = OTHER;
          break;
        default:
          throw new IllegalArgumentException("ACL entry '" + e + "': unknown tag '" + f[0] + "'");
      }
      long id = UNDEFINED_ID;
      if (tag == USER || tag == GROUP) {
        id = qualifier(f[1], tag == USER ? "u:" : "g:", ids, e);
      }
      int perm = 0;
      for (char c : f[2].toCharArray()) {
        switch (c) {
          case 'r':
            perm |= 4;
            break;
          case 'w':
            perm |= 2;
            break;
          case 'x':
            perm |= 1;
            break;
          case '-':
            break;
          default:
            throw new IllegalArgumentException("ACL entry '" + e + "': bad permission '" + c + "'");
        }
      }
      entries.add(new long[] {tag, perm, id});
    }
    // the kernel wants entries ordered by tag, then id
    entries.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(VERSION);
    for (long[] e : entries) {
      b.putShort((short) e[0]).putShort((short) e[1]).putInt((int) e[2]);
    }
    return b.array();
  }

  private static long qualifier(String q, String kind, ToLongFunction<String> ids, String entry) {
    if (!q.isEmpty() && q.chars().allMatch(Character::isDigit)) {
      long id = Long.parseLong(q);
      if (id < UNDEFINED_ID) {
        return id;
      }
    }
    long id = ids.applyAsLong(kind + q);
    if (id < 0) {
      throw new IllegalArgumentException("ACL entry '" + entry + "': unknown name '" + q + "'");
    }
    return id;
  }

  private static String tagName(int tag) {
    switch (tag) {
      case USER_OBJ:
      case USER:
        return "user";
      case GROUP_OBJ:
      case GROUP:
        return "group";
      case MASK:
        return "mask";
      case OTHER:
        return "other";
      default:
        throw new IllegalArgumentException("unknown ACL tag 0x" + Integer.toHexString(tag));
    }
  }
}
