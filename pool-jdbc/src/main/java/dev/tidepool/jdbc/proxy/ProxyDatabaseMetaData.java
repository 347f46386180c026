package dev.tidepool.jdbc.proxy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;

/**
 * The {@link DatabaseMetaData} of a {@link ProxyConnection}. Every call goes to the driver's metadata; this proxy
 * adds:
 * <ul>
 *   <li>{@link #getConnection()} returns the proxy connection, never the driver's;
 *   <li>every catalog query (getTables, getColumns, ...) returns a {@link ProxyResultSet}, and dirties the
 *       transaction, since with auto-commit off the driver's query may open one;
 *   <li>a fatal SQLException marks the connection for eviction; once the connection is closed, every call throws
 *       "Connection is closed".
 * </ul>
 */
final class ProxyDatabaseMetaData implements DatabaseMetaData {
    private final ProxyConnection connection;
    private final DatabaseMetaData delegate;

    ProxyDatabaseMetaData(ProxyConnection connection, DatabaseMetaData delegate) {
        this.connection = connection;
        this.delegate = delegate;
    }

    private DatabaseMetaData open() throws SQLException {
        if (connection.isProxyClosed()) {
            throw ProxyConnection.closedException();
        }
        return delegate;
    }

    private DatabaseMetaData openDirty() throws SQLException {
        DatabaseMetaData md = open();
        connection.markDirty();
        return md;
    }

    private <E extends SQLException> E check(E e) {
        return connection.check(e);
    }

