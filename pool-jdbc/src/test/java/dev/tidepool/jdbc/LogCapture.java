package dev.tidepool.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what a data source logs (System.Logger goes to java.util.logging here) while it is
 * open: {@code try (LogCapture log = LogCapture.dataSource()) { ... log.count(Level.WARNING, "leak") }}.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** What every data source logs under its one logger name. */
    static LogCapture dataSource() {
        return new LogCapture(Logger.getLogger(TidepoolDataSource.class.getName()));
    }

    List<LogRecord> records() {
        return records;
    }

    /** How many records at {@code level} have a message containing {@code text}. */
    long count(Level level, String text) {
        return records.stream().filter(r -> r.getLevel() == level && r.getMessage().contains(text)).count();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
