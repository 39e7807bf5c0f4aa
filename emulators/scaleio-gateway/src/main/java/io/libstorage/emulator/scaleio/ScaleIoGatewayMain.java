package io.libstorage.emulator.scaleio;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

/**
 * The standalone emulator: {@code java -jar scaleio-gateway-emulator-<version>-all.jar [flags]}. Runs until
 * SIGINT/SIGTERM, then detaches its loop devices and removes its device links. Flags are listed by {@code --help}.
 */
public final class ScaleIoGatewayMain {
    private static final String USAGE = """
            usage: java -jar scaleio-gateway-emulator-all.jar [flags]
               or: java -jar scaleio-gateway-emulator-all.jar sdc --mdm HOST:MDM_PORT --guid GUID
                   (a host's SDC: keeps the MDM connection that makes the SDC Connected; run one per host)

              --port N                    HTTPS port (default 8443; 0 = any free port)
              --bind ADDR                 listen address (default 127.0.0.1)
              --no-tls                    plain HTTP instead of HTTPS with a generated self-signed certificate
              --tls-name NAME             extra DNS name in the certificate (repeatable; localhost is always in)
              --data-dir DIR              volume files, journal, drv_cfg scripts, certificate (default: temp dir, removed on exit)
              --host-root DIR             simulate SDCs without a DEVICE_DIR under DIR/<GUID>/ (dev/disk/by-id, drv_cfg);
                                          default: such SDCs use the real /dev/disk/by-id
              --data-path [loop|fenced]   back volumes with sparse files and mappings with real loop devices (needs root);
                                          fenced: an unmapped host's device fails every I/O with EIO (also needs /dev/fuse);
                                          without a value: loop
              --partition-decoy           also link emc-vol-<sys>-<vol>-part1 for volumes without partitions
              --user NAME                 gateway user (default admin)
              --password-env VAR          read the gateway password from environment variable VAR
              --password-file FILE        read the gateway password from FILE (first line)
                                          (default password: Scaleio123)
              --api-version V             answer of GET /api/version (default 2.0), and the gateway generation it implies:
                                          2.x/3.0-3.5 Basic logins only; 3.6 also answers {} to POST /rest/auth/login;
                                          4.x bearer logins (POST /rest/auth/login, refresh, logout), non-JSON 401s,
                                          queryIdByKey misses as errorCode 79, an NVMe host in the SDC collection
              --access-token-lifetime DUR 4.x access token lifetime (default 5m)
              --version-without-auth      allow GET /api/version without a token (very old clients)
              --idle-timeout DUR          token idle timeout (default 10m; units ms, s, m, h)
              --token-lifetime DUR        token absolute lifetime (default 8h)
              --system NAME[=ID]          system to create (repeatable; default cluster1); later --pool flags attach to it
              --pool PD/POOL              protection domain and storage pool in the last system (repeatable; default pd1/pool1)
              --sdc GUID,IP[,NAME[,DEVICE_DIR]]  SDC (host) to register in the last system (repeatable)
              --mdm-port N                SDC agent (MDM) port (default 0 = any free port; printed at start)
              --heartbeat-timeout DUR     silence after which an agent connection is dropped (default 10s)
              --query-miss-code 3|79      errorCode of a queryIdByKey miss (default 3, "Not found")
              --mapped-elsewhere-code 297|315  errorCode of a second mapping without allowMultipleMappings (default 297)
              --snapshots-per-vtree N     snapshot limit per VTree (default 31)
              --removal-delay DUR         asynchronous volume removal window answering 212 (default 0)
              --restricted-sdc-mode       SDCs must be approved before mapping (errorCode 322)
              --admin-token-env VAR       require Authorization: Bearer <token from VAR> on /admin/
              --help                      this text
            """;

