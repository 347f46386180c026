package dev.tidepool.demo;

import java.io.PrintStream;
import java.util.List;

/**
 * One line per second, appended: what the demo prints when its output is not a terminal (a pipe,
 * a file, CI). Every line carries throughput as tx/s and the pool's current maximum size, then
 * waits, connections, the GreenPool and starvation; events come on lines of their own, marked
 * with {@code !}.
 */
final class PlainView implements LiveView {
    private final PrintStream out;

    PlainView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void frame(Tick t, List<String> events) {
        for (String event : events) {
            out.println("! " + event);
        }
        String time = t.durationSeconds() > 0
                ? t.elapsedSeconds() + "/" + t.durationSeconds() + " s"
                : t.elapsedSeconds() + " s";
        out.println("[" + t.pool() + " " + time + "] "
                + Format.rate(t.transactionsPerSecond()) + " tx/s, max pool size " + t.maximumPoolSize()
                + " | wait p50 " + Format.nanos(t.p50Nanos()) + ", p99 " + Format.nanos(t.p99Nanos())
                + ", max " + Format.nanos(t.maxNanos()) + ", longest now " + Format.nanos(t.longestOpenWaitNanos())
                + " | connections active " + t.active() + ", idle " + t.idle() + ", waiting " + t.waiting()
                + ", total " + t.total()
                + " | GreenPool running " + t.greenRunning() + "/" + t.greenSize() + ", waiting " + t.greenWaiting()
                + " | starved " + t.starved() + " of " + t.clients()
                + (t.timeouts() > 0 ? ", timeouts " + t.timeouts() : "")
                + (t.errors() > 0 ? ", errors " + t.errors() : ""));
        out.flush();
    }

    @Override
    public void end() {
        out.flush();
    }
}
