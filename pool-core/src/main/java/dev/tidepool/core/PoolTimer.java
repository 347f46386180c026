package dev.tidepool.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread every pool in the JVM shares for its short, rare looks (bounded fairness's
 * watch, the next paced create). A daemon platform thread, {@code tidepool-timer}, started on the
 * first use and ended after a second without work; its tasks only hand work to the pools' own
 * threads or unpark them, so one thread serves any number of pools.
 */
final class PoolTimer {
    /** The executor itself, for callers that schedule on their hot path's cold branches. */
    static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private PoolTimer() {
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("tidepool-timer").daemon().factory());
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code task} on the timer thread after {@code delayNanos} (at once if not positive). */
    static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return TIMER.schedule(task, Math.max(0L, delayNanos), TimeUnit.NANOSECONDS);
    }
}
