package io.pielock.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReactiveLockContext;
import io.pielock.lock.ReactiveLockHandle;
import io.pielock.lock.ReactiveLockStore;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;
import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.test.NonBlocking;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** When the reactive lock beans exist, what they share with the blocking ones, and when they back off. */
class ReactiveLockAutoConfigurationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties());

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @Test
    void onRedisTheReactiveStoreIsAFaceOfTheBlockingOneAndTheyExcludeEachOther() {
        this.runner.withPropertyValues("pielock.lock.timeout=7s", "pielock.lock.expires=9s").run(context -> {
            assertThat(context).hasSingleBean(ReactiveLockTemplate.class);
            assertThat(context.getBean(ReactiveLockStore.class)).isInstanceOf(ReactiveRedisLockStore.class);
            ReactiveLockTemplate reactive = context.getBean(ReactiveLockTemplate.class);
            assertThat(reactive.defaults()).isEqualTo(context.getBean(LockTemplate.class).defaults());
            assertThat(reactive.defaults().timeout()).isEqualTo(Duration.ofSeconds(7));
            assertExclusion(context.getBean(LockTemplate.class), reactive);
        });
    }

    @Test
    void onTheMemoryStoreTheReactiveStoreSharesTheBlockingStoresLocks() {
        this.runner.withPropertyValues("pielock.store=memory").run(context -> {
            InMemoryReactiveLockStore store = context.getBean(InMemoryReactiveLockStore.class);
            assertThat(store.blocking()).isSameAs(context.getBean(InMemoryLockStore.class));
            assertExclusion(context.getBean(LockTemplate.class), context.getBean(ReactiveLockTemplate.class));
        });
    }

    @Test
    void theApplicationsOwnReactiveTemplateReplacesPielocks() {
        InMemoryLockStore store = new InMemoryLockStore();
        ReactiveLockTemplate own = new ReactiveLockTemplate(new InMemoryReactiveLockStore(store),
                LockOptions.defaults());
        this.runner.withPropertyValues("pielock.store=memory").withBean(ReactiveLockTemplate.class, () -> own)
            .run(context -> assertThat(context.getBean(ReactiveLockTemplate.class)).isSameAs(own));
    }

    @Test
    void withoutReactorThereAreNoReactiveBeansAndTheBlockingLockStillWorks() {
        this.runner.withPropertyValues("pielock.store=memory")
            .withClassLoader(new FilteredClassLoader("reactor.core"))
            .run(context -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveLockTemplate.class)
                    .doesNotHaveBean(ReactiveLockStore.class);
                try (LockHandle handle = context.getBean(LockTemplate.class).lock("plain:" + UUID.randomUUID())) {
                    assertThat(handle.isHeld()).isTrue();
                }
            });
    }

    @Test
    void disabledMeansNoReactiveBeans() {
        this.runner.withPropertyValues("pielock.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(ReactiveLockTemplate.class)
                .doesNotHaveBean(ReactiveLockStore.class));
    }

    private static void assertExclusion(LockTemplate blocking, ReactiveLockTemplate reactive) {
        String key = "autoconfigured:" + UUID.randomUUID();
        long reactiveToken;
        try (LockHandle held = blocking.lock(key)) {
            assertThat(reactive.tryAcquire(key).blockOptional(PATIENCE)).as("held by the blocking template").isEmpty();
            reactiveToken = held.fencingToken();
        }
        Long token = reactive.execute(key, ReactiveLockContext.current().map(ReactiveLockHandle::fencingToken))
            .block(PATIENCE);
        assertThat(token).as("one fencing sequence").isGreaterThan(reactiveToken);
        ReactiveLockHandle handle = reactive.lock(key).block(PATIENCE);
        assertThat(blocking.tryAcquire(key).acquired()).as("held by the reactive template").isFalse();
        handle.release().then(Mono.empty()).block(PATIENCE);
        assertThat(blocking.tryAcquire(key).acquired()).isTrue();
        blocking.release(key);
    }
}
