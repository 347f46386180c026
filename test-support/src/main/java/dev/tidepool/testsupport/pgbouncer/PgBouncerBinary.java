package dev.tidepool.testsupport.pgbouncer;

import dev.tidepool.testsupport.process.Commands;
import dev.tidepool.testsupport.process.RunAs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's {@code pgbouncer} program and its version. Unlike PostgreSQL, PgBouncer has no
 * binaries on Maven Central, so the tests use the operating system's package (Debian's
 * {@code pgbouncer}, which {@code .ci/run} installs when it can) and are skipped when there is
 * none.
 *
 * <p>Where it is looked for, by the system property {@value #PROPERTY}:
 * <ul>
 *   <li>unset: {@code pgbouncer} on {@code PATH}, then in {@code /usr/sbin} (where Debian installs
 *       it, often not on a normal user's {@code PATH}), {@code /usr/bin}, {@code /sbin},
 *       {@code /bin};</li>
 *   <li>{@value #NONE}: nowhere, as if it were not installed (to see the tests skip);</li>
 *   <li>a path: that program, which must be executable.</li>
 * </ul>
 *
 * <pre>{@code
 * Optional<PgBouncerBinary> pgbouncer = PgBouncerBinary.find();
 * pgbouncer.ifPresent(found -> System.out.println(found.path() + " " + found.version()));
 * }</pre>
 *
 * @param path the program
 * @param version what {@code pgbouncer --version} says it is
 */
public record PgBouncerBinary(Path path, PgBouncerVersion version) {
    /** The system property that says where PgBouncer is (see the class comment). */
    public static final String PROPERTY = "tidepool.pgbouncer";
    /** The value of {@value #PROPERTY} that hides PgBouncer. */
    public static final String NONE = "none";

    private static final long VERSION_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    /**
     * The PgBouncer to use, or empty if there is none (see the class comment).
     *
     * @throws IllegalArgumentException naming the value if {@value #PROPERTY} names a file that is
     *         not an executable program
     * @throws IllegalStateException if the program found does not say which PgBouncer it is
     */
    public static Optional<PgBouncerBinary> find() {
        String configured = System.getProperty(PROPERTY, "").strip();
        if (NONE.equals(configured)) {
            return Optional.empty();
        }
        Path program;
        if (configured.isEmpty()) {
            Optional<Path> onPath = RunAs.onPath("pgbouncer");
            if (onPath.isEmpty()) {
                return Optional.empty();
            }
            program = onPath.get();
        } else {
            program = Path.of(configured);
            if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
                throw new IllegalArgumentException(PROPERTY + "=" + configured + ": not an executable file");
            }
        }
        return Optional.of(new PgBouncerBinary(program, versionOf(program)));
    }

    /** Where {@link #find()} looks, in words, for the message of a skipped test. */
    public static String searched() {
        String configured = System.getProperty(PROPERTY, "").strip();
        if (NONE.equals(configured)) {
            return "-D" + PROPERTY + "=" + NONE + " hides it";
        }
        if (!configured.isEmpty()) {
            return "-D" + PROPERTY + "=" + configured;
        }
        return "looked on PATH and in /usr/sbin, /usr/bin, /sbin, /bin";
    }

    private static PgBouncerVersion versionOf(Path program) {
        String output;
        try {
            output = Commands.run(List.of(program.toString(), "--version"), System.nanoTime() + VERSION_LIMIT_NANOS);
        } catch (IOException e) {
            throw new UncheckedIOException(program + " --version failed", e);
        }
        try {
            return PgBouncerVersion.parse(output);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(program + " --version did not name a PgBouncer release: " + output.strip(),
                    e);
        }
    }
}
