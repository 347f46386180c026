package dev.tidepool.core;

/**
 * Hears each task of a {@link TaskGroup} (and so of a {@link GreenPool}) end, with how long it
 * ran: the hook through which a metrics library times tasks (pool-micrometer's
 * {@code GreenPoolMetrics} records a Micrometer timer with it). The counterpart, for tasks, of
 * pool-jdbc's {@code MetricsTracker}.
 *
 * <pre>{@code
 * LongAdder failures = new LongAdder();
 * LongAdder busyNanos = new LongAdder();
 * GreenPool workers = new GreenPool(100, "workers");
 * workers.setTaskRecorder((elapsedNanos, failed) -> {
 *     busyNanos.add(elapsedNanos);
 *     if (failed) {
 *         failures.increment();
 *     }
 * });
 * }</pre>
 *
 * <p>A group starts with {@link #NONE}, and then reads no clock for its tasks at all: the cost of
 * this hook when nobody records is one field read per task. With a recorder set, each task reads
 * {@link System#nanoTime()} twice and calls {@link #taskEnded} once, in the task's own thread,
 * right after the task returns or throws and before its result is published: whoever sees a
 * task's result (its {@code join()}, a {@code waitAll()} of the pool) also sees it recorded. A
 * task killed before it started is not recorded. The recorder must be quick, thread-safe and
 * must not block; an exception from it is logged and does not reach the task's caller.
 */
@FunctionalInterface
public interface TaskRecorder {
    /** Records nothing; the group then reads no clock for its tasks. */
    TaskRecorder NONE = (elapsedNanos, failed) -> {
    };

    /**
     * A task ended.
     *
     * @param elapsedNanos how long it ran, from the start of its body to its return or throw
     * @param failed       whether it ended by throwing (a killed task does not count as failed,
     *                     as in {@link TaskGroup#failedCount()})
     */
    void taskEnded(long elapsedNanos, boolean failed);
}
