package io.libstorage.core.internal.config;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a YAML configuration into nested maps (scalars as text, {@code true}/{@code false} as booleans,
 * {@code null}/{@code ~}/nothing as null, lists as lists). A key given twice, in any case or as two
 * spellings of one dotted key ({@code os.driver} and {@code os: {driver}}), is an error naming it and both
 * lines. Errors name the file and a position and never quote the file's text (a line may hold a
 * password); aliases, nesting and size are bounded. Stateless.
 */
public final class YamlReader {
    static final int MAX_FILE_BYTES = 1024 * 1024;
    static final int MAX_DEPTH = 50;
    static final int MAX_ALIASES = 50;
    static final int MAX_VALUES = 10_000;
    private static final ErrorContext CONTEXT = ErrorContext.of("load configuration");

    private YamlReader() {
    }

    public static Map<String, Object> readFile(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw InvalidConfigurationException.ofFile(CONTEXT, source, "is a directory, not a file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw InvalidConfigurationException.ofFile(CONTEXT, source, "is larger than 1MiB: not a configuration file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw InvalidConfigurationException.ofFile(CONTEXT, source, "does not exist");
        } catch (AccessDeniedException e) {
            throw InvalidConfigurationException.ofFile(CONTEXT, source, "cannot be read: permission denied");
        } catch (FileSystemException e) {
            throw InvalidConfigurationException.ofFile(CONTEXT, source, "cannot be read" + (e.getReason() == null ? "" : ": " + e.getReason()));
        } catch (IOException e) {
            throw InvalidConfigurationException.ofFile(CONTEXT, source, "cannot be read (an I/O error)");
        }
        return readString(utf8(bytes, source), source);
    }

    private static String utf8(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw InvalidConfigurationException.ofFile(CONTEXT, source, "is not UTF-8 text: an invalid byte at line " + line
                    + ", column " + (at - lineStart + 1));
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    public static Map<String, Object> readString(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setAllowRecursiveKeys(false);
        try {
            Iterator<Node> documents = new Yaml(options).composeAll(new StringReader(yaml)).iterator();
            Node root = documents.hasNext() ? documents.next() : null;
            if (documents.hasNext()) {
                Node second = documents.next();
                throw InvalidConfigurationException.ofFile(CONTEXT, source, "holds several YAML documents"
                        + (second == null ? "" : " (another one at line " + (second.getStartMark().getLine() + 1) + ")")
                        + "; a configuration is one document");
            }
            if (root == null || root instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
                return new LinkedHashMap<>();
            }
            if (!(root instanceof MappingNode mapping)) {
                throw InvalidConfigurationException.ofFile(CONTEXT, source, "must be a map of sections (libstorage:, scaleio:, ...), not "
                        + (root instanceof SequenceNode ? "a list" : "a single value"));
            }
            return new Tree(source).read(mapping);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw syntax(source, mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1),
                    MarkedProblems.describe(e.getProblem(), e.getContext()));
        } catch (ReaderException e) {
            throw syntax(source, " at line " + lineOf(yaml, e.getPosition()), "a character YAML does not allow (a control character or binary data)");
        } catch (YAMLException e) {
            throw syntax(source, "", MarkedProblems.describeLimit(e.getMessage()));
        } catch (StackOverflowError e) {
            throw syntax(source, "", "nested too deeply");
        }
    }

    private static InvalidConfigurationException syntax(String source, String where, String problem) {
        return InvalidConfigurationException.ofFile(CONTEXT, source, "is not valid YAML" + where + ": " + problem);
    }

    private static int lineOf(String text, int codePointIndex) {
        int end = text.offsetByCodePoints(0, Math.min(Math.max(codePointIndex, 0), text.codePointCount(0, text.length())));
        return (int) text.substring(0, end).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Builds the maps of one document, remembering where each full key was first given. */
    private static final class Tree {
        private final String source;
        private final Map<String, Integer> lineOfKey = new HashMap<>();
        private final List<InvalidConfigurationException> repeated = new ArrayList<>();
        private int values;

        Tree(String source) {
            this.source = source;
        }

        Map<String, Object> read(MappingNode root) {
            Map<String, Object> tree = map(root, "", 0);
            if (!repeated.isEmpty()) {
                throw InvalidConfigurationException.combine(repeated);
            }
            return tree;
        }

        Map<String, Object> map(MappingNode node, String path, int depth) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : node.getValue()) {
                int line = t.getKeyNode().getStartMark().getLine() + 1;
                if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                    throw fileError("a key at line " + line + " is a list or a section; keys are names");
                }
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    throw fileError("the merge key '<<' at line " + line + " is not supported; write the keys out");
                }
                String key = keyNode.getValue();
                String full = path.isEmpty() ? key : path + "." + key;
                Integer first = lineOfKey.putIfAbsent(full.toLowerCase(Locale.ROOT), line);
                if (first != null) {
                    repeated.add(new InvalidConfigurationException(CONTEXT, full, "given twice, at line " + first + " and line " + line
                            + " of " + source + " (keys are case-insensitive; a dotted key names the same place as nested ones)"));
                }
                out.put(key, value(t.getValueNode(), full, depth + 1));
            }
            return out;
        }

        private Object value(Node node, String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw fileError("nested more than " + MAX_DEPTH + " levels deep at line " + (node.getStartMark().getLine() + 1)
                        + " (or an alias refers to its own anchor)");
            }
            if (++values > MAX_VALUES) {
                throw fileError("holds more than " + MAX_VALUES + " values once its aliases are expanded");
            }
            if (node instanceof MappingNode m) {
                return map(m, path, depth);
            }
            if (node instanceof SequenceNode q) {
                List<Object> list = new ArrayList<>();
                List<Node> items = q.getValue();
                for (int i = 0; i < items.size(); i++) {
                    list.add(value(items.get(i), path + "[" + i + "]", depth + 1));
                }
                return list;
            }
            ScalarNode s = (ScalarNode) node;
            if (s.getTag().equals(Tag.NULL)) {
                return null;
            }
            if (s.getTag().equals(Tag.BOOL) && (s.getValue().equalsIgnoreCase("true") || s.getValue().equalsIgnoreCase("false"))) {
                return Boolean.valueOf(s.getValue().toLowerCase(Locale.ROOT));
            }
            return s.getValue();
        }

        private InvalidConfigurationException fileError(String problem) {
            return InvalidConfigurationException.ofFile(CONTEXT, source, problem);
        }
    }
}
