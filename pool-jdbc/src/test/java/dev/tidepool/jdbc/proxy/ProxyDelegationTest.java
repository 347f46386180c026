package dev.tidepool.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sweeps every method of every proxy, over {@link FakeRecorder} delegates: each one reaches the driver's method of
 * the same signature with the same arguments and hands back its answer (or a proxy of it); each one lets a fatal
 * SQLException through unchanged and marks the connection for eviction; and each one refuses to reach the driver
 * once the connection is closed. The methods with their own rules (close, isClosed, unwrap, getConnection, ...)
 * are tested by name in the other Proxy*Test classes.
 */
class ProxyDelegationTest {
    static final ConnectionDefaults DEFAULTS = new ConnectionDefaults(true, false,
            Connection.TRANSACTION_READ_COMMITTED, "main", "public", 0);

    /** Methods with rules of their own: not plain delegation. */
    static final Set<String> SPECIAL = Set.of("close", "isClosed", "unwrap", "isWrapperFor", "getConnection",
            "getStatement", "abort", "isValid");

    enum Kind {
        CONNECTION(Connection.class, ProxyConnection.class, "Connection is closed", "08003"),
        STATEMENT(Statement.class, ProxyStatement.class, "Statement is closed", "HY010"),
        PREPARED(PreparedStatement.class, ProxyPreparedStatement.class, "Statement is closed", "HY010"),
        CALLABLE(CallableStatement.class, ProxyCallableStatement.class, "Statement is closed", "HY010"),
        RESULT_SET(ResultSet.class, ProxyResultSet.class, "ResultSet is closed", "HY010"),
        METADATA(DatabaseMetaData.class, ProxyDatabaseMetaData.class, "Connection is closed", "08003");

        final Class<?> iface;
        final Class<?> proxyClass;
        final String closedMessage;
        final String closedState;

        Kind(Class<?> iface, Class<?> proxyClass, String closedMessage, String closedState) {
            this.iface = iface;
            this.proxyClass = proxyClass;
            this.closedMessage = closedMessage;
            this.closedState = closedState;
        }

        /** Every method of the interface, inherited ones included, one per signature, in a stable order. */
        List<Method> methods() {
            Map<String, Method> bySignature = new LinkedHashMap<>();
            Arrays.stream(iface.getMethods())
                    .filter(m -> !Modifier.isStatic(m.getModifiers()))
                    .sorted(Comparator.comparing(ProxyDelegationTest::signature))
                    .forEach(m -> bySignature.putIfAbsent(signature(m), m));
            return List.copyOf(bySignature.values());
        }

        List<Method> plainMethods() {
            return methods().stream().filter(m -> !SPECIAL.contains(m.getName())).toList();
        }
    }

    /** A proxy of one kind, the recorder behind it, and its connection and pool. */
    record Subject(Object proxy, FakeRecorder recorder, ProxyConnection connection, FakeReturn pool) {
    }

