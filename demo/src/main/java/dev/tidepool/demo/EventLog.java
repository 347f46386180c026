package dev.tidepool.demo;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Things that happened while the demo ran, for the live view: a pool resized over JMX, a JMX
 * client connecting, a pool's own log lines. Any thread may {@link #add}; the view takes what is
 * new once a second with {@link #drain}. Each line starts with the time of day it was added.
 */
final class EventLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();

    void add(String event) {
        pending.add(LocalTime.now().format(TIME) + "  " + event);
    }

    /** The events added since the last call, oldest first. */
    List<String> drain() {
        List<String> events = new ArrayList<>();
        for (String e = pending.poll(); e != null; e = pending.poll()) {
            events.add(e);
        }
        return events;
    }
}
