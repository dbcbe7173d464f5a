package io.custos.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.common.wire.Status;
import org.junit.jupiter.api.Test;

class ServiceTransitionTest {
  @Test
  void firstOkResultIsNoEvent() {
    assertThat(ServiceTransition.next(null, 0, 0, Status.OK, 100, 3))
        .isEqualTo(new ServiceTransition(1, 100, false));
  }

  @Test
  void firstProblemIsAnEventAtAttemptOne() {
    assertThat(ServiceTransition.next(null, 0, 0, Status.CRITICAL, 100, 3))
        .isEqualTo(new ServiceTransition(1, 100, true));
  }

  @Test
  void problemsInARowCountUpToMaxEvenWhenTheStatusChanges() {
    assertThat(ServiceTransition.next(Status.WARNING, 1, 50, Status.CRITICAL, 100, 3))
        .isEqualTo(new ServiceTransition(2, 100, true));
    assertThat(ServiceTransition.next(Status.CRITICAL, 3, 50, Status.CRITICAL, 100, 3))
        .isEqualTo(new ServiceTransition(3, 50, false));
  }

  @Test
  void recoveryResetsAttempt() {
    assertThat(ServiceTransition.next(Status.CRITICAL, 3, 50, Status.OK, 100, 3))
        .isEqualTo(new ServiceTransition(1, 100, true));
  }
}
