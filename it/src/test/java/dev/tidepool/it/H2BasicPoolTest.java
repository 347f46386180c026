package dev.tidepool.it;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * {@link BasicPoolContract} against H2 in memory. The database lives while a connection to it is
 * open: the contract's own connection keeps it for the class, and it is gone when that closes.
 */
class H2BasicPoolTest extends BasicPoolContract {
    private final String url = "jdbc:h2:mem:" + PostgresServer.uniqueName("h2-basic");

    @Override
    protected TidepoolConfig config() {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setPoolName(PostgresServer.uniqueName("h2"));
        return config;
    }

    @Override
    protected Connection connectDirectly() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    @Override
    protected String sessionIdQuery() {
        return "select session_id()";
    }

    @Override
    protected String isolationQuery() {
        return "select isolation_level from information_schema.sessions where session_id = session_id()";
    }

    @Override
    protected String readOnlyQuery() {
        return null; // H2's setReadOnly is a hint it does not enforce
    }

    @Override
    protected String currentSchemaQuery() {
        return "select current_schema";
    }

    @Override
    protected String defaultSchema() {
        return "PUBLIC";
    }

    @Override
    protected String otherSchema() {
        return "IT_OTHER";
    }
}
