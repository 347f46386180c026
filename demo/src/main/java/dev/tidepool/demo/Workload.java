package dev.tidepool.demo;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the clients run: a mix of short transactions (a transfer between two accounts) and slow
 * ones (a report that holds its connection for {@link Bank#REPORT_HOLD}). A client draws each
 * transaction at random with the workload's share of slow ones, so the mix holds on average, not
 * in any fixed order.
 */
enum Workload {
    /** Transfers only. */
    SHORT(0, "short transfers only"),
    /** Mostly transfers, a few slow reports: the default, and what a busy service looks like. */
    MIXED(5, "95% short transfers, 5% slow reports"),
    /** Slow reports only. */
    SLOW(100, "slow reports only");

    private final int slowPercent;
    private final String description;

    Workload(int slowPercent, String description) {
        this.slowPercent = slowPercent;
        this.description = description;
    }

    /** Whether the next transaction is a slow one. */
    boolean nextIsSlow() {
        return slowPercent > 0 && ThreadLocalRandom.current().nextInt(100) < slowPercent;
    }

    /** The name on the command line: {@code short}, {@code mixed}, {@code slow}. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    String description() {
        return description;
    }

    /** The workload named {@code name}, or null if there is none. */
    static Workload byOptionName(String name) {
        for (Workload w : values()) {
            if (w.optionName().equals(name)) {
                return w;
            }
        }
        return null;
    }
}
