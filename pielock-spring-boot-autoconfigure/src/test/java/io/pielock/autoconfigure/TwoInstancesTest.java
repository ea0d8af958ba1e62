package io.pielock.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Two independent application contexts, each with its own Redis connections, exclude each other. */
class TwoInstancesTest {

    /** Shared by both "instances" only so the test can check it; each increment is read, pause, write. */
    static final class UnsafeCounter {

        int value;
    }

    static class Incrementer {

        private final UnsafeCounter counter;

        Incrementer(UnsafeCounter counter) {
            this.counter = counter;
        }

        @DistributedLocked(key = "#name")
        public void increment(String name) {
            int read = this.counter.value;
            Thread.yield();
            this.counter.value = read + 1;
        }
    }

    @Test
    void sixteenThreadsOverTwoApplicationContextsNeverOverlap() throws Exception {
        UnsafeCounter counter = new UnsafeCounter();
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    PielockAutoConfiguration.class))
            .withPropertyValues(TestRedis.endpoint().springProperties())
            .withBean(Incrementer.class, () -> new Incrementer(counter));
        String name = "counter:" + UUID.randomUUID();
        int rounds = 25;
        runner.run(first -> runner.run(second -> {
            assertThat(first.getBean(LockStore.class)).isNotSameAs(second.getBean(LockStore.class));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    Incrementer incrementer = ((t % 2 == 0) ? first : second).getBean(Incrementer.class);
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < rounds; i++) {
                            incrementer.increment(name);
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(120, TimeUnit.SECONDS);
                }
            }
            finally {
                pool.shutdownNow();
            }
        }));
        assertThat(counter.value).isEqualTo(16 * rounds);
    }
}
