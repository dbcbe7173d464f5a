package io.custos.collector.alert;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.alert.notify.DeliveryException;
import io.custos.collector.alert.notify.Message;
import io.custos.collector.alert.notify.Messages;
import io.custos.collector.alert.notify.Notifier;
import io.custos.collector.store.OutboxRecord;
import io.custos.collector.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: one daemon thread per transport, so a slow or failing transport never holds
 * up another or the ingest. Each due batch (the pending notices of one host) becomes one message,
 * after the notices that cancel each other within it are left out ({@link Dedup}). A failure is
 * logged and retried after {@value #FIRST_BACKOFF_MS} ms, doubling up to {@value #MAX_BACKOFF_MS}
 * ms; after {@value #MAX_ATTEMPTS} attempts, or at once when the notifier says trying again cannot
 * help ({@link DeliveryException#retryable()}), the notices are marked failed. Sent and failed
 * deliveries are recorded in the event history. Because the outbox is in the store, a restart
 * resumes where it stopped (a message being sent at the moment of a crash may go twice, never zero
 * times).
 */
public final class Dispatcher implements AutoCloseable {
  static final long FIRST_BACKOFF_MS = 5_000;
  static final long MAX_BACKOFF_MS = 600_000;
  static final int MAX_ATTEMPTS = 12;
  private static final long POLL_MS = 500;
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Store store;
  private final Clock clock;
  private final Map<String, Notifier> notifiers;
  private final String dashboardUrl;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final List<Thread> threads = new ArrayList<>();
  private final ObjectMapper json =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private long generation;
  private volatile boolean running = true;

  /**
   * @param notifiers transport name to notifier; names as given to {@link AlertEngine}
   * @param dashboardUrl public collector URL for the messages' links, or null
   */
  public Dispatcher(
      Store store, Clock clock, Map<String, Notifier> notifiers, String dashboardUrl) {
    this.store = store;
    this.clock = clock;
    this.notifiers = new LinkedHashMap<>(notifiers);
    this.dashboardUrl = dashboardUrl;
  }

  /** Starts one thread per transport. */
  public Dispatcher start() {
    for (Map.Entry<String, Notifier> e : notifiers.entrySet()) {
      Thread t = new Thread(() -> loop(e.getKey(), e.getValue()), "custos-notify-" + e.getKey());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return this;
  }

  /** Makes every transport look at the outbox now (called after notices are committed). */
  public void wake() {
    lock.lock();
    try {
      generation++;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop(String transport, Notifier notifier) {
    while (running) {
      long seen;
      lock.lock();
      try {
        seen = generation;
      } finally {
        lock.unlock();
      }
      try {
        runOnce(transport, notifier);
      } catch (RuntimeException e) {
        LOG.warn("notify {}: cannot read the outbox; retrying", transport, e);
      }
      lock.lock();
      try {
        if (running && generation == seen) {
          wakeUp.await(POLL_MS, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Delivers every due batch of {@code transport} once; returns how many batches it tried. */
  int runOnce(String transport, Notifier notifier) {
    long now = clock.millis();
    List<OutboxRecord> due = store.alerts(tx -> tx.dueOutbox(transport, now));
    Map<String, List<OutboxRecord>> byHost = new LinkedHashMap<>();
    for (OutboxRecord r : due) {
      byHost.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<OutboxRecord>> batch : byHost.entrySet()) {
      deliver(transport, notifier, batch.getKey(), batch.getValue());
    }
    return byHost.size();
  }

  private void deliver(
      String transport, Notifier notifier, String host, List<OutboxRecord> records) {
    List<Notice> read = new ArrayList<>();
    List<Long> readIds = new ArrayList<>();
    List<Long> unreadable = new ArrayList<>();
    int attempts = 0;
    for (OutboxRecord r : records) {
      attempts = Math.max(attempts, r.attempts());
      try {
        read.add(json.readValue(r.payload(), Notice.class));
        readIds.add(r.id());
      } catch (IOException e) {
        LOG.error("notify {}: unreadable outbox entry {} dropped", transport, r.id(), e);
        unreadable.add(r.id());
      }
    }
    boolean[] cancelled = Dedup.cancelled(read);
    List<Notice> notices = new ArrayList<>();
    List<Long> ids = new ArrayList<>(unreadable);
    List<Notice> drop = new ArrayList<>();
    List<Long> dropIds = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      (cancelled[i] ? drop : notices).add(read.get(i));
      (cancelled[i] ? dropIds : ids).add(readIds.get(i));
    }
    if (!drop.isEmpty()) {
      dropped(transport, drop, dropIds);
    }
    if (notices.isEmpty()) {
      if (!ids.isEmpty()) {
        store.alerts(
            tx -> {
              tx.outboxDone(ids, false, clock.millis(), "unreadable outbox entries");
              return null;
            });
      }
      return;
    }
    Message m = Messages.compose(host, notices, dashboardUrl, clock.getZone());
    String answer;
    try {
      answer = notifier.send(m);
    } catch (Exception | Error e) {
      failed(transport, host, notices, ids, attempts + 1, e);
      return;
    }
    long now = clock.millis();
    LOG.info("notify {}: sent \"{}\": {}", transport, m.subject(), answer);
    store.alerts(
        tx -> {
          tx.outboxDone(ids, true, now, answer);
          for (Notice n : notices) {
            if (n.type() == NoticeType.PROBLEM && n.number() == 1) {
              firstSent(tx, n, now);
            }
            tx.event(
                n.host(),
                n.service(),
                now,
                n.status().name(),
                n.type() + " sent via " + transport + ": " + answer);
          }
          return null;
        });
  }

  /**
   * Records when the first PROBLEM of a problem really left (the state machine noted when it
   * decided it, up to group_wait and retries earlier), so the later reminders' and RECOVERY's
   * "first sent" tell the truth. Only the first transport to succeed sets it; a state that has
   * moved on to another problem meanwhile is left alone.
   */
  private void firstSent(io.custos.collector.store.AlertTx tx, Notice n, long now) {
    tx.lockHost(n.host());
    String doc = tx.alertState(n.host(), n.service());
    if (doc == null) {
      return;
    }
    try {
      AlertState s = json.readValue(doc, AlertState.class);
      if (s.firstNotified() <= 0 || s.firstNotified() != n.firstSent() || now <= n.firstSent()) {
        return;
      }
      AlertState.Edit e = s.edit();
      e.firstNotified = now;
      tx.saveAlertState(n.host(), n.service(), json.writeValueAsString(e.build()));
    } catch (IOException e) {
      LOG.warn(
          "notify: alert state of {}/{} unreadable; first sent not recorded",
          n.host(),
          n.service(),
          e);
    }
  }

  /** Marks notices that cancelled each other within group_wait as done, and says so. */
  private void dropped(String transport, List<Notice> notices, List<Long> ids) {
    long now = clock.millis();
    store.alerts(
        tx -> {
          tx.outboxDone(ids, true, now, "not sent: cancelled within group_wait");
          for (Notice n : notices) {
            tx.event(
                n.host(),
                n.service(),
                now,
                n.status().name(),
                n.type()
                    + " not sent via "
                    + transport
                    + ": "
                    + (n.type().isDowntime() ? "the downtime" : "the problem")
                    + " began and ended within group_wait");
          }
          return null;
        });
  }

  private void failed(
      String transport,
      String host,
      List<Notice> notices,
      List<Long> ids,
      int attempts,
      Throwable e) {
    long now = clock.millis();
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    boolean permanent = e instanceof DeliveryException d && !d.retryable();
    boolean give = permanent || attempts >= MAX_ATTEMPTS;
    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempts - 1, 20));
    LOG.warn(
        "notify {}: {} notice(s) for {} not delivered (attempt {}/{}): {}{}",
        transport,
        notices.size(),
        host,
        attempts,
        MAX_ATTEMPTS,
        error,
        permanent
            ? "; not retried: trying again cannot help"
            : give ? "; giving up" : "; retrying in " + backoff / 1000 + "s");
    store.alerts(
        tx -> {
          if (give) {
            tx.outboxDone(ids, false, now, error);
            for (Notice n : notices) {
              tx.event(
                  n.host(),
                  n.service(),
                  now,
                  n.status().name(),
                  n.type()
                      + " FAILED via "
                      + transport
                      + (permanent
                          ? " (not retried: trying again cannot help)"
                          : " after " + attempts + " attempts")
                      + ": "
                      + error);
            }
          } else {
            tx.outboxRetry(ids, now + backoff, error);
          }
          return null;
        });
  }

  /** Stops the threads; undelivered notices stay in the outbox for the next start. */
  @Override
  public void close() {
    running = false;
    wake();
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
