package dev.tidepool.jmx;

import static dev.tidepool.jmx.JmxTestSupport.SERVER;
import static dev.tidepool.jmx.JmxTestSupport.await;
import static dev.tidepool.jmx.JmxTestSupport.get;
import static dev.tidepool.jmx.JmxTestSupport.set;
import static dev.tidepool.jmx.JmxTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jmx.JmxTestSupport.Heard;
import dev.tidepool.jmx.JmxTestSupport.ManualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.management.JMX;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ResourcePoolMXBean}, read and written through the platform MBeanServer as a client would. */
@Timeout(120)
class ResourcePoolMXBeanTest {
    private ResourcePool<Object> pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    private ResourcePool<Object> pool(String name, int min, int max) {
        pool = ResourcePool.builder(Object::new).minSize(min).maxSize(max).name(name).build();
        return pool;
    }

    /** A {@code get()} in a virtual thread, once the bean counts it as the only waiter. */
    private static CompletableFuture<Object> queuedBorrower(ResourcePool<Object> p, ObjectName name) {
        CompletableFuture<Object> borrower = CompletableFuture.supplyAsync(() -> {
            try {
                return p.get(JmxTestSupport.WAIT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
        await().until(() -> get(SERVER, name, "Waiting").equals(1));
        return borrower;
    }

    @Test
    void registersUnderTheApiNameWithExactlyTheApiAttributesAllOpenTypes() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-shape"), 1, 4);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = new ObjectName("dev.tidepool:type=ResourcePool,name=" + p.name());
            assertThat(registration.objectName()).isEqualTo(name);
            assertThat(SERVER.isRegistered(name)).isTrue();
            assertThat(JMX.isMXBeanInterface(ResourcePoolMXBean.class)).isTrue();

            assertThat(JmxTestSupport.attributeShapes(SERVER, name)).containsExactly(
                    entry("BorrowCount", "long r"),
                    entry("CreatedCount", "long r"),
                    entry("DisposedCount", "long r"),
                    entry("Fairness", "java.lang.String rw"),
                    entry("Free", "int r"),
                    entry("Idle", "int r"),
                    entry("InUse", "int r"),
                    entry("MaxSize", "int rw"),
                    entry("MaxWaitMillis", "long r"),
                    entry("MeanWaitMillis", "double r"),
                    entry("MinSize", "int r"),
                    entry("Size", "int r"),
                    entry("TimeoutCount", "long r"),
                    entry("Waiting", "int r"));
            JmxTestSupport.assertAllOpenSimpleTypes(SERVER, name);

            MBeanInfo info = SERVER.getMBeanInfo(name);
            assertThat(info.getOperations()).extracting(MBeanOperationInfo::getName).containsExactly("resize");
            MBeanOperationInfo resize = info.getOperations()[0];
            assertThat(resize.getSignature()).hasSize(1);
            assertThat(resize.getSignature()[0].getType()).isEqualTo("int");
            assertThat(resize.getSignature()[0].getName()).isEqualTo("newMaxSize");
            assertThat(info.getAttributes()).allSatisfy(a -> assertThat(a.getDescription())
                    .as("JConsole shows a description of %s", a.getName())
                    .doesNotContain("exposed for management").isNotBlank());
            assertThat(info.getDescription()).contains(p.name());
        }
    }

    @Test
    void everyAttributeReadThroughTheServerMatchesThePool() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-read"), 1, 2);
        Object held = p.get();
        Object other = p.get();
        assertThatThrownBy(() -> p.get(Duration.ofMillis(5))).isInstanceOf(TimeoutException.class);
        p.put(other);
        try (Registration registration = TidepoolMBeans.register(p)) {
            Map<String, Object> values = JmxTestSupport.readAll(SERVER, registration.objectName());
            ResourcePool.Stats stats = p.stats();

            assertThat(values).containsEntry("MaxSize", 2)
                    .containsEntry("MinSize", 1)
                    .containsEntry("Size", 2)
                    .containsEntry("Free", 1)
                    .containsEntry("Idle", 1)
                    .containsEntry("InUse", 1)
                    .containsEntry("Waiting", 0)
                    .containsEntry("CreatedCount", stats.createdCount())
                    .containsEntry("DisposedCount", stats.disposedCount())
                    .containsEntry("TimeoutCount", 1L)
                    .containsEntry("BorrowCount", 2L)
                    .containsEntry("MaxWaitMillis", stats.maxWaitNanos() / 1_000_000)
                    .containsEntry("Fairness", "STRICT");
            assertThat(values).hasSize(14);
            assertThat((Long) values.get("MaxWaitMillis")).isGreaterThanOrEqualTo(5);
            // Two borrows and one timeout; only the timeout waited.
            double mean = stats.totalWaitNanos() / 3.0 / 1e6;
            assertThat((Double) values.get("MeanWaitMillis")).isEqualTo(mean).isPositive();
        } finally {
            p.put(held);
        }
    }

    @Test
    void writingMaxSizeShrinksTheLivePoolAtOnceAndGrowingWakesAWaiter() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-write"), 0, 4);
        List<Object> four = List.of(p.get(), p.get(), p.get(), p.get());
        four.forEach(p::put);
        assertThat(p.idle()).isEqualTo(4);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = registration.objectName();

            set(SERVER, name, "MaxSize", 2);

            // At once: no waiting for a borrower to come by.
            assertThat(p.maxSize()).isEqualTo(2);
            assertThat(p.size()).isEqualTo(2);
            assertThat(get(SERVER, name, "Size")).isEqualTo(2);
            assertThat(get(SERVER, name, "Idle")).isEqualTo(2);
            assertThat(get(SERVER, name, "MaxSize")).isEqualTo(2);
            assertThat(get(SERVER, name, "DisposedCount")).isEqualTo(2L);

            // Take both, then a third caller waits; the resize operation lets it in.
            Object a = p.get();
            Object b = p.get();
            CompletableFuture<Object> third = queuedBorrower(p, name);

            SERVER.invoke(name, "resize", new Object[] {3}, new String[] {"int"});

            assertThat(third.get(JmxTestSupport.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            assertThat(get(SERVER, name, "MaxSize")).isEqualTo(3);
            assertThat(get(SERVER, name, "InUse")).isEqualTo(3);
            p.put(a);
            p.put(b);
            p.put(third.join());

            // And through a typed proxy, as a Java client would.
            ResourcePoolMXBean proxy = JMX.newMXBeanProxy(SERVER, name, ResourcePoolMXBean.class);
            proxy.setMaxSize(5);
            assertThat(p.maxSize()).isEqualTo(5);
            assertThat(proxy.getSize()).isEqualTo(3);
        }
    }

    @Test
    void writingFairnessChangesWhoIsServedFirstLive() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-fairness"), 0, 1);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = registration.objectName();
            Object only = p.get();
            CompletableFuture<Object> waiter = queuedBorrower(p, name);

            set(SERVER, name, "Fairness", "bounded(3600s)");
            assertThat(p.fairness()).isEqualTo(Fairness.bounded(Duration.ofHours(1)));
            assertThat(get(SERVER, name, "Fairness")).isEqualTo("BOUNDED(3600s)");
            p.put(only);   // kept for barging: the waiter has waited far less than an hour
            assertThat(p.get(Duration.ZERO)).isSameAs(only);
            assertThat(waiter).isNotDone();

            p.put(only);
            set(SERVER, name, "Fairness", "STRICT");   // hands what was kept to the waiter at once
            assertThat(waiter.get(JmxTestSupport.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isSameAs(only);
            assertThat(get(SERVER, name, "Fairness")).isEqualTo("STRICT");

            ResourcePoolMXBean proxy = JMX.newMXBeanProxy(SERVER, name, ResourcePoolMXBean.class);
            proxy.setFairness("BOUNDED(5ms)");
            assertThat(p.fairness()).isEqualTo(Fairness.bounded(Duration.ofMillis(5)));
            assertThat(proxy.getFairness()).isEqualTo("BOUNDED(5ms)");
            p.put(waiter.join());
        }
    }

    @Test
    void badWritesReachTheClientAsIllegalArgumentAndChangeNothing() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-bad"), 2, 4);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = registration.objectName();

            for (int bad : new int[] {-1, 1}) {   // negative; below MinSize 2
                assertThatThrownBy(() -> set(SERVER, name, "MaxSize", bad))
                        .isInstanceOf(RuntimeMBeanException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(p.name()).hasMessageContaining(String.valueOf(bad));
                assertThatThrownBy(() -> SERVER.invoke(name, "resize", new Object[] {bad}, new String[] {"int"}))
                        .isInstanceOf(RuntimeMBeanException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(String.valueOf(bad));
            }
            assertThatThrownBy(() -> SERVER.invoke(name, "resize", new Object[] {1}, new String[] {"int"}))
                    .cause().hasMessageContaining("below minSize 2");

            ResourcePoolMXBean proxy = JMX.newMXBeanProxy(SERVER, name, ResourcePoolMXBean.class);
            assertThatThrownBy(() -> proxy.setMaxSize(-3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-3");

            for (String bad : new String[] {"FAIR", "BOUNDED(0ms)", "BOUNDED(5)", ""}) {
                assertThatThrownBy(() -> set(SERVER, name, "Fairness", bad))
                        .isInstanceOf(RuntimeMBeanException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("'" + bad + "'");
            }
            assertThatThrownBy(() -> set(SERVER, name, "Fairness", null))
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was null");
            assertThatThrownBy(() -> proxy.setFairness("LIFO")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'LIFO'");
            assertThat(get(SERVER, name, "Fairness")).isEqualTo("STRICT");

            assertThat(p.maxSize()).isEqualTo(4);
            assertThat(p.size()).isEqualTo(2);
            assertThat(get(SERVER, name, "MaxSize")).isEqualTo(4);
            assertThat(get(SERVER, name, "Size")).isEqualTo(2);
            assertThat(get(SERVER, name, "DisposedCount")).isEqualTo(0L);
        }
    }

    @Test
    void closingThePoolUnregistersTheBean() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-close"), 0, 2);
        Registration registration = TidepoolMBeans.register(p);
        assertThat(SERVER.isRegistered(registration.objectName())).isTrue();

        p.close();

        assertThat(SERVER.isRegistered(registration.objectName())).isFalse();
        assertThat(registration.isRegistered()).isFalse();
        registration.close();   // nothing left to do, and no complaint
        assertThatThrownBy(() -> TidepoolMBeans.register(p)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingTheRegistrationUnregistersAndFreesTheNameWhileThePoolGoesOn() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-unreg"), 0, 2);
        Registration registration = TidepoolMBeans.register(p);
        ObjectName name = registration.objectName();

        registration.close();
        registration.close();

        assertThat(SERVER.isRegistered(name)).isFalse();
        assertThat(registration.isRegistered()).isFalse();
        p.put(p.get());   // the pool is untouched
        try (Registration again = TidepoolMBeans.register(p)) {
            assertThat(again.objectName()).isEqualTo(name);
            assertThat(SERVER.isRegistered(name)).isTrue();
        }
        assertThat(SERVER.isRegistered(name)).isFalse();
    }

    @Test
    void aClientUnregisteringTheBeanEndsTheRegistration() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-external"), 0, 2);
        Registration registration = TidepoolMBeans.register(p);

        SERVER.unregisterMBean(registration.objectName());

        assertThat(registration.isRegistered()).isFalse();
        // A new registration under the same name is not taken away by the old one, nor by the close.
        try (Registration second = TidepoolMBeans.register(p)) {
            registration.close();
            assertThat(SERVER.isRegistered(second.objectName())).isTrue();
        }
    }

    @Test
    void aSecondPoolWithTheSameNameIsRefusedAndTheFirstKeepsItsBean() throws Exception {
        String shared = uniqueName("rp-dup");
        ResourcePool<Object> first = pool(shared, 0, 3);
        ResourcePool<Object> second = ResourcePool.builder(Object::new).maxSize(7).name(shared).build();
        try (Registration registration = TidepoolMBeans.register(first)) {
            ObjectName name = registration.objectName();

            assertThatThrownBy(() -> TidepoolMBeans.register(second))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(name.toString())
                    .hasMessageContaining("already registered");

            assertThat(get(SERVER, name, "MaxSize")).isEqualTo(3);
            // The refused pool was not left listening: closing it does not touch the first's bean.
            second.close();
            assertThat(SERVER.isRegistered(name)).isTrue();
            assertThat(registration.isRegistered()).isTrue();
        }
    }

    @Test
    void namesWithSpecialCharactersAreQuotedAndPlainOnesAreNot() throws Exception {
        assertThat(TidepoolMBeans.resourcePoolName("ops").toString())
                .isEqualTo("dev.tidepool:type=ResourcePool,name=ops");
        assertThat(TidepoolMBeans.greenPoolName("web-workers.1").getKeyProperty("name")).isEqualTo("web-workers.1");
        for (String odd : new String[] {"a,b", "k=v", "host:5432", "say \"hi\"", "any*", "why?", "", "back\\slash",
            "two\nlines"}) {
            ObjectName name = TidepoolMBeans.dataSourceName(odd);
            assertThat(name.isPattern()).as(odd).isFalse();
            assertThat(name.getKeyPropertyList()).as(odd).hasSize(2);
            assertThat(ObjectName.unquote(name.getKeyProperty("name"))).as(odd).isEqualTo(odd);
        }

        String odd = uniqueName("db,primary");
        ResourcePool<Object> p = pool(odd, 0, 1);
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = new ObjectName("dev.tidepool:type=ResourcePool,name=" + ObjectName.quote(odd));
            assertThat(SERVER.isRegistered(name)).isTrue();
            assertThat(registration.objectName()).isEqualTo(name);
        }
    }

    @Test
    void timeoutsAndExhaustionAreNotifiedAtMostOncePerIntervalWithTheSuppressedCount() throws Exception {
        ManualClock clock = new ManualClock();
        ResourcePool<Object> p = pool(uniqueName("rp-notify"), 0, 1);
        Heard heard = new Heard();
        try (Registration registration = TidepoolMBeans.register(p, clock.policy(Duration.ofSeconds(1)))) {
            ObjectName name = registration.objectName();
            SERVER.addNotificationListener(name, heard, null, null);
            Object held = p.get();

            for (int i = 0; i < 3; i++) {   // a storm: three borrowers give up within one interval
                assertThatThrownBy(() -> p.get(Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
            }
            // Sent: exhausted #1 and timeout #2; the other two of each held back.
            await().until(() -> heard.hasExactlySequence(2));

            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> p.get(Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
            await().until(() -> heard.hasExactlySequence(4));
            p.put(held);

            List<Notification> timeouts = heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION);
            List<Notification> exhausted = heard.ofType(TidepoolMBeans.EXHAUSTED_NOTIFICATION);
            assertThat(timeouts).extracting(Heard::suppressed).containsExactlyInAnyOrder(0L, 2L);
            assertThat(exhausted).extracting(Heard::suppressed).containsExactlyInAnyOrder(0L, 2L);
            Notification carrying = timeouts.stream().filter(n -> Heard.suppressed(n) == 2).findFirst().orElseThrow();
            assertThat(carrying.getSource()).isEqualTo(name);
            assertThat(carrying.getMessage()).contains(p.name()).contains("2 more timeouts");
            CompositeData data = (CompositeData) carrying.getUserData();
            assertThat(data.get("pool")).isEqualTo(p.name());
            assertThat((Long) data.get("waitedMillis")).isGreaterThanOrEqualTo(1);
            assertThat(exhausted.get(0).getMessage()).contains("exhausted").contains("size 1 of max 1");
            // Every timeout is counted, notified or not.
            assertThat(get(SERVER, name, "TimeoutCount")).isEqualTo(4L);
        } finally {
            if (SERVER.isRegistered(TidepoolMBeans.resourcePoolName(p.name()))) {
                SERVER.removeNotificationListener(TidepoolMBeans.resourcePoolName(p.name()), heard);
            }
        }
    }

    @Test
    void withTheDefaultPolicyATimeoutReachesAListenerAndTheInfoDescribesBothTypes() throws Exception {
        ResourcePool<Object> p = pool(uniqueName("rp-notify-default"), 0, 1);
        Heard heard = new Heard();
        try (Registration registration = TidepoolMBeans.register(p)) {
            ObjectName name = registration.objectName();
            MBeanNotificationInfo[] infos = SERVER.getMBeanInfo(name).getNotifications();
            assertThat(Arrays.stream(infos).flatMap(i -> Arrays.stream(i.getNotifTypes())))
                    .containsExactlyInAnyOrder(TidepoolMBeans.TIMEOUT_NOTIFICATION, TidepoolMBeans.EXHAUSTED_NOTIFICATION);
            assertThat(infos).allSatisfy(i -> assertThat(i.getDescription()).contains("suppressed"));

            SERVER.addNotificationListener(name, heard, null, null);
            Object held = p.get();
            assertThatThrownBy(() -> p.get(Duration.ofMillis(2))).isInstanceOf(TimeoutException.class);
            p.put(held);

            await().until(() -> heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION).size() == 1);
            await().until(() -> heard.ofType(TidepoolMBeans.EXHAUSTED_NOTIFICATION).size() == 1);
        }
    }

    @Test
    void theThrottleLetsOnePassPerIntervalAndCountsTheRest() {
        ManualClock clock = new ManualClock();
        PoolBean.Throttle throttle = new PoolBean.Throttle(clock.policy(Duration.ofMillis(100)));

        assertThat(throttle.tryPass()).isZero();
        assertThat(throttle.tryPass()).isEqualTo(-1);
        assertThat(throttle.tryPass()).isEqualTo(-1);
        clock.advance(Duration.ofMillis(99));
        assertThat(throttle.tryPass()).isEqualTo(-1);
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.tryPass()).isEqualTo(3);
        clock.advance(Duration.ofMillis(500));
        assertThat(throttle.tryPass()).isZero();

        PoolBean.Throttle unlimited = new PoolBean.Throttle(clock.policy(Duration.ZERO));
        assertThat(unlimited.tryPass()).isZero();
        assertThat(unlimited.tryPass()).isZero();
    }
}
