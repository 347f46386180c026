package dev.tidepool.spring.boot;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * {@code spring.datasource.url}, {@code username}, {@code password} and
 * {@code driver-class-name} as {@link JdbcConnectionDetails}, as Boot reads them for HikariCP:
 * with no URL, the embedded database on the class path (H2, HSQLDB, Derby). An explicit driver
 * class is passed on unchecked, so that a wrong one is reported by Tidepool's validation (and its
 * failure analysis) rather than by a bare assertion.
 */
final class PropertiesConnectionDetails implements JdbcConnectionDetails {
    private final DataSourceProperties properties;

    PropertiesConnectionDetails(DataSourceProperties properties) {
        this.properties = properties;
    }

    // Boot's determineUsername/Password look at the driver (an embedded database gets "sa"), and
    // assert that an explicit one loads; an unloadable driver is left to Tidepool's validation.
    @Override
    public String getUsername() {
        return StringUtils.hasText(properties.getUsername()) || !explicitDriverLoads() ? properties.getUsername()
                : properties.determineUsername();
    }

    @Override
    public String getPassword() {
        return StringUtils.hasText(properties.getPassword()) || !explicitDriverLoads() ? properties.getPassword()
                : properties.determinePassword();
    }

    private boolean explicitDriverLoads() {
        String explicit = properties.getDriverClassName();
        return !StringUtils.hasText(explicit) || ClassUtils.isPresent(explicit, properties.getClassLoader());
    }

    @Override
    public String getJdbcUrl() {
        return properties.determineUrl();
    }

    @Override
    public String getDriverClassName() {
        String explicit = properties.getDriverClassName();
        return StringUtils.hasText(explicit) ? explicit : properties.determineDriverClassName();
    }

    @Override
    public String getXaDataSourceClassName() {
        String explicit = properties.getXa().getDataSourceClassName();
        return explicit != null ? explicit : JdbcConnectionDetails.super.getXaDataSourceClassName();
    }
}
