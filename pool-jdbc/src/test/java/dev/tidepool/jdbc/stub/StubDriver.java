package dev.tidepool.jdbc.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A JDBC driver with no server behind it, for testing and benchmarking connection pools: it
 * accepts {@code jdbc:stub:<name>[;key=value...]} and connects to the {@link StubDatabase} of that
 * name (created on first use), which counts what happens and injects the faults a test asks for.
 *
 * <p>It registers itself with {@link DriverManager} when the class is loaded, and is listed in
 * {@code META-INF/services/java.sql.Driver}, so {@code DriverManager.getConnection("jdbc:stub:db1")}
 * works without a {@code Class.forName}. The user and password come from the connect's
 * {@code Properties} ({@code user}, {@code password}), else from URL parameters of the same names.
 *
 * <p>The connections it makes cost nothing to use: a statement is one object, and executing it
 * only reads a few volatile switches and adds to {@code LongAdder} counters.
 */
public final class StubDriver implements Driver {
    /** What every URL this driver accepts starts with. */
    public static final String URL_PREFIX = "jdbc:stub:";

    /** The instance registered with {@link DriverManager}. */
    public static final StubDriver INSTANCE = new StubDriver();

    private static final Set<String> KNOWN_PARAMETERS = Set.of("connectDelayMs", "failConnects",
            "connectFailureMessage", "requiredUser", "requiredPassword", "failExecutes", "executeFailureState",
            "executeDelayMs", "isValidDelayMs", "failValidation", "emptyResults", "user", "password");

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Public for {@link java.util.ServiceLoader}; every instance behaves the same. */
    public StubDriver() {
    }

    /** Loads the class, which registers {@link #INSTANCE} with {@link DriverManager}. */
    public static void register() {
        // the static initializer did it
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: not ours, let DriverManager try the next driver
        }
        String rest = url.substring(URL_PREFIX.length());
        int semicolon = rest.indexOf(';');
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (name.isEmpty()) {
            throw new SQLException("no database name in '" + url + "' (expected jdbc:stub:<name>[;key=value...])",
                    "08001");
        }
        Map<String, String> params = semicolon < 0 ? Map.of() : parseParameters(url, rest.substring(semicolon + 1));
        StubDatabase db = StubDatabase.named(name);
        db.configureFromUrl(params);
        String user = property(info, "user", params);
        String password = property(info, "password", params);
        return db.connect(user, password);
    }

    private static String property(Properties info, String key, Map<String, String> params) {
        String v = info == null ? null : info.getProperty(key);
        return v != null ? v : params.get(key);
    }

    private static Map<String, String> parseParameters(String url, String text) throws SQLException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new SQLException("stub URL parameter '" + part + "' is not key=value in " + redact(url), "08001");
            }
            String key = part.substring(0, eq).trim();
            if (!KNOWN_PARAMETERS.contains(key)) {
                throw new SQLException("unknown stub URL parameter '" + key + "' in " + redact(url) + "; known: "
                        + KNOWN_PARAMETERS, "08001");
            }
            params.put(key, part.substring(eq + 1));
        }
        return params;
    }

    /** The URL with the values of password parameters replaced, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)((?:required)?password=)[^;]*", "$1***");
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(URL_PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        DriverPropertyInfo user = new DriverPropertyInfo("user", info == null ? null : info.getProperty("user"));
        user.description = "the user to connect as";
        DriverPropertyInfo password = new DriverPropertyInfo("password", null);
        password.description = "the user's password";
        return new DriverPropertyInfo[] {user, password};
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the stub driver does not log");
    }

    @Override
    public String toString() {
        return "StubDriver";
    }
}
