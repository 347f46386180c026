package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PgBouncerPreset}: what each preset sets, that the properties form loads into the same
 * configuration, and that settings transaction pooling defeats are refused by name, changing
 * nothing. (The {@code it} module runs both presets through a real PgBouncer.)
 */
class PgBouncerPresetTest {

    @Test
    void transactionPoolingTurnsOffNamedStatementsAndIsolatesInternalQueries() {
        TidepoolConfig config = new TidepoolConfig();
        config.setIsolateInternalQueries(false); // HikariCP's default, as a migrated configuration may have it

        PgBouncerPreset.TRANSACTION_POOLING.applyTo(config);

        assertThat(config.getDataSourceProperties()).containsEntry("prepareThreshold", "0");
        assertThat(config.isIsolateInternalQueries()).isTrue();
    }

    @Test
    void protocolLevelPreparedStatementsKeepThePgjdbcDefault() {
        TidepoolConfig config = PgBouncerPreset.TRANSACTION_POOLING_PREPARED_STATEMENTS.applyTo(new TidepoolConfig());

        assertThat(config.getDataSourceProperties()).doesNotContainKey("prepareThreshold");
        assertThat(config.isIsolateInternalQueries()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void propertiesFormLoadsToWhatApplyToSets(PgBouncerPreset preset) {
        Properties properties = preset.properties();
        properties.setProperty("jdbcUrl", "jdbc:postgresql://127.0.0.1:6432/app");

        TidepoolConfig loaded = new TidepoolConfig(properties);
        TidepoolConfig applied = preset.applyTo(new TidepoolConfig());

        assertThat(loaded.getDataSourceProperties()).isEqualTo(applied.getDataSourceProperties());
        assertThat(loaded.isIsolateInternalQueries()).isEqualTo(applied.isIsolateInternalQueries());
    }

    @Test
    void anExistingMatchingThresholdIsAccepted() {
        TidepoolConfig config = new TidepoolConfig();
        config.addDataSourceProperty("prepareThreshold", 0);

        PgBouncerPreset.TRANSACTION_POOLING.applyTo(config);

        assertThat(config.getDataSourceProperties()).containsEntry("prepareThreshold", "0");
    }

    @Test
    void sessionIsolationIsRefusedByName() {
        TidepoolConfig config = new TidepoolConfig();
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        config.setIsolateInternalQueries(false);

        assertThatThrownBy(() -> PgBouncerPreset.TRANSACTION_POOLING.applyTo(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transactionIsolation=TRANSACTION_SERIALIZABLE")
                .hasMessageContaining("default_transaction_isolation");
        assertThat(config.getDataSourceProperties()).isEmpty();
        assertThat(config.isIsolateInternalQueries()).isFalse();
    }

    @Test
    void schemaIsRefusedByName() {
        TidepoolConfig config = new TidepoolConfig();
        config.setSchema("billing");

        assertThatThrownBy(() -> PgBouncerPreset.TRANSACTION_POOLING_PREPARED_STATEMENTS.applyTo(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema=billing");
    }

    @Test
    void connectionInitSqlIsRefusedWithoutQuotingIt() {
        TidepoolConfig config = new TidepoolConfig();
        config.setConnectionInitSql("SET app.token = 'hunter2'");

        assertThatThrownBy(() -> PgBouncerPreset.TRANSACTION_POOLING.applyTo(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectionInitSql")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aConflictingThresholdIsRefusedByName() {
        TidepoolConfig named = new TidepoolConfig();
        named.addDataSourceProperty("prepareThreshold", "5");
        assertThatThrownBy(() -> PgBouncerPreset.TRANSACTION_POOLING.applyTo(named))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prepareThreshold=5");

        TidepoolConfig unnamed = new TidepoolConfig();
        unnamed.addDataSourceProperty("prepareThreshold", "0");
        assertThatThrownBy(() -> PgBouncerPreset.TRANSACTION_POOLING_PREPARED_STATEMENTS.applyTo(unnamed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prepareThreshold=0");
    }

    @Test
    void otherSettingsAreLeftAsTheCallerSetThem() {
        TidepoolConfig config = new TidepoolConfig();
        config.setMaximumPoolSize(20);
        config.setAutoCommit(false);
        config.setKeepaliveTime(60_000);
        config.setReadOnly(true);
        config.addDataSourceProperty("ApplicationName", "orders");

        PgBouncerPreset.TRANSACTION_POOLING.applyTo(config);

        assertThat(config.getMaximumPoolSize()).isEqualTo(20);
        assertThat(config.isAutoCommit()).isFalse();
        assertThat(config.getKeepaliveTime()).isEqualTo(60_000);
        assertThat(config.isReadOnly()).isTrue();
        assertThat(config.getDataSourceProperties()).containsEntry("ApplicationName", "orders");
    }
}
