package io.pielock.sample.shop;

import java.util.function.LongUnaryOperator;

import org.springframework.stereotype.Service;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;
import io.pielock.sample.store.Price;
import io.pielock.sample.store.ShopRepository;

/**
 * Changes prices under a lock taken with {@link LockTemplate} directly, and stores each price with the lock's
 * fencing token. A discount is a read-modify-write: the lock keeps two discounts from both starting at the
 * same price, and the token lets the repository reject the write of a holder whose lease ran out (a long
 * pause) after a newer holder has written.
 * <p>
 * At most {@value #CHANGES_PER_MINUTE} changes of an item's price (setting and discounting together, across
 * every instance that shares the store) are let through in any minute, so a runaway repricing script cannot keep
 * the item's price lock busy. The quota is checked with {@link Limiter#allow} directly, before the lock is
 * taken: a denied change never waits for the lock, and throws {@link RateLimitExceededException}, which pielock
 * answers with HTTP 429.
 */
@Service
public class PriceService {

    /** How many times an item's price may change in any minute. */
    static final int CHANGES_PER_MINUTE = 10;

    private final LockTemplate locks;

    private final Limiter limiter;

    private final ShopRepository repository;

    PriceService(LockTemplate locks, Limiter limiter, ShopRepository repository) {
        this.locks = locks;
        this.limiter = limiter;
        this.repository = repository;
    }

    /**
     * @param sku the item
     * @param cents the new price
     * @return the stored price with its fencing token
     * @throws org.springframework.web.ErrorResponseException 409 if the write was rejected as stale
     * @throws RateLimitExceededException if the item's price changed too often in the last minute
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
     * @throws RateLimitExceededException if the item's price changed too often in the last minute
     */
    public Price discount(String sku, int percent) {
        return update(sku, current -> {
            if (current < 0) {
                throw ShopProblems.noPrice(sku);
            }
            return current * (100 - percent) / 100;
        });
    }

    /**
     * What {@code units} of an item cost now. Price look-ups are limited per API client by its plan: the named
     * limits {@code pielock.limiter.limits.free} and {@code .pro} of application.yml, chosen per call.
     * @param sku the item
     * @param units how many
     * @param client the API client, whose quota is counted
     * @param plan the client's plan: {@code free} or {@code pro}
     * @return the quote
     * @throws org.springframework.web.ErrorResponseException 404 if the item has no price
     * @throws RateLimitExceededException if the client's plan allows no more quotes now
     */
    @RateLimited(key = "'quotes:' + #client", limit = "#plan")
    public Quote quote(String sku, int units, String client, String plan) {
        Price price = this.repository.findPrice(sku).orElseThrow(() -> ShopProblems.noPrice(sku));
        return new Quote(sku, units, price.cents() * units);
    }

    /** @param change from the current price in cents (-1 when there is none) to the new one */
    private Price update(String sku, LongUnaryOperator change) {
        LimitResult quota = this.limiter.allow("price-changes:" + sku, TimeUnit.MINUTE, CHANGES_PER_MINUTE);
        if (!quota.allowed()) {
            throw new RateLimitExceededException(quota, null);
        }
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
