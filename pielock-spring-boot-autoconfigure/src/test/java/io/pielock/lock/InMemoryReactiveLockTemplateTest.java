package io.pielock.lock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive lock specification against the in-memory store: every "process" shares one
 * {@link InMemoryLockStore}, its blocking and reactive faces alike.
 */
class InMemoryReactiveLockTemplateTest extends AbstractReactiveLockTemplateContractTest {

    private final InMemoryLockStore store = new InMemoryLockStore();

    @Override
    protected Process newStores() {
        return new Process(this.store, new InMemoryReactiveLockStore(this.store));
    }

    @Override
    protected boolean heldInStore(String key) {
        return this.store.inspect(key).orElseThrow().held();
    }

    @Override
    protected long entriesInStore(String prefix) {
        return 0; // the memory store sweeps lazily; its maps are not the subject here
    }

    @Override
    protected void deleteBehindTheHoldersBack(ReactiveLockHandle handle) {
        this.store.release(handle.key(), handle.hold().token());
    }

    @Test
    void subscribersWaitingForOneKeyQueueInTheJvmAndOnlyTheFirstPollsTheStore() {
        AtomicInteger attempts = new AtomicInteger();
        InMemoryReactiveLockStore face = new InMemoryReactiveLockStore(this.store) {
            @Override
            public Mono<LockAttempt> tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
                attempts.incrementAndGet();
                return super.tryAcquire(key, token, lease, retryWithin);
            }
        };
        ReactiveLockTemplate holder = newProcess();
        ReactiveLockTemplate waiters = new ReactiveLockTemplate(face,
                LockOptions.defaults().withRetryAfter(Duration.ofMillis(50)));
        ReactiveLockHandle held = holder.lock(this.key).block(Duration.ofSeconds(30));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Flux<Integer> calls = Flux.range(0, 20).flatMap(i -> waiters.execute(this.key, Mono.fromSupplier(() -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            inside.decrementAndGet();
            return i;
        })), 20);
        StepVerifier.create(calls.collectList())
            .then(() -> {
                sleep(1000);
                held.release().block(Duration.ofSeconds(30));
            })
            .assertNext(order -> assertThat(order).hasSize(20))
            .verifyComplete();
        assertThat(overlaps).hasValue(0);
        // one poller for about 20 polls while held, then one attempt per subscriber: far below 20 pollers' 400
        assertThat(attempts.get()).isLessThan(120);
        awaitNothingTracked(waiters);
        waiters.close();
    }
}
