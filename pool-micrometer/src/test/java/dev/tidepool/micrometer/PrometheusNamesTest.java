package dev.tidepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.core.GreenPool;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import dev.tidepool.jdbc.stub.StubDriver;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a Prometheus scrape shows: HikariCP's series names for the opt-in, and every series the
 * Grafana dashboard of the docs ({@code docs/grafana/tidepool-dashboard.json}) queries.
 */
class PrometheusNamesTest {
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "tidepool-dashboard.json");

    private static String scrape() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(Tags.of("application", "shop"));
        StubDriver.register();
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(StubDatabase.reset("prometheus").url());
        config.setPoolName("orders");
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry).withHikariCpNames());
        try (TidepoolDataSource dataSource = new TidepoolDataSource(config);
             GreenPool workers = new GreenPool(4, "workers")) {
            new GreenPoolMetrics(workers).bindTo(registry);
            workers.spawn(() -> 1).join();
            try (Connection ignored = dataSource.getConnection()) {
                return registry.scrape();
            }
        }
    }

    @Test
    void hikariCpsNamesScrapeAsHikariCpsSeries() throws Exception {
        String scrape = scrape();
        for (String series : new String[] {"hikaricp_connections{", "hikaricp_connections_active{",
                "hikaricp_connections_idle{", "hikaricp_connections_pending{", "hikaricp_connections_max{",
                "hikaricp_connections_min{", "hikaricp_connections_timeout_total{",
                "hikaricp_connections_acquire_seconds_count{", "hikaricp_connections_usage_seconds_count{",
                "hikaricp_connections_creation_seconds_count{"}) {
            assertThat(scrape).as(series).contains(series);
        }
        assertThat(scrape).contains("hikaricp_connections_active{application=\"shop\",pool=\"orders\"} 1");
    }

    @Test
    void everySeriesTheDashboardQueriesIsScraped() throws Exception {
        String scrape = scrape();
        Set<String> queried = new LinkedHashSet<>();
        Matcher series = Pattern.compile("tidepool_[a-z_]+").matcher(Files.readString(DASHBOARD));
        while (series.find()) {
            queried.add(series.group());
        }
        assertThat(queried).hasSizeGreaterThan(10);
        for (String name : queried) {
            // Histogram buckets appear only with percentiles-histogram on, as the panel title says.
            String scraped = name.endsWith("_bucket") ? name.substring(0, name.length() - "_bucket".length()) + "_count"
                    : name;
            assertThat(scrape).as(name).containsPattern("(?m)^" + scraped + "\\{");
        }
    }
}
