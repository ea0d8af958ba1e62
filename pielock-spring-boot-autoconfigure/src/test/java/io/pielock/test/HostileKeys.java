package io.pielock.test;

import java.nio.file.Path;
import java.util.List;

/** Odd key texts that locks and rate limits must take as they are (shared, so both face the same ones). */
public final class HostileKeys {

    private HostileKeys() {
    }

    /**
     * For {@code @MethodSource("io.pielock.test.HostileKeys#texts")}.
     * @return spaces, line breaks, control characters, unicode, braces, glob characters, escape lookalikes and
     *         expression syntax
     */
    public static List<String> texts() {
        return List.of("with spaces", "line\nbreak\r\n", "tab\tand\u0000nul", "ünïcödé-键-🔒", "{braces}", "}{",
                "a}{b}{c", "star*?[a-z]", "percent%7B%", "  padded  ", "#{T(java.lang.Runtime)}");
    }

    /**
     * Argument values that would do something if anything evaluated them: used as keys, they must stay text.
     * @param marker a file that evaluating the first two would create
     * @return a template expression, a bare SpEL expression, a property placeholder and a SpEL variable
     */
    public static List<String> expressionLookalikes(Path marker) {
        String spel = "T(java.lang.Runtime).getRuntime().exec('touch " + marker + "')";
        return List.of("#{" + spel + "}", spel, "${user.home}", "#root.target");
    }
}
