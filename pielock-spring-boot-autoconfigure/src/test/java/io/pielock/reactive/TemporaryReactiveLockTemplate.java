package io.pielock.reactive;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;

/** TEMPORARY: a ReactiveLockTemplate on the memory store until i12-locks auto-configures it; then delete. */
@Configuration(proxyBeanMethods = false)
public class TemporaryReactiveLockTemplate {

    @Bean
    ReactiveLockTemplate reactiveLockTemplate(InMemoryLockStore store) {
        return new ReactiveLockTemplate(new InMemoryReactiveLockStore(store), LockOptions.defaults());
    }
}
