package dev.tidepool.testsupport.postgres;

import dev.tidepool.testsupport.process.Commands;
import dev.tidepool.testsupport.process.RunAs;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL from zonky's Maven Central binaries, run as an unprivileged account because this JVM
 * runs as root, which {@code initdb} and {@code postgres} refuse ("cannot be run as root") and
 * zonky's {@code EmbeddedPostgres} cannot work around.
 *
 * <p>It does by hand what zonky does, each step as the account ({@code nobody} unless
 * {@code -Dtidepool.postgres.account} names another) through {@code setpriv} (or {@code runuser}
 * where there is none): {@code tar -xJf} the {@code postgres-linux-*.txz} that zonky's binaries jar
 * carries into a fresh directory owned by the account, {@code initdb}, and {@code pg_ctl start} on
 * 127.0.0.1 and a free port, without a Unix socket. The machine's own PostgreSQL, if any, is never
 * touched.
 *
 * <p>For fault tests it can be stopped ({@code pg_ctl stop -m fast}) and started again on the same
 * port and data directory ({@link #stop()}, {@link #startAgain(Map)}); settings for one run only go
 * on {@code postgres}'s command line ({@code pg_ctl start -o "-c name=value"}), where they win over
 * {@code postgresql.conf}.
 *
 * <p>The server stops and its directory is deleted on {@link #close()}, from a shutdown hook if
 * the JVM ends first, and, should a JVM die without either (SIGKILL), by the next start, which
 * stops and deletes the directories whose owning JVM is gone.
 */
final class UnprivilegedPostgres extends LocalPostgres {
    private static final System.Logger LOG = System.getLogger(UnprivilegedPostgres.class.getName());
    private static final String DIRECTORY_PREFIX = "tidepool-pg-";
    private static final String OWNER_FILE = "owner.pid";
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final Path base;
    private final Path bin;
    private final Path data;
    private final List<String> asAccount;
    private final String account;
    private final Map<String, String> settings;
    private final ServerLifecycle lifecycle = new ServerLifecycle(() -> "embedded PostgreSQL at " + jdbcUrl());
    private final Thread shutdownHook = new Thread(this::close, "tidepool-postgres-stop");
    private volatile int port;

    private UnprivilegedPostgres(Path base, String account, List<String> asAccount, Map<String, String> settings) {
        this.base = base;
        this.settings = settings;
        this.bin = base.resolve("pg").resolve("bin");
        this.data = base.resolve("data");
        this.account = account;
        this.asAccount = asAccount;
    }

    /** Whether this JVM runs as root (uid 0); false where there are no Unix uids. */
    static boolean runningAsRoot() {
        return RunAs.jvmIsRoot();
    }

    /**
     * Extracts, initialises and starts a server with {@code settings} (already checked by
     * {@link PostgresBootstrap#settings}) within 60 s, or throws having cleaned up.
     */
    static UnprivilegedPostgres start(Map<String, String> settings) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        String account = RunAs.account();
        Path workDir = Path.of(System.getProperty("tidepool.postgres.workDir", System.getProperty("java.io.tmpdir")));
        try {
            int uid = Integer.parseInt(run(List.of("id", "-u", account), deadline).strip());
            int gid = Integer.parseInt(run(List.of("id", "-g", account), deadline).strip());
            List<String> asAccount = RunAs.switchUserPrefix(account, uid, gid, "PostgreSQL");
            removeLeftovers(workDir, asAccount, deadline);

            Path base = Files.createTempDirectory(workDir, DIRECTORY_PREFIX);
            Files.writeString(base.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            Files.setAttribute(base, "unix:uid", uid);
            Files.setAttribute(base, "unix:gid", gid);

            UnprivilegedPostgres server = new UnprivilegedPostgres(base, account, asAccount, settings);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                server.boot(deadline);
                return server;
            } catch (Throwable e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL started but could not be set up", e);
        }
    }

    private void boot(long deadline) throws IOException, SQLException {
        Path pg = base.resolve("pg");
        runAsAccount(List.of("mkdir", pg.toString()), deadline);
        extractBinaries(pg, deadline);

        Path hba = PostgresBootstrap.writeHba(base.resolve("pg_hba.conf"));
        runAsAccount(List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", PostgresBootstrap.SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), deadline);

        StringBuilder conf = new StringBuilder("\n# tidepool test-support\n")
                .append("listen_addresses = '").append(PostgresBootstrap.HOST).append("'\n")
                .append("unix_socket_directories = ''\n")
                .append("hba_file = '").append(hba).append("'\n");
        // Names and values are plain words (PostgresBootstrap.settings checked them): no escaping needed.
        settings.forEach((name, value) -> conf.append(name).append(" = '").append(value).append("'\n"));
        Files.writeString(data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
        for (int attempt = 1; ; attempt++) {
            port = PostgresBootstrap.freePort();
            // Later lines win over earlier ones; postgresql.conf stays the account's (root only appends).
            Files.writeString(data.resolve("postgresql.conf"), "port = " + port + "\n", StandardOpenOption.APPEND);
            try {
                pgCtlStart(Map.of(), deadline);
                break;
            } catch (IOException e) {
                // The port was free a moment ago; someone may have taken it since. Try another.
                if (attempt < 3 && e.getMessage().contains("could not bind") && System.nanoTime() < deadline) {
                    continue;
                }
                throw e;
            }
        }
        lifecycle.started();
        PostgresBootstrap.createRoleAndDatabase(port, password());
    }

    /**
     * {@code pg_ctl start -w}, with {@code runSettings} (checked plain words) on postgres's command
     * line; the server log's tail is in the exception if it fails.
     */
    private void pgCtlStart(Map<String, String> runSettings, long deadline) throws IOException {
        Path log = base.resolve("server.log");
        long secondsLeft = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-l", log.toString(), "-w", "-t", Long.toString(secondsLeft)));
        if (!runSettings.isEmpty()) {
            // pg_ctl hands -o to a shell: single quotes keep a value with spaces whole (values have no quotes).
            StringBuilder options = new StringBuilder();
            runSettings.forEach((name, value) -> options.append(" -c '").append(name).append('=').append(value)
                    .append('\''));
            command.addAll(List.of("-o", options.toString().strip()));
        }
        command.add("start");
        try {
            runAsAccount(command, deadline);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nserver log:\n" + tail(log), e);
        }
    }

    /** Streams zonky's {@code postgres-linux-<arch>.txz} from the class path into tar, run as the account. */
    private void extractBinaries(Path target, long deadline) throws IOException {
        String arch = System.getProperty("os.arch");
        String machine = "amd64".equals(arch) ? "x86_64" : arch; // as zonky names it
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", machine)) {
            List<String> command = new ArrayList<>(asAccount);
            command.addAll(List.of("tar", "-xJf", "-", "-C", target.toString()));
            Process tar = processBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            IOException feeding = null;
            try (OutputStream in = tar.getOutputStream()) {
                txz.transferTo(in);
            } catch (IOException e) {
                feeding = e; // tar died early: its exit status and output say why
            }
            finish(tar, command, deadline);
            if (feeding != null) {
                throw feeding;
            }
        }
    }

    // ------------------------------------------------------------------ PostgresServer

    @Override
    int port() {
        return port;
    }

    @Override
    public String description() {
        return "embedded (zonky binaries from Maven Central, run as '" + account + "' because this JVM is root) at "
                + jdbcUrl() + ", in " + base;
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void stop() {
        lifecycle.stop(() -> runAsAccount(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                "-w", "-t", Long.toString(STOP_LIMIT.toSeconds()), "stop"), System.nanoTime() + STOP_LIMIT.toNanos()
                + TimeUnit.SECONDS.toNanos(5)));
    }

    @Override
    public void startAgain(Map<String, String> settings) {
        Map<String, String> runSettings = PostgresBootstrap.checked(settings);
        lifecycle.startAgain(() -> pgCtlStart(runSettings, System.nanoTime() + START_LIMIT.toNanos()));
    }

    @Override
    public void close() {
        lifecycle.close(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // called from the hook itself
            }
            stop(bin, data, asAccount);
            Commands.deleteTree(base);
        });
    }

    // ------------------------------------------------------------------ processes

    private static void stop(Path bin, Path data, List<String> asAccount) {
        if (!Files.exists(data.resolve("postmaster.pid")) || !Files.exists(bin.resolve("pg_ctl"))) {
            return;
        }
        long deadline = System.nanoTime() + STOP_LIMIT.toNanos();
        for (String mode : List.of("fast", "immediate")) {
            List<String> command = new ArrayList<>(asAccount);
            command.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                    "-m", mode, "-w", "-t", "10", "stop"));
            try {
                run(command, deadline);
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "pg_ctl stop -m " + mode + " failed: " + e.getMessage());
            }
        }
    }

    private String runAsAccount(List<String> command, long deadline) throws IOException {
        List<String> full = new ArrayList<>(asAccount);
        full.addAll(command);
        return run(full, deadline);
    }

    private static String run(List<String> command, long deadline) throws IOException {
        return Commands.run(command, deadline);
    }

    private static String finish(Process process, List<String> command, long deadline) throws IOException {
        return Commands.finish(process, command, deadline);
    }

    private static ProcessBuilder processBuilder(List<String> command) {
        return Commands.builder(command);
    }

    // ------------------------------------------------------------------ files

    /** Stops and deletes servers left behind by JVMs that died before their shutdown hook ran. */
    private static void removeLeftovers(Path workDir, List<String> asAccount, long deadline) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workDir, DIRECTORY_PREFIX + "*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (System.nanoTime() > deadline || !Files.isRegularFile(owner)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(owner).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // another JVM's server, still in use
                }
                LOG.log(System.Logger.Level.WARNING, "removing the PostgreSQL left behind by JVM " + pid + " in " + dir);
                stop(dir.resolve("pg").resolve("bin"), dir.resolve("data"), asAccount);
                Commands.deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not look for leftover servers in " + workDir, e);
        }
    }


    private static String tail(Path log) {
        return Commands.tail(log);
    }
}
