package dev.tidepool.jdbc;

import java.util.Objects;

/**
 * A user name and password that belong together, so that changing both is one step: the
 * counterpart of HikariCP's {@code com.zaxxer.hikari.util.Credentials}, with the same members.
 * A data source opens each new physical connection with the credentials current at that moment;
 * see {@link TidepoolConfig#setCredentials} and {@link CredentialsProvider}.
 *
 * <pre>{@code
 * dataSource.setCredentials(Credentials.of("orders", vault.read("db/orders/password")));
 * }</pre>
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class Credentials {
    private final String username;
    private final String password;

    /**
     * Credentials of a user name and a password; either may be null (the driver's default).
     *
     * @param username the user name
     * @param password the password
     */
    public Credentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /**
     * Same as the constructor.
     *
     * @param username the user name, or null
     * @param password the password, or null
     * @return the credentials
     */
    public static Credentials of(String username, String password) {
        return new Credentials(username, password);
    }

    /**
     * The user name.
     *
     * @return the user name, or null
     */
    public String getUsername() {
        return username;
    }

    /**
     * The password.
     *
     * @return the password, or null
     */
    public String getPassword() {
        return password;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials that && Objects.equals(username, that.username)
                && Objects.equals(password, that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, password);
    }

    /** The user name, with the password masked. */
    @Override
    public String toString() {
        return "Credentials{username=" + username + ", password=" + (password == null ? null : "<masked>") + "}";
    }
}
