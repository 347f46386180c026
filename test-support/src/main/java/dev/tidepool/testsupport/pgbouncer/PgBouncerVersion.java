package dev.tidepool.testsupport.pgbouncer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PgBouncer release, as {@code pgbouncer --version} and the console's {@code SHOW VERSION} print
 * it ({@code PgBouncer 1.18.0}), ordered by major, minor and patch number. It answers the one
 * question the tests ask of a version: whether PgBouncer tracks protocol-level named prepared
 * statements in transaction mode ({@code max_prepared_statements}, new in 1.21).
 *
 * <pre>{@code
 * PgBouncerVersion version = PgBouncerVersion.parse("PgBouncer 1.18.0");
 * boolean named = version.supportsPreparedStatements();   // false: 1.18 < 1.21
 * }</pre>
 *
 * @param major the first number
 * @param minor the second number
 * @param patch the third number, 0 if the text has none
 */
public record PgBouncerVersion(int major, int minor, int patch) implements Comparable<PgBouncerVersion> {
    /** The first release with {@code max_prepared_statements}. */
    public static final PgBouncerVersion PREPARED_STATEMENTS = new PgBouncerVersion(1, 21, 0);

    private static final Pattern VERSION = Pattern.compile("PgBouncer (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /**
     * @throws IllegalArgumentException if a number is negative
     */
    public PgBouncerVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("PgBouncer version " + major + "." + minor + "." + patch
                    + ": numbers must not be negative");
        }
    }

    /**
     * Reads the first {@code PgBouncer X.Y[.Z]} in {@code text} (the output of
     * {@code pgbouncer --version}, or {@code SHOW VERSION}).
     *
     * @throws IllegalArgumentException quoting {@code text} if it holds no such version
     */
    public static PgBouncerVersion parse(String text) {
        Matcher matcher = VERSION.matcher(text == null ? "" : text);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no PgBouncer version in '" + text + "'");
        }
        return new PgBouncerVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3)));
    }

    /** Whether this release has {@code max_prepared_statements} (1.21 and later). */
    public boolean supportsPreparedStatements() {
        return compareTo(PREPARED_STATEMENTS) >= 0;
    }

    @Override
    public int compareTo(PgBouncerVersion other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    /** {@code 1.18.0}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
