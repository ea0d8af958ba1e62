package io.pielock.observation;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.pielock.lock.LockAcquisitionException.Reason;
import io.pielock.lock.LockObserver;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockStore;
import io.pielock.lock.ReactiveLockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.observation.PielockObservationDocumentation.AcquireMode;
import io.pielock.observation.PielockObservationDocumentation.AcquireOutcome;
import io.pielock.observation.PielockObservationDocumentation.HeldRelease;

/**
 * Micrometer instrumentation of {@link LockTemplate}s: the observations {@code pielock.lock.acquire} and
 * {@code pielock.lock.held} when the {@link ObservationRegistry} has handlers, and, once {@linkplain #bindTo bound}
 * to a {@link MeterRegistry}, the meters of {@link PielockMeterDocumentation}. The auto-configuration creates one
 * and sets it on the application's template; by hand:
 * <pre>{@code
 * LockObservations observations = new LockObservations(observationRegistry);
 * observations.bindTo(meterRegistry);
 * lockTemplate.setObserver(observations);
 * }</pre>
 * With a registry that has no handlers (such as {@link ObservationRegistry#NOOP}) no observation is created, and
 * until it is bound no meter is counted.
 */
public class LockObservations implements LockObserver, MeterBinder {

    private final ObservationRegistry registry;

    private volatile LockAcquireObservationConvention acquireConvention;

    private volatile LockHeldObservationConvention heldConvention;

    private final LongAdder held = new LongAdder();

    private final LongAdder waiting = new LongAdder();

    private final LongAdder renewed = new LongAdder();

    private final LongAdder renewalsFailed = new LongAdder();

    private final LongAdder leasesLost = new LongAdder();

    private volatile boolean metered;

    private final Acquisition stopWaiting = new Acquisition() {

        @Override
        public void acquired() {
            LockObservations.this.waiting.decrement();
        }

        @Override
        public void failed(Reason reason, Throwable cause) {
            LockObservations.this.waiting.decrement();
        }
    };

    private final Holding stopHolding = new Holding() {

        @Override
        public void released() {
            LockObservations.this.held.decrement();
        }

        @Override
        public void leaseLost() {
            LockObservations.this.held.decrement();
        }

        @Override
        public void unreachable(Throwable cause) {
            LockObservations.this.held.decrement();
        }
    };

    /**
     * @param registry where observations go; {@link ObservationRegistry#NOOP} for meters only
     */
    public LockObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    /**
     * Replaces the default names and tags of {@code pielock.lock.acquire} (a convention registered globally on the
     * registry is used otherwise, then {@link DefaultLockAcquireObservationConvention}).
     * @param convention the convention, or {@code null} for the default
     */
    public void setAcquireConvention(LockAcquireObservationConvention convention) {
        this.acquireConvention = convention;
    }

    /**
     * Replaces the default names and tags of {@code pielock.lock.held} (a convention registered globally on the
     * registry is used otherwise, then {@link DefaultLockHeldObservationConvention}).
     * @param convention the convention, or {@code null} for the default
     */
    public void setHeldConvention(LockHeldObservationConvention convention) {
        this.heldConvention = convention;
    }

