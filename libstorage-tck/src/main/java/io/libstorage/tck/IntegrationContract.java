package io.libstorage.tck;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.Feature;
import io.libstorage.api.FilesystemMismatchException;
import io.libstorage.api.GrownVolume;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.StorageException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.DriverCatalog;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.StorageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The integration contract over a given storage driver: the mount pipeline of
 * {@link LibStorage} on this host, through the target's OS driver. Covers the consumer set,
 * idempotency counted in attaches, formats and mounts, concurrency, data surviving remounts,
 * filesystem rules, reconcile, and seeded random crashes at every step followed by a retry or a
 * reconcile (rerun one with {@code -Dlibstorage.tck.seed=<seed>}).
 */
public abstract class IntegrationContract {
    private static final DriverCatalog CATALOG = DriverCatalog.load();

    protected TckTarget target;
    private final List<LibStorage> opened = new ArrayList<>();
    private final List<InstrumentedOSDriver> osDrivers = new ArrayList<>();
    private final String prefix = "itck-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private static final String OTHER_HOST = "tck-host-b";
    private Path stateRoot;
    private Path mountRoot;
    /** The current "process": its instrumented drivers and crash plan. */
    protected CrashPlan crashes;
    protected InstrumentedStorageDriver storage;
    protected InstrumentedOSDriver os;
    protected LibStorage libStorage;

    protected abstract TckTarget createTarget();

    @BeforeEach
    void openTarget() {
        target = createTarget();
        stateRoot = target.workDir().resolve("state");
        mountRoot = target.workDir().resolve("mnt");
        libStorage = startProcess();
    }

    @AfterEach
    void closeTarget() {
        if (target == null) {
            return;     // the target could not be made (a prerequisite is missing): the test was skipped or failed for that
        }
        try {
            LibStorage last = startProcess();
            ReconcileReport r = last.reconcile(Set.of());
            if (!r.problems().isEmpty()) {
                System.err.println("TCK cleanup reconcile problems: " + r.problems());
            }
            for (VolumeStatus s : last.list()) {
                if (s.volume().name().startsWith(prefix)) {
                    try {
                        last.remove(s.volume().name(), RemoveOptions.FORCE);
                    } catch (StorageException e) {
                        System.err.println("TCK cleanup could not remove " + s.volume().name() + ": " + e.getMessage());
                    }
                }
            }
        } finally {
            for (LibStorage ls : opened) {
                ls.storage().close();
                ls.os().close();
                ls.close();
            }
            target.close();
        }
    }

    /** A new LibStorage over the same state root, as a restarted process would build it. */
    protected LibStorage startProcess() {
        crashes = new CrashPlan();
        storage = new InstrumentedStorageDriver(target.newDriver(), crashes);
        os = new InstrumentedOSDriver(target.newOsDriver(), crashes);
        osDrivers.add(os);
        LibStorage ls = LibStorage.builder()
                .catalog(CATALOG)
                .storageDriver(storage)
                .osDriver(os)
                .stateRoot(stateRoot)
                .mountRoot(mountRoot)
                .deviceWaitTimeout(Duration.ofSeconds(30))
                .set("integration.volume.operations.create.default.size", target.volumeSizeBytes() + "B")
                .set("integration.volume.operations.create.default.fsType", target.fsTypes().get(0))
                .build();
        opened.add(ls);
        return ls;
    }

    protected String name(String suffix) {
        return prefix + suffix;
    }

    private HostId me() {
        return libStorage.localHost();
    }

    private StorageDriver backend() {
        return storage.delegate();
    }

    private boolean attachedHere(String volume) {
        return backend().findByName(volume).flatMap(v -> v.attachmentTo(me())).isPresent();
    }

    private boolean mountedHere(String volume) {
        return os.mountAt(io.libstorage.api.ErrorContext.of("tck"), mountRoot.resolve(volume)).isPresent();
    }

    private long formatsOf(String volume) {
        return osDrivers.stream().mapToLong(o -> o.formats(volume)).sum();
    }

    // ------------------------------------------------------------------ the basic pipeline

