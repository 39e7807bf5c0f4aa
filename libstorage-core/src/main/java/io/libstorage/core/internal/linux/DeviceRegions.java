package io.libstorage.core.internal.linux;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads sample regions of a block device to prove it blank and readable: the first and the last
 * MiB (where partition tables, filesystem superblocks and their backups, LUKS, LVM and RAID headers
 * live) plus a few evenly spaced 64 KiB samples in between.
 *
 * <p>Reads use {@code O_DIRECT} when the device allows it, so that a device that has started to fail
 * (a fenced or vanished volume) is read from the medium and reports its I/O error instead of
 * answering from the page cache.
 */
final class DeviceRegions {
    static final int REGION_BYTES = 1 << 20;
    static final int SAMPLE_BYTES = 64 << 10;
    /** Sampled regions start on this boundary; direct I/O needs at most it. */
    private static final int ALIGN = 4096;
    private static final int INNER_SAMPLES = 6;

    private DeviceRegions() {
    }

    /**
     * Whether every sampled byte is zero.
     *
     * @throws IOException when the device cannot be opened or read
     */
    static boolean sampledRegionsAreZero(Path device) throws IOException {
        try (Reader reader = Reader.open(device)) {
            long size = reader.size();
            List<Long> starts = regionStarts(size);
            for (int i = 0; i < starts.size(); i++) {
                long start = starts.get(i);
                boolean edge = i == 0 || i == starts.size() - 1;
                if (!reader.isZero(start, Math.min(start + (edge ? REGION_BYTES : SAMPLE_BYTES), size))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Reads the first {@value #ALIGN} bytes (or the whole device when smaller), directly where the device allows.
     *
     * @throws IOException when the device cannot be opened or read
     */
    static void readStart(Path device) throws IOException {
        try (Reader reader = Reader.open(device)) {
            reader.isZero(0, Math.min(ALIGN, reader.size()));
        }
    }

    /** Start offsets of the sampled regions, aligned, in increasing order. */
    static List<Long> regionStarts(long size) {
        TreeSet<Long> starts = new TreeSet<>();
        starts.add(0L);
        if (size > REGION_BYTES) {
            starts.add(alignDown(size - REGION_BYTES));
            for (int i = 1; i <= INNER_SAMPLES; i++) {
                starts.add(alignDown(size / (INNER_SAMPLES + 1) * i));
            }
        }
        return new ArrayList<>(starts);
    }

    private static long alignDown(long offset) {
        return offset - offset % ALIGN;
    }

    /** A direct channel where possible, a buffered one for what direct I/O cannot read (unaligned tails). */
    private static final class Reader implements AutoCloseable {
        private final Path device;
        private final FileChannel direct;
        private FileChannel buffered;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(REGION_BYTES + ALIGN).alignedSlice(ALIGN);

        private Reader(Path device, FileChannel direct, FileChannel buffered) {
            this.device = device;
            this.direct = direct;
            this.buffered = buffered;
        }

        static Reader open(Path device) throws IOException {
            FileChannel direct;
            try {
                // the JDK demands direct reads aligned to the block size of the device node's file store
                long alignment = Files.getFileStore(device).getBlockSize();
                if (alignment <= 0 || ALIGN % alignment != 0) {
                    return new Reader(device, null, FileChannel.open(device, StandardOpenOption.READ));
                }
                direct = FileChannel.open(device, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                // no O_DIRECT here (e.g. a regular file on tmpfs): buffered reads; a real open error repeats below
                return new Reader(device, null, FileChannel.open(device, StandardOpenOption.READ));
            }
            return new Reader(device, direct, null);
        }

        long size() throws IOException {
            return direct != null ? direct.size() : buffered.size();
        }

        boolean isZero(long from, long to) throws IOException {
            long alignedEnd = direct != null ? alignDown(to) : from;
            if (alignedEnd > from && !isZero(direct, from, alignedEnd)) {
                return false;
            }
            long tailFrom = Math.max(from, alignedEnd);
            return tailFrom >= to || isZero(buffered(), tailFrom, to);
        }

        private FileChannel buffered() throws IOException {
            if (buffered == null) {
                buffered = FileChannel.open(device, StandardOpenOption.READ);
            }
            return buffered;
        }

        private boolean isZero(FileChannel ch, long from, long to) throws IOException {
            buffer.clear().limit((int) (to - from));
            long pos = from;
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, pos);
                if (n < 0) {
                    throw new IOException("unexpected end of " + device + " at byte " + pos + " (size " + size() + ")");
                }
                pos += n;
            }
            buffer.flip();
            while (buffer.remaining() >= Long.BYTES) {
                if (buffer.getLong() != 0) {
                    return false;
                }
            }
            while (buffer.hasRemaining()) {
                if (buffer.get() != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            try {
                if (direct != null) {
                    direct.close();
                }
            } finally {
                if (buffered != null) {
                    buffered.close();
                }
            }
        }
    }
}
