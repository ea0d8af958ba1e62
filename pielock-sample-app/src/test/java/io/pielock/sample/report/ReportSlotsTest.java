package io.pielock.sample.report;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Naming a run by its slot: the fire time nearest to when it started, whichever side. */
class ReportSlotsTest {

    private final ReportSlots nightly = new ReportSlots("0 0 2 * * *");

    private final ReportSlots everyTenSeconds = new ReportSlots("*/10 * * * * *");

    @Test
    void aRunThatStartsLateBelongsToTheSlotJustPassed() {
        assertThat(this.nightly.slotOf(Instant.parse("2026-03-01T02:00:00.450Z")))
            .isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
        assertThat(this.everyTenSeconds.slotOf(Instant.parse("2026-03-01T10:00:23Z")))
            .isEqualTo(Instant.parse("2026-03-01T10:00:20Z"));
    }

    @Test
    void aRunThatStartsEarlyBelongsToTheComingSlot() {
        assertThat(this.nightly.slotOf(Instant.parse("2026-03-01T01:59:59.990Z")))
            .isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
        assertThat(this.everyTenSeconds.slotOf(Instant.parse("2026-03-01T10:00:28Z")))
            .isEqualTo(Instant.parse("2026-03-01T10:00:30Z"));
    }

    @Test
    void aRunOnTimeBelongsToItsOwnSlot() {
        assertThat(this.nightly.slotOf(Instant.parse("2026-03-01T02:00:00Z")))
            .isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
    }
}
