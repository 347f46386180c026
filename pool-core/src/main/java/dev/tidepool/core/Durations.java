package dev.tidepool.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Checks and converts the timeouts that every pool operation takes. */
final class Durations {
    /** Anything longer is as good as forever, and stays clear of overflow in deadline arithmetic. */
    private static final Duration FOREVER = Duration.ofDays(365L * 100);

    private Durations() {
    }

    /**
     * {@code timeout} in nanoseconds.
     *
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is negative
     */
    static long toNanos(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + timeout);
        }
        return timeout.compareTo(FOREVER) > 0 ? FOREVER.toNanos() : timeout.toNanos();
    }

    /**
     * {@code timeout} in {@code unit}, in nanoseconds, capped like {@link #toNanos(Duration, String)}.
     *
     * @throws NullPointerException     if {@code unit} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    static long toNanos(long timeout, TimeUnit unit, String what) {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + timeout + " " + unit);
        }
        return Math.min(unit.toNanos(timeout), FOREVER.toNanos());
    }
}
