package io.pielock.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters pielock registers beside its observations ({@link PielockObservationDocumentation}), bound by
 * {@link LockObservations#bindTo} when a {@code MeterRegistry} exists. None carries a key.
 */
public enum PielockMeterDocumentation implements MeterDocumentation {

    /** Holds that lost their lease (found by a renewal or at release): their code was no longer protected. */
    LEASE_LOST {
        @Override
        public String getName() {
            return "pielock.lock.lease.lost";
        }

        @Override
        public Meter.Type getType() {
            return Meter.Type.COUNTER;
        }
    },

    /** Background lease renewals, by {@code outcome}: {@code renewed} or {@code failed}. */
    RENEWALS {
        @Override
        public String getName() {
            return "pielock.lock.renewals";
        }

        @Override
        public Meter.Type getType() {
            return Meter.Type.COUNTER;
        }

        @Override
        public KeyName[] getKeyNames() {
            return new KeyName[] { PielockObservationDocumentation.LowCardinalityKeyNames.OUTCOME };
        }
    },

    /** Locks this JVM holds now. */
    HELD_ACTIVE {
        @Override
        public String getName() {
            return "pielock.lock.held.active";
        }

        @Override
        public Meter.Type getType() {
            return Meter.Type.GAUGE;
        }
    },

    /** Threads of this JVM inside an acquisition that may wait ({@code timeout} above zero) now. */
    WAITING {
        @Override
        public String getName() {
            return "pielock.lock.waiting";
        }

        @Override
        public Meter.Type getType() {
            return Meter.Type.GAUGE;
        }
    }
}
