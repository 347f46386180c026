package dev.tidepool.jdbc.pool;

import dev.tidepool.jdbc.Credentials;
import dev.tidepool.jdbc.CredentialsProvider;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.config.ConfigProperties;
import dev.tidepool.jdbc.config.Secrets;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Opens physical connections the way the configuration says (a wrapped {@link DataSource}, a
 * {@code dataSourceClassName} with its properties, or {@code jdbcUrl} through {@code driverClassName}
 * or {@link DriverManager}) and puts each into the configured starting state. Credentials are read
 * from the configuration at every connect, since an operator may change them while the pool runs;
 * they never appear in a message.
 */
public final class ConnectionFactory {
    private final TidepoolConfig config;
    private final DataSource dataSource;
    private final Driver driver;
    private final String jdbcUrl;

    /**
     * @param config the pool's settings, read again at each connect for what may change live
     * @param driver the driver {@code driverClassName} names, or null to ask {@link DriverManager}
     */
    public ConnectionFactory(TidepoolConfig config, Driver driver) {
        this.config = config;
        this.jdbcUrl = config.getJdbcUrl();
        if (config.getDataSource() != null) {
            this.dataSource = config.getDataSource();
            this.driver = null;
        } else if (config.getDataSourceClassName() != null) {
            this.dataSource = instantiate(config.getDataSourceClassName(), config.getDataSourceProperties());
            this.driver = null;
        } else if (jdbcUrl == null && config.getDataSourceJNDI() != null) {
            this.dataSource = lookUp(config.getDataSourceJNDI());
            this.driver = null;
        } else {
            this.dataSource = null;
            this.driver = driver; // null: ask DriverManager at each connect
        }
    }

    /** The wrapped or instantiated data source, if that is how connections are made. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A new physical connection, as the driver or data source hands it out. */
    public Connection open() throws SQLException {
        Credentials credentials = credentials();
        String user = credentials.getUsername();
        String password = credentials.getPassword();
        if (dataSource != null) {
            return user == null ? dataSource.getConnection() : dataSource.getConnection(user, password);
        }
        Properties properties = new Properties();
        properties.putAll(config.getDataSourceProperties());
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        Driver target = driver != null ? driver : DriverManager.getDriver(jdbcUrl);
        Connection connection = target.connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("driver " + target.getClass().getName() + " does not accept jdbcUrl "
                    + Secrets.mask(jdbcUrl, password), "08001");
        }
        return connection;
    }

    /**
     * Puts a new connection into the configured state and runs connectionInitSql (committed in a
     * transaction of its own when auto-commit is off and isolateInternalQueries is on). The caller
     * closes the connection if this throws.
     */
    public void setUp(Connection connection) throws SQLException {
        if (connection.getAutoCommit() != config.isAutoCommit()) {
            connection.setAutoCommit(config.isAutoCommit());
        }
        if (config.isReadOnly()) {
            connection.setReadOnly(true);
        }
        int isolation = ConfigProperties.isolationLevel(config.getTransactionIsolation());
        if (isolation >= 0 && connection.getTransactionIsolation() != isolation) {
            connection.setTransactionIsolation(isolation);
        }
        if (config.getCatalog() != null) {
            connection.setCatalog(config.getCatalog());
        }
        if (config.getSchema() != null) {
            connection.setSchema(config.getSchema());
        }
        String initSql = config.getConnectionInitSql();
        if (initSql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(initSql);
            }
            if (config.isIsolateInternalQueries() && !connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    public static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // Closing a connection we are giving up on: nothing left to do with a failure.
        }
    }

    /**
     * The credentials for a new connection: the provider's if one is set (called here, on the
     * connecting thread), else the configuration's current ones.
     *
     * @throws SQLException if the provider throws or returns null; the cause is kept, and the
     *                      message masks the current password
     */
    private Credentials credentials() throws SQLException {
        CredentialsProvider provider = config.getCredentialsProvider();
        if (provider == null) {
            return config.getCredentials();
        }
        Credentials provided;
        try {
            provided = provider.getCredentials();
        } catch (RuntimeException e) {
            throw new SQLException("credentialsProvider " + provider.getClass().getName() + " failed: "
                    + Secrets.mask(String.valueOf(e), config.getPassword()), "28000", e);
        }
        if (provided == null) {
            throw new SQLException("credentialsProvider " + provider.getClass().getName() + " returned null", "28000");
        }
        return provided;
    }

    /** {@code dataSourceJNDI}: the data source bound to that name. */
    private static DataSource lookUp(String name) {
        Object found = ConfigProperties.lookupJndi("dataSourceJNDI", name);
        if (!(found instanceof DataSource dataSource)) {
            throw new IllegalArgumentException("dataSourceJNDI " + name + " is bound to a " + found.getClass().getName()
                    + ", not a javax.sql.DataSource");
        }
        return dataSource;
    }

    /** {@code dataSourceClassName} through its public no-arg constructor, with its bean properties set. */
    private static DataSource instantiate(String className, Properties properties) {
        Object instance;
        try {
            Class<?> type = ConfigProperties.loadClass(className);
            instance = type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("dataSourceClassName " + className + " could not be instantiated: " + e,
                    e);
        }
        if (!(instance instanceof DataSource dataSource)) {
            throw new IllegalArgumentException("dataSourceClassName " + className + " is not a javax.sql.DataSource");
        }
        for (Map.Entry<Object, Object> property : properties.entrySet()) {
            setProperty(dataSource, String.valueOf(property.getKey()), property.getValue());
        }
        return dataSource;
    }

    /** Sets bean property {@code name} from a String (or an already typed value), as HikariCP does. */
    private static void setProperty(Object bean, String name, Object value) {
        String setter = "set" + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        for (Method method : bean.getClass().getMethods()) {
            if (method.getName().equals(setter) && method.getParameterCount() == 1) {
                try {
                    method.invoke(bean, convert(value, method.getParameterTypes()[0], name));
                    return;
                } catch (ReflectiveOperationException e) {
                    String shown = Secrets.isSecretKey(name) ? Secrets.MASKED : String.valueOf(value);
                    throw new IllegalArgumentException("dataSourceProperties." + name + "=" + shown
                            + " could not be set on " + bean.getClass().getName() + ": " + e.getCause(), e);
                }
            }
        }
        throw new IllegalArgumentException("dataSourceProperties." + name + ": " + bean.getClass().getName()
                + " has no property " + name);
    }

    private static Object convert(Object value, Class<?> type, String name) {
        if (!(value instanceof String text) || type == String.class || type == Object.class) {
            return value;
        }
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(text.trim());
            }
            if (type == long.class || type == Long.class) {
                return Long.parseLong(text.trim());
            }
            if (type == short.class || type == Short.class) {
                return Short.parseShort(text.trim());
            }
            if (type == boolean.class || type == Boolean.class) {
                return Boolean.parseBoolean(text.trim());
            }
            if (type == char[].class) {
                return text.toCharArray();
            }
        } catch (NumberFormatException e) {
            String shown = Secrets.isSecretKey(name) ? Secrets.MASKED : text;
            throw new IllegalArgumentException("dataSourceProperties." + name + "=" + shown + " is not a "
                    + type.getSimpleName(), e);
        }
        return value;
    }
}
