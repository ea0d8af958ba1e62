package io.pielock.sample.demo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.sample.InstanceController.InstanceInfo;
import io.pielock.sample.SampleApplication;
import io.pielock.sample.shop.Item;

/**
 * The load demo ({@code java -jar pielock-sample-app.jar --demo}): puts an item on sale, fires many concurrent
 * reservations at it through real HTTP requests, and checks that no unit was sold twice.
 * <p>
 * Without {@code --demo.targets} it starts the shop in this JVM on a free port, with the rest of the command
 * line (so {@code --pielock.store=redis} runs it on Redis); with targets it only loads the instances given,
 * spreading the requests over them. See {@link DemoSettings} for the {@code --demo.*} options.
 * <p>
 * Exit status: 0 when every unit was sold at most once and every request was answered, 1 when it oversold,
 * 2 when requests failed, an instance answered with a server error, or the demo could not run.
 */
public final class LoadDemo {

    /** The command-line flag that runs the demo instead of the plain application. */
    public static final String FLAG = "--demo";

    private final DemoSettings settings;

    private final PrintStream out;

    private final boolean terminal;

    private final ShopClient client = new ShopClient();

    /**
     * Part of every buyer's name, new for each run: the shop's quotas are per buyer and last a minute, so a
     * second run with the same names would find its buyers' quotas used up by the first.
     */
    private final String run = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));

    private LoadDemo(DemoSettings settings, PrintStream out, boolean terminal) {
        this.settings = settings;
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * @param args the command line
     * @return whether it asks for the demo
     */
    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(FLAG);
    }

    /**
     * Runs the demo.
     * @param args the command line: {@code --demo.*} settings, and for a local instance any application
     *        property
     * @param out where to print progress and the summary
     * @return the exit status: 0 OK, 1 oversold, 2 failed
     */
    public static int run(String[] args, PrintStream out) {
        DemoSettings settings;
        try {
            settings = DemoSettings.from(args);
        }
        catch (RuntimeException ex) {
            out.println("demo: invalid settings: " + rootMessage(ex));
            return DemoSummary.EXIT_FAILED;
        }
        boolean terminal = out == System.out && System.console() != null;
        if (!settings.targets().isEmpty()) {
            return new LoadDemo(settings, out, terminal).run();
        }
        try (ConfigurableApplicationContext shop = startLocalInstance(args)) {
            URI local = URI.create("http://127.0.0.1:" + shop.getEnvironment().getProperty("local.server.port"));
            return new LoadDemo(settings.withTargets(List.of(local)), out, terminal).run();
        }
        catch (RuntimeException ex) {
            out.println("demo: could not start the shop: " + rootMessage(ex));
            return DemoSummary.EXIT_FAILED;
        }
    }

    private static ConfigurableApplicationContext startLocalInstance(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        // defaults only: the command line still wins (e.g. --server.port=8080)
        application.setDefaultProperties(Map.of("server.port", "0", "logging.level.root", "WARN",
                "logging.level.io.pielock", "INFO"));
        return application.run(args);
    }

    private int run() {
        this.out.printf("Flash-sale demo: %d reservation requests for '%s' (%d units on sale) from %d threads, "
                + "%d users (user-0-%s ...)%n", this.settings.requests(), this.settings.sku(),
                this.settings.units(), this.settings.threads(), this.settings.users(), this.run);
        try {
            describeTargets();
            startSale();
            return load().exitCode();
        }
        catch (RuntimeException ex) {
            this.out.println("demo: " + rootMessage(ex));
            return DemoSummary.EXIT_FAILED;
        }
    }

    private void describeTargets() {
        for (URI target : this.settings.targets()) {
            InstanceInfo info = this.client.instance(target);
            this.out.println("  target " + target + ": instance " + info.instance() + ", " + info.store());
        }
    }

    /** Stocks the item through the first target and checks every other target sees it: one shared store. */
    private void startSale() {
        List<URI> targets = this.settings.targets();
        String sku = this.settings.sku();
        this.client.restock(targets.get(0), sku, this.settings.units());
        for (URI other : targets.subList(1, targets.size())) {
            HttpResponse<String> seen = this.client.send("GET", other, "/api/items/" + sku);
            if (seen.statusCode() != 200 || this.client.read(seen, Item.class).stock() != this.settings.units()) {
                throw new IllegalStateException(other + " does not see the " + this.settings.units() + " units of '"
                        + sku + "' stocked through " + targets.get(0) + ": the instances do not share one store "
                        + "(run each with --pielock.store=redis on the same Redis)");
            }
        }
    }

    private DemoSummary load() {
        Tally tally = new Tally(this.settings.requests());
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(this.settings.threads());
        try (Progress progress = new Progress(tally, this.out, this.terminal)) {
            for (int i = 0; i < this.settings.requests(); i++) {
                int request = i;
                senders.execute(() -> send(request, tally));
            }
            senders.shutdown();
            awaitAll(senders);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        URI first = this.settings.targets().get(0);
        String sku = this.settings.sku();
        DemoSummary summary = new DemoSummary(this.settings, tally, elapsed, this.client.item(first, sku).stock(),
                this.client.reservations(first, sku), LockWaitMetrics.read(this.client, this.settings.targets()));
        summary.print(this.out);
        return summary;
    }

    private void send(int request, Tally tally) {
        List<URI> targets = this.settings.targets();
        URI target = targets.get(request % targets.size());
        String user = "user-" + (request % this.settings.users()) + "-" + this.run;
        long sent = System.nanoTime();
        try {
            int status = this.client.reserve(target, this.settings.sku(), user).statusCode();
            tally.answered(request, status, System.nanoTime() - sent);
        }
        catch (RuntimeException ex) {
            tally.failed(request, System.nanoTime() - sent, ex);
        }
    }

    private static void awaitAll(ExecutorService senders) {
        try {
            if (!senders.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("the requests did not finish within an hour");
            }
        }
        catch (InterruptedException ex) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the requests", ex);
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == ex ? String.valueOf(ex.getMessage()) : ex.getMessage() + " (" + root.getMessage() + ")";
    }
}
