package dev.tidepool.micrometer;

/**
 * One data source's meters under one naming (Tidepool's, HikariCP's, OpenTelemetry's): what a
 * tracker records each event into. Recording is a call on meters registered up front: no lookup,
 * no allocation.
 */
interface ConnectionRecorder {
    void recordAcquiredNanos(long nanos);

    void recordUsageMillis(long millis);

    void recordCreatedMillis(long millis);

    void recordTimeout();

    /** A caller was turned away by load shedding; namings without such a meter ignore it. */
    default void recordShed() {
    }

    /** Removes every meter of this naming from its registry (the pool closed). */
    void remove();
}
