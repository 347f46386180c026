package dev.tidepool.spring.boot;

import dev.tidepool.core.GreenPool;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.util.ClassUtils;

/**
 * With {@code tidepool.green-pool.size} set, a {@link GreenPool} bean runs the application's
 * tasks: it becomes Boot's {@code applicationTaskExecutor} (alias {@code taskExecutor}), so
 * {@code @Async} methods, Spring MVC's async requests and anything else that takes Boot's task
 * executor run on it, each task on a virtual thread, at most {@code size} at once. It runs before
 * Boot's {@link TaskExecutionAutoConfiguration}, which then backs off.
 *
 * <pre>{@code
 * tidepool.green-pool.size=200
 * spring.threads.virtual.enabled=true   # optional: the rest of Boot on virtual threads too
 * }</pre>
 *
 * <p>With {@code spring.jmx.enabled=true} the pool is an MXBean
 * ({@code dev.tidepool:type=GreenPool,name=<tidepool.green-pool.name>}). On close, the context
 * waits for running tasks, up to {@code tidepool.shutdown-timeout}.
 */
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
@ConditionalOnClass(GreenPool.class)
@ConditionalOnProperty("tidepool.green-pool.size")
@EnableConfigurationProperties(TidepoolProperties.class)
public final class TidepoolGreenPoolAutoConfiguration {
    /** Made by Spring Boot, which finds this auto-configuration in the starter's imports file. */
    public TidepoolGreenPoolAutoConfiguration() {
    }

    static final String GREEN_POOL_BEAN = "tidepoolGreenPool";
    private static final String JMX = "dev.tidepool.jmx.TidepoolMBeans";

    @Bean(GREEN_POOL_BEAN)
    @ConditionalOnMissingBean(GreenPool.class)
    GreenPool tidepoolGreenPool(TidepoolProperties properties, Environment environment) {
        TidepoolProperties.GreenPool settings = properties.getGreenPool();
        GreenPool pool = new GreenPool(settings.getSize(), settings.getName());
        if (environment.getProperty("spring.jmx.enabled", Boolean.class, false)
                && ClassUtils.isPresent(JMX, getClass().getClassLoader())) {
            dev.tidepool.jmx.TidepoolMBeans.register(pool); // unregisters itself when the pool shuts down
        }
        return pool;
    }

    @Bean(name = {TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME, "taskExecutor"})
    @ConditionalOnMissingBean(name = {TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME,
            "taskExecutor"})
    TaskExecutorAdapter applicationTaskExecutor(GreenPool tidepoolGreenPool) {
        return new TaskExecutorAdapter(tidepoolGreenPool);
    }
}
