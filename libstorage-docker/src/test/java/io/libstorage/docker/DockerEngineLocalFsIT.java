package io.libstorage.docker;

import io.libstorage.api.ErrorContext;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link DockerEngineContract} over the real local driver: localfs images attached as loop devices,
 * formatted ext4 and mounted by the Linux OS driver, bind-mounted by dockerd into the containers.
 * Scope {@code local}, as the local driver should announce. Every loop device and mount is under a
 * private temporary directory and removed afterwards, also after failures.
 */
class DockerEngineLocalFsIT extends DockerEngineContract {
    private Path dir;
    private final AtomicLong mounts = new AtomicLong();
    private final AtomicLong unmounts = new AtomicLong();

    /** Runs commands for real and counts the mount and umount commands. */
    private final ProcessRunner counting = new ProcessRunner() {
        @Override
        public ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
            ProcessResult r = SystemProcessRunner.instance().run(context, command, timeout);
            String program = Path.of(command.get(0)).getFileName().toString();
            if (program.equals("mount")) {
                mounts.incrementAndGet();
            } else if (program.equals("umount")) {
                unmounts.incrementAndGet();
            }
            return r;
        }
    };

    @Override
    protected void prepare() throws IOException {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("blkid", "mkfs.ext4", "mount", "umount");
        dir = Files.createTempDirectory(Path.of("/tmp"), "lsdock-localfs-").toRealPath();
    }

    @Override
    protected LibStorage newLibStorage() {
        return LibStorage.builder()
                .storageDriver("localfs")
                .storageOption("root", dir.resolve("localfs").toString())
                .stateRoot(dir.resolve("state"))
                .processRunner(counting)
                .set("integration.volume.operations.create.default.size", "64MiB")
                .build();
    }

    @Override
    protected String scope() {
        return "local";
    }

    @Override
    protected long osMounts() {
        return mounts.get();
    }

    @Override
    protected long osUnmounts() {
        return unmounts.get();
    }

    @Override
    protected boolean nothingMounted() {
        return mountsUnderDir().isEmpty();
    }

    private List<Path> mountsUnderDir() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> Path.of(l.split(" ")[4].replace("\\040", " ")))
                    .filter(m -> m.startsWith(dir)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void cleanUp() throws IOException {
        if (dir == null) {
            return;
        }
        LoopDeviceSweeper.unmountAllUnder(dir);
        LoopDeviceSweeper.sweep(dir);
        if (!mountsUnderDir().isEmpty() || !LoopDeviceSweeper.devicesUnder(dir).isEmpty()) {
            throw new IllegalStateException("still mounted or attached under " + dir + ": " + mountsUnderDir()
                    + " " + LoopDeviceSweeper.devicesUnder(dir));
        }
        FileTrees.deleteTree(dir);
    }
}
