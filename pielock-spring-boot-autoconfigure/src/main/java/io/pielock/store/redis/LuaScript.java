package io.pielock.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script read once from the class path, with its SHA-1 computed once: immutable, so running it costs no
 * per-call work. ({@code RedisScript.of(Resource)} re-checks the resource's modification time, a class-path
 * lookup, on every call, and {@code DefaultRedisScript} synchronizes on every {@code getSha1()}.)
 * @param <T> the script's result type
 */
final class LuaScript<T> implements RedisScript<T> {

    private final String text;

    private final String sha1;

    private final Class<T> resultType;

    private final byte[] textBytes;

    private final byte[] sha1Bytes;

    private LuaScript(String text, Class<T> resultType) {
        this.text = text;
        this.sha1 = sha1(text);
        this.resultType = resultType;
        this.textBytes = text.getBytes(StandardCharsets.UTF_8);
        this.sha1Bytes = this.sha1.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param resultType {@code Long} or {@code List}
     * @param names the script's file names, beside this class, joined in this order (a shared fragment first)
     * @param <T> the result type
     * @return the loaded script
     */
    static <T> LuaScript<T> load(Class<?> resultType, String... names) {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            text.append(read(name));
        }
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) resultType;
        return new LuaScript<>(text.toString(), type);
    }

    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + name + " is missing from the class path beside "
                        + LuaScript.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read Lua script " + name, ex);
        }
    }

    /**
     * Runs the script on a connection, by SHA ({@code EVALSHA}), sending its text ({@code EVAL}) only when the
     * server does not have it yet ({@code NOSCRIPT}: first call, restart, {@code SCRIPT FLUSH}): what
     * {@code RedisTemplate.execute(RedisScript, …)} does, without its per-call proxy, serializers and lists.
     * @param connection an open connection (on Redis Cluster, it routes by the first key)
     * @param returnType how to read the reply
     * @param numKeys how many of {@code keysAndArgs} are keys
     * @param keysAndArgs the keys, then the arguments
     * @param <R> the reply type ({@code Long} for {@code INTEGER}, {@code List<Object>} for {@code MULTI})
     * @return the reply
     */
    <R> R run(RedisConnection connection, ReturnType returnType, int numKeys, byte[]... keysAndArgs) {
        try {
            return connection.scriptingCommands().evalSha(this.sha1Bytes, returnType, numKeys, keysAndArgs);
        }
        catch (RuntimeException ex) {
            if (!isNoScript(ex)) {
                throw ex;
            }
            return connection.scriptingCommands().eval(this.textBytes, returnType, numKeys, keysAndArgs);
        }
    }

    /** @return the script's text, for {@code EVAL} */
    byte[] textBytes() {
        return this.textBytes;
    }

    /** @return whether the server did not have the script ({@code NOSCRIPT}): send its text */
    static boolean isNoScript(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String getSha1() {
        return this.sha1;
    }

    @Override
    public Class<T> getResultType() {
        return this.resultType;
    }

    @Override
    public String getScriptAsString() {
        return this.text;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-1 is not available", ex);
        }
    }
}
