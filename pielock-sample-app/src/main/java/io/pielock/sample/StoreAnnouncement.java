package io.pielock.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.pielock.sample.store.InMemoryShopRepository;
import io.pielock.sample.store.ShopRepository;

/**
 * Says at startup where the shop keeps its state, locks and rate limits, and how to switch: a single instance on
 * the memory store looks healthy, but it shares nothing with a second one.
 */
@Component
class StoreAnnouncement {

    private static final Log logger = LogFactory.getLog(StoreAnnouncement.class);

    private final ShopRepository repository;

    private final InstanceId instance;

    StoreAnnouncement(ShopRepository repository, InstanceId instance) {
        this.repository = repository;
        this.instance = instance;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        logger.info(message());
    }

    String message() {
        String ready = "Flash-sale shop ready: instance " + this.instance + ". Stock, locks and rate limits: "
                + this.repository;
        if (this.repository instanceof InMemoryShopRepository) {
            return ready + ", pielock.store=memory. To share them between instances, use Redis: "
                    + "--pielock.store=redis or --spring.profiles.active=redis (spring.data.redis.host/port, "
                    + "default localhost:6379)";
        }
        return ready + ", shared by every instance on that Redis, pielock.store=redis. To run without Redis: "
                + "--pielock.store=memory";
    }
}
