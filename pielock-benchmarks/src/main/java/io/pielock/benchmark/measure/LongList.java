package io.pielock.benchmark.measure;

import java.util.Arrays;

/** A growable list of primitive longs: timestamps are recorded by the million, without boxing. */
public final class LongList {

    private long[] values = new long[1024];

    private int size;

    /** @param value appended at the end */
    public void add(long value) {
        if (this.size == this.values.length) {
            this.values = Arrays.copyOf(this.values, this.size * 2);
        }
        this.values[this.size++] = value;
    }

    /** @return how many values it holds */
    public int size() {
        return this.size;
    }

    /**
     * @param index a position below {@link #size()}
     * @return the value there
     */
    public long get(int index) {
        if (index >= this.size) {
            throw new IndexOutOfBoundsException(index + " >= " + this.size);
        }
        return this.values[index];
    }

    /** @return a copy of the values, in order */
    public long[] toArray() {
        return Arrays.copyOf(this.values, this.size);
    }
}
