package dev.tidepool.core;

import static dev.tidepool.core.ResourcePoolTest.await;
import static dev.tidepool.core.ResourcePoolTest.awaitQueued;
import static dev.tidepool.core.ResourcePoolTest.awaitWaiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.ResourcePoolTest.Borrower;
import dev.tidepool.core.ResourcePoolTest.Factory;
import dev.tidepool.core.ResourcePoolTest.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Fairness#bounded}: who may overtake whom, proved step by step. The pools here run on a
 * {@link ManualClock}, so "overdue" happens exactly when a test moves the clock past the bound, and
 * the bound is an hour, so neither real time nor the pool's timer ({@link FairnessWatch}, which looks at
 * a waiter's due instant and a third of the bound after a kept return) ever decides anything:
 * tests run its looks themselves ({@link ResourcePool#look()}), after moving the clock as the timer
 * would.
 * Borrowers run in virtual threads and are observed queued (parked, counted in {@code waiting()})
 * before anything else happens. Nothing here sleeps or asserts a duration, except the one test of
 * the watch's own timer, which only waits (generously) for it to act.
 */
@Timeout(60)
class ResourcePoolFairnessTest {
    static final Duration BOUND = Duration.ofHours(1);
    static final Fairness BOUNDED = Fairness.bounded(BOUND);

    private final List<ResourcePool<?>> pools = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void closePools() throws InterruptedException {
        pools.forEach(ResourcePool::close);
        for (Thread t : threads) {
            t.interrupt();
            t.join(ResourcePoolTest.WAIT.toMillis());
        }
    }

    /** A pool of up to {@code max} items, made on demand, served BOUNDED(1h) on the manual clock. */
    ResourcePool<Res> pool(int max, Order order) {
        return pool(ResourcePool.builder(new Factory()).maxSize(max).order(order).fairness(BOUNDED));
    }

    ResourcePool<Res> pool(ResourcePool.Builder<Res> builder) {
        ResourcePool<Res> pool = builder.build();
        pool.overdueClock(clock);
        pools.add(pool);
        return pool;
    }

    <T> Borrower<T> start(Callable<T> call) {
        return ResourcePoolTest.startBorrower(threads, call);
    }

    /** Starts a {@code get()} and waits until it is the {@code position}-th caller queued. */
    Borrower<Res> queued(ResourcePool<Res> pool, int position) {
        Borrower<Res> b = start(pool::get);
        awaitQueued(pool, b.thread(), position);
        return b;
    }

    /** Borrows every one of the pool's {@code max} items (all made now). */
    static List<Res> drain(ResourcePool<Res> pool) throws Exception {
        List<Res> out = new ArrayList<>();
        for (int i = 0; i < pool.maxSize(); i++) {
            out.add(pool.get(Duration.ZERO));
        }
        return out;
    }

    /** Moves the clock past the bound, and lets the pool's timer look, as it does at a waiter's due instant. */
    void makeOverdue(ResourcePool<?> pool) {
        clock.advance(BOUND);
        pool.look();
    }

    // ------------------------------------------------------------------ before the bound

    @Nested
    class BeforeTheBound {

        @ParameterizedTest
        @EnumSource(Order.class)
        void aReturnIsKeptForTheReturningThreadWhileTheWaiterIsOnTime(Order order) throws Exception {
            ResourcePool<Res> pool = pool(1, order);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);

            pool.put(a);
            assertThat(pool.idle()).as("kept idle, not handed over").isEqualTo(1);
            assertThat(pool.waiting()).isEqualTo(1);
            assertThat(pool.get(Duration.ZERO)).as("the returning thread takes it back").isSameAs(a);
            assertThat(waiter.result()).isNotDone();
            assertThat(pool.stats().createdCount()).isEqualTo(1);
        }

        @Test
        void anArrivingThreadTakesAKeptItemAheadOfTheWaiterButAFreedSlotGoesToTheWaiter() throws Exception {
            ResourcePool<Res> pool = pool(2, Order.QUEUE);
            Res a = pool.get();
            Res b = pool.get();
            Borrower<Res> waiter = queued(pool, 1);

            pool.put(a);
            Borrower<Res> newcomer = start(() -> pool.get(Duration.ZERO));
            assertThat(newcomer.item()).isSameAs(a);
            assertThat(start(pool::poll).item()).as("nothing idle now").isNull();

            pool.discard(b); // a freed slot is not a return: it goes to the waiter at once
            assertThat(waiter.item()).isNotIn(a, b);
            assertThat(pool.waiting()).isZero();
        }

        @Test
        void pollTakesAKeptItemWhileNobodyIsOverdue() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.STACK);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);

            assertThat(start(pool::poll).item()).isSameAs(a);
            assertThat(waiter.result()).isNotDone();
        }

        @Test
        void waitersAreNeverOvertakenByLaterWaiters() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            pool.get();
            Borrower<Res> first = queued(pool, 1);
            Borrower<Res> second = queued(pool, 2);
            Borrower<Res> third = queued(pool, 3);

            pool.resize(2); // a slot for the queue, not yet overdue: still the longest waiter first
            assertThat(first.item()).isNotNull();
            assertThat(second.result()).isNotDone();
            assertThat(third.result()).isNotDone();
        }
    }

    // ------------------------------------------------------------------ after the bound

    @Nested
    class AfterTheBound {

        @ParameterizedTest
        @EnumSource(Order.class)
        void anOverdueWaiterGetsTheNextReturn(Order order) throws Exception {
            ResourcePool<Res> pool = pool(1, order);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            makeOverdue(pool);

            pool.put(a);
            assertThat(pool.idle()).as("handed over, never idle").isZero();
            assertThat(waiter.item()).isSameAs(a);
        }

        @Test
        void aReturnChecksTheClockItselfSoALateTimerChangesNothing() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            clock.advance(BOUND); // due, and the pool's timer has not looked yet

            pool.put(a);
            assertThat(waiter.item()).isSameAs(a);
        }

        @Test
        void anArrivalBeforeThePoolHasNoticedMayStillTakeAKeptItemAndItsReturnServesTheQueue() throws Exception {
            // The one window of the guarantee: arrivals read a flag, not a clock.
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a); // kept: the waiter is on time
            clock.advance(BOUND); // due; nobody has returned or looked since

            assertThat(pool.get(Duration.ZERO)).isSameAs(a);
            pool.put(a); // the return sees the overdue waiter on its clock
            assertThat(waiter.item()).isSameAs(a);
        }

        @Test
        void noArrivingThreadOvertakesAnOverdueWaiter() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a); // kept: the waiter is on time
            makeOverdue(pool);

            assertThat(start(pool::poll).item()).as("poll gives way").isNull();
            assertThat(waiter.item()).as("and hands the kept item to the overdue waiter").isSameAs(a);
            assertThat(pool.idle()).isZero();
        }

        @Test
        void anArrivalThatGivesWayServesTheOverdueWaiterFromTheIdleItems() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);
            makeOverdue(pool);

            Borrower<Res> newcomer = start(() -> pool.get(Duration.ZERO));
            assertThat(newcomer.failure()).isInstanceOf(TimeoutException.class);
            assertThat(waiter.item()).isSameAs(a);
        }

        @Test
        void overdueWaitersAreServedInArrivalOrder() throws Exception {
            ResourcePool<Res> pool = pool(3, Order.QUEUE);
            List<Res> items = drain(pool);
            List<Borrower<Res>> waiters = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                waiters.add(queued(pool, i));
            }
            makeOverdue(pool);

            for (int i = 0; i < 3; i++) {
                pool.put(items.get(i));
                assertThat(waiters.get(i).item()).isSameAs(items.get(i));
            }
            awaitWaiting(pool, 2);
            pool.put(waiters.get(0).item());
            assertThat(waiters.get(3).item()).isSameAs(items.get(0));
            pool.put(waiters.get(1).item());
            assertThat(waiters.get(4).item()).isSameAs(items.get(1));
        }

        /**
         * The guarantee, as events: {@code k < n} waiters overdue in a pool of {@code n}
         * items that are all in use; every holder returns its item once (one hold time) and then
         * tries to borrow again at once. Every waiter is served by those returns, in order, and no
         * returning thread gets an item back while one of them still waits.
         */
        @ParameterizedTest
        @EnumSource(Order.class)
        void overdueWaitersAreServedWithinOneReturnOfEachItem(Order order) throws Exception {
            int n = 4;
            ResourcePool<Res> pool = pool(n, order);
            List<Res> items = drain(pool);
            List<Borrower<Res>> waiters = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                waiters.add(queued(pool, i));
            }
            makeOverdue(pool);

            for (int i = 0; i < n; i++) {
                pool.put(items.get(i));
                if (i < n - 1) {
                    assertThat(waiters.get(i).item()).isSameAs(items.get(i));
                    int stillWaiting = n - 2 - i;
                    awaitWaiting(pool, stillWaiting);
                    if (stillWaiting > 0) {
                        assertThatThrownBy(() -> pool.get(Duration.ZERO)).as("barging while a waiter is overdue")
                                .isInstanceOf(TimeoutException.class);
                    }
                }
            }
            assertThat(pool.waiting()).isZero();
            assertThat(pool.get(Duration.ZERO)).as("queue empty: the last return is kept for its thread")
                    .isSameAs(items.get(n - 1));
        }

        /**
         * More waiters overdue than items: the {@code k}-th (from 0) is served at the
         * {@code (k / n + 1)}-th round of returns, as under STRICT.
         */
        @Test
        void theKthOverdueWaiterIsServedInRoundKOverN() throws Exception {
            int n = 2;
            ResourcePool<Res> pool = pool(n, Order.QUEUE);
            List<Res> holding = new ArrayList<>(drain(pool));
            List<Borrower<Res>> waiters = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                waiters.add(queued(pool, i));
            }
            makeOverdue(pool);

            int served = 0;
            for (int round = 1; served < waiters.size(); round++) {
                List<Res> next = new ArrayList<>();
                for (Res r : holding) {
                    pool.put(r);
                    if (served < waiters.size()) {
                        next.add(waiters.get(served++).item());
                    }
                }
                int expected = Math.min(round * n, waiters.size());
                assertThat(served).as("served after round %d", round).isEqualTo(expected);
                for (int k = expected; k < waiters.size(); k++) {
                    assertThat(waiters.get(k).result()).as("waiter %d after round %d", k, round).isNotDone();
                }
                holding = next;
            }
            holding.forEach(pool::put);
            assertThat(pool.free()).isEqualTo(n);
        }

        @Test
        void aWaiterThatTimesOutLeavesNoTraceAndBargingResumes() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> timed = start(() -> pool.get(Duration.ofMillis(50)));
            assertThat(timed.failure()).isInstanceOf(TimeoutException.class);
            awaitWaiting(pool, 0);
            makeOverdue(pool);

            pool.put(a);
            assertThat(pool.get(Duration.ZERO)).as("nobody waits: kept and taken back").isSameAs(a);
            pool.put(a);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void anInterruptedOverdueWaiterLeavesNoTrace() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> first = queued(pool, 1);
            Borrower<Res> second = queued(pool, 2);
            makeOverdue(pool);

            first.thread().interrupt();
            assertThat(first.failure()).isInstanceOf(InterruptedException.class);
            awaitWaiting(pool, 1);
            pool.put(a);
            assertThat(second.item()).isSameAs(a);
        }
    }

    // ------------------------------------------------------------------ the fairness timer

    @Nested
    class TimerLooks {

        @Test
        void anItemNobodyTakesBackIsOwedAtTheSecondLookAndHandedOverAtTheThird() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);

            assertThat(pool.look()).as("first look: notes the item").isZero();
            assertThat(pool.look()).as("second look: unused, so owed to the queue").isZero();
            assertThat(waiter.result()).isNotDone();
            assertThat(pool.look()).as("third look: still unused, handed over").isEqualTo(1);
            assertThat(waiter.item()).isSameAs(a);
        }

        @Test
        void whileOwedTheNextArrivalServesTheQueue() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);
            pool.look();
            pool.look();

            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(waiter.item()).isSameAs(a);
            assertThat(pool.look()).as("nothing left unused").isZero();
        }

        @Test
        void anItemTakenBackBetweenLooksIsNeverHandedOver() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.STACK);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            for (int look = 0; look < 5; look++) {
                pool.put(a);
                assertThat(pool.look()).isZero();
                assertThat(pool.get(Duration.ZERO)).isSameAs(a); // the barging thread, between looks
            }
            assertThat(waiter.result()).isNotDone();
            assertThat(pool.waiting()).isEqualTo(1);
        }

        @Test
        void withNobodyWaitingTheWatchDoesNothing() throws Exception {
            ResourcePool<Res> pool = pool(2, Order.QUEUE);
            pool.put(pool.get());
            for (int look = 0; look < 3; look++) {
                assertThat(pool.look()).isZero();
            }
            assertThat(pool.idle()).isEqualTo(1);
        }

        @Test
        void atTheHeadsDueInstantTheTimerStopsABargingThread() throws Exception {
            // Real clock and timer: a thread that keeps returning and taking back its item never
            // leaves it unused, so only the look at the waiter's due instant can stop it.
            ResourcePool<Res> pool = ResourcePool.builder(new Factory()).maxSize(1)
                    .fairness(Fairness.bounded(Duration.ofMillis(20))).build();
            pools.add(pool);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            long barges = 0;
            for (;;) {
                pool.put(a);
                try {
                    a = pool.get(Duration.ZERO);
                    barges++;
                } catch (TimeoutException handedOver) {
                    break;
                }
            }
            assertThat(waiter.item()).isSameAs(a);
            assertThat(barges).as("took its item back while the waiter was on time").isPositive();
        }

        @Test
        void theWatchHandsAnUnusedItemOverByItself() throws Exception {
            // The only test that lets the watch's timer run: a 30 ms bound makes it look every
            // 10 ms, while the manual clock never lets the waiter become overdue, so nothing but
            // the watch can hand the item over.
            ResourcePool<Res> pool = pool(ResourcePool.builder(new Factory()).maxSize(1)
                    .fairness(Fairness.bounded(Duration.ofMillis(30))));
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);
            assertThat(waiter.item()).isSameAs(a); // waits up to ResourcePoolTest.WAIT for the watch
            pool.put(a);
            await().untilAsserted(() -> assertThat(pool.idle()).isEqualTo(1));
        }
    }

    // ------------------------------------------------------------------ live changes

    @Nested
    class LiveChanges {

        @Test
        void switchingToStrictHandsKeptItemsToWaitersAtOnce() throws Exception {
            ResourcePool<Res> pool = pool(2, Order.QUEUE);
            List<Res> items = drain(pool);
            Borrower<Res> first = queued(pool, 1);
            Borrower<Res> second = queued(pool, 2);
            items.forEach(pool::put);
            assertThat(pool.idle()).isEqualTo(2);

            pool.setFairness(Fairness.STRICT);
            assertThat(first.item()).isSameAs(items.get(0));
            assertThat(second.item()).isSameAs(items.get(1));
            assertThat(pool.fairness()).isEqualTo(Fairness.STRICT);
        }

        @Test
        void switchingToBoundedLetsTheNextReturnBeKept() throws Exception {
            ResourcePool<Res> pool = pool(ResourcePool.builder(new Factory()).maxSize(1));
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);

            pool.setFairness(BOUNDED);
            pool.put(a);
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(pool.get(Duration.ZERO)).isSameAs(a);
            assertThat(waiter.result()).isNotDone();

            makeOverdue(pool); // measured from when it queued, under STRICT
            pool.put(a);
            assertThat(waiter.item()).isSameAs(a);
        }

        @Test
        void aChangedBoundAppliesToWaitersAlreadyQueued() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            clock.advance(Duration.ofMinutes(10));

            pool.put(a);
            assertThat(pool.get(Duration.ZERO)).as("10 min < 1 h: on time").isSameAs(a);
            pool.setFairness(Fairness.bounded(Duration.ofMinutes(5)));
            pool.put(a);
            assertThat(waiter.item()).as("10 min > 5 min: overdue").isSameAs(a);

            Borrower<Res> next = queued(pool, 1);
            clock.advance(Duration.ofMinutes(10));
            pool.setFairness(BOUNDED);
            pool.put(waiter.item());
            assertThat(next.result()).as("back to 1 h: on time again").isNotDone();
            assertThat(pool.idle()).isEqualTo(1);
        }

        @Test
        void settingTheSameFairnessChangesNothingAndAClosedPoolRefuses() throws Exception {
            ResourcePool<Res> pool = pool(1, Order.QUEUE);
            pool.setFairness(Fairness.bounded(BOUND));
            assertThat(pool.fairness()).isEqualTo(BOUNDED);
            pool.close();
            assertThatThrownBy(() -> pool.setFairness(Fairness.STRICT))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThat(pool.fairness()).isEqualTo(BOUNDED);
        }
    }

    // ------------------------------------------------------------------ everything else

    @Nested
    class SameRulesOtherwise {

        @Test
        void closeFailsWaitersAndDisposesKeptItems() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(ResourcePool.builder(new Factory()).maxSize(1).fairness(BOUNDED)
                    .dispose(disposed::add));
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);

            pool.close();
            assertThat(waiter.failure()).isInstanceOf(IllegalStateException.class);
            assertThat(disposed).containsExactly(a);
            assertThat(pool.look()).isZero();
        }

        @Test
        void aKeptItemThatFailsValidationIsReplacedForTheBarger() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(ResourcePool.builder(new Factory()).maxSize(1).fairness(BOUNDED)
                    .validate(r -> !r.broken).dispose(disposed::add));
            Res a = pool.get();
            Borrower<Res> waiter = queued(pool, 1);
            pool.put(a);
            a.broken = true;

            Res fresh = pool.get(Duration.ZERO);
            assertThat(fresh).isNotSameAs(a);
            assertThat(disposed).containsExactly(a);
            assertThat(waiter.result()).isNotDone();
            makeOverdue(pool);
            pool.put(fresh);
            assertThat(waiter.item()).isSameAs(fresh);
        }

        @Test
        void shrinkingDisposesAKeptReturnInsteadOfKeepingIt() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(ResourcePool.builder(new Factory()).maxSize(2).fairness(BOUNDED)
                    .dispose(disposed::add));
            List<Res> items = drain(pool);
            Borrower<Res> waiter = queued(pool, 1);
            pool.resize(1);

            pool.put(items.get(0));
            assertThat(disposed).containsExactly(items.get(0));
            pool.put(items.get(1));
            assertThat(pool.idle()).as("within the new max: kept").isEqualTo(1);
            makeOverdue(pool);
            assertThat(start(pool::poll).item()).isNull();
            assertThat(waiter.item()).isSameAs(items.get(1));
        }

        @Test
        void tokenPoolFollowsTheSameRule() throws Exception {
            TokenPool tokens = new TokenPool(0, 1, Order.QUEUE, BOUNDED);
            tokens.overdueClock(clock);
            pools.add(tokens);
            Token t = tokens.get();
            Borrower<Token> waiter = ResourcePoolTest.startBorrower(threads, tokens::get);
            awaitQueued(tokens, waiter.thread(), 1);

            tokens.put(t);
            assertThat(tokens.get(Duration.ZERO)).isSameAs(t);
            makeOverdue(tokens);
            tokens.put(t);
            assertThat(waiter.item()).isSameAs(t);
            assertThat(tokens.fairness()).isEqualTo(BOUNDED);
        }
    }
}
