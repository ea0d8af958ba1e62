package io.pielock.sample.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shop's state in this JVM ({@code pielock.store=memory}): nothing is shared with other instances, as
 * with the in-memory lock store.
 */
public class InMemoryShopRepository implements ShopRepository {

    private final Map<String, Integer> stock = new ConcurrentHashMap<>();

    private final Map<String, List<Reservation>> reservations = new ConcurrentHashMap<>();

    private final Map<String, Price> prices = new ConcurrentHashMap<>();

    private final Map<String, Deque<JobRun>> jobRuns = new ConcurrentHashMap<>();

    @Override
    public void restock(String sku, int units) {
        this.reservations.remove(sku);
        this.stock.put(sku, units);
    }

    @Override
    public Optional<Integer> findStock(String sku) {
        return Optional.ofNullable(this.stock.get(sku));
    }

    @Override
    public void saveStock(String sku, int units) {
        this.stock.put(sku, units);
    }

    @Override
    public void addReservation(Reservation reservation) {
        List<Reservation> list = this.reservations.computeIfAbsent(reservation.sku(), sku -> new ArrayList<>());
        synchronized (list) {
            list.add(reservation);
        }
    }

    @Override
    public List<Reservation> reservations(String sku) {
        List<Reservation> list = this.reservations.getOrDefault(sku, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    @Override
    public boolean savePrice(Price price) {
        Price stored = this.prices.merge(price.sku(), price,
                (current, offered) -> offered.fencingToken() < current.fencingToken() ? current : offered);
        return stored == price;
    }

    @Override
    public Optional<Price> findPrice(String sku) {
        return Optional.ofNullable(this.prices.get(sku));
    }

    @Override
    public void addJobRun(JobRun run) {
        Deque<JobRun> runs = this.jobRuns.computeIfAbsent(run.job(), job -> new ArrayDeque<>());
        synchronized (runs) {
            runs.addLast(run);
            while (runs.size() > JOB_RUNS_KEPT) {
                runs.removeFirst();
            }
        }
    }

    @Override
    public List<JobRun> jobRuns(String job) {
        Deque<JobRun> runs = this.jobRuns.getOrDefault(job, new ArrayDeque<>());
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    @Override
    public String toString() {
        return "memory (this JVM only)";
    }
}
