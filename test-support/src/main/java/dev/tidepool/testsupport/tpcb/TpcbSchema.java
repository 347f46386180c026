package dev.tidepool.testsupport.tpcb;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * pgbench's TPC-B schema, made through JDBC the way {@code pgbench -i -s <scale>} makes it: the
 * four tables {@code pgbench_branches} (1 row per scale unit), {@code pgbench_tellers} (10),
 * {@code pgbench_accounts} (100,000) and an empty {@code pgbench_history}, with pgbench's column
 * types and fill factor 100, all balances 0, the rows streamed in with {@code COPY ... FROM STDIN}
 * (pgjdbc's {@link org.postgresql.copy.CopyManager}), then primary keys, then
 * {@code VACUUM ANALYZE}. Scale 10 is 1,000,000 accounts, about 150 MB with its index.
 *
 * <p>{@link #resetForRound} does what pgbench does before every run (unless {@code -n}): vacuum
 * the two small, hot tables and empty the history, so every round starts from the same state
 * whichever pool ran before it.
 *
 * <pre>{@code
 * try (Connection connection = postgres.connect()) {
 *     TpcbSchema.load(connection, 10);
 *     TpcbSchema.resetForRound(connection);
 * }
 * }</pre>
 */
public final class TpcbSchema {
    /** pgbench's branches per scale unit. */
    public static final int BRANCHES_PER_SCALE = 1;
    /** pgbench's tellers per scale unit. */
    public static final int TELLERS_PER_SCALE = 10;
    /** pgbench's accounts per scale unit. */
    public static final int ACCOUNTS_PER_SCALE = 100_000;

    /** Above this, account ids overflow pgbench's {@code int} columns. */
    public static final int MAX_SCALE = 20_000;

    /** Rows per {@code COPY} buffer handed to the driver. */
    private static final int ROWS_PER_CHUNK = 10_000;

    private TpcbSchema() {
    }

    /**
     * Drops and remakes the four tables on {@code connection} (as their owner) with the rows of
     * {@code scale}, then keys, vacuums and analyzes them. Leaves the connection in auto-commit.
     *
     * @throws IllegalArgumentException if {@code scale} is not in 1 .. {@value #MAX_SCALE}
     */
    public static void load(Connection connection, int scale) throws SQLException {
        if (scale < 1 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("scale " + scale + ": expected 1 .. " + MAX_SCALE);
        }
        connection.setAutoCommit(true);
        try (Statement sql = connection.createStatement()) {
            sql.execute("drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers");
            sql.execute("create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp,"
                    + " filler char(22))");
            sql.execute("create table pgbench_tellers (tid int not null, bid int, tbalance int, filler char(84))"
                    + " with (fillfactor = 100)");
            sql.execute("create table pgbench_accounts (aid int not null, bid int, abalance int, filler char(84))"
                    + " with (fillfactor = 100)");
            sql.execute("create table pgbench_branches (bid int not null, bbalance int, filler char(88))"
                    + " with (fillfactor = 100)");
        }
        connection.setAutoCommit(false);
        copy(connection, "copy pgbench_branches (bid, bbalance) from stdin",
                (long) BRANCHES_PER_SCALE * scale, (row, line) -> line.append(row).append("\t0\n"));
        copy(connection, "copy pgbench_tellers (tid, bid, tbalance) from stdin",
                (long) TELLERS_PER_SCALE * scale, (row, line) -> line.append(row).append('\t')
                        .append((row - 1) / TELLERS_PER_SCALE + 1).append("\t0\n"));
        // pgbench writes an empty filler for accounts (blank-padded to 84 characters by char(84)).
        copy(connection, "copy pgbench_accounts (aid, bid, abalance, filler) from stdin",
                (long) ACCOUNTS_PER_SCALE * scale, (row, line) -> line.append(row).append('\t')
                        .append((row - 1) / ACCOUNTS_PER_SCALE + 1).append("\t0\t\n"));
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement sql = connection.createStatement()) {
            sql.execute("alter table pgbench_branches add primary key (bid)");
            sql.execute("alter table pgbench_tellers add primary key (tid)");
            sql.execute("alter table pgbench_accounts add primary key (aid)");
            sql.execute("vacuum analyze pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history");
        }
    }

    /**
     * What pgbench does before a run: vacuum {@code pgbench_branches} and {@code pgbench_tellers},
     * empty {@code pgbench_history}. Leaves the connection in auto-commit.
     */
    public static void resetForRound(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement sql = connection.createStatement()) {
            sql.execute("vacuum pgbench_branches, pgbench_tellers");
            sql.execute("truncate pgbench_history");
        }
    }

    /** How many accounts the schema of {@code scale} holds. */
    public static long accounts(int scale) {
        return (long) ACCOUNTS_PER_SCALE * scale;
    }

    /** Appends row {@code row} (1-based) as one line of COPY text format. */
    @FunctionalInterface
    private interface RowWriter {
        void append(long row, StringBuilder line);
    }

    private static void copy(Connection connection, String copySql, long rows, RowWriter writer) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder chunk = new StringBuilder(ROWS_PER_CHUNK * 16);
            for (long row = 1; row <= rows; row++) {
                writer.append(row, chunk);
                if (row % ROWS_PER_CHUNK == 0 || row == rows) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            long copied = copy.endCopy();
            if (copied != rows) {
                throw new SQLException(copySql + ": copied " + copied + " rows, expected " + rows);
            }
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // the failure that got us here matters more
                }
            }
        }
    }
}
