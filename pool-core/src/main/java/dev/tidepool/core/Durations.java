package dev.tidepool.core;

import java.time.Duration;
import java.util.Objects;

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
}
