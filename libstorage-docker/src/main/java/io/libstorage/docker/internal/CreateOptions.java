package io.libstorage.docker.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.VolumeSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns the {@code Opts} of {@code /VolumeDriver.Create} ({@code docker volume create -o k=v}, dvdcli
 * {@code --volumeopts}) into a {@link VolumeSpec}, starting from the library's default spec. Keys are
 * matched case-insensitively; an unknown key, a key given twice, or a malformed value is an
 * {@link InvalidRequestException} naming the key and value. Stateless and thread-safe.
 *
 * <p>Accepted keys (see the module README):
 * <ul>
 *   <li>{@code size}: a bare number is GiB (as in REX-Ray), or a size with a unit such as {@code 512MiB}</li>
 *   <li>{@code fsType}, alias {@code newFsType}: filesystem of the first format ({@code ext4}, {@code xfs}, ...)</li>
 *   <li>{@code mkfsOptions}: extra mkfs arguments, separated by white space</li>
 *   <li>{@code mountOptions}: mount options, separated by commas</li>
 *   <li>{@code accessMode}: {@code SINGLE_HOST_READ_WRITE} ({@code rwo}), {@code MULTI_HOST_READ_ONLY} ({@code rox}),
 *       {@code MULTI_HOST_CLUSTER} ({@code rwx})</li>
 *   <li>{@code volumeType}, aliases {@code type}: back-end volume type (driver option {@code type})</li>
 *   <li>{@code availabilityZone}: driver option {@code availabilityZone}</li>
 *   <li>{@code iops}: a positive integer (driver option {@code iops})</li>
 *   <li>{@code snapshotId}: create the volume from this snapshot</li>
 *   <li>{@code preemption}: the volume's own takeover policy ({@code NEVER}, {@code IF_OWNER_UNREACHABLE}, {@code ALWAYS}),
 *       honoured by every host</li>
 *   <li>{@code label.<key>}: a label; {@code driver.<key>}: any driver option (the driver rejects keys it does not know)</li>
 * </ul>
 */
public final class CreateOptions {
    /** Every accepted key as documented (prefix keys end with a dot). */
    public static final List<String> ACCEPTED = List.of("size", "fsType", "newFsType", "mkfsOptions", "mountOptions",
            "accessMode", "volumeType", "type", "availabilityZone", "iops", "snapshotId", "preemption", "label.<key>", "driver.<key>");

    private static final Map<String, String> REFUSED = Map.of(
            "overwritefs", "the library never reformats a device that carries a signature",
            "encrypted", "encryption is not supported by this plugin",
            "volumename", "the volume name is the name given to docker",
            "volumeid", "volumes are addressed by name",
            "snapshotname", "use snapshotId");

    private static final Pattern FS_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    private CreateOptions() {
    }

