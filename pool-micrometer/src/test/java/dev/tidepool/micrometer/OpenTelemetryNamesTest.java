package dev.tidepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import dev.tidepool.jdbc.stub.StubDriver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenTelemetry's database client connection metrics, as the semantic conventions specify them:
 * every name, unit and attribute, and the values after a borrow and a timeout.
 */
@Timeout(60)
class OpenTelemetryNamesTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private StubDatabase database;
    private TidepoolDataSource dataSource;

    @BeforeEach
    void open() {
        StubDriver.register();
        database = StubDatabase.reset("otel-names");
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(database.url());
        config.setPoolName("orders");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(250);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry).withOpenTelemetryNames());
        dataSource = new TidepoolDataSource(config);
    }

    @AfterEach
    void close() {
        dataSource.close();
        StubDatabase.remove(database.name());
    }

    private Meter.Id id(String name, String... tags) {
        return registry.get(name).tags(tags).meter().getId();
    }

    @Test
    void theNamesUnitsAndAttributesAreTheSemanticConventions() {
        Set<String> names = new TreeSet<>();
        registry.getMeters().stream().map(m -> m.getId().getName()).filter(n -> n.startsWith("db."))
                .forEach(names::add);
        assertThat(names).containsExactly("db.client.connection.count", "db.client.connection.create_time",
                "db.client.connection.idle.max", "db.client.connection.idle.min", "db.client.connection.max",
                "db.client.connection.pending_requests", "db.client.connection.timeouts",
                "db.client.connection.use_time", "db.client.connection.wait_time");

        assertThat(registry.getMeters()).filteredOn(m -> m.getId().getName().startsWith("db."))
                .allSatisfy(m -> assertThat(m.getId().getTag("db.client.connection.pool.name")).isEqualTo("orders"));
        assertThat(registry.find("db.client.connection.count").meters()).extracting(m -> m.getId().getTag(
                "db.client.connection.state")).containsExactlyInAnyOrder("idle", "used");

        assertThat(id("db.client.connection.count", "db.client.connection.state", "idle").getBaseUnit())
                .isEqualTo("{connection}");
        assertThat(id("db.client.connection.idle.max").getBaseUnit()).isEqualTo("{connection}");
        assertThat(id("db.client.connection.idle.min").getBaseUnit()).isEqualTo("{connection}");
        assertThat(id("db.client.connection.max").getBaseUnit()).isEqualTo("{connection}");
        assertThat(id("db.client.connection.pending_requests").getBaseUnit()).isEqualTo("{request}");
        assertThat(id("db.client.connection.timeouts").getBaseUnit()).isEqualTo("{timeout}");
        for (String histogram : new String[] {"create_time", "wait_time", "use_time"}) {
            Meter.Id id = id("db.client.connection." + histogram);
            assertThat(id.getBaseUnit()).as(histogram).isEqualTo("s");
            assertThat(id.getType()).as(histogram).isEqualTo(Meter.Type.DISTRIBUTION_SUMMARY);
        }
    }

    @Test
    void theValuesFollowTheBorrowsAndTheTimeouts() throws Exception {
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            assertThat(registry.get("db.client.connection.count").tag("db.client.connection.state", "used")
                    .gauge().value()).isEqualTo(2);
            assertThat(registry.get("db.client.connection.count").tag("db.client.connection.state", "idle")
                    .gauge().value()).isZero();
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class);
        }
        assertThat(registry.get("db.client.connection.max").gauge().value()).isEqualTo(2);
        assertThat(registry.get("db.client.connection.idle.min").gauge().value()).isEqualTo(1);
        assertThat(registry.get("db.client.connection.timeouts").counter().count()).isEqualTo(1);
        DistributionSummary wait = registry.get("db.client.connection.wait_time").summary();
        assertThat(wait.count()).isEqualTo(2);
        assertThat(wait.max()).as("seconds, not milliseconds").isLessThan(60);
        assertThat(registry.get("db.client.connection.use_time").summary().count()).isEqualTo(2);
        assertThat(registry.get("db.client.connection.create_time").summary().count()).isPositive();
    }

    @Test
    void closingThePoolRemovesTheMeters() {
        dataSource.close();
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getName().startsWith("db."));
    }
}
