package dev.tidepool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input ends the same way: one line on stderr naming the problem and the value,
 * then the usage, the exit code (2, or 3 for a database that cannot be reached), nothing started,
 * and never a stack trace or a password.
 */
class BadInputTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final Demo demo = new Demo(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"--bogus"}, "unknown option \"--bogus\""),
                Arguments.of(new String[] {"extra"}, "unknown option \"extra\""),
                Arguments.of(new String[] {"--threads", "many"}, "--threads takes a whole number, not \"many\""),
                Arguments.of(new String[] {"--pool-size=-3"}, "--pool-size must be at least 1, was -3"),
                Arguments.of(new String[] {"--threads", "0"}, "--threads must be at least 1, was 0"),
                Arguments.of(new String[] {"--duration", "-5"}, "--duration must be 0 (until Ctrl-C) or more seconds, was -5"),
                Arguments.of(new String[] {"--duration", "soon"}, "--duration takes whole seconds (60, 60s or 1m), not \"soon\""),
                Arguments.of(new String[] {"--latency", "-1"}, "--latency must be 0 to 60000 milliseconds, was -1"),
                Arguments.of(new String[] {"--workload", "heavy"}, "--workload must be short, mixed or slow, not \"heavy\""),
                Arguments.of(new String[] {"--threads"}, "option --threads needs a value"),
                Arguments.of(new String[] {"--plain=yes"}, "option --plain takes no value, was given \"yes\""),
                Arguments.of(new String[] {"--jmx-port", "70000"}, "--jmx-port must be 0 to 65535, was 70000"),
                Arguments.of(new String[] {"--compare-hikari", "--duration", "0"},
                        "--compare-hikari needs a --duration above 0 (each pool runs for half of it)"),
                Arguments.of(new String[] {"--chart", "wait.jpg"}, "--chart writes a PNG: the file name must end with .png, not \"wait.jpg\""),
                Arguments.of(new String[] {"--jdbc-url", "postgres://db/app"}, "--jdbc-url must start with jdbc:, not \"postgres://db/app\""),
                Arguments.of(new String[] {"--jdbc-url", "jdbc:nosuch://db/app?password=hunter2"},
                        "--jdbc-url: no JDBC driver here accepts \"jdbc:nosuch://db/app?password=****\""));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void aBadOptionIsOneLineThenTheUsageAndExitCode2(String[] args, String message) {
        int code = demo.run(args);

        assertThat(code).isEqualTo(Demo.EXIT_USAGE);
        assertOneLineThenUsage(message);
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).as("nothing started").isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCode3WithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/app?password=hunter2";

        int code = demo.run("--jdbc-url", url, "--user", "app", "--password", "s3cret", "--jmx-port", "0");

        assertThat(code).isEqualTo(Demo.EXIT_UNREACHABLE);
        assertOneLineThenUsage("cannot reach the database at jdbc:postgresql://127.0.0.1:" + closedPort
                + "/app?password=**** as user \"app\": ");
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2").doesNotContain("s3cret")
                .containsIgnoringCase("refused");
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aJmxPortInUseIsAUsageError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = demo.run("--jmx-port", Integer.toString(taken.getLocalPort()), "--duration", "1");

            assertThat(code).isEqualTo(Demo.EXIT_USAGE);
            assertOneLineThenUsage("--jmx-port " + taken.getLocalPort() + " is in use; pick another, or 0 for any free port");
        }
    }

    @Test
    void helpPrintsTheUsageAndExits0() {
        assertThat(demo.run("--help")).isEqualTo(Demo.EXIT_OK);
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains(DemoOptions.USAGE);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private void assertOneLineThenUsage(String message) {
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(err.lines().findFirst()).hasValueSatisfying(first ->
                assertThat(first).startsWith("tidepool-demo: " + message));
        assertThat(err).contains(DemoOptions.USAGE)
                .doesNotContain("\tat ")
                .doesNotContain("Exception in thread");
        assertThat(err.lines().count()).isEqualTo(1 + DemoOptions.USAGE.lines().count());
    }
}
