package io.pielock.benchmark.scenario;

import java.util.List;

import io.pielock.benchmark.measure.CriticalSection;
import io.pielock.benchmark.measure.LockLoop;

/** The correctness checks every lock measurement makes. */
final class LockChecks {

    private LockChecks() {
    }

    /**
     * @param measurement where violations go
     * @param section the critical section the loops shared
     * @param loops every loop that ran it
     */
    static void sectionHeldAlone(Measurement measurement, CriticalSection section, List<LockLoop> loops) {
        long cycles = loops.stream().mapToLong(loop -> loop.cycles().size()).sum();
        measurement.violationIf(section.overlaps() > 0,
                section.overlaps() + " times a holder found another holder inside the critical section");
        measurement.violationIf(section.count() != cycles, "the non-atomic counter reads " + section.count()
                + " after " + cycles + " acquisitions: overlapping holders lost increments");
    }

    /**
     * @param measurement where failures go
     * @param loops every loop of the measurement
     */
    static void noErrors(Measurement measurement, List<LockLoop> loops) {
        long errors = loops.stream().mapToLong(LockLoop::errors).sum();
        String first = loops.stream().map(LockLoop::firstError).filter(error -> error != null).findFirst()
            .orElse("");
        measurement.violationIf(errors > 0, errors + " lock or unlock calls failed; first: " + first);
    }
}
