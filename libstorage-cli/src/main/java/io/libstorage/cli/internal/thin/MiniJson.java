package io.libstorage.cli.internal.thin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the thin client needs: a reader of any JSON text into maps, lists, strings, numbers (as
 * their text), booleans and null, and a writer of maps of strings. Not a general library: no number
 * conversion, no pretty printing. Stateless.
 */
final class MiniJson {
    private final String s;
    private int i;

    private MiniJson(String s) {
        this.s = s;
    }

    /** The value of {@code text}. @throws IllegalArgumentException when it is not one JSON value */
    static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.i != text.length()) {
            throw new IllegalArgumentException("text after the JSON value at " + p.i);
        }
        return v;
    }

    /** The field {@code name} of {@code object} (exact, else ignoring case, as the Docker client reads); null when absent or null. */
    static Object field(Object object, String name) {
        if (!(object instanceof Map<?, ?> m)) {
            return null;
        }
        if (m.containsKey(name)) {
            return m.get(name);
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (name.equalsIgnoreCase(String.valueOf(e.getKey()))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The text of a field as the Docker client's {@code asText()} reads it: "" for null, objects and arrays. */
    static String text(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? String.valueOf(value) : "";
    }

    /** {@code {"k":v,...}} of a map whose values are strings, null, lists or maps of those (compact, in the map's order). */
    static String write(Map<String, ?> object) {
        StringBuilder b = new StringBuilder();
        writeValue(b, object);
        return b.toString();
    }

    private static void writeValue(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                writeString(b, String.valueOf(e.getKey()));
                b.append(':');
                writeValue(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) {
                    b.append(',');
                }
                writeValue(b, l.get(k));
            }
            b.append(']');
        } else {
            writeString(b, String.valueOf(v));
        }
    }

    private static void writeString(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    // ------------------------------------------------------------------ reader

    private Object value(int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException("JSON nested too deeply");
        }
        if (i >= s.length()) {
            throw new IllegalArgumentException("end of text where a value was expected");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw new IllegalArgumentException("a field name was expected at " + i);
            }
            String key = string();
            space();
            expect(':');
            space();
            m.put(key, value(depth + 1));
            space();
            char c = next();
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw new IllegalArgumentException("',' or '}' was expected at " + (i - 1));
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            space();
            l.add(value(depth + 1));
            space();
            char c = next();
            if (c == ']') {
                return l;
            }
            if (c != ',') {
                throw new IllegalArgumentException("',' or ']' was expected at " + (i - 1));
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("a short \\u escape at " + i);
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("a bad escape at " + (i - 1));
                }
            } else if (c < 0x20) {
                throw new IllegalArgumentException("a control character in a string at " + (i - 1));
            } else {
                b.append(c);
            }
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException("'" + word + "' was expected at " + i);
        }
        i += word.length();
        return v;
    }

    private Number number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("a value was expected at " + i);
        }
        String t = s.substring(start, i);
        try {
            return Long.valueOf(t);
        } catch (NumberFormatException notALong) {
            try {
                return Double.valueOf(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a number", e);
            }
        }
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() {
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected end of the JSON text");
        }
        return s.charAt(i++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("'" + c + "' was expected at " + (i - 1));
        }
    }
}