    private ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new ProxyResultSet(connection, null, rs);
    }

    // ---- connection and wrapper

    /** The proxy connection, never the driver's. */
    @Override public Connection getConnection() throws SQLException {
        open();
        return connection;
    }

    /** Returns the driver's metadata if it is an {@code iface}, else asks the driver (which may run queries). */
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        try {
            DatabaseMetaData md = openDirty();
            return iface.isInstance(md) ? iface.cast(md) : md.unwrap(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
        try {
            DatabaseMetaData md = open();
            return iface.isInstance(md) || md.isWrapperFor(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public String toString() {
        return "ProxyDatabaseMetaData[" + delegate + "]";
    }

    // ---- Catalog queries: the driver runs a query for each (with auto-commit off, that can open a transaction),
    // and each result comes back as a ProxyResultSet

    @Override public ResultSet getProcedures(
            String catalog, String schemaPattern, String procedureNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getProcedures(catalog, schemaPattern, procedureNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getProcedureColumns(
            String catalog, String schemaPattern, String procedureNamePattern,
            String columnNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getProcedureColumns(catalog, schemaPattern, procedureNamePattern,
                    columnNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getTables(
            String catalog, String schemaPattern, String tableNamePattern, String[] types) throws SQLException {
        try {
            return wrap(openDirty().getTables(catalog, schemaPattern, tableNamePattern, types));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getSchemas() throws SQLException {
        try { return wrap(openDirty().getSchemas()); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getCatalogs() throws SQLException {
        try { return wrap(openDirty().getCatalogs()); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getTableTypes() throws SQLException {
        try { return wrap(openDirty().getTableTypes()); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getColumns(
            String catalog, String schemaPattern, String tableNamePattern,
            String columnNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getColumns(catalog, schemaPattern, tableNamePattern, columnNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getColumnPrivileges(
            String catalog, String schema, String table, String columnNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getColumnPrivileges(catalog, schema, table, columnNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getTablePrivileges(
            String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getTablePrivileges(catalog, schemaPattern, tableNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getBestRowIdentifier(
            String catalog, String schema, String table, int scope, boolean nullable) throws SQLException {
        try {
            return wrap(openDirty().getBestRowIdentifier(catalog, schema, table, scope, nullable));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
        try {
            return wrap(openDirty().getVersionColumns(catalog, schema, table));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        try {
            return wrap(openDirty().getPrimaryKeys(catalog, schema, table));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        try {
            return wrap(openDirty().getImportedKeys(catalog, schema, table));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        try {
            return wrap(openDirty().getExportedKeys(catalog, schema, table));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getCrossReference(
            String parentCatalog, String parentSchema, String parentTable, String foreignCatalog,
            String foreignSchema, String foreignTable) throws SQLException {
        try {
            return wrap(openDirty().getCrossReference(parentCatalog, parentSchema, parentTable, foreignCatalog,
                    foreignSchema, foreignTable));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getTypeInfo() throws SQLException {
        try { return wrap(openDirty().getTypeInfo()); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getIndexInfo(
            String catalog, String schema, String table, boolean unique, boolean approximate) throws SQLException {
        try {
            return wrap(openDirty().getIndexInfo(catalog, schema, table, unique, approximate));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getUDTs(
            String catalog, String schemaPattern, String typeNamePattern, int[] types) throws SQLException {
        try {
            return wrap(openDirty().getUDTs(catalog, schemaPattern, typeNamePattern, types));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getSuperTypes(
            String catalog, String schemaPattern, String typeNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getSuperTypes(catalog, schemaPattern, typeNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getSuperTables(
            String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getSuperTables(catalog, schemaPattern, tableNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getAttributes(
            String catalog, String schemaPattern, String typeNamePattern,
            String attributeNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getAttributes(catalog, schemaPattern, typeNamePattern, attributeNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        try {
            return wrap(openDirty().getSchemas(catalog, schemaPattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getClientInfoProperties() throws SQLException {
        try { return wrap(openDirty().getClientInfoProperties()); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getFunctions(
            String catalog, String schemaPattern, String functionNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getFunctions(catalog, schemaPattern, functionNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getFunctionColumns(
            String catalog, String schemaPattern, String functionNamePattern,
            String columnNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getFunctionColumns(catalog, schemaPattern, functionNamePattern,
                    columnNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public ResultSet getPseudoColumns(
            String catalog, String schemaPattern, String tableNamePattern,
            String columnNamePattern) throws SQLException {
        try {
            return wrap(openDirty().getPseudoColumns(catalog, schemaPattern, tableNamePattern, columnNamePattern));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    // ---- Feature support

    @Override public boolean allProceduresAreCallable() throws SQLException {
        try { return open().allProceduresAreCallable(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean allTablesAreSelectable() throws SQLException {
        try { return open().allTablesAreSelectable(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsMixedCaseIdentifiers() throws SQLException {
        try { return open().supportsMixedCaseIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsMixedCaseQuotedIdentifiers() throws SQLException {
        try { return open().supportsMixedCaseQuotedIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsAlterTableWithAddColumn() throws SQLException {
        try { return open().supportsAlterTableWithAddColumn(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsAlterTableWithDropColumn() throws SQLException {
        try { return open().supportsAlterTableWithDropColumn(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsColumnAliasing() throws SQLException {
        try { return open().supportsColumnAliasing(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean nullPlusNonNullIsNull() throws SQLException {
        try { return open().nullPlusNonNullIsNull(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsConvert() throws SQLException {
        try { return open().supportsConvert(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsConvert(int fromType, int toType) throws SQLException {
        try { return open().supportsConvert(fromType, toType); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsTableCorrelationNames() throws SQLException {
        try { return open().supportsTableCorrelationNames(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsDifferentTableCorrelationNames() throws SQLException {
        try { return open().supportsDifferentTableCorrelationNames(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsExpressionsInOrderBy() throws SQLException {
        try { return open().supportsExpressionsInOrderBy(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsOrderByUnrelated() throws SQLException {
        try { return open().supportsOrderByUnrelated(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsGroupBy() throws SQLException {
        try { return open().supportsGroupBy(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsGroupByUnrelated() throws SQLException {
        try { return open().supportsGroupByUnrelated(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsGroupByBeyondSelect() throws SQLException {
        try { return open().supportsGroupByBeyondSelect(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsLikeEscapeClause() throws SQLException {
        try { return open().supportsLikeEscapeClause(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsMultipleResultSets() throws SQLException {
        try { return open().supportsMultipleResultSets(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsMultipleTransactions() throws SQLException {
        try { return open().supportsMultipleTransactions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsNonNullableColumns() throws SQLException {
        try { return open().supportsNonNullableColumns(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsMinimumSQLGrammar() throws SQLException {
        try { return open().supportsMinimumSQLGrammar(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCoreSQLGrammar() throws SQLException {
        try { return open().supportsCoreSQLGrammar(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsExtendedSQLGrammar() throws SQLException {
        try { return open().supportsExtendedSQLGrammar(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsANSI92EntryLevelSQL() throws SQLException {
        try { return open().supportsANSI92EntryLevelSQL(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsANSI92IntermediateSQL() throws SQLException {
        try { return open().supportsANSI92IntermediateSQL(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsANSI92FullSQL() throws SQLException {
        try { return open().supportsANSI92FullSQL(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsIntegrityEnhancementFacility() throws SQLException {
        try { return open().supportsIntegrityEnhancementFacility(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsOuterJoins() throws SQLException {
        try { return open().supportsOuterJoins(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsFullOuterJoins() throws SQLException {
        try { return open().supportsFullOuterJoins(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsLimitedOuterJoins() throws SQLException {
        try { return open().supportsLimitedOuterJoins(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSchemasInDataManipulation() throws SQLException {
        try { return open().supportsSchemasInDataManipulation(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSchemasInProcedureCalls() throws SQLException {
        try { return open().supportsSchemasInProcedureCalls(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSchemasInTableDefinitions() throws SQLException {
        try { return open().supportsSchemasInTableDefinitions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSchemasInIndexDefinitions() throws SQLException {
        try { return open().supportsSchemasInIndexDefinitions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSchemasInPrivilegeDefinitions() throws SQLException {
        try { return open().supportsSchemasInPrivilegeDefinitions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCatalogsInDataManipulation() throws SQLException {
        try { return open().supportsCatalogsInDataManipulation(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCatalogsInProcedureCalls() throws SQLException {
        try { return open().supportsCatalogsInProcedureCalls(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCatalogsInTableDefinitions() throws SQLException {
        try { return open().supportsCatalogsInTableDefinitions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCatalogsInIndexDefinitions() throws SQLException {
        try { return open().supportsCatalogsInIndexDefinitions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCatalogsInPrivilegeDefinitions() throws SQLException {
        try { return open().supportsCatalogsInPrivilegeDefinitions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsPositionedDelete() throws SQLException {
        try { return open().supportsPositionedDelete(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsPositionedUpdate() throws SQLException {
        try { return open().supportsPositionedUpdate(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSelectForUpdate() throws SQLException {
        try { return open().supportsSelectForUpdate(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsStoredProcedures() throws SQLException {
        try { return open().supportsStoredProcedures(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSubqueriesInComparisons() throws SQLException {
        try { return open().supportsSubqueriesInComparisons(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSubqueriesInExists() throws SQLException {
        try { return open().supportsSubqueriesInExists(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSubqueriesInIns() throws SQLException {
        try { return open().supportsSubqueriesInIns(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSubqueriesInQuantifieds() throws SQLException {
        try { return open().supportsSubqueriesInQuantifieds(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsCorrelatedSubqueries() throws SQLException {
        try { return open().supportsCorrelatedSubqueries(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsUnion() throws SQLException {
        try { return open().supportsUnion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsUnionAll() throws SQLException {
        try { return open().supportsUnionAll(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsOpenCursorsAcrossCommit() throws SQLException {
        try { return open().supportsOpenCursorsAcrossCommit(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsOpenCursorsAcrossRollback() throws SQLException {
        try { return open().supportsOpenCursorsAcrossRollback(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsOpenStatementsAcrossCommit() throws SQLException {
        try { return open().supportsOpenStatementsAcrossCommit(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsOpenStatementsAcrossRollback() throws SQLException {
        try { return open().supportsOpenStatementsAcrossRollback(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean doesMaxRowSizeIncludeBlobs() throws SQLException {
        try { return open().doesMaxRowSizeIncludeBlobs(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsTransactions() throws SQLException {
        try { return open().supportsTransactions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsTransactionIsolationLevel(int level) throws SQLException {
        try { return open().supportsTransactionIsolationLevel(level); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsDataDefinitionAndDataManipulationTransactions() throws SQLException {
        try {
            return open().supportsDataDefinitionAndDataManipulationTransactions();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean supportsDataManipulationTransactionsOnly() throws SQLException {
        try { return open().supportsDataManipulationTransactionsOnly(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean dataDefinitionCausesTransactionCommit() throws SQLException {
        try { return open().dataDefinitionCausesTransactionCommit(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean dataDefinitionIgnoredInTransactions() throws SQLException {
        try { return open().dataDefinitionIgnoredInTransactions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsResultSetType(int type) throws SQLException {
        try { return open().supportsResultSetType(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsResultSetConcurrency(int type, int concurrency) throws SQLException {
        try {
            return open().supportsResultSetConcurrency(type, concurrency);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean ownUpdatesAreVisible(int type) throws SQLException {
        try { return open().ownUpdatesAreVisible(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean ownDeletesAreVisible(int type) throws SQLException {
        try { return open().ownDeletesAreVisible(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean ownInsertsAreVisible(int type) throws SQLException {
        try { return open().ownInsertsAreVisible(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean othersUpdatesAreVisible(int type) throws SQLException {
        try { return open().othersUpdatesAreVisible(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean othersDeletesAreVisible(int type) throws SQLException {
        try { return open().othersDeletesAreVisible(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean othersInsertsAreVisible(int type) throws SQLException {
        try { return open().othersInsertsAreVisible(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean updatesAreDetected(int type) throws SQLException {
        try { return open().updatesAreDetected(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean deletesAreDetected(int type) throws SQLException {
        try { return open().deletesAreDetected(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean insertsAreDetected(int type) throws SQLException {
        try { return open().insertsAreDetected(type); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsBatchUpdates() throws SQLException {
        try { return open().supportsBatchUpdates(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSavepoints() throws SQLException {
        try { return open().supportsSavepoints(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsNamedParameters() throws SQLException {
        try { return open().supportsNamedParameters(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsMultipleOpenResults() throws SQLException {
        try { return open().supportsMultipleOpenResults(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsGetGeneratedKeys() throws SQLException {
        try { return open().supportsGetGeneratedKeys(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsResultSetHoldability(int holdability) throws SQLException {
        try { return open().supportsResultSetHoldability(holdability); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean locatorsUpdateCopy() throws SQLException {
        try { return open().locatorsUpdateCopy(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsStatementPooling() throws SQLException {
        try { return open().supportsStatementPooling(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsStoredFunctionsUsingCallSyntax() throws SQLException {
        try { return open().supportsStoredFunctionsUsingCallSyntax(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean autoCommitFailureClosesAllResultSets() throws SQLException {
        try { return open().autoCommitFailureClosesAllResultSets(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean generatedKeyAlwaysReturned() throws SQLException {
        try { return open().generatedKeyAlwaysReturned(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsRefCursors() throws SQLException {
        try { return open().supportsRefCursors(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean supportsSharding() throws SQLException {
        try { return open().supportsSharding(); } catch (SQLException e) { throw check(e); }
    }

    // ---- Limits

    @Override public int getMaxBinaryLiteralLength() throws SQLException {
        try { return open().getMaxBinaryLiteralLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxCharLiteralLength() throws SQLException {
        try { return open().getMaxCharLiteralLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxColumnNameLength() throws SQLException {
        try { return open().getMaxColumnNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxColumnsInGroupBy() throws SQLException {
        try { return open().getMaxColumnsInGroupBy(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxColumnsInIndex() throws SQLException {
        try { return open().getMaxColumnsInIndex(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxColumnsInOrderBy() throws SQLException {
        try { return open().getMaxColumnsInOrderBy(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxColumnsInSelect() throws SQLException {
        try { return open().getMaxColumnsInSelect(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxColumnsInTable() throws SQLException {
        try { return open().getMaxColumnsInTable(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxConnections() throws SQLException {
        try { return open().getMaxConnections(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxCursorNameLength() throws SQLException {
        try { return open().getMaxCursorNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxIndexLength() throws SQLException {
        try { return open().getMaxIndexLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxSchemaNameLength() throws SQLException {
        try { return open().getMaxSchemaNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxProcedureNameLength() throws SQLException {
        try { return open().getMaxProcedureNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxCatalogNameLength() throws SQLException {
        try { return open().getMaxCatalogNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxRowSize() throws SQLException {
        try { return open().getMaxRowSize(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxStatementLength() throws SQLException {
        try { return open().getMaxStatementLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxStatements() throws SQLException {
        try { return open().getMaxStatements(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxTableNameLength() throws SQLException {
        try { return open().getMaxTableNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxTablesInSelect() throws SQLException {
        try { return open().getMaxTablesInSelect(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxUserNameLength() throws SQLException {
        try { return open().getMaxUserNameLength(); } catch (SQLException e) { throw check(e); }
    }

    @Override public long getMaxLogicalLobSize() throws SQLException {
        try { return open().getMaxLogicalLobSize(); } catch (SQLException e) { throw check(e); }
    }

    // ---- SQL dialect: identifiers, keywords, functions, null ordering, local files

    @Override public boolean nullsAreSortedHigh() throws SQLException {
        try { return open().nullsAreSortedHigh(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean nullsAreSortedLow() throws SQLException {
        try { return open().nullsAreSortedLow(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean nullsAreSortedAtStart() throws SQLException {
        try { return open().nullsAreSortedAtStart(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean nullsAreSortedAtEnd() throws SQLException {
        try { return open().nullsAreSortedAtEnd(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean usesLocalFiles() throws SQLException {
        try { return open().usesLocalFiles(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean usesLocalFilePerTable() throws SQLException {
        try { return open().usesLocalFilePerTable(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean storesUpperCaseIdentifiers() throws SQLException {
        try { return open().storesUpperCaseIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean storesLowerCaseIdentifiers() throws SQLException {
        try { return open().storesLowerCaseIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean storesMixedCaseIdentifiers() throws SQLException {
        try { return open().storesMixedCaseIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean storesUpperCaseQuotedIdentifiers() throws SQLException {
        try { return open().storesUpperCaseQuotedIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean storesLowerCaseQuotedIdentifiers() throws SQLException {
        try { return open().storesLowerCaseQuotedIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean storesMixedCaseQuotedIdentifiers() throws SQLException {
        try { return open().storesMixedCaseQuotedIdentifiers(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getIdentifierQuoteString() throws SQLException {
        try { return open().getIdentifierQuoteString(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getSQLKeywords() throws SQLException {
        try { return open().getSQLKeywords(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getNumericFunctions() throws SQLException {
        try { return open().getNumericFunctions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getStringFunctions() throws SQLException {
        try { return open().getStringFunctions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getSystemFunctions() throws SQLException {
        try { return open().getSystemFunctions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getTimeDateFunctions() throws SQLException {
        try { return open().getTimeDateFunctions(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getSearchStringEscape() throws SQLException {
        try { return open().getSearchStringEscape(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getExtraNameCharacters() throws SQLException {
        try { return open().getExtraNameCharacters(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getSchemaTerm() throws SQLException {
        try { return open().getSchemaTerm(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getProcedureTerm() throws SQLException {
        try { return open().getProcedureTerm(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getCatalogTerm() throws SQLException {
        try { return open().getCatalogTerm(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isCatalogAtStart() throws SQLException {
        try { return open().isCatalogAtStart(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getCatalogSeparator() throws SQLException {
        try { return open().getCatalogSeparator(); } catch (SQLException e) { throw check(e); }
    }

    // ---- Product, driver, connection and transaction facts

    @Override public String getURL() throws SQLException {
        try { return open().getURL(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getUserName() throws SQLException {
        try { return open().getUserName(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isReadOnly() throws SQLException {
        try { return open().isReadOnly(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getDatabaseProductName() throws SQLException {
        try { return open().getDatabaseProductName(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getDatabaseProductVersion() throws SQLException {
        try { return open().getDatabaseProductVersion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getDriverName() throws SQLException {
        try { return open().getDriverName(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getDriverVersion() throws SQLException {
        try { return open().getDriverVersion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getDriverMajorVersion() {
        return delegate.getDriverMajorVersion();
    }

    @Override public int getDriverMinorVersion() {
        return delegate.getDriverMinorVersion();
    }

    @Override public int getDefaultTransactionIsolation() throws SQLException {
        try { return open().getDefaultTransactionIsolation(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getResultSetHoldability() throws SQLException {
        try { return open().getResultSetHoldability(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getDatabaseMajorVersion() throws SQLException {
        try { return open().getDatabaseMajorVersion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getDatabaseMinorVersion() throws SQLException {
        try { return open().getDatabaseMinorVersion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getJDBCMajorVersion() throws SQLException {
        try { return open().getJDBCMajorVersion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getJDBCMinorVersion() throws SQLException {
        try { return open().getJDBCMinorVersion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getSQLStateType() throws SQLException {
        try { return open().getSQLStateType(); } catch (SQLException e) { throw check(e); }
    }

    @Override public RowIdLifetime getRowIdLifetime() throws SQLException {
        try { return open().getRowIdLifetime(); } catch (SQLException e) { throw check(e); }
    }
}
