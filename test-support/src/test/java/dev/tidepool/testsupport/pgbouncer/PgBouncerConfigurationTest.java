package dev.tidepool.testsupport.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What needs no PgBouncer: reading versions, merging and checking settings, and where
 * {@link PgBouncerBinary#find()} looks as {@value PgBouncerBinary#PROPERTY} says. (The {@code it}
 * module runs a real PgBouncer.)
 */
class PgBouncerConfigurationTest {

    @AfterEach
    void forgetTheProperty() {
        System.clearProperty(PgBouncerBinary.PROPERTY);
    }

    @Test
    void versionsAreReadFromWhatPgBouncerPrintsAndOrdered() {
        PgBouncerVersion debian12 = PgBouncerVersion.parse("PgBouncer 1.18.0\nlibevent 2.1.12-stable\n");
        assertThat(debian12).isEqualTo(new PgBouncerVersion(1, 18, 0));
        assertThat(debian12.supportsPreparedStatements()).isFalse();
        assertThat(PgBouncerVersion.parse("PgBouncer 1.21.0").supportsPreparedStatements()).isTrue();
        assertThat(PgBouncerVersion.parse("PgBouncer 1.24").supportsPreparedStatements()).isTrue();
        assertThat(PgBouncerVersion.parse("PgBouncer 2.0.1")).isGreaterThan(PgBouncerVersion.parse("PgBouncer 1.99.9"));
        assertThat(debian12).hasToString("1.18.0");
    }

    @Test
    void textWithoutAVersionIsRefusedQuotingIt() {
        assertThatThrownBy(() -> PgBouncerVersion.parse("pgbouncer: command not found"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pgbouncer: command not found");
        assertThatThrownBy(() -> new PgBouncerVersion(1, -1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.-1.0");
    }

    @Test
    void callerSettingsOverrideTheDefaults() {
        Map<String, String> merged = PgBouncerServer.settings(Map.of("default_pool_size", "5",
                "max_prepared_statements", "100"));
        assertThat(merged).containsEntry("default_pool_size", "5").containsEntry("max_prepared_statements", "100")
                .containsEntry("pool_mode", "transaction")
                .containsEntry("ignore_startup_parameters", "extra_float_digits");
        assertThat(PgBouncerServer.DEFAULT_SETTINGS).containsEntry("default_pool_size", "20");
    }

    @Test
    void settingsThatCouldInjectOrTakeOverAreRefusedByName() {
        assertThatThrownBy(() -> PgBouncerServer.settings(Map.of("pool_mode", "session\nauth_type = trust")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool_mode");
        assertThatThrownBy(() -> PgBouncerServer.settings(Map.of("pool_mode", "session ; comment")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool_mode");
        assertThatThrownBy(() -> PgBouncerServer.settings(Map.of("[databases]", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'[databases]'");
        for (String own : new String[] {"listen_port", "auth_type", "auth_file", "admin_users", "logfile", "user"}) {
            assertThatThrownBy(() -> PgBouncerServer.settings(Map.of(own, "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(own);
        }
    }

    @Test
    void noneHidesPgBouncer() {
        System.setProperty(PgBouncerBinary.PROPERTY, PgBouncerBinary.NONE);

        assertThat(PgBouncerBinary.find()).isEmpty();
        assertThat(PgBouncerBinary.searched()).contains("none");
    }

    @Test
    void aConfiguredPathThatIsNoProgramIsRefusedByName(@TempDir Path dir) throws Exception {
        Path notAProgram = Files.writeString(dir.resolve("pgbouncer"), "not a program");
        System.setProperty(PgBouncerBinary.PROPERTY, notAProgram.toString());

        assertThatThrownBy(PgBouncerBinary::find).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PgBouncerBinary.PROPERTY + "=" + notAProgram);
    }

    @Test
    void aConfiguredProgramThatIsNotPgBouncerIsRefusedWithWhatItSaid(@TempDir Path dir) throws Exception {
        Path impostor = Files.writeString(dir.resolve("pgbouncer"), "#!/bin/sh\necho 'impostor 9.9'\n");
        assertThat(impostor.toFile().setExecutable(true)).isTrue();
        System.setProperty(PgBouncerBinary.PROPERTY, impostor.toString());

        assertThatThrownBy(PgBouncerBinary::find).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("impostor 9.9");
    }
}
