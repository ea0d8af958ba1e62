package io.pielock.sample.shop;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.pielock.lock.LockStore;
import io.pielock.sample.store.InMemoryShopRepository;
import io.pielock.sample.store.ShopRepository;
import io.pielock.store.memory.InMemoryLockStore;

import static org.assertj.core.api.Assertions.assertThat;

/** The shop as it runs by default: memory store, no Redis. */
class MemoryShopEndToEndTest extends ShopEndToEndTest {

    @Test
    void byDefaultStockAndLocksLiveInMemory(@Autowired ShopRepository repository, @Autowired LockStore locks) {
        assertThat(repository).isInstanceOf(InMemoryShopRepository.class);
        assertThat(locks).isInstanceOf(InMemoryLockStore.class);
    }
}
