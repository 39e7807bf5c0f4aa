package io.libstorage.core.internal.linux;

import io.libstorage.api.MountEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads this process's mount table from {@code /proc/self/mountinfo} (proc(5)) in-process, without
 * spawning {@code findmnt}. The Linux OS driver is its only reader; storage drivers ask it through
 * {@link io.libstorage.spi.HostDevices}.
 *
 * <p>Handles what naive parsers get wrong: octal escapes in paths ({@code \040} space, {@code \011}
 * tab, {@code \012} newline, {@code \134} backslash), a variable number of optional fields before
 * the {@code -} separator, empty mount sources, bind mounts (the {@code root} field) and one device
 * mounted at several places.
 */
final class MountTable {
    /** The mount table of the calling process. */
    static final Path PROC_SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private MountTable() {
    }

    /**
     * The current mount table of this process, in kernel order (parents before children, later
     * mounts last), with {@linkplain #withBlockDeviceNumbers block device numbers} so that
     * {@link MountEntry#deviceNumber()} compares equal to {@link #blockDeviceNumber} of the device.
     */
    static List<MountEntry> read() throws IOException {
        return withBlockDeviceNumbers(parse(Files.readAllBytes(PROC_SELF_MOUNTINFO)));
    }

    /**
     * Replaces the anonymous device numbers ({@code 0:N}) that btrfs reports for its mounts with the
     * numbers of the block device named as the mount source, when that is a block device. Without
     * this, a btrfs mount never matches its device by {@code major:minor}.
     */
    static List<MountEntry> withBlockDeviceNumbers(List<MountEntry> table) {
        List<MountEntry> out = new ArrayList<>(table.size());
        for (MountEntry e : table) {
            MountEntry fixed = e;
            if (e.major() == 0 && e.source().startsWith("/dev/")) {
                try {
                    long[] n = blockDeviceNumbers(Path.of(e.source()));
                    if (n != null) {
                        fixed = new MountEntry(e.mountId(), e.parentId(), (int) n[0], (int) n[1], e.root(), e.mountPoint(),
                                e.options(), e.fsType(), e.source(), e.superOptions());
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the source is gone or unreadable: keep what the kernel said
                }
            }
            out.add(fixed);
        }
        return out;
    }

    /**
     * The {@code major:minor} of a block device, read in-process ({@code stat}); empty when the path
     * does not exist or is not a block device.
     */
    static Optional<String> blockDeviceNumber(Path device) throws IOException {
        try {
            long[] n = blockDeviceNumbers(device);
            return n == null ? Optional.empty() : Optional.of(n[0] + ":" + n[1]);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static long[] blockDeviceNumbers(Path device) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(device, "unix:mode,rdev");
        if (((Integer) attrs.get("mode") & S_IFMT) != S_IFBLK) {
            return null;
        }
        return split((Long) attrs.get("rdev"));
    }

    /** glibc's {@code major()}/{@code minor()} of a 64-bit {@code dev_t}. */
    private static long[] split(long dev) {
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        return new long[]{major, minor};
    }

    /** A {@code dev_t} (as {@code stat} gives it) as {@code major:minor}. */
    static String majorMinor(long dev) {
        long[] n = split(dev);
        return n[0] + ":" + n[1];
    }

    /**
     * Parses mountinfo text.
     *
     * @throws IllegalArgumentException naming the first malformed line
     */
    static List<MountEntry> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses mountinfo content as read from the file (paths are bytes; they are decoded as UTF-8 after unescaping). */
    static List<MountEntry> parse(byte[] content) {
        // ISO-8859-1 maps bytes 1:1 to chars, so multi-byte UTF-8 sequences survive until unescape() re-decodes them
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<MountEntry> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            out.add(parseLine(line, lineNo));
        }
        return out;
    }

    private static MountEntry parseLine(String line, int lineNo) {
        // split on single spaces: an empty mount source shows up as an empty field and must not shift the others
        String[] f = line.split(" ", -1);
        int separator = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                separator = i;
                break;
            }
        }
        if (f.length < 10 || separator < 0 || f.length < separator + 4) {
            throw new IllegalArgumentException("mountinfo line " + lineNo + " is malformed: " + printable(line));
        }
        try {
            int mountId = Integer.parseInt(f[0]);
            int parentId = Integer.parseInt(f[1]);
            int colon = f[2].indexOf(':');
            int major = Integer.parseInt(f[2].substring(0, colon));
            int minor = Integer.parseInt(f[2].substring(colon + 1));
            return new MountEntry(mountId, parentId, major, minor, unescape(f[3]), Path.of(unescape(f[4])),
                    Arrays.asList(f[5].split(",")), unescape(f[separator + 1]), unescape(f[separator + 2]),
                    Arrays.asList(f[separator + 3].split(",")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("mountinfo line " + lineNo + " is malformed (" + e.getMessage() + "): "
                    + printable(line), e);
        }
    }

    /**
     * Resolves the kernel's octal escapes ({@code \040} and friends). The input holds one char per
     * byte (ISO-8859-1); the result is decoded as UTF-8.
     */
    static String unescape(String field) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                bytes.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                bytes.write(c & 0xff);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** The mounts of the block device {@code major:minor}, in kernel order. */
    static List<MountEntry> mountsOf(List<MountEntry> table, int major, int minor) {
        return table.stream().filter(e -> e.major() == major && e.minor() == minor).toList();
    }

    /** The topmost mount at exactly {@code mountPoint} (compared after normalising), or {@code null}. */
    static MountEntry at(List<MountEntry> table, Path mountPoint) {
        Path wanted = mountPoint.toAbsolutePath().normalize();
        List<MountEntry> here = table.stream().filter(e -> e.mountPoint().equals(wanted)).toList();
        // stacked mounts: the topmost is the one no other mount at this path sits on
        for (int i = here.size() - 1; i >= 0; i--) {
            MountEntry candidate = here.get(i);
            if (here.stream().noneMatch(e -> e.parentId() == candidate.mountId())) {
                return candidate;
            }
        }
        return here.isEmpty() ? null : here.get(here.size() - 1);
    }

    private static String printable(String line) {
        String s = line.length() > 300 ? line.substring(0, 300) + "..." : line;
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
