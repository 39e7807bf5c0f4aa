package io.libstorage.cli.internal.dvdcli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dvdcli's {@code --volumeopts}: a string slice, so {@code --volumeopts=a=1,b=2} is two items and a
 * value containing a comma is split; each item is {@code key=value} split at its first {@code =}
 * (dvdcli kept only the text up to a second {@code =}; here the rest belongs to the value). Empty items
 * are ignored; an item without {@code =} or with an empty key is a usage error (dvdcli crashed). A key
 * given again replaces the earlier value, as in dvdcli's map.
 */
final class VolumeOpts {
    private VolumeOpts() {
    }

    /** The options of the (already comma-split) items. */
    static Map<String, String> parse(List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new DvdcliCli.UsageException("--volumeopts item '" + item + "' is not key=value");
            }
            if (eq == 0) {
                throw new DvdcliCli.UsageException("--volumeopts item '" + item + "' has an empty key");
            }
            out.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return out;
    }
}
