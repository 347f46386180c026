package dev.tidepool.jmx;

import dev.tidepool.jdbc.MBeanRegistrar;
import dev.tidepool.jdbc.TidepoolDataSource;

/**
 * What makes {@code registerMbeans=true} work: pool-jdbc finds this class through
 * {@link java.util.ServiceLoader} when a data source's pool starts, and closes the returned
 * {@link Registration} when the data source closes. Applications do not call it; they put pool-jmx
 * on the class path (or module path) and set the property.
 *
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setPoolName("orders");
 * config.setRegisterMbeans(true);   // dev.tidepool:type=DataSource,name=orders, through this class
 * }</pre>
 *
 * <p>A second data source with the same pool name is refused with {@link IllegalStateException},
 * which pool-jdbc logs; that pool then runs unmonitored.
 */
public final class JdbcMBeanRegistrar implements MBeanRegistrar {
    /** For {@link java.util.ServiceLoader}. */
    public JdbcMBeanRegistrar() {
    }

    /** {@link TidepoolMBeans#register(TidepoolDataSource)}. */
    @Override
    public Registration register(TidepoolDataSource dataSource) {
        return TidepoolMBeans.register(dataSource);
    }
}
