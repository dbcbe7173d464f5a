package io.custos.agent.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * gzip on several threads, like {@code pigz --independent}: the input is cut into 1 MiB chunks,
 * each compressed as its own gzip member by one of {@code workers} threads, and the members are
 * written in order. A file of concatenated members is a valid gzip file (RFC 1952), which {@code
 * gzip -d}, {@code tar -z} and our reader read as one stream. Chunks share no dictionary, so the
 * output is slightly larger (well under 1 % at 1 MiB). Memory: about {@code 2 * workers + 1}
 * chunks. A compression failure is rethrown from the write or close that meets it.
 */
final class ParallelGzipOutputStream extends OutputStream {
  private static final int CHUNK = 1 << 20;

  private final OutputStream out;
  private final int level;
  private final int workers;
  private final ExecutorService pool;
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] chunk = new byte[CHUNK];
  private int used;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream out, int level, int workers) {
    this.out = out;
    this.level = level;
    this.workers = workers;
    this.pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "custos-gzip");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void write(int b) throws IOException {
    if (used == CHUNK) {
      submit();
    }
    chunk[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (used == CHUNK) {
        submit();
      }
      int n = Math.min(len, CHUNK - used);
      System.arraycopy(b, off, chunk, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  private void submit() throws IOException {
    byte[] data = used == CHUNK ? chunk : Arrays.copyOf(chunk, used);
    int lvl = level;
    pending.add(pool.submit(() -> member(data, lvl)));
    chunk = new byte[CHUNK];
    used = 0;
    while (pending.size() > 2 * workers) {
      writeHead();
    }
  }

  private static byte[] member(byte[] data, int level) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream gz =
        new GZIPOutputStream(bytes, 64 * 1024) {
          {
            def.setLevel(level);
          }
        }) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  private void writeHead() throws IOException {
    try {
      out.write(pending.removeFirst().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException ? (IOException) c : new IOException(c.toString(), c);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (used > 0 || pending.isEmpty()) {
        submit(); // an empty input still makes one (empty) member, a valid gzip file
      }
      while (!pending.isEmpty()) {
        writeHead();
      }
      out.close();
    } finally {
      pool.shutdownNow();
    }
  }
}
