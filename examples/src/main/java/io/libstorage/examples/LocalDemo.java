package io.libstorage.examples;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RemoveOptions;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.support.FileTrees;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The README's main job: a volume's life on this machine with the {@code localfs} driver (a sparse
 * image attached as a loop device, a real filesystem, a real mount) — create, mount, write,
 * unmount, detach, mount again, read back — one line per step with its duration, then remove
 * everything it made. Without root it says why and runs the same steps on the in-memory driver.
 */
public final class LocalDemo {
    /** Another back end for the same steps (set by {@link VirtualBoxDemo}); null: localfs, or in-memory without root. */
    static Function<Path, LibStorage> backend;

    private LocalDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("libstorage-demo-");
        boolean real = canUseLoopDevices();
        try (InMemoryCluster cluster = real ? null : InMemoryCluster.create(); LibStorage storage = open(cluster, work)) {
            String name = "demo-volume";
            ConsumerId app = ConsumerId.of("demo-app");
            System.out.printf("driver: %s, host %s, state in %s%n", storage.backend(), storage.localHost(), work);

            step("create 256 MiB ext4 volume", () -> storage.create(name,
                    storage.defaultSpec().toBuilder().sizeBytes(256L << 20).fsType("ext4").build()).id());
            MountedVolume mounted = step("mount (attach, format, mount)", () -> storage.mount(name, app, MountOptions.DEFAULT));
            System.out.printf("    consumer path %s%n", mounted.path());
            byte[] data = new byte[8 << 20];
            new Random(7).nextBytes(data);
            String written = step("write 8 MiB and fsync", () -> writeDurably(mounted.path().resolve("payload.bin"), data));
            step("unmount (last consumer out: unmount and detach)", () -> {
                storage.unmount(name, app);
                return "mounted: " + storage.path(name).isPresent();
            });
            step("detach (already detached: a no-op)", () -> {
                storage.detach(name, DetachOptions.DEFAULT);
                return "attachments: " + storage.inspect(name).orElseThrow().volume().attachments().size();
            });
            MountedVolume again = step("mount again (attach, mount; no format)", () -> storage.mount(name, app, MountOptions.DEFAULT));
            String read = step("read back", () -> sha256(Files.readAllBytes(again.path().resolve("payload.bin"))));
            System.out.printf("    formatted again: %s, data %s%n", again.formatted(), read.equals(written) ? "identical" : "DIFFERENT");
            step("unmount and remove", () -> {
                storage.unmount(name, app);
                storage.remove(name, RemoveOptions.DEFAULT);
                return "volumes left: " + storage.list().size();
            });
            if (!read.equals(written) || again.formatted()) {
                throw new IllegalStateException("the data did not survive the remount");
            }
        } finally {
            FileTrees.deleteTree(work);
        }
        System.out.println("left behind: nothing (work directory removed" + (real ? ", no loop device or mount)" : ")"));
    }

    /** localfs with its images in {@code work}; without root, one host of the in-memory {@code cluster}. */
    private static LibStorage open(InMemoryCluster cluster, Path work) {
        if (backend != null && cluster == null) {
            return backend.apply(work);
        }
        LibStorage.Builder b = LibStorage.builder().stateRoot(work.resolve("state"));
        if (cluster == null) {
            return b.storageDriver("localfs").storageOption("root", work.resolve("images").toString()).build();
        }
        return b.storageDriver(cluster.storageDriver("host-1")).osDriver(cluster.osDriver("host-1")).build();
    }

    private static boolean canUseLoopDevices() {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.out.println("not running as root: loop devices and mount(8) need root, so this demo uses the in-memory driver");
            return false;
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            System.out.println("/dev/loop-control is missing: this demo uses the in-memory driver");
            return false;
        }
        return true;
    }

    private static <T> T step(String what, Callable<T> action) throws Exception {
        long start = System.nanoTime();
        T result = action.call();
        Object shown = result instanceof MountedVolume m ? m.device() + " " + m.fsType() + ", formatted: " + m.formatted() : result;
        System.out.printf("%-52s %8.1f ms   %s%n", what, (System.nanoTime() - start) / 1e6, shown);
        return result;
    }

    private static String writeDurably(Path file, byte[] data) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data));
            ch.force(true);
        }
        return sha256(data);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)).substring(0, 16);
    }
}
