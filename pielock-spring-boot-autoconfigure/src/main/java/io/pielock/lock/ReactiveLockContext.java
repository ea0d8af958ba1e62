package io.pielock.lock;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The locks held by a reactive chain through {@link ReactiveLockTemplate#execute} (or a reactive
 * {@code @DistributedLocked} method): the reactive sibling of {@link LockContext}, carried by the Reactor
 * {@link Context} of the guarded publisher's subscription instead of a thread. Inside the guarded publisher:
 * <pre>{@code
 * ReactiveLockContext.current().flatMap(lock -> repository.save(order, lock.fencingToken()))
 * }</pre>
 * A nested {@code execute} or {@code lock} on the same key within the chain sees the hold there, and is
 * reentrant (or fails at once when not reentrant).
 */
public final class ReactiveLockContext {

    /** Private, so no one else reads or replaces the holds in a Context. */
    private static final Object KEY = new Object() {
        @Override
        public String toString() {
            return "pielock.reactive.locks";
        }
    };

    private ReactiveLockContext() {
    }

    /** @return the innermost hold of the subscriber's Reactor Context; empty if the chain holds no lock */
    public static Mono<ReactiveLockHandle> current() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(find(context, null)));
    }

    /**
     * @param key the lock's name
     * @return the innermost hold of {@code key} in the subscriber's Reactor Context; empty if the chain does not
     *         hold it
     */
    public static Mono<ReactiveLockHandle> current(String key) {
        return Mono.deferContextual(context -> Mono.justOrEmpty(find(context, key)));
    }

    /** @return the innermost hold of {@code key} (any key if null), or null */
    static ReactiveLockHandle find(ContextView context, String key) {
        Node node = context.getOrDefault(KEY, null);
        for (; node != null; node = node.outer) {
            if (key == null || node.handle.key().equals(key)) {
                return node.handle;
            }
        }
        return null;
    }

    /** @return the context with {@code handle} as its innermost hold */
    static Context with(Context context, ReactiveLockHandle handle) {
        return context.put(KEY, new Node(handle, context.getOrDefault(KEY, null)));
    }

    /** An immutable stack of holds, innermost first: contexts are immutable, so is this. */
    private record Node(ReactiveLockHandle handle, Node outer) {
    }
}
