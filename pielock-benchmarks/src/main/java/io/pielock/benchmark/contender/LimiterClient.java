package io.pielock.benchmark.contender;

/** One client of a rate limiter implementation, connected with one limit, shared by the threads of a process. */
public interface LimiterClient extends AutoCloseable {

    /**
     * Decides one call.
     * @param key the rate limit's name (the implementation adds its own prefix)
     * @return whether the call is admitted
     */
    boolean tryAcquire(String key);

    /** Releases the client's connections and threads. */
    @Override
    void close();
}
