package dev.tidepool.spring.boot;

/**
 * A Tidepool data source bean whose settings do not fit together (a minimum above the maximum, a
 * driver that cannot be loaded, ...): thrown while the context starts, before any connection is
 * made, and explained by {@link TidepoolFailureAnalyzer}.
 *
 * <pre>{@code
 * try {
 *     dataSource.validate();
 * } catch (IllegalArgumentException e) {
 *     throw new TidepoolConfigurationException("dataSource", e);
 * }
 * }</pre>
 */
public class TidepoolConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The data source bean's name. */
    private final String beanName;

    /**
     * An exception for the data source bean {@code beanName}, whose settings failed validation.
     *
     * @param beanName the data source bean's name
     * @param cause    what Tidepool's validation said; its message names the property
     */
    public TidepoolConfigurationException(String beanName, IllegalArgumentException cause) {
        super("Tidepool data source '" + beanName + "' is misconfigured: " + cause.getMessage(), cause);
        this.beanName = beanName;
    }

    /** {@return the data source bean's name} */
    public String getBeanName() {
        return beanName;
    }
}
