package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The head of a group's task list and the spawners' sweep bookkeeping, on a cache line of its
 * own. Every spawn writes here; every task end reads the group's other fields (its counters, its
 * slots), on every carrier. Kept in the group object itself, these writes would cost each end a
 * cache miss, and the spawn a miss for the line the ends just read (see {@link LinePad}).
 */
final class TaskListHead extends TaskListHeadFields {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}

abstract class TaskListHeadFields extends LinePad {
    static final VarHandle HEAD;
    static final VarHandle SWEEPING;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        HEAD = VarHandles.find(lookup, "head", GreenThread.class);
        SWEEPING = VarHandles.find(lookup, "sweeping", boolean.class);
    }

    /** The newest task spawned (or a marker); the others follow through {@link GreenThread#nextMember()}. */
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile GreenThread<?> head = GreenThread.marker(0L);
    @SuppressWarnings("unused") // accessed through SWEEPING
    private volatile boolean sweeping;
    /** Pushes since the last sweep, and live tasks the last sweep found: a heuristic, races only delay a sweep. */
    int pushedSinceSweep;
    int liveAtSweep;
}
