package io.pielock.lock;

/**
 * The outcome of {@link LockTemplate#release(String)} or {@link LockHandle#release()}.
 *
 * @param released {@code true} when this release ended a hold that was still valid: either an inner
 *        reentrant hold was given back, or the lock was deleted in the store. {@code false} when the caller
 *        did not hold the lock, or its lease had been lost (expired and perhaps taken by another process); in
 *        that case nothing in the store was changed
 * @param message a short human-readable account that names the key
 */
public record ReleaseResult(boolean released, String message) {
}
