package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that task threads bump as they end, on a cache line of its own: the ends of a group's
 * tasks run on every carrier, and a spawner writing a neighbouring field (a head pointer, a slot
 * count) would otherwise pay for every end with a cache miss. The padding sits in a superclass
 * and in this class because the JVM lays out a superclass's fields first.
 */
final class EndCounter extends EndCounterValue {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}

abstract class EndCounterPad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

abstract class EndCounterValue extends EndCounterPad {
    private static final VarHandle VALUE = VarHandles.find(MethodHandles.lookup(), "value", long.class);

    @SuppressWarnings("unused") // written through VALUE
    private volatile long value;

    final void increment() {
        VALUE.getAndAdd(this, 1L);
    }

    final long get() {
        return value;
    }
}
