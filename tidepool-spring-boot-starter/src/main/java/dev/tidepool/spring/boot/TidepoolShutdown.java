package dev.tidepool.spring.boot;

import dev.tidepool.core.GreenPool;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Closes Tidepool's pools gracefully when the context closes, each bounded by
 * {@code tidepool.shutdown-timeout}. Spring destroys a bean after the beans that depend on it, and
 * this runs just before a bean's own close:
 * <ul>
 *   <li>a {@link TidepoolDataSource} is closed with {@link TidepoolDataSource#close(Duration)}: it
 *       stops lending, lets work still in flight (a scheduled job, an {@code @Async} method) return
 *       its connections, and closes those still out when the timeout is up;</li>
 *   <li>a {@link GreenPool} stops taking tasks and waits for the running ones to end; those still
 *       running at the timeout are interrupted.</li>
 * </ul>
 * Both waits are bounded by the same timeout.
 */
final class TidepoolShutdown implements DestructionAwareBeanPostProcessor {
    private static final System.Logger LOG = System.getLogger(TidepoolShutdown.class.getName());
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
        if (dataSource.isClosed()) {
            return;
        }
        // The data source's own drain: it stops lending, waits for borrowed connections to come
        // back, and closes the ones still out when the timeout is up.
        if (!dataSource.close(timeout)) {
            LOG.log(Level.WARNING, () -> "Data source '" + beanName + "': closed connections still borrowed after "
                    + timeout.toMillis() + " ms (tidepool.shutdown-timeout)");
        }
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
