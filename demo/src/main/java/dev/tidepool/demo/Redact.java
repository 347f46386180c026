package dev.tidepool.demo;

import java.util.regex.Pattern;

/**
 * Keeps passwords out of what the demo prints: a JDBC URL may carry one as a parameter
 * ({@code ?password=...} for PostgreSQL, {@code ;PASSWORD=...} for H2), and a driver's message
 * may quote the URL.
 */
final class Redact {
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:password|pwd)\\s*=)[^&;\\s\"']*");

    private Redact() {
    }

    /** {@code text} with the value of every {@code password=} parameter replaced by {@code ****}. */
    static String url(String text) {
        return text == null ? null : PASSWORD_PARAMETER.matcher(text).replaceAll("$1****");
    }

    /** {@code text} without {@code password} anywhere in it, and without URL passwords. */
    static String secret(String text, String password) {
        String redacted = url(text);
        if (redacted != null && password != null && !password.isEmpty()) {
            redacted = redacted.replace(password, "****");
        }
        return redacted;
    }
}
