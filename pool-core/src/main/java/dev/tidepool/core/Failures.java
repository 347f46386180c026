package dev.tidepool.core;

import java.util.concurrent.CompletionException;

/**
 * How a task's failure reaches the code that reads its result: a {@link RuntimeException} or
 * {@link Error} as it is, a checked exception wrapped in {@link CompletionException}.
 */
final class Failures {
    private Failures() {
    }

    /** Throws {@code failure} under the rule above; declared to return so callers can write {@code throw}. */
    static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new CompletionException(failure);
    }
}
