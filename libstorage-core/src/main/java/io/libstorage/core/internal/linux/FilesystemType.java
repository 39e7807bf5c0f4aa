package io.libstorage.core.internal.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The filesystems the Linux OS driver formats, with their mkfs invocation and label limits. */
enum FilesystemType {
    EXT4("ext4", 16, "-F"),
    XFS("xfs", 12, "-f"),
    BTRFS("btrfs", 255, "-f");

    private final String fsName;
    private final int maxLabelBytes;
    private final String forceFlag;

    FilesystemType(String fsName, int maxLabelBytes, String forceFlag) {
        this.fsName = fsName;
        this.maxLabelBytes = maxLabelBytes;
        this.forceFlag = forceFlag;
    }

    static Optional<FilesystemType> of(String name) {
        return Arrays.stream(values()).filter(t -> t.fsName.equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(t -> t.fsName).toList();
    }

    String fsName() {
        return fsName;
    }

    int maxLabelBytes() {
        return maxLabelBytes;
    }

    /**
     * The mkfs command. The force flag is passed only for an explicit overwrite: without it mkfs.xfs,
     * mkfs.btrfs and mke2fs (stdin is /dev/null, so its question is answered "no") refuse a device
     * that gained a signature after our probe, a second line of defence.
     */
    List<String> mkfsCommand(Path device, List<String> options, String label, boolean overwrite) {
        List<String> cmd = new ArrayList<>(List.of("mkfs." + fsName, "-q"));
        if (overwrite) {
            cmd.add(forceFlag);
        }
        if (label != null && !label.isEmpty()) {
            cmd.add("-L");
            cmd.add(shortenLabel(label, maxLabelBytes));
        }
        cmd.addAll(options);
        cmd.add(device.toString());
        return cmd;
    }

    /** {@code label} cut to at most {@code maxBytes} bytes of UTF-8, never inside a character. */
    static String shortenLabel(String label, int maxBytes) {
        if (label.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return label;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < label.length(); ) {
            int cp = label.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
