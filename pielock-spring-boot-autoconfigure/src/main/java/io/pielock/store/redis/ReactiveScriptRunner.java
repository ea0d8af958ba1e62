package io.pielock.store.redis;

import java.nio.ByteBuffer;
import java.util.List;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the stores' {@link LuaScript}s on a reactive connection, without blocking the subscribing thread: by SHA
 * ({@code EVALSHA}), sending the text ({@code EVAL}) only when the server lacks it ({@code NOSCRIPT}), as
 * {@link LuaScript#run} does for blocking connections. On Redis Cluster the connection routes each script by its
 * first key, and all keys of one script share a hash tag.
 * <p>
 * One {@link ReactiveRedisConnection} serves every call (Lettuce's are thread-safe and multiplex their commands).
 * It is obtained on {@link Schedulers#boundedElastic()}: Spring Data Redis may connect while handing out a
 * connection, and that connect blocks. After an error (reset, restart) the next call asks the factory again.
 */
final class ReactiveScriptRunner {

    private final ReactiveRedisConnectionFactory connectionFactory;

    /** The connection every call uses; replaced after an error. */
    private volatile ReactiveRedisConnection shared;

    private final ClusterTopology topology;

    ReactiveScriptRunner(ReactiveRedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
        this.topology = ClusterTopology.of(connectionFactory);
    }

    /** @return the reply of a script that answers a list (for example {@code [1, fencingToken]}) */
    Mono<List<Object>> multi(LuaScript<?> script, int numKeys, byte[][] keysAndArgs) {
        return run(script, ReturnType.MULTI, numKeys, keysAndArgs);
    }

    /** @return whether a script that answers 1 (done) or 0 answered 1 */
    Mono<Boolean> done(LuaScript<?> script, int numKeys, byte[][] keysAndArgs) {
        return run(script, ReturnType.INTEGER, numKeys, keysAndArgs)
            .map(reply -> !reply.isEmpty() && reply.get(0) instanceof Number number && number.longValue() == 1L)
            .defaultIfEmpty(false);
    }

    /**
     * Runs a script when subscribed to.
     * @param script the script
     * @param returnType how to read its reply
     * @param numKeys how many of {@code keysAndArgs} are keys
     * @param keysAndArgs the keys, then the arguments
     * @return the reply: for {@code MULTI} its elements, for {@code INTEGER} one {@code Long}
     */
    Mono<List<Object>> run(LuaScript<?> script, ReturnType returnType, int numKeys, byte[][] keysAndArgs) {
        return connection().flatMap(connection -> run(connection, script, returnType, numKeys, keysAndArgs)
            .doOnError(ex -> forget(connection)));
    }

    private static Mono<List<Object>> run(ReactiveRedisConnection connection, LuaScript<?> script,
            ReturnType returnType, int numKeys, byte[][] keysAndArgs) {
        Flux<Object> bySha = Flux.defer(() -> connection.scriptingCommands()
            .evalSha(script.getSha1(), returnType, numKeys, buffers(keysAndArgs)));
        return bySha.onErrorResume(LuaScript::isNoScript, ex -> connection.scriptingCommands()
                .eval(script.textBuffer(), returnType, numKeys, buffers(keysAndArgs)))
            .collectList()
            .map(ReactiveScriptRunner::flatten);
    }

    /** Lettuce hands a multi-bulk reply over element by element; should it come whole, it is unwrapped. */
    @SuppressWarnings("unchecked")
    private static List<Object> flatten(List<Object> reply) {
        if (reply.size() == 1 && reply.get(0) instanceof List<?> whole) {
            return (List<Object>) whole;
        }
        return reply;
    }

    private Mono<ReactiveRedisConnection> connection() {
        ReactiveRedisConnection connection = this.shared;
        if (connection != null) {
            return Mono.just(connection);
        }
        return Mono.fromCallable(() -> {
            // two calls may both get one here: either will do
            ReactiveRedisConnection created = this.connectionFactory.getReactiveConnection();
            this.shared = created;
            return created;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The factory may have replaced its native connection (reset, restart): ask it again next time. On Redis
     * Cluster the slot's master may have failed over: the client reads the topology again.
     */
    private void forget(ReactiveRedisConnection connection) {
        this.topology.callFailed();
        if (this.shared == connection) {
            this.shared = null;
            // frees a dedicated native connection, if the factory gave one; a shared one stays open
            connection.closeLater().onErrorComplete().subscribe();
        }
    }

    private static ByteBuffer[] buffers(byte[][] keysAndArgs) {
        ByteBuffer[] buffers = new ByteBuffer[keysAndArgs.length];
        for (int i = 0; i < keysAndArgs.length; i++) {
            buffers[i] = ByteBuffer.wrap(keysAndArgs[i]);
        }
        return buffers;
    }
}
