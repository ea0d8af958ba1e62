package io.pielock.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

import io.pielock.lock.LockAcquisitionException.Reason;

/**
 * Every observation pielock makes, with its key names and their values. Low-cardinality key values become metric
 * tags and span tags; the high-cardinality {@code key} (the evaluated lock or rate limit key, which may carry user
 * ids) appears only in spans, never as a metric tag.
 * <p>
 * With Micrometer's default meter handler each observation is also a timer of the same name (in Prometheus
 * {@code pielock_lock_acquire_seconds_count} and so on, plus the {@code error} tag Micrometer adds) and a
 * long-task timer named {@code <name>.active} while it runs.
 */
public enum PielockObservationDocumentation implements ObservationDocumentation {

    /**
     * One acquisition of a lock: one per call of {@code LockTemplate} or of a {@code @DistributedLocked} method,
     * however many store round trips it takes; timed from the call until the lock is held or the call gives up.
     */
    LOCK_ACQUIRE {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultLockAcquireObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { LowCardinalityKeyNames.OUTCOME, LowCardinalityKeyNames.MODE,
                    LowCardinalityKeyNames.STORE, LowCardinalityKeyNames.NAME };
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    },

    /**
     * One hold of a lock by this JVM: from acquisition in the store to release (reentrant acquisitions inside it
     * are not separate holds).
     */
    LOCK_HELD {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultLockHeldObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { LowCardinalityKeyNames.RELEASED, LowCardinalityKeyNames.STORE,
                    LowCardinalityKeyNames.NAME };
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    },

    /**
     * One rate limit decision: one per {@code Limiter.allow} or {@code @RateLimited} call, whatever the number of
     * keys and limits. Its {@code fail-open} outcome counts the calls allowed unchecked because the store could
     * not be reached.
     */
    LIMITER_DECISION {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultLimiterDecisionObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] { LowCardinalityKeyNames.OUTCOME, LowCardinalityKeyNames.STORE,
                    LowCardinalityKeyNames.NAME };
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    };

    /** Key names with few values: metric tags and span tags. */
    public enum LowCardinalityKeyNames implements KeyName {

        /** How an acquisition ({@link AcquireOutcome}) or a decision ({@link DecisionOutcome}) ended. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },

        /** Whether an acquisition could wait: {@link AcquireMode}. */
        MODE {
            @Override
            public String asString() {
                return "mode";
            }
        },

        /** Where locks or limits live: {@code redis}, {@code memory}, or an own store's class name. */
        STORE {
            @Override
            public String asString() {
                return "store";
            }
        },

        /**
         * What the lock or limit is for: the annotated method ({@code ClassName.method}, simple class name), or the
         * name a programmatic caller gave ({@code LockOptions.withName}, the name argument of
         * {@code Limiter.allow}), {@code programmatic} by default.
         */
        NAME {
            @Override
            public String asString() {
                return "name";
            }
        },

        /** How a hold ended: {@link HeldRelease}. */
        RELEASED {
            @Override
            public String asString() {
                return "released";
            }
        }
    }

    /** Key names with many values: span tags only, never metric tags. */
    public enum HighCardinalityKeyNames implements KeyName {

        /** The evaluated lock or rate limit key (of several rate limit keys, all of them, comma-separated). */
        KEY {
            @Override
            public String asString() {
                return "key";
            }
        }
    }

    /** Values of {@code outcome} on {@code pielock.lock.acquire}. */
    public enum AcquireOutcome {

        /** The lock is held (perhaps reentrantly). */
        ACQUIRED("acquired"),
        /** The wait ran out ({@code timeout}). */
        TIMEOUT("timeout"),
        /** One attempt ({@code timeout} zero) found the lock held. */
        HELD_ELSEWHERE("held-elsewhere"),
        /** Every one of {@code tries} attempts found the lock held. */
        TRIES_EXHAUSTED("tries-exhausted"),
        /** This thread already held it and the acquisition was not reentrant. */
        ALREADY_HELD("already-held"),
        /** This thread already held it, but its lease had been lost. */
        LEASE_LOST("lease-lost"),
        /** The store could not be reached. */
        UNAVAILABLE("unavailable"),
        /** The waiting thread was interrupted. */
        INTERRUPTED("interrupted");

        private final KeyValue keyValue;

        AcquireOutcome(String value) {
            this.keyValue = LowCardinalityKeyNames.OUTCOME.withValue(value);
        }

        /** @return the tag value */
        public String value() {
            return this.keyValue.getValue();
        }

        KeyValue keyValue() {
            return this.keyValue;
        }

        /**
         * @param reason why a lock was not acquired
         * @return the outcome that reports it
         */
        public static AcquireOutcome of(Reason reason) {
            return switch (reason) {
                case TIMEOUT -> TIMEOUT;
                case HELD_ELSEWHERE -> HELD_ELSEWHERE;
                case TRIES_EXHAUSTED -> TRIES_EXHAUSTED;
                case ALREADY_HELD -> ALREADY_HELD;
                case LEASE_LOST -> LEASE_LOST;
                case STORE_UNAVAILABLE -> UNAVAILABLE;
                case INTERRUPTED -> INTERRUPTED;
            };
        }
    }

    /** Values of {@code mode} on {@code pielock.lock.acquire}. */
    public enum AcquireMode {

        /** The acquisition may wait ({@code timeout} above zero). */
        WAIT("wait"),
        /** One attempt, no wait ({@code timeout} zero, {@code tryAcquire}). */
        TRY_ONCE("try-once");

        private final KeyValue keyValue;

        AcquireMode(String value) {
            this.keyValue = LowCardinalityKeyNames.MODE.withValue(value);
        }

        /** @return the tag value */
        public String value() {
            return this.keyValue.getValue();
        }

        KeyValue keyValue() {
            return this.keyValue;
        }
    }

    /** Values of {@code released} on {@code pielock.lock.held}. */
    public enum HeldRelease {

        /** Released (or handed to the next waiter) while still valid. */
        RELEASED("released"),
        /** The lease had been lost before the release (expired, perhaps taken by another process). */
        LEASE_LOST("lease-lost"),
        /** The store could not be reached to release it; it frees itself when its lease runs out. */
        UNREACHABLE("unreachable");

        private final KeyValue keyValue;

        HeldRelease(String value) {
            this.keyValue = LowCardinalityKeyNames.RELEASED.withValue(value);
        }

        /** @return the tag value */
        public String value() {
            return this.keyValue.getValue();
        }

        KeyValue keyValue() {
            return this.keyValue;
        }
    }

    /** Values of {@code outcome} on {@code pielock.limiter.decision}. */
    public enum DecisionOutcome {

        /** Every limit admitted the call. */
        ALLOWED("allowed"),
        /** A limit was exceeded. */
        DENIED("denied"),
        /** The store could not be reached and the limiter fails closed: denied with an exception. */
        UNAVAILABLE("unavailable"),
        /** The store could not be reached and the limiter fails open: allowed unchecked. */
        FAIL_OPEN("fail-open");

        private final KeyValue keyValue;

        DecisionOutcome(String value) {
            this.keyValue = LowCardinalityKeyNames.OUTCOME.withValue(value);
        }

        /** @return the tag value */
        public String value() {
            return this.keyValue.getValue();
        }

        KeyValue keyValue() {
            return this.keyValue;
        }
    }
}
