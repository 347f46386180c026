package dev.tidepool.jdbc;

/**
 * Where a data source gets the credentials for each new physical connection: the counterpart of
 * HikariCP's {@code HikariCredentialsProvider}. For databases whose passwords expire (cloud IAM
 * tokens, rotated secrets), the provider returns what is valid now; connections already open
 * stay open.
 *
 * <pre>{@code
 * config.setCredentialsProvider(() -> Credentials.of("app", tokens.current()));
 * }</pre>
 *
 * <p>The rule between a provider and {@link TidepoolConfig#setCredentials}: while a provider is
 * set, it alone decides, and the username, password and credentials properties are not used for
 * new connections. The pool calls the provider on one of its own threads, never on a borrower's
 * that holds a lock, once per new connection; a provider that throws or returns null fails that
 * connect as the driver refusing it would (an {@link java.sql.SQLException} whose cause is the
 * provider's failure), and the pool retries as it does for any failed connect.
 */
@FunctionalInterface
public interface CredentialsProvider {
    /**
     * The credentials to open the next physical connection with.
     *
     * @return the credentials, not null
     */
    Credentials getCredentials();
}
