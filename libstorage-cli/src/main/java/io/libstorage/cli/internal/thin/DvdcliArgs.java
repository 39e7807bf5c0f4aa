package io.libstorage.cli.internal.thin;

import io.libstorage.spi.support.Durations;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dvdcli command line the thin client can carry out exactly as the full command would: the verb first,
 * then only {@code --volumedriver}, {@code --volumename}, {@code --volumeopts}, {@code --explicitcreate}
 * ({@code --explicitCreate}), {@code --deadline} and {@code --plugin-dir}, each valid, and a plugin socket
 * file that exists. Anything else (a usage error, help, an unknown flag, a quoted value, no socket) is not
 * one: {@link #parse} answers null and the full command decides.
 *
 * @param verb mount, unmount, path, create, remove, get or list
 * @param driver the plugin name
 * @param name the volume name (null for list)
 * @param opts the {@code --volumeopts}, as the full command reads them
 * @param explicitCreate whether mount must not create a missing volume
 * @param deadlineNanos the deadline of the whole command, in nanoseconds (a number rather than a {@code Duration}:
 *                      {@code java.time.Duration} starts {@code BigInteger} when it is first used, time the
 *                      thin client does not spend unless the deadline was given or has passed)
 * @param socket the plugin socket, {@code <plugin-dir>/<driver>.sock}
 */
record DvdcliArgs(String verb, String driver, String name, Map<String, String> opts, boolean explicitCreate,
                  long deadlineNanos, Path socket) {
    static final String DEADLINE_ENV = "LIBSTORAGE_DVDCLI_DEADLINE";
    static final String PLUGIN_DIR_ENV = "LIBSTORAGE_PLUGIN_DIR";
    /** The full command's {@code DvdcliCommand.DEFAULT_DEADLINE}, 90 s. */
    static final long DEFAULT_DEADLINE_NANOS = 90_000_000_000L;
    static final String DEFAULT_PLUGIN_DIR = "/run/docker/plugins";
    static final Set<String> VERBS = Set.of("mount", "unmount", "path", "create", "remove", "get", "list");

    /** The command line of {@code args} (the verb first), or null when the full command must handle it. */
    static DvdcliArgs parse(String[] args, Map<String, String> env) {
        if (args.length < 2 || !VERBS.contains(args[0]) || !blank(env.get("LIBSTORAGE_LOG_LEVEL"))) {
            return null;
        }
        Map<String, String> single = new LinkedHashMap<>();
        List<String> optItems = new ArrayList<>();
        boolean explicit = false;
        boolean explicitSeen = false;
        for (int k = 1; k < args.length; k++) {
            String a = args[k];
            if (!a.startsWith("--")) {
                return null;
            }
            int eq = a.indexOf('=');
            String flag = eq < 0 ? a : a.substring(0, eq);
            if (flag.equals("--explicitcreate") || flag.equals("--explicitCreate")) {
                if (explicitSeen) {
                    return null;
                }
                explicitSeen = true;
                if (eq < 0) {
                    explicit = true;
                } else if (a.substring(eq + 1).equalsIgnoreCase("true")) {
                    explicit = true;
                } else if (!a.substring(eq + 1).equalsIgnoreCase("false")) {
                    return null;
                }
                continue;
            }
            if (!Set.of("--volumedriver", "--volumename", "--volumeopts", "--deadline", "--plugin-dir").contains(flag)) {
                return null;
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else {
                if (k + 1 >= args.length || args[k + 1].startsWith("-")) {
                    return null;
                }
                value = args[++k];
            }
            if (value.indexOf('"') >= 0 || value.indexOf('\'') >= 0) {
                return null;    // picocli's quote handling decides
            }
            if (flag.equals("--volumeopts")) {
                optItems.addAll(List.of(value.split(",", -1)));
            } else if (single.put(flag, value) != null) {
                return null;
            }
        }
        String driver = single.get("--volumedriver");
        if (!pluginName(driver)) {
            return null;
        }
        String name = single.get("--volumename");
        if (!args[0].equals("list") && blank(name)) {
            return null;
        }
        Map<String, String> opts = volumeOpts(optItems);
        long deadline = deadlineNanos(single.get("--deadline"), env.get(DEADLINE_ENV));
        if (opts == null || deadline <= 0) {
            return null;
        }
        String dir = single.containsKey("--plugin-dir") ? single.get("--plugin-dir")
                : blank(env.get(PLUGIN_DIR_ENV)) ? DEFAULT_PLUGIN_DIR : env.get(PLUGIN_DIR_ENV);
        Path socket;
        try {
            socket = Path.of(dir).resolve(driver + ".sock");
        } catch (InvalidPathException e) {
            return null;
        }
        if (!Files.exists(socket)) {
            return null;
        }
        return new DvdcliArgs(args[0], driver, name, opts, explicit, deadline, socket);
    }

    /** The items as {@code key=value} at the first {@code =}, empty ones ignored; null when one is malformed. */
    private static Map<String, String> volumeOpts(List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            out.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return out;
    }

    /**
     * The deadline as the full command reads it; 0 when it is not a positive one or exceeds about 292 years (the full
     * command then decides).
     */
    private static long deadlineNanos(String flag, String env) {
        String text = flag != null ? flag : blank(env) ? null : env;
        if (text == null) {
            return DEFAULT_DEADLINE_NANOS;
        }
        try {
            Duration d = Durations.parse(text);
            return d.isZero() || d.isNegative() ? 0 : d.toNanos();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The deadline of the whole command. */
    Duration deadline() {
        return Duration.ofNanos(deadlineNanos);
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,63}}, checked without loading the regular expression engine. */
    static boolean pluginName(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean alnum = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alnum && (k == 0 || c != '_' && c != '.' && c != '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
