package dev.tidepool.core;

/**
 * A map key that compares the wrapped object by identity: a pool tracks the very objects it made,
 * even when two of them are {@code equals}.
 */
final class IdentityKey {
    private final Object ref;

    IdentityKey(Object ref) {
        this.ref = ref;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdentityKey key && key.ref == ref;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(ref);
    }
}
