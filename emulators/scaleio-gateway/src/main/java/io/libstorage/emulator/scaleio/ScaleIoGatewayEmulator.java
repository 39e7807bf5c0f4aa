package io.libstorage.emulator.scaleio;

import io.libstorage.emulator.scaleio.internal.Connectivity;
import io.libstorage.emulator.scaleio.internal.EmulatorCore;
import io.libstorage.emulator.scaleio.internal.Gateway;
import io.libstorage.emulator.scaleio.internal.HttpFrontEnd;
import io.libstorage.emulator.scaleio.internal.Model;
import io.libstorage.emulator.scaleio.internal.TokenStore;
import io.libstorage.emulator.scaleio.internal.host.DataPath;
import io.libstorage.emulator.scaleio.internal.host.LoopDataPath;
import io.libstorage.emulator.scaleio.internal.host.MdmServer;
import io.libstorage.emulator.scaleio.internal.host.SelfSignedCertificate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An embeddable, protocol-faithful ScaleIO REST gateway (plus its MDM's SDC port) for tests and benchmarks.
 *
 * <pre>{@code
 * try (ScaleIoGatewayEmulator gw = ScaleIoGatewayEmulator.builder()
 *         .credentials("admin", "Password1")
 *         .sdc(SdcSpec.of("7E012974-3651-4DCB-9954-25975A3C3CDF", "10.0.0.5").withDeviceDir(hostA.resolve("by-id")))
 *         .start()) {
 *     HttpClient client = HttpClient.newBuilder().sslContext(gw.sslContext()).build();
 *     // GET gw.endpoint() + "/api/login" with Basic admin:Password1 ...
 * }
 * }</pre>
 *
 * The data path (sparse files and real loop devices, needs root) is off unless {@link Builder#dataPath(DataPathKind)}
 * turns it on: {@link DataPathKind#LOOP} or {@link DataPathKind#FENCED} (unmapped hosts get I/O errors).
 * {@link #close()} detaches every loop device and removes every link the emulator created.
 */
public final class ScaleIoGatewayEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleIoGatewayEmulator.class);

    private final Builder config;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private EmulatorCore core;
    private @Nullable MdmServer mdm;
    private @Nullable HttpFrontEnd http;
    private @Nullable SelfSignedCertificate tls;
    private volatile boolean closed;

    private ScaleIoGatewayEmulator(Builder config) throws IOException {
        this.config = config;
        this.ownsDataDir = config.dataDir == null;
        this.dataDir = ownsDataDir ? Files.createTempDirectory("scaleio-emulator-") : Files.createDirectories(config.dataDir);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void start() throws IOException {
        DataPath dataPath = DataPath.none();
        try {
            Connectivity connectivity = new Connectivity(config.clock);
            dataPath = switch (config.dataPath) {
                case NONE -> DataPath.none();
                case LOOP -> new LoopDataPath(dataDir, config.partitionDecoy, false);
                case FENCED -> new LoopDataPath(dataDir, config.partitionDecoy, true);
            };
            InetAddress bind = InetAddress.getByName(config.bindHost);
            Gateway[] gatewayRef = new Gateway[1];
            if (config.mdmEnabled) {
                mdm = new MdmServer(bind, config.mdmPort, config.heartbeatTimeout,
                        guid -> gatewayRef[0] != null && gatewayRef[0].sdcs().knowsGuid(guid), connectivity::connected, connectivity::disconnected);
            }
            String mdmIp = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
            ApiMode mode = ApiMode.of(config.apiVersion);
            int queryMissErrorCode = config.queryMissErrorCode != null ? config.queryMissErrorCode : mode == ApiMode.V4 ? 79 : 3;
            Gateway gateway = new Gateway(new Gateway.Options(queryMissErrorCode, config.mappedElsewhereErrorCode,
                    config.snapshotsPerVTree, config.removalDelay, config.restrictedSdcMode, config.maxVolumeSizeKb,
                    config.poolCapacityKb, List.of(mdmIp), mdm == null ? 0 : mdm.port(), dataDir.resolve("sdc"), config.hostRoot),
                    config.clock, dataPath, connectivity);
            gatewayRef[0] = gateway;
            resources.add(gateway);
            for (SystemSpec s : config.systems.isEmpty() ? List.of(SystemSpec.defaultSystem()) : config.systems) {
                gateway.topology().addSystem(s);
            }
            String versionName = config.systemVersionName != null ? config.systemVersionName
                    : mode == ApiMode.V4 ? "DellEMC PowerFlex Version: R4_5.0.0" : mode == ApiMode.V3_6 ? "DellEMC PowerFlex Version: R3_6.0.0"
                    : "EMC ScaleIO Version: R2_0.6035.0";
            core = new EmulatorCore(gateway, new TokenStore(config.clock, config.idleTimeout, config.tokenLifetime, config.accessTokenLifetime),
                    config.clock, config.userName, config.password, config.apiVersion, config.versionRequiresAuth, versionName,
                    config.requestLogCapacity);
            core.nonJsonUnauthorized(mode == ApiMode.V4); // lxd: a 4.x 401 is not JSON
            if (mdm != null) {
                core.mdmServer(mdm);
            }
            for (SdcSpec sdc : config.sdcs) {
                core.registerSdc(sdc);
            }
            if (config.tls) {
                tls = SelfSignedCertificate.forNames(config.tlsHostnames, config.tlsIps);
                Files.writeString(Files.createDirectories(dataDir.resolve("tls")).resolve("gateway.pem"), tls.pem());
            }
            http = new HttpFrontEnd(core, config.bindHost, config.port, tls, config.adminToken, this::status);
        } catch (IOException | RuntimeException e) {
            closeAfterFailedStart(dataPath);
            throw e;
        } catch (Exception e) {
            closeAfterFailedStart(dataPath);
            throw new IOException("cannot start the ScaleIO gateway emulator: " + e.getMessage(), e);
        }
    }

    /** The gateway closes the data path once it exists; before that, a mounted FUSE server must not outlive a failed start. */
    private void closeAfterFailedStart(DataPath dataPath) {
        if (resources.isEmpty()) {
            dataPath.close();
        }
        close();
    }

    // ------------------------------------------------------------------ where it is

    /** The gateway base URL, {@code https://127.0.0.1:<port>} (clients append {@code /api/...}). */
    public URI endpoint() {
        return URI.create((tls != null ? "https" : "http") + "://" + hostForUri() + ":" + http.port());
    }

    private String hostForUri() {
        String h = config.bindHost.equals("0.0.0.0") ? "127.0.0.1" : config.bindHost;
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public int port() {
        return http.port();
    }

    /** The MDM (SDC agent) port, or -1 when disabled. */
    public int mdmPort() {
        return mdm == null ? -1 : mdm.port();
    }

    /** The server certificate (self-signed, SAN localhost/127.0.0.1 by default), or null when TLS is off. */
    public @Nullable X509Certificate certificate() {
        return tls == null ? null : tls.certificate();
    }

    /** The server certificate in PEM form, or null when TLS is off. */
    public @Nullable String certificatePem() {
        return tls == null ? null : tls.pem();
    }

    /** An SSL context that trusts exactly this emulator's certificate (no "insecure" mode needed). */
    public SSLContext sslContext() {
        Objects.requireNonNull(tls, "TLS is off");
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("scaleio-gateway-emulator", tls.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSL context for the emulator certificate", e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The ids of the systems, in seeding order. */
    public List<String> systemIds() {
        return core.gateway().topology().systems().stream().map(Model.SystemRec::id).toList();
    }

    /** The id of the first system. */
    public String systemId() {
        return systemIds().get(0);
    }

    // ------------------------------------------------------------------ auth

    /** A gateway restart: every token becomes invalid (volumes, mappings and SDCs stay, as they live in the MDM). */
    public void restart() {
        core.tokens().invalidateAll();
    }

    /** How many login sessions are live now (a Basic token, or a bearer session with its access and refresh tokens). */
    public int activeTokens() {
        return core.tokens().active();
    }

    /** The generation this emulator behaves as, from its API version. */
    public ApiMode apiMode() {
        return ApiMode.of(config.apiVersion);
    }

    /** The last 1,000 tokens this gateway issued, valid or not, oldest first: for tests that check a client never reveals one. */
    public List<String> issuedTokens() {
        return core.tokens().issued();
    }

    /** Answer 401s with a non-JSON body, as some PowerFlex 4.x gateways do. */
    public void setNonJsonUnauthorized(boolean nonJson) {
        core.nonJsonUnauthorized(nonJson);
    }

    // ------------------------------------------------------------------ faults

    /** Adds a fault rule and returns its id. */
    public String addFault(FaultRule rule) {
        return core.faults().add(rule);
    }

    public boolean removeFault(String id) {
        return core.faults().remove(id);
    }

    public void clearFaults() {
        core.faults().clear();
    }

    /** The active rules by id, each with its remaining number of uses. */
    public Map<String, FaultRule> faults() {
        return core.faults().list();
    }

    /** Fails the next {@code n} calls whose path matches with a gateway error body. */
    public String failNext(int n, String pathPattern, int httpStatus, int errorCode, String message) {
        return addFault(FaultRule.error(pathPattern, httpStatus, errorCode, message).withTimes(n));
    }

    /** Delays every {@code removeMappedSdc} by {@code latency} until the returned rule is removed. */
    public String slowUnmap(Duration latency) {
        return addFault(FaultRule.latency("/action/removeMappedSdc$", latency));
    }

    /** The next {@code n} {@code removeMappedSdc} calls answer 200 but leave the mapping in place. */
    public String loseNextUnmaps(int n) {
        return addFault(FaultRule.lose("/action/removeMappedSdc$").withTimes(n));
    }

    /** "MDM unreachable": every call that needs the MDM (all but version/logout) fails with 500. */
    public void setMdmReachable(boolean reachable) {
        core.mdmReachable(reachable);
    }

    // ------------------------------------------------------------------ request log

    /** The recorded gateway calls (the most recent ones, up to the log capacity). */
    public List<RequestRecord> requests() {
        return core.requestLog().records();
    }

    /** Calls per endpoint key ({@code "GET /api/instances/Volume::{id}"}) since the last reset. */
    public Map<String, Long> requestCounts() {
        return core.requestLog().counts();
    }

    /** All gateway calls since the last reset. */
    public long requestCount() {
        return core.requestLog().total();
    }

    /** Calls to one endpoint key since the last reset. */
    public long requestCount(String endpointKey) {
        return core.requestLog().counts().getOrDefault(endpointKey, 0L);
    }

    public void resetRequestLog() {
        core.requestLog().reset();
    }

    // ------------------------------------------------------------------ SDCs

    /** Registers an SDC (a simulated host) at run time. */
    public SdcStatus registerSdc(SdcSpec spec) {
        return core.registerSdc(spec);
    }

    public List<SdcStatus> sdcs() {
        return core.sdcStatuses();
    }

    /** The SDC with this GUID in the first system that knows it. */
    public SdcStatus sdc(String guid) {
        return core.sdcStatuses().stream().filter(s -> s.guid().equalsIgnoreCase(guid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown SDC GUID " + guid));
    }

    /** Forces {@code mdmConnectionState} of a host regardless of its agent connection. */
    public void setSdcState(String guid, SdcState state) {
        core.overrideSdcState(guid, Objects.requireNonNull(state, "state"));
    }

    /** Lets the agent connection decide the state again. */
    public void clearSdcStateOverride(String guid) {
        core.overrideSdcState(guid, null);
    }

    /** Closes every agent connection (they show Disconnected until they reconnect). */
    public void dropSdcConnections() {
        core.dropSdcConnections();
    }

    /** The loop device a volume is attached as on an SDC's host (data path on), or null. */
    public @Nullable Path attachedDevice(String volumeId, String sdcId) {
        return core.gateway().device(volumeId.toLowerCase(Locale.ROOT), sdcId.toLowerCase(Locale.ROOT));
    }

    private Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint().toString());
        m.put("mdmPort", mdmPort());
        m.put("tls", tls != null);
        m.put("dataPath", config.dataPath != DataPathKind.NONE);
        m.put("dataPathKind", config.dataPath.name().toLowerCase(Locale.ROOT));
        m.put("dataDir", dataDir.toString());
        m.put("apiVersion", config.apiVersion);
        m.put("mdmReachable", core.mdmReachable());
        m.put("activeTokens", core.tokens().active());
        List<Object> systems = new ArrayList<>();
        for (Model.SystemRec s : core.gateway().topology().systems()) {
            Map<String, Object> system = new LinkedHashMap<>();
            system.put("id", s.id());
            system.put("name", s.name()); // null for an unnamed system
            systems.add(system);
        }
        m.put("systems", systems);
        return m;
    }

    /** Stops the servers, detaches every loop device and removes every device link this emulator created. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            try {
                http.close();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP server failed: {}", e.getMessage());
            }
        }
        if (mdm != null) {
            mdm.close();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", r, e.getMessage());
            }
        }
        if (ownsDataDir) {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ScaleIoGatewayEmulator[" + (http == null ? "not started" : endpoint()) + "]";
    }

    /** Configuration; every setting has a default that matches a ScaleIO 2.0 gateway. */
    public static final class Builder {
        private String userName = "admin";
        private String password = "Scaleio123";
        private String bindHost = "127.0.0.1";
        private int port;
        private boolean tls = true;
        private List<String> tlsHostnames = List.of("localhost");
        private List<String> tlsIps = List.of("127.0.0.1", "::1");
        private @Nullable Path dataDir;
        private @Nullable Path hostRoot;
        private DataPathKind dataPath = DataPathKind.NONE;
        private boolean partitionDecoy;
        private String apiVersion = "2.0";
        private boolean versionRequiresAuth = true;
        private @Nullable String systemVersionName;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration tokenLifetime = Duration.ofHours(8);
        private Duration accessTokenLifetime = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private final List<SystemSpec> systems = new ArrayList<>();
        private final List<SdcSpec> sdcs = new ArrayList<>();
        private boolean mdmEnabled = true;
        private int mdmPort;
        private Duration heartbeatTimeout = Duration.ofSeconds(10);
        private @Nullable Integer queryMissErrorCode;
        private int mappedElsewhereErrorCode = 297;
        private int snapshotsPerVTree = 31;
        private Duration removalDelay = Duration.ZERO;
        private boolean restrictedSdcMode;
        private long maxVolumeSizeKb = 1L << 40; // 1 PiB
        private long poolCapacityKb = 100L << 30; // 100 TiB
        private @Nullable String adminToken;
        private int requestLogCapacity = 100_000;

        private Builder() {
        }

        /** The gateway user and password for {@code /api/login}. */
        public Builder credentials(String user, String secret) {
            this.userName = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(secret, "password");
            return this;
        }

        /** The address to listen on (default 127.0.0.1). */
        public Builder bindHost(String host) {
            this.bindHost = Objects.requireNonNull(host);
            return this;
        }

        /** The HTTPS port (default 0: any free port). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** HTTPS with a generated self-signed certificate (default) or plain HTTP. */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /** Subject alternative names of the certificate (default localhost, 127.0.0.1, ::1). */
        public Builder tlsNames(List<String> hostnames, List<String> ips) {
            this.tlsHostnames = List.copyOf(hostnames);
            this.tlsIps = List.copyOf(ips);
            return this;
        }

        /** Where volume files, the journal, drv_cfg scripts and the certificate go (default: a temp dir removed on close). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Simulate every SDC that names no device dir / drv_cfg path under {@code <root>/<GUID>/}: links appear in
         * {@code <root>/<GUID>/dev/disk/by-id}, the script is {@code <root>/<GUID>/opt/emc/scaleio/sdc/bin/drv_cfg}.
         * Without it such SDCs use the real {@code /dev/disk/by-id}.
         */
        public Builder hostRoot(Path root) {
            this.hostRoot = root;
            return this;
        }

        /** {@code true}: {@link DataPathKind#LOOP}; {@code false}: {@link DataPathKind#NONE} (the default). */
        public Builder dataPath(boolean on) {
            return dataPath(on ? DataPathKind.LOOP : DataPathKind.NONE);
        }

        /**
         * Back volumes with sparse files and mappings with real loop devices and device links (root), plainly
         * ({@link DataPathKind#LOOP}) or fenced so that unmapped hosts get I/O errors ({@link DataPathKind#FENCED},
         * also {@code /dev/fuse}); {@link DataPathKind#NONE} (the default) keeps volumes in the model only.
         */
        public Builder dataPath(DataPathKind kind) {
            this.dataPath = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Add an {@code emc-vol-<sys>-<vol>-part1} link even when the volume has no partition (tests link matching). */
        public Builder partitionDecoy(boolean on) {
            this.partitionDecoy = on;
            return this;
        }

        /**
         * What {@code GET /api/version} answers (default "2.0"), and with it how the gateway behaves ({@link ApiMode}:
         * 2.x, 3.6, 4.x logins, 401 bodies, not-found codes, host types).
         */
        public Builder apiVersion(String version) {
            ApiMode.of(version);
            this.apiVersion = Objects.requireNonNull(version);
            return this;
        }

        /** 4.x: how long an access token of {@code POST /rest/auth/login} is valid (default 5 min; {@code expires_in}). */
        public Builder accessTokenLifetime(Duration lifetime) {
            if (lifetime.toSeconds() < 1) {
                throw new IllegalArgumentException("access token lifetime must be at least 1 s: " + lifetime);
            }
            this.accessTokenLifetime = lifetime;
            return this;
        }

        /** Whether {@code /api/version} needs a token (default true; very old clients call it before login). */
        public Builder versionRequiresAuth(boolean required) {
            this.versionRequiresAuth = required;
            return this;
        }

        public Builder systemVersionName(String name) {
            this.systemVersionName = Objects.requireNonNull(name);
            return this;
        }

        /** Token idle timeout (default 10 min) and absolute lifetime (default 8 h). */
        public Builder tokenExpiry(Duration idle, Duration lifetime) {
            this.idleTimeout = Objects.requireNonNull(idle);
            this.tokenLifetime = Objects.requireNonNull(lifetime);
            return this;
        }

        /** The clock for token expiry, creation times and state-change times (tests pass a controllable one). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Adds a system to seed (default if none: cluster1 / pd1 / pool1). */
        public Builder system(SystemSpec spec) {
            systems.add(Objects.requireNonNull(spec));
            return this;
        }

        /** Adds an SDC to register at start. */
        public Builder sdc(SdcSpec spec) {
            sdcs.add(Objects.requireNonNull(spec));
            return this;
        }

        /** The MDM (SDC agent) port (default 0: any free port). */
        public Builder mdmPort(int p) {
            this.mdmPort = p;
            return this;
        }

        public Builder mdmEnabled(boolean on) {
            this.mdmEnabled = on;
            return this;
        }

        /** How long an agent connection may stay silent before the SDC counts as disconnected (default 10 s). */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** errorCode of a queryIdByKey miss: 3 ("Not found", 2.x, default) or 79 ("Could not find the volume", default on 4.x). */
        public Builder queryMissErrorCode(int code) {
            if (code != 3 && code != 79) {
                throw new IllegalArgumentException("queryIdByKey miss code must be 3 or 79");
            }
            this.queryMissErrorCode = code;
            return this;
        }

        /** errorCode for mapping an already mapped volume to another SDC: 297 (default) or 315. */
        public Builder mappedElsewhereErrorCode(int code) {
            if (code != 297 && code != 315) {
                throw new IllegalArgumentException("mapped-elsewhere code must be 297 or 315");
            }
            this.mappedElsewhereErrorCode = code;
            return this;
        }

        /** Snapshots per VTree (default 31 as on 2.x; 126 on 3.x). */
        public Builder snapshotsPerVTree(int limit) {
            this.snapshotsPerVTree = limit;
            return this;
        }

        /** Asynchronous removal: for this long a removed volume answers 212 (default zero: removal is immediate). */
        public Builder removalDelay(Duration delay) {
            this.removalDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** Restricted SDC mode: SDCs must be approved before volumes can be mapped to them (errorCode 322). */
        public Builder restrictedSdcMode(boolean on) {
            this.restrictedSdcMode = on;
            return this;
        }

        /** The largest volume (default 1 PiB); larger gives errorCode 190. */
        public Builder maxVolumeSizeBytes(long bytes) {
            this.maxVolumeSizeKb = bytes / 1024;
            return this;
        }

        /** What each storage pool reports as capacity (default 100 TiB). */
        public Builder poolCapacityBytes(long bytes) {
            this.poolCapacityKb = bytes / 1024;
            return this;
        }

        /** Require {@code Authorization: Bearer <token>} on the admin API (default: no admin auth). */
        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        public Builder requestLogCapacity(int capacity) {
            this.requestLogCapacity = capacity;
            return this;
        }

        /** Starts the emulator; on failure everything already started is closed again. */
        public ScaleIoGatewayEmulator start() throws IOException {
            ScaleIoGatewayEmulator e = new ScaleIoGatewayEmulator(this);
            e.start();
            return e;
        }

        @Override
        public String toString() {
            return "ScaleIoGatewayEmulator.Builder[user=" + userName + ", port=" + port + ", tls=" + tls + ", dataPath=" + dataPath + "]";
        }
    }
}
