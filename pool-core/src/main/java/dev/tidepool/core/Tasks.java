package dev.tidepool.core;

import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Lazy views of map inputs as tasks: nothing is read from the input before the feeder asks. */
final class Tasks {
    private Tasks() {
    }

    static <A, R> Iterator<Callable<R>> of(Function<? super A, ? extends R> fn, Iterator<? extends A> items) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public Callable<R> next() {
                A item = items.next();
                return () -> fn.apply(item);
            }
        };
    }

    /** Pairs from {@code a} and {@code b}, stopping at the shorter (Python's {@code zip}). */
    static <A, B, R> Iterator<Callable<R>> zip(BiFunction<? super A, ? super B, ? extends R> fn,
                                              Iterator<? extends A> a, Iterator<? extends B> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() && b.hasNext();
            }

            @Override
            public Callable<R> next() {
                A first = a.next();
                B second = b.next();
                return () -> fn.apply(first, second);
            }
        };
    }
}
