package io.libstorage.core.internal.linux;

import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.ProcessResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interprets {@code blkid -p -o export}: exit 0 = something was found, 2 = nothing was found (which
 * blkid also answers for an unreadable device, so blankness needs our own read), 8 = several
 * signatures, anything else = the probe itself failed.
 */
final class BlkidProbe {
    static final int FOUND = 0;
    static final int NOTHING_FOUND = 2;
    static final int AMBIVALENT = 8;

    private BlkidProbe() {
    }

    static List<String> command(Path device) {
        return List.of("blkid", "-p", "-o", "export", device.toString());
    }

    /**
     * @param regionsZero whether our own read of the probed regions found only zeros
     * @throws DeviceIOException when blkid failed
     */
    static ProbeResult interpret(ProcessResult result, boolean regionsZero, Path device, ErrorContext context) {
        return switch (result.exitCode()) {
            case FOUND -> signature(parseExport(result.stdout()));
            case NOTHING_FOUND -> regionsZero ? ProbeResult.blank() : new ProbeResult.Signature("data", "non-zero data");
            case AMBIVALENT -> new ProbeResult.Signature("ambivalent", "several signatures");
            default -> throw new DeviceIOException(context, "probing " + device + " failed: " + result.describeFailure(), null);
        };
    }

    static ProbeResult.Signature signature(Map<String, String> tags) {
        String type = tags.get("TYPE");
        if (type != null && !type.isEmpty()) {
            return new ProbeResult.Signature(type, tags.getOrDefault("USAGE", "unknown"));
        }
        String table = tags.get("PTTYPE");
        if (table != null && !table.isEmpty()) {
            return new ProbeResult.Signature(table, "partition table");
        }
        // blkid found something it could not name: still not blank
        return new ProbeResult.Signature("unknown", "unnamed signature");
    }

    /** {@code KEY=value} lines; blkid escapes special characters in values with backslashes. */
    static Map<String, String> parseExport(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).strip(), unescape(line.substring(eq + 1).strip()));
            }
        }
        return out;
    }

    private static String unescape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                c = value.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }
}
