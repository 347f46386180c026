package dev.tidepool.jmx;

import dev.tidepool.core.PoolListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One pool's MXBean on the platform MBeanServer, as returned by {@link TidepoolMBeans}'s
 * {@code register} methods. The bean goes away by itself when the pool closes; {@link #close()}
 * takes it away sooner. Thread-safe.
 *
 * <pre>{@code
 * try (Registration registration = TidepoolMBeans.register(pool)) {
 *     System.out.println("watch " + registration.objectName() + " in JConsole");
 *     runBatch(pool);
 * }   // unregistered here, though the pool stays open
 * }</pre>
 */
public final class Registration implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Registration.class.getName());

    private final MBeanServer server;
    private final PoolBean bean;
    private final Consumer<PoolListener> removeListener;
    private final PoolListener listener = new Events();
    private final AtomicBoolean ended = new AtomicBoolean();

    Registration(MBeanServer server, PoolBean bean, Consumer<PoolListener> removeListener) {
        this.server = server;
        this.bean = bean;
        this.removeListener = removeListener;
    }

    /** {@return the name the bean is (or was) registered under, e.g. {@code dev.tidepool:type=ResourcePool,name=db}} */
    public ObjectName objectName() {
        return bean.objectName();
    }

    /** {@return whether the bean is still registered: false once the pool closed, or after {@link #close()}} */
    public boolean isRegistered() {
        return !ended.get();
    }

    /**
     * Unregisters the bean and stops listening to the pool. The pool itself is untouched. Later
     * calls do nothing.
     */
    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        removeListener.accept(listener);
        try {
            server.unregisterMBean(bean.objectName());
            LOG.log(Level.DEBUG, "unregistered {0}", bean.objectName());
        } catch (InstanceNotFoundException e) {
            // Someone unregistered it under our feet; postDeregister found us already ended.
        } catch (MBeanRegistrationException e) {
            LOG.log(Level.WARNING, () -> "unregistering " + bean.objectName() + " failed", e);
        }
    }

    /** The pool events this registration listens to. */
    PoolListener listener() {
        return listener;
    }

    /** The bean left the MBeanServer, whoever unregistered it. */
    void deregistered() {
        if (ended.compareAndSet(false, true)) {
            removeListener.accept(listener);
            LOG.log(Level.DEBUG, "{0} was unregistered from outside", bean.objectName());
        }
    }

    @Override
    public String toString() {
        return "Registration[" + bean.objectName() + (isRegistered() ? "" : ", ended") + "]";
    }

    /** Pool events: the first two become notifications, the last ends the registration. */
    private final class Events implements PoolListener {
        @Override
        public void exhausted(String pool) {
            bean.exhausted();
        }

        @Override
        public void timedOut(String pool, Duration waited) {
            bean.timedOut(waited);
        }

        @Override
        public void closed(String pool) {
            close();
        }
    }
}
