package io.pielock.benchmark.measure;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandStatsTest {

    private static final String BEFORE = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=10,usec=100,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_set:calls=20,usec=40,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n";

    private static final String AFTER = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=14,usec=150,usec_per_call=10.71,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_set:calls=28,usec=56,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_time:calls=4,usec=2,usec_per_call=0.50,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_client|setinfo:calls=2,usec=1,usec_per_call=0.50,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_info:calls=5,usec=50,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n";

    @Test
    void subtractsSnapshotsLeavingOutIgnoredAndUnchangedCommands() {
        CommandStats delta = CommandStats.parse(AFTER).since(CommandStats.parse(BEFORE), Set.of("info"));
        assertThat(delta.commands()).containsOnlyKeys("evalsha", "set", "time", "client|setinfo");
        assertThat(delta.calls("evalsha")).isEqualTo(4);
        assertThat(delta.calls("set")).isEqualTo(8);
        assertThat(delta.calls("info")).isZero();
        assertThat(delta.calls()).isEqualTo(4 + 8 + 4 + 2);
        assertThat(delta.scriptUsec()).isEqualTo(50);
    }

    @Test
    void addsStretchesOfTime() {
        CommandStats delta = CommandStats.parse(AFTER).since(CommandStats.parse(BEFORE), Set.of("info"));
        CommandStats twice = delta.plus(delta);
        assertThat(twice.calls("evalsha")).isEqualTo(8);
        assertThat(twice.scriptUsec()).isEqualTo(100);
    }
}
