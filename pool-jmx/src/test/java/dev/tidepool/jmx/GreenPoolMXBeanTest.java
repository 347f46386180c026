package dev.tidepool.jmx;

import static dev.tidepool.jmx.JmxTestSupport.SERVER;
import static dev.tidepool.jmx.JmxTestSupport.await;
import static dev.tidepool.jmx.JmxTestSupport.get;
import static dev.tidepool.jmx.JmxTestSupport.set;
import static dev.tidepool.jmx.JmxTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.PoolFullException;
import dev.tidepool.jmx.JmxTestSupport.Heard;
import dev.tidepool.jmx.JmxTestSupport.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanOperationInfo;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link GreenPoolMXBean}, read and written through the platform MBeanServer as a client would. */
@Timeout(120)
class GreenPoolMXBeanTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private GreenPool pool;

    @AfterEach
    void stopPool() throws InterruptedException {
        release.countDown();
        if (pool != null) {
            pool.shutdownNow();
            pool.join(JmxTestSupport.WAIT);
        }
    }

    private GreenPool pool(String name, int size) {
        pool = new GreenPool(size, name);
        return pool;
    }

    /** A task that runs until the test lets it go. */
    private Object blockUntilReleased() throws InterruptedException {
        release.await();
        return null;
    }

    @Test
    void registersUnderTheApiNameWithExactlyTheApiAttributesAllOpenTypes() throws Exception {
        GreenPool p = pool(uniqueName("gp-shape"), 3);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = new ObjectName("dev.tidepool:type=GreenPool,name=" + p.name());
            assertThat(registration.objectName()).isEqualTo(name);
            assertThat(JmxTestSupport.attributeShapes(SERVER, name)).containsExactly(
                    entry("CompletedCount", "long r"),
                    entry("FailedCount", "long r"),
                    entry("Free", "int r"),
                    entry("Running", "int r"),
                    entry("Size", "int rw"),
                    entry("SpawnedCount", "long r"),
                    entry("Waiting", "int r"));
            JmxTestSupport.assertAllOpenSimpleTypes(SERVER, name);
            MBeanOperationInfo[] operations = SERVER.getMBeanInfo(name).getOperations();
            assertThat(operations).extracting(MBeanOperationInfo::getName).containsExactly("resize");
            assertThat(operations[0].getSignature()[0].getName()).isEqualTo("newSize");
        }
    }

    @Test
    void everyAttributeReadThroughTheServerMatchesThePool() throws Exception {
        GreenPool p = pool(uniqueName("gp-read"), 3);
        p.spawn(() -> {
            throw new IllegalStateException("expected by the test");
        });
        p.spawn(() -> 42);
        p.waitAll();
        p.spawn(this::blockUntilReleased);
        try (Registration registration = TidepoolMBeans.register(p)) {
            Map<String, Object> values = JmxTestSupport.readAll(SERVER, registration.objectName());

            assertThat(values).containsOnly(
                    entry("Size", 3),
                    entry("Running", 1),
                    entry("Free", 2),
                    entry("Waiting", 0),
                    entry("SpawnedCount", 3L),
                    entry("CompletedCount", 2L),
                    entry("FailedCount", 1L));
        }
    }

    @Test
    void writingSizeResizesTheLivePoolAndGrowingWakesABlockedSpawner() throws Exception {
        GreenPool p = pool(uniqueName("gp-write"), 1);
        p.spawn(this::blockUntilReleased);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = registration.objectName();
            CountDownLatch secondRan = new CountDownLatch(1);
            Thread spawner = Thread.ofVirtual().start(() -> {
                try {
                    p.spawn(() -> {
                        secondRan.countDown();
                        return blockUntilReleased();
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().until(() -> get(SERVER, name, "Waiting").equals(1));

            set(SERVER, name, "Size", 2);

            assertThat(secondRan.await(JmxTestSupport.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(p.size()).isEqualTo(2);
            assertThat(get(SERVER, name, "Running")).isEqualTo(2);
            assertThat(get(SERVER, name, "Free")).isEqualTo(0);
            spawner.join(JmxTestSupport.WAIT);

            // Shrinking below Running: Free goes negative until tasks end.
            SERVER.invoke(name, "resize", new Object[] {1}, new String[] {"int"});
            assertThat(p.size()).isEqualTo(1);
            assertThat(get(SERVER, name, "Free")).isEqualTo(-1);

            JMX.newMXBeanProxy(SERVER, name, GreenPoolMXBean.class).setSize(5);
            assertThat(p.size()).isEqualTo(5);
        }
    }

    @Test
    void aNegativeSizeReachesTheClientAsIllegalArgumentAndChangesNothing() throws Exception {
        GreenPool p = pool(uniqueName("gp-bad"), 4);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = registration.objectName();

            assertThatThrownBy(() -> set(SERVER, name, "Size", -1))
                    .isInstanceOf(RuntimeMBeanException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> SERVER.invoke(name, "resize", new Object[] {-2}, new String[] {"int"}))
                    .isInstanceOf(RuntimeMBeanException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
            assertThatThrownBy(() -> JMX.newMXBeanProxy(SERVER, name, GreenPoolMXBean.class).setSize(-3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");

            assertThat(p.size()).isEqualTo(4);
            assertThat(get(SERVER, name, "Size")).isEqualTo(4);
        }
    }

    @Test
    void shuttingThePoolDownUnregistersTheBean() throws Exception {
        GreenPool p = pool(uniqueName("gp-close"), 2);
        Registration registration = TidepoolMBeans.register(p);

        p.close();   // ExecutorService.close(): shutdown, then wait

        assertThat(SERVER.isRegistered(registration.objectName())).isFalse();
        assertThat(registration.isRegistered()).isFalse();
        assertThatThrownBy(() -> TidepoolMBeans.register(p)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingTheRegistrationUnregistersWhileThePoolGoesOn() throws Exception {
        GreenPool p = pool(uniqueName("gp-unreg"), 2);
        Registration registration = TidepoolMBeans.register(p);

        registration.close();
        registration.close();

        assertThat(SERVER.isRegistered(registration.objectName())).isFalse();
        assertThat(p.spawn(() -> 7).join()).isEqualTo(7);
    }

    @Test
    void aSecondPoolWithTheSameNameIsRefused() throws Exception {
        String shared = uniqueName("gp-dup");
        GreenPool first = pool(shared, 2);
        GreenPool second = new GreenPool(9, shared);
        try (Registration registration = TidepoolMBeans.register(first)) {
            assertThatThrownBy(() -> TidepoolMBeans.register(second))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("dev.tidepool:type=GreenPool,name=" + shared);
            assertThat(get(SERVER, registration.objectName(), "Size")).isEqualTo(2);
        } finally {
            second.shutdown();
        }
    }

    @Test
    void aTimedSpawnThatGivesUpIsNotifiedRateLimited() throws Exception {
        ManualClock clock = new ManualClock();
        GreenPool p = pool(uniqueName("gp-notify"), 1);
        p.spawn(this::blockUntilReleased);
        Heard heard = new Heard();
        try (Registration registration = TidepoolMBeans.register(p, clock.policy(Duration.ofSeconds(1)))) {
            SERVER.addNotificationListener(registration.objectName(), heard, null, null);

            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> p.spawn(() -> 1, Duration.ofMillis(1))).isInstanceOf(PoolFullException.class);
            }
            await().until(() -> heard.hasExactlySequence(2));
            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> p.spawn(() -> 1, Duration.ofMillis(1))).isInstanceOf(PoolFullException.class);
            await().until(() -> heard.hasExactlySequence(4));

            assertThat(heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION)).extracting(Heard::suppressed)
                    .containsExactlyInAnyOrder(0L, 1L);
            assertThat(heard.ofType(TidepoolMBeans.EXHAUSTED_NOTIFICATION)).extracting(Heard::suppressed)
                    .containsExactlyInAnyOrder(0L, 1L);
            Notification timeout = heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION).get(0);
            assertThat(timeout.getMessage()).contains(p.name()).contains("running 1");
            assertThat(((CompositeData) timeout.getUserData()).get("pool")).isEqualTo(p.name());
        }
    }
}
