package io.pielock.benchmark.contender;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;

/**
 * pielock's constant-memory rate limit mode, where the pielock being measured has one: a {@link Limit} given
 * {@code Algorithm.GCRA} with {@code Limit.withAlgorithm}, found by reflection so that the benchmark builds and
 * runs against a pielock without it (then this contender is simply not listed).
 */
public final class PielockConstantMemoryLimiter implements LimiterContender {

    /** Its name in reports. */
    public static final String NAME = "pielock GCRA";

    private final Method withAlgorithm;

    private final Object algorithm;

    private PielockConstantMemoryLimiter(Method withAlgorithm, Object algorithm) {
        this.withAlgorithm = withAlgorithm;
        this.algorithm = algorithm;
    }

    /** @return the contender, if this pielock has {@code Algorithm.GCRA} and {@code Limit.withAlgorithm} */
    static Optional<LimiterContender> ifAvailable() {
        try {
            Class<?> type = Class.forName("io.pielock.limiter.Algorithm", false, Limit.class.getClassLoader());
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals("GCRA")) {
                    return Optional.of(new PielockConstantMemoryLimiter(Limit.class.getMethod("withAlgorithm", type),
                            constant));
                }
            }
            return Optional.empty();
        }
        catch (ClassNotFoundException | NoSuchMethodException ex) {
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "`Limiter.allow(key, List.of(Limit.of(count, window).withAlgorithm(Algorithm.GCRA)))` over "
                + "`RedisRateLimitStore` on a Boot-style `LettuceConnectionFactory`: the constant-memory mode (one "
                + "number per key and window), 1 round trip" + PielockLimiter.rememberingDenials() + ".";
    }

    @Override
    public AdmissionPromise promise() {
        return new AdmissionPromise(2, "GCRA: a burst of N, then one call per window / N");
    }

    @Override
    public LimiterClient connect(RedisEndpoint redis, RateLimit limit) {
        Limit gcra;
        try {
            gcra = (Limit) this.withAlgorithm.invoke(Limit.of(limit.count(), limit.window()), this.algorithm);
        }
        catch (IllegalAccessException | InvocationTargetException ex) {
            throw new IllegalStateException("Could not make a GCRA limit of " + limit, ex);
        }
        return new Client(redis, List.of(gcra));
    }

    private static final class Client implements LimiterClient {

        private final LettuceConnectionFactory connections;

        private final Limiter limiter;

        private final List<Limit> limits;

        Client(RedisEndpoint redis, List<Limit> limits) {
            this.connections = BootConnectionFactory.connect(redis);
            this.limiter = new Limiter(PielockLimiter.store(this.connections));
            this.limits = limits;
        }

        @Override
        public boolean tryAcquire(String key) {
            return this.limiter.allow(key, this.limits).allowed();
        }

        @Override
        public void close() {
            this.connections.destroy();
        }
    }
}
