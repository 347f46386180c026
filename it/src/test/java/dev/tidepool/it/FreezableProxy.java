package dev.tidepool.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 between a pool and its server that can stop forwarding and go on again,
 * as a network does when a switch or a NAT table freezes: no error, no reset, the bytes simply
 * stop arriving.
 *
 * <p>Each accepted client gets its own connection to the target and two pumps on virtual threads,
 * one per direction: read a chunk, wait at the gate, write the chunk on. {@link #freeze()} closes
 * the gate, so every pump stops at its next chunk with the chunk in hand, and what the peers write
 * meanwhile piles up in their socket buffers; {@link #thaw()} opens it, and every held chunk goes
 * on in order. New clients are accepted while frozen (the kernel would queue them anyway) and
 * connected to the target, but nothing of theirs is forwarded either. When one side closes, the
 * pump passes the end on ({@code shutdownOutput}); when a write fails, the pair is closed.
 */
final class FreezableProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Null while forwarding; while frozen, the latch {@link #thaw()} opens. */
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    private volatile boolean closed;

    private FreezableProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    /** A proxy forwarding to the host and port of {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}). */
    static FreezableProxy to(String jdbcUrl) throws IOException {
        URI target = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new FreezableProxy(target.getHost(), target.getPort());
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    String jdbcUrl(String jdbcUrl) {
        URI target = URI.create(jdbcUrl.substring("jdbc:".length()));
        String rest = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        return "jdbc:" + target.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + rest;
    }

    /** Stops forwarding in both directions, on every connection, until {@link #thaw()}. */
    void freeze() {
        gate.compareAndSet(null, new CountDownLatch(1));
    }

    /** Forwards again, held bytes first. */
    void thaw() {
        CountDownLatch frozen = gate.getAndSet(null);
        if (frozen != null) {
            frozen.countDown();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            try {
                Socket server = new Socket();
                sockets.add(server);
                server.connect(new InetSocketAddress(targetHost, targetPort));
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Thread.ofVirtual().name("proxy-up").start(() -> pump(client, server));
                Thread.ofVirtual().name("proxy-down").start(() -> pump(server, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] chunk = new byte[16 * 1024];
        // Not try-with-resources: closing a socket's stream closes the socket, both directions.
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(chunk)) >= 0; ) {
                awaitForwarding();
                out.write(chunk, 0, n);
                out.flush();
            }
            awaitForwarding(); // the end of the stream is news too: held like the bytes
            to.shutdownOutput();
            if (from.isOutputShutdown()) { // the other direction has ended too: the pair is done
                closeQuietly(from);
                closeQuietly(to);
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        } catch (InterruptedException e) {
            closeQuietly(from);
            closeQuietly(to);
            Thread.currentThread().interrupt();
        }
    }

    private void awaitForwarding() throws InterruptedException {
        CountDownLatch frozen = gate.get();
        if (frozen != null) {
            frozen.await();
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }

    /** Stops accepting, lets held pumps go, and closes every connection. */
    @Override
    public void close() {
        closed = true;
        thaw();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