    /**
     * The spec for a create with {@code opts} ({@code null} for an implicit create: the defaults unchanged).
     *
     * @throws InvalidRequestException for unknown, repeated or malformed options
     */
    public static VolumeSpec toSpec(VolumeSpec defaults, Map<String, String> opts, ErrorContext ctx) {
        if (opts == null || opts.isEmpty()) {
            return defaults;
        }
        rejectDuplicates(opts, ctx);
        VolumeSpec.Builder b = defaults.toBuilder();
        List<String> unknown = new ArrayList<>();
        String fsType = null;
        String fsKey = null;
        for (Map.Entry<String, String> e : opts.entrySet()) {
            String key = e.getKey();
            String lower = key.strip().toLowerCase(Locale.ROOT);
            String value = e.getValue() == null ? "" : e.getValue().strip();
            switch (lower) {
                case "size" -> b.sizeBytes(size(key, value, ctx));
                case "fstype", "newfstype" -> {
                    String fs = fsType(key, value, ctx);
                    if (fsType != null && !fsType.equals(fs)) {
                        throw new InvalidRequestException(ctx, "options '" + fsKey + "=" + fsType + "' and '" + key + "=" + value
                                + "' contradict each other");
                    }
                    fsType = fs;
                    fsKey = key;
                    b.fsType(fs);
                }
                case "mkfsoptions" -> b.mkfsOptions(words(value));
                case "mountoptions" -> b.mountOptions(mountOptions(key, value, ctx));
                case "accessmode" -> b.accessMode(accessMode(key, value, ctx));
                case "volumetype", "type" -> b.driverOption("type", nonEmpty(key, value, ctx));
                case "availabilityzone" -> b.driverOption("availabilityZone", nonEmpty(key, value, ctx));
                case "iops" -> b.driverOption("iops", String.valueOf(positiveInt(key, value, ctx)));
                case "snapshotid" -> b.sourceSnapshot(new SnapshotId(nonEmpty(key, value, ctx)));
                case "preemption" -> b.preemption(preemption(key, value, ctx));
                default -> {
                    if (lower.startsWith("label.") && lower.length() > "label.".length()) {
                        b.label(key.strip().substring("label.".length()), value);
                    } else if (lower.startsWith("driver.") && lower.length() > "driver.".length()) {
                        b.driverOption(key.strip().substring("driver.".length()), value);
                    } else {
                        unknown.add(key);
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException(ctx, unknownMessage(unknown));
        }
        return b.build();
    }

    private static void rejectDuplicates(Map<String, String> opts, ErrorContext ctx) {
        Map<String, String> seen = new TreeMap<>();
        for (String key : opts.keySet()) {
            if (key == null || key.isBlank()) {
                throw new InvalidRequestException(ctx, "an option has an empty key");
            }
            String lower = key.strip().toLowerCase(Locale.ROOT);
            String earlier = seen.put(lower, key);
            if (earlier != null) {
                throw new InvalidRequestException(ctx, "option '" + key + "' is given twice ('" + earlier + "' and '" + key
                        + "'; keys are case-insensitive)");
            }
        }
    }

    private static String unknownMessage(List<String> unknown) {
        StringBuilder m = new StringBuilder(unknown.size() == 1 ? "unknown option " : "unknown options ");
        for (int i = 0; i < unknown.size(); i++) {
            String k = unknown.get(i);
            m.append(i == 0 ? "" : ", ").append('\'').append(k).append('\'');
            String why = REFUSED.get(k.strip().toLowerCase(Locale.ROOT));
            if (why != null) {
                m.append(" (").append(why).append(')');
            }
        }
        return m.append("; accepted: ").append(String.join(", ", ACCEPTED)).append(" (case-insensitive)").toString();
    }

    /** A size as {@link ByteSizes#parse} reads it (a bare number is GiB, as in REX-Ray). */
    static long size(String key, String value, ErrorContext ctx) {
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(ctx, "option '" + key + "': " + e.getMessage());
        }
    }

    private static String fsType(String key, String value, ErrorContext ctx) {
        String fs = value.toLowerCase(Locale.ROOT);
        if (!FS_TYPE.matcher(fs).matches()) {
            throw new InvalidRequestException(ctx, "option '" + key + "': '" + value + "' is not a filesystem type (e.g. ext4, xfs)");
        }
        return fs;
    }

    private static List<String> words(String value) {
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    private static List<String> mountOptions(String key, String value, ErrorContext ctx) {
        List<String> out = new ArrayList<>();
        for (String o : value.split(",")) {
            String t = o.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidRequestException(ctx, "option '" + key + "': '" + t + "' contains white space (separate mount options with commas)");
            }
            out.add(t);
        }
        return out;
    }

    private static PreemptionPolicy preemption(String key, String value, ErrorContext ctx) {
        for (PreemptionPolicy p : PreemptionPolicy.values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new InvalidRequestException(ctx, "option '" + key + "': '" + value + "' is not a takeover policy (one of "
                + Arrays.toString(PreemptionPolicy.values()) + ")");
    }

    private static AccessMode accessMode(String key, String value, ErrorContext ctx) {
        return AccessMode.parse(value).orElseThrow(() -> new InvalidRequestException(ctx, "option '" + key + "': '" + value
                + "' is not an access mode (one of " + Arrays.toString(AccessMode.values()) + ", or rwo, rox, rwx)"));
    }

    private static String nonEmpty(String key, String value, ErrorContext ctx) {
        if (value.isEmpty()) {
            throw new InvalidRequestException(ctx, "option '" + key + "' has an empty value");
        }
        return value;
    }

    private static int positiveInt(String key, String value, ErrorContext ctx) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException(ctx, "option '" + key + "': '" + value + "' is not a positive integer");
    }
}
