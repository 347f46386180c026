package dev.tidepool.demo;

/**
 * The command line is wrong: the message names the option and the value at fault, in one line,
 * and the demo prints it with the usage and exits with {@link Demo#EXIT_USAGE}.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