    @Test
    void mountCreatesAttachesFormatsAndMountsAWritableDirectory() throws IOException {
        MountedVolume m = libStorage.mount(name("basic"), ConsumerId.of("c1"), MountOptions.DEFAULT);
        assertThat(m.formatted()).isTrue();
        assertThat(m.path()).isDirectory().startsWith(m.mountPoint());
        assertThat(m.consumers()).containsExactly(ConsumerId.of("c1"));
        assertThat(attachedHere(name("basic"))).isTrue();
        assertThat(mountedHere(name("basic"))).isTrue();
        writeDurably(m.path().resolve("hello.txt"), "hello".getBytes());
        assertThat(libStorage.path(name("basic"))).contains(m.path());
    }

    @Test
    void aRepeatedMountIsANoOpEverywhere() {
        MountedVolume first = libStorage.mount(name("repeat"), ConsumerId.of("c1"), MountOptions.DEFAULT);
        long mutations = target.backendMutations();
        long calls = storage.calls();
        MountedVolume again = libStorage.mount(name("repeat"), ConsumerId.of("c1"), MountOptions.DEFAULT);
        assertThat(again.path()).isEqualTo(first.path());
        assertThat(again.formatted()).isFalse();
        assertThat(again.consumers()).containsExactly(ConsumerId.of("c1"));
        assertThat(target.backendMutations()).isEqualTo(mutations);
        assertThat(storage.calls()).as("back-end calls of a warm repeated mount").isEqualTo(calls);
        assertThat(os.formats()).isEqualTo(1);
        assertThat(os.mounts()).isEqualTo(1);
    }

    @Test
    void consumersAreASetAndTheLastOneOutReleases() {
        libStorage.mount(name("set"), ConsumerId.of("a"), MountOptions.DEFAULT);
        libStorage.mount(name("set"), ConsumerId.of("b"), MountOptions.DEFAULT);
        libStorage.unmount(name("set"), ConsumerId.of("a"));
        assertThat(mountedHere(name("set"))).isTrue();
        assertThat(libStorage.inspect(name("set")).orElseThrow().consumers()).containsExactly(ConsumerId.of("b"));
        libStorage.unmount(name("set"), ConsumerId.of("unknown"));
        assertThat(mountedHere(name("set"))).isTrue();
        libStorage.unmount(name("set"), ConsumerId.of("b"));
        assertThat(mountedHere(name("set"))).isFalse();
        assertThat(attachedHere(name("set"))).isFalse();
        assertThat(libStorage.path(name("set"))).isEmpty();
        libStorage.unmount(name("set"), ConsumerId.of("b"));
    }

    @Test
    void callersWithoutAnIdShareOneAnonymousConsumer() {
        for (int i = 0; i < 3; i++) {
            libStorage.mount(name("anon"), ConsumerId.ANONYMOUS, MountOptions.DEFAULT);
        }
        assertThat(libStorage.inspect(name("anon")).orElseThrow().consumers()).containsExactly(ConsumerId.ANONYMOUS);
        libStorage.unmount(name("anon"), ConsumerId.ANONYMOUS);
        assertThat(mountedHere(name("anon"))).isFalse();
        assertThat(attachedHere(name("anon"))).isFalse();
    }

