package dev.tidepool.jdbc.proxy;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The pool's side of a borrow, for tests: records every returnConnection call. */
final class FakeReturn implements ConnectionReturn {
    record Returned(Connection physical, boolean evict) {
    }

    final List<Returned> returns = new CopyOnWriteArrayList<>();

    @Override public void returnConnection(Connection physical, boolean evict) {
        returns.add(new Returned(physical, evict));
    }

    int count() {
        return returns.size();
    }

    /** The evict flag of the one and only return. */
    boolean evicted() {
        if (returns.size() != 1) {
            throw new AssertionError("expected exactly one return, got " + returns);
        }
        return returns.get(0).evict();
    }
}
