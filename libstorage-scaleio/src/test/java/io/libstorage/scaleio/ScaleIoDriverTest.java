package io.libstorage.scaleio;

import io.libstorage.api.AccessMode;
import io.libstorage.api.AttachOptions;
import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.RequestRecord;
import io.libstorage.spi.BackendReconcile;
import io.libstorage.spi.StorageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver against the gateway emulator over real HTTPS, without the data path (no root needed). */
class ScaleIoDriverTest {
    private final EmulatedScaleIo sio = new EmulatedScaleIo(false, "a", "b");
    private final List<StorageDriver> drivers = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(StorageDriver::close);
        sio.close();
    }

    private StorageDriver driver(String host) {
        return track(sio.newDriver(host));
    }

    private StorageDriver driver(String host, Map<String, Object> overrides) {
        return track(sio.newDriver(host, overrides, io.libstorage.spi.support.SystemProcessRunner.instance()));
    }

    private StorageDriver track(StorageDriver d) {
        drivers.add(d);
        return d;
    }

    private static VolumeSpec gib(long n) {
        return VolumeSpec.builder().sizeBytes(n * ByteSizes.GIB).build();
    }

    private long count(String endpoint) {
        return sio.gateway().requestCount(endpoint);
    }

    // ------------------------------------------------------------- leftovers

    @Test
    void reconcileDeletesWhatKilledWritesOfTheNameRegistryLeftButNoFreshWrite() throws Exception {
        StorageDriver d = driver("a");
        Path names = Files.createDirectories(sio.dir().resolve("state").resolve("a").resolve("names"));
        Path old = Files.writeString(names.resolve(".ls-abcdefghijklmnopqrstuvwxyz23.json.4711.tmp"), "{\"na");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.writeString(names.resolve(".other.json.42.tmp"), "");
        BackendReconcile r = d.reconcile();
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(r.repaired()).singleElement().satisfies(line -> assertThat(line).contains(old.toString()));
        assertThat(r.problems()).isEmpty();
    }

    // ------------------------------------------------------------- start-up

    @Test
    void theFirstCallNamesWhatItCannotFind() {
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver("a", Map.of("systemName", "nope"))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.systemName")
                .hasMessageContaining("nope").hasMessageContaining("cluster1");
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver("a", Map.of("protectionDomainName", "pdX"))))
                .hasMessageContaining("scaleio.protectionDomainName").hasMessageContaining("pd1");
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver("a", Map.of("storagePoolName", "poolX"))))
                .hasMessageContaining("scaleio.storagePoolName").hasMessageContaining("pool1");
        Volume v = driver("a").create("v", gib(1));
        StorageDriver unregistered = driver("a", Map.of("guid", "00000000-0000-0000-0000-000000000000",
                "stateDir", sio.dir().resolve("state-unregistered").toString()));
        assertThatThrownBy(() -> unregistered.attach(v.id(), unregistered.hostSide().localHost(), AttachOptions.DEFAULT))
                .hasMessageContaining("00000000-0000-0000-0000-000000000000").hasMessageContaining("not registered with system");
        sio.kill("b");
        StorageDriver b = driver("b");
        assertThatThrownBy(() -> b.attach(v.id(), b.hostSide().localHost(), AttachOptions.DEFAULT))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining(sio.guid("b")).hasMessageContaining("Disconnected");
    }

    @Test
    void theGuidComesFromDrvCfgWhenNotConfigured() {
        StorageDriver d = track(sio.newDriver("a", Map.of(), io.libstorage.spi.support.SystemProcessRunner.instance()));
        assertThat(d.hostSide().localHost().value()).isEqualTo(sio.guid("a"));
        var overrides = new java.util.HashMap<String, Object>(Map.of("drvCfg", sio.gateway().sdc(sio.guid("a")).drvCfg().toString()));
        var c = sio.config("a");
        c.remove("guid");
        c.putAll(overrides);
        var p = new io.libstorage.scaleio.internal.ScaleIoDriverProvider();
        StorageDriver viaDrvCfg = track(p.create(new io.libstorage.spi.DriverContext(
                io.libstorage.spi.DriverConfig.parse("scaleio", p.configKeys(), c),
                io.libstorage.spi.support.SystemProcessRunner.instance(), java.time.Clock.systemUTC())));
        assertThat(viaDrvCfg.hostSide().localHost().value()).isEqualTo(sio.guid("a"));
    }

    @Test
    void tlsIsVerifiedUnlessInsecureIsSaidExplicitly() {
        var noCa = new java.util.HashMap<String, Object>(Map.of("attempts", 1));
        var c = sio.config("a");
        c.remove("caCertificate");
        c.putAll(noCa);
        var p = new io.libstorage.scaleio.internal.ScaleIoDriverProvider();
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(p.create(new io.libstorage.spi.DriverContext(io.libstorage.spi.DriverConfig.parse("scaleio",
                p.configKeys(), c), io.libstorage.spi.support.SystemProcessRunner.instance(), java.time.Clock.systemUTC()))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not trusted");
        c.put("insecure", true);
        StorageDriver insecure = track(p.create(new io.libstorage.spi.DriverContext(io.libstorage.spi.DriverConfig.parse("scaleio",
                p.configKeys(), c), io.libstorage.spi.support.SystemProcessRunner.instance(), java.time.Clock.systemUTC())));
        assertThat(insecure.list()).isEmpty();
    }

    // ------------------------------------------------------------- authentication

    @Test
    void wrongCredentialsFailFastWithOneLogin() {
        sio.gateway().resetRequestLog();
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver("a", Map.of("password", "wrong"))))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("admin").hasMessageNotContaining("wrong");
        assertThat(count("GET /api/login")).isEqualTo(1);
    }

    @Test
    void afterAGatewayRestartFiftyThreadsShareExactlyOneReLogin() throws Exception {
        StorageDriver d = driver("a");
        d.create("shared", gib(1));
        sio.gateway().restart();
        sio.gateway().resetRequestLog();
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> d.findByName("shared").isPresent());
        }
        assertThat(runTogether(calls)).containsOnly(true).hasSize(50);
        assertThat(count("GET /api/login")).isEqualTo(1);
    }

    @Test
    void aRequestInterruptedByExpiryIsReplayedWithItsBody() {
        StorageDriver d = driver("a");
        sio.gateway().restart();
        Volume v = d.create("replayed", gib(9));
        assertThat(v.allocatedSizeBytes()).isEqualTo(16 * ByteSizes.GIB);
        assertThat(d.findByName("replayed")).isPresent();
    }

    @Test
    void aSessionThatStaysRejectedIsAnAuthenticationErrorNotALoop() {
        StorageDriver d = driver("a");
        d.list();
        sio.gateway().addFault(FaultRule.unauthorized("queryIdByKey").withTimes(-1));
        sio.gateway().resetRequestLog();
        assertThatThrownBy(() -> d.findByName("x")).isInstanceOf(AuthenticationException.class);
        assertThat(count("GET /api/login")).isEqualTo(1);
    }

    // ------------------------------------------------------------- transport faults

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedThenReportedClearly() {
        StorageDriver d = driver("a");
        d.create("v", gib(1));
        sio.gateway().failNext(2, "/api/instances/Volume::", 503, 0, "Service Unavailable");
        assertThat(d.findByName("v")).isPresent();
        sio.gateway().addFault(FaultRule.dropConnection("/api/instances/Volume::").withTimes(2));
        assertThat(d.findByName("v")).isPresent();
        sio.gateway().addFault(FaultRule.dropConnection("/api/instances/Volume::").withTimes(-1));
        assertThatThrownBy(() -> d.findByName("v")).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("after 3 attempts").hasMessageContaining("GET /api/instances/Volume::")
                .satisfies(e -> assertThat(((BackendUnavailableException) e).retryable()).isTrue());
    }

    @Test
    void mdmErrorsAreNotRetriedAndAreDecodedNotDumped() {
        StorageDriver d = driver("a");
        sio.gateway().resetRequestLog();
        sio.gateway().failNext(1, "/api/types/Volume/instances$", 500, 300, "Requested volume size exceeds the volume allocation limit");
        assertThatThrownBy(() -> d.create("big", gib(8)))
                .hasMessageContaining("errorCode 300").hasMessageContaining("exceeds the volume allocation limit");
        assertThat(count("POST /api/types/Volume/instances")).isEqualTo(1);
    }

    // ------------------------------------------------------------- names and sizes

    @Test
    void longNamesMapToDeterministicGatewayNamesThatNeverCollide() {
        StorageDriver a = driver("a");
        String prefix = "x".repeat(31);
        Volume one = a.create(prefix + "-one", gib(1));
        Volume two = a.create(prefix + "-two", gib(1));
        assertThat(one.id()).isNotEqualTo(two.id());
        assertThat(one.fields().get("gatewayName")).hasSize(31).startsWith("ls-");
        assertThat(a.findByName(prefix + "-one")).map(Volume::id).contains(one.id());
        assertThat(a.findByName(prefix + "-two")).map(Volume::id).contains(two.id());
        assertThat(a.findByName(prefix)).isEmpty();
        assertThat(a.list()).extracting(Volume::name).contains(prefix + "-one", prefix + "-two");
        StorageDriver b = driver("b");
        assertThat(b.findByName(prefix + "-two")).map(Volume::id).contains(two.id());
        assertThatThrownBy(() -> a.create("ls-abcdefghijklmnopqrstuvwxyz23", gib(1))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void sizesAreRoundedUpToEightGibibytesAndBothAreReported() {
        StorageDriver d = driver("a");
        Volume one = d.create("one", gib(1));
        assertThat(one.requestedSizeBytes()).isEqualTo(ByteSizes.GIB);
        assertThat(one.allocatedSizeBytes()).isEqualTo(8 * ByteSizes.GIB);
        Volume nine = d.create("nine", gib(9));
        assertThat(nine.allocatedSizeBytes()).isEqualTo(16 * ByteSizes.GIB);
        assertThat(d.findByName("nine").orElseThrow().requestedSizeBytes()).isEqualTo(9 * ByteSizes.GIB);
        assertThat(d.grow(one.id(), 10 * ByteSizes.GIB).allocatedSizeBytes()).isEqualTo(16 * ByteSizes.GIB);
        long before = sio.mutations();
        assertThat(d.grow(one.id(), 12 * ByteSizes.GIB).allocatedSizeBytes()).isEqualTo(16 * ByteSizes.GIB);
        assertThat(sio.mutations()).isEqualTo(before);
    }

    @Test
    void unknownDriverOptionsAreRefusedBeforeAnyCall() {
        StorageDriver d = driver("a");
        sio.gateway().resetRequestLog();
        assertThatThrownBy(() -> d.create("v", gib(1).toBuilder().driverOption("iops", "100").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("iops");
        assertThat(sio.gateway().requestCount()).isZero();
        Volume inPool2 = d.create("p2", gib(1).toBuilder().driverOption("type", "pool2").build());
        assertThat(inPool2.fields().get("storagePoolId")).isNotEqualTo(d.findByName("p2").map(v -> "").orElse("x"))
                .isNotEqualTo(d.create("p1", gib(1)).fields().get("storagePoolId"));
    }

    /**
     * A create of an existing name is judged by SpecCompatibility over what this host knows: what the
     * host that created it asked for (its name registry), else the allocation; the pool always.
     */
    @Test
    void aRepeatedCreateConflictsOnlyOverWhatThisHostCanKnow() {
        StorageDriver a = driver("a");
        StorageDriver b = driver("b");
        Volume v = a.create("shared", gib(1).toBuilder().fsType("xfs").build());
        assertThatThrownBy(() -> a.create("shared", gib(2))).isInstanceOf(VolumeSpecConflictException.class)
                .hasMessageContaining("size " + ByteSizes.GIB + " bytes exists, " + 2 * ByteSizes.GIB + " requested");
        assertThatThrownBy(() -> a.create("shared", gib(1).toBuilder().fsType("ext4").build()))
                .isInstanceOf(VolumeSpecConflictException.class).hasMessageContaining("fsType xfs exists, ext4 requested");
        assertThatThrownBy(() -> b.create("shared", gib(9))).isInstanceOf(VolumeSpecConflictException.class)
                .hasMessageContaining("size " + 8 * ByteSizes.GIB + " bytes exists");
        assertThatThrownBy(() -> b.create("shared", gib(1).toBuilder().driverOption("type", "pool2").build()))
                .isInstanceOf(VolumeSpecConflictException.class).hasMessageContaining("storage pool");
        Volume again = b.create("shared", gib(2).toBuilder().fsType("ext4").accessMode(AccessMode.MULTI_HOST_READ_ONLY).build());
        assertThat(again.id()).as("host b does not know what host a asked for: the same allocation is a repeat").isEqualTo(v.id());
    }

    @Test
    void inspectByNameCostsOneCallWhereTheIdIsKnownTwoElsewhereAndListOneWhateverTheVolumeCount() {
        StorageDriver d = driver("a");
        StorageDriver other = driver("b");
        other.list();
        for (int i = 0; i < 10; i++) {
            d.create("vol-" + i, gib(1));
        }
        sio.gateway().resetRequestLog();
        d.findByName("vol-7");
        assertThat(sio.gateway().requestCounts()).as("the creating host knows the id").containsOnlyKeys("GET /api/instances/Volume::{id}");
        sio.gateway().resetRequestLog();
        other.findByName("vol-7");
        assertThat(sio.gateway().requestCount()).as("another host asks by name first").isEqualTo(2);
        sio.gateway().resetRequestLog();
        other.findByName("vol-7");
        assertThat(sio.gateway().requestCount()).as("then it knows the id").isEqualTo(1);
        for (int i = 10; i < 210; i++) {
            d.create("vol-" + i, gib(1));
        }
        sio.gateway().resetRequestLog();
        other.findByName("vol-177");
        assertThat(sio.gateway().requestCount()).isEqualTo(2);
        sio.gateway().resetRequestLog();
        assertThat(d.list()).hasSize(210);
        assertThat(sio.gateway().requestCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------- attach and pre-emption

    @Test
    void preemptionUnmapsOnlyTheDeadOwnerVerifiesAndThenMaps() {
        StorageDriver a = driver("a");
        StorageDriver b = driver("b");
        HostId hostA = a.hostSide().localHost();
        HostId hostB = b.hostSide().localHost();
        Volume v = a.create("pgdata", gib(1));
        a.attach(v.id(), hostA, AttachOptions.DEFAULT);

        assertThatThrownBy(() -> b.attach(v.id(), hostB, AttachOptions.DEFAULT))
                .isInstanceOf(VolumeAttachedToOtherHostException.class).hasMessageContaining(hostA.value()).hasMessageContaining("pgdata");
        sio.gateway().resetRequestLog();
        assertThatThrownBy(() -> b.attach(v.id(), hostB, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE)))
                .isInstanceOf(OwnerStillAliveException.class).hasMessageContaining("mdmConnectionState").hasMessageContaining("CONNECTED");
        assertThat(sio.gateway().requests()).extracting(RequestRecord::path).noneMatch(p -> p.contains("MappedSdc"));

        sio.kill("a");
        sio.gateway().resetRequestLog();
        var r = b.attach(v.id(), hostB, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE));
        assertThat(r.preemption()).hasValueSatisfying(p -> {
            assertThat(p.from()).isEqualTo(hostA);
            assertThat(p.evidence().source()).isEqualTo("scaleio:mdmConnectionState");
        });
        assertThat(b.inspect(v.id()).orElseThrow().attachments()).extracting(x -> x.hostId()).containsExactly(hostB);
        List<String> calls = sio.gateway().requests().stream().map(x -> x.endpoint() + " " + x.body()).toList();
        int unmap = indexOf(calls, "removeMappedSdc");
        int map = indexOf(calls, "addMappedSdc");
        assertThat(unmap).isGreaterThanOrEqualTo(0).isLessThan(map);
        assertThat(calls.get(unmap)).contains(sio.gateway().sdc(sio.guid("a")).sdcId()).doesNotContain("allSdcs");
        assertThat(calls.subList(unmap + 1, map)).anyMatch(c -> c.startsWith("GET /api/instances/Volume::"));
        assertThat(calls.get(map)).contains("\"allowMultipleMappings\":\"FALSE\"");
    }

    private static int indexOf(List<String> calls, String what) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).contains(what)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aLostOrFailedUnmapNeverLeadsToASecondMapping() {
        StorageDriver a = driver("a");
        StorageDriver b = driver("b");
        Volume v = a.create("v", gib(1));
        a.attach(v.id(), a.hostSide().localHost(), AttachOptions.DEFAULT);
        sio.kill("a");
        sio.gateway().loseNextUnmaps(1);
        sio.gateway().resetRequestLog();
        assertThatThrownBy(() -> b.attach(v.id(), b.hostSide().localHost(), AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("still maps");
        assertThat(count("POST /api/instances/Volume::{id}/action/addMappedSdc")).isZero();
        sio.gateway().failNext(1, "removeMappedSdc", 500, 0, "Failed to connect to the MDM");
        assertThatThrownBy(() -> b.attach(v.id(), b.hostSide().localHost(), AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("MDM");
        assertThat(count("POST /api/instances/Volume::{id}/action/addMappedSdc")).isZero();
        assertThat(b.inspect(v.id()).orElseThrow().attachments()).extracting(x -> x.hostId()).containsExactly(a.hostSide().localHost());
        b.attach(v.id(), b.hostSide().localHost(), AttachOptions.withPolicy(PreemptionPolicy.ALWAYS));
        assertThat(b.inspect(v.id()).orElseThrow().attachments()).extracting(x -> x.hostId()).containsExactly(b.hostSide().localHost());
    }

    @Test
    void removingAMappedVolumeIsRefusedNamingTheHostUnlessForced() {
        StorageDriver a = driver("a");
        Volume v = a.create("v", gib(1));
        a.attach(v.id(), a.hostSide().localHost(), AttachOptions.DEFAULT);
        assertThatThrownBy(() -> a.remove(v.id(), RemoveOptions.DEFAULT)).isInstanceOf(VolumeInUseException.class)
                .hasMessageContaining(sio.guid("a"));
        a.remove(v.id(), RemoveOptions.FORCE);
        assertThat(a.inspect(v.id())).isEmpty();
    }

    @Test
    void snapshotsAndClonesAreNativeAndIdempotent() {
        StorageDriver a = driver("a");
        Volume v = a.create("origin", gib(1));
        var s = a.snapshot(v.id(), "before-upgrade");
        assertThat(a.snapshot(v.id(), "before-upgrade").id()).isEqualTo(s.id());
        assertThat(a.snapshots(v.id())).extracting(x -> x.name()).containsExactly("before-upgrade");
        assertThat(a.list()).extracting(Volume::name).containsExactly("origin");
        Volume clone = a.create("clone", gib(1).toBuilder().sourceSnapshot(s.id()).build());
        assertThat(clone.fields().get("volumeType")).isEqualTo("Snapshot");
        assertThat(a.create("clone", gib(1).toBuilder().sourceSnapshot(s.id()).build()).id()).isEqualTo(clone.id());
        assertThat(a.list()).extracting(Volume::name).containsExactlyInAnyOrder("origin", "clone");
        a.removeSnapshot(s.id());
        a.removeSnapshot(s.id());
        assertThat(a.snapshots(v.id())).isEmpty();
    }

    static <T> List<T> runTogether(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<T>> fs = pool.invokeAll(calls);
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
