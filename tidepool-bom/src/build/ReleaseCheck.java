import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The release check that tidepool-bom's build runs at {@code verify}: a dry run of the release
 * profile, and the proof that two builds of the published modules give identical bytes.
 *
 * <p>It works in four steps, and any one of them failing fails the build with a message that
 * names what is wrong:
 * <ol>
 *   <li>The BOM lists exactly the published modules: every module of the root pom whose own pom
 *       does not set {@code maven.deploy.skip} to true and whose packaging is not {@code pom} has
 *       an entry, and every entry is such a module.</li>
 *   <li>The flattened BOM, the pom that is published, is a plain BOM: no parent, no build, no
 *       properties, no dependencies, no repositories; Central's metadata present.</li>
 *   <li>The source tree (without {@code target} directories and {@code .git}) is copied twice, and
 *       each copy is built with {@code -Prelease verify -DskipTests} for the BOM and its modules
 *       ({@code -am}), signing forced off: everything a release does before it signs and uploads
 *       (the enforcer's and pomchecker's rules, the sources and Javadoc jars with doclint, the
 *       release profile's plugins). The second build runs in another directory, later, in another
 *       time zone and locale, so whatever leaks a path, a clock, a zone or a language into an
 *       artifact shows up as a difference.</li>
 *   <li>Each published jar module produced its jar, sources jar and Javadoc jar, and every jar
 *       and flattened pom of the two builds is compared by SHA-256. For a jar that differs, the
 *       entries that differ are listed.</li>
 * </ol>
 *
 * <p>Run by exec-maven-plugin with the toolchain's java (source-file mode, JDK 21+); every path
 * and setting comes in as an option, see {@link #main}.
 */
public final class ReleaseCheck {

    private static final String PREFIX = "[release-check] ";
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", ".idea", ".vscode");
    private static final int LOG_TAIL_LINES = 80;
    private static final long BUILD_TIMEOUT_MINUTES = 10;

    private final Map<String, String> options;
    private final Path root;
    private final Path work;

    private ReleaseCheck(Map<String, String> options) {
        this.options = options;
        this.root = Path.of(option("root")).toAbsolutePath().normalize();
        this.work = Path.of(option("work")).toAbsolutePath().normalize();
    }

    /**
     * Options, each as {@code --name value} or {@code --name=value}: {@code root} (the project
     * root), {@code bom} (the BOM's pom.xml), {@code flattened-bom} (the pom flatten-maven-plugin
     * wrote), {@code work} (a directory of its own, emptied first), {@code maven-home},
     * {@code local-repository}, {@code offline} (true or false); optionally {@code user-settings}
     * and {@code global-settings} (passed on where the file exists).
     *
     * @param args the options
     */
    public static void main(String[] args) {
        try {
            new ReleaseCheck(parse(args)).run();
        } catch (CheckFailed failure) {
            System.out.println(PREFIX + "FAILED: " + failure.getMessage());
            System.exit(1);
        }
    }

    private void run() {
        long start = System.nanoTime();
        Path bomPom = Path.of(option("bom"));
        Element bom = read(bomPom).getDocumentElement();
        String groupId = textOr(bom, "groupId", text(child(bom, "parent"), "groupId"));
        String bomArtifactId = text(bom, "artifactId");

        Map<String, Path> published = publishedModules();
        Set<String> listed = bomEntries(bomPom, groupId);
        checkBomListsPublishedModules(published.keySet(), listed, bomArtifactId);
        checkFlattenedBom(Path.of(option("flattened-bom")), listed);
        System.out.println(PREFIX + "the BOM lists the published modules " + listed);

        deleteRecursively(work);
        List<String> projects = new ArrayList<>();
        projects.add(":" + bomArtifactId);
        listed.forEach(artifactId -> projects.add(":" + artifactId));
        Path first = build(1, projects, Map.of());
        Path second = build(2, projects, Map.of("TZ", "Pacific/Kiritimati"));

        Map<String, Path> firstArtifacts = artifacts(first);
        Map<String, Path> secondArtifacts = artifacts(second);
        checkPublishedJarsExist(firstArtifacts.keySet(), published);
        compare(firstArtifacts, secondArtifacts);
        System.out.println(PREFIX + firstArtifacts.size() + " artifacts byte-identical in two builds; "
                + "release dry run passed in " + seconds(System.nanoTime() - start) + " s");
    }

    // ---- step 1: the BOM lists exactly the published modules

    /** Module artifactId to module directory, for the root pom's modules that are published jars. */
    private Map<String, Path> publishedModules() {
        Map<String, Path> published = new TreeMap<>();
        Element modules = child(read(root.resolve("pom.xml")).getDocumentElement(), "modules");
        for (Element module : children(modules, "module")) {
            Path directory = root.resolve(module.getTextContent().trim());
            Element pom = read(directory.resolve("pom.xml")).getDocumentElement();
            String packaging = textOr(pom, "packaging", "jar");
            Element properties = child(pom, "properties");
            boolean skipped = properties != null
                    && "true".equals(textOr(properties, "maven.deploy.skip", "false"));
            if (!skipped && !"pom".equals(packaging)) {
                published.put(text(pom, "artifactId"), directory);
            }
        }
        return published;
    }

    private static Set<String> bomEntries(Path bomPom, String groupId) {
        Set<String> entries = new TreeSet<>();
        Element management = child(read(bomPom).getDocumentElement(), "dependencyManagement");
        for (Element dependency : children(child(management, "dependencies"), "dependency")) {
            if (groupId.equals(text(dependency, "groupId"))) {
                entries.add(text(dependency, "artifactId"));
            }
        }
        return entries;
    }

    private static void checkBomListsPublishedModules(Set<String> published, Set<String> listed,
            String bomArtifactId) {
        Set<String> missing = new TreeSet<>(published);
        missing.removeAll(listed);
        Set<String> extra = new TreeSet<>(listed);
        extra.removeAll(published);
        if (!missing.isEmpty()) {
            throw new CheckFailed("published modules " + missing + " have no entry in " + bomArtifactId
                    + "/pom.xml: add one each (or set maven.deploy.skip to true in a module that is"
                    + " not published)");
        }
        if (!extra.isEmpty()) {
            throw new CheckFailed(bomArtifactId + "/pom.xml lists " + extra
                    + ", which are not published modules of this build: remove them");
        }
    }

    // ---- step 2: the published BOM is a plain BOM

    private static void checkFlattenedBom(Path flattened, Set<String> listed) {
        if (!Files.isRegularFile(flattened)) {
            throw new CheckFailed("no flattened BOM at " + flattened + " (did flatten-maven-plugin run?)");
        }
        Element pom = read(flattened).getDocumentElement();
        for (String banned : List.of("parent", "build", "properties", "dependencies", "repositories",
                "pluginRepositories", "profiles", "modules")) {
            if (child(pom, banned) != null) {
                throw new CheckFailed("the published BOM " + flattened + " has <" + banned
                        + ">: a BOM that users import must not");
            }
        }
        for (String required : List.of("groupId", "artifactId", "version", "name", "description", "url",
                "licenses", "developers", "scm")) {
            Element element = child(pom, required);
            if (element == null || element.getTextContent().isBlank()) {
                throw new CheckFailed("the published BOM " + flattened + " has no <" + required
                        + ">, which Maven Central requires");
            }
        }
        Set<String> flattenedEntries = bomEntries(flattened, text(pom, "groupId"));
        if (!flattenedEntries.equals(listed)) {
            throw new CheckFailed("the published BOM lists " + flattenedEntries + ", its source " + listed);
        }
    }

    // ---- step 3: two release dry-run builds

    /** Copies the tree to work/build-N and builds it; returns the copy. */
    private Path build(int number, List<String> projects, Map<String, String> environment) {
        Path copy = work.resolve("build-" + number);
        Path log = work.resolve("build-" + number + ".log");
        copyTree(root, copy);

        boolean windows = System.getProperty("os.name").startsWith("Windows");
        Path maven = Path.of(option("maven-home"), "bin", windows ? "mvn.cmd" : "mvn");
        List<String> command = new ArrayList<>(List.of(maven.toString(), "-B", "-ntp",
                "-f", copy.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + option("local-repository"),
                "-Prelease", "-Dgpg.skip=true", "-DskipTests", "-Dtidepool.releaseCheck.skip=true",
                "-pl", String.join(",", projects), "-am", "verify"));
        if (Boolean.parseBoolean(option("offline"))) {
            command.add(1, "-o");
        }
        // The settings this build was given (mirrors, proxies), where they exist.
        for (String settings : List.of("global-settings", "user-settings")) {
            String file = options.getOrDefault(settings, "");
            if (!file.isBlank() && !file.equals("null") && Files.isRegularFile(Path.of(file))) {
                command.add(1, settings.equals("user-settings") ? "-s" : "-gs");
                command.add(2, file);
            }
        }
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + System.lineSeparator());
        } catch (IOException e) {
            throw new CheckFailed("could not write " + log + ": " + e);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("MAVEN_BASEDIR");
        builder.environment().putAll(environment);
        if (environment.containsKey("TZ")) {
            String opts = builder.environment().getOrDefault("MAVEN_OPTS", "");
            builder.environment().put("MAVEN_OPTS", (opts + " -Duser.timezone=" + environment.get("TZ")
                    + " -Duser.language=de -Duser.country=DE").strip());
        }

        System.out.println(PREFIX + "build " + number + " of " + projects + " with -Prelease in " + copy
                + (environment.isEmpty() ? "" : " (" + environment + ", locale de_DE)") + ", log " + log);
        long start = System.nanoTime();
        int exit;
        try {
            Process process = builder.start();
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new CheckFailed("build " + number + " did not finish within " + BUILD_TIMEOUT_MINUTES
                        + " minutes; its log: " + log);
            }
            exit = process.exitValue();
        } catch (IOException e) {
            throw new CheckFailed("could not start " + maven + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailed("interrupted while build " + number + " ran");
        }
        if (exit != 0) {
            printTail(log);
            throw new CheckFailed("the release dry run (build " + number + ") failed with exit code " + exit
                    + "; its log: " + log);
        }
        System.out.println(PREFIX + "build " + number + " passed in " + seconds(System.nanoTime() - start) + " s");
        return copy;
    }

    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                        throws IOException {
                    if (!directory.equals(from)
                            && SKIPPED_DIRECTORIES.contains(directory.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(directory)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (attributes.isRegularFile() && !file.getFileName().toString().equals(".flattened-pom.xml")) {
                        Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new CheckFailed("could not copy " + from + " to " + to + ": " + e);
        }
    }

    private static void printTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            System.out.println(PREFIX + "last " + Math.min(LOG_TAIL_LINES, lines.size()) + " lines of " + log + ":");
            lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println(PREFIX + "could not read " + log + ": " + e);
        }
    }

    // ---- step 4: the artifacts exist and are identical

    /** Every jar in a module's target directory, and the flattened pom, by path relative to the copy. */
    private static Map<String, Path> artifacts(Path copy) {
        Map<String, Path> artifacts = new TreeMap<>();
        try (var modules = Files.list(copy)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path target = module.resolve("target");
                if (!Files.isDirectory(target)) {
                    continue;
                }
                try (var files = Files.list(target)) {
                    files.filter(file -> file.getFileName().toString().endsWith(".jar")
                                    || file.getFileName().toString().equals(".flattened-pom.xml"))
                            .forEach(file -> artifacts.put(copy.relativize(file).toString().replace('\\', '/'), file));
                }
            }
        } catch (IOException e) {
            throw new CheckFailed("could not list the artifacts of " + copy + ": " + e);
        }
        return artifacts;
    }

    private static void checkPublishedJarsExist(Set<String> artifacts, Map<String, Path> published) {
        for (String artifactId : published.keySet()) {
            String directory = published.get(artifactId).getFileName().toString();
            for (String suffix : List.of("", "-sources", "-javadoc")) {
                String prefix = directory + "/target/" + artifactId + "-";
                boolean found = artifacts.stream().anyMatch(path -> path.startsWith(prefix)
                        && path.endsWith(suffix + ".jar")
                        && (!suffix.isEmpty() || !(path.endsWith("-sources.jar") || path.endsWith("-javadoc.jar")
                                || path.endsWith("-tests.jar"))));
                if (!found) {
                    throw new CheckFailed("the published module " + artifactId + " has no "
                            + (suffix.isEmpty() ? "jar" : suffix.substring(1) + " jar")
                            + " in " + directory + "/target");
                }
            }
        }
    }

    private static void compare(Map<String, Path> first, Map<String, Path> second) {
        if (!first.keySet().equals(second.keySet())) {
            throw new CheckFailed("the two builds made different files: " + first.keySet() + " and " + second.keySet());
        }
        if (first.isEmpty()) {
            throw new CheckFailed("the builds made no artifact to compare");
        }
        List<String> differences = new ArrayList<>();
        for (String path : first.keySet()) {
            String one = sha256(first.get(path));
            String two = sha256(second.get(path));
            String verdict = one.equals(two) ? "same      " : "DIFFERENT ";
            System.out.println(PREFIX + verdict + one.substring(0, 16) + "  " + path);
            if (!one.equals(two)) {
                differences.add(path.endsWith(".jar")
                        ? path + " (entries: " + differingEntries(first.get(path), second.get(path)) + ")"
                        : path);
            }
        }
        if (!differences.isEmpty()) {
            throw new CheckFailed("the build is not reproducible: " + String.join("; ", differences));
        }
    }

    private static String differingEntries(Path one, Path two) {
        Map<String, String> first = entries(one);
        Map<String, String> second = entries(two);
        Set<String> names = new TreeSet<>(first.keySet());
        names.addAll(second.keySet());
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (!String.valueOf(first.get(name)).equals(String.valueOf(second.get(name)))) {
                differing.add(name + " [" + first.get(name) + " vs " + second.get(name) + "]");
            }
        }
        return differing.isEmpty() ? "same entries; order or zip metadata differs" : String.join(", ", differing);
    }

    /** Entry name to what makes it what it is: content checksum, size, time and attributes. */
    private static Map<String, String> entries(Path jar) {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach((ZipEntry entry) -> entries.put(entry.getName(),
                    "crc " + Long.toHexString(entry.getCrc()) + ", " + entry.getSize() + " bytes, "
                    + entry.getLastModifiedTime()
                    + (entry.getExtra() == null ? "" : ", extra " + HexFormat.of().formatHex(entry.getExtra()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    // ---- helpers

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new CheckFailed("could not read " + file + ": " + e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new CheckFailed("could not empty " + directory + ": " + e);
        }
    }

    private static Document read(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new CheckFailed("could not read " + pom + ": " + e.getMessage());
        }
    }

    private static Element child(Element element, String name) {
        if (element == null) {
            return null;
        }
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element element, String name) {
        List<Element> children = new ArrayList<>();
        if (element != null) {
            for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element child && child.getTagName().equals(name)) {
                    children.add(child);
                }
            }
        }
        return children;
    }

    private static String text(Element element, String name) {
        Element child = child(element, name);
        if (child == null) {
            String where = element == null ? "a pom" : "<" + element.getTagName() + ">";
            throw new CheckFailed(where + " has no <" + name + ">");
        }
        return child.getTextContent().trim();
    }

    private static String textOr(Element element, String name, String otherwise) {
        Element child = child(element, name);
        return child == null ? otherwise : child.getTextContent().trim();
    }

    private String option(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new CheckFailed("option --" + name + " is missing");
        }
        return value;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (!args[i].startsWith("--")) {
                throw new CheckFailed("expected --name value or --name=value, got '" + args[i] + "'");
            } else if (equals > 0) {
                options.put(args[i].substring(2, equals), args[i].substring(equals + 1));
            } else if (i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                throw new CheckFailed("option " + args[i] + " has no value");
            }
        }
        return options;
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }

    /** A check that did not pass; its message says what to fix. */
    private static final class CheckFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckFailed(String message) {
            super(message);
        }
    }
}
