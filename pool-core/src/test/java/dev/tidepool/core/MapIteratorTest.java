package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.LONG;
import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.background;
import static dev.tidepool.core.GreenTestSupport.blockUntilInterrupted;
import static dev.tidepool.core.GreenTestSupport.eventually;
import static dev.tidepool.core.GreenTestSupport.sneakyThrow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.GreenTestSupport.Background;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The map family of GreenPool (imap, starmap, imapUnordered, map, mapAsync) and MapIterator:
 * eventlet's imap tests, gevent's TestPool / TestErrorInIterator / TestErrorInHandler.
 */
@Timeout(60)
class MapIteratorTest {

    /**
     * A lazy input of {@code count} integers (0, 1, 2, ...; {@code count < 0}: endless) that records
     * how many items were taken and which thread took them (the map's feeder).
     */
    static final class Source implements Iterable<Integer> {
        final int count;
        final int failAt;
        final Throwable failure;
        final AtomicInteger pulled = new AtomicInteger();
        volatile Thread feeder;

        Source(int count) {
            this(count, -1, null);
        }

        Source(int count, int failAt, Throwable failure) {
            this.count = count;
            this.failAt = failAt;
            this.failure = failure;
        }

        static Source endless() {
            return new Source(-1);
        }

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    feeder = Thread.currentThread();
                    return count < 0 || pulled.get() < count;
                }

