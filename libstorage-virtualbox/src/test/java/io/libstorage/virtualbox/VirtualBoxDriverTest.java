package io.libstorage.virtualbox;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.core.LibStorageConfig;
import io.libstorage.emulator.vbox.FaultRule;
import io.libstorage.emulator.vbox.MachineState;
import io.libstorage.emulator.vbox.MediumInfo;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.StorageDriver;
import io.libstorage.virtualbox.internal.Ref;
import io.libstorage.virtualbox.internal.VboxWebService;
import io.libstorage.virtualbox.internal.VirtualBoxSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The VirtualBox driver's own rules against the emulator without its data path (no root): only media directly in
 * volumePath are volumes, lookups cost a fixed number of calls whatever the host holds, a detach leaves other VMs
 * alone, a saved owner is not fenced, a restart costs one re-logon, REX-Ray's disks and configuration are taken as
 * they are.
 */
class VirtualBoxDriverTest {
    private static final ErrorContext CTX = ErrorContext.of("test", null, null, "virtualbox");

    @TempDir
    Path tmp;
    private EmulatedVirtualBox vbox;
    private StorageDriver a;

    @BeforeEach
    void start() {
        vbox = new EmulatedVirtualBox(false, "a", "b");
        a = vbox.newDriver("a");
    }

    @AfterEach
    void stop() {
        a.close();
        vbox.close();
    }

    private static VolumeSpec gib() {
        return VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build();
    }

    /** A hard disk made behind the driver's back, as REX-Ray or VBoxManage would (no description). */
    private UUID rawDisk(Path location, long bytes) {
        VirtualBoxSettings s = VirtualBoxSettings.from(DriverConfig.parse("virtualbox", VirtualBoxSettings.keys(),
                Map.of("endpoint", vbox.emulator().endpoint().toString())));
        try (VboxWebService ws = new VboxWebService(s)) {
            return UUID.fromString(ws.withSession(CTX, session -> {
                Ref m = session.createMedium("vmdk", location.toString());
                session.awaitProgress(session.createBaseStorage(m, bytes), "IMedium_createBaseStorage", Duration.ofSeconds(30));
                return session.mediumId(m);
            }));
        }
    }

    @Test
    void onlyMediaDirectlyInVolumePathAreVolumes() throws Exception {
        Volume mine = a.create("mine", gib());
        UUID elsewhere = rawDisk(vbox.dir().resolve("host/other/mine2"), ByteSizes.MIB);
        Files.createDirectories(vbox.volumes().resolve("sub"));
        UUID nested = rawDisk(vbox.volumes().resolve("sub/nested"), ByteSizes.MIB);
        List<MediumInfo> bootDisks = vbox.emulator().media().stream().filter(m -> !m.location().startsWith(vbox.volumes())
                && !m.id().equals(elsewhere)).toList();
        assertThat(bootDisks).as("the VMs' own disks").hasSize(2);

        assertThat(a.list()).extracting(Volume::name).containsExactly("mine");
        for (UUID notAVolume : List.of(elsewhere, nested, bootDisks.get(0).id())) {
            assertThat(a.inspect(new VolumeId(notAVolume.toString()))).as("%s", notAVolume).isEmpty();
            assertThatThrownBy(() -> a.remove(new VolumeId(notAVolume.toString()), new RemoveOptions(true, true)))
                    .isInstanceOf(VolumeNotFoundException.class);
        }
        HostId me = a.hostSide().localHost();
        a.detach(new VolumeId(bootDisks.get(0).id().toString()), me, DetachOptions.DEFAULT);
        assertThat(vbox.emulator().media()).extracting(MediumInfo::id).contains(elsewhere, nested, bootDisks.get(0).id());
        assertThat(vbox.emulator().machine("a").attachments()).as("the boot disk stays").hasSize(1);
        assertThat(a.findByName("sub")).isEmpty();
        assertThat(a.inspect(mine.id())).map(Volume::name).contains("mine");
    }

    @Test
    void aLookupCostsTheSameFewCallsHoweverManyMediaTheHostHas() {
        Volume v = a.create("looked-up", gib());
        Map<String, Long> one = lookupCalls(v);
        for (int i = 0; i < 6; i++) {
            a.create("more-" + i, gib());
        }
        assertThat(lookupCalls(v)).isEqualTo(one);
        assertThat(one).isEqualTo(Map.of("IVirtualBox_openMedium", 2L, "IMedium_getLocation", 2L, "IMedium_getId", 2L,
                "IMedium_getLogicalSize", 2L, "IMedium_getMachineIds", 2L, "IMedium_getDescription", 2L, "IManagedObjectRef_release", 2L));
        assertThat(one).doesNotContainKeys("IVirtualBox_getHardDisks", "IWebsessionManager_logon");
    }

