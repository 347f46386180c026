package dev.tidepool.testsupport.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Running the short commands that set up a test server ({@code id}, {@code tar}, {@code initdb},
 * {@code pg_ctl}, {@code pgbouncer --version}) to their end within a deadline, and cleaning up
 * after a server. Every command gets a clean environment: no {@code PG*} variables of the caller's
 * shell (which would steer {@code initdb}, {@code pg_ctl} or libpq), {@code LC_ALL=C}, standard
 * input from {@code /dev/null} and standard error merged into the output it returns.
 *
 * <pre>{@code
 * long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
 * int uid = Integer.parseInt(Commands.run(List.of("id", "-u", "nobody"), deadline).strip());
 * }</pre>
 */
public final class Commands {
    private static final System.Logger LOG = System.getLogger(Commands.class.getName());
    /** How many lines of a log {@link #tail} keeps. */
    private static final int TAIL_LINES = 30;

    private Commands() {
    }

    /**
     * Runs {@code command} to its end, or until {@code deadline} ({@link System#nanoTime()}), and
     * returns its output.
     *
     * @throws IOException if it cannot start, exits non-zero (the message carries its output),
     *         outlives the deadline (it is killed) or the caller is interrupted
     */
    public static String run(List<String> command, long deadline) throws IOException {
        Process process = builder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return finish(process, command, deadline);
    }

    /** Waits for {@code process}, started from {@code command}, as {@link #run} does. */
    public static String finish(Process process, List<String> command, long deadline) throws IOException {
        // Output is small (initdb's is the largest); read it on a virtual thread so a full pipe never blocks.
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream out = process.getInputStream()) {
                output.complete(new String(out.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.complete("(output unreadable: " + e + ")");
            }
        });
        try {
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            String text = output.get(5, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IOException("exit " + process.exitValue() + ": " + command + "\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("output of " + command + " unreadable", e);
        }
    }

    /** A process builder for {@code command} with the clean environment of the class comment. */
    public static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // PGDATA, PGPORT and friends of the caller's shell must not steer initdb, pg_ctl or pgbouncer.
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().put("LC_ALL", "C");
        return builder;
    }

    /** The uid ({@code id -u}) of {@code account}. */
    public static int uid(String account, long deadline) throws IOException {
        return Integer.parseInt(run(List.of("id", "-u", account), deadline).strip());
    }

    /** The primary gid ({@code id -g}) of {@code account}. */
    public static int gid(String account, long deadline) throws IOException {
        return Integer.parseInt(run(List.of("id", "-g", account), deadline).strip());
    }

    /** Deletes {@code root} and everything under it; a failure is logged, not thrown. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + root, e);
        }
    }

    /** The last lines of a log file, for an exception message; never throws. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
