package io.pielock.lock;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.pielock.lock.LockAcquisitionException.Reason;

/**
 * The policy {@link LockTemplate} and {@link ReactiveLockTemplate} share, so the blocking and the reactive lock
 * behave and speak alike: owner tokens, the arithmetic of tries, timeouts and pauses, when a failed store call is
 * sent again, and the texts of failures and releases. Only how they wait differs (a parked thread, a timer).
 */
final class LockPolicy {

    /** Random per JVM (from a secure source, once), so tokens of two processes never collide. */
    private static final String PROCESS_ID = Long.toHexString(new SecureRandom().nextLong()) + ":";

    /**
     * How often one call sends an acquisition again after a transient store failure
     * ({@link LockStore#isTransient(RuntimeException)}), within its timeout.
     */
    static final int MAX_RESENDS = 3;

    /**
     * How many times a JVM passes a contended lock to another process's waiter, rather than to a thread of its own
     * queued behind the holder, before one handover may go ahead of those waiters
     * ({@link LockStore#handOver(String, String, String, Duration, Duration, boolean)}): at least three of every
     * four turns go between processes, and one in four costs a single round trip inside the JVM.
     */
    static final int GIVE_WAY_BEFORE_LOCAL_TURN = 3;

    /** The pause before the first resend; it doubles for each further one, and never exceeds retryAfter. */
    private static final long RESEND_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Why a renewal marks a hold lost: the lock was gone or had another owner. */
    static final String LOST_TO_ANOTHER_OWNER = "its lease expired and the lock was deleted or taken by another process";

    private LockPolicy() {
    }

    /** @return a new owner token: this JVM's random id and a random number */
    static String newToken() {
        return PROCESS_ID + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** @return how long after the first try the last is due: (tries - 1) × retryAfter, or no bound */
    static long triesSpan(LockOptions options) {
        if (options.tries() == 0) {
            return Long.MAX_VALUE;
        }
        long spacing = options.retryAfter().toNanos();
        return (options.tries() - 1 > Long.MAX_VALUE / spacing) ? Long.MAX_VALUE : (options.tries() - 1) * spacing;
    }

    /** @return how long a caller may queue behind callers of this JVM: the timeout, bounded by the tries */
    static long localWait(LockOptions options) {
        return Math.min(options.timeout().toNanos(), triesSpan(options));
    }

    /** @return why a caller that gave up queueing behind callers of this JVM failed */
    static Reason localGiveUpReason(LockOptions options) {
        return options.timeout().isZero() ? Reason.HELD_ELSEWHERE
                : (localWait(options) < options.timeout().toNanos()) ? Reason.TRIES_EXHAUSTED : Reason.TIMEOUT;
    }

    /** @return the tries left for the store once the JVM-local wait has used some (one per retryAfter waited) */
    static int storeTries(LockOptions options, long waitedLocally) {
        if (options.tries() == 0) {
            return 0;
        }
        long used = waitedLocally / options.retryAfter().toNanos();
        return (int) Math.max(1, options.tries() - used);
    }

    /** @return how soon the caller tries again at the latest: what its waiter mark must outlive */
    static Duration retryWithin(long deadline, LockOptions options) {
        long remaining = Math.max(0, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(remaining, options.retryAfter().toNanos()));
    }

    /**
     * @return how long to wait for a release before trying again: retryAfter, less if the wait ends sooner, and
     *         no longer than the holder's lease (a crashed holder's lease runs out: try again right then)
     */
    static long retryPause(long remaining, Duration retryAfter, Duration holderTtl) {
        long pause = Math.min(remaining, retryAfter.toNanos());
        if (holderTtl != null && !holderTtl.isNegative()) {
            pause = Math.min(pause, holderTtl.toNanos() + TimeUnit.MILLISECONDS.toNanos(1));
        }
        return pause;
    }

    /**
     * Whether an acquisition whose store call failed may be sent again (same owner token): only transient
     * failures, at most {@link #MAX_RESENDS} times; a single attempt (timeout 0) is still sent again once, as it
     * may have run.
     */
    static boolean mayResend(boolean transientFailure, int resend, boolean once) {
        return transientFailure && resend < MAX_RESENDS && !(once && resend > 0);
    }

    /** @return the pause before resend number {@code resend} (from 0): 50 ms doubling, at most retryAfter */
    static long resendPause(int resend, LockOptions options) {
        return Math.min(RESEND_PAUSE_NANOS << resend, options.retryAfter().toNanos());
    }

    /**
     * @return what an exception adds to its reason: the wait and what sets it, or where the store is; and how
     *         many store calls failed meanwhile, when some did (the cause is the last of them)
     */
    static String detail(Reason reason, LockOptions options, int storeFailures, String store) {
        String detail = detail(reason, options, store);
        if (storeFailures == 0 || reason == Reason.STORE_UNAVAILABLE && storeFailures == 1) {
            return detail;
        }
        String failures = storeFailures + " attempts failed" + ((reason == Reason.STORE_UNAVAILABLE) ? "" : " in " + store);
        return (detail != null) ? detail + "; " + failures : failures;
    }

    private static String detail(Reason reason, LockOptions options, String store) {
        return switch (reason) {
            case TIMEOUT -> "waited " + text(options.timeout())
                    + "; the wait is the timeout attribute or pielock.lock.timeout";
            case TRIES_EXHAUSTED -> options.tries() + " tries, one every " + text(options.retryAfter())
                    + "; set by tries and retryAfter, or pielock.lock.tries and pielock.lock.retry-after";
            case HELD_ELSEWHERE -> "one attempt: timeout 0";
            case STORE_UNAVAILABLE -> store;
            default -> null;
        };
    }

    /** @return the message of a failed {@link LockResult}, naming the key */
    static String failureMessage(String key, Reason reason, LockOptions options, int storeFailures, Throwable cause,
            String store) {
        String message = failureMessage(key, reason, options);
        if (storeFailures == 0 || cause == null) {
            return message;
        }
        return message + "; meanwhile " + storeFailures + " attempts failed in " + store + " ("
                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
    }

    private static String failureMessage(String key, Reason reason, LockOptions options) {
        return switch (reason) {
            case TIMEOUT -> "Timeout while waiting for lock key: " + key + " (waited " + options.timeout() + ")";
            case HELD_ELSEWHERE -> "Lock already acquired by another process key: " + key;
            case TRIES_EXHAUSTED -> "Lock still held after " + options.tries() + " tries key: " + key
                    + " (one every " + options.retryAfter() + ")";
            case INTERRUPTED -> "Interrupted while waiting for lock key: " + key;
            case LEASE_LOST -> "Lease lost on the hold this thread already has key: " + key;
            case ALREADY_HELD -> "Lock already held by this thread key: " + key
                    + " (not reentrant: release it before acquiring it again)";
            case STORE_UNAVAILABLE -> "Lock store unreachable key: " + key;
        };
    }

    /** @return the duration as a person writes it: {@code 30s}, {@code 250ms}, {@code 36500d} */
    static String text(Duration duration) {
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds == 0) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        return (seconds % 3600 == 0) ? seconds / 3600 + "h" : seconds + "s";
    }

