package dev.tidepool.demo;

import java.time.Duration;

/**
 * The settings both pools get, so that the comparison is like for like: HikariCP's defaults
 * (which Tidepool shares) except two. {@code maximumPoolSize} is the demo's {@code --pool-size};
 * {@code minimumIdle} is 0, as in HikariCP-benchmark, so that an operator may shrink
 * {@code MaximumPoolSize} over JMX to any size (Tidepool refuses a maximum below
 * {@code minimumIdle} rather than clamp it; under the demo's load both pools fill to the maximum
 * within the first second anyway). {@code connectionTimeout} is HikariCP's 30 s, and every pool is
 * registered as an MBean.
 */
record PoolSettings(String jdbcUrl, String username, String password, int maximumPoolSize) {
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    static final int MINIMUM_IDLE = 0;

    @Override
    public String toString() {
        return "PoolSettings[jdbcUrl=" + Redact.url(jdbcUrl) + ", username=" + username
                + ", maximumPoolSize=" + maximumPoolSize + "]";
    }
}
