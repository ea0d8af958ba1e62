package io.pielock.benchmark.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pielock.benchmark.scenario.ScenarioResult;

/**
 * The report's chart as SVG, written by hand: per throughput scenario, one bar per implementation for the median
 * of its per-round throughput ratios to the floor, on a linear axis from 0 with a line at the floor's 1.0 (higher
 * is better), and a whisker over the rounds' range. The axis stops at {@link #AXIS_CAP}: a bar above it (a
 * limiter that answers denials without Redis can be a hundred times the floor) ends in a break and is labelled
 * with its value, so that it does not flatten every other bar. Accuracy and memory are not ratios and are not
 * charted.
 */
public final class RatioChart {

    private static final Map<String, String> COLOURS = Map.of("pielock", "#d1495b", "pielock GCRA", "#f28c8c",
            "Redisson", "#00798c", "SI spin", "#edae49", "SI pub/sub", "#66a182", "Bucket4j", "#2e4057");

    private static final String[] SPARE_COLOURS = { "#8d96a3", "#a05195", "#f95d6a", "#665191" };

    private static final int LEFT = 64;

    private static final int TOP = 64;

    private static final int PLOT_HEIGHT = 320;

    private static final int BAR = 16;

    private static final int GROUP_GAP = 30;

    private static final int BOTTOM = 70;

    /** The highest ratio the axis shows; taller bars are cut at it. */
    static final double AXIS_CAP = 4.0;

    /** The distance between the axis's ticks. */
    private static final double STEP = 0.5;

    private final List<ScenarioResult> scenarios;

    private final List<String> contenders;

    private final double high;


    /**
     * @param scenarios the scenarios of a run, in order; those without throughput ratios are left out
     */
    public RatioChart(List<ScenarioResult> scenarios) {
        this.scenarios = scenarios.stream().filter(ScenarioResult::hasRatios).toList();
        Set<String> names = new LinkedHashSet<>();
        double highest = 1.5;
        for (ScenarioResult scenario : this.scenarios) {
            for (String contender : scenario.contenders().subList(1, scenario.contenders().size())) {
                names.add(contender);
                for (double ratio : scenario.ratios(contender)) {
                    if (Double.isFinite(ratio)) {
                        highest = Math.max(highest, ratio);
                    }
                }
            }
        }
        this.contenders = new ArrayList<>(names);
        this.high = Math.ceil(Math.min(highest, AXIS_CAP) / STEP) * STEP;
    }

    /** @return the SVG document */
    public String svg() {
        int width = LEFT + 20;
        for (ScenarioResult scenario : this.scenarios) {
            width += groupWidth(scenario) + GROUP_GAP;
        }
        width = Math.max(width, 780);
        int height = TOP + PLOT_HEIGHT + BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">"
                + "Throughput relative to the raw floor (median of per-round ratios; higher is better)%s"
                + "</text>%n", LEFT, cutAny() ? String.format(Locale.ROOT, "; axis cut at %.1f", this.high) : ""));
        legend(svg);
        axis(svg, width);
        int x = LEFT + 20;
        for (ScenarioResult scenario : this.scenarios) {
            group(svg, scenario, x);
            x += groupWidth(scenario) + GROUP_GAP;
        }
        // the floor's line goes over the bars, so that every bar is read against it
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" "
                + "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>%n", LEFT, y(1), width - 10, y(1)));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void legend(StringBuilder svg) {
        int x = LEFT;
        for (String contender : this.contenders) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"42\">%s</text>%n", x, colour(contender), x + 16, escape(contender)));
            x += 24 + 7 * contender.length();
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"38\" x2=\"%d\" y2=\"38\" stroke=\"black\" "
                + "stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"%d\" y=\"42\">raw floor (1.0)</text>%n", x,
                x + 16, x + 20));
    }

    private void axis(StringBuilder svg, int width) {
        int ticks = (int) Math.round(this.high / STEP);
        for (int i = 0; i <= ticks; i++) {
            double value = i * STEP;
            double y = y(value);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                    LEFT, y, width - 10, y, (i == 0) ? "#888888" : "#e4e4e4"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n",
                    LEFT - 6, y + 4, value));
        }
    }

    private void group(StringBuilder svg, ScenarioResult scenario, int x) {
        List<String> bars = scenario.contenders().subList(1, scenario.contenders().size());
        for (int i = 0; i < bars.size(); i++) {
            String contender = bars.get(i);
            double median = scenario.medianRatio(contender);
            if (!Double.isFinite(median)) {
                continue;
            }
            int left = x + i * (BAR + 2);
            double top = y(median);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                    + "fill=\"%s\"><title>%s, scenario %s: %s × the floor's throughput</title></rect>%n", left, top,
                    BAR, Math.max(1, y(0) - top), colour(contender), escape(contender), scenario.id(),
                    number(median)));
            if (median > this.high) {
                // cut: two white strokes across the bar just below the top of the axis
                for (int cut = 0; cut < 2; cut++) {
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                            + "stroke=\"white\" stroke-width=\"2\"/>%n", left - 2, top + 14 + 5 * cut, left + BAR + 2,
                            top + 8 + 5 * cut));
                }
            }
            double[] ratios = scenario.ratios(contender);
            double min = ScenarioResult.min(ratios);
            double max = ScenarioResult.max(ratios);
            int centre = left + BAR / 2;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#333333\"/>%n", centre, y(max), centre, y(min)));
            if (median > this.high) {
                // inside the bar, below the cut
                svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%.1f) rotate(-90)\" "
                        + "text-anchor=\"end\" font-size=\"9\" dy=\"3\" fill=\"white\">%s</text>%n", centre,
                        top + 24, number(median)));
            }
            else {
                svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%.1f) rotate(-90)\" "
                        + "text-anchor=\"start\" font-size=\"9\" dy=\"3\">%s</text>%n", centre,
                        Math.min(top, y(max)) - 4, number(median)));
            }
        }
        int middle = x + groupWidth(scenario) / 2;
        int base = TOP + PLOT_HEIGHT + 18;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">"
                + "%s</text>%n", middle, base, escape(scenario.id())));
        String[] words = scenario.label().split(", ");
        for (int line = 0; line < words.length; line++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">"
                    + "%s</text>%n", middle, base + 14 * (line + 1), escape(words[line])));
        }
    }

    /** @return whether some bar is taller than the axis */
    private boolean cutAny() {
        for (ScenarioResult scenario : this.scenarios) {
            for (String contender : scenario.contenders().subList(1, scenario.contenders().size())) {
                if (scenario.medianRatio(contender) > this.high) {
                    return true;
                }
            }
        }
        return false;
    }

    private int groupWidth(ScenarioResult scenario) {
        return Math.max(70, (scenario.contenders().size() - 1) * (BAR + 2));
    }

    private double y(double value) {
        double clamped = Math.max(0, Math.min(this.high, value));
        return TOP + PLOT_HEIGHT * (1 - clamped / this.high);
    }

    private String colour(String contender) {
        String known = COLOURS.get(contender);
        return (known != null) ? known
                : SPARE_COLOURS[Math.floorMod(this.contenders.indexOf(contender), SPARE_COLOURS.length)];
    }

    private static String number(double value) {
        return (value >= 10) ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