                @Override
                public Integer next() {
                    feeder = Thread.currentThread();
                    if (count >= 0 && pulled.get() >= count) {
                        throw new NoSuchElementException();
                    }
                    if (pulled.get() == failAt) {
                        throw GreenTestSupport.<RuntimeException>sneakyThrow(failure);
                    }
                    return pulled.getAndIncrement();
                }
            };
        }

        /** Waits until the feeder has taken {@code n} items and is parked (on the window or a slot). */
        void awaitFeederParkedAfter(int n) {
            eventually().until(() -> {
                Thread f = feeder;
                return pulled.get() == n && f != null && f.getState() == Thread.State.WAITING;
            });
        }
    }

    static <T> List<T> drain(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    // ------------------------------------------------------------------ order

    @Test
    void imapKeepsInputOrderWhenTasksFinishInReverse() throws Exception {
        // eventlet test_imap; the last item finishes first, the first last
        int n = 10;
        GreenPool pool = new GreenPool(n);
        CountDownLatch[] done = new CountDownLatch[n + 1];
        for (int i = 0; i <= n; i++) {
            done[i] = new CountDownLatch(i == n ? 0 : 1);
        }
        List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
        try (MapIterator<Integer> it = pool.imap(i -> {
            try {
                awaitLatch(done[i + 1]);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
            finished.add(i);
            done[i].countDown();
            return i;
        }, range(n))) {
            assertThat(drain(it)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
        assertThat(finished).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10})
    void imapOfAThousandItemsInOrderThenNoSuchElement(int size) {
        // gevent test_imap_it_large, test_imap_list_small, test_map
        GreenPool pool = new GreenPool(size);
        MapIterator<Integer> it = pool.imap(x -> x * x, range(1000));
        for (int i = 0; i < 1000; i++) {
            assertThat(it.hasNext()).isTrue();
            assertThat(it.next()).isEqualTo(i * i);
        }
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10})
    void imapUnorderedYieldsEveryResult(int size) {
        // gevent test_imap_unordered
        GreenPool pool = new GreenPool(size);
        List<Integer> squares = range(1000).stream().map(x -> x * x).toList();
        for (int round = 0; round < 2; round++) {
            List<Integer> got = drain(pool.imapUnordered(x -> x * x, range(1000)));
            assertThat(got).containsExactlyInAnyOrderElementsOf(squares);
        }
    }

    @Test
    void mapIteratorIsAnIterableOfItself() {
        GreenPool pool = new GreenPool(3);
        List<Integer> got = new ArrayList<>();
        for (int x : pool.imap(x -> x + 1, range(5))) {
            got.add(x);
        }
        assertThat(got).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void emptyInputs() throws Exception {
        // eventlet test_empty_imap, gevent test_empty_imap(_unordered), test_empty_map
        GreenPool pool = new GreenPool(4);
        MapIterator<Integer> it = pool.imap(x -> x, List.<Integer>of());
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(drain(pool.imapUnordered(x -> x, List.<Integer>of()))).isEmpty();
        assertThat(drain(pool.starmap(args -> args, List.of()))).isEmpty();
        assertThat(drain(pool.imap((a, b) -> a, List.of(1, 2), List.of()))).isEmpty();
        assertThat(pool.map(x -> x, List.<Integer>of())).isEmpty();
        assertThat(pool.mapAsync(x -> x, List.<Integer>of()).join()).isEmpty();
    }

    @Test
    void nullResultsAreAllowed() throws Exception {
        GreenPool pool = new GreenPool(2);
        Function<Integer, Object> toNull = x -> null;
        assertThat(drain(pool.imap(toNull, range(3)))).containsExactly(null, null, null);
        assertThat(drain(pool.imapUnordered(toNull, range(3)))).containsExactly(null, null, null);
        assertThat(pool.map(toNull, range(2))).containsExactly(null, null);
    }

    @Test
    void imapOverTwoInputsZipsAndStopsAtTheShorter() {
        // eventlet test_imap_multi_args
        GreenPool pool = new GreenPool(4);
        List<String> full = drain(pool.imap((Integer a, Integer b) -> a + ":" + b, range(10),
                IntStream.range(10, 20).boxed().toList()));
        assertThat(full).hasSize(10).startsWith("0:10", "1:11").endsWith("9:19");

        Source longer = new Source(10);
        List<String> zipped = drain(pool.imap((Integer a, Integer b) -> a + ":" + b, longer, List.of(10, 11, 12, 13, 14)));
        assertThat(zipped).containsExactly("0:10", "1:11", "2:12", "3:13", "4:14");
        assertThat(longer.pulled.get()).as("zip takes nothing from the longer input past the shorter's end")
                .isEqualTo(5);
    }

    @Test
    void starmapSpreadsTuplesIntoArguments() {
        // eventlet test_starmap
        GreenPool pool = new GreenPool(4);
        List<Object[]> singles = range(10).stream().map(x -> new Object[] {x}).toList();
        assertThat(drain(pool.starmap(args -> args[0], singles))).containsExactlyElementsOf(new ArrayList<>(range(10)));
        List<Object[]> pairs = List.of(new Object[] {1, 2}, new Object[] {3, 4}, new Object[] {5, 6});
        assertThat(drain(pool.starmap(args -> (Integer) args[0] * (Integer) args[1], pairs)))
                .containsExactly(2, 12, 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform ordered", "platform unordered", "virtual ordered", "virtual unordered"})
    void aReaderThatHadToParkIsWokenByTheNextResult(String shape) throws Exception {
        // A platform-thread reader yields a few times before it parks, a virtual one parks at
        // once: either way, a result that comes long after must still wake it.
        boolean ordered = shape.endsWith(" ordered");
        GreenPool pool = new GreenPool(3);
        CountDownLatch release = new CountDownLatch(1);
        Function<Integer, Integer> slow = i -> {
            try {
                awaitLatch(release);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
            return i * 10;
        };
        List<Integer> read = Collections.synchronizedList(new ArrayList<>());
        Thread.Builder builder = shape.startsWith("platform") ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        Thread reader = builder.start(() -> {
            try (MapIterator<Integer> it = ordered ? pool.imap(slow, range(3)) : pool.imapUnordered(slow, range(3))) {
                it.forEachRemaining(read::add);
            }
        });
        GreenTestSupport.awaitBlocked(reader); // past its yields, parked on the first result
        assertThat(read).isEmpty();
        release.countDown();
        assertThat(reader.join(LONG)).as("reader finished").isTrue();
        if (ordered) {
            assertThat(read).containsExactly(0, 10, 20);
        } else {
            assertThat(read).containsExactlyInAnyOrder(0, 10, 20);
        }
        pool.close();
    }

    @Test
    void imapUnorderedYieldsInCompletionOrder() throws Exception {
        // gevent test_imap_unordered_sleep: input order A, B, C; completion order B, C, A
        GreenPool pool = new GreenPool(3);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch releaseC = new CountDownLatch(1);
        try (MapIterator<String> it = pool.imapUnordered(name -> {
            try {
                switch (name) {
                    case "A" -> awaitLatch(releaseA);
                    case "C" -> awaitLatch(releaseC);
                    default -> { }
                }
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
            return name;
        }, List.of("A", "B", "C"))) {
            assertThat(it.next()).isEqualTo("B");
            releaseC.countDown();
            assertThat(it.next()).isEqualTo("C");
            releaseA.countDown();
            assertThat(it.next()).isEqualTo("A");
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void imapHandsOutEachResultWhileTheInputIsStillOpen() throws Exception {
        // gevent issues 423 and 311 (test_imap_no_stop, test_imap_final_sleep): a result is
        // readable before the input ends
        for (boolean ordered : new boolean[] {true, false}) {
            GreenPool pool = new GreenPool(3);
            BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
            int end = -1;
            Iterable<Integer> input = () -> new Iterator<>() {
                private Integer next;

                @Override
                public boolean hasNext() {
                    if (next == null) {
                        try {
                            next = queue.take();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return next != end;
                }

                @Override
                public Integer next() {
                    hasNext();
                    Integer n = next;
                    next = null;
                    return n;
                }
            };
            queue.add(123);
            MapIterator<Integer> it = ordered ? pool.imap(x -> x * 2, input) : pool.imapUnordered(x -> x * 2, input);
            assertThat(it.next()).isEqualTo(246);
            queue.add(7);
            assertThat(it.next()).isEqualTo(14);
            queue.add(end);
            assertThat(it.hasNext()).isFalse();
        }
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aFailingItemThrowsAtItsOwnPositionAndTheIterationGoesOn() {
        // eventlet test_imap_raises
        GreenPool pool = new GreenPool(4);
        MapIterator<Integer> it = pool.imap(item -> {
            if (item == 1 || item == 7) {
                throw new IllegalStateException("intentional error " + item);
            }
            return item;
        }, range(10));
        List<Object> results = new ArrayList<>();
        while (it.hasNext()) {
            try {
                results.add(it.next());
            } catch (IllegalStateException e) {
                results.add("r");
            }
        }
        assertThat(results).containsExactly(0, "r", 2, 3, 4, 5, 6, "r", 8, 9);
    }

    @Test
    void aCheckedFailureIsWrappedInCompletionException() {
        GreenPool pool = new GreenPool(4);
        IOException checked = new IOException("checked");
        for (boolean ordered : new boolean[] {true, false}) {
            Function<Integer, Integer> fn = item -> {
                if (item == 0) {
                    throw GreenTestSupport.<RuntimeException>sneakyThrow(checked);
                }
                return item;
            };
            MapIterator<Integer> it = ordered ? pool.imap(fn, range(1)) : pool.imapUnordered(fn, range(1));
            assertThatThrownBy(it::next).isInstanceOf(CompletionException.class).hasCause(checked);
            assertThat(it.hasNext()).isFalse();
        }
        assertThatThrownBy(() -> pool.starmap(args -> {
            throw GreenTestSupport.<RuntimeException>sneakyThrow(checked);
        }, List.<Object[]>of(new Object[0])).next()).isInstanceOf(CompletionException.class).hasCause(checked);
        assertThatThrownBy(() -> pool.map(x -> {
            throw GreenTestSupport.<RuntimeException>sneakyThrow(checked);
        }, range(1))).isInstanceOf(CompletionException.class).hasCause(checked);
    }

    @Test
    void aFailingItemInImapAndImapUnorderedOnAPoolOfOne() {
        // gevent TestErrorInHandler.test_imap / test_imap_unordered
        GreenPool pool = new GreenPool(1);
        for (boolean ordered : new boolean[] {true, false}) {
            Function<Integer, Integer> divide = x -> 2 / x;
            MapIterator<Integer> it = ordered ? pool.imap(divide, List.of(2, 0, 1))
                    : pool.imapUnordered(divide, List.of(2, 0, 1));
            assertThat(it.next()).isEqualTo(1);
            assertThatThrownBy(it::next).isInstanceOf(ArithmeticException.class);
            assertThat(it.next()).isEqualTo(2);
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void mapThrowsTheFirstFailureAndKillsTheRest() throws Exception {
        // gevent TestErrorInHandler.test_map
        GreenPool pool = new GreenPool(6);
        CountDownLatch othersStarted = new CountDownLatch(5);
        AtomicInteger interrupted = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("first");
        assertThatThrownBy(() -> pool.map(i -> {
            try {
                if (i == 0) {
                    awaitLatch(othersStarted);
                    throw boom;
                }
                othersStarted.countDown();
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new CompletionException(e);
            }
        }, range(6))).isSameAs(boom);
        assertThat(pool.join(LONG)).isTrue();
        assertThat(interrupted.get()).isEqualTo(5);
    }

    @Test
    void anInputFailureReachesTheReaderAndEndsTheIteration() throws Exception {
        // gevent TestErrorInIterator
        IllegalStateException expected = new IllegalStateException("expected");
        GreenPool pool = new GreenPool(3);

        Source src = new Source(100, 2, expected);
        MapIterator<Integer> it = pool.imap(x -> x + 1, src);
        assertThat(it.next()).isEqualTo(1);
        assertThat(it.next()).isEqualTo(2);
        assertThatThrownBy(it::next).isSameAs(expected);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        src.feeder.join(LONG);
        assertThat(src.feeder.isAlive()).as("the feeder has stopped").isFalse();
        assertThat(src.pulled.get()).isEqualTo(2);

        assertThatThrownBy(() -> pool.map(x -> null, new Source(100, 2, expected))).isSameAs(expected);

        MapIterator<Integer> unordered = pool.imapUnordered(x -> x, new Source(100, 2, expected));
        List<Integer> before = new ArrayList<>();
        assertThatThrownBy(() -> unordered.forEachRemaining(before::add)).isSameAs(expected);
        assertThat(before).containsExactlyInAnyOrder(0, 1);
        assertThat(unordered.hasNext()).isFalse();

        IOException checked = new IOException("checked input failure");
        MapIterator<Integer> wrapped = pool.imap(x -> x, new Source(100, 0, checked));
        assertThatThrownBy(wrapped::next).isInstanceOf(CompletionException.class).hasCause(checked);
        assertThat(pool.join(LONG)).isTrue();
    }

    // ------------------------------------------------------------------ bounds

    @Test
    void boundedImapUnorderedKeepsAtMostMaxSizeRunningOrUnread() throws Exception {
        // gevent test_imap_unordered_bounded_queue (issue 638)
        GreenPool pool = new GreenPool(10);
        AtomicInteger started = new AtomicInteger();
        Source src = new Source(20);
        try (MapIterator<Integer> it = pool.imapUnordered(x -> {
            started.incrementAndGet();
            return x;
        }, src, 3)) {
            src.awaitFeederParkedAfter(4); // the 4th item waits for room
            eventually().until(() -> started.get() >= 3);
            assertThat(started.get()).isEqualTo(3);
            List<Integer> got = new ArrayList<>();
            got.add(it.next());
            src.awaitFeederParkedAfter(5);
            eventually().until(() -> started.get() >= 4);
            assertThat(started.get()).isEqualTo(4);
            while (it.hasNext()) {
                assertThat(started.get() - got.size()).isLessThanOrEqualTo(3);
                got.add(it.next());
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(range(20));
        }
    }

    @Test
    void imapKeepsAtMostPoolSizeRunningOrUnread() throws Exception {
        GreenPool pool = new GreenPool(3);
        AtomicInteger started = new AtomicInteger();
        Source src = new Source(20);
        try (MapIterator<Integer> it = pool.imap(x -> {
            started.incrementAndGet();
            return x;
        }, src)) {
            src.awaitFeederParkedAfter(4);
            eventually().until(() -> started.get() >= 3);
            assertThat(started.get()).isEqualTo(3);
            List<Integer> got = new ArrayList<>();
            while (it.hasNext()) {
                assertThat(started.get() - got.size()).isLessThanOrEqualTo(3);
                got.add(it.next());
            }
            assertThat(got).containsExactlyElementsOf(range(20));
        }
    }

    @Test
    void imapUnorderedRejectsAMaxSizeBelowOne() {
        GreenPool pool = new GreenPool(2);
        assertThatThrownBy(() -> pool.imapUnordered(x -> x, range(3), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.running()).isZero();
    }

    @Test
    void theFeederHoldsNoSlot() throws Exception {
        GreenPool pool = new GreenPool(2);
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        List<Integer> got = drain(pool.imap(x -> {
            try {
                bothRunning.await(LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the two items did not run at once", e);
            }
            return x;
        }, range(2)));
        assertThat(got).containsExactly(0, 1);

        GreenPool one = new GreenPool(1);
        assertThat(one.mapAsync(x -> x * 10, range(3)).join()).containsExactly(0, 10, 20);
    }

    @Test
    void mapTasksCountAgainstThePool() throws Exception {
        GreenPool pool = new GreenPool(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (MapIterator<Integer> it = pool.imap(x -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                awaitLatch(release);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            } finally {
                concurrent.decrementAndGet();
            }
            return x;
        }, range(6))) {
            eventually().until(() -> pool.running() == 2);
            assertThat(pool.free()).isZero();
            assertThatThrownBy(() -> pool.spawn(() -> "x", Duration.ZERO)).isInstanceOf(PoolFullException.class);
            release.countDown();
            assertThat(drain(it)).containsExactly(0, 1, 2, 3, 4, 5);
        }
        assertThat(maxConcurrent.get()).isLessThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeStopsTheFeederAndInterruptsRunningTasks() throws Exception {
        GreenPool pool = new GreenPool(3);
        Source src = Source.endless();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        MapIterator<Object> it = pool.imap(x -> {
            started.incrementAndGet();
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new CompletionException(e);
            }
        }, src);
        src.awaitFeederParkedAfter(4);
        eventually().until(() -> started.get() == 3);
        it.close();
        eventually().until(() -> interrupted.get() == 3);
        assertThat(pool.join(LONG)).isTrue();
        src.feeder.join(LONG);
        assertThat(src.feeder.isAlive()).isFalse();
        assertThat(src.pulled.get()).isEqualTo(4);
        assertThat(started.get()).isEqualTo(3);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        it.close(); // again: nothing happens
    }

    @Test
    void closeAfterReadingSomeOfAnEndlessInput() throws Exception {
        GreenPool pool = new GreenPool(4);
        Source src = Source.endless();
        MapIterator<Integer> it = pool.imap(x -> x * 3, src);
        for (int i = 0; i < 50; i++) {
            assertThat(it.next()).isEqualTo(i * 3);
        }
        it.close();
        assertThat(it.hasNext()).isFalse();
        eventually().until(() -> src.feeder != null);
        src.feeder.join(LONG);
        assertThat(src.feeder.isAlive()).isFalse();
        assertThat(pool.join(LONG)).isTrue();
        assertThat(src.pulled.get()).isLessThanOrEqualTo(50 + 4 + 1);
    }

    @Test
    void closeWakesAnUnorderedReaderBlockedOnTheNextResult() throws Exception {
        GreenPool pool = new GreenPool(2);
        MapIterator<Object> it = pool.imapUnordered(x -> {
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, range(2));
        Background<Boolean> reader = background("reader", it::hasNext);
        eventually().until(() -> pool.running() == 2);
        reader.awaitBlocked();
        it.close();
        assertThat(reader.get()).isFalse();
        assertThat(pool.join(LONG)).isTrue();
    }

    @Test
    void closeWakesAnOrderedReaderWaitingForAResult() throws Exception {
        GreenPool pool = new GreenPool(2);
        MapIterator<Object> it = pool.imap(x -> {
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, range(2));
        Background<Object> reader = background("reader", it::next);
        eventually().until(() -> pool.running() == 2);
        reader.awaitBlocked();
        it.close();
        // the item it waited for was killed: its read ends (with the kill), it does not hang
        assertThat(reader.failure()).isInstanceOf(CancellationException.class);
        assertThat(it.hasNext()).isFalse();
        assertThat(pool.join(LONG)).isTrue();
    }

    @Test
    void closeRacingTheFeederStillInterruptsEveryTaskItStarted() throws Exception {
        // close() may come while the feeder is between spawning a task and recording it
        GreenPool pool = new GreenPool(8);
        for (int round = 0; round < 300; round++) {
            AtomicInteger started = new AtomicInteger();
            MapIterator<Object> it = pool.imap(x -> {
                started.incrementAndGet();
                try {
                    new CountDownLatch(1).await(2 * LONG.toSeconds(), TimeUnit.SECONDS);
                    return "never interrupted";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            }, Source.endless());
            int spin = round % 50;
            while (started.get() < spin % 8) {
                Thread.onSpinWait();
            }
            it.close();
            assertThat(pool.join(Duration.ofSeconds(10)))
                    .as("round %d: a task started by the map kept running after close()", round)
                    .isTrue();
        }
    }

    @Test
    void aReaderInterruptedWhileWaitingGetsCompletionExceptionAndKeepsTheInterrupt() throws Exception {
        GreenPool pool = new GreenPool(1);
        MapIterator<Object> it = pool.imap(x -> {
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, range(1));
        Background<Object> reader = background("reader", () -> {
            try {
                return it.next();
            } catch (CompletionException e) {
                return List.of(e.getCause().getClass(), Thread.currentThread().isInterrupted());
            }
        });
        reader.awaitBlocked();
        reader.thread.interrupt();
        assertThat(reader.get()).isEqualTo(List.of(InterruptedException.class, true));
        it.close();
        assertThat(pool.join(LONG)).isTrue();
    }

    @Test
    void mapInterruptedWhileWaitingThrowsInterruptedExceptionAndStopsItsTasks() throws Exception {
        GreenPool pool = new GreenPool(2);
        Background<List<Object>> mapper = background("mapper", () -> pool.map(x -> {
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, range(4)));
        eventually().until(() -> pool.running() == 2);
        mapper.awaitBlocked();
        mapper.thread.interrupt();
        assertThat(mapper.failure()).isInstanceOf(InterruptedException.class);
        assertThat(pool.join(LONG)).isTrue();
    }

    // ------------------------------------------------------------------ map, mapAsync, reentrancy

    @Test
    void mapCollectsInInputOrder() throws Exception {
        GreenPool pool = new GreenPool(3);
        assertThat(pool.map(x -> x * x, range(10))).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);
        assertThat(pool.map(x -> x * x, range(100))).hasSize(100).endsWith(99 * 99);
    }

    @Test
    void mapAsyncReturnsAHandleOnTheList() throws Exception {
        GreenPool pool = new GreenPool(3);
        GreenThread<List<Integer>> result = pool.mapAsync(x -> x + 1, range(5));
        assertThat(result.join()).containsExactly(1, 2, 3, 4, 5);
        assertThat(pool.contains(result)).as("mapAsync's own thread is not one of the pool's tasks").isFalse();
        IllegalStateException boom = new IllegalStateException("boom");
        GreenThread<List<Integer>> failed = pool.mapAsync(x -> {
            throw boom;
        }, range(3));
        assertThatThrownBy(failed::join).isSameAs(boom);
    }

    @Test
    void killingAMapAsyncStopsItsTasks() throws Exception {
        GreenPool pool = new GreenPool(2);
        GreenThread<List<Object>> result = pool.mapAsync(x -> {
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, range(4));
        eventually().until(() -> pool.running() == 2);
        result.kill();
        assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
        assertThat(pool.join(LONG)).as("the map's tasks were stopped with it").isTrue();
    }

    @Test
    void mapFromInsideAFullPoolOfOneRunsItsTasksInline() throws Exception {
        GreenPool pool = new GreenPool(1);
        GreenThread<List<Integer>> outer = pool.spawn(() -> pool.map(x -> x * 2, range(5)));
        assertThat(outer.join()).containsExactly(0, 2, 4, 6, 8);
        GreenThread<List<Integer>> unordered = pool.spawn(() -> drain(pool.imapUnordered(x -> x, range(5))));
        assertThat(unordered.join()).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(pool.free()).isEqualTo(1);
    }

    @Test
    void imapAfterShutdownIsRejected() {
        GreenPool pool = new GreenPool(2);
        pool.shutdown();
        assertThatThrownBy(() -> pool.imap(x -> x, range(2))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.imapUnordered(x -> x, range(2))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.starmap(a -> a, List.of())).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.map(x -> x, range(2))).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void badInputThrowsClearExceptionsAndStartsNothing() {
        GreenPool pool = new GreenPool(2);
        Source src = new Source(5);
        assertThatThrownBy(() -> pool.imap((Function<Integer, Integer>) null, src))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imap(x -> x, (Iterable<Integer>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imap((Integer a, Integer b) -> a, null, src))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imap((Integer a, Integer b) -> a, src, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.starmap(null, List.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.starmap(a -> a, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imapUnordered(null, src)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.imapUnordered(x -> x, null, 2)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.map(null, src)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.mapAsync(null, src)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.mapAsync(x -> x, null)).isInstanceOf(NullPointerException.class);
        assertThat(src.pulled.get()).isZero();
        assertThat(src.feeder).isNull();
        assertThat(pool.running()).isZero();
        assertThat(pool.spawnedCount()).isZero();
        assertThat(Arrays.asList(pool.size(), pool.free())).containsExactly(2, 2);
    }
}
