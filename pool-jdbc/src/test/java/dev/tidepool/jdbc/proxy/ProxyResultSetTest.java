package dev.tidepool.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbc.JdbcResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ProxyResultSet} adds over delegation: row changes dirty the transaction, it unwraps to the driver's
 * result set, and it refuses calls once closed.
 */
class ProxyResultSetTest {
    final FakeReturn pool = new FakeReturn();
    Connection h2;
    ProxyConnection proxy;

    @BeforeEach
    void borrow() throws SQLException {
        h2 = DriverManager.getConnection("jdbc:h2:mem:");
        try (Statement s = h2.createStatement()) {
            s.execute("create table t(id int primary key, name varchar(10))");
            s.execute("insert into t values (1, 'one')");
        }
        proxy = new ProxyConnection(h2, ConnectionDefaults.readFrom(h2), pool);
    }

    @AfterEach
    void close() throws SQLException {
        proxy.close();
        h2.close();
    }

    /**
     * The query itself dirties the transaction, so the borrower commits it before changing rows: only the row
     * change can then make close() roll back. Without the rollback, putting auto-commit back would commit it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"insertRow", "updateRow", "deleteRow"})
    void aRowChangeDirtiesTheTransaction(String change) throws SQLException {
        proxy.setAutoCommit(false);
        Statement statement = proxy.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
        ResultSet rs = statement.executeQuery("select id, name from t");
        proxy.commit();
        switch (change) {
            case "insertRow" -> {
                rs.moveToInsertRow();
                rs.updateInt(1, 2);
                rs.updateString(2, "two");
                rs.insertRow();
            }
            case "updateRow" -> {
                rs.next();
                rs.updateString("name", "uno");
                rs.updateRow();
            }
            default -> {
                rs.next();
                rs.deleteRow();
            }
        }

        proxy.close();

        try (Statement s = h2.createStatement(); ResultSet check = s.executeQuery("select id, name from t")) {
            assertThat(check.next()).isTrue();
            assertThat(check.getInt(1)).isEqualTo(1);
            assertThat(check.getString(2)).isEqualTo("one");
            assertThat(check.next()).as("no second row").isFalse();
        }
    }

    @Test
    void unwrapAndIsWrapperForReachTheDriversResultSet() throws SQLException {
        ResultSet rs = proxy.createStatement().executeQuery("select 1");

        assertThat(rs.unwrap(JdbcResultSet.class)).isInstanceOf(JdbcResultSet.class);
        assertThat(rs.unwrap(ResultSet.class)).isInstanceOf(JdbcResultSet.class);
        assertThat(rs.isWrapperFor(JdbcResultSet.class)).isTrue();
        assertThat(rs.isWrapperFor(ProxyResultSet.class)).isFalse();
    }

    @Test
    void aClosedResultSetRefusesCallsButLeavesItsStatementOpen() throws SQLException {
        Statement statement = proxy.createStatement();
        ResultSet rs = statement.executeQuery("select 1");
        JdbcResultSet driver = rs.unwrap(JdbcResultSet.class);

        rs.close();
        rs.close();

        assertThat(driver.isClosed()).isTrue();
        assertThat(rs.isClosed()).isTrue();
        assertThatThrownBy(rs::next).isInstanceOf(SQLException.class).hasMessage("ResultSet is closed");
        assertThat(statement.isClosed()).isFalse();
        assertThat(proxy.openStatementCount()).isOne();
    }

    @Test
    void closingTheStatementClosesItsResultSet() throws SQLException {
        Statement statement = proxy.createStatement();
        ResultSet rs = statement.executeQuery("select 1");

        statement.close();

        assertThat(rs.isClosed()).isTrue();
        assertThatThrownBy(rs::next).isInstanceOf(SQLException.class);
    }

    @Test
    void readsPassThrough() throws SQLException {
        ResultSet rs = proxy.createStatement().executeQuery("select id, name from t");

        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt("id")).isEqualTo(1);
        assertThat(rs.getString(2)).isEqualTo("one");
        assertThat(rs.getObject(1, Integer.class)).isEqualTo(1);
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
        assertThat(rs.next()).isFalse();
    }
}
