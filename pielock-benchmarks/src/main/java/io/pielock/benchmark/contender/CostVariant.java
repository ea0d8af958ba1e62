package io.pielock.benchmark.contender;

import java.util.function.Function;

/**
 * One way of doing one operation in the cost breakdown ({@link CostVariants}).
 * @param name how the report names it
 * @param operation {@link #LIMITER} or {@link #LOCK}
 * @param connect makes a client on a Redis endpoint, shared by the measuring threads
 */
public record CostVariant(String name, String operation, Function<RedisEndpoint, Running> connect) {

    /** The operation of the limiter variants. */
    public static final String LIMITER = "limiter decision";

    /** The operation of the lock variants. */
    public static final String LOCK = "lock + unlock";

    /** A connected variant. */
    public interface Running extends AutoCloseable {

        /**
         * Does the operation once.
         * @param thread the calling thread's index (a lock variant's key)
         * @param random a random number (a limiter variant's key)
         */
        void once(int thread, int random);

        /** Releases the client's connections and threads. */
        @Override
        void close();
    }
}
