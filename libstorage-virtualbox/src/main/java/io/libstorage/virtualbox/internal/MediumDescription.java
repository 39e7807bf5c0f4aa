package io.libstorage.virtualbox.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeSpec;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The volume's spec as kept in the medium's description (VirtualBox stores it in its media registry), so that the
 * first format uses the filesystem asked for at create and a repeated create can tell a repeat from a conflict. One
 * line, {@code libstorage:v1?size=…&fs=…&mode=…&mkfs=…&mount=…&label.k=v&preemption=…}, each value URL-encoded. A medium without
 * it (made by REX-Ray, or by a create interrupted before the description was written) has an unknown spec.
 */
final class MediumDescription {
    static final String PREFIX = "libstorage:v1?";

    private MediumDescription() {
    }

    static String encode(VolumeSpec spec) {
        List<String> parts = new ArrayList<>();
        parts.add("size=" + spec.sizeBytes());
        spec.fsType().ifPresent(fs -> parts.add("fs=" + enc(fs)));
        parts.add("mode=" + spec.accessMode().name());
        spec.mkfsOptions().forEach(o -> parts.add("mkfs=" + enc(o)));
        spec.mountOptions().forEach(o -> parts.add("mount=" + enc(o)));
        spec.labels().forEach((k, v) -> parts.add("label." + enc(k) + "=" + enc(v)));
        spec.preemption().ifPresent(p -> parts.add("preemption=" + p.name()));
        return PREFIX + String.join("&", parts);
    }

    /** The spec a description records, or empty when it records none (or not in a form this version reads). */
    static Optional<VolumeSpec> decode(String description) {
        if (description == null || !description.startsWith(PREFIX)) {
            return Optional.empty();
        }
        VolumeSpec.Builder b = VolumeSpec.builder().fsType(Optional.empty());
        List<String> mkfs = new ArrayList<>();
        List<String> mount = new ArrayList<>();
        boolean sized = false;
        try {
            for (String part : description.substring(PREFIX.length()).split("&")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = part.substring(0, eq);
                String value = dec(part.substring(eq + 1));
                switch (key) {
                    case "size" -> {
                        b.sizeBytes(Long.parseLong(value));
                        sized = true;
                    }
                    case "fs" -> b.fsType(value);
                    case "mode" -> b.accessMode(AccessMode.valueOf(value));
                    case "mkfs" -> mkfs.add(value);
                    case "mount" -> mount.add(value);
                    case "preemption" -> b.preemption(PreemptionPolicy.valueOf(value));
                    default -> {
                        if (key.startsWith("label.")) {
                            b.label(dec(key.substring("label.".length())), value);
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return sized ? Optional.of(b.mkfsOptions(mkfs).mountOptions(mount).build()) : Optional.empty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
