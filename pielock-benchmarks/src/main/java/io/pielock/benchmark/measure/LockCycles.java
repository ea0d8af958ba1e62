package io.pielock.benchmark.measure;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Recorded lock cycles: per cycle, who held the lock and four {@link Clock} timestamps (lock called, lock
 * returned, unlock called, unlock returned). A holder id carries its client: {@code client * }{@value #PER_CLIENT}
 * {@code + thread}.
 */
public final class LockCycles {

    /** Holder ids per client: thread {@code t} of client {@code c} is {@code c * PER_CLIENT + t}. */
    public static final int PER_CLIENT = 1000;

    private final LongList holders = new LongList();

    private final LongList called = new LongList();

    private final LongList acquired = new LongList();

    private final LongList releasing = new LongList();

    private final LongList released = new LongList();

    void add(int holder, long calledAt, long acquiredAt, long releasingAt, long releasedAt) {
        this.holders.add(holder);
        this.called.add(calledAt);
        this.acquired.add(acquiredAt);
        this.releasing.add(releasingAt);
        this.released.add(releasedAt);
    }

    /** @return how many cycles */
    public int size() {
        return this.holders.size();
    }

    /**
     * @param parts cycles recorded by several threads or processes
     * @return all of them, ordered by when the lock was acquired
     */
    public static LockCycles merge(List<LockCycles> parts) {
        LockCycles all = new LockCycles();
        for (LockCycles part : parts) {
            for (int i = 0; i < part.size(); i++) {
                all.add((int) part.holders.get(i), part.called.get(i), part.acquired.get(i), part.releasing.get(i),
                        part.released.get(i));
            }
        }
        return all.sortedByAcquisition();
    }

    private LockCycles sortedByAcquisition() {
        Integer[] order = IntStream.range(0, size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong(this.acquired::get));
        LockCycles sorted = new LockCycles();
        for (int i : order) {
            sorted.add((int) this.holders.get(i), this.called.get(i), this.acquired.get(i), this.releasing.get(i),
                    this.released.get(i));
        }
        return sorted;
    }

    int holder(int i) {
        return (int) this.holders.get(i);
    }

    long called(int i) {
        return this.called.get(i);
    }

    long acquired(int i) {
        return this.acquired.get(i);
    }

    long releasing(int i) {
        return this.releasing.get(i);
    }

    long released(int i) {
        return this.released.get(i);
    }

    /**
     * Writes the cycles for another process to {@link #read} (the client processes hand theirs back this way).
     * @param out where to
     * @throws IOException if writing fails
     */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(size());
        for (int i = 0; i < size(); i++) {
            out.writeInt(holder(i));
            out.writeLong(called(i));
            out.writeLong(acquired(i));
            out.writeLong(releasing(i));
            out.writeLong(released(i));
        }
    }

    /**
     * @param in what {@link #write} wrote
     * @return the cycles
     * @throws IOException if reading fails
     */
    public static LockCycles read(DataInputStream in) throws IOException {
        LockCycles cycles = new LockCycles();
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            cycles.add(in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }
        return cycles;
    }
}
