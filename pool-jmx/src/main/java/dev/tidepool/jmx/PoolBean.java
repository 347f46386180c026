package dev.tidepool.jmx;

import dev.tidepool.core.PoolListener;
import dev.tidepool.core.ResourcePool;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * What the three MXBean implementations share: their ObjectName, the descriptions JConsole shows,
 * and the rate-limited notifications made from a pool's {@link PoolListener} events.
 */
abstract class PoolBean extends NotificationBroadcasterSupport {
    /**
     * Listeners hear notifications on a virtual thread of their own: the pool fires its events in
     * the borrower's thread and asks for quick, non-blocking callbacks, while a JMX listener may
     * be anything (a connector's buffer, a user's handler that logs or pages someone).
     */
    private static final Executor DELIVERY = task -> Thread.ofVirtual().name("tidepool-jmx-notification").start(task);

    static final CompositeType TIMEOUT_DATA = compositeType(TidepoolMBeans.TIMEOUT_NOTIFICATION,
            "A caller gave up waiting",
            new String[] {"pool", "waitedMillis", "suppressed"},
            new String[] {"the pool's name", "how long the caller waited, in milliseconds",
                "timeouts not notified since the previous notification of this type (rate limit)"},
            new OpenType<?>[] {SimpleType.STRING, SimpleType.LONG, SimpleType.LONG});
    static final CompositeType EXHAUSTED_DATA = compositeType(TidepoolMBeans.EXHAUSTED_NOTIFICATION,
            "A caller found nothing free and waits",
            new String[] {"pool", "suppressed"},
            new String[] {"the pool's name",
                "exhaustions not notified since the previous notification of this type (rate limit)"},
            new OpenType<?>[] {SimpleType.STRING, SimpleType.LONG});

    private final ObjectName objectName;
    private final String poolName;
    private final AtomicLong sequence = new AtomicLong();
    private final Throttle timeouts;
    private final Throttle exhaustions;

    PoolBean(ObjectName objectName, String poolName, NotificationPolicy policy) {
        super(DELIVERY, notificationInfo());
        this.objectName = objectName;
        this.poolName = poolName;
        this.timeouts = new Throttle(policy);
        this.exhaustions = new Throttle(policy);
    }

    private static MBeanNotificationInfo[] notificationInfo() {
        return new MBeanNotificationInfo[] {
            new MBeanNotificationInfo(new String[] {TidepoolMBeans.TIMEOUT_NOTIFICATION}, Notification.class.getName(),
                    "A caller gave up waiting for the pool. At most one per pool per interval (default 1 s); "
                            + "userData (CompositeData) holds pool, waitedMillis and suppressed, the number "
                            + "not sent since the previous one"),
            new MBeanNotificationInfo(new String[] {TidepoolMBeans.EXHAUSTED_NOTIFICATION}, Notification.class.getName(),
                    "The pool ran dry: a caller found nothing free and waits. At most one per pool per interval "
                            + "(default 1 s); userData (CompositeData) holds pool and suppressed, the number not "
                            + "sent since the previous one"),
        };
    }

    /** The MXBean interface this bean implements. */
    abstract Class<?> mxbeanInterface();

    /** What JConsole shows for an attribute or operation of this bean; keyed by its JMX name. */
    abstract Map<String, String> descriptions();

    /** The name of an operation's parameter, instead of JMX's {@code p0}. */
    abstract String parameterName(String operation, int index);

    /** A short picture of the pool for notification messages, e.g. {@code "size 4 of 4, waiting 2"}. */
    abstract String state();

    final ObjectName objectName() {
        return objectName;
    }

    final String poolName() {
        return poolName;
    }

