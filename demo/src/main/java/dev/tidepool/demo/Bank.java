package dev.tidepool.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's data and its two transactions, in plain SQL that H2 and PostgreSQL both run.
 *
 * <p>The table {@value #TABLE} holds {@value #ACCOUNTS} accounts of {@value #OPENING_BALANCE} each.
 * A transfer moves 1 from one account to another in one transaction, locking the two rows in id
 * order so that two opposite transfers never deadlock; so the total never changes, whatever is
 * interrupted or rolled back, and the demo checks that at the end. A report reads every account
 * and then holds its connection for {@link #REPORT_HOLD}, as a slow query would.
 *
 * <p>{@code latency} is added to every transaction while it holds its connection: on a database in
 * the same JVM (embedded H2) a statement takes microseconds, and this stands in for the network
 * round trips a real database costs. Against a real database the default is none.
 */
final class Bank {
    static final String TABLE = "tidepool_demo_account";
    static final int ACCOUNTS = 1_000;
    static final long OPENING_BALANCE = 1_000;
    /** How long a slow report holds its connection after its query. */
    static final Duration REPORT_HOLD = Duration.ofMillis(50);

    private static final String DEBIT = "update " + TABLE + " set balance = balance - ? where id = ?";
    private static final String CREDIT = "update " + TABLE + " set balance = balance + ? where id = ?";
    private static final String TOTAL = "select count(*), sum(balance) from " + TABLE;

    private Bank() {
    }

    /**
     * Creates and fills the table unless it exists already.
     *
     * @return true if this call created it (and the demo should drop it at the end)
     */
    static boolean open(Connection c) throws SQLException {
        if (exists(c)) {
            return false;
        }
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("create table " + TABLE + " (id int primary key, balance bigint not null)");
            }
            try (PreparedStatement insert = c.prepareStatement("insert into " + TABLE + " (id, balance) values (?, ?)")) {
                for (int id = 1; id <= ACCOUNTS; id++) {
                    insert.setInt(1, id);
                    insert.setLong(2, OPENING_BALANCE);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            return true;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean exists(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + TABLE)) {
            return rs.next();
        } catch (SQLException missing) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return false;
        }
    }

    /** The sum of all balances: {@code ACCOUNTS * OPENING_BALANCE} before and after any run. */
    static long total(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(TOTAL)) {
            rs.next();
            return rs.getLong(2);
        }
    }

    static void drop(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("drop table " + TABLE);
        }
    }

    /** Moves 1 between two random accounts in one transaction. */
    static void transfer(Connection c, Duration latency) throws SQLException, InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        c.setAutoCommit(false);
        try (PreparedStatement debit = c.prepareStatement(DEBIT);
             PreparedStatement credit = c.prepareStatement(CREDIT)) {
            debit.setLong(1, 1);
            debit.setInt(2, from);
            credit.setLong(1, 1);
            credit.setInt(2, to);
            if (from < to) {
                debit.executeUpdate();
                credit.executeUpdate();
            } else {
                credit.executeUpdate();
                debit.executeUpdate();
            }
            hold(latency);
            c.commit();
        } catch (SQLException | InterruptedException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        }
    }

    /** Reads every account, then holds the connection as a slow query would. */
    static void report(Connection c, Duration latency) throws SQLException, InterruptedException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TOTAL)) {
            rs.next();
        }
        hold(REPORT_HOLD.plus(latency));
    }

    private static void hold(Duration time) throws InterruptedException {
        if (!time.isZero()) {
            Thread.sleep(time);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the pool rolls back on close anyway
        }
    }
}
