package dev.tidepool.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbc.JdbcDatabaseMetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link ProxyDatabaseMetaData} adds over delegation: it leads back to the proxy connection, its catalog
 * queries return proxy result sets (whose statement is a proxy too, or null), and they dirty the transaction.
 */
class ProxyDatabaseMetaDataTest {
    final FakeReturn pool = new FakeReturn();
    Connection h2;
    ProxyConnection proxy;

    @BeforeEach
    void borrow() throws SQLException {
        h2 = DriverManager.getConnection("jdbc:h2:mem:");
        try (Statement s = h2.createStatement()) {
            s.execute("create table t(id int primary key, name varchar(10))");
            s.execute("create index t_name on t(name)");
        }
        proxy = new ProxyConnection(h2, ConnectionDefaults.readFrom(h2), pool);
    }

    @AfterEach
    void close() throws SQLException {
        proxy.close();
        h2.close();
    }

    @Test
    void metadataLeadsBackToTheProxyConnectionAndUnwrapsToH2s() throws SQLException {
        DatabaseMetaData metadata = proxy.getMetaData();

        assertThat(metadata).isInstanceOf(ProxyDatabaseMetaData.class);
        assertThat(metadata.getConnection()).isSameAs(proxy);
        assertThat(metadata.unwrap(JdbcDatabaseMetaData.class)).isInstanceOf(JdbcDatabaseMetaData.class);
        assertThat(metadata.isWrapperFor(JdbcDatabaseMetaData.class)).isTrue();
        assertThat(metadata.getDatabaseProductName()).isEqualTo("H2");
    }

    @Test
    void catalogQueriesReturnProxyResultSetsWithTheirRows() throws SQLException {
        DatabaseMetaData metadata = proxy.getMetaData();
        List<ResultSet> results = List.of(
                metadata.getTables(null, null, "T", null),
                metadata.getColumns(null, null, "T", "%"),
                metadata.getPrimaryKeys(null, null, "T"),
                metadata.getIndexInfo(null, null, "T", false, false),
                metadata.getSchemas(),
                metadata.getCatalogs(),
                metadata.getTypeInfo(),
                metadata.getTableTypes());

        for (ResultSet rs : results) {
            assertThat(rs).isInstanceOf(ProxyResultSet.class);
            assertThat(rs.next()).isTrue();
            Statement statement = rs.getStatement();
            if (statement != null) { // H2 may have none; see the fake-driver tests below for one that has
                assertThat(statement).isInstanceOf(ProxyStatement.class);
                assertThat(statement.getConnection()).isSameAs(proxy);
            }
        }
        ResultSet columns = metadata.getColumns(null, null, "T", "%");
        assertThat(columns.next()).isTrue();
        assertThat(columns.getString("COLUMN_NAME")).isEqualTo("ID");
    }

    @Test
    void aMetadataResultsDriverStatementComesBackAsAProxyOfTheSameKindOnceAndForAll() throws SQLException {
        FakeRecorder physical = new FakeRecorder();
        ProxyConnection fake = new ProxyConnection(FakeRecorder.create(Connection.class, physical),
                ProxyDelegationTest.DEFAULTS, new FakeReturn());
        DatabaseMetaData metadata = fake.getMetaData();
        FakeRecorder metadataRecorder = physical.lastChild;
        FakeRecorder tablesRecorder = new FakeRecorder();
        metadataRecorder.answers.put("getTables", FakeRecorder.create(ResultSet.class, tablesRecorder));
        tablesRecorder.answers.put("getStatement", FakeRecorder.create(PreparedStatement.class));
        FakeRecorder columnsRecorder = new FakeRecorder();
        metadataRecorder.answers.put("getColumns", FakeRecorder.create(ResultSet.class, columnsRecorder));
        columnsRecorder.answers.put("getStatement", FakeRecorder.create(CallableStatement.class));
        FakeRecorder schemasRecorder = new FakeRecorder();
        metadataRecorder.answers.put("getSchemas", FakeRecorder.create(ResultSet.class, schemasRecorder));
        schemasRecorder.answers.put("getStatement", null);

        ResultSet tables = metadata.getTables(null, null, "%", null);
        Statement tablesStatement = tables.getStatement();
        assertThat(tablesStatement).isInstanceOf(ProxyPreparedStatement.class);
        assertThat(tablesStatement.getConnection()).isSameAs(fake);
        assertThat(tables.getStatement()).isSameAs(tablesStatement);
        assertThat(tablesRecorder.history).as("the driver is asked once").containsOnlyOnce("getStatement");

        assertThat(metadata.getColumns(null, null, "%", "%").getStatement())
                .isInstanceOf(ProxyCallableStatement.class);
        assertThat(metadata.getSchemas().getStatement()).isNull();
    }

    @Test
    void aCatalogQueryDirtiesTheTransaction() throws SQLException {
        FakeRecorder physical = new FakeRecorder();
        ProxyConnection fake = new ProxyConnection(FakeRecorder.create(Connection.class, physical),
                ProxyDelegationTest.DEFAULTS, new FakeReturn());
        fake.setAutoCommit(false);
        DatabaseMetaData metadata = fake.getMetaData();
        metadata.getDatabaseProductName(); // no query: not dirty
        FakeRecorder clean = new FakeRecorder();
        ProxyConnection other = new ProxyConnection(FakeRecorder.create(Connection.class, clean),
                ProxyDelegationTest.DEFAULTS, new FakeReturn());
        other.setAutoCommit(false);
        other.getMetaData().getDatabaseProductName();

        metadata.getTables(null, null, "%", null);
        fake.close();
        other.close();

        assertThat(physical.history).contains("rollback");
        assertThat(clean.history).doesNotContain("rollback");
    }
}
