package dev.tidepool.core;

import java.util.Iterator;

/**
 * The results of a pool's {@code imap}, {@code starmap} or {@code imapUnordered}, as they come.
 * Close it when you stop reading early: that stops the feeder and interrupts what still runs.
 *
 * <pre>{@code
 * try (MapIterator<Integer> lengths = pool.imap(url -> fetch(url).length(), urls)) {
 *     for (int length : lengths) {
 *         if (length == 0) break;    // close() stops the rest
 *     }
 * }
 * }</pre>
 *
 * <p>A failed item throws at its own position ({@link RuntimeException} as it is, a checked
 * exception wrapped in {@link java.util.concurrent.CompletionException}) and the next
 * {@code next()} goes on with the following item. It is an {@link Iterable} of itself, so it can
 * be read once with a for-each loop.
 *
 * @param <R> the result type
 */
public interface MapIterator<R> extends Iterator<R>, Iterable<R>, AutoCloseable {

    /** Stops feeding new items and interrupts the tasks still running; later reads find no more. */
    @Override
    void close();

    /** This iterator itself: a map's results can be read once. */
    @Override
    default Iterator<R> iterator() {
        return this;
    }
}
