package io.pielock.sample.demo;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows how far a load run has got: on a terminal a bar redrawn in place a few times a second, elsewhere (a
 * log, a CI job) one line per quarter.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 40;

    private final Tally tally;

    private final PrintStream out;

    private final boolean terminal;

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-progress");
        thread.setDaemon(true);
        return thread;
    });

    private int quartersShown;

    Progress(Tally tally, PrintStream out, boolean terminal) {
        this.tally = tally;
        this.out = out;
        this.terminal = terminal;
        this.ticker.scheduleAtFixedRate(this::show, 0, 100, TimeUnit.MILLISECONDS);
    }

    private synchronized void show() {
        int done = this.tally.completed();
        int total = this.tally.requests();
        if (this.terminal) {
            int filled = (int) ((long) WIDTH * done / total);
            this.out.print("\r  [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total
                    + " requests, " + this.tally.count(200) + " reserved");
            this.out.flush();
        }
        else if (done * 4L / total > this.quartersShown) {
            this.quartersShown = (int) (done * 4L / total);
            this.out.println("  " + done + "/" + total + " requests, " + this.tally.count(200) + " reserved");
        }
    }

    /** Stops updating, after showing the final count. */
    @Override
    public void close() {
        this.ticker.shutdownNow();
        try {
            this.ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        show();
        if (this.terminal) {
            this.out.println();
        }
    }
}
