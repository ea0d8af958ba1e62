package io.pielock.sample.shop;

import java.util.function.LongUnaryOperator;

import org.springframework.stereotype.Service;

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;
import io.pielock.sample.store.Price;
import io.pielock.sample.store.ShopRepository;

/**
 * Changes prices under a lock taken with {@link LockTemplate} directly, and stores each price with the lock's
 * fencing token. A discount is a read-modify-write: the lock keeps two discounts from both starting at the
 * same price, and the token lets the repository reject the write of a holder whose lease ran out (a long
 * pause) after a newer holder has written.
 */
@Service
public class PriceService {

    private final LockTemplate locks;

    private final ShopRepository repository;

    PriceService(LockTemplate locks, ShopRepository repository) {
        this.locks = locks;
        this.repository = repository;
    }

    /**
     * @param sku the item
     * @param cents the new price
     * @return the stored price with its fencing token
     * @throws org.springframework.web.ErrorResponseException 409 if the write was rejected as stale
     */
    public Price setPrice(String sku, long cents) {
        return update(sku, current -> cents);
    }

    /**
     * Takes {@code percent} off the current price, rounding down to the cent.
     * @param sku the item
     * @param percent the discount, 1 to 99
     * @return the stored price with its fencing token
     * @throws org.springframework.web.ErrorResponseException 404 if the item has no price, 409 if the write was
     *         rejected as stale
     */
    public Price discount(String sku, int percent) {
        return update(sku, current -> {
            if (current < 0) {
                throw ShopProblems.noPrice(sku);
            }
            return current * (100 - percent) / 100;
        });
    }

    /** @param change from the current price in cents (-1 when there is none) to the new one */
    private Price update(String sku, LongUnaryOperator change) {
        try (LockHandle lock = this.locks.lock("price:" + sku)) {
            long current = this.repository.findPrice(sku).map(Price::cents).orElse(-1L);
            Price next = new Price(sku, change.applyAsLong(current), lock.fencingToken());
            if (!this.repository.savePrice(next)) {
                throw ShopProblems.stalePrice(next, this.repository.findPrice(sku).orElseThrow());
            }
            return next;
        }
    }
}
