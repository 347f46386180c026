package dev.tidepool.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when a test moves it: plugged into a pool with
 * {@link ResourcePool#overdueClock}, it decides when a waiter is overdue under
 * {@link Fairness#bounded}, so tests of the bounded rule never sleep.
 */
final class ManualClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(System.nanoTime());

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