    @Test
    void twentyThreadsWithTwentyConsumersGiveOneAttachOneFormatOneMount() throws Exception {
        List<Callable<Path>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ConsumerId c = ConsumerId.of("consumer-" + i);
            calls.add(() -> libStorage.mount(name("twenty"), c, MountOptions.DEFAULT).path());
        }
        List<Path> paths = StorageDriverContract.runTogether(calls);
        assertThat(new HashSet<>(paths)).hasSize(1);
        assertThat(storage.creates()).isEqualTo(1);
        assertThat(storage.effectiveAttaches()).isEqualTo(1);
        assertThat(os.formats()).isEqualTo(1);
        assertThat(os.mounts()).isEqualTo(1);
        assertThat(libStorage.inspect(name("twenty")).orElseThrow().consumers()).hasSize(20);
    }

    @Test
    void dataWrittenAndSyncedSurvivesUnmountDetachAndRemount() throws IOException {
        MountedVolume m = libStorage.mount(name("data"), ConsumerId.of("writer"), MountOptions.DEFAULT);
        byte[] content = randomBytes(new Random(42), 64 * 1024);
        writeDurably(m.path().resolve("payload.bin"), content);
        libStorage.unmount(name("data"), ConsumerId.of("writer"));
        assertThat(attachedHere(name("data"))).isFalse();
        LibStorage restarted = startProcess();
        MountedVolume again = restarted.mount(name("data"), ConsumerId.of("reader"), MountOptions.DEFAULT);
        assertThat(again.formatted()).isFalse();
        assertThat(Files.readAllBytes(again.path().resolve("payload.bin"))).isEqualTo(content);
        assertThat(formatsOf(name("data"))).isEqualTo(1);
    }

    @Test
    void mountingAMissingVolumeWithoutCreateFailsAsNotFound() {
        assertThatThrownBy(() -> libStorage.mount(name("absent"), ConsumerId.of("c"),
                MountOptions.builder().createIfMissing(false).build()))
                .isInstanceOf(VolumeNotFoundException.class);
        assertThat(backend().findByName(name("absent"))).isEmpty();
    }

    @Test
    void theFilesystemRecordedAtCreateIsUsedAtFirstFormat() {
        Assumptions.assumeTrue(target.fsTypes().size() > 1,
                "the target formats one filesystem only, the default: nothing tells the recorded one from it");
        for (String fs : target.fsTypes()) {
            String vol = name("fs-" + fs);
            libStorage.create(vol, libStorage.defaultSpec().toBuilder().fsType(fs).build());
            MountedVolume m = libStorage.mount(vol, ConsumerId.of("c"), MountOptions.DEFAULT);
            assertThat(m.fsType()).isEqualTo(fs);
            libStorage.unmount(vol, ConsumerId.of("c"));
        }
    }

    /**
     * Issue 10: what one host records about a volume (its filesystem, name, requested size) is readable by the next
     * host, which has its own state root, including when it never saw the volume before.
     */
    @Test
    void aVolumeCreatedHereIsMountedOnAnotherHostWithItsFilesystemNameAndSize() throws IOException {
        Assumptions.assumeTrue(target.fsTypes().size() > 1,
                "the target formats one filesystem only, the default: nothing tells the recorded one from it");
        StorageDriver otherDriver;
        try {
            otherDriver = target.newDriverForHost(OTHER_HOST);
        } catch (UnsupportedOperationException e) {
            Assumptions.assumeFalse(storage.features().contains(Feature.REMOTE_ATTACH), "REMOTE_ATTACH needs other hosts");
            Assumptions.abort("the target simulates no other hosts");
            return;
        }
        LibStorage other = LibStorage.builder().catalog(CATALOG).storageDriver(otherDriver)
                .osDriver(target.newOsDriverForHost(OTHER_HOST))
                .stateRoot(target.workDir().resolve("state-" + OTHER_HOST)).mountRoot(target.workDir().resolve("mnt-" + OTHER_HOST))
                .deviceWaitTimeout(Duration.ofSeconds(30)).build();
        opened.add(other);
        String vol = name("created-here-mounted-there");
        String fs = target.fsTypes().get(1);
        libStorage.create(vol, libStorage.defaultSpec().toBuilder().fsType(fs).build());

        MountedVolume there = other.mount(vol, ConsumerId.of("there"), MountOptions.DEFAULT);
        try {
            assertThat(there.fsType()).isEqualTo(fs);
            writeDurably(there.path().resolve("from-there"), "there".getBytes());
            VolumeStatus seen = other.inspect(vol).orElseThrow();
            assertThat(seen.volume().name()).isEqualTo(vol);
            assertThat(seen.volume().requestedSizeBytes()).isEqualTo(target.volumeSizeBytes());
            assertThat(seen.volume().spec().fsType()).hasValue(fs);
            assertThat(seen.unknownHere()).isEmpty();
        } finally {
            other.unmount(vol, ConsumerId.of("there"));
        }
        MountedVolume back = libStorage.mount(vol, ConsumerId.of("here"), MountOptions.builder().fsType(fs).build());
        assertThat(back.formatted()).isFalse();
        assertThat(Files.readAllBytes(back.path().resolve("from-there"))).isEqualTo("there".getBytes());
        libStorage.unmount(vol, ConsumerId.of("here"));
    }

    @Test
    void aMountAskingForAnotherFilesystemIsRefusedWithoutFormatting() {
        String vol = name("mismatch");
        String fs = target.fsTypes().get(0);
        String other = fs.equals("xfs") ? "ext4" : "xfs";
        libStorage.mount(vol, ConsumerId.of("c"), MountOptions.DEFAULT);
        libStorage.unmount(vol, ConsumerId.of("c"));
        long formats = os.formats();
        assertThatThrownBy(() -> libStorage.mount(vol, ConsumerId.of("d"), MountOptions.builder().fsType(other).build()))
                .isInstanceOf(FilesystemMismatchException.class);
        assertThat(os.formats()).isEqualTo(formats);
        assertThat(mountedHere(vol)).isFalse();
        assertThat(attachedHere(vol)).as("a failed mount leaves nothing attached").isFalse();
    }

    @Test
    void removingAMountedVolumeIsRefusedUnlessForced() {
        libStorage.mount(name("busy"), ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThatThrownBy(() -> libStorage.remove(name("busy"), RemoveOptions.DEFAULT)).isInstanceOf(VolumeInUseException.class);
        assertThat(mountedHere(name("busy"))).isTrue();
        libStorage.remove(name("busy"), RemoveOptions.FORCE);
        assertThat(mountedHere(name("busy"))).isFalse();
        assertThat(backend().findByName(name("busy"))).isEmpty();
    }

    @Test
    void reconcileDropsConsumersThatAreNotLiveAndReleasesVolumesLeftWithout() {
        libStorage.mount(name("rec"), ConsumerId.of("task-1"), MountOptions.DEFAULT);
        libStorage.mount(name("rec"), ConsumerId.of("task-2"), MountOptions.DEFAULT);
        LibStorage restarted = startProcess();
        ReconcileReport r = restarted.reconcile(Set.of(ConsumerId.of("task-2")));
        assertThat(r.droppedConsumers()).containsEntry(name("rec"), Set.of(ConsumerId.of("task-1")));
        assertThat(r.problems()).isEmpty();
        assertThat(mountedHere(name("rec"))).isTrue();
        ReconcileReport none = restarted.reconcile(Set.of());
        assertThat(none.released()).contains(name("rec"));
        assertThat(mountedHere(name("rec"))).isFalse();
        assertThat(attachedHere(name("rec"))).isFalse();
    }

    @Test
    void aSnapshotOfAMountedVolumeIsTakenFrozenExactlyWhenTheDriverNeedsIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(storage.features().contains(Feature.SNAPSHOTS), "the driver takes no snapshots");
        MountedVolume m = libStorage.mount(name("snap"), ConsumerId.of("c"), MountOptions.DEFAULT);
        writeDurably(m.path().resolve("before"), "kept".getBytes());
        Snapshot s = libStorage.snapshot(name("snap"), "s1");
        long expected = storage.snapshotsNeedFrozenFilesystem() ? 1 : 0;
        assertThat(os.freezes()).as("freezes").isEqualTo(expected);
        assertThat(os.thaws()).as("thaws").isEqualTo(expected);
        assertThat(libStorage.snapshot(name("snap"), "s1").id()).isEqualTo(s.id());
        assertThat(os.freezes()).as("a repeated snapshot freezes nothing").isEqualTo(expected);
        writeDurably(m.path().resolve("after"), "writable again".getBytes());
        backend().removeSnapshot(s.id());
    }

    @Test
    void aVolumeCreatedFromASnapshotHoldsTheDataOfTheSnapshotNotOfLaterWrites() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(storage.features().contains(Feature.CREATE_FROM_SNAPSHOT),
                "the driver creates no volumes from snapshots");
        MountedVolume m = libStorage.mount(name("origin"), ConsumerId.of("c"), MountOptions.DEFAULT);
        writeDurably(m.path().resolve("file"), "at the snapshot".getBytes());
        Snapshot s = libStorage.snapshot(name("origin"), "s1");
        writeDurably(m.path().resolve("file"), "after the snapshot".getBytes());
        writeDurably(m.path().resolve("later"), "later".getBytes());
        libStorage.create(name("clone"), spec().toBuilder().sourceSnapshot(s.id()).build());
        MountedVolume clone = libStorage.mount(name("clone"), ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(java.nio.file.Files.readString(clone.path().resolve("file"))).isEqualTo("at the snapshot");
        assertThat(clone.path().resolve("later")).doesNotExist();
        assertThat(java.nio.file.Files.readString(m.path().resolve("file"))).as("the origin keeps its own data").isEqualTo("after the snapshot");
        libStorage.unmount(name("clone"), ConsumerId.of("c"));
        libStorage.remove(name("clone"), RemoveOptions.DEFAULT);
        backend().removeSnapshot(s.id());
    }

    @Test
    void aGrowGrowsTheStorageAndTheFilesystemWhereTheVolumeIsAttachedHere() {
        org.junit.jupiter.api.Assumptions.assumeTrue(storage.features().contains(Feature.GROW), "the driver does not grow volumes");
        MountedVolume m = libStorage.mount(name("grow"), ConsumerId.of("c"), MountOptions.DEFAULT);
        libStorage.unmount(name("grow"), ConsumerId.of("c"));
        long bigger = m.volume().allocatedSizeBytes() * 2;
        GrownVolume notHere = libStorage.grow(name("grow"), bigger);
        assertThat(notHere.filesystem()).isEqualTo(GrownVolume.Filesystem.NOT_ATTACHED_HERE);
        assertThat(notHere.volume().allocatedSizeBytes()).isGreaterThanOrEqualTo(bigger);
        assertThat(os.growths()).isZero();
        libStorage.attach(name("grow"), AttachOptions.DEFAULT);
        GrownVolume offline = libStorage.grow(name("grow"), bigger);
        assertThat(offline.filesystem()).isEqualTo(GrownVolume.Filesystem.GROWN_UNMOUNTED);
        assertThat(offline.volume().allocatedSizeBytes()).isEqualTo(notHere.volume().allocatedSizeBytes());
        assertThat(os.growths()).isEqualTo(1);
        MountedVolume again = libStorage.mount(name("grow"), ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(again.formatted()).isFalse();
        libStorage.unmount(name("grow"), ConsumerId.of("c"));
    }

    // ------------------------------------------------------------------ crashes

    @Test
    void aCrashAtAnyStepFollowedByRetryOrReconcileConverges() throws IOException {
        long seed = Long.getLong("libstorage.tck.seed", 20261126L);
        Random random = new Random(seed);
        List<String> volumes = List.of(name("crash-0"), name("crash-1"), name("crash-2"));
        Map<String, Set<ConsumerId>> model = new HashMap<>();
        Map<String, byte[]> markers = new HashMap<>();
        int crashesSeen = 0;
        for (int run = 0; run < target.crashRuns(); run++) {
            int index = random.nextInt(volumes.size());
            String vol = volumes.get(index);
            Set<ConsumerId> before = model.getOrDefault(vol, Set.of());
            boolean mount = before.isEmpty() || random.nextInt(4) == 0;
            ConsumerId consumer = pickConsumer(random, "v" + index + "-", before, mount);
            String what = "run " + run + " (seed " + seed + "): " + (mount ? "mount " : "unmount ") + vol + " for " + consumer;

            LibStorage process = startProcess();
            crashes.arm(1 + random.nextInt(4), random.nextBoolean() ? CrashPlan.Timing.BEFORE : CrashPlan.Timing.AFTER);
            boolean crashed = false;
            try {
                apply(process, mount, vol, consumer);
            } catch (SimulatedCrash c) {
                crashed = true;
                crashesSeen++;
            }
            crashes.disarm();
            if (crashed) {
                what += " crashed " + crashes.crashedAt();
            }
            if (!crashed || random.nextBoolean()) {
                if (crashed) {
                    apply(startProcess(), mount, vol, consumer);
                    what += ", then retried";
                }
                Set<ConsumerId> after = new HashSet<>(before);
                if (mount) {
                    after.add(consumer);
                } else {
                    after.remove(consumer);
                }
                model.put(vol, after);
            } else {
                // the orchestrator's view: a task whose mount never returned, or that asked to leave, is not live
                Set<ConsumerId> live = new HashSet<>();
                model.values().forEach(live::addAll);
                if (!mount || !before.contains(consumer)) {
                    live.remove(consumer);
                }
                ReconcileReport r = startProcess().reconcile(live);
                what += ", then reconciled";
                assertThat(r.problems()).as(what).isEmpty();
                model.replaceAll((v, cs) -> {
                    Set<ConsumerId> kept = new HashSet<>(cs);
                    kept.retainAll(live);
                    return kept;
                });
            }
            LibStorage checker = libStorageNow();
            for (String v : volumes) {
                Set<ConsumerId> expected = model.getOrDefault(v, Set.of());
                if (!expected.isEmpty() && !markers.containsKey(v)) {
                    byte[] marker = randomBytes(random, 512);
                    writeDurably(checker.path(v).orElseThrow().resolve("marker"), marker);
                    markers.put(v, marker);
                }
                verify(checker, v, expected, markers.get(v), what);
            }
        }
        System.out.printf("crash test: %d runs, %d crashed at an injected step, seed %d%n", target.crashRuns(), crashesSeen, seed);
        assertThat(crashesSeen).as("runs that actually crashed").isGreaterThan(target.crashRuns() / 4);
        LibStorage end = startProcess();
        end.reconcile(Set.of());
        for (String vol : volumes) {
            verify(end, vol, Set.of(), null, "after the final reconcile");
        }
    }

    private LibStorage libStorageNow() {
        return opened.get(opened.size() - 1);
    }

    /** A consumer of this volume or a new one; ids are unique per volume except the shared anonymous consumer. */
    private static ConsumerId pickConsumer(Random random, String prefix, Set<ConsumerId> current, boolean mount) {
        List<ConsumerId> list = new ArrayList<>(current);
        if (!list.isEmpty() && (!mount || random.nextInt(4) == 0)) {
            return list.get(random.nextInt(list.size()));
        }
        int n = random.nextInt(6);
        return n == 0 ? ConsumerId.ANONYMOUS : ConsumerId.of(prefix + "c" + n);
    }

    private static void apply(LibStorage ls, boolean mount, String vol, ConsumerId consumer) {
        if (mount) {
            ls.mount(vol, consumer, MountOptions.DEFAULT);
        } else {
            ls.unmount(vol, consumer);
        }
    }

    private void verify(LibStorage ls, String vol, Set<ConsumerId> expected, byte[] marker, String what) throws IOException {
        Optional<VolumeStatus> status = ls.inspect(vol);
        assertThat(formatsOf(vol)).as("formats of %s after %s", vol, what).isLessThanOrEqualTo(1);
        if (expected.isEmpty()) {
            status.ifPresent(s -> assertThat(s.consumers()).as(what).isEmpty());
            assertThat(mountedHere(vol)).as("mounted after %s", what).isFalse();
            assertThat(attachedHere(vol)).as("attached after %s", what).isFalse();
            return;
        }
        assertThat(status).as(what).isPresent();
        assertThat(status.get().consumers()).as(what).isEqualTo(expected);
        assertThat(mountedHere(vol)).as("mounted after %s", what).isTrue();
        assertThat(attachedHere(vol)).as("attached after %s", what).isTrue();
        Path path = ls.path(vol).orElseThrow();
        if (marker != null) {
            assertThat(Files.readAllBytes(path.resolve("marker"))).as("data after %s", what).isEqualTo(marker);
        }
    }

    // ------------------------------------------------------------------ helpers

    protected static void writeDurably(Path file, byte[] content) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The spec the suite creates volumes with. */
    protected VolumeSpec spec() {
        return libStorage.defaultSpec();
    }

    /** The volume as the back end reports it. */
    protected Optional<Volume> backendVolume(String name) {
        return backend().findByName(name);
    }
}
