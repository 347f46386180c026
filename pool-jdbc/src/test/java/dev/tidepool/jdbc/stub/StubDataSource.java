package dev.tidepool.jdbc.stub;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over the {@link StubDriver}'s databases, for testing a pool's
 * {@code dataSourceClassName} + {@code dataSourceProperties} path. Bean properties:
 *
 * <ul>
 *   <li>{@code url}: a full {@code jdbc:stub:<name>[;key=value...]} URL, or</li>
 *   <li>{@code databaseName}: just the name (used when {@code url} is not set);</li>
 *   <li>{@code user}, {@code password}: the credentials {@link #getConnection()} presents;</li>
 *   <li>{@code loginTimeout} (seconds) and {@code logWriter}: kept, not used.</li>
 * </ul>
 *
 * <p>Each {@code getConnection} connects anew, exactly as the driver does for the same URL.
 */
public class StubDataSource implements DataSource {
    private volatile String url;
    private volatile String databaseName;
    private volatile String user;
    private volatile String password;
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    /** A data source with no database set yet. */
    public StubDataSource() {
    }

    /** The URL this data source connects to: {@code url}, else {@code jdbc:stub:<databaseName>}. */
    public String effectiveUrl() throws SQLException {
        String u = url;
        if (u != null) {
            return u;
        }
        String name = databaseName;
        if (name == null || name.isEmpty()) {
            throw new SQLException("StubDataSource has neither url nor databaseName set", "08001");
        }
        return StubDriver.URL_PREFIX + name;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        String u = effectiveUrl();
        if (!StubDriver.INSTANCE.acceptsURL(u)) {
            throw new SQLException("not a stub URL: " + StubDriver.redact(u), "08001");
        }
        Properties info = new Properties();
        if (username != null) {
            info.setProperty("user", username);
        }
        if (password != null) {
            info.setProperty("password", password);
        }
        return StubDriver.INSTANCE.connect(u, info);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getDatabaseName() {
        return databaseName;
    }

    public void setDatabaseName(String databaseName) {
        this.databaseName = databaseName;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the stub data source does not log");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubDataSource is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        String u = url;
        return "StubDataSource[" + (u != null ? StubDriver.redact(u) : databaseName) + "]";
    }
}
