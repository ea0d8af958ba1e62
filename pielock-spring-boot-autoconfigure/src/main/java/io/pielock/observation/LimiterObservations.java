package io.pielock.observation;

import java.util.List;
import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterObserver;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.ReactiveRateLimitStore;
import io.pielock.observation.PielockObservationDocumentation.DecisionOutcome;

/**
 * Micrometer instrumentation of {@link Limiter}s: the observation {@code pielock.limiter.decision} when the
 * {@link ObservationRegistry} has handlers. With Micrometer's default meter handler it is also the timer of that
 * name, whose {@code outcome=fail-open} count is the number of calls allowed unchecked. The auto-configuration
 * creates one and sets it on the application's limiter; by hand: {@code limiter.setObserver(new
 * LimiterObservations(observationRegistry))}. With a registry that has no handlers (such as
 * {@link ObservationRegistry#NOOP}) nothing is created per decision.
 */
public class LimiterObservations implements LimiterObserver {

    private final ObservationRegistry registry;

    private volatile LimiterDecisionObservationConvention convention;

    /**
     * @param registry where observations go
     */
    public LimiterObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    /**
     * Replaces the default names and tags of {@code pielock.limiter.decision} (a convention registered globally on
     * the registry is used otherwise, then {@link DefaultLimiterDecisionObservationConvention}).
     * @param convention the convention, or {@code null} for the default
     */
    public void setConvention(LimiterDecisionObservationConvention convention) {
        this.convention = convention;
    }

    @Override
    public Decision decisionStarted(RateLimitStore store, List<KeyedLimits> keys, String name) {
        return started(store, keys, name);
    }

    /** As for a blocking store: the {@code store} tag names the storage ({@code redis}, {@code memory}). */
    @Override
    public Decision decisionStarted(ReactiveRateLimitStore store, List<KeyedLimits> keys, String name) {
        return started(store, keys, name);
    }

    private Decision started(Object store, List<KeyedLimits> keys, String name) {
        if (this.registry.isNoop()) {
            return Decision.NONE;
        }
        LimiterDecisionContext context = new LimiterDecisionContext(StoreNames.of(store), keys, name);
        Observation observation = Observation
            .createNotStarted(this.convention, DefaultLimiterDecisionObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .start();
        return new ObservedDecision(context, observation);
    }

    private static final class ObservedDecision implements Decision {

        private final LimiterDecisionContext context;

        private final Observation observation;

        ObservedDecision(LimiterDecisionContext context, Observation observation) {
            this.context = context;
            this.observation = observation;
        }

        @Override
        public void allowed() {
            end(DecisionOutcome.ALLOWED, null);
        }

        @Override
        public void denied() {
            end(DecisionOutcome.DENIED, null);
        }

        @Override
        public void failedOpen(Throwable cause) {
            end(DecisionOutcome.FAIL_OPEN, cause);
        }

        @Override
        public void unavailable(Throwable cause) {
            end(DecisionOutcome.UNAVAILABLE, cause);
        }

        private void end(DecisionOutcome outcome, Throwable error) {
            this.context.setOutcome(outcome);
            if (error != null) {
                this.observation.error(error);
            }
            this.observation.stop();
        }
    }
}
