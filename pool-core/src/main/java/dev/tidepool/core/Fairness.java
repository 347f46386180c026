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
 * <p><b>{@code BOUNDED(maxWait)}.</b> Write {@code q} for the moment a waiter queued. Until it is
 * <em>overdue</em>, callers that are not queued may overtake it: a thread returning an item keeps
 * it idle (in its own stripe, where its next borrow finds it with no contention) instead of
 * handing it over, and a thread arriving at the pool takes an idle item or a free slot. The waiter
 * becomes overdue when, parked until {@code q + maxWait}, it wakes and sees that {@code maxWait}
 * has passed (a thread's timed wake-up is late by however long the machine keeps it from a
 * processor; call that lateness {@code d}, so it is overdue at {@code o = q + maxWait + d}).
 * From {@code o} until it is served, the pool behaves as {@code STRICT} for everybody: no caller
 * takes an idle item or a free slot except by hand-off from the queue, every item returned goes to
 * the longest waiter, and any item already idle is handed to the longest waiter at once. Waiters
 * stay first come, first served among themselves: a waiter is never overtaken by one that queued
 * after it.
 *
 * <p>So an overdue waiter with {@code k} waiters ahead of it, in a pool of {@code n} items each
 * held for at most {@code h} at a time (a {@code create()} counts as a hold), is served by
 * {@code o + ceil((k + 1) / n) * h}. In particular, <b>a waiter with fewer than {@code n} waiters
 * ahead of it when it becomes overdue waits at most {@code maxWait + d + h}</b>. That condition
 * fails only when more than {@code n} callers have been queued for {@code maxWait}, i.e. when the
 * pool is short of items for that long; then the {@code k}-th overdue waiter waits
 * {@code ceil((k + 1) / n) - 1} hold times more, exactly as long as it would after its first
 * {@code maxWait} under {@code STRICT}. Put the other way round: a waiter never waits more than
 * {@code maxWait + d} longer than {@code STRICT}'s bound for the same queue.
 *
 * <p>The price of {@code BOUNDED}: while nobody is overdue, an item returned by a thread that does
 * not borrow again stays idle until an arriving caller takes it or a waiter becomes overdue, so a
 * waiter can wait up to {@code maxWait} while an item is idle. Choose {@code STRICT} for
 * latency-sensitive request serving, {@code BOUNDED} for batch throughput where threads borrow again
 * right after they return.
 *
 * <p>Items made or checked by the pool itself (an item made for a caller that gave up, a keepalive
 * check, {@code addIdle()}, a free slot after {@code discard} or a resize) are handed to the
 * longest waiter in both modes: only a borrower's return is kept for barging.
 */
public final class Fairness {
    /** Strict first-come, first-served hand-off: nobody overtakes a waiter. The default. */
    public static final Fairness STRICT = new Fairness(0L);

    /**
     * The bound {@link #bounded()} uses: 10 ms. Chosen from the virtual-thread benchmark (1,000
     * threads, 16 items; see docs/benchmarks.md): the bound is paid once per served waiter, so a
     * shorter one hands off more often and a longer one lets waiters wait longer for little gain.
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

    /** Barging bounded by {@link #DEFAULT_MAX_WAIT}. */
    public static Fairness bounded() {
        return bounded(DEFAULT_MAX_WAIT);
    }

    /**
     * Barging bounded by {@code maxWait}: a waiter that has waited that long is served before
     * anyone who is not queued.
     *
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

    /** Whether this is {@link #STRICT}. */
    public boolean isStrict() {
        return maxWaitNanos == 0L;
    }

    /** The bound of a {@code BOUNDED} fairness; empty for {@link #STRICT}. */
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
