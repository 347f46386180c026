package dev.tidepool.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings, under {@code tidepool.*}; the data source's settings are
 * {@code TidepoolConfig}'s, under {@code spring.datasource.tidepool.*}.
 *
 * <pre>{@code
 * # application.properties
 * tidepool.shutdown-timeout=20s
 * tidepool.metrics.hikaricp-names=true
 * tidepool.green-pool.size=200
 * }</pre>
 */
@ConfigurationProperties("tidepool")
public class TidepoolProperties {
    /**
     * How long closing the application context waits for borrowed connections to come back (and
     * for GreenPool tasks to end) before it closes the pool anyway.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private final Metrics metrics = new Metrics();

    private final GreenPool greenPool = new GreenPool();

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("tidepool.shutdown-timeout must be 0 or more, not " + shutdownTimeout);
        }
        this.shutdownTimeout = shutdownTimeout;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public GreenPool getGreenPool() {
        return greenPool;
    }

    /** Micrometer settings. */
    public static class Metrics {
        /**
         * Whether every TidepoolDataSource also publishes its meters under HikariCP's names
         * (hikaricp.connections.*), so dashboards and alerts written for HikariCP keep working.
         */
        private boolean hikaricpNames;

        public boolean isHikaricpNames() {
            return hikaricpNames;
        }

        public void setHikaricpNames(boolean hikaricpNames) {
            this.hikaricpNames = hikaricpNames;
        }
    }

    /** The optional GreenPool that runs the application's @Async methods and task executor. */
    public static class GreenPool {
        /**
         * The most tasks the GreenPool runs at once, each on a virtual thread; setting it creates
         * the pool and makes it the application's task executor ("applicationTaskExecutor").
         */
        private Integer size;

        /** The GreenPool's name, in its meters' "pool" tag and its JMX ObjectName. */
        private String name = "applicationTaskExecutor";

        public Integer getSize() {
            return size;
        }

        public void setSize(Integer size) {
            if (size != null && size < 0) {
                throw new IllegalArgumentException("tidepool.green-pool.size must be 0 or more, not " + size);
            }
            this.size = size;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("tidepool.green-pool.name must not be blank");
            }
            this.name = name;
        }
    }
}
