package io.pielock.benchmark.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pielock.benchmark.scenario.ScenarioResult;

/**
 * The report's chart as SVG, written by hand: per scenario, one bar per contender for the median of its per-round
 * ratios to the floor, growing up or down from the floor's 1× on a logarithmic axis, with a whisker over the
 * rounds' range.
 */
public final class RatioChart {

    private static final Map<String, String> COLOURS = Map.of("pielock", "#d1495b", "Redisson", "#00798c",
            "SI spin", "#edae49", "SI pub/sub", "#66a182", "Bucket4j", "#2e4057");

    private static final String[] SPARE_COLOURS = { "#8d96a3", "#a05195", "#f95d6a", "#665191" };

    private static final int LEFT = 64;

    private static final int TOP = 64;

    private static final int PLOT_HEIGHT = 320;

    private static final int BAR = 16;

    private static final int GROUP_GAP = 30;

    private static final int BOTTOM = 70;

    private final List<ScenarioResult> scenarios;

    private final List<String> contenders;

    private double low = 0.5;

    private double high = 2;

    /**
     * @param scenarios the scenarios to chart, in order
     */
    public RatioChart(List<ScenarioResult> scenarios) {
        this.scenarios = scenarios;
        Set<String> names = new LinkedHashSet<>();
        for (ScenarioResult scenario : scenarios) {
            for (String contender : scenario.contenders().subList(1, scenario.contenders().size())) {
                names.add(contender);
                for (double ratio : scenario.ratios(contender)) {
                    if (ratio > 0 && Double.isFinite(ratio)) {
                        this.low = Math.min(this.low, ratio);
                        this.high = Math.max(this.high, ratio);
                    }
                }
            }
        }
        this.contenders = new ArrayList<>(names);
        this.low = Math.pow(10, Math.floor(Math.log10(this.low)));
        this.high = Math.pow(10, Math.ceil(Math.log10(this.high)));
    }

    /** @return the SVG document */
    public String svg() {
        int width = LEFT + 20;
        for (ScenarioResult scenario : this.scenarios) {
            width += groupWidth(scenario) + GROUP_GAP;
        }
        int height = TOP + PLOT_HEIGHT + BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Cost "
                + "relative to the raw floor (median of per-round ratios; 1× = floor, lower is better)</text>%n", LEFT));
        legend(svg);
        axis(svg, width);
        int x = LEFT + 20;
        for (ScenarioResult scenario : this.scenarios) {
            group(svg, scenario, x);
            x += groupWidth(scenario) + GROUP_GAP;
        }
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
                + "stroke-width=\"2\"/><text x=\"%d\" y=\"42\">raw floor (1×)</text>%n", x, x + 16, x + 20));
    }

    private void axis(StringBuilder svg, int width) {
        for (double decade = this.low; decade <= this.high * 1.001; decade *= 10) {
            for (int step : new int[] { 1, 2, 5 }) {
                double value = decade * step;
                if (value > this.high * 1.001) {
                    break;
                }
                double y = y(value);
                boolean major = step == 1;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                        + "stroke=\"%s\"/>%n", LEFT, y, width - 10, y, major ? "#bbbbbb" : "#eeeeee"));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">"
                        + "%s×</text>%n", LEFT - 6, y + 4, major ? "black" : "#888888", tick(value)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" "
                + "stroke-width=\"2\"/>%n", LEFT, y(1), width - 10, y(1)));
    }

    private void group(StringBuilder svg, ScenarioResult scenario, int x) {
        List<String> bars = scenario.contenders().subList(1, scenario.contenders().size());
        for (int i = 0; i < bars.size(); i++) {
            String contender = bars.get(i);
            double median = scenario.medianRatio(contender);
            if (!(median > 0) || !Double.isFinite(median)) {
                continue;
            }
            int left = x + i * (BAR + 2);
            double top = Math.min(y(median), y(1));
            double bottom = Math.max(y(median), y(1));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                    + "fill=\"%s\"><title>%s, scenario %s: %s× the floor</title></rect>%n", left, top, BAR,
                    Math.max(1, bottom - top), colour(contender), escape(contender), scenario.id(),
                    number(median)));
            double[] ratios = scenario.ratios(contender);
            double min = ScenarioResult.min(ratios);
            double max = ScenarioResult.max(ratios);
            int centre = left + BAR / 2;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#333333\"/>%n", centre, y(max), centre, y(min)));
            double labelY = (median >= 1) ? Math.min(top, y(max)) - 4 : Math.max(bottom, y(min)) + 4;
            svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%.1f) rotate(-90)\" "
                    + "text-anchor=\"%s\" font-size=\"9\" dy=\"3\">%s</text>%n", centre, labelY,
                    (median >= 1) ? "start" : "end", number(median)));
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

    private int groupWidth(ScenarioResult scenario) {
        return Math.max(70, (scenario.contenders().size() - 1) * (BAR + 2));
    }

    private double y(double value) {
        double clamped = Math.max(this.low, Math.min(this.high, value));
        double share = (Math.log10(clamped) - Math.log10(this.low)) / (Math.log10(this.high) - Math.log10(this.low));
        return TOP + PLOT_HEIGHT * (1 - share);
    }

    private String colour(String contender) {
        String known = COLOURS.get(contender);
        return (known != null) ? known
                : SPARE_COLOURS[Math.floorMod(this.contenders.indexOf(contender), SPARE_COLOURS.length)];
    }

    private static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return (value >= 10) ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String tick(double value) {
        return String.format(Locale.ROOT, (value < 1) ? "%.1f" : "%.0f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