    private ScaleIoGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sdc")) {
            SdcAgent.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        ScaleIoGatewayEmulator.@Nullable Builder builder;
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
        ScaleIoGatewayEmulator emulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "scaleio-emulator-shutdown"));
        System.out.println("ScaleIO gateway emulator listening on " + emulator.endpoint() + "/api");
        System.out.println("MDM (SDC agent) port: " + emulator.mdmPort());
        System.out.println("data dir: " + emulator.dataDir());
        if (emulator.certificate() != null) {
            System.out.println("certificate: " + emulator.dataDir().resolve("tls").resolve("gateway.pem"));
        }
        for (String id : emulator.systemIds()) {
            System.out.println("system id: " + id);
        }
        for (SdcStatus s : emulator.sdcs()) {
            System.out.println("SDC " + s.guid() + " id " + s.sdcId() + " device dir " + s.deviceDir() + " drv_cfg " + s.drvCfg());
        }
        if (!emulator.sdcs().isEmpty() && emulator.mdmPort() > 0) {
            System.out.println("Each SDC stays Disconnected until its host runs (with the host's other processes, so that it dies with them):");
            System.out.println("  java -jar " + ownJar() + " sdc --mdm " + mdmAddress(emulator) + " --guid <GUID>");
        }
        System.out.flush();
        stopped.await();
    }

    private static String ownJar() {
        try {
            Path jar = Path.of(ScaleIoGatewayMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toString().endsWith(".jar") ? jar.toString() : "scaleio-gateway-emulator-all.jar";
        } catch (Exception e) {
            return "scaleio-gateway-emulator-all.jar";
        }
    }

    /** Where hosts reach the MDM port: the gateway's host in its endpoint (the bind address, 127.0.0.1 for a wildcard). */
    private static String mdmAddress(ScaleIoGatewayEmulator emulator) {
        return emulator.endpoint().getHost() + ":" + emulator.mdmPort();
    }

    /** Parses flags into a builder; null when only help was asked for. */
    static ScaleIoGatewayEmulator.@Nullable Builder parse(String[] args, PrintStream out) throws IOException {
        ScaleIoGatewayEmulator.Builder b = ScaleIoGatewayEmulator.builder().port(8443);
        String user = "admin";
        String password = "Scaleio123";
        Duration idle = Duration.ofMinutes(10);
        Duration lifetime = Duration.ofHours(8);
        List<String> tlsNames = new ArrayList<>(List.of("localhost"));
        Map<String, @Nullable String> systems = new LinkedHashMap<>();
        Map<String, List<String[]>> pools = new LinkedHashMap<>();
        Map<String, List<String>> sdcs = new LinkedHashMap<>();
        @Nullable String currentSystem = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return null;
                }
                case "--no-tls" -> b.tls(false);
                case "--data-path" -> {
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        b.dataPath(dataPathKind(args[++i]));
                    } else {
                        b.dataPath(DataPathKind.LOOP);
                    }
                }
                case "--partition-decoy" -> b.partitionDecoy(true);
                case "--version-without-auth" -> b.versionRequiresAuth(false);
                case "--restricted-sdc-mode" -> b.restrictedSdcMode(true);
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown flag or missing value: " + flag);
                    }
                    String v = args[++i];
                    switch (flag) {
                        case "--port" -> b.port(Integer.parseInt(v));
                        case "--bind" -> b.bindHost(v);
                        case "--tls-name" -> tlsNames.add(v);
                        case "--data-dir" -> b.dataDir(Path.of(v));
                        case "--host-root" -> b.hostRoot(Path.of(v));
                        case "--user" -> user = v;
                        case "--password-env" -> {
                            password = System.getenv(v);
                            if (password == null) {
                                throw new IllegalArgumentException("environment variable " + v + " is not set");
                            }
                        }
                        case "--password-file" -> password = Files.readAllLines(Path.of(v)).get(0);
                        case "--api-version" -> b.apiVersion(v);
                        case "--access-token-lifetime" -> b.accessTokenLifetime(duration(v));
                        case "--idle-timeout" -> idle = duration(v);
                        case "--token-lifetime" -> lifetime = duration(v);
                        case "--system" -> {
                            String[] nameId = v.split("=", 2);
                            currentSystem = nameId[0];
                            systems.put(currentSystem, nameId.length > 1 ? nameId[1] : null);
                        }
                        case "--pool" -> {
                            String[] pdPool = v.split("/", 2);
                            if (pdPool.length != 2) {
                                throw new IllegalArgumentException("--pool takes PD/POOL: " + v);
                            }
                            if (currentSystem == null) {
                                currentSystem = "cluster1";
                                systems.put(currentSystem, null);
                            }
                            pools.computeIfAbsent(currentSystem, k -> new ArrayList<>()).add(pdPool);
                        }
                        case "--sdc" -> {
                            if (currentSystem == null) {
                                currentSystem = "cluster1";
                                systems.put(currentSystem, null);
                            }
                            sdcs.computeIfAbsent(currentSystem, k -> new ArrayList<>()).add(v);
                        }
                        case "--mdm-port" -> b.mdmPort(Integer.parseInt(v));
                        case "--heartbeat-timeout" -> b.heartbeatTimeout(duration(v));
                        case "--query-miss-code" -> b.queryMissErrorCode(Integer.parseInt(v));
                        case "--mapped-elsewhere-code" -> b.mappedElsewhereErrorCode(Integer.parseInt(v));
                        case "--snapshots-per-vtree" -> b.snapshotsPerVTree(Integer.parseInt(v));
                        case "--removal-delay" -> b.removalDelay(duration(v));
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
        b.credentials(user, password).tokenExpiry(idle, lifetime).tlsNames(tlsNames, List.of("127.0.0.1", "::1"));
        if (systems.isEmpty()) {
            systems.put("cluster1", null);
        }
        for (Map.Entry<String, @Nullable String> s : systems.entrySet()) {
            SystemSpec spec = SystemSpec.named(s.getKey()).withId(s.getValue());
            Map<String, List<String>> byDomain = new LinkedHashMap<>();
            for (String[] pdPool : pools.getOrDefault(s.getKey(), List.<String[]>of(new String[] {"pd1", "pool1"}))) {
                byDomain.computeIfAbsent(pdPool[0], k -> new ArrayList<>()).add(pdPool[1]);
            }
            for (Map.Entry<String, List<String>> d : byDomain.entrySet()) {
                spec = spec.withProtectionDomain(d.getKey(), d.getValue().toArray(String[]::new));
            }
            b.system(spec);
            for (String sdc : sdcs.getOrDefault(s.getKey(), List.of())) {
                String[] f = sdc.split(",", 4);
                if (f.length < 2) {
                    throw new IllegalArgumentException("--sdc takes GUID,IP[,NAME[,DEVICE_DIR]]: " + sdc);
                }
                SdcSpec spec2 = SdcSpec.of(f[0], f[1]).inSystem(s.getKey());
                if (f.length > 2 && !f[2].isEmpty()) {
                    spec2 = spec2.withName(f[2]);
                }
                if (f.length > 3 && !f[3].isEmpty()) {
                    spec2 = spec2.withDeviceDir(Path.of(f[3]));
                }
                b.sdc(spec2);
            }
        }
        return b;
    }

    private static DataPathKind dataPathKind(String value) {
        return switch (value) {
            case "loop" -> DataPathKind.LOOP;
            case "fenced" -> DataPathKind.FENCED;
            default -> throw new IllegalArgumentException("--data-path takes loop or fenced: " + value);
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 8h}, or ISO-8601 ({@code PT10M}). */
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
            throw new IllegalArgumentException("bad duration '" + s + "' (use 500ms, 30s, 10m, 8h or PT10M)");
        }
    }
}
