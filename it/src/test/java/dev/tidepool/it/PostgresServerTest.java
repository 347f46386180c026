package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidepool.testsupport.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server the other tests use is what the project's rules say it must be. */
@ExtendWith(PostgresExtension.class)
class PostgresServerTest {
    private final PostgresServer postgres;

    PostgresServerTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void embeddedServerRunsMavenCentralBinariesNeverTheMachinesOwn() throws Exception {
        assumeTrue(postgres.isLocalProcess(), "a container, not a local process");
        try (Connection admin = postgres.connectAsAdmin()) {
            int pid = Jdbc.backendPid(admin);
            Path executable = Path.of("/proc", Integer.toString(pid), "exe").toRealPath();
            assertThat(executable.toString()).endsWith("/bin/postgres")
                    .doesNotStartWith("/usr/lib/postgresql").doesNotStartWith("/usr/bin");
            assertThat(Jdbc.text(admin, "show data_directory")).doesNotStartWith("/var/lib/postgresql");
            assertThat(Jdbc.text(admin, "show listen_addresses")).isEqualTo("127.0.0.1");
            int uid = (Integer) Files.getAttribute(Path.of("/proc", Integer.toString(pid)), "unix:uid");
            assertThat(uid).as("postgres never runs as root").isNotZero();
        }
    }

    @Test
    void testRoleIsNotASuperuser() throws SQLException {
        assumeTrue(postgres.isLocalProcess(), "a container's only role is its superuser");
        try (Connection c = postgres.connect()) {
            assertThat(Jdbc.text(c, "select rolsuper from pg_roles where rolname = current_user")).isIn("f", "false");
        }
    }
}
