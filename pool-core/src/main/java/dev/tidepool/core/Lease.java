package dev.tidepool.core;

/**
 * One item borrowed from a {@link ResourcePool}, returned when the lease is closed.
 *
 * <pre>{@code
 * try (Lease<Socket> lease = pool.item(Duration.ofSeconds(2))) {
 *     lease.get().getOutputStream().write(payload);
 * }   // the socket goes back to the pool here, even if write() threw
 * }</pre>
 *
 * <p>{@link #close()} puts the item back once; later calls do nothing. If the item already went
 * back some other way ({@link ResourcePool#put} or {@link ResourcePool#discard}), closing the lease
 * does nothing either, so discarding a broken item inside a try-with-resources block is safe.
 *
 * @param <T> the pooled item's type
 */
public interface Lease<T> extends AutoCloseable {

    /**
     * The borrowed item.
     *
     * @return the item, the lease's until it closes
     * @throws IllegalStateException if this lease is already closed
     */
    T get();

    /** Puts the item back into its pool; a second call does nothing. */
    @Override
    void close();
}
