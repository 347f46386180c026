package dev.tidepool.jdbc.config;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.Order;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link TidepoolConfig}'s property files and turns their text values into typed ones. Every
 * failure is an {@link IllegalArgumentException} that names the key and, unless the key holds a
 * secret, the value that could not be read.
 */
public final class ConfigProperties {
    /** Digits with an optional unit; the sign is let through so the setter reports a negative value. */
    private static final Pattern DURATION = Pattern.compile("([+-]?\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

    private static final String ISOLATION_PREFIX = "TRANSACTION_";
    /** HikariCP's list, SQL Server's snapshot level included. */
    private static final Map<String, Integer> ISOLATION_LEVELS = Map.of(
            "TRANSACTION_NONE", Connection.TRANSACTION_NONE,
            "TRANSACTION_READ_UNCOMMITTED", Connection.TRANSACTION_READ_UNCOMMITTED,
            "TRANSACTION_READ_COMMITTED", Connection.TRANSACTION_READ_COMMITTED,
            "TRANSACTION_REPEATABLE_READ", Connection.TRANSACTION_REPEATABLE_READ,
            "TRANSACTION_SERIALIZABLE", Connection.TRANSACTION_SERIALIZABLE,
            "TRANSACTION_SQL_SERVER_SNAPSHOT_ISOLATION_LEVEL", 4096);

    private ConfigProperties() {
    }

    /**
     * Reads a property file: {@code name} as a path in the file system, or else as a class-path
     * resource (looked up with the thread's context class loader, then this module's loader).
     *
     * @throws IllegalArgumentException if neither exists
     * @throws UncheckedIOException     if it exists and cannot be read
     */
    public static Properties load(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("property file name must not be blank, was " + quote(name));
        }
        Properties props = new Properties();
        try (InputStream in = open(name.strip())) {
            if (in == null) {
                throw new IllegalArgumentException("property file " + quote(name)
                        + " not found, neither as a file nor as a class-path resource");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read property file " + quote(name), e);
        }
        return props;
    }

    private static InputStream open(String name) throws IOException {
        Path path = null;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            // not a usable path on this system; it may still name a resource
        }
        if (path != null && Files.isRegularFile(path)) {
            return Files.newInputStream(path);
        }
        // ClassLoader resource names never start with '/', while Class-relative ones may.
        String resource = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(resource);
        if (in == null) {
            ClassLoader own = ConfigProperties.class.getClassLoader();
            in = own == null ? ClassLoader.getSystemResourceAsStream(resource) : own.getResourceAsStream(resource);
        }
        return in;
    }

