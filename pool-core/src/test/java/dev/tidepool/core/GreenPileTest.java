package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.LONG;
import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.background;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.GreenTestSupport.Background;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GreenPile: eventlet's GreenPile tests (test_pile, test_pile_spawn_times_out, test_constructing_from_pool). */
@Timeout(60)
class GreenPileTest {

    /** eventlet's passthru: returns its argument after a random short pause (work, not synchronisation). */
    static <T> T passthru(T arg) {
        while (ThreadLocalRandom.current().nextBoolean()) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
        }
        return arg;
    }

    static <T> List<T> drain(GreenPile<T> pile) {
        List<T> out = new ArrayList<>();
        for (T item : pile) {
            out.add(item);
        }
        return out;
    }

    @Test
    void resultsComeInSpawnOrder() throws Exception {
        // eventlet test_pile
        GreenPile<Integer> pile = new GreenPile<>(4);
        assertThat(pile.pool().size()).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            int n = i;
            pile.spawn(() -> passthru(n));
        }
        assertThat(pile.size()).isEqualTo(10);
        assertThat(drain(pile)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(pile.size()).isZero();
    }

    @Test
    void resultsComeInSpawnOrderWhenTasksFinishInReverse() throws Exception {
        int n = 8;
        GreenPile<Integer> pile = new GreenPile<>(n);
        CountDownLatch[] done = new CountDownLatch[n + 1];
        for (int i = 0; i <= n; i++) {
            done[i] = new CountDownLatch(i == n ? 0 : 1);
        }
        List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int id = i;
            pile.spawn(() -> {
                awaitLatch(done[id + 1]);
                finished.add(id);
                done[id].countDown();
                return id;
            });
        }
        assertThat(drain(pile)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(finished).containsExactly(7, 6, 5, 4, 3, 2, 1, 0);
    }

    @Test
    void anInterruptedSpawnLeavesTheSequenceAndSizeIntact() throws Exception {
        // eventlet test_pile_spawn_times_out, with an interrupt in place of eventlet.Timeout
        GreenPile<Object> pile = new GreenPile<>(4);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            pile.spawn(GreenPoolTest.waitFor(release, i));
        }
        Background<Object> spawner = background("pile-spawner", () -> pile.spawn(() -> "time out"));
        spawner.awaitBlocked();
        spawner.thread.interrupt();
        assertThat(spawner.failure()).isInstanceOf(InterruptedException.class);
        assertThat(pile.size()).as("right after the interrupted spawn").isEqualTo(4);
        assertThat(pile.pool().waiting()).isZero();
        release.countDown();
        for (int i = 4; i < 10; i++) {
            int n = i;
            pile.spawn(() -> passthru(n));
        }
        assertThat(pile.size()).isEqualTo(10);
        assertThat(drain(pile)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void pilesSharingAPoolEachKeepTheirOrder() throws Exception {
        // eventlet test_constructing_from_pool
        GreenPool pool = new GreenPool(2);
        GreenPile<Integer> pile1 = new GreenPile<>(pool);
        GreenPile<Integer> pile2 = new GreenPile<>(pool);
        assertThat(pile1.pool()).isSameAs(pool);
        Background<Object> work1 = background("work-1", () -> bunchOfWork(pile1, 0));
        Background<Object> work2 = background("work-2", () -> bunchOfWork(pile2, 100));
        work1.get();
        work2.get();
        assertThat(drain(pile2)).containsExactlyElementsOf(range(100, 110));
        assertThat(drain(pile1)).containsExactlyElementsOf(range(0, 10));
        assertThat(pool.join(LONG)).isTrue();
    }

    private static Object bunchOfWork(GreenPile<Integer> pile, int unique) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            int n = i + unique;
            pile.spawn(() -> passthru(n));
        }
        return null;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void oneThreadSpawnsWhileAnotherReads() throws Exception {
        int n = 1000;
        GreenPile<Integer> pile = new GreenPile<>(8);
        Background<List<Integer>> reader = background("reader", () -> {
            List<Integer> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LONG.toSeconds());
            while (got.size() < n) {
                if (pile.hasNext()) {
                    got.add(pile.next());
                } else if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + got.size() + " results arrived");
                } else {
                    Thread.yield(); // nothing spawned yet: look again
                }
            }
            return got;
        });
        for (int i = 0; i < n; i++) {
            int id = i;
            pile.spawn(() -> passthru(id));
        }
        assertThat(reader.get()).containsExactlyElementsOf(range(0, n));
        assertThat(pile.size()).isZero();
        assertThat(pile.hasNext()).isFalse();
    }

    @Test
    void twoReadersShareTheResultsWithoutLossOrDuplicates() throws Exception {
        int n = 1000;
        GreenPile<Integer> pile = new GreenPile<>(8);
        for (int i = 0; i < n; i++) {
            int id = i;
            pile.spawn(() -> id);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Background<List<Integer>>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(background("reader-" + r, () -> {
                awaitLatch(go);
                List<Integer> got = new ArrayList<>();
                while (true) {
                    try {
                        got.add(pile.next());
                    } catch (NoSuchElementException e) {
                        return got;
                    }
                }
            }));
        }
        go.countDown();
        List<Integer> all = new ArrayList<>();
        for (Background<List<Integer>> reader : readers) {
            List<Integer> got = reader.get();
            assertThat(got).isSorted(); // each reader sees spawn order
            all.addAll(got);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(range(0, n));
    }

    @Test
    void aFailureThrowsAtItsOwnPositionAndReadingGoesOn() throws Exception {
        GreenPile<Integer> pile = new GreenPile<>(3);
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        IOException checked = new IOException("checked");
        pile.spawn(() -> 0);
        pile.spawn(() -> {
            throw unchecked;
        });
        pile.spawn(() -> 2);
        pile.spawn(() -> {
            throw checked;
        });
        pile.spawn(() -> null);
        assertThat(pile.next()).isZero();
        assertThatThrownBy(pile::next).isSameAs(unchecked);
        assertThat(pile.size()).isEqualTo(3);
        assertThat(pile.next()).isEqualTo(2);
        assertThatThrownBy(pile::next).isInstanceOf(CompletionException.class).hasCause(checked);
        assertThat(pile.hasNext()).isTrue();
        assertThat(pile.next()).isNull();
        assertThat(pile.hasNext()).isFalse();
    }

    @Test
    void anEmptyPile() {
        GreenPile<Object> pile = new GreenPile<>(2);
        assertThat(pile.size()).isZero();
        assertThat(pile.hasNext()).isFalse();
        assertThatThrownBy(pile::next).isInstanceOf(NoSuchElementException.class);
        assertThat(drain(pile)).isEmpty();
        assertThat(pile.iterator()).isSameAs(pile);
    }

    @Test
    void spawningFromInsideItsOwnFullPoolRunsInline() throws Exception {
        GreenPool pool = new GreenPool(1);
        GreenPile<Integer> inner = new GreenPile<>(pool);
        GreenThread<List<Integer>> outer = pool.spawn(() -> {
            for (int i = 0; i < 5; i++) {
                int n = i;
                inner.spawn(() -> n * n);
            }
            return drain(inner);
        });
        assertThat(outer.join()).containsExactly(0, 1, 4, 9, 16);
    }

    @Test
    void badInputChangesNothing() throws Exception {
        assertThatThrownBy(() -> new GreenPile<>(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GreenPile<>(null)).isInstanceOf(NullPointerException.class);
        GreenPile<Object> pile = new GreenPile<>(2);
        pile.spawn(() -> "kept");
        assertThatThrownBy(() -> pile.spawn(null)).isInstanceOf(NullPointerException.class);
        assertThat(pile.size()).isEqualTo(1);
        pile.pool().shutdown();
        assertThatThrownBy(() -> pile.spawn(() -> "late"))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThat(pile.size()).isEqualTo(1);
        assertThat(drain(pile)).containsExactly("kept");
    }
}
