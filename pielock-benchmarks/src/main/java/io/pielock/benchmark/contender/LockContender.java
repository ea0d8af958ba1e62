package io.pielock.benchmark.contender;

/**
 * A distributed lock implementation under test. Adding one to the benchmark is one class implementing this,
 * listed in {@link Contenders#locks()}.
 */
public interface LockContender {

    /** @return its name in reports; also how a client process is told which one to connect */
    String name();

    /** @return one sentence for the report: what it does per acquisition and how it is configured */
    String description();

    /**
     * Connects a new, independent client.
     * @param redis where Redis listens
     * @return the client
     */
    LockClient connect(RedisEndpoint redis);
}
