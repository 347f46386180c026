package dev.tidepool.core;

/**
 * A {@link ResourcePool} of {@link Token}s: a resizable, fair, interruptible limit on how many
 * callers go on at once (eventlet's {@code TokenPool}).
 *
 * <pre>{@code
 * TokenPool permits = new TokenPool(10);
 * try (Lease<Token> permit = permits.item(Duration.ofSeconds(1))) {
 *     callRateLimitedService();
 * }
 * permits.resize(20);   // live: blocked callers go on at once
 * }</pre>
 */
public class TokenPool extends ResourcePool<Token> {

    /**
     * A pool of up to {@code maxSize} tokens, made on demand, handed out round-robin.
     *
     * @param maxSize the most tokens that exist at once
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public TokenPool(int maxSize) {
        this(0, maxSize, Order.QUEUE);
    }

    /**
     * A pool of {@code minSize} to {@code maxSize} tokens.
     *
     * @param minSize the tokens made at once and kept
     * @param maxSize the most tokens that exist at once
     * @param order which idle token is handed out next
     * @throws IllegalArgumentException if a size is negative or {@code minSize > maxSize}
     * @throws NullPointerException     if {@code order} is null
     */
    public TokenPool(int minSize, int maxSize, Order order) {
        this(minSize, maxSize, order, Fairness.STRICT);
    }

    /**
     * A pool of {@code minSize} to {@code maxSize} tokens, served with {@code fairness}: with
     * {@link Fairness#bounded()} a thread that releases a token may take it straight back while
     * others wait, until one of them has waited the bound.
     *
     * <pre>{@code
     * TokenPool permits = new TokenPool(0, 16, Order.STACK, Fairness.bounded());
     * }</pre>
     *
     * @param minSize  the tokens made at once
     * @param maxSize  the most tokens out at once
     * @param order    STACK or QUEUE
     * @param fairness who is served first when callers wait
     * @throws IllegalArgumentException if a size is negative or {@code minSize > maxSize}
     * @throws NullPointerException     if {@code order} or {@code fairness} is null
     */
    public TokenPool(int minSize, int maxSize, Order order, Fairness fairness) {
        super(minSize, maxSize, order);
        initialFairness(fairness);
        if (getClass() == TokenPool.class) {
            // Nothing of a subclass can be unset here, so the minimum can be made right away.
            ensureStarted();
        }
    }

    @Override
    protected Token create() {
        return new Token();
    }
}
