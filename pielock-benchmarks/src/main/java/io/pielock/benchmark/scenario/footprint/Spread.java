package io.pielock.benchmark.scenario.footprint;

import java.util.List;

/**
 * How many of a kind of name each master of a Redis Cluster got.
 * @param what what was spread, e.g. {@code lock names}
 * @param total how many names
 * @param keysPerName Redis keys each name made
 * @param masters each master's share
 */
public record Spread(String what, long total, int keysPerName, List<Master> masters) {

    /** How far from an even share a master may be and still count as even: {@value}. */
    public static final double TOLERANCE = 0.10;

    /**
     * One master's share.
     * @param node its {@code host:port}
     * @param slots how many hash slots it serves
     * @param names how many of the names it got ({@code DBSIZE} growth divided by keys per name)
     */
    public record Master(String node, long slots, long names) {
    }

    /**
     * @param master one of {@link #masters()}
     * @return its share relative to an even one: {@code 1.0} is exactly {@code total / masters}
     */
    public double relativeShare(Master master) {
        return master.names() * this.masters.size() / (double) this.total;
    }

    /**
     * @param master one of {@link #masters()}
     * @return whether it got within {@link #TOLERANCE} of an even share
     */
    public boolean even(Master master) {
        return Math.abs(relativeShare(master) - 1.0) <= TOLERANCE;
    }
}
