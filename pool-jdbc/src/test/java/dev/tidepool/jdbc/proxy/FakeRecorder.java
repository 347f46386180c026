package dev.tidepool.jdbc.proxy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for the driver behind any JDBC interface, for the tests that sweep every method of the proxies: it
 * records the last call, answers with a fixed value per return type, and throws {@link #failure} when set.
 *
 * <p>Test-only, it is a {@link Proxy}: writing ~650 recording methods by hand would test the fake more than the
 * proxies. The proxies under test are hand-written.
 */
final class FakeRecorder implements InvocationHandler {
    /** What an {@code Object}-returning method answers, so that the test can check it came through. */
    static final Object ANSWER = new Object();
    /** The JDBC types the proxies wrap: a call returning one answers with a recorder of its own. */
    private static final Set<Class<?>> WRAPPED = Set.of(Connection.class, Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

    int calls;
    /** The names of the methods called, in order. */
    final List<String> history = new ArrayList<>();
    Method lastMethod;
    List<Object> lastArgs;
    /** The recorder behind the last JDBC object this one returned (a statement, a result set, metadata). */
    FakeRecorder lastChild;
    /** Answers by method name that replace the fixed ones (a null value answers null). */
    final Map<String, Object> answers = new HashMap<>();
    /** Thrown by every method that declares SQLException (a SQLClientInfoException copy where needed). */
    SQLException failure;

    static <T> T create(Class<T> iface, FakeRecorder recorder) {
        return iface.cast(Proxy.newProxyInstance(FakeRecorder.class.getClassLoader(), new Class<?>[] {iface},
                recorder));
    }

    static <T> T create(Class<T> iface) {
        return create(iface, new FakeRecorder());
    }

    @Override public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "toString" -> {
                if (method.getParameterCount() == 0) {
                    return "FakeRecorder";
                }
            }
            case "hashCode" -> {
                if (method.getParameterCount() == 0) {
                    return System.identityHashCode(proxy);
                }
            }
            case "equals" -> {
                if (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Object.class) {
                    return proxy == args[0];
                }
            }
            default -> {
            }
        }
        calls++;
        history.add(method.getName());
        lastMethod = method;
        lastArgs = args == null ? List.of() : Arrays.asList(args);
        if (failure != null) {
            List<Class<?>> declared = List.of(method.getExceptionTypes());
            if (declared.contains(SQLException.class)) {
                throw failure;
            }
            if (declared.contains(SQLClientInfoException.class)) {
                throw new SQLClientInfoException(failure.getMessage(), failure.getSQLState(), Map.of());
            }
        }
        if (answers.containsKey(method.getName())) {
            return answers.get(method.getName());
        }
        return answer(method.getReturnType(), this);
    }

    /** The fixed answer for a return type; for a JDBC type the proxies wrap, a fresh recorder. */
    static Object answer(Class<?> type, FakeRecorder parent) {
        if (WRAPPED.contains(type)) {
            FakeRecorder child = new FakeRecorder();
            if (parent != null) {
                parent.lastChild = child;
            }
            return create(type, child);
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == int.class) {
            return 7;
        }
        if (type == long.class) {
            return 7L;
        }
        if (type == short.class) {
            return (short) 7;
        }
        if (type == byte.class) {
            return (byte) 7;
        }
        if (type == float.class) {
            return 7f;
        }
        if (type == double.class) {
            return 7d;
        }
        if (type == String.class) {
            return "answer";
        }
        if (type == Object.class) {
            return ANSWER;
        }
        return null; // arrays, LOBs, warnings...: null is a fine answer for a pass-through check
    }
}
