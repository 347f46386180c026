package dev.tidepool.testsupport.pgbouncer;

import dev.tidepool.testsupport.postgres.PostgresServer;
import dev.tidepool.testsupport.process.Commands;
import dev.tidepool.testsupport.process.RunAs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A real PgBouncer in front of a {@link PostgresServer}, on 127.0.0.1 and a free port, with a
 * configuration generated for the test: one database entry pointing at the server's database,
 * {@link #DEFAULT_SETTINGS} (transaction pooling) plus whatever the caller adds, and
 * authentication from a generated userlist.
 *
 * <p>Authentication ({@code auth_type = hba}): the server's role logs in to PgBouncer with its own
 * password, by {@code scram-sha-256} unless the caller picks {@link ClientAuth#MD5}; PgBouncer
 * holds that password in plain text in the
 * generated {@code userlist.txt} (mode 0600, in a directory only the PgBouncer account can enter),
 * which is what lets it answer PostgreSQL's own {@code scram-sha-256} challenge when it opens a
 * server connection (PgBouncer 1.18 cannot pass SCRAM through with only a hashed secret). A
 * console user, {@value #CONSOLE_USER}, with a random password, may log in to the admin console
 * by {@code md5} and only there ({@code stats_users}: it can {@code SHOW}, not change anything).
 *
 * <p>Process: PgBouncer runs in the foreground as a child of this JVM, its output in
 * {@code pgbouncer.log} in its run directory ({@code $TMPDIR/tidepool-pgbouncer-*}). PgBouncer
 * refuses to run as root, so a root JVM starts it as an unprivileged account exactly as
 * test-support starts PostgreSQL ({@link RunAs}: {@code nobody}, or
 * {@code -Dtidepool.postgres.account}). The run directory holds the Unix socket that
 * {@link #restartOnline()} ({@code pgbouncer -R}) needs. {@link #kill()} and {@link #startAgain()}
 * play a crash and a restart on the same port. {@link #close()}, or a shutdown hook if the JVM
 * ends first, stops it and deletes the directory; a directory left by a JVM that died outright is
 * cleaned up, and its PgBouncer killed, by the next start.
 *
 * <pre>{@code
 * PgBouncerBinary binary = PgBouncerBinary.find().orElseThrow();
 * try (PostgresServer postgres = EmbeddedPostgresServer.start();
 *      PgBouncerServer pgbouncer = PgBouncerServer.start(binary, postgres, Map.of("default_pool_size", "5"))) {
 *     String url = pgbouncer.jdbcUrl();      // log in as postgres.username() / postgres.password()
 *     Map<String, String> pool = pgbouncer.pool();   // SHOW POOLS: cl_active, sv_active, ...
 * }
 * }</pre>
 */
public final class PgBouncerServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PgBouncerServer.class.getName());

    /**
     * The settings every PgBouncer here starts with: transaction pooling, 20 server connections
     * per database and user, up to 1,000 clients, {@code extra_float_digits} accepted (pgjdbc
     * sends it at login; PgBouncer 1.18 refuses a startup parameter it does not know), a listen
     * backlog that holds a fleet connecting at once, and no line per client login or logout.
     */
    public static final Map<String, String> DEFAULT_SETTINGS = defaults();

    /**
     * How the server's role proves its password to PgBouncer. PgBouncer always logs in to
     * PostgreSQL with {@code scram-sha-256}, with the password from the userlist.
     */
    public enum ClientAuth {
        /**
         * {@code scram-sha-256}, what production setups use. Each login costs a PBKDF2 of 4,096
         * rounds on the client and, with a plain password in the userlist, on PgBouncer too.
         */
        SCRAM_SHA_256("scram-sha-256"),
        /**
         * {@code md5}: a login costs two hashes. For tests that measure a reconnect storm, where
         * the cost of SCRAM logins on a busy machine would drown what the pool does.
         */
        MD5("md5");

        private final String method;

        ClientAuth(String method) {
            this.method = method;
        }
    }

    /** The admin console's user (read-only: {@code stats_users}). */
    public static final String CONSOLE_USER = "tidepool_console";

    private static final String HOST = "127.0.0.1";
    private static final String DIRECTORY_PREFIX = "tidepool-pgbouncer-";
    private static final String OWNER_FILE = "owner.pid";
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;

    /** What this class sets itself: where PgBouncer listens, whom it lets in, where its files go. */
    private static final Set<String> OWN_SETTINGS = Set.of("listen_addr", "listen_port", "unix_socket_dir",
            "unix_socket_mode", "unix_socket_group", "auth_type", "auth_file", "auth_hba_file", "auth_user",
            "auth_query", "admin_users", "stats_users", "pidfile", "logfile", "user", "conffile");
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    /** A value that needs no quoting in pgbouncer.ini and cannot start another line or setting. */
    private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.,:/+ -]*");

    private final PgBouncerBinary binary;
    private final PostgresServer upstream;
    private final String database;
    private final Path base;
    private final Path ini;
    private final Path log;
    private final Path pidFile;
    private final List<String> asAccount;
    private final String consolePassword = PostgresServer.randomPassword();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "tidepool-pgbouncer-stop");
    private final Map<String, String> settings;
    private final ClientAuth clientAuth;
    private volatile int port;
    private volatile Process process;

    private PgBouncerServer(PgBouncerBinary binary, PostgresServer upstream, String database, Path base,
                            List<String> asAccount, Map<String, String> settings, ClientAuth clientAuth) {
        this.binary = binary;
        this.upstream = upstream;
        this.database = database;
        this.base = base;
        this.ini = base.resolve("pgbouncer.ini");
        this.log = base.resolve("pgbouncer.log");
        this.pidFile = base.resolve("pgbouncer.pid");
        this.asAccount = asAccount;
        this.settings = settings;
        this.clientAuth = clientAuth;
    }

    /**
     * Starts a PgBouncer with {@link #DEFAULT_SETTINGS} and {@code settings} on top (pgbouncer.ini
     * names and values, e.g. {@code "default_pool_size" -> "20"}) in front of {@code upstream}'s
     * database; within 30 s, or throws having cleaned up.
     *
     * @throws IllegalArgumentException if a name or value is not a plain word, or names what this
     *         class sets itself (where it listens, authentication, its files), before anything starts
     * @throws IllegalStateException if PgBouncer does not start (the message holds its log)
     */
    public static PgBouncerServer start(PgBouncerBinary binary, PostgresServer upstream, Map<String, String> settings) {
        return start(binary, upstream, settings, ClientAuth.SCRAM_SHA_256);
    }

    /**
     * Starts a PgBouncer as {@link #start(PgBouncerBinary, PostgresServer, Map)} does, with the
     * role's logins to PgBouncer checked by {@code clientAuth}.
     */
    public static PgBouncerServer start(PgBouncerBinary binary, PostgresServer upstream, Map<String, String> settings,
                                        ClientAuth clientAuth) {
        Objects.requireNonNull(clientAuth, "clientAuth");
        Map<String, String> merged = settings(settings);
        URI target = URI.create(upstream.jdbcUrl().substring("jdbc:".length()));
        String database = target.getPath().substring(1);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        Path workDir = Path.of(System.getProperty("tidepool.postgres.workDir", System.getProperty("java.io.tmpdir")));
        try {
            List<String> asAccount = List.of();
            int uid = -1;
            int gid = -1;
            if (RunAs.jvmIsRoot()) {
                String account = RunAs.account();
                uid = Commands.uid(account, deadline);
                gid = Commands.gid(account, deadline);
                asAccount = RunAs.switchUserPrefix(account, uid, gid, "PgBouncer");
            }
            removeLeftovers(workDir);
            Path base = Files.createTempDirectory(workDir, DIRECTORY_PREFIX);
            PgBouncerServer server = new PgBouncerServer(binary, upstream, database, base, asAccount, merged,
                    clientAuth);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                Files.writeString(base.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
                server.writeFiles(target.getHost(), target.getPort(), uid, gid);
                server.boot(deadline);
                return server;
            } catch (Throwable e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("PgBouncer did not start", e);
        }
    }

    /**
     * {@link #DEFAULT_SETTINGS} with {@code overrides} on top.
     *
     * @throws IllegalArgumentException naming the setting, as {@link #start} says
     */
    static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULT_SETTINGS);
        overrides.forEach((name, value) -> {
            if (name == null || !SETTING_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a PgBouncer setting name: '" + name + "'");
            }
            if (OWN_SETTINGS.contains(name)) {
                throw new IllegalArgumentException("PgBouncer setting " + name + " is set by the test server itself;"
                        + " it cannot be changed");
            }
            if (value == null || !SETTING_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("PgBouncer setting " + name + ": unsupported value '" + value
                        + "' (letters, digits, spaces and _.,:/+- only)");
            }
            merged.put(name, value);
        });
        return merged;
    }

    private void writeFiles(String upstreamHost, int upstreamPort, int uid, int gid) throws IOException {
        Path userlist = base.resolve("userlist.txt");
        Path hba = base.resolve("pg_hba.conf");
        // Passwords are letters and digits only (PostgresServer.randomPassword): no quoting needed.
        Files.writeString(userlist, "\"" + upstream.username() + "\" \"" + upstream.password() + "\"\n"
                + "\"" + CONSOLE_USER + "\" \"" + consolePassword + "\"\n");
        Files.setPosixFilePermissions(userlist, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(hba, """
                # TYPE  DATABASE   USER   ADDRESS        METHOD
                host    %s  %s  127.0.0.1/32   %s
                host    pgbouncer  %s  127.0.0.1/32   md5
                """.formatted(database, upstream.username(), clientAuth.method, CONSOLE_USER));
        StringBuilder conf = new StringBuilder("; generated by tidepool test-support\n[databases]\n")
                .append(database).append(" = host=").append(upstreamHost).append(" port=").append(upstreamPort)
                .append(" dbname=").append(database).append("\n\n[pgbouncer]\n")
                .append("unix_socket_dir = ").append(base).append('\n')
                .append("pidfile = ").append(pidFile).append('\n')
                .append("auth_type = hba\n")
                .append("auth_hba_file = ").append(hba).append('\n')
                .append("auth_file = ").append(userlist).append('\n')
                .append("stats_users = ").append(CONSOLE_USER).append('\n');
        // Names and values are plain words (settings() checked them): no quoting needed.
        settings.forEach((name, value) -> conf.append(name).append(" = ").append(value).append('\n'));
        conf.append("listen_addr = ").append(HOST).append('\n');
        Files.writeString(ini, conf);
        if (uid >= 0) {
            for (Path owned : List.of(base, userlist)) {
                Files.setAttribute(owned, "unix:uid", uid);
                Files.setAttribute(owned, "unix:gid", gid);
            }
        }
    }

    /** Picks a port, writes it to the configuration and starts; another port if that one was taken. */
    private void boot(long deadline) throws IOException {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            Files.writeString(ini, Files.readString(ini).replaceAll("(?m)^listen_port = .*\\n", "")
                    + "listen_port = " + port + "\n");
            try {
                process = launch(false);
                awaitReady(process, deadline);
                return;
            } catch (IOException e) {
                String output = Commands.tail(log);
                stopProcess(process);
                if (attempt < 3 && output.contains("Address already in use") && System.nanoTime() < deadline) {
                    continue; // the port was free a moment ago; someone took it since
                }
                throw new IOException(e.getMessage() + "\npgbouncer.log:\n" + output, e);
            }
        }
    }

    private Process launch(boolean takeOver) throws IOException {
        List<String> command = new ArrayList<>(asAccount);
        command.add(binary.path().toString());
        if (takeOver) {
            command.add("-R");
        }
        command.add(ini.toString());
        return Commands.builder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until {@code starting} answers on its console; throws if it exits or the deadline passes. */
    private void awaitReady(Process starting, long deadline) throws IOException {
        PgBouncerConsole console = console();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!starting.isAlive()) {
                throw new IOException("pgbouncer exited with status " + starting.exitValue());
            }
            try {
                console.show("VERSION");
                return;
            } catch (SQLException e) {
                last = e;
            }
            pause();
        }
        throw new IOException("pgbouncer did not answer within " + START_LIMIT.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    // ------------------------------------------------------------------ faults and restarts

    /**
     * {@code pgbouncer -R}: a new process takes over the listening sockets and the client and
     * server connections of the running one, which then exits. Returns once the old process is
     * gone and the new one answers.
     *
     * @throws IllegalStateException if PgBouncer is not running, or the takeover fails (the
     *         message holds the log)
     */
    public void restartOnline() {
        lifecycle.lock();
        try {
            Process old = running();
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            Process next = launch(true);
            try {
                if (!old.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IOException("the old pgbouncer (pid " + old.pid() + ") did not hand over");
                }
                awaitReady(next, deadline);
            } catch (IOException | InterruptedException e) {
                stopProcess(next);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("online restart failed: " + e.getMessage() + "\npgbouncer.log:\n"
                        + Commands.tail(log), e);
            }
            process = next;
            LOG.log(System.Logger.Level.INFO, "PgBouncer restarted online: pid " + old.pid() + " -> " + next.pid());
        } catch (IOException e) {
            throw new IllegalStateException("could not launch pgbouncer -R", e);
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Kills PgBouncer outright ({@code SIGKILL}: a crash, no goodbye to anyone) and waits until it
     * is gone. Its clients' sockets close; PostgreSQL ends its server connections' backends.
     *
     * @throws IllegalStateException if it is not running
     */
    public void kill() {
        lifecycle.lock();
        try {
            Process victim = running();
            victim.descendants().forEach(ProcessHandle::destroyForcibly);
            victim.destroyForcibly();
            if (!victim.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("pgbouncer (pid " + victim.pid() + ") survived SIGKILL");
            }
            Files.deleteIfExists(pidFile); // its pid may be reused before the next start reads the file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing pgbouncer", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Starts PgBouncer again, on the same port with the same configuration, after {@link #kill()};
     * returns once it answers.
     *
     * @throws IllegalStateException if it is running already, or does not start (with its log)
     */
    public void startAgain() {
        lifecycle.lock();
        try {
            if (closed.get() || (process != null && process.isAlive())) {
                throw new IllegalStateException("pgbouncer is " + (closed.get() ? "closed" : "running"));
            }
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            Process next = launch(false);
            try {
                awaitReady(next, deadline);
            } catch (IOException e) {
                stopProcess(next);
                throw new IllegalStateException("pgbouncer did not start again on port " + port + ": "
                        + e.getMessage() + "\npgbouncer.log:\n" + Commands.tail(log), e);
            }
            process = next;
        } catch (IOException e) {
            throw new IllegalStateException("could not launch pgbouncer", e);
        } finally {
            lifecycle.unlock();
        }
    }

    /** Whether the PgBouncer process is alive. */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** The pid of the current PgBouncer process (a new one after each restart). */
    public long pid() {
        return running().pid();
    }

    private Process running() {
        Process current = process;
        if (closed.get() || current == null || !current.isAlive()) {
            throw new IllegalStateException("pgbouncer is not running");
        }
        return current;
    }

    // ------------------------------------------------------------------ what clients see

    /** The URL of the database through PgBouncer, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** The role the pools log in as: the upstream server's. */
    public String username() {
        return upstream.username();
    }

    /** Its password (never in a message). */
    public String password() {
        return upstream.password();
    }

    /** The port PgBouncer listens on. */
    public int port() {
        return port;
    }

    /** Which PgBouncer this is. */
    public PgBouncerVersion version() {
        return binary.version();
    }

    /** The server behind it. */
    public PostgresServer upstream() {
        return upstream;
    }

    /** A client connection through PgBouncer, outside any pool, with {@code properties} added. */
    public Connection connect(Properties properties) throws SQLException {
        Properties all = new Properties();
        all.putAll(properties);
        all.setProperty("user", username());
        all.setProperty("password", password());
        return DriverManager.getConnection(jdbcUrl(), all);
    }

    /** The admin console, as {@value #CONSOLE_USER}. */
    public PgBouncerConsole console() {
        return new PgBouncerConsole(HOST, port, CONSOLE_USER, consolePassword);
    }

    /** The {@code SHOW POOLS} row of the database and role, or an empty map if PgBouncer has none yet. */
    public Map<String, String> pool() throws SQLException {
        for (Map<String, String> row : console().show("POOLS")) {
            if (database.equals(row.get("database")) && username().equals(row.get("user"))) {
                return row;
            }
        }
        return Map.of();
    }

    /** How many client connections of the role PgBouncer has ({@code SHOW CLIENTS}). */
    public int clientCount() throws SQLException {
        return (int) console().show("CLIENTS").stream().filter(row -> username().equals(row.get("user"))).count();
    }

    /** What PgBouncer's {@code SHOW CONFIG} says {@code name} is, if it has such a setting. */
    public Optional<String> setting(String name) throws SQLException {
        return console().show("CONFIG").stream().filter(row -> name.equals(row.get("key")))
                .map(row -> row.get("value")).findFirst();
    }

    /** The last lines of PgBouncer's log. */
    public String logTail() {
        return Commands.tail(log);
    }

    /** For logs: version, address, run directory. */
    public String description() {
        return "PgBouncer " + version() + " (" + binary.path() + (asAccount.isEmpty() ? "" : ", run as '"
                + RunAs.account() + "' because this JVM is root") + ", clients log in by " + clientAuth.method
                + ") at " + HOST + ":" + port + " in front of "
                + upstream.jdbcUrl() + ", in " + base;
    }

    // ------------------------------------------------------------------ stopping

    /** Stops PgBouncer ({@code SIGTERM}, then {@code SIGKILL}) and deletes its directory; a second call does nothing. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        stopProcess(process);
        Commands.deleteTree(base);
    }

    private static void stopProcess(Process target) {
        if (target == null || !target.isAlive()) {
            return;
        }
        // SIGTERM: an immediate shutdown before PgBouncer 1.23; from 1.23 it waits for the clients
        // to leave (rolling restarts), which the tests' closed pools have done, else SIGKILL below.
        target.destroy();
        try {
            if (!target.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                target.descendants().forEach(ProcessHandle::destroyForcibly);
                target.destroyForcibly();
                target.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            target.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the PgBouncers of JVMs that died without closing them, and deletes their directories. */
    private static void removeLeftovers(Path workDir) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workDir, DIRECTORY_PREFIX + "*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                long jvm = Long.parseLong(Files.readString(owner).strip());
                if (ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // another JVM's, still in use
                }
                LOG.log(System.Logger.Level.WARNING, "removing the PgBouncer left behind by JVM " + jvm + " in " + dir);
                Path pid = dir.resolve("pgbouncer.pid");
                if (Files.isRegularFile(pid)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                            .filter(p -> p.info().command().map(c -> c.endsWith("pgbouncer")).orElse(false))
                            .ifPresent(ProcessHandle::destroyForcibly);
                }
                Commands.deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not look for leftover PgBouncers in " + workDir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** A bounded poll's step while a process comes up; there is nothing to be told by. */
    private static void pause() throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for pgbouncer", e);
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pool_mode", "transaction");
        settings.put("default_pool_size", "20");
        settings.put("max_client_conn", "1000");
        settings.put("ignore_startup_parameters", "extra_float_digits");
        settings.put("listen_backlog", "1024");
        settings.put("log_connections", "0");
        settings.put("log_disconnections", "0");
        return Collections.unmodifiableMap(settings);
    }
}
