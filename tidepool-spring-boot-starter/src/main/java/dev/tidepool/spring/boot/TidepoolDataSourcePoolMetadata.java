package dev.tidepool.spring.boot;

import dev.tidepool.jdbc.TidepoolDataSource;
import org.springframework.boot.jdbc.metadata.AbstractDataSourcePoolMetadata;

/**
 * A {@link TidepoolDataSource} as Boot's {@code DataSourcePoolMetadata}: what Boot's
 * {@code jdbc.connections.active/idle/max/min} meters and the {@code db} health indicator read.
 * Unlike HikariCP's, the figures are there before the pool starts (0 active, 0 idle).
 *
 * <pre>{@code
 * DataSourcePoolMetadata metadata = new TidepoolDataSourcePoolMetadata(dataSource);
 * Integer active = metadata.getActive();
 * }</pre>
 */
public class TidepoolDataSourcePoolMetadata extends AbstractDataSourcePoolMetadata<TidepoolDataSource> {
    /**
     * Metadata of {@code dataSource}, read live.
     *
     * @param dataSource the data source
     */
    public TidepoolDataSourcePoolMetadata(TidepoolDataSource dataSource) {
        super(dataSource);
    }

    @Override
    public Integer getActive() {
        return getDataSource().getActiveConnections();
    }

    @Override
    public Integer getIdle() {
        return getDataSource().getIdleConnections();
    }

    @Override
    public Integer getMax() {
        return getDataSource().getMaximumPoolSize();
    }

    /** minimumIdle; unset, it is maximumPoolSize (a fixed-size pool), as HikariCP's default. */
    @Override
    public Integer getMin() {
        int min = getDataSource().getMinimumIdle();
        return min < 0 ? getDataSource().getMaximumPoolSize() : min;
    }

    @Override
    public String getValidationQuery() {
        return getDataSource().getConnectionTestQuery();
    }

    @Override
    public Boolean getDefaultAutoCommit() {
        return getDataSource().isAutoCommit();
    }
}
