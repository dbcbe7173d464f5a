package io.custos.common.config;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs a daemon's reload when the process receives {@code SIGHUP}, as {@code systemctl reload}
 * ({@code ExecReload=kill -HUP $MAINPID}) sends it; without this the JVM treats SIGHUP like SIGTERM
 * and exits.
 *
 * <p>The reload runs on its own thread ({@code custos-reload}), never on the JVM's signal thread,
 * and one at a time: a SIGHUP that arrives while a reload runs makes exactly one more run after it
 * (several such signals coalesce), so the last edit is always the one applied.
 *
 * <p>What a reload does is the daemon's business: read and validate the file completely, refuse an
 * invalid one with the reason logged and keep running the old one, else apply it. Other parts that
 * must follow a SIGHUP (for instance re-reading TLS certificates) hook into that reload method, not
 * into the signal. Whatever the reload throws is caught and printed, so a faulty reload never stops
 * later ones.
 *
 * <p>Failure: {@link #install} throws {@link IllegalStateException} when the JVM does not let the
 * process handle SIGHUP (it was started with {@code -Xrs}, or the platform has no such signal).
 */
public final class ReloadOnHangup implements AutoCloseable {
  private static final Signal HUP = new Signal("HUP");

  private final Runnable reload;
  private final Object lock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread worker;
  private final SignalHandler previous;
  private boolean pending;

  private ReloadOnHangup(Runnable reload) {
    this.reload = reload;
    this.worker = new Thread(this::loop, "custos-reload");
    this.worker.setDaemon(true);
    this.worker.start();
    SignalHandler old;
    try {
      old = Signal.handle(HUP, signal -> request());
    } catch (IllegalArgumentException e) {
      worker.interrupt();
      throw new IllegalStateException("cannot handle SIGHUP: " + e.getMessage(), e);
    }
    this.previous = old;
    // HotSpot refuses to handle a SIGHUP the process was started ignoring (nohup, or a parent
    // that set SIG_IGN): Signal.handle then installs nothing and answers SIG_IGN
    // (JVM_RegisterSignal in hotspot/os/posix/jvm_posix.cpp). No Java code can undo that.
    this.signalHandled = old != SignalHandler.SIG_IGN;
  }

  private final boolean signalHandled;

  /**
   * False when this process ignores SIGHUP and the JVM therefore would not let it be handled (the
   * daemon was started under {@code nohup}): the daemon must say so at start and offer its other
   * way to reload ({@link #request()}, reached through its {@code reload} command).
   */
  public boolean signalHandled() {
    return signalHandled;
  }

  /**
   * The line a daemon logs at start when {@link #signalHandled()} is false.
   *
   * @param command how to reload without signals, such as {@code custos-collector reload}
   */
  public static String unavailableMessage(String command) {
    return "SIGHUP is ignored by this process (started under nohup, or by a parent ignoring"
        + " it) and the JVM cannot handle it: kill -HUP will not reload the configuration;"
        + " use "
        + command
        + " instead, or start the daemon without nohup (systemd, setsid)";
  }

  /**
   * Handles SIGHUP from now on by running {@code reload} on the reload thread.
   *
   * @param reload reads, validates and applies the configuration; should not throw
   * @return the handler; {@link #close()} gives SIGHUP back its previous meaning
   * @throws IllegalStateException when SIGHUP cannot be handled in this JVM
   */
  public static ReloadOnHangup install(Runnable reload) {
    return new ReloadOnHangup(reload);
  }

  /** Asks for a reload as a SIGHUP does; returns at once. */
  public void request() {
    synchronized (lock) {
      pending = true;
      lock.notifyAll();
    }
  }

  private void loop() {
    while (!closed.get()) {
      synchronized (lock) {
        while (!pending) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        pending = false;
      }
      try {
        reload.run();
      } catch (RuntimeException | Error e) {
        // The reload is expected to log its own failures; this is the last guard for the next one.
        System.err.println("reload on SIGHUP failed: " + e);
      }
    }
  }

  /** Gives SIGHUP back the handler it had before and stops the reload thread. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Signal.handle(HUP, previous);
      worker.interrupt();
    }
  }
}
