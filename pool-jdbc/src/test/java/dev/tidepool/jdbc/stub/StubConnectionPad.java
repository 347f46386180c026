package dev.tidepool.jdbc.stub;

/**
 * Padding before a {@link StubConnection}'s fields (the JVM lays a superclass's fields out first;
 * the trailing padding closes that class). A pool may open its connections one after another on
 * one thread, so they sit next to each other in the heap, and each benchmark thread bumps its own
 * connection's statement count on every statement: unpadded, two connections could share a cache
 * line, and StatementBench ran 40% slower in the JVMs where they did. A real driver's connection
 * is far larger than a cache line; the stub's must not measure its own layout.
 */
abstract class StubConnectionPad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}
