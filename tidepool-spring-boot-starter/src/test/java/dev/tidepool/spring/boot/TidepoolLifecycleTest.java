package dev.tidepool.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.core.GreenPool;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** JMX (once), graceful shutdown, and the GreenPool task executor. */
@Timeout(120)
class TidepoolLifecycleTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TidepoolDataSourceAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, JmxAutoConfiguration.class,
                    TidepoolGreenPoolAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    private static Set<ObjectName> tidepoolBeans() throws Exception {
        return SERVER.queryNames(new ObjectName("dev.tidepool:*"), null);
    }

    @Test
    void withJmxEnabledThePoolIsAnMXBeanOnceAndBootDoesNotExportItAgain() throws Exception {
        runner.withPropertyValues("spring.jmx.enabled=true", "spring.jmx.unique-names=true",
                "spring.datasource.tidepool.pool-name=jmx-pool", "tidepool.green-pool.size=2",
                "tidepool.green-pool.name=jmx-green").run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            assertThat(dataSource.isRegisterMbeans()).isTrue();
            dataSource.getConnection().close(); // the MXBean comes with the pool
            ObjectName dataSourceName = new ObjectName("dev.tidepool:type=DataSource,name=jmx-pool");
            assertThat(SERVER.isRegistered(dataSourceName)).isTrue();
            assertThat(SERVER.getAttribute(dataSourceName, "MaximumPoolSize")).isEqualTo(10);
            assertThat(SERVER.isRegistered(new ObjectName("dev.tidepool:type=GreenPool,name=jmx-green"))).isTrue();
            // Nothing else anywhere carries the bean: Boot's exporter left it alone.
            assertThat(SERVER.queryNames(null, null)).filteredOn(n -> n.toString().contains("dataSource")).isEmpty();
        });
        assertThat(tidepoolBeans()).noneMatch(n -> n.toString().contains("jmx-pool") || n.toString().contains("jmx-green"));
    }

    @Test
    void withJmxDisabledNothingIsRegistered() throws Exception {
        runner.withPropertyValues("spring.datasource.tidepool.pool-name=no-jmx").run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            dataSource.getConnection().close();
            assertThat(dataSource.isRegisterMbeans()).isFalse();
            assertThat(tidepoolBeans()).noneMatch(n -> n.toString().contains("no-jmx"));
        });
    }

    @Test
    void closingTheContextWaitsForBorrowedConnectionsThenClosesThePool() throws Exception {
        CountDownLatch borrowed = new CountDownLatch(1);
        AtomicBoolean openWhileInFlight = new AtomicBoolean();
        TidepoolDataSource[] seen = new TidepoolDataSource[1];
        runner.withPropertyValues("tidepool.shutdown-timeout=30s").run(context -> {
            ConfigurableApplicationContext application = (ConfigurableApplicationContext) context.getSourceApplicationContext();
            CountDownLatch closeStarted = closeStarted(application);
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            seen[0] = dataSource;
            Thread inFlight = Thread.ofVirtual().start(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    borrowed.countDown();
                    // The context is closing (it says so before it destroys its beans) ...
                    assertThat(closeStarted.await(30, TimeUnit.SECONDS)).isTrue();
                    // ... and the work still in flight keeps its working connection while the pool drains.
                    openWhileInFlight.set(connection.isValid(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(borrowed.await(30, TimeUnit.SECONDS)).isTrue();
            application.close(); // returns once the borrowed connection is back and the pool closed
            assertThat(inFlight.join(Duration.ofSeconds(30))).isTrue();
        });
        assertThat(openWhileInFlight).isTrue();
        assertThat(seen[0].isClosed()).isTrue();
        assertThat(seen[0].getActiveConnections()).isZero();
    }

    @Test
    void aConnectionNeverReturnedDelaysTheCloseOnlyUntilTheTimeout() throws Exception {
        TidepoolDataSource[] seen = new TidepoolDataSource[1];
        Connection[] leaked = new Connection[1];
        runner.withPropertyValues("tidepool.shutdown-timeout=100ms").run(context -> {
            seen[0] = context.getBean(TidepoolDataSource.class);
            leaked[0] = seen[0].getConnection();
        });
        assertThat(seen[0].isClosed()).isTrue();
        leaked[0].close(); // closed for good as it comes back
        assertThat(seen[0].getTotalConnections()).isZero();
    }

    @Test
    void aGreenPoolRunsAsyncMethodsOnVirtualThreadsAsBootsTaskExecutor() {
        runner.withPropertyValues("tidepool.green-pool.size=3", "spring.threads.virtual.enabled=true")
                .withUserConfiguration(AsyncWork.class).run(context -> {
                    GreenPool pool = context.getBean(GreenPool.class);
                    assertThat(pool.size()).isEqualTo(3);
                    assertThat(pool.name()).isEqualTo("applicationTaskExecutor");
                    assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(TaskExecutorAdapter.class);
                    assertThat(context.getBean("taskExecutor")).isSameAs(context.getBean("applicationTaskExecutor"));
                    Worker worker = context.getBean(Worker.class);
                    Boolean[] ranInPool = worker.whereAmI(pool).get(30, TimeUnit.SECONDS);
                    assertThat(ranInPool[0]).as("a virtual thread").isTrue();
                    assertThat(ranInPool[1]).as("counted by the pool while it ran").isTrue();
                    assertThat(pool.spawnedCount()).isEqualTo(1);
                });
    }

    @Test
    void withoutTheSizePropertyThereIsNoGreenPoolAndBootKeepsItsExecutor() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(GreenPool.class);
            assertThat(context).hasBean("applicationTaskExecutor");
            assertThat(context.getBean("applicationTaskExecutor")).isNotInstanceOf(TaskExecutorAdapter.class);
        });
    }

    @Test
    void closingTheContextLetsRunningTasksEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        GreenPool[] seen = new GreenPool[1];
        runner.withPropertyValues("tidepool.green-pool.size=1").run(context -> {
            ConfigurableApplicationContext application = (ConfigurableApplicationContext) context.getSourceApplicationContext();
            CountDownLatch closeStarted = closeStarted(application);
            GreenPool pool = context.getBean(GreenPool.class);
            seen[0] = pool;
            pool.execute(() -> {
                started.countDown();
                // In flight when the context closes: it ends only once the close has begun.
                try {
                    finished.set(closeStarted.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        });
        assertThat(finished).isTrue();
        assertThat(seen[0].isTerminated()).isTrue();
    }

    /** Opens when the context starts closing: it publishes ContextClosedEvent before it destroys any bean. */
    private static CountDownLatch closeStarted(ConfigurableApplicationContext application) {
        CountDownLatch latch = new CountDownLatch(1);
        application.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> latch.countDown());
        return latch;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncWork {
        @Bean
        Worker worker() {
            return new Worker();
        }
    }

    static class Worker {
        @Async
        public Future<Boolean[]> whereAmI(GreenPool pool) {
            return CompletableFuture.completedFuture(
                    new Boolean[] {Thread.currentThread().isVirtual(), pool.running() == 1});
        }
    }
}
