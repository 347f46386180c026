package dev.tidepool.demo;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.MBeanServerForwarder;

/**
 * Remembers who last changed each MBean through the demo's JMX connector, so that when the live
 * view notices a pool's size changed it can say by whom ("from 127.0.0.1").
 *
 * <p>It sits between the connector and the MBeanServer as an {@link MBeanServerForwarder} (a
 * dynamic proxy: every call passes through unchanged). After a {@code setAttribute},
 * {@code setAttributes} or {@code invoke} succeeds, it stores what was done and the client's
 * address ({@link RemoteServer#getClientHost()}, which answers inside the RMI call that carries
 * the request). Reads are not recorded. A client that attaches to the JVM locally (JConsole by
 * process id) goes through the JDK's own agent instead, which this does not see: the view then
 * says only that the change came over JMX.
 */
final class JmxAudit {
    /** One successful write: what was done, from where, and when ({@link System#nanoTime()}). */
    record Write(String action, String client, long at) {
    }

    private final Map<ObjectName, Write> lastWrites = new ConcurrentHashMap<>();

    /** The forwarder to install with {@code JMXConnectorServer.setMBeanServerForwarder}. */
    MBeanServerForwarder forwarder() {
        return (MBeanServerForwarder) Proxy.newProxyInstance(MBeanServerForwarder.class.getClassLoader(),
                new Class<?>[] {MBeanServerForwarder.class}, new Recorder());
    }

    /** The last write to {@code bean} since {@code since} ({@link System#nanoTime()}), taken once; or null. */
    Write takeWrite(ObjectName bean, long since) {
        Write write = lastWrites.remove(bean);
        return write != null && write.at() - since >= 0 ? write : null;
    }

    private void record(ObjectName bean, String action) {
        String client;
        try {
            client = RemoteServer.getClientHost();
        } catch (ServerNotActiveException notRemote) {
            client = "this JVM";
        }
        lastWrites.put(bean, new Write(action, client, System.nanoTime()));
    }

    private static String describe(String method, Object[] args) {
        return switch (method) {
            case "setAttribute" -> {
                Attribute attribute = (Attribute) args[1];
                yield "set " + attribute.getName() + " = " + attribute.getValue();
            }
            case "setAttributes" -> {
                StringBuilder text = new StringBuilder("set");
                for (Attribute attribute : ((AttributeList) args[1]).asList()) {
                    text.append(' ').append(attribute.getName()).append(" = ").append(attribute.getValue());
                }
                yield text.toString();
            }
            default -> {
                Object[] params = args[2] == null ? new Object[0] : (Object[]) args[2];
                String list = Arrays.toString(params);
                yield args[1] + "(" + list.substring(1, list.length() - 1) + ")";
            }
        };
    }

    /** Passes every call to the MBeanServer behind it; records successful writes. */
    private final class Recorder implements InvocationHandler {
        private volatile MBeanServer target;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "setMBeanServer" -> {
                    target = (MBeanServer) args[0];
                    return null;
                }
                case "getMBeanServer" -> {
                    return target;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "JmxAudit forwarder to " + target;
                }
                default -> {
                    // fall through to the MBeanServer below
                }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (name.equals("setAttribute") || name.equals("setAttributes") || name.equals("invoke")) {
                record((ObjectName) args[0], describe(name, args));
            }
            return result;
        }
    }
}
