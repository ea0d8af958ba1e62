package io.pielock.faults;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.FencedCounter;
import io.pielock.test.JavaProcess;
import io.pielock.test.TestRedis;

/**
 * Another application instance, in its own JVM ({@link JavaProcess}): it holds locks on request, so tests can
 * crash it (SIGKILL) or freeze it (SIGSTOP) while it does. Requests, one per line on standard input:
 * <ul>
 * <li>{@code acquire <key> <expires ms>} answers {@code acquired <fencing token>} or {@code failed <message>};</li>
 * <li>{@code write <key> <value>} writes to the fenced counter {@code <key>} with the hold's token and answers
 * {@code accepted} or {@code rejected};</li>
 * <li>{@code release <key>} answers {@code released|not-released <message>}.</li>
 * </ul>
 * Arguments: the lock Redis's port, then the resource Redis's port.
 */
public final class LockHolderProcess {

    private LockHolderProcess() {
    }

    public static void main(String[] args) throws Exception {
        LettuceConnectionFactory locks = TestRedis.connectionFactory("127.0.0.1", Integer.parseInt(args[0]),
                Duration.ofSeconds(2));
        LettuceConnectionFactory resources = TestRedis.connectionFactory("127.0.0.1", Integer.parseInt(args[1]),
                Duration.ofSeconds(2));
        StringRedisTemplate resourceRedis = new StringRedisTemplate(resources);
        LockTemplate template = new LockTemplate(new RedisLockStore(locks, new RedisKeys("pielock:")));
        Map<String, LockHandle> handles = new HashMap<>();
        JavaProcess.reply("ready");
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] request = line.split(" ", 3);
            String key = request[1];
            switch (request[0]) {
                case "acquire" -> {
                    LockOptions options = template.defaults()
                        .withExpires(Duration.ofMillis(Long.parseLong(request[2])))
                        .withTimeout(Duration.ofSeconds(10));
                    try {
                        LockHandle handle = template.lock(key, options);
                        handles.put(key, handle);
                        JavaProcess.reply("acquired " + handle.fencingToken());
                    }
                    catch (RuntimeException ex) {
                        JavaProcess.reply("failed " + ex.getMessage());
                    }
                }
                case "write" -> {
                    boolean accepted = new FencedCounter(resourceRedis, key)
                        .write(handles.get(key).fencingToken(), Long.parseLong(request[2]), "holder-process");
                    JavaProcess.reply(accepted ? "accepted" : "rejected");
                }
                case "release" -> {
                    var result = handles.remove(key).release();
                    JavaProcess.reply((result.released() ? "released " : "not-released ") + result.message());
                }
                default -> JavaProcess.reply("unknown request: " + line);
            }
        }
    }
}
