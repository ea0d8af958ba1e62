package io.pielock.sample.store;

import java.util.List;
import java.util.Optional;

/**
 * The shop's state: stock, reservations, prices and job runs. It lives in the same store as the locks
 * ({@code pielock.store}): in Redis every instance sees it, in memory only this JVM does.
 * <p>
 * Each method is one simple step and none of them is a read-modify-write: reserving a unit is a read
 * ({@link #findStock}), a write ({@link #saveStock}) and an append ({@link #addReservation}) that only a lock
 * makes safe. The one exception is {@link #savePrice}, which checks a fencing token, because fencing is how a
 * resource protects itself from a lock holder whose lease ran out.
 */
public interface ShopRepository {

    /** How many runs of each job {@link #addJobRun} keeps. */
    int JOB_RUNS_KEPT = 100;

    /**
     * Starts a sale: sets the stock and forgets earlier reservations of the item.
     * @param sku the item
     * @param units the units on sale
     */
    void restock(String sku, int units);

    /**
     * @param sku the item
     * @return the units left, or empty if the item was never stocked
     */
    Optional<Integer> findStock(String sku);

    /**
     * @param sku the item
     * @param units the units left
     */
    void saveStock(String sku, int units);

    /** @param reservation a reserved unit, appended to the item's reservations */
    void addReservation(Reservation reservation);

    /**
     * @param sku the item
     * @return its reservations since it was last restocked, oldest first
     */
    List<Reservation> reservations(String sku);

    /**
     * Stores a price unless a price with a higher fencing token was already stored: a write from a lock holder
     * whose lease ran out (and whose lock someone else has taken since) is rejected. Atomic.
     * @param price the new price
     * @return whether it was stored
     */
    boolean savePrice(Price price);

    /**
     * @param sku the item
     * @return its current price, if one was set
     */
    Optional<Price> findPrice(String sku);

    /**
     * Records a run of a scheduled job; only the latest {@value #JOB_RUNS_KEPT} runs of a job are kept.
     * @param run the run
     */
    void addJobRun(JobRun run);

    /**
     * @param job the job's name
     * @return its recorded runs, oldest first
     */
    List<JobRun> jobRuns(String job);
}
