package dev.tidepool.core;

import java.time.Duration;

/**
 * What a {@link ResourcePool} knows about one of its items: enough to decide whether to keep it.
 * Handed to the predicate of {@link ResourcePool#evictIdle}.
 *
 * <pre>{@code
 * // Close sessions idle for more than ten minutes, keeping at least two.
 * int closed = sessions.evictIdle(sessions.idle() - 2,
 *         info -> info.idleTime().compareTo(Duration.ofMinutes(10)) > 0);
 * }</pre>
 *
 * <p>Times are {@link System#nanoTime()} readings. The time an item was last returned is recorded
 * only by pools built with {@link ResourcePool.Builder#trackIdleTime} or
 * {@link ResourcePool.Builder#validateAfterIdle} (reading the clock on every return costs about as
 * much as the return itself); elsewhere it stays the creation time.
 *
 * @param <T> the pooled item's type
 */
public interface ItemInfo<T> {
    /** {@return the item itself} */
    T item();

    /** {@return when the item was made, as a {@link System#nanoTime()} reading} */
    long createdNanos();

    /**
     * {@return when the item was last returned to the pool (or made), as a {@link System#nanoTime()}
     * reading} A return is stamped from a clock that runs in 10 ms steps, so it may read up to about
     * 10 ms early.
     */
    long returnedNanos();

    /**
     * When the item last passed {@code validate()} (or was made), as a {@link System#nanoTime()}
     * reading; recorded only where return times are.
     *
     * @return the {@link System#nanoTime()} reading of the item's last validation
     */
    long validatedNanos();

    /** {@return how long ago the item was made} */
    default Duration age() {
        return Duration.ofNanos(System.nanoTime() - createdNanos());
    }

    /** {@return how long the item has been idle since it was last returned (or made)} */
    default Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - returnedNanos());
    }
}
