package dev.tidepool.it;

import dev.tidepool.testsupport.postgres.PostgresServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a {@link PostgresServer} to constructors and test or lifecycle methods that ask for one:
 * one server for the whole run, started by the first test class that needs it and kept in the
 * root context's store, which closes it when all tests have run (a JVM that exits first stops it
 * through the server's shutdown hook). Test classes use it with
 * {@code @ExtendWith(PostgresExtension.class)}.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public PostgresServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // A start that failed is remembered too: every later class fails at once with the same cause.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresServer.class, key -> ItPostgres.start(), PostgresServer.class);
    }
}
