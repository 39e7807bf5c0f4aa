package io.libstorage.docker.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.LibStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The meaning of each {@code /VolumeDriver.*} call in terms of {@link LibStorage}. Synchronous; the
 * caller ({@link PluginHandler}) bounds and serialises the calls. Every method is idempotent the
 * way the library is: a repeated Create with the same options, Mount with the same id, Unmount of an
 * id that is not a holder, Remove of a missing volume all succeed without a second side effect.
 *
 * <p>Mount ids are consumers: each Docker mount session id is {@code ConsumerId.ofNullable(id)}, and a
 * Mount or Unmount without an id (dvdcli, Docker 1.11) is the one anonymous consumer. Get, List and
 * Path only read (no attach, no back-end writes); Get and Path of a volume mounted on this host are
 * answered from this host's state, without a back-end call ({@link LibStorage#mountedHere}).
 */
public final class VolumeDriverService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeDriverService.class);

    private final LibStorage storage;
    private final String scope;

    /** Serves {@code storage}; {@code scope} is what Capabilities answers ({@code global} or {@code local}). */
    public VolumeDriverService(LibStorage storage, String scope) {
        this.storage = storage;
        this.scope = scope;
    }

    /** The error context of a call on this host and back end. */
    public ErrorContext context(String operation, String volume) {
        return storage.errorContext(operation, volume);
    }

    Map<String, Object> activate() {
        return Map.of("Implements", List.of("VolumeDriver"));
    }

    Map<String, Object> capabilities() {
        return ok("Capabilities", Map.of("Scope", scope));
    }

    Map<String, Object> create(String name, Map<String, String> opts) {
        VolumeSpec spec = CreateOptions.toSpec(storage.defaultSpec(), opts, context("create", name));
        Volume v = storage.create(name, spec);
        LOG.info("create '{}': volume {} on {} ({} requested, {} allocated, {})", name, v.id().value(), v.backend(),
                ByteSizes.format(v.requestedSizeBytes()), ByteSizes.format(v.allocatedSizeBytes()), v.spec().fsType().orElse("filesystem not recorded"));
        return ok();
    }

    Map<String, Object> remove(String name) {
        storage.remove(name, RemoveOptions.DEFAULT);
        LOG.info("remove '{}': done", name);
        return ok();
    }

    /** The result of a Mount, with whether its consumer held the volume already (then an abandoned Mount is not undone). */
    record MountOutcome(Map<String, Object> body, boolean heldBefore) {
    }

    MountOutcome mount(String name, String id) {
        ConsumerId consumer = ConsumerId.ofNullable(id);
        MountedVolume m = storage.mount(name, consumer, MountOptions.DEFAULT);
        LOG.info("mount '{}' for {}: {} ({} consumer(s){}{})", name, consumer, m.path(), m.consumers().size(),
                m.consumerAdded() ? "" : ", held already", m.formatted() ? ", formatted " + m.fsType() : "");
        return new MountOutcome(ok("Mountpoint", m.path().toString()), !m.consumerAdded());
    }

    /** Undoes a Mount whose caller was already told it failed (it timed out), unless the consumer held the volume before. */
    void undoAbandonedMount(String name, String id, MountOutcome outcome) {
        if (outcome.heldBefore()) {
            LOG.warn("mount '{}' for {} finished after its caller was told it timed out; the consumer held the volume before, so it stays",
                    name, ConsumerId.ofNullable(id));
            return;
        }
        LOG.warn("mount '{}' for {} finished after its caller was told it timed out; undoing it", name, ConsumerId.ofNullable(id));
        storage.unmount(name, ConsumerId.ofNullable(id));
    }

    Map<String, Object> unmount(String name, String id) {
        ConsumerId consumer = ConsumerId.ofNullable(id);
        storage.unmount(name, consumer);
        LOG.info("unmount '{}' for {}: done", name, consumer);
        return ok();
    }

    Map<String, Object> path(String name) {
        Optional<java.nio.file.Path> p = storage.path(name);
        return p.map(path -> ok("Mountpoint", path.toString())).orElseGet(VolumeDriverService::ok);
    }

    /** A volume mounted here is answered from this host's state (dockerd asks Get around every Mount), any other by the back end. */
    Map<String, Object> get(String name) {
        VolumeStatus s = storage.mountedHere(name).or(() -> storage.inspect(name))
                .orElseThrow(() -> new VolumeNotFoundException(context("get", name)));
        return ok("Volume", volume(s));
    }

    Map<String, Object> list() {
        List<Object> out = new ArrayList<>();
        for (VolumeStatus s : storage.list()) {
            out.add(volume(s));
        }
        return ok("Volumes", out);
    }

    /** One volume as Docker's {@code Volume} type: Name, Mountpoint (while it has consumers here), CreatedAt, Status. */
    private Map<String, Object> volume(VolumeStatus s) {
        Volume v = s.volume();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Name", v.name());
        s.path().ifPresent(p -> out.put("Mountpoint", p.toString()));
        if (v.createdAt() != null) {
            out.put("CreatedAt", rfc3339(v.createdAt()));
        }
        out.put("Status", status(s));
        return out;
    }

    /** RFC 3339 in UTC with whole seconds, e.g. {@code 2026-11-26T14:55:19Z} (Go's {@code time.Time} decodes it). */
    static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private Map<String, Object> status(VolumeStatus s) {
        Volume v = s.volume();
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("backend", v.backend());
        st.put("volumeId", v.id().value());
        st.put("requestedSize", ByteSizes.format(v.requestedSizeBytes()));
        st.put("requestedSizeBytes", v.requestedSizeBytes());
        st.put("allocatedSize", ByteSizes.format(v.allocatedSizeBytes()));
        st.put("allocatedSizeBytes", v.allocatedSizeBytes());
        v.spec().fsType().ifPresent(fs -> st.put("fsType", fs));
        st.put("accessMode", v.spec().accessMode().name());
        st.put("preemption", v.spec().preemption().map(Enum::name).orElse(s.unknownHere().contains(VolumeStatus.PREEMPTION)
                ? "not known on this host (it never created nor mounted the volume): the configured default applies"
                : "none of its own: the configured default applies"));
        if (!s.unknownHere().isEmpty()) {
            st.put("unknownHere", s.unknownHere().stream().sorted().toList());
        }
        if (!v.spec().mountOptions().isEmpty()) {
            st.put("mountOptions", v.spec().mountOptions());
        }
        if (!v.spec().labels().isEmpty()) {
            st.put("labels", new TreeMap<>(v.spec().labels()));
        }
        st.put("attachedTo", v.attachments().stream().map(Attachment::hostId).map(h -> h.value()).distinct().toList());
        st.put("localHost", storage.localHost().value());
        st.put("mounted", s.path().isPresent());
        st.put("consumers", s.consumers().stream().map(ConsumerId::toString).sorted().toList());
        s.problem().ifPresent(p -> st.put("problem", p));
        if (!v.fields().isEmpty()) {
            st.put("fields", new TreeMap<>(v.fields()));
        }
        return st;
    }

    static Map<String, Object> ok() {
        return Map.of("Err", "");
    }

    static Map<String, Object> ok(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        m.put("Err", "");
        return m;
    }
}
