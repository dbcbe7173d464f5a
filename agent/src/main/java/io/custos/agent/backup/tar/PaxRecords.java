package io.custos.agent.backup.tar;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records of one PAX extended header ({@code "%d %s=%s\n"}), kept in insertion order and
 * encoded byte-exact: values are raw bytes so that xattr values and {@code GNU.dumpdir} (which
 * holds NULs) survive. Written by us rather than by Commons Compress, whose writer orders records
 * by hash and keeps only 100 ns of a time stamp.
 */
public final class PaxRecords {

  private final Map<String, byte[]> records = new LinkedHashMap<>();

  public PaxRecords put(String key, String value) {
    return put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  public PaxRecords put(String key, byte[] value) {
    records.put(key, value);
    return this;
  }

  public PaxRecords remove(String key) {
    records.remove(key);
    return this;
  }

  boolean contains(String key) {
    return records.containsKey(key);
  }

  public PaxRecords putAll(PaxRecords other) {
    records.putAll(other.records);
    return this;
  }

  public boolean isEmpty() {
    return records.isEmpty();
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int rest = 1 + key.length + 1 + r.getValue().length + 1;
      int digits = 1;
      while (String.valueOf(rest + digits).length() != digits) {
        digits++;
      }
      out.writeBytes(String.valueOf(rest + digits).getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(r.getValue());
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** A PAX time: seconds, with a nine-digit fraction when there are nanoseconds. */
  public static String time(Instant t) {
    if (t.getNano() == 0) {
      return Long.toString(t.getEpochSecond());
    }
    return BigDecimal.valueOf(t.getEpochSecond())
        .add(BigDecimal.valueOf(t.getNano(), 9))
        .setScale(9)
        .toPlainString();
  }
}