    /**
     * Every entry of {@code props}, its defaults included, sorted by key so that a file with several
     * mistakes always reports the same one first.
     */
    public static Map<String, Object> entries(Properties props) {
        Map<String, Object> entries = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            entries.put(name, props.getProperty(name));
        }
        // stringPropertyNames() skips values that are not strings (a DataSource, an Integer, ...).
        for (Map.Entry<Object, Object> e : props.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("property names must be strings, got a "
                        + e.getKey().getClass().getName());
            }
            if (!(e.getValue() instanceof String)) {
                entries.put(key, e.getValue());
            }
        }
        return entries;
    }

    /** A time in milliseconds: a plain number, or one with a unit ms, s, m, h or d. */
    public static long millis(String key, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        String text = text(key, value, "a duration");
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw bad(key, value, "a duration such as 30000, 250ms, 30s, 5m, 2h or 1d");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
            return switch (unit) {
                case "ms" -> amount;
                case "s" -> Math.multiplyExact(amount, 1_000L);
                case "m" -> Math.multiplyExact(amount, 60_000L);
                case "h" -> Math.multiplyExact(amount, 3_600_000L);
                case "d" -> Math.multiplyExact(amount, 86_400_000L);
                default -> throw new AssertionError(unit);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(key, value, "a duration that fits in a long number of milliseconds");
        }
    }

    public static int integer(String key, Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        try {
            return Integer.parseInt(text(key, value, "an int"));
        } catch (NumberFormatException e) {
            throw bad(key, value, "an int");
        }
    }

    /** Only true or false: a typo must not silently turn a flag off, as Boolean.parseBoolean would. */
    public static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = text(key, value, "true or false");
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw bad(key, value, "true or false");
    }

    public static Order order(String key, Object value) {
        if (value instanceof Order o) {
            return o;
        }
        String text = text(key, value, "STACK or QUEUE");
        for (Order o : Order.values()) {
            if (o.name().equalsIgnoreCase(text)) {
                return o;
            }
        }
        throw bad(key, value, "STACK or QUEUE");
    }

    /** {@code STRICT}, {@code BOUNDED} or {@code BOUNDED(5ms)}, or a {@link Fairness} itself. */
    public static Fairness fairness(String key, Object value) {
        if (value instanceof Fairness f) {
            return f;
        }
        String expected = "STRICT, BOUNDED or BOUNDED(<n>ms) (units ns, us, ms, s; a bound above 0 and at most"
                + " 1 day)";
        try {
            return Fairness.parse(text(key, value, expected));
        } catch (IllegalArgumentException e) {
            throw bad(key, value, expected);
        }
    }

    /** A string property, kept as written. */
    public static String string(String key, Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw bad(key, value, "a string");
    }

    /** The value of any other type, if it is an instance of {@code type}. */
    public static <T> T instance(String key, Object value, Class<T> type) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw bad(key, value, "a " + type.getName());
    }

    /** The trimmed text of a value that must be parsed; anything but a String is rejected here. */
    private static String text(String key, Object value, String expected) {
        if (value instanceof String s) {
            return s.strip();
        }
        throw bad(key, value, expected);
    }

    /**
     * Loads a class the configuration names (a driver, a data source): through the thread's
     * context class loader first, as application servers expect, then through Tidepool's own.
     *
     * @throws ClassNotFoundException if neither loader can; the first failure is the cause, the
     *                                others are suppressed
     */
    public static Class<?> loadClass(String className) throws ClassNotFoundException {
        Throwable failure = null;
        for (ClassLoader loader : new ClassLoader[] {
                Thread.currentThread().getContextClassLoader(), ConfigProperties.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(className, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof ClassNotFoundException notFound) {
            throw notFound;
        }
        throw new ClassNotFoundException(className, failure);
    }

    /** An error naming the key and the value, or only the value's type when the key holds a secret. */
    public static IllegalArgumentException bad(String key, Object value, String expected) {
        String shown;
        if (value == null) {
            shown = "null";
        } else if (Secrets.isSecretKey(key)) {
            shown = "a value of type " + value.getClass().getName();
        } else if (value instanceof String s) {
            shown = quote(s);
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Enum) {
            shown = value + " (" + value.getClass().getName() + ")";
        } else {
            // Any other object's toString() is not ours to trust: a DataSource may print its password.
            shown = "a " + value.getClass().getName();
        }
        return new IllegalArgumentException("property " + key + " must be " + expected + ", was " + shown);
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }

    /**
     * The {@code Connection.TRANSACTION_*} constant {@code isolation} names, -1 if it is null or
     * blank. Takes the constant's name (any case, the {@code TRANSACTION_} prefix optional) or its
     * number.
     */
    public static int isolationLevel(String isolation) {
        if (isolation == null || isolation.isBlank()) {
            return -1;
        }
        String name = isolation.strip().toUpperCase(Locale.ROOT);
        Integer level = ISOLATION_LEVELS.get(name);
        if (level == null) {
            level = ISOLATION_LEVELS.get(ISOLATION_PREFIX + name);
        }
        if (level != null) {
            return level;
        }
        try {
            int number = Integer.parseInt(name);
            if (ISOLATION_LEVELS.containsValue(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // neither a name nor a number: reported below
        }
        throw new IllegalArgumentException("transactionIsolation must name a Connection.TRANSACTION_* level"
                + " (such as TRANSACTION_READ_COMMITTED) or give its number, was \"" + isolation + "\"");
    }

    /**
     * The value of an object property: the object itself if it already is a {@code type}, or, for a
     * String, a new instance of the class it names (public no-argument constructor), as HikariCP
     * does for its class-valued properties in a property file.
     *
     * @throws IllegalArgumentException naming the key and the class if it cannot be loaded,
     *                                  instantiated, or is not a {@code type}
     */
    public static <T> T create(String key, Object value, Class<T> type) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw bad(key, value, "a " + type.getName() + " or the name of such a class");
        }
        String className = text.strip();
        Object instance;
        try {
            instance = loadClass(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalArgumentException(key + ": class " + className + " (for a " + type.getName()
                    + ") could not be instantiated through a public no-argument constructor: " + cause, e);
        }
        if (!type.isInstance(instance)) {
            throw new IllegalArgumentException(key + ": class " + className + " is not a " + type.getName());
        }
        return type.cast(instance);
    }

    /**
     * Looks {@code name} up with {@code new InitialContext()}.
     *
     * @throws IllegalArgumentException naming the key and the name if the lookup fails or finds nothing
     */
    public static Object lookupJndi(String key, String name) {
        try {
            Object found = new javax.naming.InitialContext().lookup(name);
            if (found == null) {
                throw new IllegalArgumentException(key + ": JNDI name " + name + " is bound to nothing");
            }
            return found;
        } catch (javax.naming.NamingException e) {
            throw new IllegalArgumentException(key + ": JNDI lookup of " + name + " failed: " + e, e);
        }
    }
}
