package io.libstorage.emulator.scaleio.internal.host.fuse;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A FUSE mount served by this JVM, speaking the kernel protocol over {@code /dev/fuse} directly (no libfuse):
 * {@link #mount} opens the device, mounts it with {@code mount(2)} (root only) and starts worker threads that
 * read requests, hand them to a {@link Handler} and write the replies. Several workers read the same descriptor,
 * so the kernel's requests are served concurrently; each waits in its own {@code epoll} set with
 * {@code EPOLLEXCLUSIVE}, so that a request wakes one idle worker rather than all of them, and with a timeout, so
 * that {@link #close()} can stop it.
 *
 * <p>{@link #close()} detaches the mount lazily, stops the workers and closes the descriptor. Closing it aborts
 * the connection: whatever still holds a file of this mount open (a loop device under a mounted filesystem)
 * gets errors from then on instead of hanging on a server that no longer answers. A killed JVM has the same
 * effect, as the kernel closes the descriptor.
 */
public final class FuseSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FuseSession.class);
    /** The largest write the kernel may send (with FUSE_MAX_PAGES, 256 pages). */
    static final int MAX_WRITE = 1 << 20;
    /** A request buffer must hold a write of MAX_WRITE plus its headers; the kernel refuses smaller reads. */
    private static final int REQUEST_BUFFER = MAX_WRITE + 4096;
    private static final int POLL_MILLIS = 200;

    /** What answers the requests. Called from several worker threads at once. */
    interface Handler {
        /** Marks a request that takes no reply (FORGET, INTERRUPT). */
        int NO_REPLY = Integer.MIN_VALUE;

        /**
         * Handles one request and writes the reply payload into {@code reply}.
         *
         * @return the payload length, {@code -errno} for an error reply, or {@link #NO_REPLY}
         */
        int handle(FuseMessage request, int requestLength, FuseMessage reply);
    }

    private final Path mountPoint;
    private final int fd;
    private final Handler handler;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;
    private boolean closed;

    private FuseSession(Path mountPoint, int fd, Handler handler) {
        this.mountPoint = mountPoint;
        this.fd = fd;
        this.handler = handler;
    }

    /**
     * Mounts a FUSE file system of type {@code fuse.<subtype>} at {@code mountPoint} (an existing, empty
     * directory) and serves it with {@code threads} workers.
     *
     * @throws IOException when {@code /dev/fuse} cannot be opened or the mount is refused (not root, no FUSE)
     */
    public static FuseSession mount(Path mountPoint, String subtype, Handler handler, int threads) throws IOException {
        int fd;
        try {
            fd = LibC.open("/dev/fuse", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open /dev/fuse (errno " + e.getErrorCode() + "): the fenced data path needs FUSE", e);
        }
        String options = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0,default_permissions";
        try {
            LibC.mount(subtype, mountPoint.toString(), "fuse." + subtype, LibC.MS_NOSUID | LibC.MS_NODEV, options);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new IOException("cannot mount FUSE at " + mountPoint + " (errno " + e.getErrorCode() + "): the fenced data path needs root", e);
        }
        FuseSession session = new FuseSession(mountPoint, fd, handler);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(session::serve, "fuse-" + subtype + "-" + i);
            t.setDaemon(true);
            session.workers.add(t);
            t.start();
        }
        return session;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    private void serve() {
        FuseMessage request = FuseMessage.request(REQUEST_BUFFER);
        FuseMessage reply = FuseMessage.reply(MAX_WRITE + FuseMessage.OUT_HEADER + 4096);
        int epoll;
        Memory event = new Memory(LibC.EPOLL_EVENT_SIZE);
        try {
            epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
            event.clear();
            event.setInt(0, LibC.EPOLLIN | LibC.EPOLLEXCLUSIVE);
            LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, fd, event);
        } catch (LastErrorException e) {
            LOG.warn("cannot wait for requests on {} (errno {}); this FUSE worker stops", mountPoint, e.getErrorCode());
            return;
        }
        try {
            serve(epoll, event, request, reply);
        } finally {
            closeQuietly(epoll);
        }
    }

    private void serve(int epoll, Memory event, FuseMessage request, FuseMessage reply) {
        while (running) {
            if (!readable(epoll, event)) {
                continue;
            }
            int length;
            try {
                length = (int) LibC.read(fd, request.pointer(), request.capacity());
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.EAGAIN || errno == LibC.EINTR || errno == LibC.ENOENT) {
                    continue; // another worker took it, or the request was interrupted before we read it
                }
                if (errno != LibC.ENODEV) {
                    LOG.warn("reading {} failed (errno {}); this FUSE worker stops", mountPoint, errno);
                }
                return; // ENODEV: unmounted
            }
            answer(request, length, reply);
        }
    }

    /** Waits up to POLL_MILLIS for a request (then the caller looks at {@code running} again). */
    private static boolean readable(int epoll, Memory event) {
        try {
            return LibC.epoll_wait(epoll, event, 1, POLL_MILLIS) > 0;
        } catch (LastErrorException e) {
            return false; // EINTR
        }
    }

    private void answer(FuseMessage request, int length, FuseMessage reply) {
        long unique = request.unique();
        int result;
        try {
            result = handler.handle(request, length, reply);
        } catch (RuntimeException e) {
            LOG.warn("FUSE request {} on {} failed: {}", request.opcode(), mountPoint, e.toString());
            result = -LibC.EIO;
        }
        if (result == Handler.NO_REPLY) {
            return;
        }
        int total = result >= 0 ? reply.finishReply(unique, 0, result) : reply.finishReply(unique, result, 0);
        try {
            LibC.write(fd, reply.pointer(), total);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.ENOENT && e.getErrorCode() != LibC.ENODEV) { // ENOENT: the request was interrupted
                LOG.warn("replying to FUSE request {} on {} failed (errno {})", request.opcode(), mountPoint, e.getErrorCode());
            }
        }
    }

    /**
     * Detaches the mount (lazily: files held open stay usable until the connection ends), stops the workers and
     * closes the device, which aborts the connection for whatever still holds a file open.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibC.umount2(mountPoint.toString(), LibC.MNT_DETACH); // while the workers still answer what unmounting asks
        } catch (LastErrorException e) {
            LOG.warn("cannot unmount {} (errno {})", mountPoint, e.getErrorCode());
        }
        running = false;
        for (Thread t : workers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(fd);
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // nothing left to release
        }
    }
}