    @Test
    void eachOperationSendsExactlyTheseRequests() {
        HostId me = a.hostSide().localHost();
        Map<String, Long> read = Map.of("IVirtualBox_openMedium", 1L, "IMedium_getLocation", 1L, "IMedium_getId", 1L,
                "IMedium_getLogicalSize", 1L, "IMedium_getMachineIds", 1L, "IMedium_getDescription", 1L, "IManagedObjectRef_release", 1L);
        Volume[] v = new Volume[1];
        assertThat(calls(() -> v[0] = a.create("exact", gib()))).isEqualTo(Map.ofEntries(Map.entry("IVirtualBox_openMedium", 1L),
                Map.entry("IVirtualBox_createMedium", 1L), Map.entry("IMedium_createBaseStorage", 1L),
                Map.entry("IProgress_waitForCompletion", 1L), Map.entry("IProgress_getCompleted", 1L),
                Map.entry("IProgress_getResultCode", 1L), Map.entry("IMedium_setDescription", 1L), Map.entry("IMedium_getLocation", 1L),
                Map.entry("IMedium_getId", 1L), Map.entry("IMedium_getLogicalSize", 1L), Map.entry("IMedium_getMachineIds", 1L),
                Map.entry("IMedium_getDescription", 1L), Map.entry("IManagedObjectRef_release", 2L)));
        assertThat(calls(() -> a.attach(v[0].id(), me, AttachOptions.DEFAULT))).isEqualTo(Map.ofEntries(
                Map.entry("IVirtualBox_openMedium", 3L), Map.entry("IMedium_getLocation", 3L), Map.entry("IMedium_getId", 2L),
                Map.entry("IMedium_getLogicalSize", 2L), Map.entry("IMedium_getMachineIds", 3L), Map.entry("IMedium_getDescription", 2L),
                Map.entry("IVirtualBox_findMachine", 1L), Map.entry("IWebsessionManager_getSessionObject", 1L),
                Map.entry("IMachine_lockMachine", 1L), Map.entry("ISession_getMachine", 1L),
                Map.entry("IMachine_getStorageControllerByName", 1L), Map.entry("IStorageController_getPortCount", 1L),
                Map.entry("IMachine_getMediumAttachmentsOfController", 1L), Map.entry("IMachine_attachDevice", 1L),
                Map.entry("IMachine_saveSettings", 1L), Map.entry("ISession_unlockMachine", 1L), Map.entry("IManagedObjectRef_release", 8L)));
        assertThat(calls(() -> a.attach(v[0].id(), me, AttachOptions.DEFAULT))).as("already attached here: one read").isEqualTo(read);
        assertThat(calls(() -> {
            a.detach(v[0].id(), me, DetachOptions.DEFAULT);
            return null;
        })).isEqualTo(Map.ofEntries(Map.entry("IVirtualBox_openMedium", 1L), Map.entry("IMedium_getLocation", 1L),
                Map.entry("IMedium_getMachineIds", 1L), Map.entry("IVirtualBox_findMachine", 1L),
                Map.entry("IWebsessionManager_getSessionObject", 1L), Map.entry("IMachine_lockMachine", 1L),
                Map.entry("ISession_getMachine", 1L), Map.entry("IMachine_getMediumAttachments", 1L), Map.entry("IMedium_getId", 2L),
                Map.entry("IMachine_detachDevice", 1L), Map.entry("IMachine_saveSettings", 1L), Map.entry("ISession_unlockMachine", 1L),
                Map.entry("IManagedObjectRef_release", 5L)));
        assertThat(calls(() -> {
            a.detach(v[0].id(), me, DetachOptions.DEFAULT);
            return null;
        })).as("not attached: no lock").isEqualTo(Map.of("IVirtualBox_openMedium", 1L, "IMedium_getLocation", 1L,
                "IMedium_getMachineIds", 1L, "IManagedObjectRef_release", 1L));
        assertThat(calls(() -> {
            a.remove(v[0].id(), RemoveOptions.DEFAULT);
            return null;
        })).isEqualTo(Map.ofEntries(Map.entry("IVirtualBox_openMedium", 1L), Map.entry("IMedium_getLocation", 1L),
                Map.entry("IMedium_getId", 1L), Map.entry("IMedium_getLogicalSize", 1L), Map.entry("IMedium_getMachineIds", 1L),
                Map.entry("IMedium_getDescription", 1L), Map.entry("IMedium_deleteStorage", 1L), Map.entry("IProgress_waitForCompletion", 1L),
                Map.entry("IProgress_getCompleted", 1L), Map.entry("IProgress_getResultCode", 1L), Map.entry("IManagedObjectRef_release", 2L)));
    }

