package dev.tidepool.demo;

/**
 * What one pool's run measured, for the summary table and the chart.
 *
 * @param waits         every wait for a connection in the run, including the ones still open
 *                      when it ended (counted with the time waited until then)
 * @param stoppedEarly  the run was cut short (Ctrl-C)
 */
record RunResult(String label, String poolName, double seconds, long transactions,
                 WaitHistogram.Snapshot waits, int starved, int clients, long timeouts, long errors,
                 String lastError, boolean stoppedEarly) {

    double transactionsPerSecond() {
        return seconds > 0 ? transactions / seconds : 0;
    }

    /** Waits of more than a second. */
    long waitsOverOneSecond() {
        return waits.countAbove(1_000_000_000L);
    }
}
