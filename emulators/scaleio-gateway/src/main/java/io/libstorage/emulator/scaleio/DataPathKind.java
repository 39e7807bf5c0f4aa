package io.libstorage.emulator.scaleio;

/**
 * What stands behind the emulator's volumes and mappings on this machine ({@link ScaleIoGatewayEmulator.Builder#dataPath(DataPathKind)},
 * {@code --data-path loop|fenced}).
 */
public enum DataPathKind {
    /** Volumes exist only in the model: no files, no devices (protocol tests, no root needed). */
    NONE,
    /**
     * Sparse volume files; a mapping attaches a loop device directly to the volume file. The fastest, but an
     * unmapped host that still holds its device open (a mounted filesystem) keeps reading and writing the volume.
     */
    LOOP,
    /**
     * Like {@link #LOOP}, but each mapping's loop device is attached to a file that the emulator serves through
     * FUSE: once the volume is unmapped from a host, every read, write, flush and discard from that host's device
     * fails with EIO, as a real ScaleIO storage server refuses I/O from an unmapped SDC. Needs root and
     * {@code /dev/fuse}.
     */
    FENCED
}
