package io.pielock.limiter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LimitCatalogTest {

    @Test
    void aDefinitionIsOneOrMoreCountPerWindowParts() {
        assertThat(LimitCatalog.parse("5/1s, 100/1m,2/500ms , 7/PT15M, 1/2h, 3/1d")).containsExactly(
                Limit.of(5, Duration.ofSeconds(1)), Limit.of(100, Duration.ofMinutes(1)),
                Limit.of(2, Duration.ofMillis(500)), Limit.of(7, Duration.ofMinutes(15)),
                Limit.of(1, Duration.ofHours(2)), Limit.of(3, Duration.ofDays(1)));
    }

    @Test
    void aDefinitionThatIsNotValidSaysWhichPartAndWhy() {
        assertThatIllegalArgumentException().isThrownBy(() -> LimitCatalog.parse(" "))
            .withMessageContaining("needs at least one 'count/window'");
        assertThatIllegalArgumentException().isThrownBy(() -> LimitCatalog.parse("5 per second"))
            .withMessageContaining("'5 per second' is not 'count/window'");
        assertThatIllegalArgumentException().isThrownBy(() -> LimitCatalog.parse("5/1x"))
            .withMessageContaining("the window of '5/1x' is not a duration");
        assertThatIllegalArgumentException().isThrownBy(() -> LimitCatalog.parse("0/1s"))
            .withMessageContaining("at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> LimitCatalog.parse("5/1s, 9/1s"))
            .withMessageContaining("gives the window 9/1s twice");
    }

    @Test
    void aFixedCatalogFindsItsNamesOnly() {
        LimitCatalog catalog = LimitCatalog.of(Map.of("free", List.of(Limit.of(1, Duration.ofSeconds(1)))));
        assertThat(catalog.find("free")).hasSize(1);
        assertThat(catalog.find("pro")).isNull();
        assertThat(catalog.names()).containsExactly("free");
        assertThat(LimitCatalog.NONE.names()).isEmpty();
    }
}
