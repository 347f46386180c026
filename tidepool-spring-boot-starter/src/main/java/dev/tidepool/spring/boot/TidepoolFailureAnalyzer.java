package dev.tidepool.spring.boot;

import dev.tidepool.jdbc.TidepoolConfig;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains a start that failed on a Tidepool setting, in the style of Boot's own failure
 * analyzers: what is wrong (Tidepool's own message, which names the property and the value), and
 * what to do, naming the properties to change as they are spelt in {@code application.properties}.
 * Two failures are analysed: a value a setter refused while Boot bound
 * {@code spring.datasource.tidepool.*} (a negative size, say), and a combination the data source's
 * validation refused ({@link TidepoolConfigurationException}: {@code minimum-idle} above
 * {@code maximum-pool-size}, a driver class that cannot be loaded, ...).
 *
 * <pre>{@code
 * ***************************
 * APPLICATION FAILED TO START
 * ***************************
 *
 * Description:
 *
 * Tidepool data source 'dataSource' is misconfigured: minimumIdle 12 is greater than maximumPoolSize 5; ...
 *
 * Action:
 *
 * Update spring.datasource.tidepool.minimum-idle or spring.datasource.tidepool.maximum-pool-size ...
 * }</pre>
 *
 * <p>It runs before Boot's generic bind analyzer. Registered in {@code META-INF/spring.factories}.
 */
public class TidepoolFailureAnalyzer implements FailureAnalyzer, Ordered {
    /** Made by Spring Boot, which finds failure analyzers in {@code META-INF/spring.factories}. */
    public TidepoolFailureAnalyzer() {
    }

    static final String PREFIX = "spring.datasource.tidepool.";
    /** camelCase words in Tidepool's messages; those that are TidepoolConfig properties are named in the action. */
    private static final Pattern PROPERTY_WORD = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z]*)+\\b");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        BindException tidepoolBind = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TidepoolConfigurationException invalid) {
                return analyze(invalid);
            }
            if (t instanceof BindException bind && (bind.getName().toString() + '.').startsWith(PREFIX)) {
                tidepoolBind = bind; // the innermost one names the property
            }
        }
        return tidepoolBind == null ? null : analyze(tidepoolBind);
    }

    private FailureAnalysis analyze(TidepoolConfigurationException invalid) {
        String reason = invalid.getCause().getMessage();
        Set<String> properties = propertiesIn(reason);
        StringBuilder action = new StringBuilder();
        if (reason.startsWith("driverClassName") || reason.startsWith("driver ")) {
            action.append("Put the JDBC driver's jar on the class path, or correct spring.datasource.driver-class-name")
                    .append(" (or ").append(PREFIX).append("driver-class-name), or remove it so that the driver is")
                    .append(" found from spring.datasource.url.");
        } else if (properties.isEmpty()) {
            action.append("Update the spring.datasource.* and ").append(PREFIX)
                    .append("* properties of your application's configuration.");
        } else {
            action.append("Update ").append(String.join(" or ", properties))
                    .append(" in your application's configuration, as the description says.");
        }
        action.append(" Every Tidepool property, its meaning and its default are listed in docs/spring-boot.md"
                + " and offered by your IDE's completion under ").append(PREFIX).append('*');
        return new FailureAnalysis(invalid.getMessage(), action.toString(), invalid);
    }

    private FailureAnalysis analyze(BindException bind) {
        Throwable root = bind;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        ConfigurationProperty property = bind.getProperty();
        String name = property != null ? property.getName().toString() : bind.getName().toString();
        StringBuilder description = new StringBuilder("Tidepool could not use ").append(name).append(": ")
                .append(root.getMessage());
        if (property != null) {
            Object value = name.endsWith("password") ? "******" : property.getValue();
            description.append(String.format("%n%n    Property: %s%n    Value: \"%s\"%n    Origin: %s",
                    property.getName(), value, property.getOrigin()));
        }
        String action = "Update " + name + " in your application's configuration to a value Tidepool accepts (see the"
                + " reason above; sizes and times are 0 or more, times are in milliseconds). Every"
                + " Tidepool property, its meaning and its default are listed in docs/spring-boot.md.";
        return new FailureAnalysis(description.toString(), action, bind);
    }

    /** The TidepoolConfig properties a message names, as Boot properties, in order of mention. */
    static Set<String> propertiesIn(String message) {
        Set<String> names = new LinkedHashSet<>();
        Matcher words = PROPERTY_WORD.matcher(message == null ? "" : message);
        while (words.find()) {
            String word = words.group();
            if (isProperty(word)) {
                names.add(PREFIX + kebab(word));
            }
        }
        return names;
    }

    private static boolean isProperty(String camel) {
        String setter = "set" + Character.toUpperCase(camel.charAt(0)) + camel.substring(1);
        for (var method : TidepoolConfig.class.getMethods()) {
            if (method.getName().equals(setter) && method.getParameterCount() == 1) {
                return true;
            }
        }
        return false;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
