package io.pielock.observation;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimiterObserver;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockObserver;
import io.pielock.lock.LockOptions;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryRateLimitStore;

import static org.assertj.core.api.Assertions.assertThat;

/** With a registry that has no handlers, the observers create nothing per call: they hand back shared objects. */
class NoopObservationTest {

    private final InMemoryLockStore locks = new InMemoryLockStore();

    @Test
    void unboundLockObservationsOnTheNoopRegistryReturnTheSharedDoNothingObjects() {
        LockObservations observations = new LockObservations(ObservationRegistry.NOOP);
        assertThat(observations.acquisitionStarted(this.locks, "k", LockOptions.defaults()))
            .isSameAs(LockObserver.Acquisition.NONE);
        assertThat(observations.holdStarted(this.locks, "k", LockOptions.defaults()))
            .isSameAs(LockObserver.Holding.NONE);
    }

    @Test
    void aRegistryWithoutHandlersIsNoopToo() {
        LockObservations observations = new LockObservations(ObservationRegistry.create());
        assertThat(observations.acquisitionStarted(this.locks, "k", LockOptions.defaults()))
            .isSameAs(LockObserver.Acquisition.NONE);
    }

    @Test
    void boundToMetersOnlyTheSameObjectIsReusedForEveryCall() {
        LockObservations observations = new LockObservations(ObservationRegistry.NOOP);
        observations.bindTo(new SimpleMeterRegistry());
        LockObserver.Acquisition first = observations.acquisitionStarted(this.locks, "a", LockOptions.defaults());
        assertThat(observations.acquisitionStarted(this.locks, "b", LockOptions.defaults())).isSameAs(first);
    }

    @Test
    void limiterObservationsOnTheNoopRegistryReturnTheSharedDoNothingDecision() {
        LimiterObservations observations = new LimiterObservations(ObservationRegistry.NOOP);
        assertThat(observations.decisionStarted(new InMemoryRateLimitStore(), List.of(KeyedLimits.of("k",
                Limit.of(1, TimeUnit.SECOND))), "n")).isSameAs(LimiterObserver.Decision.NONE);
    }
}
