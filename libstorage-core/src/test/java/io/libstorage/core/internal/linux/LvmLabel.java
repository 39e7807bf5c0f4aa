package io.libstorage.core.internal.linux;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes an LVM2 physical-volume label by hand (sector 1: {@code LABELONE}, {@code LVM2 001} and the
 * label CRC that blkid verifies), so probe tests need neither lvm2 nor device-mapper.
 */
final class LvmLabel {
    private static final int[] CRC_TABLE = {0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
            0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278,
            0xbdbdf21c};

    private LvmLabel() {
    }

    static void write(Path image, long deviceSize) throws IOException {
        ByteBuffer sector = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        sector.put(0, "LABELONE".getBytes(StandardCharsets.US_ASCII));
        sector.putLong(8, 1);
        sector.putInt(20, 32);
        sector.put(24, "LVM2 001".getBytes(StandardCharsets.US_ASCII));
        sector.put(32, "abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII));
        sector.putLong(64, deviceSize);
        sector.putInt(16, crc(sector.array(), 20, 512));
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(512);
            f.write(sector.array());
        }
    }

    /** LVM's calc_crc: CRC-32 (reflected 0xEDB88320) by nibbles, seeded 0xf597a6cf, no final xor. */
    private static int crc(byte[] data, int from, int to) {
        int c = 0xf597a6cf;
        for (int i = from; i < to; i++) {
            c ^= data[i] & 0xff;
            c = (c >>> 4) ^ CRC_TABLE[c & 0xf];
            c = (c >>> 4) ^ CRC_TABLE[c & 0xf];
        }
        return c;
    }
}
