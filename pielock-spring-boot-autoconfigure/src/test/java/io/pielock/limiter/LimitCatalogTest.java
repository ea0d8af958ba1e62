package io.pielock.limiter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pielock.store.memory.InMemoryRateLimitStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Named limits: how a definition reads, and how a limiter decides a call by a limit's name. */
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

    @Test
    void aLimiterDecidesANamedLimitAsItIsDefinedAtTheCall() {
        Limiter limiter = new Limiter(new InMemoryRateLimitStore());
        assertThat(limiter.catalog()).isSameAs(LimitCatalog.NONE);
        limiter.setCatalog(LimitCatalog.of(Map.of("free", LimitCatalog.parse("1/1m"))));
        LimitResult first = limiter.allow("user-1", "free");
        assertThat(first.allowed()).isTrue();
        assertThat(first.limit()).isEqualTo(Limit.of(1, TimeUnit.MINUTE));
        assertThat(limiter.allow("user-1", "free").allowed()).isFalse();
        limiter.setCatalog(LimitCatalog.of(Map.of("free", LimitCatalog.parse("2/1m"))));
        assertThat(limiter.allow("user-1", "free").allowed()).as("the new definition applies at once").isTrue();
        assertThat(limiter.catalog().names()).containsExactly("free");
    }

    @Test
    void anUnknownOrBlankLimitNameIsRefusedNamingTheKeyAndTheKnownNames() {
        Limiter limiter = new Limiter(new InMemoryRateLimitStore());
        limiter.setCatalog(LimitCatalog.of(Map.of("free", LimitCatalog.parse("1/1m"), "pro", LimitCatalog.parse(
                "10/1s"))));
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow("user-1", "gold"))
            .withMessage("Unknown named rate limit 'gold' for key: user-1; known names: [free, pro] "
                    + "(pielock.limiter.limits.<name>)");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow("user-1", " "))
            .withMessage("Rate limit name must not be null or blank, but was ' ' (key: user-1)");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow("user-1", (String) null))
            .withMessageStartingWith("Rate limit name must not be null or blank, but was 'null'");
    }

    @Test
    void aCountTooLargeForALongIsRefusedNamingThePart() {
        assertThatIllegalArgumentException().isThrownBy(() -> LimitCatalog.parse("99999999999999999999/1s"))
            .withMessage("Named rate limit '99999999999999999999/1s': the count of '99999999999999999999/1s' is too "
                    + "large");
    }
}
