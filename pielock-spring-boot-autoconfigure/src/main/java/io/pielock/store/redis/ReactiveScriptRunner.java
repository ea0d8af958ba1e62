package io.pielock.store.redis;

import java.nio.ByteBuffer;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * Runs the stores' {@link LuaScript}s on a reactive connection, as {@link ScriptRunner} does on a blocking one:
 * by SHA ({@code EVALSHA}), sending the text ({@code EVAL}) only when the server lacks it ({@code NOSCRIPT}). One
 * connection object serves every call (on Lettuce it wraps the factory's shared native connection; on Redis
 * Cluster it routes each script to the master of its first key's slot). It is obtained once, off event loops
 * (the factory may connect synchronously), and asked for again after an error.
 */
final class ReactiveScriptRunner {

    private final ReactiveRedisConnectionFactory connectionFactory;

    private volatile ReactiveRedisConnection shared;

    ReactiveScriptRunner(ReactiveRedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** @return the reply of a script that answers a list (for example {@code [1, fencingToken]}) */
    Mono<List<?>> multi(LuaScript<?> script, int numKeys, byte[][] keysAndArgs) {
        return this.<Object>run(script, ReturnType.MULTI, numKeys, keysAndArgs).collectList()
            // a driver may emit the list as one element, or its elements one by one
            .map(reply -> (reply.size() == 1 && reply.get(0) instanceof List<?> inner) ? inner : reply);
    }

    /** @return whether a script that answers 1 (done) or 0 answered 1 */
    Mono<Boolean> done(LuaScript<?> script, int numKeys, byte[][] keysAndArgs) {
        return this.<Object>run(script, ReturnType.INTEGER, numKeys, keysAndArgs).next()
            .map(reply -> reply instanceof Number number && number.longValue() == 1L)
            .defaultIfEmpty(false);
    }

    private <T> Flux<T> run(LuaScript<?> script, ReturnType returnType, int numKeys, byte[][] keysAndArgs) {
        return connection().flatMapMany(connection -> {
            Flux<T> bySha = Flux.defer(() -> connection.scriptingCommands().evalSha(script.getSha1(), returnType,
                    numKeys, buffers(keysAndArgs)));
            Flux<T> byText = Flux.defer(() -> connection.scriptingCommands().eval(ByteBuffer.wrap(script.textBytes()),
                    returnType, numKeys, buffers(keysAndArgs)));
            return bySha.onErrorResume(LuaScript::isNoScript, ex -> byText).doOnError(ex -> forget(connection));
        });
    }

    private Mono<ReactiveRedisConnection> connection() {
        ReactiveRedisConnection connection = this.shared;
        if (connection != null) {
            return Mono.just(connection);
        }
        return Mono.fromCallable(() -> {
            ReactiveRedisConnection created = this.connectionFactory.getReactiveConnection();
            // two callers may both get one here: either will do
            this.shared = created;
            return created;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The factory may have replaced its native connection (reset, restart): ask it again next time. */
    private void forget(ReactiveRedisConnection connection) {
        if (this.shared == connection) {
            this.shared = null;
        }
    }

    /** Fresh buffers for each send: a buffer's position is consumed as it is written. */
    private static ByteBuffer[] buffers(byte[][] keysAndArgs) {
        ByteBuffer[] buffers = new ByteBuffer[keysAndArgs.length];
        for (int i = 0; i < keysAndArgs.length; i++) {
            buffers[i] = ByteBuffer.wrap(keysAndArgs[i]);
        }
        return buffers;
    }
}
