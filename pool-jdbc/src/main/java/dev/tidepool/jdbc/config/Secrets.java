package dev.tidepool.jdbc.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of every string {@link TidepoolConfig} produces. JDBC URLs routinely carry
 * credentials ({@code ?password=...}, {@code user:pw@host}, Oracle's {@code user/pw@host}), so any
 * URL or driver message is masked before it reaches a log, an exception or {@code toString()}.
 */
public final class Secrets {
    public static final String MASK = "****";
    /** What {@code toString()} shows instead of a password. */
    public static final String MASKED = "<masked>";

    private static final String SECRET_WORDS = "password|passwd|pwd|secret|credential";
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(?:" + SECRET_WORDS + ").*");
    /** {@code password=x}, {@code sslpassword=x}, {@code PWD={x;y}}: up to the next separator. */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([\\w.\\-]*(?:" + SECRET_WORDS + ")[\\w.\\-]*\\s*=\\s*)(\\{[^}]*}|[^&;)\\s]*)");
    /** {@code //user:pw@host}: greedy up to the last '@' of the authority, in case pw holds an '@'. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#;@:\\s]*:)[^/?#;\\s]*@");
    /** Oracle's {@code jdbc:oracle:thin:user/pw@host}, pw possibly quoted. */
    private static final Pattern ORACLE_USER = Pattern.compile(
            "(?i)(jdbc:oracle:[a-z0-9]+:[^/@:\\s]*/)(\"[^\"]*\"|[^@\\s]*)@");

    private Secrets() {
    }

    /** Whether a property of this name holds a secret whose value must never be shown. */
    public static boolean isSecretKey(String key) {
        return key != null && SECRET_KEY.matcher(key).matches();
    }

    /**
     * {@code text} (a URL, a driver's message, an SQL string) with credentials replaced by
     * {@value #MASK}: the URL forms above, and any literal occurrence of {@code password}.
     */
    public static String mask(String text, String password) {
        if (text == null) {
            return null;
        }
        String masked = SECRET_PARAM.matcher(text).replaceAll("$1" + MASK);
        masked = USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
        masked = ORACLE_USER.matcher(masked).replaceAll("$1" + MASK + "@");
        if (password != null && !password.isEmpty()) {
            masked = masked.replace(password, MASK);
        }
        return masked;
    }

    /** The driver properties for display: secret keys masked, other values run through {@link #mask}. */
    public static String mask(Properties properties, String password) {
        Map<String, String> shown = new TreeMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            String text;
            if (isSecretKey(key)) {
                text = MASKED;
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof Enum) {
                text = mask(String.valueOf(value), password);
            } else {
                // An arbitrary object's toString() may print anything, credentials included.
                text = "<" + value.getClass().getName() + ">";
            }
            shown.put(mask(key, password), text);
        }
        return shown.toString();
    }
}
