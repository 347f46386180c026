package dev.tidepool.bench.postgres;

import dev.tidepool.bench.FairnessRun;
import dev.tidepool.testsupport.tpcb.TpcbSchema;
import dev.tidepool.testsupport.tpcb.TpcbTransfer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One thread's loop body of the TPC-B benchmark: pgbench's default ("tpcb-like") script
 * ({@link TpcbTransfer}, shared with the integration tests through {@code test-support}) as one
 * {@link FairnessRun.Cycle}. It draws pgbench's random ids, takes a connection from the pool
 * (auto-commit off), runs the transaction and gives the connection back.
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
        TpcbTransfer.Ids ids = TpcbTransfer.draw(ThreadLocalRandom.current(), scale);
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
                balances += TpcbTransfer.run(connection, ids);
                return granted;
            } catch (SQLException e) {
                throw new FairnessRun.FailedUse(granted, e); // rolled back already
            }
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new FairnessRun.FailedUse(granted, e);
            }
        }
    }
}
