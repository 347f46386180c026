package dev.tidepool.bench.postgres;

/**
 * How many threads of which kind share a pool in a scenario: {@code virtual:1000} (1,000 virtual
 * threads) or {@code platform:64} (64 platform threads).
 *
 * <pre>{@code
 * Shape shape = Shape.parse("virtual:1000");
 * Thread.Builder builder = shape.builder();
 * }</pre>
 *
 * @param virtual virtual threads if true, platform (daemon) threads if false
 * @param threads how many
 */
public record Shape(boolean virtual, int threads) {

    public Shape {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + ": expected at least 1");
        }
    }

    /**
     * {@code virtual:N} or {@code platform:N}.
     *
     * @throws IllegalArgumentException naming {@code text} if it is neither
     */
    public static Shape parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length == 2 && (parts[0].equals("virtual") || parts[0].equals("platform"))) {
            try {
                return new Shape(parts[0].equals("virtual"), Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("shape '" + text + "': expected virtual:N or platform:N, N >= 1");
    }

    /** {@code virtual:1000}, as {@link #parse} reads it. */
    public String name() {
        return (virtual ? "virtual" : "platform") + ":" + threads;
    }

    /** Makes the threads: virtual, or daemon platform threads. */
    public Thread.Builder builder() {
        return virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
    }
}
