package dev.tidepool.demo;

import java.time.Duration;

/**
 * The settings both pools get, so that the comparison is like for like: HikariCP's defaults
 * (which Tidepool shares) except the size. {@code minimumIdle} equals {@code maximumPoolSize}
 * (HikariCP's default: a fixed-size pool), {@code connectionTimeout} is HikariCP's 30 s, and every
 * pool is registered as an MBean.
 */
record PoolSettings(String jdbcUrl, String username, String password, int maximumPoolSize) {
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String toString() {
        return "PoolSettings[jdbcUrl=" + Redact.url(jdbcUrl) + ", username=" + username
                + ", maximumPoolSize=" + maximumPoolSize + "]";
    }
}
