package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Annotation text attributes: placeholders resolved and trimmed, durations parsed, errors naming the attribute. */
class AttributeTextTest {

    private final Map<String, String> properties = Map.of("${lease}", " 5s ", "${unset}", "");

    private final AttributeText text = new AttributeText(value -> this.properties.getOrDefault(value, value));

    @Test
    void placeholdersAreResolvedAndTrimmed() {
        assertThat(this.text.resolve("${lease}")).isEqualTo("5s");
        assertThat(this.text.duration("@DistributedLocked", method(), "expires", "${lease}"))
            .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anEmptyAttributeOrOneResolvedToNothingMeansNoValue() {
        assertThat(this.text.resolve("")).isEmpty();
        assertThat(this.text.duration("@DistributedLocked", method(), "expires", "")).isNull();
        assertThat(this.text.duration("@DistributedLocked", method(), "expires", "${unset}")).isNull();
        assertThat(new AttributeText(value -> null).resolve("${missing}")).isEmpty();
    }

    @Test
    void withoutAResolverTheTextIsTakenAsWritten() {
        assertThat(new AttributeText(null).resolve(" 2s")).isEqualTo(" 2s");
        assertThat(new AttributeText(null).duration("@DistributedLocked", method(), "timeout", " PT1M "))
            .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aDurationThatDoesNotParseNamesTheMethodAndTheAttribute() {
        assertThatExceptionOfType(AnnotationConfigurationException.class)
            .isThrownBy(() -> this.text.duration("@DistributedLocked", method(), "expires", "5 weeks"))
            .withMessageContaining("@DistributedLocked on ")
            .withMessageContaining("AttributeTextTest.method()")
            .withMessageEndingWith("expires '5 weeks' is not a duration (use for example 500ms, 5s, 2m, PT1M; a number "
                    + "alone means milliseconds)")
            .withCauseInstanceOf(IllegalArgumentException.class);
    }

    private static Method method() {
        try {
            return AttributeTextTest.class.getDeclaredMethod("method");
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
