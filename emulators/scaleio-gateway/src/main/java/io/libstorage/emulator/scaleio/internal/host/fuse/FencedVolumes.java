package io.libstorage.emulator.scaleio.internal.host.fuse;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

/**
 * A FUSE directory of <em>grants</em>: {@link #grant} makes a volume file reachable as
 * {@code <mountPoint>/<name>}, and {@link #revoke} takes it away again for good. A loop device attached to a
 * granted file does its I/O through this server, so revoking the grant makes every later read, write, flush
 * and discard of that loop device fail with {@code EIO}, even though the device stays attached and a filesystem
 * stays mounted on it: what a ScaleIO storage server does with I/O from an SDC the volume is no longer mapped to.
 *
 * <p>Files are opened with {@code FOPEN_DIRECT_IO}, so the kernel caches nothing of them: every read and write
 * reaches {@link #handle} and is checked there. A revoke waits until no I/O of that grant is in flight, so once it
 * returns nothing of that host can land on the volume any more. A name granted again is a new file (a new inode):
 * a device attached to the earlier grant stays fenced.
 */
public final class FencedVolumes implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final long ROOT = 1;

    private final Path mountPoint;
    private final Map<String, Grant> byName = new ConcurrentHashMap<>();
    private final Map<Long, Grant> byNode = new ConcurrentHashMap<>();
    private final AtomicLong nextNode = new AtomicLong(ROOT + 1);
    private final FuseSession session;

    /** One host's access to one volume file. */
    private static final class Grant {
        final long node;
        final String name;
        final Path file;
        final int fd;
        final ReentrantReadWriteLock io = new ReentrantReadWriteLock();
        final AtomicInteger opens = new AtomicInteger();
        boolean revoked; // guarded by io

        Grant(long node, String name, Path file, int fd) {
            this.node = node;
            this.name = name;
            this.file = file;
            this.fd = fd;
        }
    }

    private FencedVolumes(Path mountPoint, int threads) throws IOException {
        this.mountPoint = mountPoint;
        this.session = FuseSession.mount(mountPoint, "scaleio-emulator", this::handle, threads);
    }

    /** Mounts an empty grant directory at {@code mountPoint} (root, {@code /dev/fuse}). */
    public static FencedVolumes mount(Path mountPoint, int threads) throws IOException {
        return new FencedVolumes(mountPoint, threads);
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /**
     * Makes {@code volumeFile} reachable as {@code <mountPoint>/<name>}; a previous grant of that name is revoked.
     *
     * @return the path to attach a loop device to
     */
    public Path grant(String name, Path volumeFile) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a grant name: " + name);
        }
        int fd;
        try {
            fd = LibC.open(volumeFile.toString(), LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + volumeFile + " (errno " + e.getErrorCode() + ")", e);
        }
        Grant g = new Grant(nextNode.getAndIncrement(), name, volumeFile, fd);
        byNode.put(g.node, g);
        Grant old = byName.put(name, g);
        if (old != null) {
            fence(old);
        }
        return mountPoint.resolve(name);
    }

    /** Revokes the grant: from now on its I/O fails with EIO. Returns once none of its I/O is in flight. Idempotent. */
    public void revoke(String name) {
        Grant g = byName.remove(name);
        if (g != null) {
            fence(g);
        }
    }

    private void fence(Grant g) {
        g.io.writeLock().lock();
        try {
            if (!g.revoked) {
                g.revoked = true;
                closeQuietly(g.fd);
            }
        } finally {
            g.io.writeLock().unlock();
        }
        if (g.opens.get() == 0) {
            byNode.remove(g.node);
        }
    }

    /** Revokes every grant and ends the FUSE connection (devices still attached get errors, never a hang). */
    @Override
    public void close() {
        for (String name : List.copyOf(byName.keySet())) {
            revoke(name);
        }
        session.close();
    }

    // ------------------------------------------------------------------ the kernel's requests

    private int handle(FuseMessage in, int length, FuseMessage out) {
        long node = in.nodeId();
        return switch (in.opcode()) {
            case FuseOp.INIT -> init(in, out);
            case FuseOp.LOOKUP -> lookup(node, in.getName(0, length), out);
            case FuseOp.GETATTR -> getattr(node, out);
            case FuseOp.SETATTR -> (in.getInt(0) & FuseOp.FATTR_SIZE) != 0 ? -LibC.EPERM : getattr(node, out);
            case FuseOp.OPEN -> open(node, out);
            case FuseOp.READ -> read(in.getLong(0), in.getLong(8), in.getInt(16), out);
            case FuseOp.WRITE -> write(in.getLong(0), in.getLong(8), in.getInt(16), in.bodyPointer(FuseOp.WRITE_IN_SIZE), out);
            case FuseOp.FSYNC -> fsync(in.getLong(0));
            case FuseOp.FALLOCATE -> fallocate(in.getLong(0), in.getLong(8), in.getLong(16), in.getInt(24));
            case FuseOp.RELEASE -> release(in.getLong(0));
            case FuseOp.FLUSH, FuseOp.RELEASEDIR, FuseOp.FSYNCDIR, FuseOp.DESTROY -> 0;
            case FuseOp.OPENDIR -> node == ROOT ? openReply(out, 0, 0) : -LibC.ENOENT;
            case FuseOp.READDIR -> readdir(in.getLong(8), in.getInt(16), out);
            case FuseOp.STATFS -> statfs(out);
            case FuseOp.FORGET, FuseOp.BATCH_FORGET, FuseOp.INTERRUPT -> FuseSession.Handler.NO_REPLY;
            default -> -LibC.ENOSYS;
        };
    }

    private static int init(FuseMessage in, FuseMessage out) {
        int offered = in.getInt(12);
        int wanted = FuseOp.FUSE_ASYNC_READ | FuseOp.FUSE_BIG_WRITES | FuseOp.FUSE_ASYNC_DIO | FuseOp.FUSE_MAX_PAGES;
        out.zero(0, FuseOp.INIT_OUT_SIZE)
                .putInt(0, FuseOp.KERNEL_MAJOR)
                .putInt(4, FuseOp.KERNEL_MINOR)
                .putInt(8, in.getInt(8)) // max_readahead: as the kernel proposes
                .putInt(12, offered & wanted)
                .putShort(16, (short) 64) // max_background
                .putShort(18, (short) 48) // congestion_threshold
                .putInt(20, FuseSession.MAX_WRITE)
                .putInt(24, 1) // time_gran
                .putShort(28, (short) (FuseSession.MAX_WRITE / 4096)); // max_pages
        return FuseOp.INIT_OUT_SIZE;
    }

    private int lookup(long parent, String name, FuseMessage out) {
        Grant g = parent == ROOT ? byName.get(name) : null;
        if (g == null) {
            return -LibC.ENOENT;
        }
        out.putLong(0, g.node).putLong(8, 1).putLong(16, 0).putLong(24, 0).putInt(32, 0).putInt(36, 0);
        return attr(out, 40, g) ? FuseOp.ENTRY_OUT_SIZE : -LibC.EIO;
    }

    private int getattr(long node, FuseMessage out) {
        out.putLong(0, 0).putInt(8, 0).putInt(12, 0);
        if (node == ROOT) {
            rootAttr(out, 16);
            return FuseOp.ATTR_OUT_SIZE;
        }
        Grant g = byNode.get(node);
        if (g == null) {
            return -LibC.ENOENT;
        }
        return attr(out, 16, g) ? FuseOp.ATTR_OUT_SIZE : -LibC.EIO;
    }

    private static void rootAttr(FuseMessage out, int at) {
        out.zero(at, FuseOp.ATTR_SIZE).putLong(at, ROOT).putInt(at + 60, FuseOp.S_IFDIR | 0755).putInt(at + 64, 2).putInt(at + 80, 4096);
    }

    private static boolean attr(FuseMessage out, int at, Grant g) {
        long size;
        g.io.readLock().lock();
        try {
            if (g.revoked) {
                return false;
            }
            size = Files.size(g.file);
        } catch (IOException e) {
            return false;
        } finally {
            g.io.readLock().unlock();
        }
        out.zero(at, FuseOp.ATTR_SIZE)
                .putLong(at, g.node)
                .putLong(at + 8, size)
                .putLong(at + 16, (size + 511) / 512)
                .putInt(at + 60, FuseOp.S_IFREG | 0600)
                .putInt(at + 64, 1)
                .putInt(at + 80, 4096);
        return true;
    }

    private int open(long node, FuseMessage out) {
        if (node == ROOT) {
            return -21; // EISDIR
        }
        Grant g = byNode.get(node);
        if (g == null) {
            return -LibC.ENOENT;
        }
        g.io.readLock().lock();
        try {
            if (g.revoked) {
                return -LibC.EIO;
            }
            g.opens.incrementAndGet();
        } finally {
            g.io.readLock().unlock();
        }
        // no page cache on this file: every read and write of the loop device comes here and is checked
        return openReply(out, g.node, FuseOp.FOPEN_DIRECT_IO | FuseOp.FOPEN_PARALLEL_DIRECT_WRITES);
    }

    private static int openReply(FuseMessage out, long fh, int flags) {
        out.putLong(0, fh).putInt(8, flags).putInt(12, 0);
        return FuseOp.OPEN_OUT_SIZE;
    }

    private int read(long fh, long offset, int size, FuseMessage out) {
        Grant g = byNode.get(fh);
        if (g == null) {
            return -LibC.EIO;
        }
        int want = Math.min(size, out.payloadCapacity());
        g.io.readLock().lock();
        try {
            if (g.revoked) {
                return -LibC.EIO;
            }
            int done = 0;
            while (done < want) {
                long n = LibC.pread(g.fd, out.bodyPointer(done), want - done, offset + done);
                if (n == 0) {
                    break; // end of file
                }
                done += (int) n;
            }
            return done;
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        } finally {
            g.io.readLock().unlock();
        }
    }

    private int write(long fh, long offset, int size, Pointer data, FuseMessage out) {
        Grant g = byNode.get(fh);
        if (g == null) {
            return -LibC.EIO;
        }
        g.io.readLock().lock();
        try {
            if (g.revoked) {
                return -LibC.EIO;
            }
            long done = 0;
            while (done < size) {
                done += LibC.pwrite(g.fd, data.share(done), size - done, offset + done);
            }
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        } finally {
            g.io.readLock().unlock();
        }
        out.putInt(0, size).putInt(4, 0);
        return FuseOp.WRITE_OUT_SIZE;
    }

    private int fsync(long fh) {
        Grant g = byNode.get(fh);
        if (g == null) {
            return -LibC.EIO;
        }
        g.io.readLock().lock();
        try {
            if (g.revoked) {
                return -LibC.EIO;
            }
            LibC.fdatasync(g.fd);
            return 0;
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        } finally {
            g.io.readLock().unlock();
        }
    }

    /** Discard and write-zeroes of the loop device arrive as fallocate (punch hole, zero range): passed on, fenced like writes. */
    private int fallocate(long fh, long offset, long length, int mode) {
        Grant g = byNode.get(fh);
        if (g == null) {
            return -LibC.EIO;
        }
        g.io.readLock().lock();
        try {
            if (g.revoked) {
                return -LibC.EIO;
            }
            LibC.fallocate(g.fd, mode, offset, length);
            return 0;
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        } finally {
            g.io.readLock().unlock();
        }
    }

    private int release(long fh) {
        Grant g = byNode.get(fh);
        if (g != null && g.opens.decrementAndGet() <= 0) {
            g.io.readLock().lock();
            try {
                if (g.revoked) {
                    byNode.remove(g.node);
                }
            } finally {
                g.io.readLock().unlock();
            }
        }
        return 0;
    }

    private record DirEntry(long node, String name, int type) {
        static final int DT_DIR = 4;
        static final int DT_REG = 8;
    }

    private int readdir(long offset, int size, FuseMessage out) {
        List<DirEntry> entries = new ArrayList<>();
        entries.add(new DirEntry(ROOT, ".", DirEntry.DT_DIR));
        entries.add(new DirEntry(ROOT, "..", DirEntry.DT_DIR));
        byName.values().stream().sorted(Comparator.comparing(g -> g.name)).forEach(g -> entries.add(new DirEntry(g.node, g.name, DirEntry.DT_REG)));
        int limit = Math.min(size, out.payloadCapacity());
        int at = 0;
        for (int i = (int) offset; i < entries.size(); i++) { // fuse_dirent: ino, off (of the next entry), namelen, type, name padded to 8
            byte[] name = entries.get(i).name().getBytes(StandardCharsets.UTF_8);
            int length = (24 + name.length + 7) & ~7;
            if (at + length > limit) {
                break;
            }
            out.zero(at, length).putLong(at, entries.get(i).node()).putLong(at + 8, i + 1L)
                    .putInt(at + 16, name.length).putInt(at + 20, entries.get(i).type()).putBytes(at + 24, name);
            at += length;
        }
        return at;
    }

    private static int statfs(FuseMessage out) {
        out.zero(0, FuseOp.STATFS_OUT_SIZE).putInt(40, 4096).putInt(44, 255).putInt(48, 4096);
        return FuseOp.STATFS_OUT_SIZE;
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // already gone
        }
    }
}
