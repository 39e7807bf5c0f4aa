package io.libstorage.cli.internal.command;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.OutputFormat;
import io.libstorage.core.LibStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code volume ls|inspect|path} of the service's thin clients in their plain forms, run without the parser: the
 * verb, volume names, at most one {@code -o/--output} and at most one {@code -c/--config} (the service has already
 * checked that the file is its own). Building picocli's model was most of each such request (10–25 ms before the
 * service has warmed up, 5 ms after). Anything else (another option, a name that picocli would read as an option or
 * an {@code @file}, a missing or extra name, a format it does not know) is not plain: the caller parses it as the
 * command does, usage errors included. The verbs run exactly as under picocli ({@link VolumeVerb#execute}), with the
 * same error reporting ({@link LibstorageCli#failed}). Stateless.
 */
final class PlainVolumeQuery {
    private static final Set<String> LS = Set.of("ls", "list", "get");
    private static final int NOT_PLAIN = Integer.MIN_VALUE;

    private PlainVolumeQuery() {
    }

    /** The exit status of the verb, or {@link Integer#MIN_VALUE} when {@code args} is not a plain form (nothing ran). */
    static int run(CliEnvironment env, LibStorage storage, String[] args) {
        if (args.length < 2 || !(args[0].equals("volume") || args[0].equals("volumes"))) {
            return NOT_PLAIN;
        }
        List<String> names = new ArrayList<>();
        OutputFormat format = null;
        boolean config = false;
        for (int k = 2; k < args.length; k++) {
            String a = args[k];
            String value;
            if (a.equals("-o") || a.equals("--output") || a.equals("-c") || a.equals("--config")) {
                if (k + 1 >= args.length || plainValue(args[k + 1]) == null) {
                    return NOT_PLAIN;
                }
                value = args[++k];
            } else if (a.startsWith("--output=") || a.startsWith("--config=")) {
                value = plainValue(a.substring(a.indexOf('=') + 1));
                if (value == null) {
                    return NOT_PLAIN;
                }
            } else if (a.isEmpty() || a.startsWith("-") || a.startsWith("@")) {
                return NOT_PLAIN;
            } else {
                names.add(a);
                continue;
            }
            if (a.startsWith("-o") || a.startsWith("--output")) {
                if (format != null || (format = format(value)) == null) {
                    return NOT_PLAIN;
                }
            } else if (config) {
                return NOT_PLAIN;
            } else {
                config = true;
            }
        }
        VolumeVerb verb = verb(args[1], names);
        if (verb == null) {
            return NOT_PLAIN;
        }
        CliContext ctx = CliContext.sharing(env, storage);
        ctx.output(format);
        try {
            return verb.execute(ctx);
        } catch (RuntimeException e) {
            return LibstorageCli.failed(env, ctx, e);
        }
    }

    /** The verb with its names when their number is one the verb takes; null otherwise. */
    private static VolumeVerb verb(String name, List<String> names) {
        if (LS.contains(name)) {
            VolumeLs ls = new VolumeLs();
            ls.names = List.copyOf(names);
            return ls;
        }
        if (name.equals("inspect") && !names.isEmpty()) {
            VolumeInspect inspect = new VolumeInspect();
            inspect.names = List.copyOf(names);
            return inspect;
        }
        if (name.equals("path") && names.size() == 1) {
            VolumePath path = new VolumePath();
            path.name = names.get(0);
            return path;
        }
        return null;
    }

    /** An option's value picocli takes as it is (not empty, not option-like, not an {@code @file}); else null. */
    private static String plainValue(String v) {
        return v.isEmpty() || v.startsWith("-") || v.startsWith("@") ? null : v;
    }

    /** The format as picocli converts it (case-insensitively); null for any other word. */
    private static OutputFormat format(String value) {
        for (OutputFormat f : OutputFormat.values()) {
            if (f.name().equalsIgnoreCase(value)) {
                return f;
            }
        }
        return null;
    }
}
