package io.tskotel.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestBudgetTest {

  @Test
  void tryAcquire_beyondTheLimit_refusedUntilAPermitIsClosed() {
    RequestBudget budget = new RequestBudget(100);
    RequestBudget.Permit a = budget.tryAcquire(60);
    assertThat(a).isNotNull();
    assertThat(budget.tryAcquire(41)).isNull();
    RequestBudget.Permit b = budget.tryAcquire(40);
    assertThat(b).isNotNull();
    assertThat(budget.inUse()).isEqualTo(100);

    a.close();
    a.close(); // twice gives back once
    assertThat(budget.inUse()).isEqualTo(40);
    assertThat(budget.tryAcquire(60)).isNotNull();
  }

  @Test
  void settle_givesBackWhatTheRequestDidNotNeed_neverTakesMore() {
    RequestBudget budget = new RequestBudget(100);
    RequestBudget.Permit p = budget.tryAcquire(100);
    p.settle(30);
    assertThat(budget.inUse()).isEqualTo(30);
    p.settle(90); // a permit never grows: it was admitted for its first size
    assertThat(p.held()).isEqualTo(30);
    p.close();
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void tryGrow_whatIsLeftAllows_grows_elseHoldsWhatItHad() {
    RequestBudget budget = new RequestBudget(100);
    RequestBudget.Permit other = budget.tryAcquire(50);
    RequestBudget.Permit p = budget.tryAcquire(10);

    assertThat(p.tryGrow(60)).isFalse(); // 50 + 60 > 100
    assertThat(p.held()).isEqualTo(10);
    assertThat(p.tryGrow(50)).isTrue();
    assertThat(p.held()).isEqualTo(50);
    assertThat(budget.inUse()).isEqualTo(100);
    assertThat(p.tryGrow(20)).as("already holds more").isTrue();

    other.close();
    // Alone in flight, a request may take the whole budget, never more: it can always be read.
    assertThat(p.tryGrow(1_000)).isTrue();
    assertThat(p.held()).isEqualTo(100);
    p.close();
    assertThat(budget.inUse()).isZero();
    assertThat(p.tryGrow(10)).as("a closed permit takes nothing again").isFalse();
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void constructor_limitNotPositive_refused() {
    assertThatThrownBy(() -> new RequestBudget(0)).hasMessage("limit: 0 (expected: > 0)");
  }
}
