package io.pielock.store.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.WindowState;

/**
 * A {@link RateLimitStore} inside this JVM, with the same semantics and the same state per key and window as the
 * Redis store: for a sliding window a ring of call times ({@code limit-ring.lua}), for GCRA one arrival time; all
 * windows of a key decided in one atomic step, idle keys forgotten. Time is this JVM's monotonic clock, in
 * nanoseconds. For tests and for one application instance; it limits nothing across processes.
 */
public class InMemoryRateLimitStore implements RateLimitStore {

    @Override
    public String describe() {
        return "the in-memory store of this JVM";
    }

    private static final int SWEEP_EVERY = 1024;

    private final ConcurrentHashMap<String, Windows> keys = new ConcurrentHashMap<>();

    private final AtomicLong operations = new AtomicLong();

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits) {
        return tryConsume(key, limits, 1);
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits, long cost) {
        sweepOccasionally();
        long now = System.nanoTime();
        LimitAttempt[] attempt = new LimitAttempt[1];
        // compute() holds the key's bin, which makes the decision atomic and keeps sweeps from racing it
        this.keys.compute(key, (k, existing) -> {
            Windows windows = (existing != null) ? existing : new Windows();
            attempt[0] = windows.consume(limits, now, cost);
            return windows.isEmpty() ? null : windows;
        });
        return attempt[0];
    }

    @Override
    public void refund(String key, LimitAttempt recorded) {
        long now = System.nanoTime();
        this.keys.computeIfPresent(key, (k, windows) -> {
            windows.refund(recorded.windows(), now, recorded.cost());
            return windows.isEmpty() ? null : windows;
        });
    }

    /** @return how many keys still count calls inside their windows (forgetting idle keys first) */
    public int size() {
        sweep();
        return this.keys.size();
    }

    /** @return how many keys the store holds now, idle ones included (forgets none first) */
    int held() {
        return this.keys.size();
    }

    private void sweepOccasionally() {
        if (this.operations.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (String key : this.keys.keySet()) {
            this.keys.computeIfPresent(key, (k, windows) -> windows.trim(now) ? null : windows);
        }
    }

    /** The windows of one key; only touched inside the map's compute methods. */
    private static final class Windows {

        private final Map<Duration, Ring> rings = new HashMap<>(4);

        /** GCRA limits: each window's theoretical arrival time. */
        private final Map<Duration, Long> arrivals = new HashMap<>(4);

        LimitAttempt consume(List<Limit> limits, long now, long cost) {
            List<WindowState> states = new ArrayList<>(limits.size());
            boolean allowed = true;
            for (Limit limit : limits) {
                WindowState state = (limit.algorithm() == Algorithm.GCRA) ? checkArrival(limit, now, cost)
                        : checkRing(limit, now, cost);
                allowed &= state.hadRoom();
                states.add(state);
            }
            if (allowed) {
                for (int i = 0; i < limits.size(); i++) {
                    Limit limit = limits.get(i);
                    long mark = (limit.algorithm() == Algorithm.GCRA) ? recordArrival(limit, now, cost)
                            : recordRing(limit, now, cost);
                    states.set(i, new WindowState(limit, states.get(i).remaining() - cost, Duration.ZERO, mark));
                }
            }
            return new LimitAttempt(allowed, states, cost);
        }

        /** @return the first of the {@code cost} consecutive times recorded, the call's mark */
        private long recordRing(Limit limit, long now, long cost) {
            Ring ring = this.rings.computeIfAbsent(limit.window(), w -> new Ring());
            long since = now - limit.window().toNanos();
            long first = ring.record(now, since, (int) limit.count());
            for (long k = 1; k < cost; k++) {
                ring.record(now, since, (int) limit.count());
            }
            return first;
        }

        /** Room for {@code cost} calls: at most {@code count - cost} inside, as in {@code limit-sliding.lua}. */
        private WindowState checkRing(Limit limit, long now, long cost) {
            Ring ring = this.rings.get(limit.window());
            long since = now - limit.window().toNanos();
            int count = (int) limit.count();
            if (cost > count) {
                return new WindowState(limit, 0, limit.window(), 0);
            }
            int last = (int) (count - cost + 1);
            int slots = (ring != null) ? ring.slots() : 0;
            if (slots >= last && ring.newest(last) > since) {
                return new WindowState(limit, 0, Duration.ofNanos(ring.newest(last) - since), 0);
            }
            int inside = (ring != null) ? ring.firstAtOrBefore(since, Math.min(slots, last - 1)) - 1 : 0;
            return new WindowState(limit, count - inside, Duration.ZERO, 0);
        }

        /** GCRA, as in {@code limit-consume.lua}, in nanoseconds: {@code cost} calls at once. */
        private WindowState checkArrival(Limit limit, long now, long cost) {
            long interval = interval(limit);
            long tolerance = (limit.count() - 1) * interval;
            if (cost > limit.count()) {
                return new WindowState(limit, 0, limit.window(), 0);
            }
            long late = arrival(limit, now) - now + (cost - 1) * interval;
            if (late > tolerance) {
                return new WindowState(limit, 0, Duration.ofNanos(late - tolerance), 0);
            }
            return new WindowState(limit, (tolerance - late) / interval + cost, Duration.ZERO, 0);
        }

        private long recordArrival(Limit limit, long now, long cost) {
            long arrival = arrival(limit, now) + cost * interval(limit);
            this.arrivals.put(limit.window(), arrival);
            return arrival;
        }

        private long arrival(Limit limit, long now) {
            Long arrival = this.arrivals.get(limit.window());
            return (arrival != null) ? Math.max(arrival, now) : now;
        }

        private static long interval(Limit limit) {
            long window = limit.window().toNanos();
            return (window + limit.count() - 1) / limit.count();
        }

        void refund(List<WindowState> recorded, long now, long cost) {
            for (WindowState window : recorded) {
                Limit limit = window.limit();
                if (limit.algorithm() == Algorithm.GCRA) {
                    refundArrival(limit, window.mark(), now, cost);
                }
                else {
                    Ring ring = this.rings.get(limit.window());
                    // the call's cost times are consecutive from its mark; newest first, as limit-refund.lua
                    for (long k = cost - 1; ring != null && k >= 0; k--) {
                        ring.remove(window.mark() + k);
                    }
                }
            }
        }

        /** Exact or not at all, as in {@code limit-refund.lua}. */
        private void refundArrival(Limit limit, long mark, long now, long cost) {
            Long arrival = this.arrivals.get(limit.window());
            long interval = cost * interval(limit);
            if (arrival != null && (arrival == mark || (arrival > mark && now <= mark - interval))) {
                if (arrival - interval <= now) {
                    this.arrivals.remove(limit.window());
                }
                else {
                    this.arrivals.put(limit.window(), arrival - interval);
                }
            }
        }

        /** @return whether nothing is left */
        boolean trim(long now) {
            this.rings.entrySet().removeIf(entry -> entry.getValue().leftBy(now - entry.getKey().toNanos()));
            this.arrivals.values().removeIf(arrival -> arrival <= now);
            return isEmpty();
        }

        boolean isEmpty() {
            return this.rings.isEmpty() && this.arrivals.isEmpty();
        }
    }

    /**
     * The times of the calls one window allowed, as in {@code limit-ring.lua}: read from {@code head} round to
     * the newest, they rise; a slot is reused only once its call has left the window, and the ring
     * doubles (up to count) only when every slot holds a call inside it.
     */
    private static final class Ring {

        /** An unused slot: a call long gone. */
        private static final long GONE = Long.MIN_VALUE;

        private long[] times = new long[0];

        /** The slot of the oldest call, which the next call takes. */
        private int head;

        int slots() {
            return this.times.length;
        }

        /** @return the time of the k-th newest call (k from 1) */
        long newest(int k) {
            return this.times[slotOf(k)];
        }

        /** @return the smallest k in 1..limit whose k-th newest call is at or before {@code time}, or limit + 1 */
        int firstAtOrBefore(long time, int limit) {
            int after = 0;
            int at = 1;
            while (at <= limit && newest(at) > time) {
                after = at;
                at *= 2;
            }
            at = Math.min(at, limit + 1);
            while (at - after > 1) {
                int mid = (after + at) >>> 1;
                if (newest(mid) > time) {
                    after = mid;
                }
                else {
                    at = mid;
                }
            }
            return at;
        }

        /** @return the time the call was recorded with: after the newest, so a time names one call */
        long record(long now, long since, int count) {
            long stamp = (slots() > 0) ? Math.max(now, newest(1) + 1) : now;
            if (slots() > 0 && this.times[this.head] <= since) {
                this.times[this.head] = stamp;
                this.head = (this.head + 1) % slots();
                return stamp;
            }
            int slots = Math.max(1, Math.min(count, 2 * slots()));
            long[] grown = new long[slots];
            Arrays.fill(grown, GONE);
            int old = slots();
            System.arraycopy(this.times, this.head, grown, 0, old - this.head);
            System.arraycopy(this.times, 0, grown, old - this.head, this.head);
            grown[old] = stamp;
            this.times = grown;
            this.head = (old + 1) % slots;
            return stamp;
        }

        /** Removes one call recorded with {@code stamp}, if still held: newer calls move one slot back. */
        void remove(long stamp) {
            int k = firstAtOrBefore(stamp, slots());
            if (k > slots() || newest(k) != stamp) {
                return;
            }
            for (int j = k; j > 1; j--) {
                this.times[slotOf(j)] = this.times[slotOf(j - 1)];
            }
            this.head = slotOf(1);
            this.times[this.head] = GONE;
        }

        /** @return whether every call left the window by {@code since} */
        boolean leftBy(long since) {
            return slots() == 0 || newest(1) <= since;
        }

        private int slotOf(int k) {
            return Math.floorMod(this.head - k, this.times.length);
        }
    }
}