    /** Registers the counters and gauges of {@link PielockMeterDocumentation}, and starts counting. */
    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder(PielockMeterDocumentation.LEASE_LOST.getName(), this.leasesLost, LongAdder::sum)
            .description("Holds that lost their lease").register(meters);
        FunctionCounter.builder(PielockMeterDocumentation.RENEWALS.getName(), this.renewed, LongAdder::sum)
            .tag("outcome", "renewed").description("Background lease renewals").register(meters);
        FunctionCounter.builder(PielockMeterDocumentation.RENEWALS.getName(), this.renewalsFailed, LongAdder::sum)
            .tag("outcome", "failed").description("Background lease renewals").register(meters);
        Gauge.builder(PielockMeterDocumentation.HELD_ACTIVE.getName(), this.held, LongAdder::sum)
            .description("Locks this JVM holds").register(meters);
        Gauge.builder(PielockMeterDocumentation.WAITING.getName(), this.waiting, LongAdder::sum)
            .description("Threads in an acquisition that may wait").register(meters);
        this.metered = true;
    }

    @Override
    public Acquisition acquisitionStarted(LockStore store, String key, LockOptions options) {
        return acquisition(store, key, options);
    }

    @Override
    public Acquisition acquisitionStarted(ReactiveLockStore store, String key, LockOptions options) {
        return acquisition(store, key, options);
    }

    private Acquisition acquisition(Object store, String key, LockOptions options) {
        boolean waits = !options.timeout().isZero();
        boolean countWaiting = waits && this.metered;
        if (countWaiting) {
            this.waiting.increment();
        }
        if (this.registry.isNoop()) {
            return countWaiting ? this.stopWaiting : Acquisition.NONE;
        }
        LockAcquireContext context = new LockAcquireContext(StoreNames.of(store), key, options.name(),
                waits ? AcquireMode.WAIT : AcquireMode.TRY_ONCE);
        Observation observation = Observation
            .createNotStarted(this.acquireConvention, DefaultLockAcquireObservationConvention.INSTANCE,
                    () -> context, this.registry)
            .start();
        return new ObservedAcquisition(context, observation, countWaiting);
    }

    @Override
    public Holding holdStarted(LockStore store, String key, LockOptions options) {
        return holding(store, key, options);
    }

    @Override
    public Holding holdStarted(ReactiveLockStore store, String key, LockOptions options) {
        return holding(store, key, options);
    }

    private Holding holding(Object store, String key, LockOptions options) {
        boolean countHeld = this.metered;
        if (countHeld) {
            this.held.increment();
        }
        if (this.registry.isNoop()) {
            return countHeld ? this.stopHolding : Holding.NONE;
        }
        LockHeldContext context = new LockHeldContext(StoreNames.of(store), key, options.name());
        Observation observation = Observation
            .createNotStarted(this.heldConvention, DefaultLockHeldObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .start();
        return new ObservedHolding(context, observation, countHeld);
    }

    @Override
    public void renewal(boolean renewed) {
        if (this.metered) {
            (renewed ? this.renewed : this.renewalsFailed).increment();
        }
    }

    @Override
    public void leaseLost(String key) {
        if (this.metered) {
            this.leasesLost.increment();
        }
    }

    private final class ObservedAcquisition implements Acquisition {

        private final LockAcquireContext context;

        private final Observation observation;

        private final boolean countedWaiting;

        ObservedAcquisition(LockAcquireContext context, Observation observation, boolean countedWaiting) {
            this.context = context;
            this.observation = observation;
            this.countedWaiting = countedWaiting;
        }

        @Override
        public void acquired() {
            end(AcquireOutcome.ACQUIRED, null);
        }

        @Override
        public void failed(Reason reason, Throwable cause) {
            end(AcquireOutcome.of(reason), (reason == Reason.STORE_UNAVAILABLE) ? cause : null);
        }

        private void end(AcquireOutcome outcome, Throwable error) {
            if (this.countedWaiting) {
                LockObservations.this.waiting.decrement();
            }
            this.context.setOutcome(outcome);
            if (error != null) {
                this.observation.error(error);
            }
            this.observation.stop();
        }
    }

    private final class ObservedHolding implements Holding {

        private final LockHeldContext context;

        private final Observation observation;

        private final boolean countedHeld;

        ObservedHolding(LockHeldContext context, Observation observation, boolean countedHeld) {
            this.context = context;
            this.observation = observation;
            this.countedHeld = countedHeld;
        }

        @Override
        public void released() {
            end(HeldRelease.RELEASED, null);
        }

        @Override
        public void leaseLost() {
            end(HeldRelease.LEASE_LOST, null);
        }

        @Override
        public void unreachable(Throwable cause) {
            end(HeldRelease.UNREACHABLE, cause);
        }

        private void end(HeldRelease released, Throwable error) {
            if (this.countedHeld) {
                LockObservations.this.held.decrement();
            }
            this.context.setReleased(released);
            if (error != null) {
                this.observation.error(error);
            }
            this.observation.stop();
        }
    }
}
