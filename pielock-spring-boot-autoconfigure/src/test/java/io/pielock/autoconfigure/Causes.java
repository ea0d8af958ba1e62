package io.pielock.autoconfigure;

/** Finds an exception of a given type in a cause chain (startup failures wrap ours in bean-creation errors). */
final class Causes {

    private Causes() {
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in the cause chain of " + failure, failure);
    }
}
