package io.custos.agent.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands what is written to another thread that writes it to {@code out}, so compressing (on that
 * thread) overlaps reading and hashing files (on the caller's), as {@code tar | gzip} overlaps them
 * in two processes. Memory is bounded: at most {@code DEPTH} blocks of {@code BLOCK} bytes wait. A
 * failure downstream (a full disk) is rethrown to the writer at its next write or at {@link
 * #close}; {@link #close} waits for everything to be written and closes {@code out}.
 */
final class PipelinedOutputStream extends OutputStream {
  private static final int BLOCK = 1 << 20;
  private static final int DEPTH = 4;
  private static final byte[] END = new byte[0];

  private final OutputStream out;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(DEPTH);
  private final Thread thread;
  private volatile Throwable failure;
  private byte[] block = new byte[BLOCK];
  private int used;
  private boolean closed;
  private boolean reported;

  PipelinedOutputStream(OutputStream out, String name) {
    this.out = out;
    this.thread = new Thread(this::drain, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void drain() {
    try {
      while (true) {
        byte[] b = queue.take();
        if (b == END) {
          return;
        }
        if (failure == null) {
          out.write(b, 0, b.length);
        }
      }
    } catch (Throwable t) {
      failure = t;
      queue.clear();
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (used == BLOCK) {
      pass();
    }
    block[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check(); // a volatile read: a downstream failure surfaces while its entry is being written
    while (len > 0) {
      if (used == BLOCK) {
        pass();
      }
      int n = Math.min(len, BLOCK - used);
      System.arraycopy(b, off, block, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  private void pass() throws IOException {
    check();
    byte[] full = used == BLOCK ? block : java.util.Arrays.copyOf(block, used);
    put(full);
    block = new byte[BLOCK];
    used = 0;
  }

  private void put(byte[] b) throws IOException {
    try {
      while (!queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        check();
        if (!thread.isAlive()) {
          throw new IOException("compression thread ended");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    }
  }

  /**
   * Rethrows a downstream failure: the first time as it is (a disk-full {@code FileSystemException}
   * stays one), after that as a new exception with the same message. The same instance thrown from
   * a write and again from {@link #close} in one try-with-resources made the JVM's {@code
   * addSuppressed} fail with "Self-suppression not permitted", which replaced the disk-full error.
   */
  private void check() throws IOException {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    if (!reported && t instanceof IOException) {
      reported = true;
      throw (IOException) t;
    }
    reported = true;
    throw new IOException(t.getMessage() != null ? t.getMessage() : t.toString(), t);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (used > 0) {
        pass();
      }
      put(END);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } finally {
      if (thread.isAlive()) {
        thread.interrupt();
      }
    }
    check();
    out.close();
  }
}
