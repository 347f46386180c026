package dev.tidepool.it;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BasicPoolContract} against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresBasicPoolTest extends BasicPoolContract {
    private final PostgresServer postgres;

    PostgresBasicPoolTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Override
    protected TidepoolConfig config() {
        return ItPostgres.config(postgres, PostgresServer.uniqueName("basic"));
    }

    @Override
    protected Connection connectDirectly() throws SQLException {
        return postgres.connect();
    }

    @Override
    protected String sessionIdQuery() {
        return "select pg_backend_pid()";
    }

    @Override
    protected String isolationQuery() {
        return "show transaction_isolation";
    }

    @Override
    protected String readOnlyQuery() {
        return "show transaction_read_only";
    }

    @Override
    protected String currentSchemaQuery() {
        return "select current_schema()";
    }

    @Override
    protected String defaultSchema() {
        return "public";
    }

    @Override
    protected String otherSchema() {
        return "it_other";
    }
}
