package io.libstorage.cli.internal.output;

import io.libstorage.api.Attachment;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.Preemption;
import io.libstorage.api.Snapshot;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The printed form of the library's values: ordered maps of plain data for JSON/YAML, and their
 * table rows. One place, so that every verb shows a volume the same way.
 */
public final class Views {
    /** Columns of {@code volume ls}. */
    public static final List<String> VOLUME_COLUMNS = List.of("NAME", "ID", "SIZE", "FSTYPE", "ATTACHED TO", "PATH", "CONSUMERS");

    private Views() {
    }

    /** A volume with its state on this host. */
    public static Map<String, Object> volume(VolumeStatus s) {
        Volume v = s.volume();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("id", v.id().value());
        m.put("backend", v.backend());
        m.put("requestedSize", ByteSizes.format(v.requestedSizeBytes()));
        m.put("requestedSizeBytes", v.requestedSizeBytes());
        m.put("allocatedSize", ByteSizes.format(v.allocatedSizeBytes()));
        m.put("allocatedSizeBytes", v.allocatedSizeBytes());
        m.put("fsType", v.spec().fsType().orElse(null));
        m.put("accessMode", v.spec().accessMode().name());
        m.put("mountOptions", v.spec().mountOptions());
        m.put("labels", new TreeMap<>(v.spec().labels()));
        m.put("preemption", v.spec().preemption().map(Enum::name).orElse(null));
        m.put("unknownHere", s.unknownHere().stream().sorted().toList());
        m.put("attachedTo", v.attachments().stream().map(a -> a.hostId().value()).distinct().toList());
        m.put("mounted", s.path().isPresent());
        m.put("path", s.path().map(Path::toString).orElse(null));
        m.put("consumers", consumers(s.consumers()));
        m.put("problem", s.problem().orElse(null));
        m.put("createdAt", instant(v.createdAt()));
        m.put("fields", new TreeMap<>(v.fields()));
        return m;
    }

    /** A volume as a back end reports it, without host state (e.g. right after create). */
    public static Map<String, Object> volume(Volume v) {
        return volume(new VolumeStatus(v, java.util.Optional.empty(), java.util.Set.of()));
    }

    /** The {@code volume ls} row of a volume. */
    public static List<String> volumeRow(VolumeStatus s) {
        Volume v = s.volume();
        return List.of(v.name() + (s.unknownHere().contains(VolumeStatus.NAME) ? " (name unknown here)" : ""), v.id().value(),
                ByteSizes.format(v.allocatedSizeBytes()),
                s.unknownHere().contains(VolumeStatus.FS_TYPE) ? "?" : v.spec().fsType().orElse(""),
                String.join(",", v.attachments().stream().map(a -> a.hostId().value()).distinct().toList()),
                s.path().map(Path::toString).orElse(""),
                String.join(",", consumers(s.consumers())));
    }

    /** Field/value lines of any view: lists joined by commas, maps as {@code k=v} pairs. */
    public static Map<String, String> fields(Map<String, Object> view) {
        Map<String, String> out = new LinkedHashMap<>();
        view.forEach((k, v) -> out.put(k, text(v)));
        return out;
    }

    /** The result of a mount. */
    public static Map<String, Object> mounted(MountedVolume mv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", mv.volume().name());
        m.put("id", mv.volume().id().value());
        m.put("path", mv.path().toString());
        m.put("mountPoint", mv.mountPoint().toString());
        m.put("device", mv.device().toString());
        m.put("fsType", mv.fsType());
        m.put("formatted", mv.formatted());
        m.put("consumers", consumers(mv.consumers()));
        m.put("preemption", mv.preemption().map(Views::preemption).orElse(null));
        return m;
    }

    /** A pre-emption that a mount or attach performed. */
    public static Map<String, Object> preemption(Preemption p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", p.from().value());
        m.put("to", p.to().value());
        m.put("policy", p.policy().name());
        m.put("evidence", String.valueOf(p.evidence()));
        return m;
    }

    /** An attachment of a volume to a host. */
    public static Map<String, Object> attachment(String name, Attachment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", a.volumeId().value());
        m.put("host", a.hostId().value());
        m.put("deviceToken", a.deviceToken());
        m.put("state", a.state().name());
        m.put("attachedAt", instant(a.attachedAt()));
        return m;
    }

    /** A snapshot. */
    public static Map<String, Object> snapshot(Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("id", s.id().value());
        m.put("sourceVolumeId", s.sourceVolume().value());
        m.put("size", ByteSizes.format(s.sizeBytes()));
        m.put("sizeBytes", s.sizeBytes());
        m.put("createdAt", instant(s.createdAt()));
        return m;
    }

    /** Consumers as text, the anonymous one as {@code <anonymous>}, sorted. */
    public static List<String> consumers(Collection<ConsumerId> consumers) {
        List<String> out = new ArrayList<>();
        consumers.forEach(c -> out.add(c.toString()));
        out.sort(null);
        return out;
    }

    private static String instant(Instant i) {
        return i == null ? null : i.toString();
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(text(x)));
            return String.join(",", parts);
        }
        if (v instanceof Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            map.forEach((k, x) -> parts.add(k + "=" + text(x)));
            return String.join(",", parts);
        }
        return String.valueOf(v);
    }
}
