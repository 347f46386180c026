package dev.tidepool.core;

/**
 * Which idle item a {@link ResourcePool} hands out next.
 *
 * <pre>{@code
 * var hot = new ResourcePool<>(0, 8, Order.STACK, Connection::new);   // reuse the warmest item
 * var fair = new ResourcePool<>(0, 8, Order.QUEUE, Connection::new);  // spread use over all items
 * }</pre>
 */
public enum Order {
    /** Last put, first got: a few hot items do the work and the rest can age out. */
    STACK,
    /** First put, first got: round-robin over every idle item. */
    QUEUE
}
