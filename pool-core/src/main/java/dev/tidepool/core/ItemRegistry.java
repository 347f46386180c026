package dev.tidepool.core;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every item a {@link ResourcePool} made and has not disposed, by identity: what {@code put},
 * {@code discard} and {@code evict} look items up in.
 *
 * <p>Lookups happen on every return, changes only when an item is made or disposed, so the map is
 * copy-on-write: a lookup is a volatile read and an {@link IdentityHashMap} probe, with no lock and
 * no allocation (a hash map keyed by the item would need a wrapper per lookup, since items may
 * define {@code equals}). Invariant: a published map is never modified again.
 */
final class ItemRegistry<T> {
    private final ReentrantLock writes = new ReentrantLock();
    private volatile IdentityHashMap<T, PooledItem<T>> byItem = new IdentityHashMap<>();

    PooledItem<T> get(T item) {
        return byItem.get(item);
    }

    /** Adds a new entry; false (and nothing changes) if its item is already registered. */
    boolean add(PooledItem<T> entry) {
        writes.lock();
        try {
            IdentityHashMap<T, PooledItem<T>> current = byItem;
            if (current.containsKey(entry.item)) {
                return false;
            }
            IdentityHashMap<T, PooledItem<T>> next = new IdentityHashMap<>(current);
            next.put(entry.item, entry);
            byItem = next;
            return true;
        } finally {
            writes.unlock();
        }
    }

    /** Removes this very entry, if it is the one registered for its item. */
    void remove(PooledItem<T> entry) {
        writes.lock();
        try {
            IdentityHashMap<T, PooledItem<T>> current = byItem;
            if (current.get(entry.item) != entry) {
                return;
            }
            IdentityHashMap<T, PooledItem<T>> next = new IdentityHashMap<>(current);
            next.remove(entry.item);
            byItem = next;
        } finally {
            writes.unlock();
        }
    }

    /** The entries registered now; later changes don't show. */
    Collection<PooledItem<T>> snapshot() {
        return byItem.values();
    }
}
