package io.libstorage.emulator.vbox.internal.host;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code losetup} by argument list with a deadline, and the kernel's view of loop devices. */
final class Losetup {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final String program = locate();

    /** Attaches {@code file} to a free loop device with partition scanning; returns {@code /dev/loopN}. */
    Path attach(Path file) throws IOException {
        return Path.of(run(List.of(program, "--find", "--show", "--partscan", file.toString())).strip());
    }

    void detach(Path loop) throws IOException {
        run(List.of(program, "--detach", loop.toString()));
    }

    /** The real path of the file behind a loop device, or null when it has none. */
    static Path backingFile(Path loop) {
        Path sys = Path.of("/sys/block", loop.getFileName().toString(), "loop", "backing_file");
        try {
            String f = Files.readString(sys, StandardCharsets.UTF_8).strip();
            if (f.endsWith(" (deleted)")) {
                f = f.substring(0, f.length() - " (deleted)".length());
            }
            return Path.of(f).toAbsolutePath().normalize();
        } catch (IOException e) {
            return null;
        }
    }

    /** The partition devices the kernel found on a loop device ({@code /dev/loopNp1}, …). */
    static List<Path> partitions(Path loop) {
        String name = loop.getFileName().toString();
        List<Path> out = new ArrayList<>();
        for (int i = 1; Files.exists(Path.of("/sys/block", name, name + "p" + i)); i++) {
            out.add(Path.of("/dev", name + "p" + i));
        }
        return out;
    }

    private static String run(List<String> command) throws IOException {
        Path out = Files.createTempFile("vbox-emulator-losetup", ".out");
        Path err = Files.createTempFile("vbox-emulator-losetup", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + DEADLINE);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String locate() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin:/bin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "losetup"))) {
                return Path.of(dir, "losetup").toString();
            }
        }
        return "losetup";
    }
}
