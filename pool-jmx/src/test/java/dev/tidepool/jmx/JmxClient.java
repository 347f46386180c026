package dev.tidepool.jmx;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A command-line JMX client, enough to watch and resize Tidepool pools from a shell or a script
 * when JConsole is not at hand. It needs only the JDK: run it from pool-jmx's test classes.
 *
 * <pre>{@code
 * CP=pool-jmx/target/test-classes
 * java -cp $CP dev.tidepool.jmx.JmxClient 127.0.0.1:9010 list
 * java -cp $CP dev.tidepool.jmx.JmxClient 127.0.0.1:9010 get 'dev.tidepool:type=ResourcePool,name=ops'
 * java -cp $CP dev.tidepool.jmx.JmxClient 127.0.0.1:9010 set 'dev.tidepool:type=ResourcePool,name=ops' MaxSize 8
 * java -cp $CP dev.tidepool.jmx.JmxClient 127.0.0.1:9010 invoke 'dev.tidepool:type=DataSource,name=db' resize 20
 * java -cp $CP dev.tidepool.jmx.JmxClient 127.0.0.1:9010 invoke 'dev.tidepool:type=DataSource,name=db' softEvictConnections
 * }</pre>
 *
 * <p>The first argument is {@code host:port} of a JVM started with
 * {@code -Dcom.sun.management.jmxremote.port=port} (or a full {@code service:jmx:...} URL).
 * Values are converted to the attribute's or parameter's type as the bean declares it. A write
 * the pool refuses prints the pool's message and exits with status 1.
 */
public final class JmxClient {
    private JmxClient() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 2) {
            err.println("usage: JmxClient host:port list | get NAME [ATTRIBUTE] | set NAME ATTRIBUTE VALUE"
                    + " | invoke NAME OPERATION [ARG...]");
            return 2;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(url(args[0]))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            List<String> rest = Arrays.asList(args).subList(2, args.length);
            switch (args[1]) {
                case "list" -> server.queryNames(new ObjectName(TidepoolMBeans.DOMAIN + ":*"), null).stream()
                        .map(ObjectName::toString).sorted().forEach(out::println);
                case "get" -> get(server, new ObjectName(rest.get(0)), rest.size() > 1 ? rest.get(1) : null, out);
                case "set" -> {
                    ObjectName name = new ObjectName(rest.get(0));
                    MBeanAttributeInfo info = attribute(server.getMBeanInfo(name), rest.get(1));
                    server.setAttribute(name, new Attribute(info.getName(), convert(rest.get(2), info.getType())));
                    out.println(info.getName() + " = " + server.getAttribute(name, info.getName()));
                }
                case "invoke" -> {
                    ObjectName name = new ObjectName(rest.get(0));
                    List<String> values = rest.subList(2, rest.size());
                    MBeanOperationInfo op = operation(server.getMBeanInfo(name), rest.get(1), values.size());
                    MBeanParameterInfo[] signature = op.getSignature();
                    Object[] params = new Object[signature.length];
                    String[] types = new String[signature.length];
                    for (int i = 0; i < signature.length; i++) {
                        types[i] = signature[i].getType();
                        params[i] = convert(values.get(i), types[i]);
                    }
                    Object result = server.invoke(name, op.getName(), params, types);
                    out.println(op.getName() + " done" + (result == null ? "" : ": " + result));
                }
                default -> {
                    err.println("unknown command " + args[1]);
                    return 2;
                }
            }
            return 0;
        } catch (JMException | RuntimeException e) {
            // The pool's own message (e.g. "maxSize must be >= 0") is what the operator needs.
            Throwable reason = e;
            while (reason.getCause() != null) {
                reason = reason.getCause();
            }
            err.println("failed: " + reason.getMessage());
            return 1;
        }
    }

    private static JMXServiceURL url(String target) throws IOException {
        return new JMXServiceURL(target.startsWith("service:") ? target
                : "service:jmx:rmi:///jndi/rmi://" + target + "/jmxrmi");
    }

    private static void get(MBeanServerConnection server, ObjectName name, String attribute, PrintStream out)
            throws IOException, JMException {
        MBeanInfo info = server.getMBeanInfo(name);
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (attribute == null || a.getName().equals(attribute)) {
                out.println(a.getName() + " = " + server.getAttribute(name, a.getName()));
            }
        }
    }

    private static MBeanAttributeInfo attribute(MBeanInfo info, String name) {
        return Arrays.stream(info.getAttributes()).filter(a -> a.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no attribute " + name));
    }

    private static MBeanOperationInfo operation(MBeanInfo info, String name, int arity) {
        return Arrays.stream(info.getOperations())
                .filter(o -> o.getName().equals(name) && o.getSignature().length == arity).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation " + name + " with " + arity + " arguments"));
    }

    private static Object convert(String value, String type) {
        return switch (type) {
            case "int", "java.lang.Integer" -> Integer.valueOf(value);
            case "long", "java.lang.Long" -> Long.valueOf(value);
            case "double", "java.lang.Double" -> Double.valueOf(value);
            case "boolean", "java.lang.Boolean" -> Boolean.valueOf(value);
            case "java.lang.String" -> value;
            default -> throw new IllegalArgumentException("cannot convert to " + type);
        };
    }
}
