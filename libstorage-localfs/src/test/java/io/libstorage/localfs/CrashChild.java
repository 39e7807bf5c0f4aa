package io.libstorage.localfs;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.VolumeEvent;
import io.libstorage.core.LibStorage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import java.util.concurrent.locks.LockSupport;

/**
 * Run in a child JVM by {@link LocalFsCrashIT}: mounts or unmounts one volume through LibStorage
 * over localfs, and at the requested step writes a marker file and blocks forever, so that the
 * parent can SIGKILL it exactly there.
 *
 * <p>Arguments: {@code <localfsRoot> <stateRoot> <volume> <consumer> mount|unmount <step> <markerDir>}
 * where step is {@code attached}, {@code formatted}, {@code mounted} (events of the mount),
 * {@code unmounted}, {@code detached} (events of the unmount), {@code returned} (after the call), or
 * {@code imaged}: inside an implicit create, after the image was made and before its metadata is
 * written (the driver reads the clock right then; this child's clock stops there).
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path state = Path.of(args[1]);
        String volume = args[2];
        ConsumerId consumer = ConsumerId.of(args[3]);
        String action = args[4];
        String step = args[5];
        Path markers = Path.of(args[6]);
        Clock clock = step.equals("imaged") ? new StopWhenImaged(root.resolve("volumes"), markers) : Clock.systemUTC();
        try (LibStorage ls = LibStorage.builder().storageDriver("localfs").storageOption("root", root.toString()).stateRoot(state)
                .clock(clock)
                .set("integration.volume.operations.create.default.size", "64MiB")
                .listener(event -> {
                    String name = event instanceof VolumeEvent.Attached ? "attached"
                            : event instanceof VolumeEvent.Formatted ? "formatted"
                            : event instanceof VolumeEvent.Mounted ? "mounted"
                            : event instanceof VolumeEvent.Unmounted ? "unmounted"
                            : event instanceof VolumeEvent.Detached ? "detached" : "other";
                    if (name.equals(step)) {
                        stopHere(markers, step);
                    }
                }).build()) {
            if (action.equals("mount")) {
                ls.mount(volume, consumer, MountOptions.DEFAULT);
            } else {
                ls.unmount(volume, consumer);
            }
            stopHere(markers, "returned");
        }
    }

    /** A clock that stops the process once the volumes directory holds an image without metadata. */
    private static final class StopWhenImaged extends Clock {
        private final Path volumes;
        private final Path markers;

        StopWhenImaged(Path volumes, Path markers) {
            this.volumes = volumes;
            this.markers = markers;
        }

        @Override
        public Instant instant() {
            try (Stream<Path> files = Files.list(volumes)) {
                if (files.map(p -> p.getFileName().toString()).anyMatch(n -> n.endsWith(".img")
                        && !Files.exists(volumes.resolve(n.substring(0, n.length() - ".img".length()) + ".json")))) {
                    stopHere(markers, "imaged");
                }
            } catch (IOException e) {
                // no volumes directory yet
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static void stopHere(Path markers, String step) {
        try {
            Files.writeString(markers.resolve(step), "reached", StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        while (true) {
            LockSupport.park();
        }
    }
}
