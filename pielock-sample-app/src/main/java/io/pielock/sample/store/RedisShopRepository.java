package io.pielock.sample.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The shop's state in Redis ({@code pielock.store=redis}), shared by every instance that uses the same Redis.
 * Keys are {@code <shop.key-prefix><kind>:{<sku or job>}}, e.g. {@code shop:stock:{tee}}.
 * <p>
 * Values are plain text so they read well in {@code redis-cli}; the fields of reservations and job runs are
 * separated by {@code |}, which the API does not allow in names.
 */
public class RedisShopRepository implements ShopRepository {

    /** The class-path location of the script that stores a fenced price. */
    static final String SAVE_PRICE_SCRIPT = "io/pielock/sample/store/price-save.lua";

    private static final RedisScript<Long> SAVE_PRICE = RedisScript.of(new ClassPathResource(SAVE_PRICE_SCRIPT),
            Long.class);

    private static final String SEPARATOR = "|";

    private final StringRedisTemplate redis;

    private final String prefix;

    /**
     * @param redis the application's Redis ({@code spring.data.redis.*})
     * @param prefix the namespace of the shop's keys
     */
    public RedisShopRepository(StringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public void restock(String sku, int units) {
        // the caller holds the item's stock lock, so no reservation lands between these two writes
        this.redis.delete(key("reservations", sku));
        this.redis.opsForValue().set(key("stock", sku), Integer.toString(units));
    }

    @Override
    public Optional<Integer> findStock(String sku) {
        return Optional.ofNullable(this.redis.opsForValue().get(key("stock", sku))).map(Integer::valueOf);
    }

    @Override
    public void saveStock(String sku, int units) {
        this.redis.opsForValue().set(key("stock", sku), Integer.toString(units));
    }

    @Override
    public void addReservation(Reservation reservation) {
        this.redis.opsForList().rightPush(key("reservations", reservation.sku()), String.join(SEPARATOR,
                reservation.user(), Integer.toString(reservation.unit()), reservation.instance(),
                Long.toString(reservation.fencingToken())));
    }

    @Override
    public List<Reservation> reservations(String sku) {
        return this.redis.opsForList().range(key("reservations", sku), 0, -1).stream().map(text -> {
            String[] fields = fields(text, 4);
            return new Reservation(sku, fields[0], Integer.parseInt(fields[1]), fields[2], Long.parseLong(fields[3]));
        }).toList();
    }

    @Override
    public boolean savePrice(Price price) {
        return this.redis.execute(SAVE_PRICE, List.of(key("price", price.sku())), Long.toString(price.cents()),
                Long.toString(price.fencingToken())) == 1L;
    }

    @Override
    public Optional<Price> findPrice(String sku) {
        List<Object> fields = this.redis.opsForHash().multiGet(key("price", sku), List.of("cents", "token"));
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Price(sku, Long.parseLong((String) fields.get(0)), Long.parseLong((String) fields.get(1))));
    }

    @Override
    public void addJobRun(JobRun run) {
        String key = key("job-runs", run.job());
        String text = String.join(SEPARATOR, run.slot().toString(), run.instance(), run.finishedAt().toString());
        this.redis.opsForList().rightPush(key, text);
        // housekeeping only: a crash before the trim leaves one run too many, which the next run trims
        this.redis.opsForList().trim(key, -JOB_RUNS_KEPT, -1);
    }

    @Override
    public List<JobRun> jobRuns(String job) {
        return this.redis.opsForList().range(key("job-runs", job), 0, -1).stream().map(text -> {
            String[] fields = fields(text, 3);
            return new JobRun(job, Instant.parse(fields[0]), fields[1], Instant.parse(fields[2]));
        }).toList();
    }

    @Override
    public String toString() {
        RedisConnectionFactory factory = this.redis.getConnectionFactory();
        if (factory instanceof LettuceConnectionFactory lettuce) {
            return "Redis at " + lettuce.getHostName() + ":" + lettuce.getPort();
        }
        return "Redis";
    }

    private String key(String kind, String name) {
        return this.prefix + kind + ":{" + name + "}";
    }

    private static String[] fields(String text, int count) {
        String[] fields = text.split("\\|", -1);
        if (fields.length != count) {
            throw new IllegalStateException("Unexpected shop record in Redis: '" + text + "' (expected " + count
                    + " fields separated by '|')");
        }
        return fields;
    }
}