    static Subject subject(Kind kind) throws SQLException {
        FakeRecorder physical = new FakeRecorder();
        FakeReturn pool = new FakeReturn();
        ProxyConnection connection = new ProxyConnection(FakeRecorder.create(Connection.class, physical), DEFAULTS,
                pool);
        return switch (kind) {
            case CONNECTION -> new Subject(connection, physical, connection, pool);
            case STATEMENT -> new Subject(connection.createStatement(), physical.lastChild, connection, pool);
            case PREPARED -> new Subject(connection.prepareStatement("sql"), physical.lastChild, connection, pool);
            case CALLABLE -> new Subject(connection.prepareCall("sql"), physical.lastChild, connection, pool);
            case RESULT_SET -> {
                Statement statement = connection.createStatement();
                FakeRecorder statementRecorder = physical.lastChild;
                ResultSet rs = statement.executeQuery("sql");
                yield new Subject(rs, statementRecorder.lastChild, connection, pool);
            }
            case METADATA -> new Subject(connection.getMetaData(), physical.lastChild, connection, pool);
        };
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyMethodOfTheInterfaceIsImplementedByTheProxyDefaultMethodsIncluded(Kind kind) {
        List<String> inherited = kind.methods().stream()
                .filter(m -> implementation(kind.proxyClass, m).getDeclaringClass().isInterface())
                .map(ProxyDelegationTest::signature)
                .toList();
        assertThat(inherited).as("interface methods %s leaves to the interface", kind.proxyClass.getSimpleName())
                .isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyPlainMethodReachesTheDriversMethodWithTheSameArguments() {
        return sweep(Kind::plainMethods, (kind, method) -> {
            Subject subject = subject(kind);
            Object[] args = arguments(method);
            int before = subject.recorder().calls;

            Object result = invoke(subject.proxy(), method, args);

            FakeRecorder recorder = subject.recorder();
            assertThat(recorder.calls).as("driver calls").isEqualTo(before + 1);
            assertThat(signature(recorder.lastMethod)).isEqualTo(signature(method));
            assertThat(recorder.lastArgs).containsExactly(args);
            Class<?> type = method.getReturnType();
            if (type == Statement.class || type == PreparedStatement.class || type == CallableStatement.class) {
                assertThat(result).isInstanceOf(ProxyStatement.class).isInstanceOf(type);
            } else if (type == ResultSet.class) {
                assertThat(result).isInstanceOf(ProxyResultSet.class);
            } else if (type == DatabaseMetaData.class) {
                assertThat(result).isInstanceOf(ProxyDatabaseMetaData.class);
            } else if (type != void.class) {
                assertThat(result).isEqualTo(FakeRecorder.answer(type, null));
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> aFatalSqlExceptionFromAnyMethodIsRethrownUnchangedAndEvicts() {
        return sweep(kind -> throwingMethods(kind.plainMethods()), (kind, method) -> {
            Subject subject = subject(kind);
            SQLException fatal = new SQLException("connection reset", "08S01");
            subject.recorder().failure = fatal;

            Throwable thrown = catchThrowable(() -> invoke(subject.proxy(), method, arguments(method)));

            if (List.of(method.getExceptionTypes()).contains(SQLException.class)) {
                assertThat(thrown).isSameAs(fatal);
            } else {
                assertThat(thrown).isInstanceOf(SQLClientInfoException.class)
                        .extracting(t -> ((SQLException) t).getSQLState()).isEqualTo("08S01");
            }
            subject.connection().close();
            assertThat(subject.pool().evicted()).as("evicted").isTrue();
        });
    }

    @TestFactory
    Stream<DynamicTest> afterTheConnectionClosesNoMethodReachesTheDriver() {
        return sweep(kind -> throwingMethods(kind.plainMethods()), (kind, method) -> {
            Subject subject = subject(kind);
            subject.connection().close();
            int before = subject.recorder().calls;

            Throwable thrown = catchThrowable(() -> invoke(subject.proxy(), method, arguments(method)));

            assertThat(thrown).isInstanceOf(SQLException.class).hasMessage(kind.closedMessage);
            assertThat(((SQLException) thrown).getSQLState()).isEqualTo(kind.closedState);
            assertThat(subject.recorder().calls).as("driver calls after close").isEqualTo(before);
        });
    }

    // ---- helpers

    interface Check {
        void run(Kind kind, Method method) throws Throwable;
    }

    static Stream<DynamicTest> sweep(java.util.function.Function<Kind, List<Method>> methods, Check check) {
        return Arrays.stream(Kind.values()).flatMap(kind -> methods.apply(kind).stream()
                .map(method -> DynamicTest.dynamicTest(kind.iface.getSimpleName() + "." + signature(method),
                        () -> check.run(kind, method))));
    }

    /** The methods that can report an error (all but DatabaseMetaData's driver version numbers). */
    static List<Method> throwingMethods(List<Method> methods) {
        return methods.stream().filter(m -> m.getExceptionTypes().length > 0).toList();
    }

    static Method implementation(Class<?> proxyClass, Method method) {
        try {
            return proxyClass.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Arguments that differ by position, so that a proxy passing them in the wrong order is caught. */
    static Object[] arguments(Method method) throws Exception {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = argument(types[i], i + 1);
        }
        return args;
    }

    static Object argument(Class<?> type, int n) throws Exception {
        if (type == int.class) {
            return 10 * n + 1;
        } else if (type == long.class) {
            return 10L * n + 2;
        } else if (type == short.class) {
            return (short) (10 * n + 3);
        } else if (type == byte.class) {
            return (byte) (10 * n + 4);
        } else if (type == float.class) {
            return 10f * n + 5;
        } else if (type == double.class) {
            return 10d * n + 6;
        } else if (type == boolean.class) {
            return n % 2 == 1;
        } else if (type == String.class) {
            return "arg" + n;
        } else if (type == Object.class) {
            return new Object();
        } else if (type == Class.class) {
            return String.class;
        } else if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), n);
        } else if (type == BigDecimal.class) {
            return BigDecimal.valueOf(n);
        } else if (type == java.sql.Date.class) {
            return new java.sql.Date(n);
        } else if (type == Time.class) {
            return new Time(n);
        } else if (type == Timestamp.class) {
            return new Timestamp(n);
        } else if (type == Calendar.class) {
            return Calendar.getInstance();
        } else if (type == InputStream.class) {
            return new ByteArrayInputStream(new byte[n]);
        } else if (type == Reader.class) {
            return new StringReader("arg" + n);
        } else if (type == URL.class) {
            return URI.create("http://example.invalid/" + n).toURL();
        } else if (type == Map.class) {
            return new HashMap<>();
        } else if (type == Properties.class) {
            return new Properties();
        } else if (type == Executor.class) {
            return (Executor) Runnable::run;
        } else if (type == SQLType.class) {
            return JDBCType.INTEGER;
        } else if (type.isInterface()) {
            return FakeRecorder.create(type); // Savepoint, Blob, Clob, Array, Ref, RowId, SQLXML, ShardingKey...
        }
        throw new AssertionError("no test argument for " + type);
    }
}
