package io.libstorage.cli.internal.thin;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.internal.ConfigLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code libstorage volume ls|inspect|path} through a running {@code service start}: the command line goes to the
 * service's {@code POST /LibStorage.Cli} ({@code <plugin-dir>/libstorage.sock}, the service's default name; the
 * plugin directory is {@code $LIBSTORAGE_PLUGIN_DIR}, else {@code /run/docker/plugins}), which runs the same verb on
 * its own library when it reads the same configuration file, and answers the bytes to print and the exit status.
 * Only names and {@code -o/--output}, {@code -c/--config} are forwarded; anything else, or a service that is not
 * there, answers another way, reads another configuration or breaks, means the full command runs (these verbs
 * change nothing, so that is always safe).
 */
final class ThinVolume {
    private static final Set<String> VERBS = Set.of("ls", "list", "get", "inspect", "path");
    private static final Set<String> FORMATS = Set.of("table", "json", "yaml");

    private ThinVolume() {
    }

    /** The exit status, or {@link ThinClient#FALL_BACK}. */
    static int run(CliEnvironment env, String[] args) {
        if (args.length < 2 || !(args[0].equals("volume") || args[0].equals("volumes")) || !VERBS.contains(args[1])
                || !blank(env.variables().get("LIBSTORAGE_LOG_LEVEL"))) {
            return ThinClient.FALL_BACK;
        }
        String configOption = null;
        for (int k = 2; k < args.length; k++) {
            String a = args[k];
            if (!a.startsWith("-")) {
                continue;   // a volume name
            }
            String value;
            String flag;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                flag = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                flag = a;
                if (k + 1 >= args.length || args[k + 1].startsWith("-")) {
                    return ThinClient.FALL_BACK;
                }
                value = args[++k];
            }
            if (flag.equals("-o") || flag.equals("--output")) {
                if (!FORMATS.contains(value.toLowerCase(Locale.ROOT))) {
                    return ThinClient.FALL_BACK;
                }
            } else if ((flag.equals("-c") || flag.equals("--config")) && configOption == null) {
                configOption = value;
            } else {
                return ThinClient.FALL_BACK;
            }
        }
        Path config;
        Path socket;
        try {
            config = ConfigLocation.resolve(configOption == null ? null : Path.of(configOption), env.variables())
                    .path().toAbsolutePath().normalize();
            String dir = env.variables().get(DvdcliArgs.PLUGIN_DIR_ENV);
            socket = Path.of(blank(dir) ? DvdcliArgs.DEFAULT_PLUGIN_DIR : dir).resolve("libstorage.sock");
        } catch (InvalidPathException e) {
            return ThinClient.FALL_BACK;
        }
        if (!Files.isRegularFile(config) || !Files.exists(socket)) {
            return ThinClient.FALL_BACK;
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("Args", List.of(args));
        request.put("Config", config.toString());
        PluginSocket.Response r;
        try {
            r = new PluginSocket(socket).post("/LibStorage.Cli", MiniJson.write(request));
        } catch (IOException e) {
            return ThinClient.FALL_BACK;
        }
        Object json;
        try {
            json = MiniJson.parse(r.body());
        } catch (IllegalArgumentException e) {
            return ThinClient.FALL_BACK;
        }
        Object out = MiniJson.field(json, "Stdout");
        Object err = MiniJson.field(json, "Stderr");
        Object exit = MiniJson.field(json, "Exit");
        if (r.status() != 200 || MiniJson.field(json, "Fallback") != null || !(out instanceof String o)
                || !(err instanceof String e) || !(exit instanceof Long status)) {
            return ThinClient.FALL_BACK;
        }
        env.out().print(o);
        env.out().flush();
        env.err().print(e);
        env.err().flush();
        return status.intValue();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
