package dev.tidepool.demo;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The terminal view, redrawn once a second: {@link #ansi} redraws a fixed block of lines in place
 * on a terminal, {@link #plain} appends one line per second (and one per event) for logs and CI.
 * {@link #forOutput} picks: in place only when standard output is a terminal that understands
 * ANSI escapes.
 */
interface LiveView {
    /** Shows one second's numbers and the events of that second. */
    void frame(Tick tick, List<String> events);

    /** The run is over: leaves the last frame on screen and moves below it. */
    void end();

    static LiveView plain(PrintStream out) {
        return new PlainView(out);
    }

    static LiveView ansi(PrintStream out) {
        return new AnsiView(out, System.getenv("NO_COLOR") == null);
    }

    /** In-place ANSI view if {@code forcePlain} is false and standard output is a terminal; else plain. */
    static LiveView forOutput(PrintStream out, boolean forcePlain) {
        return !forcePlain && out == System.out && isTerminal() ? ansi(out) : plain(out);
    }

    /**
     * Whether standard output is an interactive terminal. {@code System.console()} is null when it
     * is not, up to JDK 21; from JDK 22 on a console may exist anyway and {@code isTerminal()}
     * (looked up by name: this is compiled for release 21) tells.
     */
    static boolean isTerminal() {
        String term = System.getenv("TERM");
        if (System.console() == null || "dumb".equals(term)) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(System.console());
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
