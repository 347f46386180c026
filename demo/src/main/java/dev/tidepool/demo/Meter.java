package dev.tidepool.demo;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one pool's run measured, written by its clients as they go and read by the live view.
 *
 * <p>Each client, numbered 0 to {@code clients - 1}, reports the start of every
 * {@code getConnection()} ({@link #waitStarted}) and its end ({@link #granted} or
 * {@link #timedOut}). A client is <em>starved</em> until its first connection: {@link #starved()}
 * starts at {@code clients} and only goes down. {@link #longestOpenWait} scans the clients
 * waiting right now, since a wait that has not ended is not in the histogram yet and would
 * otherwise hide the worst of all. When the run ends, {@link #freeze} records every wait
 * still open with the time waited so far: a client starved for the whole run then shows a wait as
 * long as the run, not none at all.
 */
final class Meter {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final int clients;
    private final WaitHistogram waits = new WaitHistogram();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicIntegerArray served;
    private final AtomicInteger starved;
    private final AtomicLongArray waitingSince;
    private volatile String lastError;
    /** Set when the run ends: what happens while it drains is not counted. */
    private volatile boolean frozen;

    Meter(int clients) {
        this.clients = clients;
        this.served = new AtomicIntegerArray(clients);
        this.starved = new AtomicInteger(clients);
        this.waitingSince = new AtomicLongArray(clients);
        for (int i = 0; i < clients; i++) {
            waitingSince.set(i, NOT_WAITING);
        }
    }

    int clients() {
        return clients;
    }

    void waitStarted(int client, long now) {
        waitingSince.set(client, now);
    }

    /** Client {@code client} got a connection after waiting {@code waitedNanos}. */
    void granted(int client, long waitedNanos) {
        waitingSince.set(client, NOT_WAITING);
        if (frozen) {
            return;
        }
        waits.record(waitedNanos);
        if (served.get(client) == 0 && served.compareAndSet(client, 0, 1)) {
            starved.decrementAndGet();
        }
    }

    /** Client {@code client} gave up waiting ({@code connectionTimeout}); the wait counts. */
    void timedOut(int client, long waitedNanos) {
        waitingSince.set(client, NOT_WAITING);
        if (frozen) {
            return;
        }
        waits.record(waitedNanos);
        timeouts.increment();
    }

    /** Client {@code client} stopped waiting without a connection and without a timeout (the run ended). */
    void abandoned(int client) {
        waitingSince.set(client, NOT_WAITING);
    }

    void committed() {
        if (!frozen) {
            transactions.increment();
        }
    }

    void failed(Throwable error) {
        if (frozen) {
            return;
        }
        errors.increment();
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    long transactions() {
        return transactions.sum();
    }

    long timeouts() {
        return timeouts.sum();
    }

    long errors() {
        return errors.sum();
    }

    /** The message of the latest failed transaction, or null. */
    String lastError() {
        return lastError;
    }

    /** Clients that have not had a connection yet in this run. */
    int starved() {
        return starved.get();
    }

    WaitHistogram.Snapshot waits() {
        return waits.snapshot();
    }

    /** The longest wait going on at {@code now}, in nanoseconds; 0 if nobody is waiting. */
    long longestOpenWait(long now) {
        long longest = 0;
        for (int i = 0; i < clients; i++) {
            long since = waitingSince.get(i);
            if (since != NOT_WAITING) {
                longest = Math.max(longest, now - since);
            }
        }
        return longest;
    }

    /**
     * Ends the measurement at {@code end}: records every wait still open with the time waited
     * until then, and ignores whatever the clients report from now on.
     */
    void freeze(long end) {
        frozen = true;
        for (int i = 0; i < clients; i++) {
            long since = waitingSince.getAndSet(i, NOT_WAITING);
            if (since != NOT_WAITING) {
                waits.record(end - since);
            }
        }
    }
}
