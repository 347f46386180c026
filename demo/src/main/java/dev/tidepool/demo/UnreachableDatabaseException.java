package dev.tidepool.demo;

/**
 * The database could not be reached before the run started: the message says where (the URL,
 * passwords masked) and the driver's reason; the demo exits with {@link Demo#EXIT_UNREACHABLE}.
 */
final class UnreachableDatabaseException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreachableDatabaseException(String message) {
        super(message);
    }
}
