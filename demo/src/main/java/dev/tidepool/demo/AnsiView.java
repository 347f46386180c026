package dev.tidepool.demo;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The in-place view for a terminal: a block of lines redrawn every second. The
 * cursor goes back up to the block's first line, and each line is cleared and written again, so
 * the block never scrolls; the last {@link #EVENTS} events stay at its bottom. Colour (off when
 * {@code NO_COLOR} is set) only marks what deserves a look: starved clients in red, none in green.
 */
final class AnsiView implements LiveView {
    private static final int EVENTS = 5;
    private static final int BAR = 40;
    private static final String CLEAR_LINE = "\033[2K";

    private final PrintStream out;
    private final boolean colour;
    private final Deque<String> recent = new ArrayDeque<>();
    private int drawn;

    AnsiView(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    @Override
    public void frame(Tick t, List<String> events) {
        for (String event : events) {
            recent.addLast(event);
            while (recent.size() > EVENTS) {
                recent.removeFirst();
            }
        }
        List<String> lines = new ArrayList<>();
        String time = t.durationSeconds() > 0
                ? Format.seconds(t.elapsedSeconds()) + " of " + Format.seconds(t.durationSeconds())
                : Format.seconds(t.elapsedSeconds()) + " (Ctrl-C to stop)";
        lines.add(bold(t.pool()) + "  " + progress(t) + "  " + time);
        lines.add(label("throughput") + bold(Format.rate(t.transactionsPerSecond()) + " tx/s")
                + "    max pool size " + bold(Integer.toString(t.maximumPoolSize())));
        lines.add(label("wait") + "p50 " + Format.nanos(t.p50Nanos()) + "   p99 " + Format.nanos(t.p99Nanos())
                + "   max " + Format.nanos(t.maxNanos()) + "   (connections handed out in the last second)");
        lines.add(label("") + "worst so far " + Format.nanos(t.worstWaitNanos())
                + "   longest waiting right now " + Format.nanos(t.longestOpenWaitNanos()));
        lines.add(label("connections") + "active " + t.active() + "   idle " + t.idle()
                + "   waiting " + t.waiting() + "   total " + t.total());
        lines.add(label("GreenPool") + "running " + Format.count(t.greenRunning()) + " of " + Format.count(t.greenSize())
                + "   waiting to spawn " + Format.count(t.greenWaiting()));
        String starved = Format.count(t.starved()) + " of " + Format.count(t.clients());
        lines.add(label("starved") + (t.starved() > 0 ? red(starved) : green(starved))
                + " clients have had no connection yet"
                + (t.timeouts() > 0 ? "   timeouts " + Format.count(t.timeouts()) : "")
                + (t.errors() > 0 ? "   errors " + Format.count(t.errors()) : ""));
        lines.add(label("events") + (recent.isEmpty() ? "(resize a pool from JConsole and it shows here)" : ""));
        for (String event : recent) {
            lines.add("  " + event);
        }
        while (lines.size() < 8 + EVENTS) {
            lines.add("");
        }

        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append("\033[").append(drawn).append('A').append('\r');
        }
        for (String line : lines) {
            frame.append(CLEAR_LINE).append(line).append('\n');
        }
        out.print(frame);
        out.flush();
        drawn = lines.size();
    }

    @Override
    public void end() {
        drawn = 0; // the next frame (another pool's) starts below this one
        recent.clear();
        out.flush();
    }

    private String progress(Tick t) {
        int filled = t.durationSeconds() > 0
                ? (int) Math.min(BAR, t.elapsedSeconds() * BAR / t.durationSeconds())
                : (int) (t.elapsedSeconds() % (BAR + 1));
        return "[" + "█".repeat(filled) + "░".repeat(BAR - filled) + "]";
    }

    private static String label(String name) {
        return "  " + name + " ".repeat(Math.max(1, 14 - name.length()));
    }

    private String bold(String text) {
        return colour ? "\033[1m" + text + "\033[0m" : text;
    }

    private String red(String text) {
        return colour ? "\033[1;31m" + text + "\033[0m" : text;
    }

    private String green(String text) {
        return colour ? "\033[1;32m" + text + "\033[0m" : text;
    }
}
