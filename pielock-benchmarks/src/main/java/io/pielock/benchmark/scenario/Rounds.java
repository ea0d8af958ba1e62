package io.pielock.benchmark.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a scenario in rounds, every contender once per round, the order rotating by one each round so that no
 * contender always runs first (cold) or right after the same neighbour.
 */
public final class Rounds {

    private Rounds() {
    }

    /**
     * @param scenario what to run; closed afterwards
     * @param rounds how many rounds
     * @param log where progress lines go
     * @return every round's measurements
     */
    public static ScenarioResult run(Scenario scenario, int rounds, Consumer<String> log) {
        try (scenario) {
            ScenarioResult result = new ScenarioResult(scenario);
            List<String> contenders = scenario.contenders();
            for (int round = 0; round < rounds; round++) {
                for (String contender : rotated(contenders, round)) {
                    long started = System.nanoTime();
                    Measurement measurement = measure(scenario, contender, round);
                    log.accept(String.format("  scenario %s round %d %-11s %s = %s (%.1f s)%s", scenario.id(),
                            round + 1, contender, scenario.primary().heading(),
                            scenario.primary().format(measurement.get(scenario.primary())),
                            (System.nanoTime() - started) / 1e9,
                            measurement.violations().isEmpty() ? "" : "  VIOLATIONS: " + measurement.violations()));
                    result.add(contender, measurement);
                }
            }
            return result;
        }
    }

    private static Measurement measure(Scenario scenario, String contender, int round) {
        try {
            return scenario.measure(contender, round);
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Measurement().violationIf(true, "could not run: " + ex);
        }
    }

    static List<String> rotated(List<String> contenders, int round) {
        List<String> order = new ArrayList<>(contenders.size());
        for (int i = 0; i < contenders.size(); i++) {
            order.add(contenders.get((i + round) % contenders.size()));
        }
        return order;
    }
}