    private Map<String, Long> calls(java.util.function.Supplier<?> op) {
        Map<String, Long> before = vbox.emulator().requestCounts();
        op.get();
        return vbox.since(before);
    }

    private Map<String, Long> lookupCalls(Volume v) {
        Map<String, Long> before = vbox.emulator().requestCounts();
        assertThat(a.findByName(v.name())).isPresent();
        assertThat(a.inspect(v.id())).isPresent();
        return vbox.since(before);
    }

    @Test
    void sizesAreRoundedUpToWholeMibAndTheSpecIsKeptWithTheDisk() {
        long odd = ByteSizes.GIB + 12345;
        Volume v = a.create("odd", VolumeSpec.builder().sizeBytes(odd).fsType("xfs").mountOptions(List.of("noatime")).build());
        assertThat(v.allocatedSizeBytes()).isEqualTo(ByteSizes.GIB + ByteSizes.MIB);
        try (StorageDriver again = vbox.newDriver("a")) {
            Volume seen = again.findByName("odd").orElseThrow();
            assertThat(seen.spec().sizeBytes()).isEqualTo(odd);
            assertThat(seen.spec().fsType()).hasValue("xfs");
            assertThat(seen.spec().mountOptions()).containsExactly("noatime");
        }
    }

    @Test
    void aDiskMadeByRexRayIsFoundByNameAndAdoptedByACreateItSatisfies() {
        UUID legacy = rawDisk(vbox.volumes().resolve("legacy"), 2 * ByteSizes.GIB);
        Volume found = a.findByName("legacy").orElseThrow();
        assertThat(found.id().value()).isEqualTo(legacy.toString());
        assertThat(found.spec().fsType()).as("unknown, so the device's own filesystem decides").isEmpty();
        Volume adopted = a.create("legacy", gib());
        assertThat(adopted.id()).isEqualTo(found.id());
        assertThat(a.findByName("legacy").orElseThrow().spec().fsType()).hasValue("ext4");
    }

    @Test
    void aDetachLeavesOtherVmsAlone() {
        try (StorageDriver b = vbox.newDriver("b")) {
            HostId hostB = b.hostSide().localHost();
            Volume v = a.create("shared", gib());
            b.attach(v.id(), hostB, AttachOptions.DEFAULT);
            long before = vbox.mutations();
            a.detach(v.id(), a.hostSide().localHost(), DetachOptions.DEFAULT);
            assertThat(vbox.mutations()).isEqualTo(before);
            assertThat(a.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
            a.detach(v.id(), hostB, DetachOptions.DEFAULT);
            assertThat(a.inspect(v.id()).orElseThrow().attachments()).isEmpty();
        }
    }

    @Test
    void aSavedOwnerIsNotRunningButItsDisksCannotBeTakenWithoutLosingItsSavedState() {
        try (StorageDriver b = vbox.newDriver("b")) {
            HostId hostB = b.hostSide().localHost();
            Volume v = a.create("saved", gib());
            b.attach(v.id(), hostB, AttachOptions.DEFAULT);
            vbox.emulator().setState("b", MachineState.Saved);
            assertThat(a.ownerEvidence(hostB).liveness()).isEqualTo(io.libstorage.api.Liveness.DISCONNECTED);
            assertThatThrownBy(() -> a.attach(v.id(), a.hostSide().localHost(), AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE)))
                    .isInstanceOf(FencingUnavailableException.class).hasMessageContaining("saved state")
                    .hasMessageContaining("VBoxManage discardstate " + vbox.vmId("b"));
            assertThat(a.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(hostB);
            vbox.emulator().setState("b", MachineState.PoweredOff);
            a.attach(v.id(), a.hostSide().localHost(), AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE));
            assertThat(a.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId)
                    .containsExactly(a.hostSide().localHost());
        }
    }

