package dev.tidepool.testsupport.process;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How test-support starts a server program that refuses to run as root ({@code initdb},
 * {@code postgres}, {@code pgbouncer}) when this JVM is root: through {@code setpriv} (util-linux)
 * to an unprivileged account's uid and gid with no supplementary groups, or {@code runuser} where
 * there is no {@code setpriv}. Programs are looked up on {@code PATH} and then in the system
 * directories a root shell has ({@code /usr/sbin}, {@code /usr/bin}, {@code /sbin}, {@code /bin}),
 * where Debian puts {@code pgbouncer} and {@code setpriv} even for users whose {@code PATH} lacks
 * them.
 *
 * <pre>{@code
 * List<String> command = new ArrayList<>(RunAs.switchUserPrefix("nobody", 65534, 65534, "PostgreSQL"));
 * command.addAll(List.of("/tmp/pg/bin/pg_ctl", "-D", "/tmp/pg/data", "start"));
 * }</pre>
 */
public final class RunAs {
    /** The system property naming the account servers run as when the JVM is root ({@value #DEFAULT_ACCOUNT} if unset). */
    public static final String ACCOUNT_PROPERTY = "tidepool.postgres.account";
    /** The account servers run as when the JVM is root and {@value #ACCOUNT_PROPERTY} is unset. */
    public static final String DEFAULT_ACCOUNT = "nobody";

    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private RunAs() {
    }

    /** Whether this JVM runs as root (uid 0); false where there are no Unix uids. */
    public static boolean jvmIsRoot() {
        try {
            return new UnixSystem().getUid() == 0;
        } catch (Throwable notUnix) {
            return false;
        }
    }

    /** The account named by {@value #ACCOUNT_PROPERTY}, or {@value #DEFAULT_ACCOUNT}. */
    public static String account() {
        return System.getProperty(ACCOUNT_PROPERTY, DEFAULT_ACCOUNT);
    }

    /**
     * The words to put before a command so that it runs as {@code account}: {@code setpriv} to its
     * uid and gid with no supplementary groups (the program replaces setpriv, so the process
     * started is the program itself), else {@code runuser -u account --}.
     *
     * @param what the program's name, for the message if neither tool exists
     * @throws IllegalStateException if there is neither setpriv nor runuser
     */
    public static List<String> switchUserPrefix(String account, int uid, int gid, String what) {
        if (onPath("setpriv").isPresent()) {
            return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
        }
        if (onPath("runuser").isPresent()) {
            return List.of("runuser", "-u", account, "--");
        }
        throw new IllegalStateException("running as root needs setpriv or runuser (util-linux) to start " + what
                + " as " + account);
    }

    /** The first executable {@code program} on {@code PATH}, then in the system directories. */
    public static Optional<Path> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        List<String> dirs = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(dir);
            }
        }
        dirs.addAll(SYSTEM_DIRECTORIES);
        return dirs.stream().map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