    /**
     * The events this bean turns into notifications. Closing is the {@link Registration}'s to
     * handle, so {@code closed} is left to it.
     */
    final void exhausted() {
        long suppressed = exhaustions.tryPass();
        if (suppressed < 0) {
            return;
        }
        Notification notification = notification(TidepoolMBeans.EXHAUSTED_NOTIFICATION,
                "pool " + poolName + " is exhausted: a caller found nothing free and waits (" + state() + ")"
                        + suppressedNote(suppressed, "exhaustion"));
        notification.setUserData(composite(EXHAUSTED_DATA, Map.of("pool", poolName, "suppressed", suppressed)));
        sendNotification(notification);
    }

    final void timedOut(Duration waited) {
        long suppressed = timeouts.tryPass();
        if (suppressed < 0) {
            return;
        }
        long waitedMillis = waited.toMillis();
        Notification notification = notification(TidepoolMBeans.TIMEOUT_NOTIFICATION,
                "pool " + poolName + ": a caller gave up after waiting " + waitedMillis + " ms (" + state() + ")"
                        + suppressedNote(suppressed, "timeout"));
        notification.setUserData(composite(TIMEOUT_DATA,
                Map.of("pool", poolName, "waitedMillis", waitedMillis, "suppressed", suppressed)));
        sendNotification(notification);
    }

    private Notification notification(String type, String message) {
        return new Notification(type, objectName, sequence.incrementAndGet(), System.currentTimeMillis(), message);
    }

    private static String suppressedNote(long suppressed, String what) {
        return suppressed == 0 ? ""
                : "; " + suppressed + " more " + what + (suppressed == 1 ? "" : "s")
                        + " since the previous notification, held back by the rate limit";
    }

    // ---------------------------------------------------------------- wait-time figures

    /**
     * Mean wait over borrows that succeeded or timed out: a borrow served at once waited 0, and one
     * that timed out waited too, so both belong in the denominator.
     */
    /**
     * A written {@code Fairness} value, never null: a JMX client that writes null (a cleared field
     * in a console) hears {@link IllegalArgumentException} like for any other bad value.
     */
    static String fairnessText(String written) {
        if (written == null) {
            throw new IllegalArgumentException("Fairness must be STRICT, BOUNDED or BOUNDED(<n>ms), was null");
        }
        return written;
    }

    static double meanWaitMillis(ResourcePool.Stats stats) {
        long borrows = stats.borrowCount() + stats.timeoutCount();
        return borrows == 0 ? 0.0 : stats.totalWaitNanos() / (double) borrows / 1_000_000.0;
    }

    static long maxWaitMillis(ResourcePool.Stats stats) {
        return TimeUnit.NANOSECONDS.toMillis(stats.maxWaitNanos());
    }

    // ---------------------------------------------------------------- helpers

    private static CompositeType compositeType(String name, String description, String[] items,
                                               String[] itemDescriptions, OpenType<?>[] types) {
        try {
            return new CompositeType(name, description, items, itemDescriptions, types);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static CompositeData composite(CompositeType type, Map<String, ?> items) {
        try {
            return new CompositeDataSupport(type, items);
        } catch (OpenDataException e) {
            throw new IllegalStateException("notification data does not match " + type.getTypeName(), e);
        }
    }

    /**
     * At most one event per interval passes; the ones held back in between are counted and handed
     * to the next one that passes. Lock-free: events fire in borrower threads, often virtual ones.
     */
    static final class Throttle {
        private final long intervalNanos;
        private final LongSupplier clock;
        /** The clock reading from which the next event may pass. */
        private final AtomicLong nextPass;
        private final AtomicLong suppressed = new AtomicLong();

        Throttle(NotificationPolicy policy) {
            this.intervalNanos = policy.intervalNanos();
            this.clock = policy.nanoClock();
            this.nextPass = new AtomicLong(clock.getAsLong());
        }

        /** The number held back since the last event that passed, or -1 if this one is held back. */
        long tryPass() {
            long now = clock.getAsLong();
            long next = nextPass.get();
            if (now - next >= 0 && nextPass.compareAndSet(next, now + intervalNanos)) {
                return suppressed.getAndSet(0);
            }
            suppressed.incrementAndGet();
            return -1;
        }
    }
}
