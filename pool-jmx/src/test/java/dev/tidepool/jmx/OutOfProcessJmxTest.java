package dev.tidepool.jmx;

import static dev.tidepool.jmx.JmxTestSupport.WAIT;
import static dev.tidepool.jmx.JmxTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jmx.JmxTestSupport.Heard;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator does: a second JVM runs pools ({@link OperatorDemo}) with the JDK's JMX agent
 * on a loopback port, without authentication or SSL, and this test attaches over RMI as JConsole
 * would, reads the beans, changes them, and asks the child whether its pools really changed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OutOfProcessJmxTest {

    @Test
    void anOperatorWatchesAndResizesThePoolsOfAnotherJvm() throws Exception {
        try (Child child = Child.start()) {
            try (JMXConnector connector = JMXConnectorFactory.connect(child.serviceUrl())) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName ops = new ObjectName("dev.tidepool:type=ResourcePool,name=ops");
                ObjectName workers = new ObjectName("dev.tidepool:type=GreenPool,name=workers");
                // Registered by the data source itself (registerMbeans=true, found through ServiceLoader).
                ObjectName db = new ObjectName("dev.tidepool:type=DataSource,name=db");

                assertThat(server.queryNames(new ObjectName("dev.tidepool:*"), null)).containsExactlyInAnyOrder(ops, workers, db);

                // Read: every attribute, all open types.
                Map<String, Object> opsView = JmxTestSupport.readAll(server, ops);
                assertThat(opsView).hasSize(14).containsEntry("Fairness", "STRICT")
                        .containsEntry("MaxSize", 4).containsEntry("Size", 4).containsEntry("Idle", 4)
                        .containsEntry("InUse", 0).containsEntry("CreatedCount", 4L);
                JmxTestSupport.assertAllOpenSimpleTypes(server, ops);
                Map<String, Object> workersView = JmxTestSupport.readAll(server, workers);
                assertThat(workersView).hasSize(7).containsEntry("Size", 8).containsEntry("Running", 2);
                JmxTestSupport.assertAllOpenSimpleTypes(server, workers);
                // Until a housekeeping round is not holding an idle connection to look at it.
                await().untilAsserted(() -> assertThat(JmxTestSupport.readAll(server, db)).hasSize(19)
                        .containsEntry("PoolName", "db").containsEntry("MaximumPoolSize", 5)
                        .containsEntry("MinimumIdle", 0).containsEntry("TotalConnections", 3)
                        .containsEntry("IdleConnections", 3).containsEntry("ActiveConnections", 0));
                JmxTestSupport.assertAllOpenSimpleTypes(server, db);
                assertThat(child.report()).containsEntry("ops.maxSize", "4").containsEntry("ops.size", "4");

                // Write MaxSize: the child's pool shrinks at once, idle items and all.
                JmxTestSupport.set(server, ops, "MaxSize", 2);
                assertThat(server.getAttribute(ops, "MaxSize")).isEqualTo(2);
                assertThat(server.getAttribute(ops, "Size")).isEqualTo(2);
                assertThat(server.getAttribute(ops, "DisposedCount")).isEqualTo(2L);
                assertThat(child.report()).containsEntry("ops.maxSize", "2").containsEntry("ops.size", "2")
                        .containsEntry("ops.idle", "2");

                // The resize operation, as JConsole's Operations tab calls it.
                server.invoke(ops, "resize", new Object[] {3}, new String[] {"int"});
                assertThat(server.getAttribute(ops, "MaxSize")).isEqualTo(3);
                assertThat(child.report()).containsEntry("ops.maxSize", "3");

                // A bad value reaches the client with its message, and changes nothing.
                assertThatThrownBy(() -> JmxTestSupport.set(server, ops, "MaxSize", -1))
                        .isInstanceOf(RuntimeMBeanException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("maxSize must be >= 0, was -1");
                assertThatThrownBy(() -> JMX.newMXBeanProxy(server, workers, GreenPoolMXBean.class).setSize(-5))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
                assertThat(child.report()).containsEntry("ops.maxSize", "3").containsEntry("workers.size", "8");

                // Fairness, a String attribute: the child's pool switches at once; a bad value is refused.
                JmxTestSupport.set(server, ops, "Fairness", "BOUNDED(5ms)");
                assertThat(child.report()).containsEntry("ops.fairness", "BOUNDED(5ms)");
                assertThatThrownBy(() -> JmxTestSupport.set(server, ops, "Fairness", "SOMETIMES"))
                        .isInstanceOf(RuntimeMBeanException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'SOMETIMES'");
                JmxTestSupport.set(server, db, "Fairness", "bounded(2ms)");
                assertThat(server.getAttribute(db, "Fairness")).isEqualTo("BOUNDED(2ms)");
                assertThat(child.report()).containsEntry("ops.fairness", "BOUNDED(5ms)")
                        .containsEntry("db.fairness", "BOUNDED(2ms)");

                // The GreenPool: the attribute, then the operation.
                JmxTestSupport.set(server, workers, "Size", 4);
                assertThat(server.getAttribute(workers, "Free")).isEqualTo(2);
                server.invoke(workers, "resize", new Object[] {6}, new String[] {"int"});
                assertThat(server.getAttribute(workers, "Size")).isEqualTo(6);
                assertThat(child.report()).containsEntry("workers.size", "6").containsEntry("workers.running", "2");

                // The DataSource: MaximumPoolSize is a resize that closes idle connections at once.
                JmxTestSupport.set(server, db, "MaximumPoolSize", 2);
                assertThat(server.getAttribute(db, "TotalConnections")).isEqualTo(2);
                assertThat(child.report()).containsEntry("db.maximumPoolSize", "2").containsEntry("db.total", "2");
                server.invoke(db, "resize", new Object[] {4}, new String[] {"int"});
                assertThat(server.getAttribute(db, "MaximumPoolSize")).isEqualTo(4);
                // Four made: the start's check (closed again, since minimumIdle is 0) and the three borrowed.
                assertThat(child.report()).containsEntry("db.maximumPoolSize", "4").containsEntry("db.created", "4");
                // softEvictConnections: with minimumIdle 0 nothing replaces them.
                server.invoke(db, "softEvictConnections", null, null);
                await().until(() -> server.getAttribute(db, "TotalConnections").equals(0));
                assertThat(child.report()).containsEntry("db.total", "0").containsEntry("db.idle", "0");
                // MinimumIdle fills the pool with new connections.
                JmxTestSupport.set(server, db, "MinimumIdle", 2);
                await().until(() -> server.getAttribute(db, "IdleConnections").equals(2));
                assertThat(child.report()).containsEntry("db.minimumIdle", "2").containsEntry("db.total", "2")
                        .containsEntry("db.created", "6");
                assertThatThrownBy(() -> JmxTestSupport.set(server, db, "MinimumIdle", 9))
                        .isInstanceOf(RuntimeMBeanException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("minimumIdle 9 is greater than maximumPoolSize 4");
                assertThat(child.report()).containsEntry("db.minimumIdle", "2").containsEntry("db.maximumPoolSize", "4");

                // The command-line client documented in docs/jmx.md does the same from a shell.
                assertThat(runClient(child, "set", ops.toString(), "MaxSize", "4")).isEqualTo("0 MaxSize = 4");
                assertThat(runClient(child, "set", ops.toString(), "MaxSize", "-2"))
                        .isEqualTo("1 failed: pool ops: maxSize must be >= 0, was -2");
                assertThat(runClient(child, "set", ops.toString(), "Fairness", "STRICT")).isEqualTo("0 Fairness = STRICT");
                assertThat(runClient(child, "invoke", workers.toString(), "resize", "7")).isEqualTo("0 resize done");
                assertThat(runClient(child, "invoke", db.toString(), "resize", "3")).isEqualTo("0 resize done");
                assertThat(runClient(child, "list")).contains(ops.toString(), workers.toString(), db.toString());
                assertThat(child.report()).containsEntry("ops.maxSize", "4").containsEntry("ops.fairness", "STRICT")
                        .containsEntry("workers.size", "7")
                        .containsEntry("db.maximumPoolSize", "3");

                // Notifications travel too: a borrower in the child times out.
                Heard heard = new Heard();
                server.addNotificationListener(ops, heard, null, null);
                child.command("timeout", "TIMED-OUT");
                await().until(() -> !heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION).isEmpty());
                CompositeData data = (CompositeData) heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION).get(0).getUserData();
                assertThat(data.get("pool")).isEqualTo("ops");
                assertThat(server.getAttribute(ops, "TimeoutCount")).isEqualTo(1L);
                assertThat(child.report()).containsEntry("ops.timeouts", "1");
                server.removeNotificationListener(ops, heard);
            }

            child.command("exit", "BYE");
            assertThat(child.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(child.process.exitValue()).isZero();
        }
    }

    /** Runs {@link JmxClient} against the child: its exit status, a space, and what it printed. */
    private static String runClient(Child child, String... command) throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8);
        String[] args = new String[command.length + 1];
        args[0] = "127.0.0.1:" + child.port;
        System.arraycopy(command, 0, args, 1, command.length);
        int status = JmxClient.run(args, stream, stream);
        return status + " " + printed.toString(StandardCharsets.UTF_8).strip();
    }

    /**
     * The second JVM, its output read line by line on a thread of its own (so it never blocks on a
     * full pipe), and always killed when the test is done, whatever happened.
     */
    static final class Child implements AutoCloseable {
        final Process process;
        final int port;
        private final Writer stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> transcript = new CopyOnWriteArrayList<>();

        private Child(Process process, int port) {
            this.process = process;
            this.port = port;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofPlatform().daemon().name("child-output").start(this::pump);
        }

        static Child start() throws Exception {
            // A free port can be taken by someone else before the child binds it: try a few.
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                Child child = launch(freePort());
                try {
                    child.awaitLine("READY");
                    return child;
                } catch (IOException e) {
                    last = e;
                    child.close();
                }
            }
            throw last;
        }

        private static Child launch(int port) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
            List<String> command = new ArrayList<>(List.of(java,
                    "-cp", System.getProperty("java.class.path"),
                    // A small, quick JVM: the machine is shared.
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dcom.sun.management.jmxremote.port=" + port,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                    "-Dcom.sun.management.jmxremote.authenticate=false",
                    "-Dcom.sun.management.jmxremote.ssl=false",
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Djava.rmi.server.hostname=127.0.0.1",
                    OperatorDemo.class.getName()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new Child(process, port);
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        JMXServiceURL serviceUrl() throws IOException {
            return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        }

        private void pump() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    transcript.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                transcript.add("(reading the child's output failed: " + e + ")");
            }
        }

        /** Waits for a line that starts with {@code prefix}, skipping others (JVM warnings, logs). */
        String awaitLine(String prefix) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (;;) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS)
                        : null;
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line == null && (left <= 0 || !process.isAlive() && lines.isEmpty())) {
                    throw new IOException("no line starting with " + prefix + " from the child within " + WAIT
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                            + "; its output:\n  " + String.join("\n  ", transcript));
                }
            }
        }

        String command(String command, String answerPrefix) throws IOException, InterruptedException {
            stdin.write(command + "\n");
            stdin.flush();
            return awaitLine(answerPrefix);
        }

        /** The child's own view of its pools. */
        Map<String, String> report() throws IOException, InterruptedException {
            String line = command("report", "REPORT ");
            Map<String, String> view = new TreeMap<>();
            for (String pair : line.substring("REPORT ".length()).split(" ")) {
                int eq = pair.indexOf('=');
                view.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return view;
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // The test timed out and JUnit interrupted us: the child is killed already.
                Thread.currentThread().interrupt();
            }
        }
    }
}
