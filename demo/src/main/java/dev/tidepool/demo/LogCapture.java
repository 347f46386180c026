package dev.tidepool.demo;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends log records into the demo's {@link EventLog} instead of stderr, while the demo runs, so
 * that a log line never tears the live view apart. Tidepool logs through {@code System.Logger} and
 * HikariCP through SLF4J (bound to {@code System.Logger} here); both end in
 * {@code java.util.logging}, whose root handlers this replaces until {@link #close()} puts them
 * back. The pools' INFO lines (a pool starting or closing) are kept; other libraries show from
 * WARNING up.
 */
final class LogCapture implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final Handler[] saved;
    private final Level savedLevel;
    private final Handler handler;

    LogCapture(EventLog events) {
        this.saved = root.getHandlers();
        this.savedLevel = root.getLevel();
        this.handler = new ToEvents(events);
        for (Handler h : saved) {
            root.removeHandler(h);
        }
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        for (Handler h : saved) {
            root.addHandler(h);
        }
        root.setLevel(savedLevel);
    }

    private static final class ToEvents extends Handler {
        private final EventLog events;
        private final SimpleFormatter formatter = new SimpleFormatter();

        ToEvents(EventLog events) {
            this.events = events;
        }

        @Override
        public void publish(LogRecord record) {
            String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
            boolean pool = logger.startsWith("dev.tidepool") || logger.startsWith("com.zaxxer");
            if (record.getLevel().intValue() < (pool ? Level.INFO : Level.WARNING).intValue()) {
                return;
            }
            String message = formatter.formatMessage(record);
            if (record.getThrown() != null) {
                message += " (" + record.getThrown() + ")";
            }
            events.add(Redact.url("log " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": " + message));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
