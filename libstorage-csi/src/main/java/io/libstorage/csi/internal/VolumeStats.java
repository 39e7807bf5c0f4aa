package io.libstorage.csi.internal;

import io.libstorage.csi.internal.Model.VolumeInfo;
import io.libstorage.csi.proto.VolumeUsage;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** Bytes and inodes of a published volume, from {@code stat --file-system}; a block volume reports its size. */
final class VolumeStats {
    private final Library library;

    VolumeStats(Library library) {
        this.library = library;
    }

    List<VolumeUsage> usage(VolumeInfo v, Path path) {
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || (!Files.isDirectory(path))) {
            return List.of(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.BYTES).setTotal(v.capacityBytes()).build());
        }
        // fundamental block size, blocks, free blocks, blocks available to users, inodes, free inodes
        String out = library.run("stats", v.name(), List.of("stat", "--file-system", "--format=%S %b %f %a %c %d", path.toString())).strip();
        String[] f = out.split("\\s+");
        if (f.length != 6) {
            throw new IllegalStateException("unexpected output of stat: '" + out + "'");
        }
        long blockSize = Long.parseLong(f[0]);
        long blocks = Long.parseLong(f[1]);
        long free = Long.parseLong(f[2]);
        long available = Long.parseLong(f[3]);
        long inodes = Long.parseLong(f[4]);
        long freeInodes = Long.parseLong(f[5]);
        return List.of(
                VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.BYTES)
                        .setTotal(blocks * blockSize).setAvailable(available * blockSize).setUsed((blocks - free) * blockSize).build(),
                VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.INODES)
                        .setTotal(inodes).setAvailable(freeInodes).setUsed(inodes - freeInodes).build());
    }
}
