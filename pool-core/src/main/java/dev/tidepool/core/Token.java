package dev.tidepool.core;

/**
 * An item with no content, handed out by a {@link TokenPool}: holding one is permission to go on.
 *
 * <pre>{@code
 * Token token = tokens.get();
 * try { callRateLimitedService(); } finally { tokens.put(token); }
 * }</pre>
 */
public final class Token {
    /** Creates a token; {@link TokenPool} does this, one per slot. */
    public Token() {
    }

    @Override
    public String toString() {
        return "Token@" + Integer.toHexString(System.identityHashCode(this));
    }
}
