package io.libstorage.cli.internal.thin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dvdcli verbs through a running plugin's socket, with the calls, results and errors of the full
 * command's socket back end (Activate; mount = Get, Create if missing unless explicit create, Mount without
 * ID; path = Get's Mountpoint, else Path; ...). When anything goes wrong before a request that changes
 * something was sent (the socket does not answer, Activate is refused, a read-only call breaks), the
 * answer is {@link FallBack}: nothing happened, the full command may do it again its own way. Not thread-safe.
 */
final class ThinDvdcli {
    private final DvdcliArgs args;
    private final PluginSocket socket;
    private final String backend;
    private boolean mutationSent;
    private volatile boolean activated;
    private volatile long activatedAt;

    /** Nothing was changed and the full command should run instead. */
    static final class FallBack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FallBack(String why) {
            super(why, null, false, false);
        }
    }

    ThinDvdcli(DvdcliArgs args) {
        this.args = args;
        this.socket = new PluginSocket(args.socket());
        Path abs = args.socket().toAbsolutePath();
        this.backend = "docker-plugin:" + abs;
    }

    /** Carries out the verb and returns the lines of standard output. */
    List<String> run() {
        activate();
        String name = args.name();
        return switch (args.verb()) {
            case "mount" -> {
                if (!exists("get", name)) {
                    if (args.explicitCreate()) {
                        throw ThinErrors.notFound("mount", name, backend,
                                "volume does not exist and --explicitcreate forbids creating it");
                    }
                    create(name);
                }
                yield List.of(mount(name));
            }
            case "unmount" -> {
                mutationSent = true;
                call("/VolumeDriver.Unmount", "unmount", name, MiniJson.write(Map.of("Name", name)), false);
                yield List.of();
            }
            case "path" -> {
                Map<?, ?> v = get("get", name);
                if (v == null) {
                    throw ThinErrors.notFound("path", name, backend, "no volume has this name");
                }
                String mp = MiniJson.text(MiniJson.field(v, "Mountpoint"));
                if (mp.isEmpty()) {
                    mp = MiniJson.text(MiniJson.field(call("/VolumeDriver.Path", "path", name,
                            MiniJson.write(Map.of("Name", name)), false), "Mountpoint"));
                }
                yield mp.isEmpty() ? List.of() : List.of(mp);
            }
            case "create" -> {
                create(name);
                yield List.of();
            }
            case "remove" -> {
                mutationSent = true;
                call("/VolumeDriver.Remove", "remove", name, MiniJson.write(Map.of("Name", name)), false);
                yield List.of();
            }
            case "get" -> {
                if (!exists("get", name)) {
                    throw ThinErrors.notFound("get", name, backend, "no volume has this name");
                }
                yield List.of(name);
            }
            case "list" -> {
                Object vs = MiniJson.field(call("/VolumeDriver.List", "list", null, "{}", false), "Volumes");
                List<String> names = new ArrayList<>();
                if (vs instanceof List<?> l) {
                    for (Object v : l) {
                        names.add(MiniJson.text(MiniJson.field(v, "Name")));
                    }
                }
                yield names;
            }
            default -> throw new FallBack("not a thin verb: " + args.verb());
        };
    }

    private void activate() {
        PluginSocket.Response r;
        try {
            r = socket.post("/Plugin.Activate", null);
        } catch (IOException e) {
            throw new FallBack("the plugin socket does not answer: " + e.getMessage());
        }
        Object json = json(r.body());
        Object impl = r.status() == 200 ? MiniJson.field(json, "Implements") : null;
        if (!(impl instanceof List<?> l) || !l.contains("VolumeDriver") || !MiniJson.text(MiniJson.field(json, "Err")).isEmpty()) {
            throw new FallBack("the plugin's Activate answer is not the usual one");
        }
        activatedAt = System.nanoTime();
        activated = true;
    }

    private boolean exists(String operation, String name) {
        return get(operation, name) != null;
    }

    /** Get's volume; null when the plugin has none of this name. */
    private Map<?, ?> get(String operation, String name) {
        Object r = call("/VolumeDriver.Get", operation, name, MiniJson.write(Map.of("Name", name)), true);
        return MiniJson.field(r, "Volume") instanceof Map<?, ?> v ? v : null;
    }

    private void create(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        body.put("Opts", args.opts());
        mutationSent = true;
        call("/VolumeDriver.Create", "create", name, MiniJson.write(body), false);
    }

    private String mount(String name) {
        mutationSent = true;
        String mp = MiniJson.text(MiniJson.field(call("/VolumeDriver.Mount", "mount", name,
                MiniJson.write(Map.of("Name", name)), false), "Mountpoint"));
        if (mp.isEmpty()) {
            throw ThinErrors.failed("mount", name, backend, "the plugin answered the mount without a Mountpoint");
        }
        return mp;
    }

    /**
     * The answer's JSON of a successful call; the plugin's error as the Docker plugin client maps it, except that with
     * {@code notFoundIsNull} an error coded {@code VOLUME_NOT_FOUND} answers null.
     */
    private Object call(String path, String operation, String volume, String body, boolean notFoundIsNull) {
        PluginSocket.Response r;
        try {
            r = socket.post(path, body);
        } catch (IOException e) {
            if (!mutationSent) {
                throw new FallBack("the plugin socket broke before anything was changed: " + e.getMessage());
            }
            throw ThinErrors.unreachable(operation, volume, backend, "cannot reach the plugin at "
                    + args.socket().toAbsolutePath() + " during " + path.substring(1) + ": " + e.getMessage(), e);
        }
        Object json = json(r.body());
        String err = MiniJson.text(MiniJson.field(json, "Err"));
        if (r.status() == 200 && err.isEmpty()) {
            return json;
        }
        if (err.isEmpty()) {
            String raw = r.body().strip();
            err = "HTTP " + r.status() + (raw.isEmpty() ? " with an empty body" : ": " + raw);
        }
        String code = MiniJson.text(MiniJson.field(json, "Code"));
        if (notFoundIsNull && code.equals("VOLUME_NOT_FOUND")) {
            return null;
        }
        throw ThinErrors.fromPlugin(operation, volume, backend, code, err);
    }

    private static Object json(String body) {
        try {
            return MiniJson.parse(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The timeout error of the full command at the instant {@code deadlineAt} ({@link System#nanoTime()}): its context
     * names the socket only when Activate had been answered by then, else the driver, as the full command's does (the
     * caller learns of the deadline a little later, and Activate may have been answered in between).
     */
    RuntimeException timeout(String driver, long deadlineAt) {
        String op = args.verb();
        boolean answered = activated && activatedAt - deadlineAt <= 0;
        return ThinErrors.timeout(op, args.name(), answered ? backend : driver,
                "dvdcli " + op + " (deadline set by --deadline or " + DvdcliArgs.DEADLINE_ENV + ")", args.deadline());
    }
}
