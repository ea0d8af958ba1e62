package io.pielock.lock;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The locks held by the code running on this thread through {@code @DistributedLocked},
 * {@link LockTemplate#execute} or {@link LockTemplate#run}. Inside such a method:
 * <pre>{@code
 * long token = LockContext.current().fencingToken();
 * }</pre>
 */
public final class LockContext {

    private static final ThreadLocal<Deque<LockHandle>> HANDLES = ThreadLocal.withInitial(ArrayDeque::new);

    private LockContext() {
    }

    /**
     * @return the innermost lock held by the running locked call
     * @throws IllegalStateException if the thread runs no locked call
     */
    public static LockHandle current() {
        return find().orElseThrow(() -> new IllegalStateException(
                "No lock is held by this thread: LockContext.current() works inside @DistributedLocked methods "
                        + "and LockTemplate.execute/run. If this runs in a @DistributedLocked method, the call did "
                        + "not go through the bean's proxy: a call through 'this' (self-invocation), or a private, "
                        + "final or static method, runs without the lock; call it on the injected bean"));
    }

    /** @return the innermost lock held by the running locked call, if any */
    public static Optional<LockHandle> find() {
        return Optional.ofNullable(HANDLES.get().peek());
    }

    static void push(LockHandle handle) {
        HANDLES.get().push(handle);
    }

    static void pop() {
        Deque<LockHandle> handles = HANDLES.get();
        handles.pop();
        if (handles.isEmpty()) {
            HANDLES.remove();
        }
    }
}
