package io.pielock.store.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.WindowState;

/**
 * A {@link RateLimitStore} inside this JVM, with the same semantics as the Redis store: an exact sliding window
 * per key and window, all windows of a key decided in one atomic step, at most {@code count} timestamps kept per
 * window, idle keys forgotten. Time is this JVM's monotonic clock. For tests and for one application instance;
 * it limits nothing across processes.
 */
public class InMemoryRateLimitStore implements RateLimitStore {

    private static final int SWEEP_EVERY = 1024;

    private final ConcurrentHashMap<String, Windows> keys = new ConcurrentHashMap<>();

    private final AtomicLong operations = new AtomicLong();

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits, String permit) {
        sweepOccasionally();
        long now = System.nanoTime();
        LimitAttempt[] attempt = new LimitAttempt[1];
        // compute() holds the key's bin, which makes the decision atomic and keeps sweeps from racing it
        this.keys.compute(key, (k, existing) -> {
            Windows windows = (existing != null) ? existing : new Windows();
            attempt[0] = windows.consume(limits, permit, now);
            return windows.isEmpty() ? null : windows;
        });
        return attempt[0];
    }

    @Override
    public void refund(String key, List<Limit> limits, String permit) {
        this.keys.computeIfPresent(key, (k, windows) -> {
            windows.refund(limits, permit);
            return windows.isEmpty() ? null : windows;
        });
    }

    /** @return how many keys still count calls inside their windows (forgetting idle keys first) */
    public int size() {
        sweep();
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

        private final Map<Duration, ArrayDeque<Call>> calls = new HashMap<>(4);

        LimitAttempt consume(List<Limit> limits, String permit, long now) {
            List<WindowState> states = new ArrayList<>(limits.size());
            boolean allowed = true;
            for (Limit limit : limits) {
                ArrayDeque<Call> window = this.calls.computeIfAbsent(limit.window(), w -> new ArrayDeque<>());
                long windowNanos = limit.window().toNanos();
                trim(window, windowNanos, now);
                long used = window.size();
                if (used < limit.count()) {
                    states.add(new WindowState(limit, limit.count() - used, Duration.ZERO));
                }
                else {
                    allowed = false;
                    long filler = nth(window, used - limit.count()).at;
                    states.add(new WindowState(limit, 0, Duration.ofNanos(filler + windowNanos - now)));
                }
            }
            if (allowed) {
                for (int i = 0; i < limits.size(); i++) {
                    this.calls.get(limits.get(i).window()).addLast(new Call(now, permit));
                    WindowState state = states.get(i);
                    states.set(i, new WindowState(state.limit(), state.remaining() - 1, Duration.ZERO));
                }
            }
            this.calls.values().removeIf(ArrayDeque::isEmpty);
            return new LimitAttempt(allowed, states);
        }

        void refund(List<Limit> limits, String permit) {
            for (Limit limit : limits) {
                ArrayDeque<Call> window = this.calls.get(limit.window());
                if (window != null) {
                    window.removeIf(call -> call.permit.equals(permit));
                }
            }
            this.calls.values().removeIf(ArrayDeque::isEmpty);
        }

        /** @return whether nothing is left */
        boolean trim(long now) {
            this.calls.entrySet().removeIf(entry -> {
                trim(entry.getValue(), entry.getKey().toNanos(), now);
                return entry.getValue().isEmpty();
            });
            return isEmpty();
        }

        boolean isEmpty() {
            return this.calls.isEmpty();
        }

        private static void trim(ArrayDeque<Call> window, long windowNanos, long now) {
            while (!window.isEmpty() && now - window.peekFirst().at >= windowNanos) {
                window.pollFirst();
            }
        }

        private static Call nth(ArrayDeque<Call> window, long index) {
            Iterator<Call> calls = window.iterator();
            for (long i = 0; i < index; i++) {
                calls.next();
            }
            return calls.next();
        }
    }

    private record Call(long at, String permit) {
    }
}
