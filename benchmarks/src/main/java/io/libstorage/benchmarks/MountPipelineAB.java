package io.libstorage.benchmarks;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cold mount of two builds of the library (e.g. {@code main} and a branch) and the bare sequence by hand,
 * round by round in one process, so that a busy machine slows all three alike: each build is loaded in its own
 * class loader from its class path, with {@link MountPipelineBenchmark.Session} compiled against it. Needs root.
 * Run: {@code java -cp benchmarks/target/classes io.libstorage.benchmarks.MountPipelineAB <rounds> <sizeMiB>
 * <classpath A> <classpath B>}; prints medians, p90s and the ratio of medians of each build to the bare sequence.
 */
public final class MountPipelineAB {
    private MountPipelineAB() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        long sizeMiB = Long.parseLong(args[1]);
        List<Object> sessions = new ArrayList<>();
        List<Method> cold = new ArrayList<>();
        List<Method> programs = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        Method byHand = null;
        try {
            for (String cp : List.of(args[2], args[3])) {
                List<URL> urls = new ArrayList<>();
                for (String entry : cp.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        urls.add(Path.of(entry).toUri().toURL());
                    }
                }
                ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
                Class<?> session = Class.forName("io.libstorage.benchmarks.MountPipelineBenchmark$Session", true, loader);
                loaders.add(loader);
                Thread.currentThread().setContextClassLoader(loader); // the library finds its drivers with ServiceLoader
                sessions.add(session.getConstructor(long.class).newInstance(sizeMiB));
                cold.add(session.getMethod("cold", String.class));
                programs.add(session.getMethod("lastPrograms"));
                byHand = session.getMethod("byHand", long.class, String.class, boolean.class);
            }
            double[][] t = new double[3][rounds];
            for (int i = -1; i < rounds; i++) { // round -1 warms up
                for (int k = 0; k < 2; k++) {
                    Thread.currentThread().setContextClassLoader(loaders.get(k));
                    double ms = (double) cold.get(k).invoke(sessions.get(k), "r" + (i + 1));
                    if (i >= 0) {
                        t[k][i] = ms;
                    }
                }
                double ms = (double) byHand.invoke(sessions.get(1), sizeMiB, "h" + (i + 1), false);
                if (i >= 0) {
                    t[2][i] = ms;
                }
            }
            String[] names = {"A " + args[2].split(File.pathSeparator)[0], "B " + args[3].split(File.pathSeparator)[0], "by hand"};
            System.out.printf("%d rounds, %d MiB ext4, A / B / by hand alternating in one process%n", rounds, sizeMiB);
            for (int k = 0; k < 3; k++) {
                System.out.printf("  %-60s median %7.1f ms  p90 %7.1f ms%s%n", names[k], MountPipelineBenchmark.median(t[k]),
                        MountPipelineBenchmark.p90(t[k]), k < 2 ? "  " + programs.get(k).invoke(sessions.get(k)) : "");
            }
            System.out.printf("  ratio of medians to by hand: A %.3f, B %.3f%n", MountPipelineBenchmark.median(t[0]) / MountPipelineBenchmark.median(t[2]),
                    MountPipelineBenchmark.median(t[1]) / MountPipelineBenchmark.median(t[2]));
        } finally {
            for (Object s : sessions) {
                ((AutoCloseable) s).close();
            }
        }
    }
}
