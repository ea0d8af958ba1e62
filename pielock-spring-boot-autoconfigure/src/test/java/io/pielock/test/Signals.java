package io.pielock.test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals to processes the tests started: SIGSTOP/SIGCONT freeze and thaw a process in place. */
final class Signals {

    private Signals() {
    }

    static void send(Process process, String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("cannot send SIG" + signal + ": the process is not running");
        }
        try {
            // the shell's built-in kill: minimal images may have no kill binary
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not run kill -" + signal, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, ex);
        }
    }
}
