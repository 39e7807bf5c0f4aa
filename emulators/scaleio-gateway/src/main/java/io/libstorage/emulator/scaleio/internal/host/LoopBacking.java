package io.libstorage.emulator.scaleio.internal.host;

import io.libstorage.emulator.scaleio.internal.host.fuse.FencedVolumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the loop device of one mapping is attached to. {@link #plain} attaches it to the volume file itself:
 * fast, but an unmapped host that still has the device open (a filesystem stays mounted on it) keeps reading
 * and writing the volume. {@link #fenced} attaches it to a per-mapping file that this JVM serves through FUSE,
 * so that {@link #fence} makes that host's I/O fail with EIO, as a real storage server refuses I/O from an
 * SDC the volume is no longer mapped to.
 */
interface LoopBacking extends AutoCloseable {

    /** The file to attach the loop device of mapping {@code key} to; that host's I/O reaches {@code volumeFile}. */
    Path attach(String key, Path volumeFile) throws IOException;

    /** From now on, I/O through what {@link #attach} returned for {@code key} fails. Returns when none is in flight. */
    void fence(String key);

    /** Whether the loop device should do direct I/O on what {@link #attach} returned ({@code losetup --direct-io=on}). */
    boolean directIo();

    @Override
    void close();

    static LoopBacking plain() {
        return new LoopBacking() {
            @Override
            public Path attach(String key, Path volumeFile) {
                return volumeFile;
            }

            @Override
            public void fence(String key) {
                // nothing stands between the loop device and the volume file
            }

            @Override
            public boolean directIo() {
                return false; // as before: the loop device reads and writes through the volume file's page cache
            }

            @Override
            public void close() {
            }
        };
    }

    /** Mounts the FUSE server at {@code mountPoint} (created if missing; root and {@code /dev/fuse} needed). */
    static LoopBacking fenced(Path mountPoint) throws IOException {
        Files.createDirectories(mountPoint);
        FencedVolumes fuse = FencedVolumes.mount(mountPoint, 4);
        return new LoopBacking() {
            @Override
            public Path attach(String key, Path volumeFile) throws IOException {
                return fuse.grant(key, volumeFile);
            }

            @Override
            public void fence(String key) {
                fuse.revoke(key);
            }

            /**
             * The FUSE file has no page cache anyway (direct I/O on the server side); with direct I/O the loop device
             * also sends each request as one asynchronous FUSE request instead of one synchronous call per segment,
             * several times the random-read throughput (benchmarks/README.md).
             */
            @Override
            public boolean directIo() {
                return true;
            }

            @Override
            public void close() {
                fuse.close();
                try {
                    Files.deleteIfExists(mountPoint);
                } catch (IOException e) {
                    // a mount point that is still busy stays; the next start in this data dir removes it
                }
            }
        };
    }
}
