package io.libstorage.tck;

import io.libstorage.api.AmbiguousVolumeException;
import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.Feature;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.StorageException;
import io.libstorage.api.UnsupportedFeatureException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.DeviceWait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@link StorageDriver} contract, as one abstract JUnit 5 suite every storage driver runs:
 * idempotency counted at the back end, exact names, sizes, concurrency, pre-emption policies,
 * optional features (skipped when the driver does not declare them, never faked), and error
 * messages. Extend it and implement {@link #createTarget()}.
 */
public abstract class StorageDriverContract {
    protected TckTarget target;
    protected StorageDriver driver;
    private final List<StorageDriver> drivers = new ArrayList<>();
    private final String prefix = "tck-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    /** A fresh target for one test. */
    protected abstract TckTarget createTarget();

    @BeforeEach
    void openTarget() {
        target = createTarget();
        driver = track(target.newDriver());
    }

    @AfterEach
    void closeTarget() {
        if (target == null) {
            return;     // the target could not be made (a prerequisite is missing): the test was skipped or failed for that
        }
        try {
            StorageDriver cleaner = track(target.newDriver());
            for (Volume v : cleaner.list()) {
                if (v.name().startsWith(prefix)) {
                    try {
                        cleaner.remove(v.id(), RemoveOptions.FORCE);
                    } catch (StorageException e) {
                        System.err.println("TCK cleanup could not remove " + v.name() + ": " + e.getMessage());
                    }
                }
            }
        } finally {
            drivers.forEach(StorageDriver::close);
            target.close();
        }
    }

    private StorageDriver track(StorageDriver d) {
        drivers.add(d);
        return d;
    }

    /** A unique volume name for this test run. */
    protected String name(String suffix) {
        return prefix + suffix;
    }

    protected VolumeSpec spec() {
        return VolumeSpec.builder().sizeBytes(target.volumeSizeBytes()).build();
    }

    protected void assumeFeature(Feature feature) {
        Assumptions.assumeTrue(driver.features().contains(feature), "the driver does not declare " + feature);
    }

    // ------------------------------------------------------------------ create, names, sizes

    @Test
    void createIsIdempotentWithoutASecondSideEffect() {
        Volume first = driver.create(name("idem"), spec());
        long after = target.backendMutations();
        Volume second = driver.create(name("idem"), spec());
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(target.backendMutations()).as("back-end mutations of a repeated create").isEqualTo(after);
    }

    @Test
    void createWithAConflictingSpecFailsNamingTheDifference() {
        driver.create(name("conflict"), spec());
        long before = target.backendMutations();
        VolumeSpec bigger = spec().toBuilder().sizeBytes(spec().sizeBytes() * 2).build();
        assertThatThrownBy(() -> driver.create(name("conflict"), bigger))
                .isInstanceOf(VolumeSpecConflictException.class)
                .hasMessageContaining(String.valueOf(spec().sizeBytes()))
                .hasMessageContaining(String.valueOf(bigger.sizeBytes()));
        assertThat(target.backendMutations()).isEqualTo(before);
    }

    @Test
    void sizesAreBytesRoundedUpAndReportedBoth() {
        long odd = spec().sizeBytes() + 12345;
        Volume v = driver.create(name("size"), spec().toBuilder().sizeBytes(odd).build());
        assertThat(v.requestedSizeBytes()).isEqualTo(odd);
        assertThat(v.allocatedSizeBytes()).isGreaterThanOrEqualTo(odd);
    }

    @Test
    void nonPositiveSizesAreRejectedBeforeAnyBackendCall() {
        long before = target.backendMutations();
        for (long size : new long[] {0, -1}) {
            assertThatThrownBy(() -> driver.create(name("zero"), spec().toBuilder().sizeBytes(size).build()))
                    .isInstanceOf(InvalidRequestException.class);
        }
        assertThat(target.backendMutations()).isEqualTo(before);
        assertThat(driver.findByName(name("zero"))).isEmpty();
    }

    @Test
    void sizesTooLargeForAnyBackEndAreInvalidRequestsBeforeAnyBackendCall() {
        long before = target.backendMutations();
        for (long size : new long[] {ByteSizes.LIMIT, Long.MAX_VALUE, Long.MAX_VALUE - 1}) {
            assertThatThrownBy(() -> driver.create(name("huge"), spec().toBuilder().sizeBytes(size).build()))
                    .as("%d bytes", size).isInstanceOf(InvalidRequestException.class).hasMessageContaining("too large");
        }
        assertThat(target.backendMutations()).isEqualTo(before);
        assertThat(driver.findByName(name("huge"))).isEmpty();
        if (driver.features().contains(Feature.GROW)) {
            Volume v = driver.create(name("grow-huge"), spec());
            assertThatThrownBy(() -> driver.grow(v.id(), Long.MAX_VALUE)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("too large");
            assertThat(driver.inspect(v.id()).orElseThrow().allocatedSizeBytes()).isEqualTo(v.allocatedSizeBytes());
        }
    }

    @Test
    void namesThatCouldEscapeOrAreEmptyAreRejected() {
        for (String bad : List.of("", "..", ".", "a/b", "../etc", "x\0y", "with space")) {
            assertThatThrownBy(() -> driver.create(bad, spec()))
                    .as("name '%s'", bad).isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.code()).isEqualTo("INVALID_VOLUME_NAME"));
        }
    }

    @Test
    void lookupsByNameAreExact() {
        Volume two = driver.create(name("vol-data-2"), spec());
        Volume twentyOne = driver.create(name("vol-data-21"), spec());
        assertThat(driver.findByName(name("vol-data-2"))).map(Volume::id).contains(two.id());
        assertThat(driver.findByName(name("vol-data-21"))).map(Volume::id).contains(twentyOne.id());
        assertThat(driver.findByName(name("vol-data"))).isEmpty();
        assertThat(driver.findByName(name("VOL-DATA-2"))).isEmpty();
        assertThat(driver.inspect(two.id())).map(Volume::name).contains(name("vol-data-2"));
    }

    @Test
    void missingVolumesAreEmptyNotErrors() {
        assertThat(driver.findByName(name("missing"))).isEmpty();
        Volume v = driver.create(name("gone"), spec());
        driver.remove(v.id(), RemoveOptions.DEFAULT);
        assertThat(driver.inspect(v.id())).isEmpty();
    }

    @Test
    void listContainsCreatedVolumes() {
        Volume a = driver.create(name("list-a"), spec());
        Volume b = driver.create(name("list-b"), spec());
        assertThat(driver.list()).extracting(Volume::id).contains(a.id(), b.id());
    }

    @Test
    void tenThreadsCreatingOneNameGetOneVolume() throws Exception {
        List<Callable<VolumeId>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StorageDriver d = track(target.newDriver());
            calls.add(() -> d.create(name("race"), spec()).id());
        }
        Set<VolumeId> ids = new HashSet<>(runTogether(calls));
        assertThat(ids).hasSize(1);
        assertThat(driver.list()).filteredOn(v -> v.name().equals(name("race"))).hasSize(1);
    }

    // ------------------------------------------------------------------ attach / detach / remove

    @Test
    void attachToThisHostIsIdempotentAndItsDeviceAppears() {
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("attach"), spec());
        AttachResult first = driver.attach(v.id(), me, AttachOptions.DEFAULT);
        try {
            assertThat(first.changed()).isTrue();
            assertThat(first.attachment().hostId()).isEqualTo(me);
            long after = target.backendMutations();
            AttachResult again = driver.attach(v.id(), me, AttachOptions.DEFAULT);
            assertThat(again.changed()).isFalse();
            assertThat(again.attachment().deviceToken()).isEqualTo(first.attachment().deviceToken());
            assertThat(target.backendMutations()).as("mutations of a repeated attach").isEqualTo(after);
            Path device = DeviceWait.await(driver.hostSide(), first.attachment(), Duration.ofSeconds(30),
                    io.libstorage.api.ErrorContext.of("tck attach", v.name(), me.value(), driver.name()));
            assertThat(driver.hostSide().findDevice(first.attachment())).contains(device);
            assertThat(driver.findByName(v.name()).orElseThrow().attachmentTo(me)).isPresent();
        } finally {
            driver.detach(v.id(), me, DetachOptions.DEFAULT);
        }
    }

    @Test
    void detachIsIdempotent() {
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("detach"), spec());
        long before = target.backendMutations();
        driver.detach(v.id(), me, DetachOptions.DEFAULT);
        assertThat(target.backendMutations()).as("detach of a volume that is not attached").isEqualTo(before);
        Attachment a = driver.attach(v.id(), me, AttachOptions.DEFAULT).attachment();
        driver.detach(v.id(), me, DetachOptions.DEFAULT);
        long detached = target.backendMutations();
        driver.detach(v.id(), me, DetachOptions.DEFAULT);
        assertThat(target.backendMutations()).isEqualTo(detached);
        assertThat(driver.inspect(v.id()).orElseThrow().attachmentTo(me)).isEmpty();
        assertThat(driver.hostSide().findDevice(a)).isEmpty();
    }

    @Test
    void removeIsIdempotentAndStrictRemoveReportsMissing() {
        Volume v = driver.create(name("remove"), spec());
        driver.remove(v.id(), RemoveOptions.DEFAULT);
        long after = target.backendMutations();
        driver.remove(v.id(), RemoveOptions.DEFAULT);
        assertThat(target.backendMutations()).isEqualTo(after);
        assertThatThrownBy(() -> driver.remove(v.id(), new RemoveOptions(false, true)))
                .isInstanceOf(VolumeNotFoundException.class);
    }

    @Test
    void removingAnAttachedVolumeIsRefusedUnlessForced() {
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("in-use"), spec());
        driver.attach(v.id(), me, AttachOptions.DEFAULT);
        assertThatThrownBy(() -> driver.remove(v.id(), RemoveOptions.DEFAULT)).isInstanceOf(VolumeInUseException.class);
        assertThat(driver.inspect(v.id())).isPresent();
        driver.remove(v.id(), RemoveOptions.FORCE);
        assertThat(driver.inspect(v.id())).isEmpty();
    }

    // ------------------------------------------------------------------ other hosts and pre-emption

    /**
     * A driver for another host on the same back end: one that attaches remotely must offer it; one
     * that does not may (localfs: another identity on the same root), and the test is skipped if not.
     */
    private StorageDriver otherHost(String hostName) {
        try {
            return track(target.newDriverForHost(hostName));
        } catch (UnsupportedOperationException e) {
            if (driver.features().contains(Feature.REMOTE_ATTACH)) {
                throw new AssertionError("the driver declares REMOTE_ATTACH, so its target must offer other hosts", e);
            }
            Assumptions.abort("the target simulates no other hosts");
            throw e;
        }
    }

    /** {@code d} with its attaches recorded step by step (its own attach is the template the recording runs). */
    private InstrumentedStorageDriver recorded(StorageDriver d) {
        return new InstrumentedStorageDriver(d, new CrashPlan());
    }

    // ------------------------------------------------------------------ the takeover template

    @Test
    void attachIsTheTakeoverTemplateOverTheDriversPrimitives() {
        assertThat(InstrumentedStorageDriver.usesTheTemplate(driver))
                .as("%s supplies mapping() primitives and leaves attach() to the takeover template", driver.getClass().getName())
                .isTrue();
    }

    @Test
    void aTakeoverDecidesFencesAndVerifiesTheFenceBeforeItMaps() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("order"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        InstrumentedStorageDriver taker = recorded(driver);
        AttachResult r = taker.attach(v.id(), me, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS));
        assertThat(r.preemption()).hasValueSatisfying(p -> assertThat(p.from()).isEqualTo(hostB));
        List<InstrumentedStorageDriver.Step> steps = taker.steps();
        int unmap = indexOf(steps, InstrumentedStorageDriver.Step.Kind.UNMAP, 0);
        int map = indexOf(steps, InstrumentedStorageDriver.Step.Kind.MAP, 0);
        assertThat(unmap).as("steps %s", steps).isGreaterThan(0);
        assertThat(steps.get(unmap).host()).isEqualTo(hostB);
        assertThat(map).as("the map comes after the unmap, steps %s", steps).isGreaterThan(unmap);
        assertThat(steps.subList(unmap + 1, map)).as("a read between unmap and map shows the owner gone, steps %s", steps)
                .anySatisfy(s -> {
                    assertThat(s.kind()).isEqualTo(InstrumentedStorageDriver.Step.Kind.READ);
                    assertThat(s.mappedTo()).doesNotContain(hostB);
                });
        assertThat(steps.get(steps.size() - 1).mappedTo()).as("the final read, steps %s", steps).containsExactly(me);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(me);
    }

    @Test
    void aFenceThatDidNotTakeNeverLeadsToAMap() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("lost-unmap"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        InstrumentedStorageDriver taker = recorded(driver);
        taker.loseNextUnmaps(1);
        long before = target.backendMutations();
        assertThatThrownBy(() -> taker.attach(v.id(), me, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining(hostB.value()).hasMessageContaining("still maps");
        assertThat(taker.steps()).as("the driver's read after the lost unmap still shows the owner, so nothing is mapped")
                .noneMatch(s -> s.kind() == InstrumentedStorageDriver.Step.Kind.MAP);
        assertThat(target.backendMutations()).isEqualTo(before);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
    }

    @Test
    void aFenceThatFailsNeverLeadsToAMap() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("failed-unmap"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        InstrumentedStorageDriver taker = recorded(driver);
        taker.failNextUnmaps(1);
        assertThatThrownBy(() -> taker.attach(v.id(), me, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining(hostB.value());
        assertThat(taker.steps()).noneMatch(s -> s.kind() == InstrumentedStorageDriver.Step.Kind.MAP);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
        taker.attach(v.id(), me, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS));
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(me);
    }

    @Test
    void aRefusedTakeoverNeitherUnmapsNorMaps() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        Volume v = driver.create(name("refused"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        InstrumentedStorageDriver taker = recorded(driver);
        for (AttachOptions options : List.of(AttachOptions.DEFAULT, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE))) {
            assertThatThrownBy(() -> taker.attach(v.id(), driver.hostSide().localHost(), options))
                    .as("%s", options.preemption()).isInstanceOfAny(VolumeAttachedToOtherHostException.class, OwnerStillAliveException.class);
        }
        assertThat(taker.steps()).as("steps %s", taker.steps())
                .noneMatch(s -> s.kind() == InstrumentedStorageDriver.Step.Kind.UNMAP || s.kind() == InstrumentedStorageDriver.Step.Kind.MAP);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
    }

    private static int indexOf(List<InstrumentedStorageDriver.Step> steps, InstrumentedStorageDriver.Step.Kind kind, int from) {
        for (int i = from; i < steps.size(); i++) {
            if (steps.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aVolumeAttachedElsewhereIsReportedAsSuchNeverAsMissing() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        Volume v = driver.create(name("elsewhere"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        Volume seen = driver.findByName(v.name()).orElseThrow();
        assertThat(seen.attachments()).extracting(Attachment::hostId).containsExactly(hostB);
        long before = target.backendMutations();
        Throwable t = catchThrowable(() -> driver.attach(v.id(), driver.hostSide().localHost(), AttachOptions.DEFAULT));
        assertThat(t).isInstanceOf(VolumeAttachedToOtherHostException.class)
                .as("the error names the owner and the volume by its name").hasMessageContaining(hostB.value())
                .hasMessageContaining(v.name());
        assertThat(((VolumeAttachedToOtherHostException) t).owners()).containsExactly(hostB);
        assertThat(target.backendMutations()).isEqualTo(before);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
    }

    @Test
    void ifOwnerUnreachableWithALiveOwnerRefusesAndUnmapsNothing() {
        StorageDriver b = otherHost("tck-host-b");
        assumeFeature(Feature.OWNER_LIVENESS);
        HostId hostB = b.hostSide().localHost();
        Volume v = driver.create(name("alive"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        long before = target.backendMutations();
        assertThatThrownBy(() -> driver.attach(v.id(), driver.hostSide().localHost(),
                AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE)))
                .isInstanceOf(OwnerStillAliveException.class).hasMessageContaining(hostB.value());
        assertThat(target.backendMutations()).as("nothing unmapped or mapped").isEqualTo(before);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
    }

    @Test
    void ifOwnerUnreachableWithADeadOwnerTakesOverLeavingExactlyOneMapping() {
        StorageDriver b = otherHost("tck-host-b");
        assumeFeature(Feature.OWNER_LIVENESS);
        HostId hostB = b.hostSide().localHost();
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("dead"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        target.killHost("tck-host-b");
        AttachResult r = driver.attach(v.id(), me, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        assertThat(r.preemption()).hasValueSatisfying(p -> {
            assertThat(p.from()).isEqualTo(hostB);
            assertThat(p.to()).isEqualTo(me);
            assertThat(p.policy()).isEqualTo(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        });
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(me);
    }

    @Test
    void anOwnerDeclaredDeadByTheCallerMayBeTakenOver() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("declared"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        AttachResult r = driver.attach(v.id(), me, new AttachOptions(PreemptionPolicy.IF_OWNER_UNREACHABLE, Set.of(hostB)));
        assertThat(r.preemption()).hasValueSatisfying(p -> assertThat(p.evidence().source()).isEqualTo("caller"));
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(me);
    }

    @Test
    void alwaysTakesOverEvenFromALiveOwner() {
        StorageDriver b = otherHost("tck-host-b");
        HostId hostB = b.hostSide().localHost();
        HostId me = driver.hostSide().localHost();
        Volume v = driver.create(name("always"), spec());
        b.attach(v.id(), hostB, AttachOptions.DEFAULT);
        AttachResult r = driver.attach(v.id(), me, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS));
        assertThat(r.preemption()).isPresent();
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(me);
    }

    @Test
    void twoHostsAttachingAtOnceUnderNeverGiveExactlyOneWinner() throws Exception {
        StorageDriver b = otherHost("tck-host-b");
        Volume v = driver.create(name("duel"), spec());
        List<Callable<Object>> calls = List.of(
                () -> attachOrFailure(driver, v.id()),
                () -> attachOrFailure(b, v.id()));
        List<Object> outcomes = runTogether(calls);
        assertThat(outcomes).filteredOn(o -> o instanceof AttachResult).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof VolumeAttachedToOtherHostException).hasSize(1);
        HostId winner = outcomes.stream().filter(o -> o instanceof AttachResult).map(o -> ((AttachResult) o).attachment().hostId())
                .findFirst().orElseThrow();
        VolumeAttachedToOtherHostException loser = (VolumeAttachedToOtherHostException) outcomes.stream()
                .filter(o -> o instanceof VolumeAttachedToOtherHostException).findFirst().orElseThrow();
        assertThat(loser.owners()).containsExactly(winner);
        assertThat(driver.inspect(v.id()).orElseThrow().attachments()).hasSize(1);
    }

    private static Object attachOrFailure(StorageDriver d, VolumeId id) {
        try {
            return d.attach(id, d.hostSide().localHost(), AttachOptions.DEFAULT);
        } catch (StorageException e) {
            return e;
        }
    }

    // ------------------------------------------------------------------ optional features

    @Test
    void snapshotsAreIdempotentByNameAndListedAndRemovable() {
        assumeFeature(Feature.SNAPSHOTS);
        Volume v = driver.create(name("snap"), spec());
        Snapshot s = driver.snapshot(v.id(), "s1");
        Snapshot again = driver.snapshot(v.id(), "s1");
        assertThat(again.id()).isEqualTo(s.id());
        assertThat(driver.snapshots(v.id())).extracting(Snapshot::id).containsExactly(s.id());
        driver.removeSnapshot(s.id());
        driver.removeSnapshot(s.id());
        assertThat(driver.snapshots(v.id())).isEmpty();
    }

    @Test
    void aVolumeCanBeCreatedFromASnapshot() {
        assumeFeature(Feature.CREATE_FROM_SNAPSHOT);
        Volume v = driver.create(name("origin"), spec());
        Snapshot s = driver.snapshot(v.id(), "base");
        Volume clone = driver.create(name("clone"), spec().toBuilder().sourceSnapshot(s.id()).build());
        assertThat(clone.id()).isNotEqualTo(v.id());
        assertThat(clone.spec().sourceSnapshot()).contains(s.id());
        driver.removeSnapshot(s.id());
    }

    @Test
    void growRoundsUpAndNeverShrinks() {
        assumeFeature(Feature.GROW);
        Volume v = driver.create(name("grow"), spec());
        Volume grown = driver.grow(v.id(), v.allocatedSizeBytes() * 2);
        assertThat(grown.allocatedSizeBytes()).isGreaterThanOrEqualTo(v.allocatedSizeBytes() * 2);
        Volume same = driver.grow(v.id(), v.allocatedSizeBytes());
        assertThat(same.allocatedSizeBytes()).isEqualTo(grown.allocatedSizeBytes());
    }

    @Test
    void undeclaredFeaturesFailAsUnsupportedAndChangeNothing() {
        Volume v = driver.create(name("unsupported"), spec());
        long before = target.backendMutations();
        if (!driver.features().contains(Feature.SNAPSHOTS)) {
            assertThatThrownBy(() -> driver.snapshot(v.id(), "s")).isInstanceOf(UnsupportedFeatureException.class);
        }
        if (!driver.features().contains(Feature.GROW)) {
            assertThatThrownBy(() -> driver.grow(v.id(), v.allocatedSizeBytes() * 2)).isInstanceOf(UnsupportedFeatureException.class);
        }
        assertThat(target.backendMutations()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void exceptionMessagesAreNeverEmptyAndNameOperationVolumeAndBackend() {
        List<StorageException> errors = new ArrayList<>();
        Volume v = driver.create(name("errors"), spec());
        collect(errors, () -> driver.create("../x", spec()));
        collect(errors, () -> driver.create(name("errors"), spec().toBuilder().sizeBytes(spec().sizeBytes() * 3).build()));
        collect(errors, () -> driver.create(name("neg"), spec().toBuilder().sizeBytes(-5).build()));
        collect(errors, () -> driver.remove(new VolumeId("no-such-volume-id"), new RemoveOptions(false, true)));
        driver.attach(v.id(), driver.hostSide().localHost(), AttachOptions.DEFAULT);
        collect(errors, () -> driver.remove(v.id(), RemoveOptions.DEFAULT));
        assertThat(errors).hasSizeGreaterThanOrEqualTo(5);
        for (StorageException e : errors) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.detail()).isNotBlank();
            assertThat(e.getMessage()).contains("operation=").contains("volume=").contains("host=").contains("backend=" + driver.name());
            assertThat(e.code()).matches("[A-Z_]+");
        }
        driver.remove(v.id(), RemoveOptions.FORCE);
    }

    @Test
    void ambiguousNamesAreReportedWithEveryCandidate() {
        Optional<VolumeId> second = duplicateName(name("twin"));
        Assumptions.assumeTrue(second.isPresent(), "the target cannot create two back-end volumes with one name");
        Throwable t = catchThrowable(() -> driver.findByName(name("twin")));
        assertThat(t).isInstanceOf(AmbiguousVolumeException.class);
        assertThat(((AmbiguousVolumeException) t).candidates()).hasSize(2).contains(second.get());
    }

    /**
     * Creates two back-end volumes carrying {@code name} behind the driver's back, if the back end
     * can hold such a thing; returns the second one's id. Default: not possible.
     */
    protected Optional<VolumeId> duplicateName(String volumeName) {
        return Optional.empty();
    }

    private static void collect(List<StorageException> errors, Runnable r) {
        try {
            r.run();
        } catch (StorageException e) {
            errors.add(e);
        }
    }

    static <T> List<T> runTogether(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
