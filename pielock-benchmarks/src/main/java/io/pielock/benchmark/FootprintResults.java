package io.pielock.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.pielock.benchmark.report.MachineFacts;
import io.pielock.benchmark.scenario.footprint.BytesFigure;
import io.pielock.benchmark.scenario.footprint.FanOut;
import io.pielock.benchmark.scenario.footprint.OperationCost;
import io.pielock.benchmark.scenario.footprint.Spread;

/**
 * What one footprint run measured.
 * @param settings how big it ran
 * @param machine where
 * @param costs Redis commands and time per operation
 * @param bytes Redis memory per lock, released name and limiter key
 * @param fanOuts where releases were delivered, with few and with many stores
 * @param spreads names per cluster master
 * @param clusterRedis the cluster nodes' Redis version
 * @param elapsed how long it took
 * @param finished when it finished
 */
public record FootprintResults(FootprintSettings settings, MachineFacts machine, List<OperationCost> costs,
        List<BytesFigure> bytes, List<FanOut> fanOuts, List<Spread> spreads, String clusterRedis, Duration elapsed,
        Instant finished) {
}
