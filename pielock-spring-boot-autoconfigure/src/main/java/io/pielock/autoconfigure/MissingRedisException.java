package io.pielock.autoconfigure;

/**
 * {@code pielock.store=redis} (the default) but there is no Redis to use. pielock never falls back to the
 * memory store on its own.
 */
public class MissingRedisException extends IllegalStateException {

    /**
     * @param message what is missing
     */
    public MissingRedisException(String message) {
        super(message);
    }
}
