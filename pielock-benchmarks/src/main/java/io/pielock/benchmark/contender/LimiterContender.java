package io.pielock.benchmark.contender;

/**
 * A rate limiter implementation under test. Adding one to the benchmark (a new pielock algorithm, say) is one class
 * implementing this, listed in {@link Contenders#limiters()}.
 */
public interface LimiterContender {

    /** @return its name in reports */
    String name();

    /** @return one sentence for the report: what it does per decision and how it is configured */
    String description();

    /** @return what it promises about admitted calls; more than that is reported as a violation */
    AdmissionPromise promise();

    /**
     * Connects a new, independent client whose keys all get {@code limit}.
     * @param redis where Redis listens
     * @param limit the limit of every key
     * @return the client
     */
    LimiterClient connect(RedisEndpoint redis, RateLimit limit);
}
