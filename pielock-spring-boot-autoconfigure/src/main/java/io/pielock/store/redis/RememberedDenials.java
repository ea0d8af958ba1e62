package io.pielock.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.WindowState;

/**
 * The denials Redis answered a rate limit store, each remembered until the denied call could first fit, so that
 * a call this JVM knows Redis would deny is denied without asking it: a key flooded past its limit costs Redis
 * one decision per JVM until room comes back, not one per call.
 * <p>
 * Why such a call would be denied: a denied call records nothing, and a window gets room back only as its calls
 * leave it, which happens no sooner than the retry-after the script answered, counted from its decision on the
 * server's clock. Counted here from before the call was sent, on this JVM's monotonic clock, that time ends no
 * later than the server's. So a call of the same key, the same limits and the same cost is denied until then, by
 * Redis as well as here, and is answered as Redis would have answered it: room 0, retry-after counted down.
 * <p>
 * One thing gives room back sooner that this JVM does not see: another instance's refund (its limiter takes back
 * a call that a later key of the same decision denied). This store forgets a key's denial when it refunds one
 * itself, and does not remember an answer that such a refund may have overtaken. A remembered denial applies to
 * the same limits and cost only: a call of another cost, or other limits (changed in the configuration, say),
 * asks Redis.
 * <p>
 * At most {@link #CAPACITY} keys are remembered at once: beyond that, the expired ones are swept out, and while
 * all are current a new denial is not remembered. Thread-safe.
 */
final class RememberedDenials {

    /** The most keys remembered at once. */
    static final int CAPACITY = 10_000;

    private final boolean enabled;

    private final ConcurrentHashMap<String, Denial> denials = new ConcurrentHashMap<>();

    /** Moves when a refund begins and when it ends: an answer sent before and received after is not remembered. */
    private final AtomicLong refunds = new AtomicLong();

    /**
     * @param enabled false to remember nothing (every call asks Redis)
     */
    RememberedDenials(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether denials are remembered at all */
    boolean enabled() {
        return this.enabled;
    }

    /**
     * @param key the rate limit's name
     * @param limits its limits
     * @param cost the call's cost
     * @return the remembered denial of such a call, its retry-after counted down to now; or null: ask Redis
     */
    LimitAttempt recall(String key, List<Limit> limits, long cost) {
        if (this.denials.isEmpty()) {
            return null;
        }
        Denial denial = this.denials.get(key);
        if (denial == null) {
            return null;
        }
        long now = System.nanoTime();
        if (now - denial.untilNanos() >= 0) {
            this.denials.remove(key, denial);
            return null;
        }
        if (cost != denial.cost() || !denial.limits().equals(limits)) {
            return null;
        }
        long elapsed = now - denial.sentNanos();
        List<WindowState> windows = new ArrayList<>(denial.windows().size());
        for (WindowState window : denial.windows()) {
            long left = Math.max(0, window.retryAfter().toNanos() - elapsed);
            windows.add(new WindowState(window.limit(), window.remaining(), Duration.ofNanos(left), 0));
        }
        return new LimitAttempt(false, List.copyOf(windows), cost);
    }

    /** @return what to pass to {@link #remember}, taken before the call is sent */
    long refundsSoFar() {
        return this.refunds.get();
    }

    /**
     * Remembers what Redis answered, if it denied the call and no refund of this store overlapped it.
     * @param key the rate limit's name
     * @param limits its limits
     * @param cost the call's cost
     * @param sentNanos {@link System#nanoTime()} before the call was sent
     * @param refundsBefore {@link #refundsSoFar()} before the call was sent
     * @param attempt what Redis answered
     */
    void remember(String key, List<Limit> limits, long cost, long sentNanos, long refundsBefore,
            LimitAttempt attempt) {
        if (!this.enabled || attempt.allowed() || this.refunds.get() != refundsBefore) {
            return;
        }
        long wait = 0;
        for (WindowState window : attempt.windows()) {
            wait = Math.max(wait, window.retryAfter().toNanos());
        }
        if (wait <= 0 || (this.denials.size() >= CAPACITY && !sweep())) {
            return;
        }
        this.denials.put(key, new Denial(List.copyOf(limits), cost, sentNanos, sentNanos + wait,
                attempt.windows()));
    }

    /**
     * Forgets the key's denial, as a refund of it begins and again when it has ended: the refund may give the key
     * room.
     * @param key the rate limit's name
     */
    void refunding(String key) {
        this.refunds.incrementAndGet();
        this.denials.remove(key);
    }

    /** @return how many keys are remembered now */
    int size() {
        return this.denials.size();
    }

    /** Removes the expired denials; returns whether there is room for another. */
    private boolean sweep() {
        long now = System.nanoTime();
        this.denials.values().removeIf(denial -> now - denial.untilNanos() >= 0);
        return this.denials.size() < CAPACITY;
    }

    private record Denial(List<Limit> limits, long cost, long sentNanos, long untilNanos, List<WindowState> windows) {
    }
}
