package io.pielock.test;

import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once for the test JVM: from then on a blocking call (sleep, park, blocking I/O) on a
 * non-blocking thread (Reactor's parallel and single schedulers, Netty and Lettuce event loops) fails with
 * {@code BlockingOperationError}. Every reactive test calls {@link #install()} first; installing again does
 * nothing. Blocking tests in the same JVM are unaffected: they block on their own threads.
 */
public final class NonBlocking {

    private NonBlocking() {
    }

    /** Installs BlockHound, if not yet installed in this JVM. */
    public static synchronized void install() {
        BlockHound.install();
    }
}
