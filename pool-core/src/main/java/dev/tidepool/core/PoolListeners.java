package dev.tidepool.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one pool, shared by {@link ResourcePool} and {@link GreenPool}. Registration is
 * rare and firing is on slow paths only (a caller about to wait, a timeout, close), so a
 * copy-on-write list keeps firing lock-free; an empty list costs one volatile read.
 */
final class PoolListeners {
    private static final System.Logger LOG = System.getLogger(PoolListeners.class.getName());

    private final CopyOnWriteArrayList<PoolListener> listeners = new CopyOnWriteArrayList<>();

    void add(PoolListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    boolean remove(PoolListener listener) {
        return listeners.remove(listener);
    }

    void exhausted(String pool) {
        fire(pool, l -> l.exhausted(pool));
    }

    void timedOut(String pool, long waitedNanos) {
        fire(pool, l -> l.timedOut(pool, Duration.ofNanos(waitedNanos)));
    }

    void closed(String pool) {
        fire(pool, l -> l.closed(pool));
    }

    private void fire(String pool, Consumer<PoolListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        for (PoolListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> "pool " + pool + ": listener " + listener + " threw", e);
            }
        }
    }
}
