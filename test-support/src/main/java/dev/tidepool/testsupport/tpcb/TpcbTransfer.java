package dev.tidepool.testsupport.tpcb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.random.RandomGenerator;

/**
 * One transaction of pgbench's default ("tpcb-like") script on a schema made by
 * {@link TpcbSchema#load}: the five statements as prepared statements, then a commit.
 *
 * <p>{@link #draw} picks pgbench's random ids ({@code aid} in 1 .. 100,000 × scale, {@code bid}
 * in 1 .. scale, {@code tid} in 1 .. 10 × scale, {@code delta} in −5,000 .. 5,000);
 * {@link #run} moves {@code delta} into the account, its teller and its branch, reads the
 * account's balance back and appends a history row, in that order (the same order for every
 * transaction, so two of them can wait for each other's row locks but never deadlock). The
 * connection must have auto-commit off; the caller owns it (borrows and closes it), so a pool's
 * wait and the transaction's own time can be measured apart.
 *
 * <pre>{@code
 * TpcbTransfer.Ids ids = TpcbTransfer.draw(ThreadLocalRandom.current(), scale);
 * try (Connection connection = dataSource.getConnection()) {   // auto-commit off
 *     TpcbTransfer.run(connection, ids);                         // committed, or rolled back and thrown
 * }
 * }</pre>
 */
public final class TpcbTransfer {
    /** pgbench's first statement: the account takes {@code delta}. */
    public static final String UPDATE_ACCOUNT = "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?";
    /** pgbench's second: read the account's balance back. */
    public static final String SELECT_ACCOUNT = "SELECT abalance FROM pgbench_accounts WHERE aid = ?";
    /** The teller takes {@code delta}. */
    public static final String UPDATE_TELLER = "UPDATE pgbench_tellers SET tbalance = tbalance + ? WHERE tid = ?";
    /** The branch takes {@code delta}: with one branch per scale unit, the hot row. */
    public static final String UPDATE_BRANCH = "UPDATE pgbench_branches SET bbalance = bbalance + ? WHERE bid = ?";
    /** The history row. */
    public static final String INSERT_HISTORY = "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
            + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)";

    /**
     * The random inputs of one transaction.
     *
     * @param aid the account
     * @param bid the branch
     * @param tid the teller
     * @param delta the amount moved
     */
    public record Ids(int aid, int bid, int tid, int delta) {
    }

    private TpcbTransfer() {
    }

    /**
     * pgbench's random ids for a schema of {@code scale}.
     *
     * @throws IllegalArgumentException if {@code scale} is not in 1 .. {@value TpcbSchema#MAX_SCALE}
     */
    public static Ids draw(RandomGenerator random, int scale) {
        if (scale < 1 || scale > TpcbSchema.MAX_SCALE) {
            throw new IllegalArgumentException("scale " + scale + ": expected 1 .. " + TpcbSchema.MAX_SCALE);
        }
        return new Ids(random.nextInt(1, TpcbSchema.ACCOUNTS_PER_SCALE * scale + 1),
                random.nextInt(1, TpcbSchema.BRANCHES_PER_SCALE * scale + 1),
                random.nextInt(1, TpcbSchema.TELLERS_PER_SCALE * scale + 1),
                random.nextInt(-5000, 5001));
    }

    /**
     * Runs the five statements on {@code connection} (auto-commit off) and commits. If a statement
     * or the commit fails, rolls back (a rollback failure is added as suppressed) and throws.
     *
     * @return the account's balance as the transaction read it
     * @throws SQLException what the driver threw
     */
    public static int run(Connection connection, Ids ids) throws SQLException {
        try {
            int balance = statements(connection, ids);
            connection.commit();
            return balance;
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static int statements(Connection connection, Ids ids) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE_ACCOUNT)) {
            update.setInt(1, ids.delta());
            update.setInt(2, ids.aid());
            update.executeUpdate();
        }
        int balance = 0;
        try (PreparedStatement select = connection.prepareStatement(SELECT_ACCOUNT)) {
            select.setInt(1, ids.aid());
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    balance = row.getInt(1);
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_TELLER)) {
            update.setInt(1, ids.delta());
            update.setInt(2, ids.tid());
            update.executeUpdate();
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_BRANCH)) {
            update.setInt(1, ids.delta());
            update.setInt(2, ids.bid());
            update.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HISTORY)) {
            insert.setInt(1, ids.tid());
            insert.setInt(2, ids.bid());
            insert.setInt(3, ids.aid());
            insert.setInt(4, ids.delta());
            insert.executeUpdate();
        }
        return balance;
    }
}