    @Test
    void aWebServiceRestartInTheMiddleOfAnAttachCostsOneRelogon() {
        Volume v = a.create("restart", gib());
        Map<String, Long> before = vbox.emulator().requestCounts();
        vbox.emulator().addFault(FaultRule.restart("^IMachine_lockMachine$"));
        a.attach(v.id(), a.hostSide().localHost(), AttachOptions.DEFAULT);
        assertThat(vbox.since(before)).containsEntry("IWebsessionManager_logon", 1L);
        assertThat(a.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(a.hostSide().localHost());
        assertThat(vbox.emulator().activeWebsessions()).as("the driver's one websession after the restart").isEqualTo(1);
    }

    /** Every request of create, attach, detach and remove in turn meets a web-service restart just before it. */
    @Test
    void aRestartBeforeAnyRequestOfAnOperationIsSurvivedWithAtMostOneRelogon() {
        HostId me = a.hostSide().localHost();
        List<String> create = List.of("IVirtualBox_openMedium", "IVirtualBox_createMedium", "IMedium_createBaseStorage",
                "IProgress_waitForCompletion", "IProgress_getCompleted", "IProgress_getResultCode", "IMedium_setDescription",
                "IMedium_getLocation", "IMedium_getId", "IMedium_getLogicalSize", "IMedium_getMachineIds", "IMedium_getDescription",
                "IManagedObjectRef_release");
        for (String op : create) {
            String name = "c-" + op.replace('_', '-');
            Volume v = survives(op, () -> a.create(name, gib()));
            assertThat(a.findByName(name)).as(op).map(Volume::id).contains(v.id());
            assertThat(a.findByName(name).orElseThrow().spec().fsType()).as(op).hasValue("ext4");
        }
        List<String> attach = List.of("IVirtualBox_openMedium", "IMedium_getLocation", "IMedium_getId", "IMedium_getMachineIds",
                "IVirtualBox_findMachine", "IWebsessionManager_getSessionObject", "IMachine_lockMachine", "ISession_getMachine",
                "IMachine_getStorageControllerByName", "IStorageController_getPortCount", "IMachine_getMediumAttachmentsOfController",
                "IMachine_attachDevice", "IMachine_saveSettings", "ISession_unlockMachine", "IManagedObjectRef_release");
        for (String op : attach) {
            Volume v = a.create("a-" + op.replace('_', '-'), gib());
            survives(op, () -> a.attach(v.id(), me, AttachOptions.DEFAULT));
            assertThat(a.inspect(v.id()).orElseThrow().attachments()).as(op).extracting(Attachment::hostId).containsExactly(me);
            List<String> detach = List.of("IVirtualBox_openMedium", "IMedium_getMachineIds", "IMachine_lockMachine",
                    "IMachine_getMediumAttachments", "IMedium_getId", "IMachine_detachDevice", "IMachine_saveSettings", "ISession_unlockMachine");
            String d = detach.get(Math.floorMod(op.hashCode(), detach.size()));
            survives(d, () -> {
                a.detach(v.id(), me, DetachOptions.DEFAULT);
                return null;
            });
            assertThat(a.inspect(v.id()).orElseThrow().attachments()).as(d).isEmpty();
            String r = List.of("IVirtualBox_openMedium", "IMedium_deleteStorage", "IProgress_waitForCompletion", "IProgress_getResultCode")
                    .get(Math.floorMod(op.hashCode(), 4));
            survives(r, () -> {
                a.remove(v.id(), RemoveOptions.DEFAULT);
                return null;
            });
            assertThat(a.inspect(v.id())).as(r).isEmpty();
        }
        assertThat(vbox.emulator().activeWebsessions()).isEqualTo(1);
    }

    private <T> T survives(String op, java.util.function.Supplier<T> operation) {
        vbox.emulator().clearFaults();
        vbox.emulator().addFault(FaultRule.restart("^" + op + "$"));
        Map<String, Long> before = vbox.emulator().requestCounts();
        T result = operation.get();
        assertThat(vbox.since(before).getOrDefault("IWebsessionManager_logon", 0L)).as("logons with a restart before %s", op)
                .isLessThanOrEqualTo(1L);
        vbox.emulator().clearFaults();
        return result;
    }

    @Test
    void aRexRayConfigYmlWorksUnchanged() throws Exception {
        // the virtualbox section of REX-Ray's VirtualBox guide, with the key spellings REX-Ray registered (username)
        String yaml = """
                libstorage:
                  service: virtualbox
                virtualbox:
                  endpoint: %s
                  username: ""
                  password: ""
                  tls: false
                  volumePath: %s
                  controllerName: SATA
                  localMachineNameOrId: a
                  diskIDPath: %s
                  scsiHostPath: %s/
                """.formatted(vbox.emulator().endpoint(), vbox.volumes(), vbox.diskIdPath("a"), vbox.scsiHostPath("a"));
        try (LibStorage ls = LibStorage.builder().config(LibStorageConfig.parse(yaml)).stateRoot(tmp.resolve("state"))
                .mountRoot(tmp.resolve("mnt")).build()) {
            assertThat(ls.backend()).isEqualTo("virtualbox");
            assertThat(ls.localHost().value()).isEqualTo(vbox.vmId("a"));
            ls.create("from-rexray", ls.defaultSpec());
            assertThat(ls.list()).extracting(s -> s.volume().name()).contains("from-rexray");
        }
    }
}
