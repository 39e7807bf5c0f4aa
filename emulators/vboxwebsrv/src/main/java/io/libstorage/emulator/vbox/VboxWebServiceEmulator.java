package io.libstorage.emulator.vbox;

import io.libstorage.emulator.vbox.internal.AdminApi;
import io.libstorage.emulator.vbox.internal.ComError;
import io.libstorage.emulator.vbox.internal.Faults;
import io.libstorage.emulator.vbox.internal.HttpFrontEnd;
import io.libstorage.emulator.vbox.internal.Model;
import io.libstorage.emulator.vbox.internal.RequestLog;
import io.libstorage.emulator.vbox.internal.SoapService;
import io.libstorage.emulator.vbox.internal.Websessions;
import io.libstorage.emulator.vbox.internal.host.DataPath;
import io.libstorage.emulator.vbox.internal.host.LoopDataPath;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An embeddable, protocol-faithful VirtualBox web service for tests and benchmarks.
 *
 * <pre>{@code
 * try (VboxWebServiceEmulator vbox = VboxWebServiceEmulator.builder()
 *         .machine(MachineSpec.named("host-a").withMacs("080027000001").withDiskIdPath(hostA.resolve("by-id")))
 *         .start()) {
 *     URI endpoint = vbox.endpoint();                 // http://127.0.0.1:<port>/, SOAP 1.1 POSTs
 *     vbox.restart();                                 // every managed object reference becomes invalid
 *     vbox.setState("host-a", MachineState.PoweredOff);
 *     long attaches = vbox.requestCount("IMachine_attachDevice");
 * }
 * }</pre>
 *
 * Media are real sparse files at the locations clients ask for. The guest data path (real loop devices, root) is
 * off unless {@link Builder#dataPath(boolean)} turns it on. {@link #close()} detaches every loop device, removes
 * every link and deletes every image file the emulator created.
 */
public final class VboxWebServiceEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VboxWebServiceEmulator.class);

    private final Builder config;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private @Nullable Model model;
    private Websessions websessions;
    private SoapService soap;
    private final Faults faults = new Faults();
    private RequestLog log;
    private @Nullable HttpFrontEnd http;
    private volatile boolean closed;

    private VboxWebServiceEmulator(Builder config) throws IOException {
        this.config = config;
        this.ownsDataDir = config.dataDir == null;
        this.dataDir = ownsDataDir ? Files.createTempDirectory("vbox-emulator-") : Files.createDirectories(config.dataDir);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void start() throws IOException {
        try {
            DataPath dataPath = config.dataPath ? new LoopDataPath(dataDir, config.partitionDecoy) : DataPath.none();
            model = new Model(dataDir, dataPath);
            model.progressDelay(config.progressDelay);
            for (MachineSpec m : config.machines) {
                model.addMachine(m);
            }
            websessions = new Websessions(config.clock, config.websessionTimeout);
            log = new RequestLog(config.requestLogCapacity);
            String[] credentials = config.userName == null ? null : new String[] {config.userName, config.password};
            soap = new SoapService(model, websessions, faults, log, config.clock, credentials, config.version, config.apiVersion);
            AdminApi admin = new AdminApi(model, soap, faults, log, websessions, config.adminToken, this::status);
            http = new HttpFrontEnd(soap, admin, config.bindHost, config.port);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the VirtualBox web service emulator: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ where it is

    /** The web service URL, {@code http://127.0.0.1:<port>/} (REX-Ray's {@code virtualbox.endpoint}). */
    public URI endpoint() {
        String h = config.bindHost.equals("0.0.0.0") ? "127.0.0.1" : config.bindHost;
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + http.port() + "/");
    }

    public int port() {
        return http.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The operations implemented; any other answers gSOAP's "not implemented" fault. */
    public Set<String> operations() {
        return soap.operations();
    }

    // ------------------------------------------------------------------ web-service state

    /** A web-service restart: every websession and reference becomes invalid; their session locks are released. */
    public void restart() {
        soap.restart();
    }

    /** Websessions logged on and not yet logged off, expired or restarted away. */
    public int activeWebsessions() {
        return websessions.active();
    }

    // ------------------------------------------------------------------ machines and media

    /** Registers a machine (a simulated host) at run time; returns its UUID. */
    public UUID addMachine(MachineSpec spec) throws IOException {
        return model.addMachine(spec);
    }

    /** A machine's UUID by name or UUID. */
    public UUID machineId(String nameOrId) {
        try {
            return model.machineId(nameOrId);
        } catch (ComError e) {
            throw new IllegalArgumentException(e.text());
        }
    }

    public List<MachineInfo> machines() {
        return model.machines();
    }

    public MachineInfo machine(String nameOrId) {
        UUID id = machineId(nameOrId);
        return machines().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    /** Registered hard disks, VMs' boot disks included. */
    public List<MediumInfo> media() {
        return model.media();
    }

    /**
     * Powers a machine on or off, saves or aborts it. Leaving Running/Paused ends the VM process: its lock goes,
     * shared sessions end, unsaved changes are lost and its guest's devices disappear.
     */
    public void setState(String nameOrId, MachineState state) {
        model.setState(machineId(nameOrId), Objects.requireNonNull(state, "state"));
    }

    /** The loop device a medium is attached as in a machine's guest (data path on), or null. */
    public @Nullable Path attachedDevice(UUID mediumId, String machineNameOrId) {
        return model.device(mediumId, machineId(machineNameOrId));
    }

    // ------------------------------------------------------------------ faults and progress

    public String addFault(FaultRule rule) {
        return faults.add(rule);
    }

    public boolean removeFault(String id) {
        return faults.remove(id);
    }

    public void clearFaults() {
        faults.clear();
    }

    public Map<String, FaultRule> faults() {
        return faults.list();
    }

    /** Fails the next {@code n} calls whose operation matches with a VirtualBox error. */
    public String failNext(int n, String operationPattern, int resultCode, String text) {
        return addFault(FaultRule.runtimeFault(operationPattern, resultCode, text).withTimes(n));
    }

    /** How long progress objects (create/delete storage) take from now on. */
    public void slowProgress(Duration delay) {
        model.progressDelay(Objects.requireNonNull(delay, "delay"));
    }

    /** The next {@code n} progress objects complete with this result code and error text; their work is not done. */
    public void failNextProgresses(int n, int resultCode, String text) {
        model.failNextProgresses(n, resultCode, text);
    }

    // ------------------------------------------------------------------ request log

    public List<RequestRecord> requests() {
        return log.records();
    }

    /** Calls per operation since the last reset. */
    public Map<String, Long> requestCounts() {
        return log.counts();
    }

    public long requestCount() {
        return log.total();
    }

    public long requestCount(String operation) {
        return log.counts().getOrDefault(operation, 0L);
    }

    public void resetRequestLog() {
        log.reset();
    }

    private Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint().toString());
        m.put("dataPath", config.dataPath);
        m.put("dataDir", dataDir.toString());
        m.put("version", config.version);
        m.put("authentication", config.userName != null);
        m.put("activeWebsessions", websessions.active());
        m.put("progressDelayMillis", model.progressDelay().toMillis());
        List<String> names = new ArrayList<>();
        model.machines().forEach(vm -> names.add(vm.name()));
        m.put("machines", names);
        return m;
    }

    /** Stops the server, detaches every loop device, removes every link and deletes every image file it created. */
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
        if (model != null) {
            model.close();
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
        return "VboxWebServiceEmulator[" + (http == null ? "not started" : endpoint()) + "]";
    }

    /** Configuration; every setting has a default that matches a stock {@code vboxwebsrv} of VirtualBox 7.0. */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port;
        private @Nullable String userName;
        private @Nullable String password;
        private final List<MachineSpec> machines = new ArrayList<>();
        private boolean dataPath;
        private boolean partitionDecoy;
        private @Nullable Path dataDir;
        private Duration websessionTimeout = Duration.ofSeconds(300);
        private Clock clock = Clock.systemUTC();
        private String version = "7.0.20";
        private String apiVersion = "7_0";
        private @Nullable String adminToken;
        private int requestLogCapacity = 10_000;
        private Duration progressDelay = Duration.ZERO;

        private Builder() {
        }

        public Builder bindHost(String host) {
            this.bindHost = Objects.requireNonNull(host);
            return this;
        }

        /** TCP port (default 0: any free port; vboxwebsrv's own default is 18083). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /**
         * Require these credentials at logon. Without this call authentication is off, as with
         * {@code VBoxManage setproperty websrvauthlibrary null}: any user name and password log on.
         */
        public Builder credentials(String user, String secret) {
            this.userName = Objects.requireNonNull(user);
            this.password = Objects.requireNonNull(secret);
            return this;
        }

        /** A registered machine (repeatable); each stands for one simulated guest host. */
        public Builder machine(MachineSpec spec) {
            machines.add(Objects.requireNonNull(spec));
            return this;
        }

        /** Attach real loop devices in running guests' {@code diskIdPath} (needs root and losetup). Off by default. */
        public Builder dataPath(boolean on) {
            this.dataPath = on;
            return this;
        }

        /** Also link {@code …-part1} for disks without partitions (to test that clients ignore partition links). */
        public Builder partitionDecoy(boolean on) {
            this.partitionDecoy = on;
            return this;
        }

        /** Where boot disks, relative media and the journal live (default: a temp dir removed at close). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Idle time after which a websession is logged off (vboxwebsrv {@code -t}, default 300 s; zero: never). */
        public Builder websessionTimeout(Duration timeout) {
            this.websessionTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The clock of websession expiry (tests move it instead of sleeping). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** What {@code IVirtualBox_getVersion} and {@code getAPIVersion} answer. */
        public Builder version(String versionText, String apiVersionText) {
            this.version = Objects.requireNonNull(versionText);
            this.apiVersion = Objects.requireNonNull(apiVersionText);
            return this;
        }

        /** Require {@code Authorization: Bearer <token>} on the admin API (default: none). */
        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        public Builder requestLogCapacity(int capacity) {
            this.requestLogCapacity = capacity;
            return this;
        }

        /** How long progress objects take (default zero: they complete right after the call, asynchronously). */
        public Builder progressDelay(Duration delay) {
            this.progressDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** Starts the emulator; on failure everything already started is closed again. */
        public VboxWebServiceEmulator start() throws IOException {
            VboxWebServiceEmulator e = new VboxWebServiceEmulator(this);
            e.start();
            return e;
        }

        @Override
        public String toString() {
            return "VboxWebServiceEmulator.Builder[port=" + port + ", machines=" + machines.size() + ", dataPath=" + dataPath + "]";
        }
    }
}
