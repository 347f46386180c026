package dev.tidepool.testsupport.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings a caller adds are merged over the defaults, and nothing but plain words gets in. */
class EmbeddedPostgresSettingsTest {

    @Test
    void callerSettingsOverrideTheDefaultsAndAddTheirOwn() {
        Map<String, String> merged = PostgresBootstrap.settings(Map.of("max_connections", "200",
                "shared_buffers", "256MB"));
        assertThat(merged).containsEntry("max_connections", "200").containsEntry("shared_buffers", "256MB")
                .containsEntry("fsync", "off").containsEntry("synchronous_commit", "off");
        assertThat(EmbeddedPostgresServer.DEFAULT_SETTINGS).containsEntry("max_connections", "100");
    }

    @Test
    void valueThatCouldInjectAnotherSettingIsRefusedByName() {
        assertThatThrownBy(() -> PostgresBootstrap.settings(Map.of("work_mem", "4MB'\nhba_file = '/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work_mem");
        assertThatThrownBy(() -> PostgresBootstrap.settings(Map.of("work_mem", "4MB # comment")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work_mem");
        assertThatThrownBy(() -> PostgresBootstrap.settings(Map.of("Bad Name", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad Name'");
    }

    @Test
    void whereTheServerListensAndWhomItLetsInCannotBeChanged() {
        for (String own : new String[] {"listen_addresses", "port", "hba_file", "unix_socket_directories"}) {
            assertThatThrownBy(() -> PostgresBootstrap.settings(Map.of(own, "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(own);
        }
    }
}
