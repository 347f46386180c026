package dev.tidepool.jmx;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How often a bean may notify per type, and the clock it reads. Tests pass their own clock so the
 * rate limit can be checked without sleeping.
 *
 * @param intervalNanos at most one notification of a type per pool per this many nanoseconds
 * @param nanoClock     a {@link System#nanoTime()}-like clock
 */
record NotificationPolicy(long intervalNanos, LongSupplier nanoClock) {
    /** The system property that sets the interval, in milliseconds (default 1000; 0: no limit). */
    static final String INTERVAL_PROPERTY = "dev.tidepool.jmx.notificationIntervalMillis";
    static final long DEFAULT_INTERVAL_MILLIS = 1000;

    private static final System.Logger LOG = System.getLogger(NotificationPolicy.class.getName());

    NotificationPolicy {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("intervalNanos must be >= 0, was " + intervalNanos);
        }
    }

    /** The interval from {@value #INTERVAL_PROPERTY}, read at each registration, and the system clock. */
    static NotificationPolicy fromSystemProperties() {
        long millis = DEFAULT_INTERVAL_MILLIS;
        String value = System.getProperty(INTERVAL_PROPERTY);
        if (value != null) {
            try {
                millis = Long.parseLong(value.trim());
                if (millis < 0) {
                    throw new NumberFormatException("negative");
                }
            } catch (NumberFormatException e) {
                // A typo in a -D flag should not stop a pool from being monitored at all.
                LOG.log(Level.WARNING, "ignoring -D{0}={1}: not a number of milliseconds >= 0; using {2}",
                        INTERVAL_PROPERTY, value, DEFAULT_INTERVAL_MILLIS);
                millis = DEFAULT_INTERVAL_MILLIS;
            }
        }
        return new NotificationPolicy(TimeUnit.MILLISECONDS.toNanos(millis), System::nanoTime);
    }
}
