package io.libstorage.emulator.scaleio;

import io.libstorage.testing.Prerequisites;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every test of {@link LoopDataPathIT} again, with each mapping's loop device served through the emulator's FUSE server. */
class FencedLoopDataPathIT extends LoopDataPathIT {

    @Override
    DataPathKind kind() {
        return DataPathKind.FENCED;
    }

    @Override
    void requirePrerequisites() {
        super.requirePrerequisites();
        requireFuse();
    }

    /** Root, {@code /dev/fuse} and the kernel's FUSE file system (fails under CI=true, skips elsewhere). */
    static void requireFuse() {
        Prerequisites.requireRoot();
        Prerequisites.require(Files.exists(Path.of("/dev/fuse")), "the test needs /dev/fuse (modprobe fuse)");
        boolean registered;
        try {
            registered = Files.readAllLines(Path.of("/proc/filesystems")).stream().anyMatch(l -> l.endsWith("\tfuse"));
        } catch (IOException e) {
            registered = false;
        }
        Prerequisites.require(registered, "the test needs the kernel's FUSE file system (fuse in /proc/filesystems)");
    }
}
