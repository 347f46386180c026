package dev.tidepool.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.ExportException;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.management.Notification;
import javax.management.remote.JMXConnectionNotification;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * A JMX connector on one loopback port, so JConsole (or any JMX client) can attach to the running
 * demo with {@code jconsole localhost:PORT} or the URL {@link #serviceUrl()}.
 *
 * <p>The RMI registry and the connector share the port (they are exported with the same server
 * socket factory, and RMI then listens once for both), so an SSH tunnel needs one port. The
 * socket is bound to 127.0.0.1 only, and there is no authentication and no TLS: anyone on this
 * machine may resize the demo's pools, nobody else can reach them. Calls pass through a
 * {@link JmxAudit}, and client connections are reported to a listener.
 */
final class JmxEndpoint implements AutoCloseable {
    private final Registry registry;
    private final JMXConnectorServer server;
    private final int port;

    private JmxEndpoint(Registry registry, JMXConnectorServer server, int port) {
        this.registry = registry;
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the connector on {@code port} (0: any free port).
     *
     * @param events told when a client connects or disconnects
     * @throws ExportException if the port is in use
     * @throws IOException     if the connector cannot start
     */
    static JmxEndpoint start(int port, JmxAudit audit, Consumer<String> events) throws IOException {
        if (System.getProperty("java.rmi.server.hostname") == null) {
            // The address RMI writes into the stubs it hands out: the one the socket listens on.
            System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        }
        int bound = port == 0 ? freePort() : port;
        LoopbackSockets sockets = new LoopbackSockets();
        Registry registry = LocateRegistry.createRegistry(bound, null, sockets);
        try {
            Map<String, Object> environment = new HashMap<>();
            environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
            JMXServiceURL url = new JMXServiceURL(
                    "service:jmx:rmi://127.0.0.1:" + bound + "/jndi/rmi://127.0.0.1:" + bound + "/jmxrmi");
            JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
                    url, environment, ManagementFactory.getPlatformMBeanServer());
            server.setMBeanServerForwarder(audit.forwarder());
            server.addNotificationListener((Notification n, Object handback) -> {
                if (n instanceof JMXConnectionNotification c) {
                    if (JMXConnectionNotification.OPENED.equals(c.getType())) {
                        events.accept("JMX client connected (" + c.getConnectionId().strip() + ")");
                    } else if (JMXConnectionNotification.CLOSED.equals(c.getType())) {
                        events.accept("JMX client disconnected (" + c.getConnectionId().strip() + ")");
                    }
                }
            }, null, null);
            server.start();
            return new JmxEndpoint(registry, server, bound);
        } catch (IOException | RuntimeException e) {
            unexport(registry);
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** The URL to give JConsole's "Remote Process" field or {@code JMXConnectorFactory}. */
    String serviceUrl() {
        return "service:jmx:rmi:///jndi/rmi://localhost:" + port + "/jmxrmi";
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            // stopping a local connector: nothing useful to do about a failure here
        }
        unexport(registry);
    }

    private static void unexport(Registry registry) {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // already gone
        }
    }

    /** A port nothing listens on right now (another process could take it before we do: unlikely). */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * Server sockets on 127.0.0.1. The registry and the connector are exported with the same
     * instance on the same port, so RMI listens once for both.
     */
    private static final class LoopbackSockets implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }
    }
}
