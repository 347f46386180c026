package dev.tidepool.demo;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Connection waits, in nanoseconds, in a log-linear histogram that many virtual threads record
 * into at once. Values below 16 are exact; larger ones fall in one of 16 buckets per power of two,
 * so a percentile read back is the upper bound of its bucket, at most 1/16 above the true value
 * (and never above the largest value seen). Recording is one atomic increment, plus a compare-and-set
 * when a new maximum appears; nothing is allocated.
 *
 * <p>{@link #snapshot()} copies the counts. The live view keeps the previous second's snapshot and
 * reads "the last second" as the difference of the two ({@link Snapshot#since}).
 */
final class WaitHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    /** Enough buckets for any non-negative long. */
    static final int BUCKETS = (64 - SUB_BITS + 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    /** Records one wait; a negative value (a clock step) counts as 0. */
    void record(long nanos) {
        long value = Math.max(0L, nanos);
        counts.incrementAndGet(index(value));
        long seen = max.get();
        while (value > seen && !max.compareAndSet(seen, value)) {
            seen = max.get();
        }
    }

    /** The counts as they are now (a concurrent record may or may not be in it). */
    Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            total += copy[i];
        }
        return new Snapshot(copy, total, max.get());
    }

    static int index(long value) {
        if (value < SUB) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB - 1);
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = index / SUB + SUB_BITS - 1;
        int sub = index % SUB;
        long bound = ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
        return bound < 0 ? Long.MAX_VALUE : bound;
    }

    /**
     * Counts frozen at one moment. {@code max} is the largest value recorded (for a difference of
     * two snapshots: the upper bound of the highest bucket that grew, capped by the later max).
     */
    record Snapshot(long[] counts, long total, long max) {
        static final Snapshot EMPTY = new Snapshot(new long[BUCKETS], 0, 0);

        /** What was recorded after {@code earlier}. */
        Snapshot since(Snapshot earlier) {
            long[] diff = new long[BUCKETS];
            long total = 0;
            int highest = -1;
            for (int i = 0; i < BUCKETS; i++) {
                diff[i] = counts[i] - earlier.counts[i];
                total += diff[i];
                if (diff[i] > 0) {
                    highest = i;
                }
            }
            long windowMax = highest < 0 ? 0 : Math.min(upperBound(highest), max);
            return new Snapshot(diff, total, windowMax);
        }

        /** The {@code q}-quantile (0 < q <= 1) as its bucket's upper bound; 0 if nothing was recorded. */
        long percentile(double q) {
            if (total == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(q * total));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(upperBound(i), max);
                }
            }
            return max;
        }

        /** How many recorded values are above {@code nanos} (counted by bucket: exact to 1/16). */
        long countAbove(long nanos) {
            long above = 0;
            for (int i = index(nanos) + 1; i < BUCKETS; i++) {
                above += counts[i];
            }
            return above;
        }
    }
}
