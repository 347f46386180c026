package dev.tidepool.demo;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.Lease;
import dev.tidepool.core.MapIterator;
import dev.tidepool.core.Order;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Tidepool's runnable demo: 1,000 virtual threads share a pool of 8 "connections", the pool is
 * resized while they run, and at the end every thread has been served and nothing leaked; then a
 * {@link GreenPool} maps over 100,000 inputs with at most 50 tasks at once; then 1,000 virtual
 * threads run transactions through a {@link TidepoolDataSource} of 10 connections to H2 in memory.
 *
 * <p>Run it with {@code ./mvnw -q -pl demo -am package exec:exec -DskipTests}.
 */
public final class Demo {
    private static final int THREADS = 1_000;
    private static final int ROUNDS = 20;

    private Demo() {
    }

    /** A stand-in for an expensive resource, numbered in creation order. */
    record FakeConnection(int id) {
    }

    public static void main(String[] args) throws Exception {
        AtomicInteger ids = new AtomicInteger();
        ResourcePool<FakeConnection> pool = ResourcePool
                .<FakeConnection>builder(() -> new FakeConnection(ids.incrementAndGet()))
                .minSize(2).maxSize(8).order(Order.STACK).name("demo").build();
        System.out.printf("pool %s: min %d, max %d, %d items made at start%n",
                pool.name(), pool.minSize(), pool.maxSize(), pool.size());

        AtomicInteger served = new AtomicInteger();
        AtomicLong worstWaitNanos = new AtomicLong();
        CountDownLatch done = new CountDownLatch(THREADS);
        long start = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < THREADS; t++) {
                threads.submit(() -> {
                    try {
                        for (int round = 0; round < ROUNDS; round++) {
                            long asked = System.nanoTime();
                            try (Lease<FakeConnection> lease = pool.item(Duration.ofSeconds(30))) {
                                worstWaitNanos.accumulateAndGet(System.nanoTime() - asked, Math::max);
                                lease.get();
                                Thread.yield(); // "use" the connection; other threads queue meanwhile
                            }
                        }
                        served.incrementAndGet();
                    } catch (Exception e) {
                        System.out.println("a thread failed: " + e);
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            // Resize live while 1,000 threads compete: grow to 16, then shrink back to 4.
            pool.resize(16);
            System.out.printf("resized to %d while %d threads wait%n", pool.maxSize(), pool.waiting());
            pool.resize(4);
            System.out.printf("resized to %d; items over it are disposed as they come back%n", pool.maxSize());
            done.await();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        ResourcePool.Stats stats = pool.stats();
        System.out.printf("%d of %d virtual threads served %d times each in %d ms (worst wait %d ms)%n",
                served.get(), THREADS, ROUNDS, millis, worstWaitNanos.get() / 1_000_000);
        System.out.printf("borrows %d, created %d, disposed %d, size %d/%d, free %d, waiting %d%n",
                stats.borrowCount(), stats.createdCount(), stats.disposedCount(),
                pool.size(), pool.maxSize(), pool.free(), pool.waiting());
        boolean poolOk = served.get() == THREADS && pool.free() == pool.maxSize();
        pool.close();

        boolean greenOk = greenPoolTour();
        boolean jdbcOk = jdbcTour();
        if (!poolOk || !greenOk || !jdbcOk) {
            System.out.println("DEMO FAILED");
            System.exit(1);
        }
        System.out.println("every thread served, nothing leaked, pools closed");
    }

    /** GreenPool: a bounded imap over 100,000 inputs, in order, with at most 50 tasks at once. */
    private static boolean greenPoolTour() throws InterruptedException {
        GreenPool green = new GreenPool(50);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        long sum = 0;
        int expected = 0;
        boolean inOrder = true;
        Iterable<Integer> inputs = () -> IntStream.range(0, 100_000).iterator();
        try (MapIterator<Integer> results = green.imap((Integer n) -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.yield();
                return n;
            } finally {
                running.decrementAndGet();
            }
        }, inputs)) {
            for (int n : results) {
                inOrder &= n == expected++;
                sum += n;
            }
        }
        green.waitAll();
        System.out.printf("green pool %s: imap over %d inputs, in order: %b, at most %d tasks at once (size %d), sum %d%n",
                green.name(), expected, inOrder, mostRunning.get(), green.size(), sum);
        green.close();
        return inOrder && expected == 100_000 && mostRunning.get() <= green.size();
    }

    /**
     * TidepoolDataSource: 1,000 virtual threads, 10 connections, each thread moves money between
     * two accounts in a transaction five times; the total never changes, every thread is served,
     * and the pool is shrunk live to 4 connections on the way.
     */
    private static boolean jdbcTour() throws Exception {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl("jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(60_000);
        config.setPoolName("demo-db");
        try (TidepoolDataSource db = new TidepoolDataSource(config)) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table account (id int primary key, balance bigint)");
                s.execute("insert into account select x, 1000 from system_range(1, 100)");
            }
            AtomicInteger served = new AtomicInteger();
            long start = System.nanoTime();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < THREADS; t++) {
                    int from = 1 + t % 100;
                    int to = 1 + (t * 7 + 3) % 100;
                    threads.submit(() -> {
                        try {
                            for (int round = 0; round < 5; round++) {
                                transfer(db, from, to, 1);
                            }
                            served.incrementAndGet();
                        } catch (Exception e) {
                            System.out.println("a transfer failed: " + e);
                        }
                    });
                }
                while (db.getThreadsAwaitingConnection() == 0 && served.get() < THREADS) {
                    Thread.yield(); // shrink once threads are queueing, to show it is live
                }
                db.resize(4);
                System.out.printf("data source %s resized to %d while %d threads wait for a connection%n",
                        db.getPoolName(), db.getMaximumPoolSize(), db.getThreadsAwaitingConnection());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long total;
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select sum(balance) from account")) {
                rs.next();
                total = rs.getLong(1);
            }
            ResourcePool.Stats stats = db.stats();
            System.out.printf("data source %s: %d of %d threads served in %d ms, %d borrows, %d timeouts, "
                            + "connections %d (max %d), total balance %d%n",
                    db.getPoolName(), served.get(), THREADS, millis, stats.borrowCount(), stats.timeoutCount(),
                    db.getTotalConnections(), db.getMaximumPoolSize(), total);
            return served.get() == THREADS && total == 100 * 1000 && db.getActiveConnections() == 0
                    && db.getTotalConnections() <= 4;
        }
    }

    private static void transfer(TidepoolDataSource db, int from, int to, long amount) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // the pool puts autoCommit back when the connection returns
            try (PreparedStatement debit = c.prepareStatement("update account set balance = balance - ? where id = ?");
                 PreparedStatement credit = c.prepareStatement("update account set balance = balance + ? where id = ?")) {
                debit.setLong(1, amount);
                debit.setInt(2, from);
                credit.setLong(1, amount);
                credit.setInt(2, to);
                // Rows are locked in id order, so two opposite transfers never deadlock.
                if (from < to) {
                    debit.executeUpdate();
                    credit.executeUpdate();
                } else {
                    credit.executeUpdate();
                    debit.executeUpdate();
                }
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }
}
