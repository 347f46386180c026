package dev.tidepool.demo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import javax.management.ObjectName;

/**
 * Notices when a pool's size changes under the demo, and says so in the {@link EventLog}: the
 * demo itself never resizes anything, so every change came from a JMX client. The live view calls
 * {@link #check} once a second; each watched size is read and compared with the last reading, and
 * a change becomes a line like {@code demo-db MaximumPoolSize 10 -> 4 (changed over JMX from
 * 127.0.0.1: set MaximumPoolSize = 4)}, with the client and the call when the write came through
 * the demo's own connector ({@link JmxAudit}).
 */
final class ResizeWatch {
    private final JmxAudit audit;
    private final EventLog events;
    private final List<Knob> knobs = new CopyOnWriteArrayList<>();

    ResizeWatch(JmxAudit audit, EventLog events) {
        this.audit = audit;
        this.events = events;
    }

    /** Watches {@code attribute} of {@code bean}, read through {@code value}, under the name {@code pool}. */
    void watch(String pool, String attribute, ObjectName bean, IntSupplier value) {
        knobs.add(new Knob(pool, attribute, bean, value, value.getAsInt(), System.nanoTime()));
    }

    /** Stops watching everything (the pools are about to close). */
    void clear() {
        knobs.clear();
    }

    /** Reads every watched size once; reports the ones that changed since the last call. */
    void check() {
        for (Knob knob : knobs) {
            knob.check();
        }
    }

    private final class Knob {
        private final String pool;
        private final String attribute;
        private final ObjectName bean;
        private final IntSupplier value;
        private int last;
        private long lastCheck;

        Knob(String pool, String attribute, ObjectName bean, IntSupplier value, int last, long lastCheck) {
            this.pool = pool;
            this.attribute = attribute;
            this.bean = bean;
            this.value = value;
            this.last = last;
            this.lastCheck = lastCheck;
        }

        void check() {
            long now = System.nanoTime();
            int current = value.getAsInt();
            if (current != last) {
                // A write through our connector since a little before the previous reading.
                JmxAudit.Write write = audit.takeWrite(bean, lastCheck - 5_000_000_000L);
                String who = write == null ? "" : " from " + write.client() + ": " + write.action();
                events.add(pool + " " + attribute + " " + last + " -> " + current + " (changed over JMX" + who + ")");
                last = current;
            }
            lastCheck = now;
        }
    }
}
