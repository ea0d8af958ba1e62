package io.pielock.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.pielock.benchmark.jmh.InterceptionBenchmarks.Score;
import io.pielock.benchmark.report.MachineFacts;
import io.pielock.benchmark.scenario.ScenarioResult;

/**
 * Everything one run measured, for the report.
 * @param settings how it ran
 * @param machine where it ran
 * @param scenarios every scenario's rounds
 * @param interception the JMH scores (empty when JMH was skipped)
 * @param elapsed how long the harness ran
 * @param finished when it finished
 */
public record RunResults(Settings settings, MachineFacts machine, List<ScenarioResult> scenarios,
        List<Score> interception, Duration elapsed, Instant finished) {

    /** @return every violation of every scenario, each naming the scenario, contender and round */
    public List<String> violations() {
        return this.scenarios.stream().flatMap(scenario -> scenario.violations().stream()).toList();
    }
}
