package io.libstorage.emulator.vbox;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

/**
 * The standalone emulator: {@code java -jar vboxwebsrv-emulator-<version>-all.jar [flags]}. Prints its endpoint and
 * runs until SIGINT/SIGTERM, then detaches its loop devices, removes its links and deletes the images it created.
 */
public final class VboxWebServiceMain {
    private static final String USAGE = """
            usage: java -jar vboxwebsrv-emulator-all.jar [flags]

              --port N                  TCP port (default 18083, as vboxwebsrv; 0 = any free port)
              --bind ADDR               listen address (default 127.0.0.1; vboxwebsrv -H)
              --data-dir DIR            boot disks, relative media, journal (default: temp dir, removed on exit)
              --data-path               running guests see their disks as real loop devices (needs root)
              --partition-decoy         also link ata-VBOX_HARDDISK_VB…-part1 for disks without partitions
              --user NAME               require this user at logon (default: authentication off, as with
                                        VBoxManage setproperty websrvauthlibrary null)
              --password-env VAR        the password for --user, from environment variable VAR
              --password-file FILE      the password for --user, from FILE (first line)
              --vm SPEC                 a machine (repeatable): NAME[,key=value...] with keys
                                          id=UUID  state=Running|PoweredOff|Aborted|Saved|Paused  chipset=PIIX3|ICH9
                                          mac=080027XXXXXX (repeatable)  controller=NAME:BUS:PORTS (repeatable;
                                          replaces the default SATA:SATA:30)  bootDisk=false  emptyDvd=true
                                          diskIdPath=DIR  scsiHostPath=DIR
              --websession-timeout DUR  idle websessions are logged off (default 300s; vboxwebsrv -t)
              --progress-delay DUR      how long create/delete storage progresses take (default 0)
              --version V               IVirtualBox version (default 7.0.20; API version derived, e.g. 7_0)
              --admin-token-env VAR     require Authorization: Bearer <token from VAR> on /admin/
              --help                    this text

            durations: 500ms, 30s, 10m, 1h or ISO-8601 (PT30S)
            """;

    private VboxWebServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        VboxWebServiceEmulator.@Nullable Builder builder;
        try {
            builder = parse(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(64);
            return;
        }
        if (builder == null) {
            return;
        }
        VboxWebServiceEmulator emulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "vbox-emulator-shutdown"));
        System.out.println("VirtualBox web service emulator listening on " + emulator.endpoint());
        System.out.println("data dir: " + emulator.dataDir());
        for (MachineInfo m : emulator.machines()) {
            System.out.println("machine " + m.name() + " " + m.id() + " " + m.state() + " MACs " + String.join(",", m.macs())
                    + (m.diskIdPath() == null ? "" : " diskIDPath " + m.diskIdPath()));
        }
        System.out.flush();
        stopped.await();
    }

    /** Parses flags into a builder; null when only help was asked for. */
    static VboxWebServiceEmulator.@Nullable Builder parse(String[] args, PrintStream out) throws IOException {
        VboxWebServiceEmulator.Builder b = VboxWebServiceEmulator.builder().port(18083);
        @Nullable String user = null;
        @Nullable String password = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return null;
                }
                case "--data-path" -> b.dataPath(true);
                case "--partition-decoy" -> b.partitionDecoy(true);
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown flag or missing value: " + flag);
                    }
                    String v = args[++i];
                    switch (flag) {
                        case "--port" -> b.port(Integer.parseInt(v));
                        case "--bind" -> b.bindHost(v);
                        case "--data-dir" -> b.dataDir(Path.of(v));
                        case "--user" -> user = v;
                        case "--password-env" -> {
                            password = System.getenv(v);
                            if (password == null) {
                                throw new IllegalArgumentException("environment variable " + v + " is not set");
                            }
                        }
                        case "--password-file" -> password = Files.readAllLines(Path.of(v)).get(0);
                        case "--vm" -> b.machine(machine(v));
                        case "--websession-timeout" -> b.websessionTimeout(duration(v));
                        case "--progress-delay" -> b.progressDelay(duration(v));
                        case "--version" -> b.version(v, apiVersion(v));
                        case "--admin-token-env" -> {
                            String token = System.getenv(v);
                            if (token == null) {
                                throw new IllegalArgumentException("environment variable " + v + " is not set");
                            }
                            b.adminToken(token);
                        }
                        default -> throw new IllegalArgumentException("unknown flag: " + flag);
                    }
                }
            }
        }
        if (user != null) {
            if (password == null) {
                throw new IllegalArgumentException("--user needs --password-env or --password-file");
            }
            b.credentials(user, password);
        } else if (password != null) {
            throw new IllegalArgumentException("a password without --user");
        }
        return b;
    }

    /** {@code NAME[,key=value...]}, see the usage text. */
    static MachineSpec machine(String spec) {
        String[] parts = spec.split(",");
        MachineSpec m = MachineSpec.named(parts[0]);
        List<String> macs = new ArrayList<>();
        List<ControllerSpec> controllers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--vm " + spec + ": '" + parts[i] + "' is not key=value");
            }
            switch (kv[0]) {
                case "id" -> m = m.withId(UUID.fromString(kv[1]));
                case "state" -> m = m.withState(MachineState.parse(kv[1]));
                case "chipset" -> m = m.withChipset(kv[1]);
                case "mac" -> macs.add(kv[1]);
                case "controller" -> {
                    String[] c = kv[1].split(":");
                    if (c.length != 3) {
                        throw new IllegalArgumentException("--vm " + spec + ": controller takes NAME:BUS:PORTS");
                    }
                    controllers.add(new ControllerSpec(c[0], StorageBus.parse(c[1]), Integer.parseInt(c[2])));
                }
                case "bootDisk" -> m = m.withBootDisk(Boolean.parseBoolean(kv[1]));
                case "emptyDvd" -> m = m.withEmptyDvd(Boolean.parseBoolean(kv[1]));
                case "diskIdPath" -> m = m.withDiskIdPath(Path.of(kv[1]));
                case "scsiHostPath" -> m = m.withScsiHostPath(Path.of(kv[1]));
                default -> throw new IllegalArgumentException("--vm " + spec + ": unknown key " + kv[0]);
            }
        }
        if (!macs.isEmpty()) {
            m = m.withMacs(macs.toArray(String[]::new));
        }
        if (!controllers.isEmpty()) {
            m = m.withControllers(controllers.toArray(ControllerSpec[]::new));
        }
        return m;
    }

    /** {@code 7.0.20} to {@code 7_0}. */
    static String apiVersion(String version) {
        String[] p = version.split("\\.");
        if (p.length < 2) {
            throw new IllegalArgumentException("--version takes MAJOR.MINOR[.PATCH]: " + version);
        }
        return p[0] + "_" + p[1];
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    static Duration duration(String s) {
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s);
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("bad duration " + s);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad duration '" + s + "' (use 500ms, 30s, 10m, 1h or PT30S)");
        }
    }
}
