package io.pielock.benchmark.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class HostStealTest {

    @Test
    void theStolenShareIsStealOverAllCpuTimeBetweenTwoReadings() {
        HostSteal.Reading before = HostSteal.parse("cpu  1000 10 500 8000 40 0 50 400 0 0");
        HostSteal.Reading after = HostSteal.parse("cpu  1600 10 800 8500 40 0 50 600 0 0");
        assertThat(before).isEqualTo(new HostSteal.Reading(400, 10_000));
        assertThat(HostSteal.percent(before, after)).isCloseTo(100.0 * 200 / 1600, within(1e-9));
    }

    @Test
    void withoutTwoReadingsOrWithoutTimeBetweenThemThereIsNoShare() {
        HostSteal.Reading reading = HostSteal.parse("cpu 1 2 3 4 5 6 7 8");
        assertThat(HostSteal.percent(null, reading)).isNaN();
        assertThat(HostSteal.percent(reading, null)).isNaN();
        assertThat(HostSteal.percent(reading, reading)).isNaN();
    }

    @Test
    void aLineThatIsNotTheCpuTotalIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostSteal.parse("cpu0 1 2 3 4 5 6 7 8"));
        assertThatIllegalArgumentException().isThrownBy(() -> HostSteal.parse("cpu 1 2 3"));
    }

    @Test
    void thisHostCanBeRead() {
        HostSteal.Reading reading = HostSteal.read();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(reading).isNotNull();
            assertThat(reading.total()).isPositive();
            assertThat(reading.steal()).isBetween(0L, reading.total());
        }
    }
}
