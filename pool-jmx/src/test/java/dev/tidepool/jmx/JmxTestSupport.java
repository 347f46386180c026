package dev.tidepool.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Reading and writing beans the way a JMX client does: by ObjectName, through a connection. */
final class JmxTestSupport {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    /** The types JConsole shows and edits in place. */
    static final Set<String> OPEN_SIMPLE_TYPES = Set.of("int", "long", "double", "boolean", "java.lang.String");

    private static final AtomicInteger NAMES = new AtomicInteger();

    private JmxTestSupport() {
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** A pool name no other test uses, so the tests never meet on the platform MBeanServer. */
    static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    static Object get(MBeanServerConnection server, ObjectName name, String attribute) throws Exception {
        return server.getAttribute(name, attribute);
    }

    static void set(MBeanServerConnection server, ObjectName name, String attribute, Object value) throws Exception {
        server.setAttribute(name, new Attribute(attribute, value));
    }

    /** Every attribute the bean declares, read through the connection, by name. */
    static Map<String, Object> readAll(MBeanServerConnection server, ObjectName name) throws Exception {
        MBeanAttributeInfo[] infos = server.getMBeanInfo(name).getAttributes();
        Map<String, Object> values = new TreeMap<>();
        for (MBeanAttributeInfo info : infos) {
            values.put(info.getName(), server.getAttribute(name, info.getName()));
        }
        return values;
    }

    /** Attribute name to "type, r or rw". */
    static Map<String, String> attributeShapes(MBeanServerConnection server, ObjectName name) throws Exception {
        return Arrays.stream(server.getMBeanInfo(name).getAttributes())
                .collect(Collectors.toMap(MBeanAttributeInfo::getName,
                        a -> a.getType() + (a.isWritable() ? " rw" : " r"), (a, b) -> a, TreeMap::new));
    }

    static void assertAllOpenSimpleTypes(MBeanServerConnection server, ObjectName name) throws Exception {
        for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
            assertThat(OPEN_SIMPLE_TYPES).as("type of %s", info.getName()).contains(info.getType());
            // An MXBean describes each attribute's open type; JConsole edits simple ones in place.
            assertThat(info.getDescriptor().getFieldValue("openType")).as("open type of %s", info.getName())
                    .isNotNull();
        }
    }

    /** Notifications heard on a connection, in arrival order (which is not sending order). */
    static final class Heard implements NotificationListener {
        final List<Notification> all = new CopyOnWriteArrayList<>();

        @Override
        public void handleNotification(Notification notification, Object handback) {
            all.add(notification);
        }

        List<Notification> ofType(String type) {
            return all.stream().filter(n -> n.getType().equals(type)).toList();
        }

        /** Whether every notification numbered 1 to {@code last} has arrived (and none beyond). */
        boolean hasExactlySequence(long last) {
            Set<Long> seen = all.stream().map(Notification::getSequenceNumber).collect(Collectors.toSet());
            return seen.size() == all.size() && seen.size() == last
                    && seen.stream().allMatch(s -> s >= 1 && s <= last);
        }

        static long suppressed(Notification n) {
            return (Long) ((CompositeData) n.getUserData()).get("suppressed");
        }
    }

    /** A clock the test moves by hand, for the notification rate limit. */
    static final class ManualClock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        long read() {
            return nanos.get();
        }

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        NotificationPolicy policy(Duration interval) {
            return new NotificationPolicy(interval.toNanos(), this::read);
        }
    }
}
