package dev.tidepool.jdbc;

import dev.tidepool.jdbc.stub.StubDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh stub database per test and the data sources a test opens on it, closed after the test:
 * {@code @RegisterExtension final StubPools pools = new StubPools("ds", 2_000);} then
 * {@code pools.open(pools.config(4))}. The data source tests share it instead of each repeating
 * the same setup.
 */
final class StubPools implements BeforeEachCallback, AfterEachCallback {
    /** How long the tests wait for something the pool does in the background. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final String prefix;
    private final long connectionTimeoutMs;
    private final List<TidepoolDataSource> opened = new ArrayList<>();
    private StubDatabase db;

    /**
     * @param prefix              names each test's database {@code <prefix>-<test method>-<nanos>}
     * @param connectionTimeoutMs the connectionTimeout {@link #config} sets
     */
    StubPools(String prefix, long connectionTimeoutMs) {
        this.prefix = prefix;
        this.connectionTimeoutMs = connectionTimeoutMs;
    }

    /** Waits up to {@link #WAIT}, polling every 5 ms from the start. */
    static ConditionFactory await() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        db = StubDatabase.reset(prefix + "-" + context.getRequiredTestMethod().getName() + "-" + System.nanoTime());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(TidepoolDataSource::close);
        opened.clear();
        StubDatabase.remove(db.name());
    }

    /** This test's database. */
    StubDatabase db() {
        return db;
    }

    /** A configuration over this test's database: maximumPoolSize {@code max}, the set connectionTimeout. */
    TidepoolConfig config(int max) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(db.url());
        config.setMaximumPoolSize(max);
        config.setConnectionTimeout(connectionTimeoutMs);
        return config;
    }

    /** A started data source with {@code config}, closed after the test. */
    TidepoolDataSource open(TidepoolConfig config) {
        return track(new TidepoolDataSource(config));
    }

    /** Closes {@code dataSource} after the test (for bean-style ones the test builds itself). */
    TidepoolDataSource track(TidepoolDataSource dataSource) {
        opened.add(dataSource);
        return dataSource;
    }
}
