package io.custos.agent.backup;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * age encryption (<a href="https://age-encryption.org/v1">age-encryption.org/v1</a>, X25519
 * recipients) of archives and manifests, streaming through the jagged library: the payload is
 * encrypted in 64 KiB chunks as it is written, so a clear archive never exists on disk, and
 * decrypted as it is read. Files are binary age files, the same as {@code age -r RECIPIENT} writes
 * and {@code age -d -i KEY} reads.
 *
 * <p>Recipients are {@code age1...} public keys; identities are {@code AGE-SECRET-KEY-1...} lines
 * of an identity file as {@code age-keygen} writes it ({@code #} comments and blank lines ignored).
 */
public final class Age {
  /** The first bytes of every binary age file. */
  static final byte[] MAGIC = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);

  /** The file name suffix of an encrypted file. */
  public static final String SUFFIX = ".age";

  private Age() {}

  /**
   * Checks {@code age1...} recipients; a bad one is an {@link IllegalArgumentException} naming its
   * index and value.
   *
   * @param key the config key for messages, e.g. {@code encrypt.age_recipients}
   */
  public static void checkRecipients(String key, List<String> recipients) {
    if (recipients == null || recipients.isEmpty()) {
      throw new IllegalArgumentException(key + ": expected at least one age1... recipient");
    }
    for (int i = 0; i < recipients.size(); i++) {
      String r = recipients.get(i);
      try {
        if (r == null || !r.startsWith("age1")) {
          throw new GeneralSecurityException("not an age1... X25519 recipient");
        }
        X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r);
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException(
            key
                + "["
                + i
                + "]: not an age X25519 recipient (age1..., as age-keygen -y prints): \""
                + r
                + "\"");
      }
    }
  }

  /**
   * An output stream that encrypts everything written to it for {@code recipients} into {@code
   * out}; closing it writes the last chunk and closes {@code out}.
   *
   * @throws IOException when a recipient is not valid
   */
  public static OutputStream encrypt(OutputStream out, List<String> recipients) throws IOException {
    List<RecipientStanzaWriter> writers = new ArrayList<>();
    try {
      for (String r : recipients) {
        writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r));
      }
      return Channels.newOutputStream(
          new StandardEncryptingChannelFactory()
              .newEncryptingChannel(Channels.newChannel(out), writers));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot encrypt with age: " + e.getMessage(), e);
    }
  }

  /** Encrypts the file {@code clear} into {@code target} (which must not exist), forced. */
  static void encryptFile(Path clear, Path target, List<String> recipients) throws IOException {
    try (var ch = SafeFiles.newPrivateFile(target);
        InputStream in = Files.newInputStream(clear)) {
      OutputStream enc =
          encrypt(
              // The channel stays open for force() after the age stream is closed; the
              // channel's stream has no buffer, so nothing is left unflushed behind the shield.
              CloseShieldOutputStream.wrap(Channels.newOutputStream(ch)), recipients);
      in.transferTo(enc);
      enc.close();
      ch.force(true);
    }
  }

  /** Whether {@code head} (the first bytes of a file) starts like a binary age file. */
  static boolean isAge(byte[] head, int n) {
    return n >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** Whether the file starts like a binary age file. */
  public static boolean isAge(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAGIC.length);
      return isAge(head, head.length);
    }
  }

  /**
   * The identities ({@code AGE-SECRET-KEY-1...}) to decrypt with; {@link #none()} when none was
   * given, so reading an encrypted archive fails with {@link IdentityRequiredException}.
   */
  public static final class Identities {
    private final List<String> keys;
    private final String source;

    private Identities(List<String> keys, String source) {
      this.keys = List.copyOf(keys);
      this.source = source;
    }

    /** No identity. */
    public static Identities none() {
      return new Identities(List.of(), null);
    }

    /** The given secret keys. */
    public static Identities of(String... keys) {
      return new Identities(List.of(keys), "the given keys");
    }

    /**
     * Reads an identity file as {@code age-keygen -o} writes it.
     *
     * @throws IOException naming the file when it cannot be read or holds no valid identity
     */
    public static Identities read(Path file) throws IOException {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IOException("identity file " + file + " does not exist", e);
      }
      List<String> keys = new ArrayList<>();
      int n = 0;
      for (String line : lines) {
        n++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        try {
          X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(t);
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new IOException(
              "identity file "
                  + file
                  + " line "
                  + n
                  + ": not an age X25519 identity (AGE-SECRET-KEY-1...)");
        }
        keys.add(t);
      }
      if (keys.isEmpty()) {
        throw new IOException("identity file " + file + " holds no AGE-SECRET-KEY-1... line");
      }
      return new Identities(keys, file.toString());
    }

    /** Whether there is none. */
    public boolean isEmpty() {
      return keys.isEmpty();
    }

    /**
     * Decrypts {@code in}, an age file whose header has not been read yet.
     *
     * @param what names the file in errors
     * @throws IdentityRequiredException when there is no identity
     * @throws IOException naming {@code what} when no identity matches or the header is bad
     */
    public InputStream decrypt(InputStream in, String what) throws IOException {
      if (keys.isEmpty()) {
        throw new IdentityRequiredException(what);
      }
      List<RecipientStanzaReader> readers = new ArrayList<>();
      try {
        for (String k : keys) {
          readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(k));
        }
        Source src = new Source(in);
        InputStream plain =
            Channels.newInputStream(
                new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(src), readers));
        return new java.io.FilterInputStream(plain) {
          @Override
          public int read() throws IOException {
            try {
              return in.read();
            } catch (IOException e) {
              throw src.explain(what, e);
            }
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            try {
              return in.read(b, off, len);
            } catch (IOException e) {
              throw src.explain(what, e);
            }
          }
        };
      } catch (GeneralSecurityException e) {
        throw new IOException(
            "cannot decrypt "
                + what
                + " with the identities of "
                + source
                + ": "
                + (e.getMessage() == null ? e.toString() : e.getMessage()),
            e);
      }
    }
  }

  /**
   * The encrypted bytes as they are read, counted, so that a failing chunk can be told apart: the
   * file ended before age's final chunk (truncated), or a chunk failed its authentication
   * (damaged).
   */
  private static final class Source extends java.io.FilterInputStream {
    long count;
    boolean eof;

    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b < 0) {
        eof = true;
      } else {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        eof = true;
      } else {
        count += n;
      }
      return n;
    }

    IOException explain(String what, IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      return new IOException(
          what
              + (eof
                  ? String.format(
                      ": truncated: the age data ends after %,d bytes, before its final chunk (%s)",
                      count, why)
                  : String.format(
                      ": damaged: an age chunk before byte %,d fails its authentication (%s)",
                      count, why)),
          e);
    }
  }

  /** The first line of an armored age file ({@code age -a}, age's spec: "ASCII armor"). */
  static final String ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";

  static final String ARMOR_END = "-----END AGE ENCRYPTED FILE-----";

  /**
   * Whether {@code head} (at least the first {@link #MAGIC} length bytes) starts an armored file.
   */
  static boolean isArmored(byte[] head, int n) {
    byte[] begin = ARMOR_BEGIN.getBytes(StandardCharsets.US_ASCII);
    int k = Math.min(n, begin.length);
    return k >= MAGIC.length && Arrays.equals(head, 0, k, begin, 0, k);
  }

  /**
   * The binary age file inside an armored one ({@code age -a}): the lines between {@link
   * #ARMOR_BEGIN} and {@link #ARMOR_END}, standard base64, decoded line by line as they are read.
   *
   * @throws IOException naming {@code what} when a line is not base64 or the end line is missing
   */
  static InputStream dearmor(InputStream in, String what) {
    java.io.BufferedReader lines =
        new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.US_ASCII));
    return new InputStream() {
      private byte[] chunk = new byte[0];
      private int pos;
      private boolean started;
      private boolean ended;

      private boolean fill() throws IOException {
        while (pos >= chunk.length) {
          if (ended) {
            return false;
          }
          String line = lines.readLine();
          if (line == null) {
            throw new IOException(
                what + ": truncated: armored age file without its line " + ARMOR_END);
          }
          line = line.strip();
          if (!started) {
            if (!line.equals(ARMOR_BEGIN)) {
              throw new IOException(what + ": not an armored age file: first line " + line);
            }
            started = true;
            continue;
          }
          if (line.equals(ARMOR_END)) {
            ended = true;
            return false;
          }
          try {
            chunk = java.util.Base64.getDecoder().decode(line);
          } catch (IllegalArgumentException e) {
            throw new IOException(
                what + ": armored age file has a line that is not base64: " + e.getMessage(), e);
          }
          pos = 0;
        }
        return true;
      }

      @Override
      public int read() throws IOException {
        return fill() ? chunk[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (!fill()) {
          return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }

      @Override
      public void close() throws IOException {
        lines.close();
      }
    };
  }

  /** An encrypted file was to be read without an identity; says which option gives one. */
  public static final class IdentityRequiredException extends IOException {
    private static final long serialVersionUID = 1L;

    IdentityRequiredException(String what) {
      super(
          what
              + " is encrypted with age; give its identity file with --identity FILE"
              + " (the AGE-SECRET-KEY-1... key kept offline)");
    }
  }
}
