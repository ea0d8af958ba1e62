package io.pielock.key;

/**
 * What pielock accepts as the key of a lock or a rate limit: one rule for both. Any text is a valid key (spaces,
 * newlines, unicode, braces, {@code *}; stores escape what they must), as long as it is not blank and has at
 * most {@link #MAX_LENGTH} characters.
 */
public final class Keys {

    /**
     * The longest key accepted, in characters. A key names a resource: one longer than this is almost always a
     * whole object's {@code toString()} by mistake, and would be copied into every Redis key, release message
     * and log line that names it.
     */
    public static final int MAX_LENGTH = 1024;

    private Keys() {
    }

    /**
     * @param kind what the key is for, as the message should start, for example {@code "Lock key"}
     * @param key the key
     * @throws IllegalArgumentException if the key is null, blank, or longer than {@link #MAX_LENGTH}, with a
     *         message that starts with {@code kind} and shows (the start of) the key
     */
    public static void requireValid(String kind, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be null or blank, but was "
                    + ((key == null) ? "null" : "'" + key + "'"));
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(kind + " must be at most " + MAX_LENGTH + " characters, but '"
                    + key.substring(0, 40) + "…' has " + key.length() + "; use an identifier (or a digest of a "
                    + "long one), not a whole document");
        }
    }
}
