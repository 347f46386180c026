package dev.tidepool.jdbc;

import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Public classes with no-argument constructors, for the class-name properties in tests. */
public final class Plugins {
    /** A scheduler the tests may hand to pools; daemon, never shut down. */
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("test-scheduler").daemon().factory());

    private Plugins() {
    }

    /** Keeps every connection, whatever the SQLState. */
    public static final class KeepEverything implements SQLExceptionOverride {
        public KeepEverything() {
        }

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return Override.DO_NOT_EVICT;
        }
    }

    /** Evicts on every exception. */
    public static final class EvictEverything implements SQLExceptionOverride {
        public EvictEverything() {
        }

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return Override.MUST_EVICT;
        }
    }

    /** The same credentials every time. */
    public static final class FixedCredentials implements CredentialsProvider {
        public FixedCredentials() {
        }

        @java.lang.Override
        public Credentials getCredentials() {
            return Credentials.of("provided", "provided-secret");
        }
    }

    /** A class that is no plugin of any kind. */
    public static final class NotAPlugin {
        public NotAPlugin() {
        }

    }

    /** A scheduler with a no-argument constructor, for the scheduledExecutor property in a file. */
    public static final class FileScheduler extends java.util.concurrent.ScheduledThreadPoolExecutor {
        public FileScheduler() {
            super(1, Thread.ofPlatform().name("file-scheduler").daemon().factory());
        }
    }

    /** A thread factory with a no-argument constructor, for the threadFactory property in a file. */
    public static final class FileThreadFactory implements java.util.concurrent.ThreadFactory {
        public FileThreadFactory() {
        }

        @java.lang.Override
        public Thread newThread(Runnable task) {
            return Thread.ofVirtual().name("file-worker").unstarted(task);
        }
    }

    /** A tracker factory with a no-argument constructor, for the metricsTrackerFactory property in a file. */
    public static final class FileTrackers implements MetricsTrackerFactory {
        public FileTrackers() {
        }

        @java.lang.Override
        public MetricsTracker create(String poolName, PoolStats poolStats) {
            return new MetricsTracker() { };
        }
    }
}
