package dev.tidepool.jmx;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.PoolListener;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

/**
 * Registers Tidepool pools as MXBeans on the platform MBeanServer, so JConsole (or any JMX client)
 * can watch them and resize them live.
 *
 * <pre>{@code
 * ResourcePool<Session> sessions = ResourcePool.builder(Session::open).maxSize(8).name("sessions").build();
 * GreenPool workers = new GreenPool(100, "workers");
 *
 * TidepoolMBeans.register(sessions);  // dev.tidepool:type=ResourcePool,name=sessions
 * TidepoolMBeans.register(workers);   // dev.tidepool:type=GreenPool,name=workers
 * // Both unregister by themselves when their pool closes (GreenPool: shuts down).
 * }</pre>
 *
 * <h2>Names</h2>
 * {@code dev.tidepool:type=ResourcePool,name=N}, {@code dev.tidepool:type=GreenPool,name=N} and
 * {@code dev.tidepool:type=DataSource,name=N}, where N is the pool's name, written as it is unless
 * it holds a character an ObjectName value cannot (one of {@code ,=:"*?}, a newline, a backslash,
 * or it is empty); then it is quoted with {@link ObjectName#quote}. Registering a second pool under a
 * name still registered throws {@link IllegalStateException} naming the ObjectName: give each pool
 * a name of its own. Once the first pool closes (or its {@link Registration} is closed) the name is
 * free again.
 *
 * <h2>Notifications</h2>
 * Each bean emits {@value #TIMEOUT_NOTIFICATION} when a caller gives up waiting and
 * {@value #EXHAUSTED_NOTIFICATION} when a caller finds nothing free and has to wait. So that a storm
 * does not flood a client, at most one of each type per pool goes out per second (set
 * {@code -Ddev.tidepool.jmx.notificationIntervalMillis=N} to change that, 0 for no limit); the
 * events held back in between are counted in the next notification: its message says how many,
 * and its {@code userData} is a {@link javax.management.openmbean.CompositeData} with the items
 * {@code pool}, {@code suppressed} and (timeouts) {@code waitedMillis}. The
 * {@code TimeoutCount} attribute counts every timeout, notified or not. Listeners are called on a
 * virtual thread of their own, never in the borrower's.
 */
public final class TidepoolMBeans {
    private static final System.Logger LOG = System.getLogger(TidepoolMBeans.class.getName());

    /** The ObjectName domain of every Tidepool bean. */
    public static final String DOMAIN = "dev.tidepool";
    /** The notification type sent when a caller gives up waiting for a pool. */
    public static final String TIMEOUT_NOTIFICATION = "dev.tidepool.pool.timeout";
    /** The notification type sent when a caller finds a pool exhausted and has to wait. */
    public static final String EXHAUSTED_NOTIFICATION = "dev.tidepool.pool.exhausted";

    private TidepoolMBeans() {
    }

    /**
     * Registers {@code pool} as a {@link ResourcePoolMXBean} named
     * {@code dev.tidepool:type=ResourcePool,name=<pool.name()>}; it unregisters when the pool closes.
     * Reading an attribute is a call on the pool like any other: a subclass pool not used yet makes
     * its {@code minSize} items then.
     *
     * @param pool the pool to register
     * @return the registration; closing it unregisters the bean
     * @throws IllegalStateException if a bean of that name is registered already (the message names
     *                               it), or the pool is closed
     * @throws NullPointerException  if {@code pool} is null
     */
    public static Registration register(ResourcePool<?> pool) {
        return register(pool, NotificationPolicy.fromSystemProperties());
    }

    /**
     * Registers {@code pool} as a {@link GreenPoolMXBean} named
     * {@code dev.tidepool:type=GreenPool,name=<pool.name()>}; it unregisters when the pool shuts down.
     *
     * @param pool the pool to register
     * @return the registration; closing it unregisters the bean
     * @throws IllegalStateException if a bean of that name is registered already (the message names
     *                               it), or the pool is shut down
     * @throws NullPointerException  if {@code pool} is null
     */
    public static Registration register(GreenPool pool) {
        return register(pool, NotificationPolicy.fromSystemProperties());
    }

