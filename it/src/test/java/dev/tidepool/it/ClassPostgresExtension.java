package dev.tidepool.it;

import dev.tidepool.testsupport.postgres.PostgresServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each test class that asks for a {@link PostgresServer} a server of its own, started (as
 * {@link ItPostgres#start()} chooses) for the class's first test and stopped after its last: for
 * the fault tests, which stop, restart and reconfigure their server, and must neither disturb the
 * other classes' shared server ({@link PostgresExtension}) nor see its connections. Use it with
 * {@code @ExtendWith(ClassPostgresExtension.class)} and {@code @TestInstance(PER_CLASS)}.
 */
final class ClassPostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ClassPostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public PostgresServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        // The class context's store closes the server (an AutoCloseable) when the class is done.
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresServer.class, key -> ItPostgres.start(), PostgresServer.class);
    }
}
