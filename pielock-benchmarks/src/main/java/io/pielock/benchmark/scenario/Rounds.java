package io.pielock.benchmark.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.pielock.benchmark.measure.HostSteal;

/**
 * Runs a scenario in rounds, every contender once per round, the order rotating by one each round so that no
 * contender always runs first or right after the same neighbour. Throughput scenarios first run unmeasured
 * warm-up rounds, every contender in turn exactly as in a measured round, so that each is JIT-compiled (and has its
 * connections and scripts ready) before its first measured round; their violations still count.
 */
public final class Rounds {

    private Rounds() {
    }

    /**
     * @param scenario what to run; closed afterwards
     * @param warmUpRounds unmeasured rounds first, if the scenario {@linkplain Scenario#warmsUp() warms up}
     * @param rounds how many measured rounds
     * @param log where progress lines go
     * @return every round's measurements
     */
    public static ScenarioResult run(Scenario scenario, int warmUpRounds, int rounds, Consumer<String> log) {
        try (scenario) {
            ScenarioResult result = new ScenarioResult(scenario);
            List<String> contenders = scenario.contenders();
            int warmUps = scenario.warmsUp() ? warmUpRounds : 0;
            for (int round = -warmUps; round < rounds; round++) {
                HostSteal.Reading roundStarted = HostSteal.read();
                // the rotation runs on through the warm-up rounds
                for (String contender : rotated(contenders, Math.floorMod(round, contenders.size()))) {
                    long started = System.nanoTime();
                    Measurement measurement = measure(scenario, contender, round);
                    log.accept(String.format("  scenario %s %-9s %-12s %s = %s (%.1f s)%s", scenario.id(),
                            (round < 0) ? "warm-up" : "round " + (round + 1), contender, scenario.primary().heading(),
                            scenario.primary().format(measurement.get(scenario.primary())),
                            (System.nanoTime() - started) / 1e9,
                            measurement.violations().isEmpty() ? "" : "  VIOLATIONS: " + measurement.violations()));
                    if (round < 0) {
                        result.addWarmUp(contender, measurement);
                    }
                    else {
                        result.add(contender, measurement);
                    }
                }
                if (round >= 0) {
                    double steal = HostSteal.percent(roundStarted, HostSteal.read());
                    result.addRoundSteal(steal);
                    if (!Double.isNaN(steal)) {
                        log.accept(String.format("  scenario %s round %d: host CPU steal %.1f%%", scenario.id(),
                                round + 1, steal));
                    }
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
