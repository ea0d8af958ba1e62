package io.pielock.store.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pielock.lock.LockAttempt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive face of the memory store shares the blocking store's state: what one face acquires, renews or
 * releases, the other sees, and releases reach the listeners of both.
 */
class InMemoryReactiveLockStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final InMemoryLockStore blocking = new InMemoryLockStore();

    private final InMemoryReactiveLockStore reactive = new InMemoryReactiveLockStore(this.blocking);

    @Test
    void aLockTakenReactivelyIsHeldForTheBlockingFaceUntilReleased() {
        LockAttempt taken = this.reactive.tryAcquire("order-1", "a", LEASE).block();
        assertThat(taken.acquired()).isTrue();
        assertThat(taken.fencingToken()).isPositive();
        assertThat(this.blocking.tryAcquire("order-1", "b", LEASE).acquired()).isFalse();
        assertThat(this.reactive.tryAcquire("order-1", "b", LEASE, Duration.ofMillis(10)).block().acquired())
            .isFalse();
        assertThat(this.reactive.renew("order-1", "a", LEASE).block()).isTrue();
        assertThat(this.reactive.renew("order-1", "b", LEASE).block()).isFalse();
        assertThat(this.reactive.release("order-1", "b").block()).isFalse();
        assertThat(this.reactive.release("order-1", "a").block()).isTrue();
        assertThat(this.blocking.tryAcquire("order-1", "b", LEASE).acquired()).isTrue();
    }

    @Test
    void aReleaseReachesListenersAddedThroughEitherFaceWithoutWaiting() {
        List<String> released = new ArrayList<>();
        this.reactive.addReleaseListener(released::add);
        this.blocking.tryAcquire("order-2", "a", LEASE);
        this.blocking.release("order-2", "a");
        assertThat(released).containsExactly("order-2");
        assertThat(this.reactive.awaitReleases("order-2").block()).as("releases arrive synchronously").isFalse();
    }

    @Test
    void bothFacesDescribeTheOneStore() {
        assertThat(this.reactive.blocking()).isSameAs(this.blocking);
        assertThat(this.reactive.describe()).isEqualTo(this.blocking.describe())
            .isEqualTo("the in-memory store of this JVM");
    }
}
