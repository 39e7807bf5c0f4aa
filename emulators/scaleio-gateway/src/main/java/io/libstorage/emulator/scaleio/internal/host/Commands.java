package io.libstorage.emulator.scaleio.internal.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs external programs with an argument list (never a shell) and a deadline. */
public final class Commands {
    private Commands() {
    }

    /** The output of a finished command. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** A command that could not run, timed out or exited non-zero. */
    public static final class CommandException extends IOException {
        private static final long serialVersionUID = 1L;

        public CommandException(String message) {
            super(message);
        }
    }

    public static Result run(List<String> command, Duration deadline) throws CommandException {
        return run(command, Map.of(), deadline);
    }

    /** Runs and requires exit code 0. */
    public static String check(List<String> command, Duration deadline) throws CommandException {
        Result r = run(command, Map.of(), deadline);
        if (r.exitCode() != 0) {
            throw new CommandException(String.join(" ", command) + " exited with " + r.exitCode() + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Runs with extra environment variables (used to hand secrets to a child without putting them on its command line). */
    public static Result run(List<String> command, Map<String, String> env, Duration deadline) throws CommandException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CommandException("cannot start " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new CommandException(String.join(" ", command) + " did not finish within " + deadline);
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + command.get(0));
        } catch (ExecutionException | TimeoutException e) {
            throw new CommandException("cannot read the output of " + command.get(0) + ": " + e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** The absolute path of a program found on PATH or in the sbin directories, or the bare name. */
    public static String locate(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin:/usr/local/sbin:/bin:/usr/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        return program;
    }
}
