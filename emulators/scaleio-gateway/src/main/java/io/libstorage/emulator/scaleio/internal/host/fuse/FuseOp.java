package io.libstorage.emulator.scaleio.internal.host.fuse;

/** The FUSE kernel protocol's opcodes, flags and structure sizes that {@link FencedVolumes} uses (protocol 7.31). */
final class FuseOp {
    static final int LOOKUP = 1;
    static final int FORGET = 2;
    static final int GETATTR = 3;
    static final int SETATTR = 4;
    static final int OPEN = 14;
    static final int READ = 15;
    static final int WRITE = 16;
    static final int STATFS = 17;
    static final int RELEASE = 18;
    static final int FSYNC = 20;
    static final int FLUSH = 25;
    static final int INIT = 26;
    static final int OPENDIR = 27;
    static final int READDIR = 28;
    static final int RELEASEDIR = 29;
    static final int FSYNCDIR = 30;
    static final int INTERRUPT = 36;
    static final int DESTROY = 38;
    static final int BATCH_FORGET = 42;
    static final int FALLOCATE = 43;

    static final int KERNEL_MAJOR = 7;
    static final int KERNEL_MINOR = 31;

    // fuse_init_out.flags we ask for when the kernel offers them
    static final int FUSE_ASYNC_READ = 1;
    static final int FUSE_BIG_WRITES = 1 << 5;
    static final int FUSE_ASYNC_DIO = 1 << 15;
    static final int FUSE_MAX_PAGES = 1 << 22;

    // fuse_open_out.open_flags
    static final int FOPEN_DIRECT_IO = 1;
    static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;

    // fuse_setattr_in.valid
    static final int FATTR_SIZE = 1 << 3;

    static final int ATTR_SIZE = 88;
    static final int ENTRY_OUT_SIZE = 40 + ATTR_SIZE;
    static final int ATTR_OUT_SIZE = 16 + ATTR_SIZE;
    static final int OPEN_OUT_SIZE = 16;
    static final int INIT_OUT_SIZE = 64;
    static final int STATFS_OUT_SIZE = 80;
    static final int WRITE_OUT_SIZE = 8;
    static final int WRITE_IN_SIZE = 40;

    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;

    private FuseOp() {
    }
}
