package io.libstorage.emulator.scaleio.internal.host.fuse;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few Linux system calls the FUSE server needs and Java 17 has no API for: {@code mount(2)} with a
 * {@code /dev/fuse} descriptor, reading and writing that descriptor, waiting on it with {@code epoll(7)}, and
 * {@code pread}/{@code pwrite}/{@code fallocate} (discard) on the volume files.
 * Direct-mapped through JNA; a failing call throws {@link LastErrorException} carrying {@code errno}.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final long MS_NOSUID = 0x2;
    static final long MS_NODEV = 0x4;

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

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x1;
    /** Wake one of the waiters on the descriptor, not all of them (Linux 4.5). */
    static final int EPOLLEXCLUSIVE = 1 << 28;
    /** Room for one {@code struct epoll_event} ({@code uint32_t events; uint64_t data;}: 12 bytes packed on x86-64, 16 elsewhere). */
    static final int EPOLL_EVENT_SIZE = 16;

    static native int epoll_create1(int flags) throws LastErrorException;

    static native int epoll_ctl(int epfd, int op, int fd, Pointer event) throws LastErrorException;

    static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis) throws LastErrorException;

    static native int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;

    static final int MNT_DETACH = 0x2;

    static native int umount2(String target, int flags) throws LastErrorException;
}
