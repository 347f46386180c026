package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count on a cache line of its own. A group's task ends bump one on every carrier, and a map's
 * feeder publishes its position in one for every item: a neighbouring field written by another
 * thread (a spawner's head pointer, the map reader's position) would otherwise cost every
 * operation a cache miss.
 */
final class PaddedCounter extends PaddedCounterValue {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}

abstract class PaddedCounterValue extends LinePad {
    private static final VarHandle VALUE = VarHandles.find(MethodHandles.lookup(), "value", long.class);

    @SuppressWarnings("unused") // written through VALUE
    private volatile long value;

    /** Adds one, atomically: for counts that several threads bump. */
    final void increment() {
        VALUE.getAndAdd(this, 1L);
    }

    /** Publishes {@code newValue}: for a count that only one thread writes. */
    final void set(long newValue) {
        value = newValue;
    }

    final long get() {
        return value;
    }
}
