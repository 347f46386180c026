package dev.tidepool.bench;

/**
 * The pooled item in every benchmark: a plain object, the same for every pool. Stormpot needs its
 * items to be {@code Poolable}, so there it is wrapped in a {@link Pools.StormpotItem}; the other
 * pools hold it as it is.
 */
public final class Payload {
    /** Written by the holder while it holds the item (it is exclusive, so a plain write). */
    public long uses;
}