    /**
     * Registers {@code dataSource} as a {@link DataSourceMXBean} named
     * {@code dev.tidepool:type=DataSource,name=<dataSource.getPoolName()>}; it unregisters when the
     * data source closes. A data source with {@code registerMbeans=true} does this by itself when
     * its pool starts (through {@link JdbcMBeanRegistrar}); call this for one without.
     *
     * <p>Registered before its pool starts, the bean shows zeros and the configured values, and a
     * write changes the configuration the pool will start with. A data source closed without ever
     * starting has no pool to tell the bean, so that bean stays until its {@link Registration} is
     * closed.
     *
     * @param dataSource the data source to register
     * @return the registration; closing it unregisters the bean
     * @throws IllegalStateException if a bean of that name is registered already (the message names
     *                               it), or the data source is closed
     * @throws NullPointerException  if {@code dataSource} is null
     */
    public static Registration register(TidepoolDataSource dataSource) {
        return register(dataSource, NotificationPolicy.fromSystemProperties());
    }

    /**
     * The ObjectName a {@link ResourcePool} with this name is registered under.
     *
     * @param poolName the pool's name
     * @return the ObjectName, {@code dev.tidepool:type=ResourcePool,name=<poolName>}
     */
    public static ObjectName resourcePoolName(String poolName) {
        return objectName("ResourcePool", poolName);
    }

    /**
     * The ObjectName a {@link GreenPool} with this name is registered under.
     *
     * @param poolName the pool's name
     * @return the ObjectName, {@code dev.tidepool:type=GreenPool,name=<poolName>}
     */
    public static ObjectName greenPoolName(String poolName) {
        return objectName("GreenPool", poolName);
    }

    /**
     * The ObjectName a {@code TidepoolDataSource} with this pool name is registered under.
     *
     * @param poolName the data source's pool name
     * @return the ObjectName, {@code dev.tidepool:type=DataSource,name=<poolName>}
     */
    public static ObjectName dataSourceName(String poolName) {
        return objectName("DataSource", poolName);
    }

    // ---------------------------------------------------------------- package-private: tests pick the policy

    static Registration register(ResourcePool<?> pool, NotificationPolicy policy) {
        Objects.requireNonNull(pool, "pool");
        ResourcePoolBean bean = new ResourcePoolBean(pool, resourcePoolName(pool.name()), policy);
        return register(bean, pool::addListener, pool::removeListener, pool::isClosed);
    }

    static Registration register(GreenPool pool, NotificationPolicy policy) {
        Objects.requireNonNull(pool, "pool");
        GreenPoolBean bean = new GreenPoolBean(pool, greenPoolName(pool.name()), policy);
        return register(bean, pool::addListener, pool::removeListener, pool::isShutdown);
    }

    static Registration register(TidepoolDataSource dataSource, NotificationPolicy policy) {
        Objects.requireNonNull(dataSource, "dataSource");
        DataSourceBean bean = new DataSourceBean(dataSource, dataSourceName(dataSource.getPoolName()), policy);
        return register(bean, dataSource::addListener, dataSource::removeListener, dataSource::isClosed);
    }

    private static Registration register(PoolBean bean, Consumer<PoolListener> addListener,
                                         Consumer<PoolListener> removeListener, BooleanSupplier closed) {
        ObjectName name = bean.objectName();
        if (closed.getAsBoolean()) {
            throw new IllegalStateException("pool " + bean.poolName() + " is closed: not registering " + name);
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Registration registration = new Registration(server, bean, removeListener);
        try {
            server.registerMBean(DescribedMXBean.of(bean, registration), name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException(name + " is already registered: another pool is named \""
                    + bean.poolName() + "\"; give each pool a name of its own, or close the other first", e);
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            throw new IllegalStateException("could not register " + name, e);
        }
        addListener.accept(registration.listener());
        // The pool may have closed between the check above and addListener, and then its closed
        // event went to nobody: look again (closing twice is harmless).
        if (closed.getAsBoolean()) {
            registration.close();
        }
        LOG.log(Level.DEBUG, "registered {0}", name);
        return registration;
    }

    private static ObjectName objectName(String type, String poolName) {
        Objects.requireNonNull(poolName, "poolName");
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",name=" + nameValue(poolName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("pool name \"" + poolName + "\" makes no ObjectName", e);
        }
    }

    /**
     * The pool name as it stands in an ObjectName: as it is where possible, so operators read
     * {@code name=db} rather than {@code name="db"}; quoted when it holds a character that would end
     * the value or make the name a pattern.
     */
    static String nameValue(String poolName) {
        if (poolName.isEmpty()) {
            return ObjectName.quote(poolName);
        }
        for (int i = 0; i < poolName.length(); i++) {
            if (",=:\"*?\n\\".indexOf(poolName.charAt(i)) >= 0) {
                return ObjectName.quote(poolName);
            }
        }
        return poolName;
    }
}
