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
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return Override.DO_NOT_EVICT;
        }
    }

    /** Evicts on every exception. */
    public static final class EvictEverything implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return Override.MUST_EVICT;
        }
    }

    /** The same credentials every time. */
    public static final class FixedCredentials implements CredentialsProvider {
        @java.lang.Override
        public Credentials getCredentials() {
            return Credentials.of("provided", "provided-secret");
        }
    }

    /** A class that is no plugin of any kind. */
    public static final class NotAPlugin {
    }
}
