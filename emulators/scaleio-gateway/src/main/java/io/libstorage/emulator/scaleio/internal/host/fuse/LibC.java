package io.libstorage.emulator.scaleio.internal.host.fuse;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few Linux system calls the FUSE server needs and Java 17 has no API for: {@code mount(2)} with a
 * {@code /dev/fuse} descriptor, {@code poll(2)} on it, and {@code fallocate(2)} (discard) on the volume files.
 * Direct-mapped through JNA; a failing call throws {@link LastErrorException} carrying {@code errno}.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final long MS_NOSUID = 0x2;
    static final long MS_NODEV = 0x4;
    static final short POLLIN = 0x1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int EOPNOTSUPP = 95;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long read(int fd, Pointer buf, long count) throws LastErrorException;

    static native long write(int fd, Pointer buf, long count) throws LastErrorException;

    static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    static native long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    static native int fdatasync(int fd) throws LastErrorException;

    static native int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

    /** {@code fds} points to {@code struct pollfd[nfds]} ({@code int fd; short events; short revents;}). */
    static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

    static native int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;

    static final int MNT_DETACH = 0x2;

    static native int umount2(String target, int flags) throws LastErrorException;
}
