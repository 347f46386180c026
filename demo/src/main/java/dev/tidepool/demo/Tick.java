package dev.tidepool.demo;

/**
 * What the live view shows for one second of one pool's run. Wait percentiles are over the
 * connections handed out in that second; {@code worstWaitNanos} is the longest finished wait of
 * the run so far and {@code longestOpenWaitNanos} the longest wait still going on, which a pool
 * that starves its waiters shows here long before they are ever served.
 */
record Tick(String pool, long elapsedSeconds, long durationSeconds,
            double transactionsPerSecond, int maximumPoolSize,
            long p50Nanos, long p99Nanos, long maxNanos, long worstWaitNanos, long longestOpenWaitNanos,
            int active, int idle, int waiting, int total,
            int greenRunning, int greenSize, int greenWaiting,
            int starved, int clients, long timeouts, long errors) {
}
