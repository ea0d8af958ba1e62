package io.pielock.sample.shop;

import java.util.List;

import org.springframework.stereotype.Service;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockContext;
import io.pielock.sample.InstanceId;
import io.pielock.sample.store.Reservation;
import io.pielock.sample.store.ShopRepository;

/**
 * Sells an item's stock one unit at a time. Reserving reads the stock, decrements it and writes it back in
 * separate steps, as code that talks to a database or a remote service often must; without the lock on
 * {@code stock:<sku>}, two buyers (on two instances, or two threads of one) can read the same level and sell
 * the same unit twice.
 * <p>
 * Each buyer may try to reserve at most 2 times a second and 5 times a minute (the {@code @RateLimited}
 * annotations on {@link #reserve}), across all items and every instance that shares the store: a flash sale's
 * quota, so a buyer's script hammering the endpoint neither takes more than a fair share nor keeps the stock
 * lock busy. The quota is checked before the lock is taken (pielock orders {@code @RateLimited} outside
 * {@code @DistributedLocked}), so a denied call never waits for the item's lock; it throws
 * {@link io.pielock.limiter.RateLimitExceededException}, which pielock answers with HTTP 429.
 */
@Service
public class ReservationService {

    private final ShopRepository repository;

    private final InstanceId instance;

    ReservationService(ShopRepository repository, InstanceId instance) {
        this.repository = repository;
        this.instance = instance;
    }

    /**
     * Starts a sale of {@code units} units, forgetting earlier reservations. Locked like {@link #reserve}, so a
     * reservation never sees half a restock.
     * @param sku the item
     * @param units the units on sale
     * @return the item
     */
    @DistributedLocked(key = "'stock:' + #sku")
    public Item restock(String sku, int units) {
        this.repository.restock(sku, units);
        return item(sku);
    }

    /**
     * Reserves one unit for {@code user}, within the buyer's quota. A call denied by the quota changes nothing
     * and is not counted; a sold-out answer is counted (it is a call like any other).
     * @param sku the item
     * @param user the buyer
     * @return the reservation, naming the unit, the instance and the lock's fencing token
     * @throws org.springframework.web.ErrorResponseException 409 when sold out, 404 for an item never stocked
     * @throws io.pielock.limiter.RateLimitExceededException when the buyer's quota is used up
     */
    // limited here, not on the controller: the key is built from a name the controller has validated (at most
    // 64 characters, no ':'), and a rejected request (400) uses no quota
    @RateLimited(key = "'reserve:' + #user", per = TimeUnit.SECOND, count = 2)
    @RateLimited(key = "'reserve:' + #user", per = TimeUnit.MINUTE, count = 5)
    @DistributedLocked(key = "'stock:' + #sku")
    public Reservation reserve(String sku, String user) {
        int stock = this.repository.findStock(sku).orElseThrow(() -> ShopProblems.unknownItem(sku));
        if (stock <= 0) {
            throw ShopProblems.soldOut(sku);
        }
        this.repository.saveStock(sku, stock - 1);
        Reservation reservation = new Reservation(sku, user, stock, this.instance.id(),
                LockContext.current().fencingToken());
        this.repository.addReservation(reservation);
        return reservation;
    }

    /**
     * @param sku the item
     * @return its stock and price
     * @throws org.springframework.web.ErrorResponseException 404 for an item never stocked
     */
    public Item item(String sku) {
        int stock = this.repository.findStock(sku).orElseThrow(() -> ShopProblems.unknownItem(sku));
        return new Item(sku, stock, this.repository.findPrice(sku).orElse(null));
    }

    /**
     * @param sku the item
     * @return its reservations since the last restock, oldest first
     */
    public List<Reservation> reservations(String sku) {
        return this.repository.reservations(sku);
    }
}
