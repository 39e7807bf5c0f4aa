package io.libstorage.core.internal.config;

import java.util.Locale;

/**
 * What a YAML parser's problem means, in words of our own: the parser's text may quote the file (a
 * character, an alias name, a piece of a line that holds a password), so it is only matched, never shown.
 */
final class MarkedProblems {
    private MarkedProblems() {
    }

    /** A syntax problem, from the parser's problem and context texts. */
    static String describe(String problem, String context) {
        String p = lower(problem);
        String c = lower(context);
        if (p.contains("(tab)")) {
            return "a tab character (YAML indents with spaces)";
        }
        if (p.contains("mapping values are not allowed")) {
            return "a ': ' inside a value (quote a value that contains ': ', or check the indentation)";
        }
        if (p.contains("end of stream") && c.contains("quoted")) {
            return "a quoted value is not closed";
        }
        if (c.contains("flow sequence") || c.contains("flow mapping") || p.contains("expected ',' or")) {
            return "a '[' or '{' is not closed";
        }
        if (p.contains("found ']'") || p.contains("found '}'")) {
            return "a ']' or '}' without its opening bracket";
        }
        if (p.contains("could not find expected ':'")) {
            return "a key without ':', or a value that continues on the next line without quotes";
        }
        if (p.contains("<block end>") || c.contains("block mapping") || c.contains("block collection")) {
            return "the indentation does not match the lines above";
        }
        if (p.contains("undefined alias")) {
            return "an alias (*name) without its anchor (&name)";
        }
        if (p.contains("escape")) {
            return "an unknown escape (\\) in a double-quoted value; single quotes take backslashes as they are";
        }
        if (p.contains("tag")) {
            return "a tag (!name) that a configuration cannot use";
        }
        if (p.contains("anchor") || p.contains("alias") || c.contains("anchor") || c.contains("alias")) {
            return "a malformed anchor (&name) or alias (*name)";
        }
        if (p.contains("cannot start any token")) {
            return "a character that cannot start a value (quote the value)";
        }
        return "a YAML syntax error";
    }

    /** A limit the parser enforces, from its message. */
    static String describeLimit(String message) {
        String m = lower(message);
        if (m.contains("aliases")) {
            return "more than " + YamlReader.MAX_ALIASES + " aliases (*name) of lists or sections";
        }
        if (m.contains("nesting depth")) {
            return "nested more than " + YamlReader.MAX_DEPTH + " levels deep";
        }
        if (m.contains("exceeds the limit")) {
            return "larger than 1MiB: not a configuration file";
        }
        if (m.contains("recursive")) {
            return "an alias refers to its own anchor";
        }
        return "a YAML syntax error";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
