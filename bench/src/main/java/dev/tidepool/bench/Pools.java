package dev.tidepool.bench;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.Order;
import dev.tidepool.core.ResourcePool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import stormpot.Allocator;
import stormpot.BasePoolable;
import stormpot.Pool;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * Builds the pools under test, all of the same size and all full (every item created) before the
 * first measured claim, so no run pays for creation.
 */
public final class Pools {
    /** Items in every pool. */
    public static final int SIZE = 16;

    /**
     * Stormpot has no untimed claim; this is long enough never to expire in a benchmark (a claim
     * that does time out is counted, see {@link VirtualThreadFairness}).
     */
    public static final Timeout STORMPOT_TIMEOUT = new Timeout(60, TimeUnit.SECONDS);

    private Pools() {
    }

    /** Tidepool: {@code minSize == maxSize == size}, so the constructor creates every item. */
    public static ResourcePool<Payload> tidepool(Order order, int size) {
        return new ResourcePool<>(size, size, order, Payload::new);
    }

    /** Like {@link #tidepool(Order, int)}, served with {@code fairness}. */
    public static ResourcePool<Payload> tidepool(Order order, int size, Fairness fairness) {
        return ResourcePool.builder(Payload::new).minSize(size).maxSize(size).order(order).fairness(fairness).build();
    }

    /**
     * commons-pool2 with its default configuration except the size: {@code maxTotal} and
     * {@code maxIdle} (default 8 each) are set to {@code size}. Default fairness (false), LIFO,
     * blockWhenExhausted, no maxWait, no validation. JMX registration is left on, as by default.
     */
    public static GenericObjectPool<Payload> commonsPool2(int size) throws Exception {
        GenericObjectPoolConfig<Payload> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(size);
        config.setMaxIdle(size);
        GenericObjectPool<Payload> pool = new GenericObjectPool<>(new PayloadFactory(), config);
        List<Payload> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(pool.borrowObject());
        }
        out.forEach(pool::returnObject);
        if (pool.getNumIdle() != size) {
            throw new IllegalStateException("commons-pool2 did not fill: " + pool.getNumIdle());
        }
        return pool;
    }

    /** Stormpot's default pool ({@code Pool.from}: background allocation thread). */
    public static Pool<StormpotItem> stormpot(int size) throws InterruptedException {
        Pool<StormpotItem> pool = Pool.from(new StormpotAllocator()).setSize(size).build();
        // Claim every item once, so all of them are allocated before measuring.
        List<StormpotItem> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            StormpotItem item = pool.claim(STORMPOT_TIMEOUT);
            if (item == null) {
                throw new IllegalStateException("Stormpot did not allocate in time");
            }
            out.add(item);
        }
        out.forEach(StormpotItem::release);
        return pool;
    }

    /** Stops a Stormpot pool and waits for its allocator thread to finish. */
    public static void shutdown(Pool<?> pool) throws InterruptedException {
        pool.shutdown().await(new Timeout(10, TimeUnit.SECONDS));
    }

    /** A {@link Payload} as Stormpot needs it. */
    public static final class StormpotItem extends BasePoolable {
        public final Payload payload = new Payload();

        StormpotItem(Slot slot) {
            super(slot);
        }
    }

    static final class StormpotAllocator implements Allocator<StormpotItem> {
        @Override
        public StormpotItem allocate(Slot slot) {
            return new StormpotItem(slot);
        }

        @Override
        public void deallocate(StormpotItem item) {
        }
    }

    static final class PayloadFactory extends BasePooledObjectFactory<Payload> {
        @Override
        public Payload create() {
            return new Payload();
        }

        @Override
        public PooledObject<Payload> wrap(Payload payload) {
            return new DefaultPooledObject<>(payload);
        }
    }
}
