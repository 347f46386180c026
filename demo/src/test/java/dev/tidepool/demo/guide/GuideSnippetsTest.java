package dev.tidepool.demo.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the user guide's code true: every {@code // guide:NAME} region of {@link TourTest} (code
 * that compiles and runs) must appear, word for word and with its indentation taken off, in a
 * Java block of the guide page that shows it; and every Java block of those pages must be one of
 * the regions. Edit the test first, then paste the region into the page.
 */
class GuideSnippetsTest {
    private static final Path TOUR = Path.of("src/test/java/dev/tidepool/demo/guide/TourTest.java");
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern REGION = Pattern.compile("(?m)^[ \\t]*// guide:([\\w-]+)\\n(.*?)^[ \\t]*// end\\n",
            Pattern.DOTALL);
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);

    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher m = REGION.matcher(Files.readString(TOUR));
        while (m.find()) {
            regions.put(m.group(1), dedent(m.group(2)));
        }
        return regions;
    }

    static List<String> javaBlocks(String page) throws IOException {
        return JAVA_BLOCK.matcher(Files.readString(DOCS.resolve(page))).results().map(r -> r.group(1)).toList();
    }

    @Test
    void everyRegionIsInItsPageAndEveryJavaBlockIsARegion() throws IOException {
        Map<String, String> regions = regions();
        assertThat(regions).containsOnlyKeys("resource-pool", "green-pool", "data-source", "jmx", "switch");

        List<String> tour = javaBlocks("index.md");
        List<String> migrating = javaBlocks("migrating-from-hikaricp.md");
        assertThat(tour).containsExactly(regions.get("resource-pool"), regions.get("green-pool"),
                regions.get("data-source"), regions.get("jmx"));
        assertThat(migrating).containsExactly(regions.get("switch"));
    }

    private static String dedent(String code) {
        List<String> lines = code.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
