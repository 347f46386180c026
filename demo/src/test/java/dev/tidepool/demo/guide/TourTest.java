package dev.tidepool.demo.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.Lease;
import dev.tidepool.core.MapIterator;
import dev.tidepool.core.Order;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jmx.Registration;
import dev.tidepool.jmx.TidepoolMBeans;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The code of the user guide, compiled and run: docs/index.md (the five-minute tour) and
 * docs/migrating-from-hikaricp.md show the regions between {@code // guide:NAME} and
 * {@code // end}, word for word ({@link GuideSnippetsTest} checks that they still match).
 */
class TourTest {
    @Test
    void resourcePool() throws Exception {
        // guide:resource-pool
        ResourcePool<StringBuilder> buffers = ResourcePool.builder(StringBuilder::new)
                .minSize(1).maxSize(4).order(Order.STACK)
                .name("buffers")
                .build();

        try (Lease<StringBuilder> lease = buffers.item(Duration.ofSeconds(1))) {
            lease.get().append("hello");      // the item is yours until the lease closes
        }
        buffers.resize(8);                    // live: callers waiting now get new items at once
        System.out.println(buffers.size() + " made, " + buffers.free() + " free");
        buffers.close();
        // end
        assertThat(buffers.maxSize()).isEqualTo(8);
    }

    @Test
    void greenPool() throws Exception {
        // guide:green-pool
        GreenPool workers = new GreenPool(100, "workers");        // at most 100 tasks at once
        List<Integer> lengths = new CopyOnWriteArrayList<>();
        for (String word : List.of("tide", "pool", "green", "thread")) {
            workers.spawnN(() -> lengths.add(word.length()));      // blocks while 100 are running
        }
        workers.waitAll();

        List<Integer> squares = new ArrayList<>();
        try (MapIterator<Integer> results = workers.imap((Integer n) -> n * n, List.of(1, 2, 3))) {
            for (int square : results) {                           // 1, 4, 9: in input order
                squares.add(square);
            }
        }
        workers.shutdown();
        // end
        assertThat(lengths).containsExactlyInAnyOrder(4, 4, 5, 6);
        assertThat(squares).containsExactly(1, 4, 9);
    }

    @Test
    void dataSource() throws Exception {
        // guide:data-source
        TidepoolConfig config = new TidepoolConfig();              // HikariConfig's names and defaults
        config.setJdbcUrl("jdbc:h2:mem:tour;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setPoolName("tour-db");
        config.setRegisterMbeans(true);                            // dev.tidepool:type=DataSource,name=tour-db

        try (TidepoolDataSource dataSource = new TidepoolDataSource(config)) {
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 1_000; i++) {                  // 1,000 threads, 10 connections:
                    threads.submit(() -> {                         // each waits its turn, nobody starves
                        try (Connection connection = dataSource.getConnection();
                             Statement statement = connection.createStatement()) {
                            statement.execute("select 1");
                        }
                        return null;
                    });
                }
            }
            dataSource.resize(4);                                  // live: idle connections beyond 4 close now
            System.out.println(dataSource.getTotalConnections() + " connections open");
        }
        // end
        assertThat(config.getMaximumPoolSize()).isEqualTo(10);
    }

    @Test
    void jmx() throws Exception {
        // guide:jmx
        GreenPool crawlers = new GreenPool(50, "crawlers");
        Registration bean = TidepoolMBeans.register(crawlers);    // dev.tidepool:type=GreenPool,name=crawlers
        System.out.println("resize it from JConsole: " + bean.objectName());
        crawlers.shutdown();                                       // the bean goes with the pool
        // end
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(bean.objectName())).isFalse();
    }

    @Test
    void switchFromHikariCp() throws Exception {
        String jdbcUrl = "jdbc:h2:mem:migrate";
        String password = "";
        // guide:switch
        TidepoolConfig config = new TidepoolConfig();          // was: HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("sa");
        config.setPassword(password);
        config.setMaximumPoolSize(20);
        config.setConnectionTimeout(5_000);
        DataSource dataSource = new TidepoolDataSource(config);  // was: new HikariDataSource(config);
        // end
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
        ((TidepoolDataSource) dataSource).close();
    }
}
