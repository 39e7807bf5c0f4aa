package io.libstorage.cli.internal.service;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.command.LibstorageCli;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.PluginExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /LibStorage.Cli} of {@code service start}: runs a read-only volume verb ({@code volume ls|inspect|path},
 * as the thin client forwards it) on the service's own library and answers exactly what the command would print:
 * {@code {"Stdout":...,"Stderr":...,"Exit":N}}. Only when the caller's configuration is the service's (the same
 * file, unchanged since the service read it, no {@code --service} override); otherwise, and for any other command
 * line, the answer is {@code {"Fallback":"<why>"}} and the caller runs the command itself. Read-only, thread-safe.
 */
public final class ClientEndpoint implements PluginExtension {
    /** The method name: {@code POST /LibStorage.Cli}. */
    public static final String METHOD = "LibStorage.Cli";
    private static final Set<String> VERBS = Set.of("ls", "list", "get", "inspect", "path");

    private final CliEnvironment env;
    private final LibStorage storage;
    private final String config;
    private final String configStamp;

    private ClientEndpoint(CliEnvironment env, LibStorage storage, String config, String configStamp) {
        this.env = env;
        this.storage = storage;
        this.config = config;
        this.configStamp = configStamp;
    }

    /** The endpoint of the service run by {@code ctx} on {@code storage}; null when the service's configuration came with an override. */
    public static ClientEndpoint of(CliContext ctx, LibStorage storage) {
        if (ctx.serviceOption().isPresent()) {
            return null;
        }
        Path file = ctx.configLocation().path().toAbsolutePath().normalize();
        return new ClientEndpoint(ctx.env(), storage, file.toString(), stamp(file));
    }

    /** What identifies the file's content cheaply: its modification time and size, or {@code missing}. */
    private static String stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public Map<String, Object> answer(Map<String, Object> request) {
        Object args = request.get("Args");
        if (!config.equals(request.get("Config"))) {
            return Map.of("Fallback", "the service reads another configuration file (" + config + ")");
        }
        if (!configStamp.equals(stamp(Path.of(config)))) {
            return Map.of("Fallback", "the configuration file changed since the service started");
        }
        if (!(args instanceof List<?> list) || list.size() < 2 || !list.stream().allMatch(String.class::isInstance)
                || !Set.of("volume", "volumes").contains(list.get(0)) || !VERBS.contains(list.get(1))) {
            return Map.of("Fallback", "not a read-only volume verb");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment captured = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env.variables(), false, "libstorage", action -> { }, env.drivers());
        int exit = LibstorageCli.runSharing(captured, storage, list.toArray(String[]::new));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Stdout", out.toString(StandardCharsets.UTF_8));
        answer.put("Stderr", err.toString(StandardCharsets.UTF_8));
        answer.put("Exit", exit);
        answer.put("Err", "");
        return answer;
    }
}
