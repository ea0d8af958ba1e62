package io.pielock.reactive;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;

/** The reactive {@code @DistributedLocked} contract on the memory store. */
class InMemoryReactiveLockedTest extends AbstractReactiveLockedContractTest {

    @Override
    protected String[] storeProperties() {
        return new String[] { "pielock.store=memory" };
    }

    // TEMPORARY until i12-locks auto-configures ReactiveLockTemplate
    @Override
    protected ApplicationContextRunner customize(ApplicationContextRunner runner) {
        return runner.withUserConfiguration(Temporary.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class Temporary {

        @Bean
        ReactiveLockTemplate reactiveLockTemplate(InMemoryLockStore store) {
            return new ReactiveLockTemplate(new InMemoryReactiveLockStore(store), LockOptions.defaults());
        }
    }
}
