package dev.tidepool.core;

import java.time.Duration;

/**
 * Hears about the moments an operator cares about: a pool ran dry, a caller gave up waiting, the
 * pool closed. Monitoring (JMX notifications, metrics, alerts) hooks in here; the pool itself
 * never needs a listener.
 *
 * <pre>{@code
 * pool.addListener(new PoolListener() {
 *     @Override public void timedOut(String pool, Duration waited) {
 *         metrics.counter("pool.timeouts", "pool", pool).increment();
 *     }
 * });
 * }</pre>
 *
 * <p>Callbacks run in the thread that caused the event (a borrower, or the thread closing the
 * pool), so they must be quick and must not block; an exception from one is logged and ignored.
 * Every method does nothing by default.
 */
public interface PoolListener {
    /**
     * A caller found nothing free and is about to wait.
     *
     * @param pool the pool's name
     */
    default void exhausted(String pool) {
    }

    /**
     * A caller waited {@code waited} and gave up without an item or slot.
     *
     * @param pool the pool's name
     * @param waited how long the caller waited
     */
    default void timedOut(String pool, Duration waited) {
    }

    /**
     * The pool was closed (or shut down).
     *
     * @param pool the pool's name
     */
    default void closed(String pool) {
    }
}
