package dev.tidepool.jdbc.pool;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The one timer every data source in the JVM shares: a single daemon platform thread that only
 * keeps time. Anything that may block on a driver (closing, validating, connecting) is handed
 * from it to a virtual thread, so one slow database never delays another pool's timers, and no
 * pool pays a thread for its housekeeping.
 */
final class Housekeeping {
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private Housekeeping() {
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ThreadFactory daemon = Thread.ofPlatform().name("tidepool-housekeeping").daemon().factory();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon);
        // Leak timers are cancelled on nearly every return: drop them from the queue at once.
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }

    /** The shared timer; tasks scheduled on it must not block. */
    static ScheduledExecutorService shared() {
        return TIMER;
    }
}
