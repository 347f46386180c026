package dev.tidepool.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * The demo run in-process for a couple of seconds, with plain output, as CI sees it: the header
 * with the JMX address, one line a second, the summary; a JMX client resizing the pools while it
 * runs; a stop request (what Ctrl-C does) ending it with the summary.
 */
class DemoRunTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final Demo demo = new Demo(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shortRunPrintsTheJmxAddressOneLineASecondAndTheSummary() {
        int code = demo.run("--duration", "2", "--threads", "40", "--pool-size", "4", "--plain", "--jmx-port", "0");

        assertThat(code).as(err()).isEqualTo(Demo.EXIT_OK);
        assertThat(err()).isEmpty();
        String out = out();
        assertThat(out).containsPattern("JMX: service:jmx:rmi:///jndi/rmi://localhost:\\d+/jmxrmi")
                .containsPattern("jconsole localhost:\\d+")
                .contains("40 client virtual threads share 4 connections to H2 in memory");
        assertThat(out.lines().filter(l -> l.startsWith("[Tidepool ")))
                .hasSizeBetween(2, 3)
                .allMatch(l -> l.matches("\\[Tidepool \\d+/2 s] [\\d,]+ tx/s, max pool size 4 \\| wait p50 .*"
                        + "\\| connections active \\d+, idle \\d+, waiting \\d+, total \\d+"
                        + " \\| GreenPool running \\d+/40, waiting \\d+ \\| starved \\d+ of 40.*"), "a tick line");
        assertThat(out).containsPattern("(?m)^\\s+Tidepool$")
                .containsPattern("(?m)^  throughput\\s+[\\d,]+ tx/s$")
                .containsPattern("(?m)^  wait p99\\s+\\S+ (ns|µs|ms|s)$")
                .containsPattern("(?m)^  starved clients\\s+\\d+ of 40$")
                .containsPattern("(?m)^  failed transactions\\s+0$")
                .contains(Summary.STARVED_DEFINITION)
                .contains("the accounts held 1,000,000 before and 1,000,000 after");
    }

    @Test
    void compareHikariPrintsBothPoolsSideBySide() {
        int code = demo.run("--compare-hikari", "--duration", "2", "--threads", "30", "--pool-size", "3",
                "--workload", "short", "--plain", "--jmx-port", "0");

        assertThat(code).as(err()).isEqualTo(Demo.EXIT_OK);
        String out = out();
        assertThat(out).contains("[Tidepool 1/1 s]").contains("[HikariCP 7.1.0 1/1 s]")
                .containsPattern("(?m)^\\s+Tidepool\\s+HikariCP 7\\.1\\.0$")
                .containsPattern("(?m)^  throughput\\s+[\\d,]+ tx/s\\s+[\\d,]+ tx/s$")
                .containsPattern("(?m)^  wait max\\s+\\S+ \\S+\\s+\\S+ \\S+$")
                .containsPattern("(?m)^  starved clients\\s+\\d+ of 30\\s+\\d+ of 30$")
                .contains("money check");
    }

    @Test
    void aJmxResizeShowsInTheViewAndAStopRequestEndsTheRunWithTheSummary() throws Exception {
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = Thread.ofPlatform().name("demo-under-test").start(() -> exit.set(
                demo.run("--duration", "0", "--threads", "40", "--pool-size", "4", "--plain", "--jmx-port", "0")));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> out().contains("[Tidepool 1 s]"));
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://localhost:" + demo.jmxPort() + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                server.setAttribute(new ObjectName("dev.tidepool:type=DataSource,name=demo-db"),
                        new Attribute("MaximumPoolSize", 2));
                server.setAttribute(new ObjectName("dev.tidepool:type=GreenPool,name=demo-workers"),
                        new Attribute("Size", 10));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(out())
                    .contains("demo-db MaximumPoolSize 4 -> 2 (changed over JMX from 127.0.0.1: set MaximumPoolSize = 2)")
                    .contains("demo-workers Size 40 -> 10 (changed over JMX from 127.0.0.1: set Size = 10)")
                    .containsPattern("max pool size 2 \\|.*GreenPool running \\d+/10,"));
        } finally {
            demo.requestStop();
            running.join(Duration.ofSeconds(30));
        }
        assertThat(exit.get()).as(err()).isEqualTo(Demo.EXIT_OK);
        assertThat(out()).containsPattern("(?m)^  ran for\\s+[\\d.]+ s \\(stopped\\)$")
                .contains("money check");
        assertThat(demo.jmxPort()).isEqualTo(-1);
    }
}
