package dev.tidepool.micrometer;

import dev.tidepool.jdbc.MetricRegistryBinding;
import dev.tidepool.jdbc.MetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Lets {@code TidepoolConfig.setMetricRegistry(meterRegistry)} take a Micrometer
 * {@link MeterRegistry}, as HikariCP's does: pool-jdbc finds this class through
 * {@link java.util.ServiceLoader} (declared in {@code META-INF/services} and in the module
 * descriptor), so application code never names it.
 *
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setMetricRegistry(meterRegistry);   // found here; meters as MicrometerMetricsTrackerFactory's
 * }</pre>
 */
public final class MicrometerRegistryBinding implements MetricRegistryBinding {
    /** For {@link java.util.ServiceLoader}. */
    public MicrometerRegistryBinding() {
    }

    @Override
    public String registryType() {
        return MeterRegistry.class.getName();
    }

    @Override
    public boolean supports(Object registry) {
        return registry instanceof MeterRegistry;
    }

    @Override
    public MetricsTrackerFactory trackerFactory(Object registry) {
        if (!(registry instanceof MeterRegistry meterRegistry)) {
            throw new IllegalArgumentException("not a " + MeterRegistry.class.getName() + ": "
                    + (registry == null ? null : registry.getClass().getName()));
        }
        return new MicrometerMetricsTrackerFactory(meterRegistry);
    }
}
