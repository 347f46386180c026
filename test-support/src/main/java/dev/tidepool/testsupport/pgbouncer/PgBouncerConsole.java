package dev.tidepool.testsupport.pgbouncer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PgBouncer's admin console (the virtual database {@code pgbouncer}), read with {@code SHOW}
 * commands over the PostgreSQL wire protocol spoken by hand. pgjdbc cannot open the console: it
 * sends {@code SET extra_float_digits} after login, which the console refuses ("SET failed").
 *
 * <p>What it speaks is the least the console needs: a protocol 3.0 startup, MD5 password
 * authentication (the generated {@code auth_hba_file} asks the console user for {@code md5} on
 * loopback), one simple query, its row description and data rows (all values as text), then
 * {@code Terminate}. Each {@link #show} is one short connection, so it works across restarts.
 *
 * <pre>{@code
 * PgBouncerConsole console = new PgBouncerConsole("127.0.0.1", 6432, "stats", password);
 * for (Map<String, String> pool : console.show("POOLS")) {
 *     System.out.println(pool.get("database") + " " + pool.get("cl_active") + " " + pool.get("sv_active"));
 * }
 * }</pre>
 */
public final class PgBouncerConsole {
    private static final int PROTOCOL_3 = 196_608;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    /** SHOW's subjects are single words: nothing else goes on the wire. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z_]+");

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    /**
     * @param host     where PgBouncer listens
     * @param port     its port
     * @param user     a user in {@code stats_users} or {@code admin_users}
     * @param password its password (plain, as in the userlist); never in a message
     */
    public PgBouncerConsole(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /**
     * Runs {@code SHOW <subject>} ({@code POOLS}, {@code CLIENTS}, {@code SERVERS}, {@code VERSION},
     * {@code CONFIG}, ...) and returns its rows, each column by name, values as text (null for
     * SQL NULL).
     *
     * @throws IllegalArgumentException if {@code subject} is not a single word
     * @throws SQLException if PgBouncer cannot be reached (SQLState 08001/08006) or refuses the
     *         login or the command (its own SQLState and message)
     */
    public List<Map<String, String>> show(String subject) throws SQLException {
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("SHOW " + subject + ": expected one word such as POOLS");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            startup(in, out);
            List<Map<String, String>> rows = query(in, out, "SHOW " + subject);
            message(out, 'X', new byte[0]);
            return rows;
        } catch (IOException e) {
            throw new SQLException("PgBouncer console at " + host + ":" + port + ": " + e.getMessage(), "08006", e);
        }
    }

    private void startup(DataInputStream in, DataOutputStream out) throws IOException, SQLException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream startup = new DataOutputStream(body);
        startup.writeInt(PROTOCOL_3);
        for (String word : List.of("user", user, "database", "pgbouncer")) {
            cstring(startup, word);
        }
        startup.writeByte(0);
        out.writeInt(body.size() + 4);
        out.write(body.toByteArray());
        out.flush();
        for (;;) {
            int type = in.readUnsignedByte();
            byte[] payload = payload(in);
            switch (type) {
                case 'R' -> authenticate(payload, out);
                case 'Z' -> {
                    return;
                }
                case 'E' -> throw error(payload);
                default -> {
                    // ParameterStatus, BackendKeyData, notices: nothing the console reader needs
                }
            }
        }
    }

    private void authenticate(byte[] payload, DataOutputStream out) throws IOException, SQLException {
        int method = readInt(payload, 0);
        switch (method) {
            case 0 -> {
                // AuthenticationOk
            }
            case 5 -> {
                byte[] salt = new byte[] {payload[4], payload[5], payload[6], payload[7]};
                String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
                ByteArrayOutputStream salted = new ByteArrayOutputStream();
                salted.writeBytes(inner.getBytes(StandardCharsets.US_ASCII));
                salted.writeBytes(salt);
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                cstring(new DataOutputStream(response), "md5" + md5Hex(salted.toByteArray()));
                message(out, 'p', response.toByteArray());
            }
            default -> throw new SQLException("PgBouncer console: authentication method " + method
                    + " is not supported here (the console user must be md5 in auth_hba_file)", "28000");
        }
    }

    private static List<Map<String, String>> query(DataInputStream in, DataOutputStream out, String sql)
            throws IOException, SQLException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        cstring(new DataOutputStream(text), sql);
        message(out, 'Q', text.toByteArray());
        List<String> columns = List.of();
        List<Map<String, String>> rows = new ArrayList<>();
        SQLException failure = null;
        for (;;) {
            int type = in.readUnsignedByte();
            byte[] payload = payload(in);
            switch (type) {
                case 'T' -> columns = columns(payload);
                case 'D' -> rows.add(row(payload, columns));
                case 'E' -> failure = error(payload);
                case 'Z' -> {
                    if (failure != null) {
                        throw failure;
                    }
                    return rows;
                }
                default -> {
                    // CommandComplete, notices
                }
            }
        }
    }

    private static List<String> columns(byte[] payload) {
        int count = readShort(payload, 0);
        List<String> names = new ArrayList<>(count);
        int at = 2;
        for (int i = 0; i < count; i++) {
            int end = at;
            while (payload[end] != 0) {
                end++;
            }
            names.add(new String(payload, at, end - at, StandardCharsets.UTF_8));
            at = end + 1 + 18; // table oid, column number, type oid, type size, type modifier, format
        }
        return names;
    }

    private static Map<String, String> row(byte[] payload, List<String> columns) {
        int count = readShort(payload, 0);
        Map<String, String> row = new LinkedHashMap<>();
        int at = 2;
        for (int i = 0; i < count; i++) {
            int length = readInt(payload, at);
            at += 4;
            String value = null;
            if (length >= 0) {
                value = new String(payload, at, length, StandardCharsets.UTF_8);
                at += length;
            }
            row.put(i < columns.size() ? columns.get(i) : "column" + (i + 1), value);
        }
        return row;
    }

    /** An ErrorResponse as an SQLException with the server's SQLState and message. */
    private static SQLException error(byte[] payload) {
        String state = null;
        String text = "";
        int at = 0;
        while (at < payload.length && payload[at] != 0) {
            char field = (char) payload[at++];
            int end = at;
            while (payload[end] != 0) {
                end++;
            }
            String value = new String(payload, at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            if (field == 'C') {
                state = value;
            } else if (field == 'M') {
                text = value;
            }
        }
        return new SQLException("PgBouncer console: " + text, state);
    }

    private static byte[] payload(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 4 || length > (1 << 24)) {
            throw new EOFException("not a protocol message (length " + length + ")");
        }
        byte[] payload = new byte[length - 4];
        in.readFully(payload);
        return payload;
    }

    private static void message(DataOutputStream out, char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(body.length + 4);
        out.write(body);
        out.flush();
    }

    private static void cstring(DataOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }

    private static int readInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                | (bytes[at + 3] & 0xff);
    }

    private static int readShort(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
