import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The release checks of .ci/release-checks.sh, as one JDK-only program ({@code java .ci/ReleaseChecks.java ...}):
 *
 * <pre>
 * versions ROOT                      every POM of the reactor carries libstorage-base's version; CHANGELOG.md fits it
 * staging STAGING ROOT [--signed]    what the release profile staged is what Maven Central requires, for exactly
 *                                    the artifacts libstorage-bom lists (plus libstorage-base/-parent/-bom)
 * compare ROOT_A ROOT_B              the build outputs of two builds of the same sources are byte-identical
 * </pre>
 *
 * Each prints one line per finding and exits 1 when there is any.
 */
public final class ReleaseChecks {
    private static final String GROUP = "io.libstorage";
    private static final String GROUP_PATH = GROUP.replace('.', '/');
    /** Published besides the artifacts the BOM lists: the parents and the BOM itself. */
    private static final List<String> ALWAYS_PUBLISHED = List.of("libstorage-base", "libstorage-parent", "libstorage-bom");
    /** File names (in a module's target directory) that two builds must produce identically. */
    private static final Pattern BUILD_OUTPUT = Pattern.compile(".*\\.(jar|tar\\.gz|deb)|.*-cyclonedx\\.json|sbom\\.json");

    private final List<String> problems = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        ReleaseChecks checks = new ReleaseChecks();
        switch (args[0]) {
            case "versions" -> checks.versions(Path.of(args[1]));
            case "staging" -> {
                if (args.length < 3) {
                    usage();
                }
                checks.staging(Path.of(args[1]), Path.of(args[2]), Arrays.asList(args).contains("--signed"));
            }
            case "compare" -> {
                if (args.length < 3) {
                    usage();
                }
                checks.compare(Path.of(args[1]), Path.of(args[2]));
            }
            default -> usage();
        }
        if (!checks.problems.isEmpty()) {
            System.out.println(checks.problems.size() + " problem(s):");
            checks.problems.forEach(p -> System.out.println("  FAIL " + p));
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("usage: java ReleaseChecks.java versions ROOT | staging STAGING_DIR ROOT [--signed] | compare ROOT_A ROOT_B");
        System.exit(2);
    }

    private void problem(String text) {
        problems.add(text);
    }

    // ---------------------------------------------------------------- versions

    void versions(Path root) throws Exception {
        String version = text(pom(root.resolve("libstorage-base/pom.xml")), "version")
                .orElseThrow(() -> new IllegalStateException("libstorage-base/pom.xml has no <version>"));
        List<Path> poms = reactorPoms(root);
        for (Path pomFile : poms) {
            Element project = pom(pomFile);
            String where = root.relativize(pomFile).toString();
            text(project, "version").filter(v -> !v.equals(version))
                    .ifPresent(v -> problem(where + ": version " + v + ", but libstorage-base has " + version));
            child(project, "parent").ifPresent(parent -> {
                if (GROUP.equals(text(parent, "groupId").orElse("")) && !version.equals(text(parent, "version").orElse(""))) {
                    problem(where + ": parent version " + text(parent, "version").orElse("(none)") + ", but libstorage-base has " + version);
                }
            });
        }
        String changelog = Files.readString(root.resolve("CHANGELOG.md"));
        if (!changelog.contains("\n## [Unreleased]")) {
            problem("CHANGELOG.md: no '## [Unreleased]' section (Keep a Changelog)");
        }
        if (!version.endsWith("-SNAPSHOT") && !changelog.contains("\n## [" + version + "]")) {
            problem("CHANGELOG.md: the release version " + version + " has no '## [" + version + "]' section");
        }
        System.out.println("versions: " + poms.size() + " POMs checked, version " + version);
    }

    /** The root POM, libstorage-base and every module, recursively, as the reactor sees them. */
    private static List<Path> reactorPoms(Path root) throws Exception {
        List<Path> out = new ArrayList<>();
        collectModules(root.resolve("pom.xml").normalize(), out);
        if (out.stream().noneMatch(p -> p.endsWith(Path.of("libstorage-base", "pom.xml")))) {
            out.add(root.resolve("libstorage-base/pom.xml"));
        }
        return out;
    }

    private static void collectModules(Path pomFile, List<Path> out) throws Exception {
        if (out.contains(pomFile)) {
            return;
        }
        out.add(pomFile);
        Optional<Element> modules = child(pom(pomFile), "modules");
        if (modules.isPresent()) {
            for (Element module : children(modules.get(), "module")) {
                Path dir = pomFile.getParent().resolve(module.getTextContent().trim()).normalize();
                collectModules(Files.isDirectory(dir) ? dir.resolve("pom.xml") : dir, out);
            }
        }
    }