    /** @return the reason a renewal gives when the store stayed unreachable for longer than the lease */
    static String unreachableForLongerThanTheLease(Throwable failure) {
        return "the lock store could not be reached for longer than the lease (" + failure + ")";
    }

    /** The texts of releases: the same for both templates. */
    static final class Releases {

        private Releases() {
        }

        static ReleaseResult notHeld(String key) {
            return new ReleaseResult(false, "Lock not held key: " + key);
        }

        static ReleaseResult alreadyClosed(String key) {
            return new ReleaseResult(false, "Lock handle already closed key: " + key);
        }

        static ReleaseResult reentrant(String key, int left, boolean valid, String holder) {
            return new ReleaseResult(valid, "Reentrant hold released key: " + key + " (" + left + " still held by "
                    + holder + ")");
        }

        static ReleaseResult released(String key) {
            return new ReleaseResult(true, "Lock released key: " + key);
        }

        static ReleaseResult lostBefore(String key, String lostReason) {
            return new ReleaseResult(false, "Lock lease was lost before release key: " + key + " (" + lostReason
                    + "); nothing was changed in the store");
        }

        static ReleaseResult unreachable(String key, Throwable ex) {
            return new ReleaseResult(false, "Could not reach the lock store to release key: " + key + " (" + ex
                    + "); the lock frees itself when its lease runs out");
        }

        static ReleaseResult expired(String key) {
            return new ReleaseResult(false, "Lock lease was lost before release key: " + key
                    + " (it expired and may be held by another process); nothing was changed in the store");
        }

        static String unreachableLog(String key) {
            return "Could not release lock key: " + key + "; it frees itself when its lease runs out";
        }

        static String expiredLog(String key, long fencingToken) {
            return "Lock key: " + key + " (fencing token " + fencingToken
                    + ") had expired before release; another process may have held it meanwhile";
        }

        static String lostLog(String key, long fencingToken, String reason) {
            return "Lost lock key: " + key + " (fencing token " + fencingToken + "): " + reason
                    + ". The code holding it is no longer protected from other holders.";
        }
    }
}
