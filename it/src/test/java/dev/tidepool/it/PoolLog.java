package dev.tidepool.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one data source logs while a test runs, down to DEBUG (java.util.logging's FINE, where
 * Tidepool's {@code System.Logger} lands): {@code try (PoolLog log = PoolLog.of("orders")) {...}}.
 * Every data source logs under one logger, {@code dev.tidepool.jdbc.TidepoolDataSource}, each line
 * starting with its pool name; this keeps the lines of the named pool, stamped with
 * {@code System.nanoTime()} on arrival so they can be set against the load's requests.
 *
 * <p>While open it lowers that logger's level to FINE (the tests' logging.properties keeps it at
 * WARNING) and keeps its records from the console, where a run of failed connects would print one
 * DEBUG line each; {@link #close()} puts both back.
 */
final class PoolLog extends Handler implements AutoCloseable {
    /** The logger every data source logs under (JdbcPool.LOGGER_NAME, not exported to tests). */
    static final String LOGGER_NAME = "dev.tidepool.jdbc.TidepoolDataSource";

    /** A record and the {@code System.nanoTime()} it arrived at. */
    record Line(LogRecord record, long nanos) {
        Level level() {
            return record.getLevel();
        }

        String message() {
            return record.getMessage();
        }
    }

    /** Held strongly: java.util.logging forgets a level set on a logger nobody references. */
    private final Logger logger = Logger.getLogger(LOGGER_NAME);
    private final String prefix;
    private final Level savedLevel;
    private final boolean savedUseParent;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private PoolLog(String poolName) {
        this.prefix = poolName + " - ";
        this.savedLevel = logger.getLevel();
        this.savedUseParent = logger.getUseParentHandlers();
        logger.setLevel(Level.FINE);
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** Starts capturing what the data source named {@code poolName} logs. */
    static PoolLog of(String poolName) {
        return new PoolLog(poolName);
    }

    /** Everything captured so far, oldest first. */
    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines at exactly {@code level} whose message contains {@code text}. */
    List<Line> lines(Level level, String text) {
        return lines.stream().filter(l -> l.level() == level && l.message().contains(text)).toList();
    }

    /** The lines at INFO and above, as text, for a test's report. */
    List<String> infoAndAbove() {
        return lines.stream().filter(l -> l.level().intValue() >= Level.INFO.intValue())
                .map(l -> l.level() + " " + l.message()).toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message != null && message.startsWith(prefix)) {
            lines.add(new Line(record, System.nanoTime()));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(savedUseParent);
        logger.setLevel(savedLevel);
    }
}
