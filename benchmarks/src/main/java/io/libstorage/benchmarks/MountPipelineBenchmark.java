package io.libstorage.benchmarks;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountOptions;
import io.libstorage.api.RemoveOptions;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our cold mount pipeline (create + attach + format + mount through {@link LibStorage} on localfs
 * and the Linux OS driver) against the same sequence run by hand (sparse file, {@code losetup},
 * {@code mkfs.ext4}, {@code mount}), alternating, in one run; then the warm idempotent re-mount.
 * Counts the processes spawned per operation. Needs root. Run:
 * {@code java -cp <classpath> io.libstorage.benchmarks.MountPipelineBenchmark [rounds] [sizeMiB]}.
 */
public final class MountPipelineBenchmark {
    private MountPipelineBenchmark() {
    }

    /** A process runner that counts what it starts. */
    static final class Counting implements ProcessRunner {
        final AtomicInteger spawned = new AtomicInteger();
        final List<String> programs = new ArrayList<>();
        final java.util.Map<String, Double> millisByProgram = new java.util.TreeMap<>();

        @Override
        public synchronized ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
            spawned.incrementAndGet();
            programs.add(command.get(0));
            long t0 = System.nanoTime();
            ProcessResult r = SystemProcessRunner.instance().run(context, command, timeout);
            millisByProgram.merge(command.get(0) + (command.size() > 1 && command.get(1).startsWith("-") ? " " + command.get(1) : ""),
                    (System.nanoTime() - t0) / 1e6, Double::sum);
            return r;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long sizeMiB = args.length > 1 ? Long.parseLong(args[1]) : 256;
        Path work = Files.createTempDirectory("libstorage-bench-mount-");
        Counting counting = new Counting();
        try (LibStorage storage = LibStorage.builder().storageDriver("localfs")
                .storageOption("root", work.resolve("images").toString())
                .stateRoot(work.resolve("state")).processRunner(counting)
                .set("integration.volume.operations.create.default.size", sizeMiB + "MiB").build()) {
            // warm up the JVM paths and the kernel's loop/ext4 code once each
            pipeline(storage, "warmup", work, counting);
            direct(work, sizeMiB, "warmup", true);

            counting.millisByProgram.clear();
            double[] ours = new double[rounds];
            double[] byHand = new double[rounds];
            double[] byHandProbed = new double[rounds];
            List<String> programs = List.of();
            for (int i = 0; i < rounds; i++) {
                int mark = counting.programs.size();
                ours[i] = pipeline(storage, "v" + i, work, counting);
                programs = List.copyOf(counting.programs.subList(mark, mark + mountedAfter));
                byHand[i] = direct(work, sizeMiB, "d" + i, false);
                byHandProbed[i] = direct(work, sizeMiB, "p" + i, true);
            }
            java.util.Map<String, Double> processMillis = new java.util.TreeMap<>(counting.millisByProgram);
            storage.mount("warm", ConsumerId.of("c"), MountOptions.DEFAULT);
            int before = counting.spawned.get();
            int warmRounds = 2000;
            double[] warm = new double[warmRounds];
            for (int i = 0; i < warmRounds; i++) {
                long t0 = System.nanoTime();
                storage.mount("warm", ConsumerId.of("c"), MountOptions.DEFAULT);
                warm[i] = (System.nanoTime() - t0) / 1e6;
            }
            int warmSpawned = counting.spawned.get() - before;
            storage.unmount("warm", ConsumerId.of("c"));
            storage.remove("warm", RemoveOptions.DEFAULT);

            String perOperation = processesPerOperation(storage, counting);

            System.out.printf("cold path, %d rounds, %d MiB ext4 volumes, alternating:%n", rounds, sizeMiB);
            System.out.printf("  libstorage create+attach+format+mount: median %.1f ms, p90 %.1f ms; %d processes %s%n",
                    median(ours), p90(ours), programs.size(), programs);
            System.out.printf("  by hand  truncate+losetup+mkfs+mount : median %.1f ms, p90 %.1f ms; 3 processes%n",
                    median(byHand), p90(byHand));
            System.out.printf("  by hand with a blkid -p before mkfs  : median %.1f ms, p90 %.1f ms; 4 processes%n",
                    median(byHandProbed), p90(byHandProbed));
            System.out.printf("  ratio of medians: %.3f (vs by hand), %.3f (vs by hand with the probe)%n",
                    median(ours) / median(byHand), median(ours) / median(byHandProbed));
            System.out.print("  time in child processes per round (ms; umount and losetup --detach are the untimed clean-up):");
            processMillis.forEach((k, v) -> System.out.printf(" %s=%.1f", k, v / rounds));
            System.out.println();
            System.out.printf("warm idempotent re-mount (%d calls): median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; %d processes%n",
                    warmRounds, median(warm), p90(warm), percentile(warm, 0.99), Arrays.stream(warm).max().orElse(0), warmSpawned);
            System.out.print(perOperation);
        } finally {
            run(List.of("sh", "-c", "true"));
            FileTrees.deleteTree(work);
        }
    }

