package io.custos.common.config;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReloadOnHangupTest {
  @Test
  void aRealSighupRunsTheReloadOnTheReloadThreadAndTheJvmLivesOn() throws Exception {
    AtomicReference<String> thread = new AtomicReference<>();
    try (ReloadOnHangup hangup =
        ReloadOnHangup.install(() -> thread.set(Thread.currentThread().getName()))) {
      assumeTrue(
          hangup.signalHandled(),
          "this JVM was started ignoring SIGHUP (nohup): no signal can reach a handler; see"
              + " underNohupTheDaemonKnowsItCannotHandleSighup");
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
              .inheritIO()
              .start();
      assertThat(kill.waitFor()).isZero();

      await().atMost(10, SECONDS).until(() -> thread.get() != null);
      assertThat(thread.get()).isEqualTo("custos-reload");
      assertThat(hangup).isNotNull();
    }
  }

  @Test
  void requestsDuringAReloadCoalesceIntoOneMoreRun() throws Exception {
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    try (ReloadOnHangup hangup =
        ReloadOnHangup.install(
            () -> {
              if (runs.incrementAndGet() == 1) {
                inFirst.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            })) {
      hangup.request();
      assertThat(inFirst.await(10, SECONDS)).isTrue();
      hangup.request();
      hangup.request();
      hangup.request();
      release.countDown();

      // Two runs, and no third for a while after: a third would follow the second at once.
      await().atMost(10, SECONDS).until(() -> runs.get() == 2);
      await().during(300, MILLISECONDS).atMost(2, SECONDS).until(() -> runs.get() == 2);
    }
  }

  @Test
  void aReloadThatThrowsDoesNotStopLaterOnes() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (ReloadOnHangup hangup =
        ReloadOnHangup.install(
            () -> {
              runs.incrementAndGet();
              throw new IllegalStateException("boom");
            })) {
      hangup.request();
      await().atMost(10, SECONDS).until(() -> runs.get() == 1);
      hangup.request();
      await().atMost(10, SECONDS).until(() -> runs.get() == 2);
    }
  }

  /** Run by {@link #underNohupTheDaemonKnowsItCannotHandleSighup} in a JVM ignoring SIGHUP. */
  public static final class Probe {
    public static void main(String[] args) {
      try (ReloadOnHangup hangup = ReloadOnHangup.install(() -> {})) {
        System.out.println("handled=" + hangup.signalHandled());
      }
    }
  }

  @Test
  void underNohupTheDaemonKnowsItCannotHandleSighup() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // What nohup does: SIGHUP set to SIG_IGN before exec; HotSpot then refuses a handler for it.
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "trap '' HUP; exec \"$0\" -cp \"$1\" \"$2\"",
                java,
                System.getProperty("java.class.path"),
                Probe.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, SECONDS)).isTrue();
    assertThat(out).contains("handled=false");
    assertThat(ReloadOnHangup.unavailableMessage("custos-collector reload"))
        .contains("SIGHUP is ignored")
        .contains("use custos-collector reload instead");
  }
}
