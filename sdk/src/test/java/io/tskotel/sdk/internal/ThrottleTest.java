package io.tskotel.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  @Test
  void allow_firstCallThenNoneWithinThePeriod() {
    Throttle throttle = new Throttle(Duration.ofHours(1));

    assertThat(throttle.allow()).isTrue();
    assertThat(throttle.allow()).isFalse();
    assertThat(throttle.allow()).isFalse();
  }

  @Test
  void allow_againOnceThePeriodPassed() {
    Throttle throttle = new Throttle(Duration.ofMillis(1));
    assertThat(throttle.allow()).isTrue();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    boolean again = false;
    while (!again && System.nanoTime() - deadline < 0) {
      again = throttle.allow();
    }
    assertThat(again).isTrue();
  }

  @Test
  void new_periodNotPositive_refused() {
    assertThatThrownBy(() -> new Throttle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period: PT0S (expected: > 0)");
  }
}
