package io.pielock.benchmark.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;

/**
 * What lock holders run: it catches two holders at once in two ways. An "inside" flag is set by compare-and-set,
 * so a second holder finds it set; and a counter is incremented without atomicity (a plain read, then a plain
 * write), so overlapping holders lose increments and the counter ends below the number of acquisitions.
 * <p>
 * It lives in a direct buffer, or in a memory-mapped file that several processes map, so holders in separate
 * JVMs are checked against each other too.
 */
public final class CriticalSection {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

    private static final int INSIDE = 0;

    private static final int COUNTER = 8;

    private static final int SIZE = 16;

    private final ByteBuffer memory;

    private final LongAdder overlaps = new LongAdder();

    private CriticalSection(ByteBuffer memory) {
        this.memory = memory;
    }

    /** @return a section for the threads of this process */
    public static CriticalSection inProcess() {
        return new CriticalSection(ByteBuffer.allocateDirect(SIZE));
    }

    /**
     * @param file a file every process maps; created if missing (a new file starts at zero)
     * @return a section shared with every process that maps the same file
     */
    public static CriticalSection shared(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new CriticalSection(channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not map " + file, ex);
        }
    }

    /** Runs the guarded code once: call it only while holding the lock. */
    public void run() {
        boolean alone = LONGS.compareAndSet(this.memory, INSIDE, 0L, 1L);
        if (!alone) {
            this.overlaps.increment();
        }
        long count = (long) LONGS.get(this.memory, COUNTER);
        LONGS.set(this.memory, COUNTER, count + 1);
        if (alone) {
            LONGS.setVolatile(this.memory, INSIDE, 0L);
        }
    }

    /** @return how many times a holder of this process found another one inside */
    public long overlaps() {
        return this.overlaps.sum();
    }

    /** @return the counter: the number of runs, if no two ever overlapped */
    public long count() {
        return (long) LONGS.getVolatile(this.memory, COUNTER);
    }
}
