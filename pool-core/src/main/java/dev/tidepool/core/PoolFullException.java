package dev.tidepool.core;

import java.io.Serial;

/**
 * Thrown when a {@link GreenPool} has no free slot within the time allowed (gevent's
 * {@code PoolFull}).
 *
 * <pre>{@code
 * try {
 *     pool.spawn(this::crawl, Duration.ZERO);   // do not wait
 * } catch (PoolFullException busy) {
 *     respondTooManyRequests();
 * }
 * }</pre>
 */
public class PoolFullException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * With a message saying which pool was full.
     *
     * @param message what was full, naming the pool
     */
    public PoolFullException(String message) {
        super(message);
    }
}
