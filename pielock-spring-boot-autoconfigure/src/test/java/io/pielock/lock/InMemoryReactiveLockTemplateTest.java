package io.pielock.lock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.pielock.lock.LockAcquisitionException.Reason;
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

    /**
     * A cancel that reaches the acquisition while its handle is being handed over (here: from the observer's
     * {@code acquired()}, which runs just before) releases the lock at once, itself: Reactor may drop a value that
     * races with a cancel on another thread instead of discarding it, so the discard hook alone would leave a
     * renewed lock held by nobody. The memory store releases synchronously, so "at once" is observable.
     */
    @Test
    void aCancelWhileTheHandleIsHandedOverReleasesTheLockAtOnce() {
        ReactiveLockTemplate template = newProcess();
        AtomicReference<BaseSubscriber<ReactiveLockHandle>> subscriber = new AtomicReference<>();
        AtomicBoolean heldAfterTheCancel = new AtomicBoolean(true);
        template.setObserver(new LockObserver() {
            @Override
            public Acquisition acquisitionStarted(ReactiveLockStore store, String key, LockOptions options) {
                return new Acquisition() {
                    @Override
                    public void acquired() {
                        subscriber.get().dispose();
                        heldAfterTheCancel.set(heldInStore(key));
                    }

                    @Override
                    public void failed(Reason reason, Throwable cause) {
                    }
                };
            }
        });
        AtomicBoolean received = new AtomicBoolean();
        BaseSubscriber<ReactiveLockHandle> cancelling = new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(ReactiveLockHandle handle) {
                received.set(true);
            }
        };
        subscriber.set(cancelling);
        template.lock(this.key).subscribe(cancelling);
        assertThat(received).as("the cancelled subscriber got no handle").isFalse();
        assertThat(heldAfterTheCancel).as("held once the cancel returned").isFalse();
        awaitNothingTracked(template);
        assertThat(heldInStore(this.key)).isFalse();
    }
}
