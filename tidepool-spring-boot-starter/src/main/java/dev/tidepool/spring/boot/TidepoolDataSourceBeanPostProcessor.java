package dev.tidepool.spring.boot;

import dev.tidepool.jdbc.TidepoolDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Finishes the auto-configured {@code dataSource} bean once Boot has bound
 * {@code spring.datasource.tidepool.*} onto it:
 * <ol>
 *   <li>before initialisation, connection details that do not come from properties (those of
 *       {@code @ServiceConnection} or Docker Compose) are applied again, so they win over a bound
 *       {@code spring.datasource.tidepool.jdbc-url}, exactly as Boot does for HikariCP;</li>
 *   <li>after initialisation, the settings are validated as a whole, so a minimum above the
 *       maximum or a driver that cannot be loaded fails the start, before any connection is
 *       tried; the pool itself still starts on first use.</li>
 * </ol>
 */
final class TidepoolDataSourceBeanPostProcessor implements BeanPostProcessor, PriorityOrdered {
    private final ObjectProvider<JdbcConnectionDetails> connectionDetails;

    TidepoolDataSourceBeanPostProcessor(ObjectProvider<JdbcConnectionDetails> connectionDetails) {
        this.connectionDetails = connectionDetails;
    }

    static void apply(JdbcConnectionDetails details, TidepoolDataSource dataSource, boolean driverAsWell) {
        dataSource.setJdbcUrl(details.getJdbcUrl());
        dataSource.setUsername(details.getUsername());
        dataSource.setPassword(details.getPassword());
        if (driverAsWell) {
            String driverClassName = details.getDriverClassName();
            if (driverClassName != null) {
                dataSource.setDriverClassName(driverClassName);
            }
        }
    }

    private static boolean isOurs(Object bean, String beanName) {
        return bean instanceof TidepoolDataSource && TidepoolDataSourceAutoConfiguration.DATA_SOURCE_BEAN.equals(beanName);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (isOurs(bean, beanName)) {
            JdbcConnectionDetails details = connectionDetails.getObject();
            if (!(details instanceof PropertiesConnectionDetails)) {
                TidepoolDataSource dataSource = (TidepoolDataSource) bean;
                apply(details, dataSource, dataSource.getDataSourceClassName() == null);
            }
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (isOurs(bean, beanName)) {
            try {
                ((TidepoolDataSource) bean).validate();
            } catch (IllegalArgumentException e) {
                throw new TidepoolConfigurationException(beanName, e);
            }
        }
        return bean;
    }

    /** After Boot's ConfigurationPropertiesBindingPostProcessor (HIGHEST_PRECEDENCE + 1), as Boot's own. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
