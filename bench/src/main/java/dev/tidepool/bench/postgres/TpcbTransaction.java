package dev.tidepool.bench.postgres;

import dev.tidepool.bench.FairnessRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One thread's loop body of the TPC-B benchmark: pgbench's default ("tpcb-like") script as one
 * {@link FairnessRun.Cycle}. It draws pgbench's random ids ({@code aid} in 1 .. 100,000 × scale,
 * {@code bid} in 1 .. scale, {@code tid} in 1 .. 10 × scale, {@code delta} in −5,000 .. 5,000),
 * takes a connection from the pool (auto-commit off), runs the five statements as prepared
 * statements, commits and gives the connection back.
 *
 * <p>Outcomes, as {@link FairnessRun} counts them: a connection the pool does not hand out
 * ({@code getConnection()} throws, e.g. its timeout) is a timeout, and the first such exception is
 * kept ({@link Factory#firstAcquireFailure()}); a statement or the commit failing is a
 * {@link FairnessRun.FailedUse} after a rollback; anything else ends the round.
 *
 * <pre>{@code
 * TpcbTransaction.Factory transactions = new TpcbTransaction.Factory(dataSource, 10);
 * FairnessRun.Round round = FairnessRun.round("tidepool", transactions, 1000, Duration.ofSeconds(5));
 * }</pre>
 */
public final class TpcbTransaction implements FairnessRun.Cycle {
    static final String UPDATE_ACCOUNT = "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?";
    static final String SELECT_ACCOUNT = "SELECT abalance FROM pgbench_accounts WHERE aid = ?";
    static final String UPDATE_TELLER = "UPDATE pgbench_tellers SET tbalance = tbalance + ? WHERE tid = ?";
    static final String UPDATE_BRANCH = "UPDATE pgbench_branches SET bbalance = bbalance + ? WHERE bid = ?";
    static final String INSERT_HISTORY = "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
            + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)";

    private final DataSource dataSource;
    private final int scale;
    /** The first {@code getConnection()} failure of this thread; written and read by it, then by the caller. */
    private SQLException firstAcquireFailure;
    /** Keeps the balance read from being dead code. */
    private long balances;

    private TpcbTransaction(DataSource dataSource, int scale) {
        this.dataSource = dataSource;
        this.scale = scale;
    }

    /** Makes one transaction loop per thread and remembers them, to collect what they saw. */
    public static final class Factory implements Supplier<FairnessRun.Cycle> {
        private final DataSource dataSource;
        private final int scale;
        /** Filled by {@link FairnessRun} on the thread that calls {@code round}, read after it returns. */
        private final List<TpcbTransaction> made = new ArrayList<>();

        /**
         * @param dataSource the pool under test; its connections must have auto-commit off
         * @param scale the loaded schema's scale ({@link TpcbSchema#load})
         */
        public Factory(DataSource dataSource, int scale) {
            if (scale < 1) {
                throw new IllegalArgumentException("scale " + scale + ": expected at least 1");
            }
            this.dataSource = dataSource;
            this.scale = scale;
        }

        @Override
        public FairnessRun.Cycle get() {
            TpcbTransaction transaction = new TpcbTransaction(dataSource, scale);
            made.add(transaction);
            return transaction;
        }

        /** The first {@code getConnection()} failure of any thread, or null; after the round. */
        public SQLException firstAcquireFailure() {
            return made.stream().map(t -> t.firstAcquireFailure).filter(e -> e != null).findFirst().orElse(null);
        }
    }

    @Override
    public long run() throws FairnessRun.FailedUse {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int aid = random.nextInt(1, TpcbSchema.ACCOUNTS_PER_SCALE * scale + 1);
        int bid = random.nextInt(1, TpcbSchema.BRANCHES_PER_SCALE * scale + 1);
        int tid = random.nextInt(1, TpcbSchema.TELLERS_PER_SCALE * scale + 1);
        int delta = random.nextInt(-5000, 5001);
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            if (firstAcquireFailure == null) {
                firstAcquireFailure = e;
            }
            return -1;
        }
        long granted = System.nanoTime();
        try {
            try {
                transfer(connection, aid, bid, tid, delta);
                connection.commit();
                return granted;
            } catch (SQLException e) {
                rollbackQuietly(connection, e);
                throw new FairnessRun.FailedUse(granted, e);
            }
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new FairnessRun.FailedUse(granted, e);
            }
        }
    }

    private void transfer(Connection connection, int aid, int bid, int tid, int delta) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE_ACCOUNT)) {
            update.setInt(1, delta);
            update.setInt(2, aid);
            update.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement(SELECT_ACCOUNT)) {
            select.setInt(1, aid);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    balances += row.getInt(1);
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_TELLER)) {
            update.setInt(1, delta);
            update.setInt(2, tid);
            update.executeUpdate();
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_BRANCH)) {
            update.setInt(1, delta);
            update.setInt(2, bid);
            update.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HISTORY)) {
            insert.setInt(1, tid);
            insert.setInt(2, bid);
            insert.setInt(3, aid);
            insert.setInt(4, delta);
            insert.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection connection, SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
