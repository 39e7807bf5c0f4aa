package io.libstorage.csi;

import io.libstorage.core.LibStorage;
import io.libstorage.csi.internal.PluginSettings;
import io.libstorage.csi.internal.Services;
import io.libstorage.csi.internal.UnixSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Container Storage Interface (v1.12) plugin serving a {@link LibStorage} on a unix socket:
 * Identity, Controller and Node in one process, as Kubernetes' sidecars, Nomad and Swarm expect.
 *
 * <pre>{@code
 * try (LibStorage storage = LibStorage.fromYaml(config);
 *      CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(CsiEndpoint.parse(System.getenv("CSI_ENDPOINT"))).start()) {
 *     plugin.awaitTermination();
 * }
 * }</pre>
 *
 * <p><b>Idempotency and crash safety.</b> Every state-changing call is idempotent and converges after
 * a crash at any point: staging and target paths are durable consumers of the library's volumes and the
 * bind mounts are re-read from the mount table. At start the library's {@link LibStorage#reconcile()}
 * completes or rolls back what a killed process left. A second call for a volume while one is in
 * progress is answered ABORTED. The plugin does not close the {@link LibStorage} it serves.
 */
public final class CsiPlugin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CsiPlugin.class);
    /** The default CSI driver name. */
    public static final String DEFAULT_NAME = "csi.libstorage.io";

    private final UnixSocketServer server;

    private CsiPlugin(UnixSocketServer server) {
        this.server = server;
    }

    public static Builder builder(LibStorage storage) {
        return new Builder(storage);
    }

    /** The socket file the plugin listens on. */
    public Path socket() {
        return server.socket();
    }

    /** Blocks until {@link #close()} (from another thread) has stopped the server. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops serving (calls in progress get up to 5 s) and removes the socket file. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    /** Configures and starts a {@link CsiPlugin}. */
    public static final class Builder {
        private final LibStorage storage;
        private CsiEndpoint endpoint;
        private String name = DEFAULT_NAME;
        private String version;
        private boolean reconcile = true;

        private Builder(LibStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
        }

        /** Where to listen (required); see {@link CsiEndpoint#parse(String)}. */
        public Builder endpoint(CsiEndpoint e) {
            this.endpoint = e;
            return this;
        }

        /** The driver name reported by GetPluginInfo (default {@value #DEFAULT_NAME}); Kubernetes' StorageClass names it as provisioner. */
        public Builder name(String n) {
            this.name = n;
            return this;
        }

        /** The vendor version reported by GetPluginInfo (default: this module's version). */
        public Builder version(String v) {
            this.version = v;
            return this;
        }

        /** Whether to run the library's reconcile before serving (default true). */
        public Builder reconcileOnStart(boolean r) {
            this.reconcile = r;
            return this;
        }

        /**
         * Reconciles (unless disabled) and starts serving.
         *
         * @throws IllegalStateException when the socket cannot be bound (another server answers there, or it is not a socket)
         */
        public CsiPlugin start() {
            Objects.requireNonNull(endpoint, "endpoint");
            PluginSettings settings = new PluginSettings(name, version != null ? version : moduleVersion());
            if (reconcile) {
                var report = storage.reconcile();
                LOG.info("reconciled this host's volume state before serving CSI: {}", report);
            }
            UnixSocketServer server = UnixSocketServer.start(endpoint.socket(), Services.all(storage, settings));
            LOG.info("CSI plugin {} {} serving {} back end {} on {}", settings.name(), settings.version(),
                    storage.backend(), storage.localHost(), endpoint);
            return new CsiPlugin(server);
        }

        private static String moduleVersion() {
            String v = CsiPlugin.class.getPackage().getImplementationVersion();
            return v != null ? v : "0.1.0-SNAPSHOT";
        }
    }
}
