package io.libstorage.spi.support;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default {@link ProcessRunner}: {@link ProcessBuilder} with an argument list, stdin closed,
 * both outputs drained concurrently, {@code LC_ALL=C} so messages can be parsed, and the process
 * tree killed at the deadline.
 */
public final class SystemProcessRunner implements ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SystemProcessRunner.class);
    private static final SystemProcessRunner INSTANCE = new SystemProcessRunner();

    private SystemProcessRunner() {
    }

    public static SystemProcessRunner instance() {
        return INSTANCE;
    }

    @Override
    public ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new OperationFailedException(context, "could not start '" + command.get(0) + "': " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                throw new OperationTimeoutException(context, "'" + String.join(" ", command) + "'", timeout);
            }
            String stdout = out.get(5, TimeUnit.SECONDS);
            String stderr = err.get(5, TimeUnit.SECONDS);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            LOG.debug("{} -> {} in {} ms", command, p.exitValue(), elapsed.toMillis());
            return new ProcessResult(command, p.exitValue(), stdout, stderr, elapsed);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new OperationFailedException(context, "interrupted while running '" + command.get(0) + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            kill(p);
            throw new OperationFailedException(context, "could not read the output of '" + command.get(0) + "': " + e, e);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "process-output");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