    // ---------------------------------------------------------------- staging

    void staging(Path staging, Path root, boolean signed) throws Exception {
        Path groupDir = staging.resolve(GROUP_PATH);
        if (!Files.isDirectory(groupDir)) {
            problem(staging + ": nothing staged under " + GROUP_PATH + " (did the release build deploy there?)");
            return;
        }
        TreeSet<String> expected = new TreeSet<>(ALWAYS_PUBLISHED);
        for (Element dependency : children(child(child(pom(root.resolve("libstorage-bom/pom.xml")), "dependencyManagement")
                .orElseThrow(), "dependencies").orElseThrow(), "dependency")) {
            if (GROUP.equals(text(dependency, "groupId").orElse(""))) {
                expected.add(text(dependency, "artifactId").orElseThrow());
            }
        }
        TreeSet<String> staged = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(groupDir)) {
            dirs.filter(Files::isDirectory).forEach(d -> staged.add(d.getFileName().toString()));
        }
        try (Stream<Path> all = Files.walk(staging)) {
            // <group path>/<artifactId>/<version>/<file>.pom
            all.filter(f -> f.getFileName().toString().endsWith(".pom")).map(staging::relativize)
                    .filter(p -> p.getNameCount() < 4 || !p.subpath(0, p.getNameCount() - 3).toString().equals(GROUP_PATH))
                    .forEach(p -> problem("staged outside " + GROUP + ": " + p));
        }
        for (String missing : difference(expected, staged)) {
            problem(missing + ": listed in libstorage-bom (or a parent) but not staged: is maven.deploy.skip set in its POM?");
        }
        for (String extra : difference(staged, expected)) {
            problem(extra + ": staged but not in libstorage-bom: set maven.deploy.skip in its POM, or add it to the BOM");
        }
        Map<String, Element> stagedPoms = new TreeMap<>();
        Map<String, Map<String, Path>> filesByArtifact = new TreeMap<>();
        for (String artifactId : staged) {
            Map<String, Path> files = stagedFiles(groupDir.resolve(artifactId));
            filesByArtifact.put(artifactId, files);
            if (files.containsKey(":pom")) {
                stagedPoms.put(artifactId, pom(files.get(":pom")));
            }
        }
        System.out.printf("%-28s %-9s %s%n", "artifact", "packaging", "files (classifier:extension)");
        for (String artifactId : staged) {
            Map<String, Path> files = filesByArtifact.get(artifactId);
            Element project = stagedPoms.get(artifactId);
            if (project == null) {
                problem(artifactId + ": no POM staged");
                continue;
            }
            String packaging = text(project, "packaging").orElse("jar");
            System.out.printf("%-28s %-9s %s%n", artifactId, packaging, String.join(" ", files.keySet()));
            checkMetadata(artifactId, project, stagedPoms);
            List<String> required = new ArrayList<>(List.of(":pom"));
            if (packaging.equals("jar")) {
                required.addAll(List.of(":jar", "sources:jar", "javadoc:jar", "cyclonedx:json"));
            }
            for (String key : required) {
                if (!files.containsKey(key)) {
                    problem(artifactId + ": no " + describe(key) + " staged");
                }
            }
            for (Map.Entry<String, Path> file : files.entrySet()) {
                checkChecksumsAndSignature(file.getValue(), signed);
                checkContent(artifactId, file.getKey(), file.getValue(), version(project));
            }
        }
        System.out.println("staging: " + staged.size() + " artifacts checked" + (signed ? ", signatures required" : ", signatures not required (no key)"));
    }

    private static String describe(String key) {
        return switch (key) {
            case ":pom" -> "POM";
            case ":jar" -> "main jar";
            case "sources:jar" -> "sources jar";
            case "javadoc:jar" -> "javadoc jar";
            case "cyclonedx:json" -> "CycloneDX SBOM (-cyclonedx.json)";
            default -> key;
        };
    }

    /** classifier:extension to the staged file, for the version deployed last (timestamped for a SNAPSHOT). */
    private Map<String, Path> stagedFiles(Path artifactDir) throws Exception {
        Map<String, Path> out = new TreeMap<>();
        List<Path> versionDirs;
        try (Stream<Path> list = Files.list(artifactDir)) {
            versionDirs = list.filter(Files::isDirectory).toList();
        }
        if (versionDirs.size() != 1) {
            problem(artifactDir.getFileName() + ": " + versionDirs.size() + " versions staged, expected one (stage into an empty directory)");
            if (versionDirs.isEmpty()) {
                return out;
            }
        }
        Path dir = versionDirs.get(0);
        String artifactId = artifactDir.getFileName().toString();
        Path metadata = dir.resolve("maven-metadata.xml");
        if (Files.exists(metadata)) {
            // a SNAPSHOT: the metadata names each file's timestamped version
            Element versioning = child(pom(metadata), "versioning").orElseThrow();
            for (Element sv : children(child(versioning, "snapshotVersions").orElseThrow(), "snapshotVersion")) {
                String classifier = text(sv, "classifier").orElse("");
                String extension = text(sv, "extension").orElseThrow();
                String value = text(sv, "value").orElseThrow();
                if (extension.endsWith(".asc")) {
                    continue; // a signature: checked beside the file it signs
                }
                out.put(classifier + ":" + extension,
                        dir.resolve(artifactId + "-" + value + (classifier.isEmpty() ? "" : "-" + classifier) + "." + extension));
            }
            return out;
        }
        String prefix = artifactId + "-" + dir.getFileName();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith(prefix) || name.matches(".*\\.(md5|sha1|sha256|sha512|asc)$")) {
                    continue;
                }
                String rest = name.substring(prefix.length());
                String classifier = rest.startsWith("-") ? rest.substring(1, rest.indexOf('.')) : "";
                String extension = rest.substring(rest.indexOf('.') + 1);
                out.put(classifier + ":" + extension, f);
            }
        }
        return out;
    }

    private void checkChecksumsAndSignature(Path file, boolean signed) throws Exception {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            problem(name + ": named by maven-metadata.xml but missing");
            return;
        }
        byte[] content = Files.readAllBytes(file);
        for (String algorithm : List.of("MD5", "SHA-1")) {
            Path sum = file.resolveSibling(name + "." + algorithm.toLowerCase().replace("-", ""));
            if (!Files.isRegularFile(sum)) {
                problem(name + ": no " + sum.getFileName());
                continue;
            }
            String expected = hex(algorithm, content);
            String actual = Files.readString(sum).trim().split("\\s+")[0];
            if (!expected.equalsIgnoreCase(actual)) {
                problem(sum.getFileName() + ": " + actual + ", but the file's " + algorithm + " is " + expected);
            }
        }
        Path signature = file.resolveSibling(name + ".asc");
        if (signed && !Files.isRegularFile(signature)) {
            problem(name + ": not signed (no " + signature.getFileName() + ")");
        }
        if (Files.isRegularFile(signature) && !Files.readString(signature).startsWith("-----BEGIN PGP SIGNATURE-----")) {
            problem(signature.getFileName() + ": not an armored PGP signature");
        }
    }

    private void checkContent(String artifactId, String key, Path file, String version) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        switch (key) {
            case ":jar" -> requireEntry(file, e -> e.endsWith(".class"), "a .class file");
            case "sources:jar" -> requireEntry(file, e -> e.endsWith(".java"), "a .java file");
            case "javadoc:jar" -> requireEntry(file, e -> e.equals("index.html"), "index.html");
            case "cyclonedx:json" -> {
                String sbom = Files.readString(file);
                if (!Pattern.compile("\"bomFormat\"\\s*:\\s*\"CycloneDX\"").matcher(sbom).find()) {
                    problem(file.getFileName() + ": not a CycloneDX SBOM");
                }
                String purl = "pkg:maven/" + GROUP + "/" + artifactId + "@" + version;
                if (!sbom.contains(purl)) {
                    problem(file.getFileName() + ": does not describe " + purl);
                }
            }
            default -> { }
        }
    }

    private void requireEntry(Path jar, java.util.function.Predicate<String> test, String what) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().map(ZipEntry::getName).noneMatch(test)) {
                problem(jar.getFileName() + ": has no " + what);
            }
        }
    }

    /** What Maven Central requires of a POM, own or inherited from a staged parent. */
    private void checkMetadata(String artifactId, Element project, Map<String, Element> stagedPoms) {
        // name and description are the module's own (Maven does not inherit name; an inherited description would describe the parent)
        for (String own : List.of("name", "description")) {
            if (text(project, own).filter(s -> !s.isBlank()).isEmpty()) {
                problem(artifactId + ": the POM has no <" + own + ">");
            }
        }
        requireInherited(artifactId, project, stagedPoms, "url", p -> text(p, "url").filter(s -> !s.isBlank()).isPresent());
        requireInherited(artifactId, project, stagedPoms, "licenses/license (name and url)", p -> child(p, "licenses")
                .map(l -> children(l, "license").stream().anyMatch(x -> text(x, "name").isPresent() && text(x, "url").isPresent()))
                .orElse(false));
        requireInherited(artifactId, project, stagedPoms, "developers/developer (name)", p -> child(p, "developers")
                .map(d -> children(d, "developer").stream().anyMatch(x -> text(x, "name").isPresent()))
                .orElse(false));
        requireInherited(artifactId, project, stagedPoms, "scm (url and connection)", p -> child(p, "scm")
                .map(s -> text(s, "url").isPresent() && text(s, "connection").isPresent())
                .orElse(false));
        requireInherited(artifactId, project, stagedPoms, "issueManagement", p -> child(p, "issueManagement").isPresent());
    }

    private void requireInherited(String artifactId, Element project, Map<String, Element> stagedPoms, String what,
                                  java.util.function.Predicate<Element> present) {
        Element current = project;
        List<String> chain = new ArrayList<>(List.of(artifactId));
        while (current != null) {
            if (present.test(current)) {
                return;
            }
            Optional<Element> parent = child(current, "parent");
            if (parent.isEmpty()) {
                break;
            }
            String parentId = text(parent.get(), "artifactId").orElse("?");
            chain.add(parentId);
            current = stagedPoms.get(parentId);
            if (current == null) {
                problem(artifactId + ": its parent " + parentId + " is not staged, so its metadata cannot be checked");
                return;
            }
        }
        problem(artifactId + ": no " + what + " in its POM or its parents (" + String.join(" <- ", chain) + ")");
    }

    private static String version(Element project) {
        return text(project, "version").or(() -> child(project, "parent").flatMap(p -> text(p, "version"))).orElse("?");
    }

    // ---------------------------------------------------------------- compare

    void compare(Path rootA, Path rootB) throws Exception {
        TreeSet<String> a = buildOutputs(rootA);
        TreeSet<String> b = buildOutputs(rootB);
        for (String only : difference(a, b)) {
            problem(only + ": built in " + rootA + " only");
        }
        for (String only : difference(b, a)) {
            problem(only + ": built in " + rootB + " only");
        }
        int identical = 0;
        for (String file : a) {
            if (!b.contains(file)) {
                continue;
            }
            byte[] x = Files.readAllBytes(rootA.resolve(file));
            byte[] y = Files.readAllBytes(rootB.resolve(file));
            if (Arrays.equals(x, y)) {
                identical++;
            } else {
                problem(file + ": the two builds differ: " + explain(file, x, y));
            }
        }
        if (a.size() < 10) {
            problem(rootA + ": only " + a.size() + " build outputs found: was it built?");
        }
        System.out.println("compare: " + identical + " of " + a.size() + " build outputs byte-identical");
    }

    /** Jars, tarballs, Debian packages and SBOMs directly in a module's target directory, relative to the root. */
    private static TreeSet<String> buildOutputs(Path root) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().equals("target"))
                    .filter(f -> Files.isRegularFile(f.getParent().resolveSibling("pom.xml")))
                    .filter(f -> BUILD_OUTPUT.matcher(f.getFileName().toString()).matches())
                    .forEach(f -> out.add(root.relativize(f).toString()));
        }
        return out;
    }

    private static String explain(String file, byte[] x, byte[] y) throws IOException {
        if (file.endsWith(".jar")) {
            return zipDifferences(x, y);
        }
        if (file.endsWith(".tar.gz")) {
            return tarDifferences(gunzip(x), gunzip(y));
        }
        if (file.endsWith(".deb")) {
            Map<String, byte[]> ax = arMembers(x);
            Map<String, byte[]> ay = arMembers(y);
            List<String> out = new ArrayList<>();
            for (String member : new TreeSet<>(ax.keySet())) {
                byte[] mx = ax.get(member);
                byte[] my = ay.get(member);
                if (my == null || !Arrays.equals(mx, my)) {
                    out.add(member + (member.endsWith(".tar.gz") && my != null ? " (" + tarDifferences(gunzip(mx), gunzip(my)) + ")" : ""));
                }
            }
            return "members " + out;
        }
        return "first difference at byte " + Arrays.mismatch(x, y);
    }

    private static String zipDifferences(byte[] x, byte[] y) throws IOException {
        Map<String, String> ex = zipEntries(x);
        Map<String, String> ey = zipEntries(y);
        List<String> out = new ArrayList<>();
        if (!new ArrayList<>(ex.keySet()).equals(new ArrayList<>(ey.keySet()))) {
            out.add("entry names or order");
        }
        for (Map.Entry<String, String> e : ex.entrySet()) {
            if (!Objects.equals(e.getValue(), ey.get(e.getKey()))) {
                out.add(e.getKey() + " [" + e.getValue() + " vs " + ey.get(e.getKey()) + "]");
            }
        }
        return out.isEmpty() ? "same entries, times and contents: the zip structure differs (attributes, comment)"
                : "entries " + out.subList(0, Math.min(out.size(), 10)) + (out.size() > 10 ? " and " + (out.size() - 10) + " more" : "");
    }

    private static Map<String, String> zipEntries(byte[] zip) throws IOException {
        Path tmp = Files.createTempFile("release-checks-", ".zip");
        try {
            Files.write(tmp, zip);
            Map<String, String> out = new LinkedHashMap<>();
            try (ZipFile z = new ZipFile(tmp.toFile())) {
                for (ZipEntry e : z.stream().toList()) {
                    String sha;
                    try (InputStream in = z.getInputStream(e)) {
                        sha = hex("SHA-256", in.readAllBytes()).substring(0, 12);
                    }
                    out.put(e.getName(), "time " + e.getTime() + " crc " + Long.toHexString(e.getCrc()) + " sha256 " + sha
                            + (e.getExtra() == null ? "" : " extra " + HexFormat.of().formatHex(e.getExtra())));
                }
            }
            return out;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** A ustar/posix/gnu tar listing: name to mode, owner, size, mtime and content hash. */
    private static String tarDifferences(byte[] x, byte[] y) {
        Map<String, String> ex = tarEntries(x);
        Map<String, String> ey = tarEntries(y);
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(ex.keySet())) {
            if (!Objects.equals(ex.get(name), ey.get(name))) {
                out.add(name + " [" + ex.get(name) + " vs " + ey.get(name) + "]");
            }
        }
        for (String name : difference(new TreeSet<>(ey.keySet()), new TreeSet<>(ex.keySet()))) {
            out.add(name + " [only in the second]");
        }
        if (out.isEmpty()) {
            return new ArrayList<>(ex.keySet()).equals(new ArrayList<>(ey.keySet())) ? "same entries: the tar headers differ"
                    : "entry order";
        }
        return "tar entries " + out.subList(0, Math.min(out.size(), 10));
    }

    private static Map<String, String> tarEntries(byte[] tar) {
        Map<String, String> out = new LinkedHashMap<>();
        int pos = 0;
        String longName = null;
        while (pos + 512 <= tar.length && tar[pos] != 0) {
            String name = field(tar, pos, 100);
            String prefix = field(tar, pos + 345, 155);
            long size = Long.parseLong(field(tar, pos + 124, 12).trim().isEmpty() ? "0" : field(tar, pos + 124, 12).trim(), 8);
            char type = (char) tar[pos + 156];
            int dataStart = pos + 512;
            byte[] data = Arrays.copyOfRange(tar, dataStart, (int) Math.min(tar.length, dataStart + size));
            if (type == 'L') {
                longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
            } else if (type != 'x' && type != 'g') {
                String full = longName != null ? longName : (prefix.isEmpty() ? name : prefix + "/" + name);
                longName = null;
                out.put(full, "mode " + field(tar, pos + 100, 8).trim() + " owner " + field(tar, pos + 108, 8).trim() + ":"
                        + field(tar, pos + 116, 8).trim() + " size " + size + " mtime " + field(tar, pos + 136, 12).trim()
                        + " type " + type + " sha256 " + hex("SHA-256", data).substring(0, 12));
            }
            pos = dataStart + (int) ((size + 511) / 512 * 512);
        }
        return out;
    }

    private static String field(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** The members of an ar archive (a .deb: debian-binary, control.tar.*, data.tar.*). */
    private static Map<String, byte[]> arMembers(byte[] ar) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int pos = 8; // "!<arch>\n"
        while (pos + 60 <= ar.length) {
            String name = new String(ar, pos, 16, StandardCharsets.US_ASCII).trim();
            int size = Integer.parseInt(new String(ar, pos + 48, 10, StandardCharsets.US_ASCII).trim());
            out.put(name.endsWith("/") ? name.substring(0, name.length() - 1) : name,
                    Arrays.copyOfRange(ar, pos + 60, pos + 60 + size));
            pos += 60 + size + (size % 2);
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static TreeSet<String> difference(TreeSet<String> a, TreeSet<String> b) {
        TreeSet<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Element pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name.equals(e.getLocalName()) || name.equals(e.getTagName()))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim());
    }
}
