package io.pielock.test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

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
     * Names that would all land in one Redis Cluster slot if a name's own hash tag counted.
     * @param base a unique name
     * @return 300 names, each starting with <code>{base}</code>
     */
    public static List<String> sameTagged(String base) {
        return IntStream.range(0, 300).mapToObj(i -> "{" + base + "}:" + i).toList();
    }

    /**
     * @param base a unique name
     * @return names whose braces would end, open or empty a hash tag if they were not escaped, all distinct
     */
    public static List<String> strayBraces(String base) {
        return List.of(base + "}{x", "}" + base, base + "{", "{}" + base, "{" + base + "}");
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