    /** Processes spawned by each operation, by name, with 3 healthy mounts for the reconcile. */
    private static String processesPerOperation(LibStorage storage, Counting counting) {
        StringBuilder out = new StringBuilder("processes per operation:\n");
        ConsumerId c = ConsumerId.of("c");
        java.util.function.BiConsumer<String, Runnable> count = (what, op) -> {
            int mark = counting.programs.size();
            op.run();
            List<String> spawned = List.copyOf(counting.programs.subList(mark, counting.programs.size()));
            out.append(String.format("  %-44s %d %s%n", what, spawned.size(), spawned));
        };
        count.accept("create", () -> storage.create("ops", storage.defaultSpec()));
        count.accept("cold mount (attach, format, mount)", () -> storage.mount("ops", c, MountOptions.DEFAULT));
        count.accept("warm mount (same consumer)", () -> storage.mount("ops", c, MountOptions.DEFAULT));
        count.accept("mount for a second consumer", () -> storage.mount("ops", ConsumerId.of("d"), MountOptions.DEFAULT));
        count.accept("unmount of one of two consumers", () -> storage.unmount("ops", ConsumerId.of("d")));
        count.accept("unmount of the last consumer", () -> storage.unmount("ops", c));
        count.accept("cold mount of a formatted volume", () -> storage.mount("ops", c, MountOptions.DEFAULT));
        storage.create("ops2", storage.defaultSpec());
        storage.mount("ops2", c, MountOptions.DEFAULT);
        storage.create("ops3", storage.defaultSpec());
        storage.mount("ops3", c, MountOptions.DEFAULT);
        count.accept("reconcile, 3 healthy mounts", storage::reconcile);
        for (String v : List.of("ops", "ops2", "ops3")) {
            storage.unmount(v, c);
        }
        count.accept("remove (detached)", () -> storage.remove("ops", RemoveOptions.DEFAULT));
        storage.remove("ops2", RemoveOptions.DEFAULT);
        storage.remove("ops3", RemoveOptions.DEFAULT);
        return out.toString();
    }

    /**
     * One library over a fresh work directory, for {@link MountPipelineAB}, which loads this class once per build
     * (each in its own class loader) and alternates their rounds in one process. Public API only, so the same source
     * compiles against any build.
     */
    public static final class Session implements AutoCloseable {
        private final Path work;
        private final Counting counting = new Counting();
        private final LibStorage storage;

        public Session(long sizeMiB) throws IOException {
            work = Files.createTempDirectory("libstorage-bench-ab-");
            try {
                storage = LibStorage.builder().storageDriver("localfs").storageOption("root", work.resolve("images").toString())
                        .stateRoot(work.resolve("state")).processRunner(counting)
                        .set("integration.volume.operations.create.default.size", sizeMiB + "MiB").build();
            } catch (RuntimeException e) {
                FileTrees.deleteTree(work);
                throw e;
            }
        }

        /** One timed cold create + mount (then an untimed unmount and remove); milliseconds. */
        public double cold(String name) {
            return pipeline(storage, name, work, counting);
        }

        /** The programs the last {@link #cold} spawned up to its mount. */
        public String lastPrograms() {
            return counting.programs.subList(counting.programs.size() - mountedAfter - 2, counting.programs.size() - 2).toString();
        }

        /** The bare sequence by hand in this session's directory; milliseconds. */
        public double byHand(long sizeMiB, String name, boolean probe) throws Exception {
            return direct(work, sizeMiB, name, probe);
        }

        @Override
        public void close() throws IOException {
            storage.close();
            FileTrees.deleteTree(work);
        }
    }

    private static int mountedAfter;

    /** Create, mount; timed. Then unmount and remove (not timed). */
    private static double pipeline(LibStorage storage, String name, Path work, Counting counting) {
        int before = counting.programs.size();
        long t0 = System.nanoTime();
        storage.create(name, storage.defaultSpec());
        storage.mount(name, ConsumerId.of("c"), MountOptions.DEFAULT);
        double ms = (System.nanoTime() - t0) / 1e6;
        mountedAfter = counting.programs.size() - before;
        storage.unmount(name, ConsumerId.of("c"));
        storage.remove(name, RemoveOptions.DEFAULT);
        return ms;
    }

    /** The same by hand; timed. Then unmount, detach and delete (not timed). */
    private static double direct(Path work, long sizeMiB, String name, boolean probe) throws Exception {
        Path image = work.resolve(name + ".img");
        Path target = work.resolve("mnt-" + name);
        long t0 = System.nanoTime();
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(sizeMiB << 20);
        }
        String device = run(List.of("losetup", "--find", "--show", image.toString())).strip();
        if (probe) {
            runAllowing(List.of("blkid", "-p", "-o", "export", device), 2);
        }
        run(List.of("mkfs.ext4", "-q", device));
        Files.createDirectories(target);
        run(List.of("mount", "-t", "ext4", device, target.toString()));
        double ms = (System.nanoTime() - t0) / 1e6;
        run(List.of("umount", target.toString()));
        run(List.of("losetup", "-d", device));
        Files.delete(image);
        Files.delete(target);
        return ms;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }

    private static void runAllowing(List<String> command, int alsoOk) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || (p.exitValue() != 0 && p.exitValue() != alsoOk)) {
            throw new IllegalStateException(command + " failed");
        }
    }

    /** The median of {@code v} (the element nearest the middle; also used by {@link MountPipelineAB}). */
    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    static double p90(double[] v) {
        return percentile(v, 0.9);
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(q * (s.length - 1) + 0.5))];
    }
}
