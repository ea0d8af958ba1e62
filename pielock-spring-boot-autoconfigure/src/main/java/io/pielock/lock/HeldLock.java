package io.pielock.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * One lock this JVM holds, as {@link LockTemplate#heldLocks()} saw it: a snapshot for operators (the actuator
 * endpoint), not a handle. Never carries the owner token.
 *
 * @param key the lock's name
 * @param fencingToken the fencing token the hold was acquired (or handed over) with
 * @param heldSince when the hold's lease began: its acquisition, or the handover to this holder
 * @param leaseLeft how long the lease still runs as this JVM counts it (from before the last acquiring or renewing
 *        request was sent), {@link Duration#ZERO} once it ran out or was lost
 * @param thread the name of the thread that holds it
 * @param depth how many times that thread holds it (reentrant acquisitions); releases needed to let it go
 * @param renewals how many times its lease was renewed
 * @param lost whether its lease was lost (a renewal found it gone, or it ran out): the code holding it is no longer
 *        protected
 */
public record HeldLock(String key, long fencingToken, Instant heldSince, Duration leaseLeft, String thread, int depth,
        int renewals, boolean lost) {
}
