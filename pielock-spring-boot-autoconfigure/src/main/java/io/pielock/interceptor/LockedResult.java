package io.pielock.interceptor;

import org.springframework.core.ReactiveAdapter;

/**
 * How a {@code @DistributedLocked} method's result completes, read once at startup
 * ({@link AsynchronousResults#lockedResult}): with the call (a plain value), later as a {@code CompletionStage},
 * or later as a reactive type, with the adapter that turns it into a {@code Publisher} and back.
 *
 * @param kind when the result completes
 * @param adapter the reactive adapter, for {@link Kind#PUBLISHER} only
 */
record LockedResult(Kind kind, ReactiveAdapter adapter) {

    static final LockedResult VALUE = new LockedResult(Kind.VALUE, null);

    static final LockedResult COMPLETION_STAGE = new LockedResult(Kind.COMPLETION_STAGE, null);

    static LockedResult publisher(ReactiveAdapter adapter) {
        return new LockedResult(Kind.PUBLISHER, adapter);
    }

    /** @return whether the lock must outlive the method call */
    boolean isAsynchronous() {
        return this.kind != Kind.VALUE;
    }

    /** When the result completes. */
    enum Kind {
        /** When the method returns. */
        VALUE,
        /** When the returned {@code CompletionStage} completes. */
        COMPLETION_STAGE,
        /** When the returned publisher completes, fails or is cancelled. */
        PUBLISHER
    }
}
