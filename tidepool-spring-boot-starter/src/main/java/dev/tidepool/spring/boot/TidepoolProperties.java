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
    /** Settings with their defaults; Spring Boot binds {@code tidepool.*} onto them. */
    public TidepoolProperties() {
    }

    /**
     * How long closing the application context waits for borrowed connections to come back (and
     * for GreenPool tasks to end) before it closes the pool anyway.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private final Metrics metrics = new Metrics();

    private final GreenPool greenPool = new GreenPool();

    /** {@return how long closing the context waits for borrowed connections and running tasks} */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * Sets how long closing the context waits for borrowed connections and running tasks.
     *
     * @param shutdownTimeout 0 or more
     * @throws IllegalArgumentException if null or negative
     */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("tidepool.shutdown-timeout must be 0 or more, not " + shutdownTimeout);
        }
        this.shutdownTimeout = shutdownTimeout;
    }

    /** {@return the Micrometer settings} */
    public Metrics getMetrics() {
        return metrics;
    }

    /** {@return the GreenPool settings} */
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

        /**
         * Whether every TidepoolDataSource also publishes OpenTelemetry's database client
         * connection metrics (db.client.connection.*), for export over OTLP.
         */
        private boolean opentelemetryNames;

        /** Off by default. */
        public Metrics() {
        }

        /** {@return whether HikariCP's meter names are published too} */
        public boolean isHikaricpNames() {
            return hikaricpNames;
        }

        /**
         * Sets whether HikariCP's meter names are published too.
         *
         * @param hikaricpNames true to publish them
         */
        public void setHikaricpNames(boolean hikaricpNames) {
            this.hikaricpNames = hikaricpNames;
        }

        /** {@return whether OpenTelemetry's db.client.connection.* metrics are published too} */
        public boolean isOpentelemetryNames() {
            return opentelemetryNames;
        }

        /**
         * Sets whether OpenTelemetry's db.client.connection.* metrics are published too.
         *
         * @param opentelemetryNames true to publish them
         */
        public void setOpentelemetryNames(boolean opentelemetryNames) {
            this.opentelemetryNames = opentelemetryNames;
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

        /** No pool unless a size is set. */
        public GreenPool() {
        }

        /** {@return the most tasks the GreenPool runs at once, or null for no GreenPool} */
        public Integer getSize() {
            return size;
        }

        /**
         * Sets the GreenPool's size; setting one creates the pool.
         *
         * @param size 0 or more, or null for no GreenPool
         * @throws IllegalArgumentException if negative
         */
        public void setSize(Integer size) {
            if (size != null && size < 0) {
                throw new IllegalArgumentException("tidepool.green-pool.size must be 0 or more, not " + size);
            }
            this.size = size;
        }

        /** {@return the GreenPool's name} */
        public String getName() {
            return name;
        }

        /**
         * Sets the GreenPool's name.
         *
         * @param name not blank
         * @throws IllegalArgumentException if blank
         */
        public void setName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("tidepool.green-pool.name must not be blank");
            }
            this.name = name;
        }
    }
}
