package dev.tidepool.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who gets an item first when callers are waiting: the pool-level choice between strict
 * first-come, first-served hand-off ({@link #STRICT}, the default) and throughput with a bounded
 * wait ({@link #bounded()}). Immutable; compare with {@code equals}.
 *
 * <pre>{@code
 * ResourcePool<Buffer> buffers = ResourcePool.builder(Buffer::allocate)
 *         .maxSize(16)
 *         .fairness(Fairness.bounded(Duration.ofMillis(10)))   // batch work: throughput first
 *         .build();
 * buffers.setFairness(Fairness.STRICT);                         // live, e.g. from JMX
 * Fairness f = Fairness.parse("BOUNDED(5ms)");                  // the form config files and JMX use
 * }</pre>
 *
 * <h2>The guarantees</h2>
 *
 * <p><b>{@code STRICT}.</b> A caller that finds nothing free queues. A returned item, a freed slot
 * or a new one goes to the longest waiter; a caller that arrives while anyone is queued queues
 * behind them (even {@code poll()} and {@code get(Duration.ZERO)} get nothing). Nobody ever
 * overtakes a waiter.
 *
 * <p><b>{@code BOUNDED(maxWait)}.</b> A waiter that queued at {@code q} is <em>overdue</em> from
 * {@code q + maxWait} on.
 * <ul>
 *   <li>While the longest waiter is not overdue, callers that are not queued may overtake the
 *       queue: a thread returning an item keeps it idle (in its own stripe, where its next borrow
 *       finds it with no contention) instead of handing it over, and a thread arriving at the pool
 *       takes an idle item or a free slot.
 *   <li>Once the longest waiter is overdue, no return overtakes the queue: a thread returning an
 *       item checks the longest waiter's queue time on its own clock and hands the item to it.
 *       Arriving threads learn it from the pool, at the first return after that instant or when
 *       the pool's timer looks at that instant, whichever comes first; from then on they queue
 *       behind (handing any idle item to the longest waiter as they queue). In the moment between,
 *       an arriving thread may still take an idle item, which then comes back to the queue within
 *       one hold time. (Arrivals read a flag, not a clock: a clock read costs 25 to 80 ns here,
 *       a third of a whole borrow and return.)
 *   <li>Waiters never overtake each other: whatever reaches the queue goes to its head.
 *   <li>A returned item that nobody borrows again does not stay idle for long while callers wait:
 *       the pool looks every {@code maxWait / 3}; an item idle and untouched across two looks
 *       makes the pool strict until it is taken (so the next caller that returns or arrives
 *       serves the queue), and if nobody comes, the third look hands it to the longest waiter.
 *       An item therefore sits unused at most {@code maxWait} (plus a timer's lateness) while a
 *       caller waits.
 *   <li>What the pool makes or frees itself (an item made for a caller that gave up, a keepalive
 *       check, {@code addIdle()}, a slot freed by {@code discard}, a failed validation or a
 *       resize) goes to the longest waiter at once, as under {@code STRICT}.
 * </ul>
 *
 * <p>So, in a pool of {@code n} items, each held for at most {@code h} at a time (a
 * {@code create()} counts as a hold), a waiter with fewer than {@code n} waiters ahead of it when it
 * becomes overdue is served within <b>{@code maxWait + h}</b> of queueing if every item is in use
 * then (each comes back within {@code h} and goes to the head of the queue), and within
 * {@code maxWait + max(h, maxWait)} in general (an item idle at that moment reaches the queue
 * within {@code maxWait} of its return, at the latest). With {@code k} waiters ahead of it, the
 * {@code n} items serve the queue in rounds: the waiter is served within
 * {@code maxWait + ceil((k + 1) / n) * h} while items are being returned, that is, {@code maxWait}
 * after {@code STRICT}'s bound for the same queue, never more. The condition "fewer than {@code n}
 * ahead" fails only when more than {@code n} callers have queued within {@code maxWait}: when the
 * pool is short of items for that long, overdue waiters are served as {@code STRICT} serves them.
 * The bound assumes the pool is not shrunk meanwhile (a waiter handed an item over a new, lower
 * maximum queues again).
 *
 * <p>The price of {@code BOUNDED}: a waiter may wait up to {@code maxWait} for an item another
 * thread took ahead of it, or for an item left idle by a thread that did not borrow again. Choose
 * {@code STRICT} for latency-sensitive request serving, {@code BOUNDED} for batch throughput,
 * where threads borrow again right after they return.
 */
public final class Fairness {
    /** Strict first-come, first-served hand-off: nobody overtakes a waiter. The default. */
    public static final Fairness STRICT = new Fairness(0L);

    /**
     * The bound {@link #bounded()} uses: 10 ms, the shortest of 2, 5, 10 and 20 ms that reached
     * 0.8x Stormpot's throughput in every run of the virtual-thread benchmark (1,000 threads on
     * 16 items; docs/benchmarks.md). Each waiter costs one hand-off per bound, so a shorter bound
     * is a tighter wait paid for in throughput, and a longer one gains little more.
     */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(10);

    private static final Pattern BOUNDED_FORM =
            Pattern.compile("BOUNDED\\s*(?:\\(\\s*(\\d+)\\s*(ns|us|µs|ms|s)\\s*\\))?", Pattern.CASE_INSENSITIVE);
    /** The longest bound accepted: a day is as good as forever here and stays clear of overflow. */
    private static final long MAX_BOUND_NANOS = TimeUnit.DAYS.toNanos(1);

    /** The bound in nanoseconds, or 0 for {@link #STRICT}. */
    private final long maxWaitNanos;

    private Fairness(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    /** {@return barging bounded by {@link #DEFAULT_MAX_WAIT}} */
    public static Fairness bounded() {
        return bounded(DEFAULT_MAX_WAIT);
    }

    /**
     * Barging bounded by {@code maxWait}: a waiter that has waited that long is served before any
     * later return, and before any later arrival once the pool has noticed (see above).
     *
     * @param maxWait how long a waiter may be overtaken, at most a day
     * @return the fairness
     * @throws NullPointerException     if {@code maxWait} is null
     * @throws IllegalArgumentException if {@code maxWait} is zero, negative or longer than a day
     */
    public static Fairness bounded(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("fairness bound must be positive, was " + maxWait
                    + " (use Fairness.STRICT for no barging)");
        }
        if (maxWait.compareTo(Duration.ofNanos(MAX_BOUND_NANOS)) > 0) {
            throw new IllegalArgumentException("fairness bound must be at most 1 day, was " + maxWait);
        }
        return new Fairness(maxWait.toNanos());
    }

    /**
     * Reads the form {@link #toString()} writes: {@code STRICT}, {@code BOUNDED} (the default
     * bound) or {@code BOUNDED(<n><unit>)} with unit {@code ns}, {@code us}, {@code µs},
     * {@code ms} or {@code s}; case and spaces around the parts do not matter.
     *
     * @param text the text to read
     * @return the fairness it names
     * @throws NullPointerException     if {@code text} is null
     * @throws IllegalArgumentException naming {@code text} if it is not one of those forms, or the
     *                                  bound is zero or longer than a day
     */
    public static Fairness parse(String text) {
        Objects.requireNonNull(text, "fairness");
        String s = text.strip();
        if (s.equalsIgnoreCase("STRICT")) {
            return STRICT;
        }
        Matcher m = BOUNDED_FORM.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("fairness must be STRICT, BOUNDED or BOUNDED(<n>ns|us|ms|s),"
                    + " e.g. BOUNDED(5ms); was '" + text + "'");
        }
        if (m.group(1) == null) {
            return bounded();
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fairness bound out of range: '" + text + "'", e);
        }
        TimeUnit unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us", "µs" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            default -> TimeUnit.SECONDS;
        };
        long nanos = unit.toNanos(amount);
        if (nanos <= 0 || nanos > MAX_BOUND_NANOS) {
            throw new IllegalArgumentException("fairness bound must be positive and at most 1 day, was '"
                    + text + "'");
        }
        return new Fairness(nanos);
    }

    /** {@return whether this is {@link #STRICT}} */
    public boolean isStrict() {
        return maxWaitNanos == 0L;
    }

    /** {@return the bound of a {@code BOUNDED} fairness; empty for {@link #STRICT}} */
    public Optional<Duration> maxWait() {
        return isStrict() ? Optional.empty() : Optional.of(Duration.ofNanos(maxWaitNanos));
    }

    /** The bound in nanoseconds, 0 for STRICT: what the wait queue works with. */
    long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** {@code STRICT}, or {@code BOUNDED(<n><unit>)} in the largest unit that keeps it exact. */
    @Override
    public String toString() {
        if (isStrict()) {
            return "STRICT";
        }
        long n = maxWaitNanos;
        if (n % 1_000_000_000L == 0) {
            return "BOUNDED(" + n / 1_000_000_000L + "s)";
        }
        if (n % 1_000_000L == 0) {
            return "BOUNDED(" + n / 1_000_000L + "ms)";
        }
        if (n % 1_000L == 0) {
            return "BOUNDED(" + n / 1_000L + "us)";
        }
        return "BOUNDED(" + n + "ns)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fairness other && other.maxWaitNanos == maxWaitNanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxWaitNanos);
    }
}
