package io.pielock.lock;

/**
 * The outcome of {@link LockTemplate#acquire(String)} or {@link LockTemplate#tryAcquire(String)}.
 *
 * @param acquired whether the calling thread now holds the lock (release it with
 *        {@link LockTemplate#release(String)})
 * @param message a short human-readable account that names the key, for example
 *        {@code "Lock acquired key: orders:42"}
 * @param fencingToken when acquired, a number strictly greater than every token issued earlier for this key;
 *        {@code 0} when not acquired
 */
public record LockResult(boolean acquired, String message, long fencingToken) {

    static LockResult acquired(String key, long fencingToken) {
        return new LockResult(true, "Lock acquired key: " + key, fencingToken);
    }

    static LockResult failed(String message) {
        return new LockResult(false, message, 0);
    }
}
