package dev.tidepool.spring.boot;

import dev.tidepool.core.GreenPool;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Closes Tidepool's pools gracefully when the context closes, each bounded by
 * {@code tidepool.shutdown-timeout}. Spring destroys a bean after the beans that depend on it, and
 * this runs just before a bean's own close:
 * <ul>
 *   <li>a {@link TidepoolDataSource} is closed once no connection is borrowed any more (work still
 *       in flight, a scheduled job, an {@code @Async} method, finishes with its connection), or
 *       when the timeout is up; connections still out then are closed as they come back;</li>
 *   <li>a {@link GreenPool} stops taking tasks and waits for the running ones to end; those still
 *       running at the timeout are interrupted.</li>
 * </ul>
 * The wait looks at the pool every few milliseconds; it is a shutdown path, not a hot one.
 */
final class TidepoolShutdown implements DestructionAwareBeanPostProcessor {
    private static final System.Logger LOG = System.getLogger(TidepoolShutdown.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final Duration DEFAULT_TIMEOUT = new TidepoolProperties().getShutdownTimeout();

    private final Duration timeout;

    TidepoolShutdown(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code tidepool.shutdown-timeout}, read without making a bean: post-processors are made first. */
    static Duration timeout(Environment environment) {
        Duration timeout = Binder.get(environment).bind("tidepool.shutdown-timeout", Duration.class)
                .orElse(DEFAULT_TIMEOUT);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("tidepool.shutdown-timeout must be 0 or more, not " + timeout);
        }
        return timeout;
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        return bean instanceof TidepoolDataSource || bean instanceof GreenPool;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
        if (bean instanceof TidepoolDataSource dataSource) {
            drain(dataSource, beanName);
        } else if (bean instanceof GreenPool pool) {
            drain(pool, beanName);
        }
    }

    private void drain(TidepoolDataSource dataSource, String beanName) {
        if (dataSource.isClosed() || dataSource.getActiveConnections() == 0) {
            dataSource.close();
            return;
        }
        LOG.log(Level.INFO, () -> "Data source '" + beanName + "': waiting up to " + timeout.toMillis() + " ms for "
                + dataSource.getActiveConnections() + " borrowed connection(s) to come back before closing");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (dataSource.getActiveConnections() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        int stillOut = dataSource.getActiveConnections();
        if (stillOut > 0) {
            LOG.log(Level.WARNING, () -> "Data source '" + beanName + "': closing with " + stillOut
                    + " connection(s) still borrowed after " + timeout.toMillis()
                    + " ms (tidepool.shutdown-timeout); each is closed when it comes back");
        }
        dataSource.close();
    }

    private void drain(GreenPool pool, String beanName) {
        pool.shutdown();
        boolean ended;
        try {
            ended = pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            int running = pool.running();
            LOG.log(Level.WARNING, () -> "GreenPool '" + beanName + "': interrupting " + running
                    + " task(s) still running after " + timeout.toMillis() + " ms (tidepool.shutdown-timeout)");
            pool.shutdownNow();
        }
    }
}
