package io.libstorage.cli.internal.service;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a service tells whoever supervises it that it serves: systemd's {@code sd_notify} protocol when
 * {@code NOTIFY_SOCKET} is set (a {@code Type=notify} unit), else a ready file.
 *
 * <p>{@code sd_notify} is a datagram on a unix socket, which the JDK cannot send (it has unix stream sockets
 * only). Rather than a native library, {@link SystemdNotify} runs systemd's own {@code systemd-notify --ready}
 * (argument list, deadline): it is there wherever systemd is, handles every socket form systemd uses (abstract
 * names too), and waits until the service manager has read the message, so the notification is not lost to
 * the race of a sender that exits first. docs/ARCHITECTURE.md, Dependencies, has the trade-off.
 */
public sealed interface Readiness permits Readiness.SystemdNotify, Readiness.ReadyFile {
    /** The environment variable systemd sets for a {@code Type=notify} service. */
    String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    /** Through {@code NOTIFY_SOCKET} when the environment has it, else by writing {@code readyFile}. */
    static Readiness of(Map<String, String> environment, Path readyFile, ProcessRunner processes) {
        String socket = environment.get(NOTIFY_SOCKET);
        return socket != null && !socket.isBlank() ? new SystemdNotify(socket, processes) : new ReadyFile(readyFile);
    }

    /** Before the service starts: forgets a readiness that a killed predecessor left (its ready file). */
    void notReadyYet(ErrorContext ctx);

    /** The service answers on {@code socket}: tell the supervisor. */
    void ready(Path socket, ErrorContext ctx);

    /** The service has stopped serving. Never throws. */
    void stopped();

    /** {@code systemd-notify --ready} with {@code NOTIFY_SOCKET}; the supervisor sees the stop itself. */
    record SystemdNotify(String socket, ProcessRunner processes) implements Readiness {
        static final Duration DEADLINE = Duration.ofSeconds(20);

        @Override
        public void notReadyYet(ErrorContext ctx) {
        }

        @Override
        public void ready(Path serving, ErrorContext ctx) {
            // env: the socket comes from this command's environment, which a test may give without the process's
            List<String> command = List.of("env", NOTIFY_SOCKET + "=" + socket, "systemd-notify", "--ready",
                    "--status=serving on " + serving);
            processes.run(ctx, command, DEADLINE).requireSuccess(ctx);
            Log.LOG.info("told the service manager that the plugin is ready (NOTIFY_SOCKET={})", socket);
        }

        @Override
        public void stopped() {
        }
    }

    /** A file {@code pid=<pid>\nsocket=<path>\n} (mode 0644) that exists exactly while the service answers. */
    record ReadyFile(Path file) implements Readiness {
        @Override
        public void notReadyYet(ErrorContext ctx) {
            try {
                AtomicFiles.delete(file);
            } catch (IOException e) {
                throw new OperationFailedException(ctx, "cannot remove the ready file " + file + " of an earlier run: " + e, e);
            }
        }

        @Override
        public void ready(Path serving, ErrorContext ctx) {
            String content = "pid=" + ProcessHandle.current().pid() + "\nsocket=" + serving + "\n";
            try {
                AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e) {
                throw new OperationFailedException(ctx, "cannot write the ready file " + file + ": " + e, e);
            }
            Log.LOG.info("ready: wrote {}", file);
        }

        @Override
        public void stopped() {
            try {
                AtomicFiles.delete(file);
            } catch (IOException e) {
                Log.LOG.warn("cannot remove the ready file {}: {}", file, e.toString());
            }
        }
    }

    /** The interface's logger (an interface cannot hold a private one). */
    final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

        private Log() {
        }
    }
}
