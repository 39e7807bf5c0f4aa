package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Media: create (with its progress), sizes, duplicate locations, deletion rules, open, close, the registry. */
class MediumProtocolTest {
    @TempDir
    Path tmp;
    private VboxWebServiceEmulator vbox;
    private SoapClient c;
    private Path vols;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder().machine(MachineSpec.named("host-a")).start();
        c = new SoapClient(vbox).logon();
        vols = Files.createDirectories(tmp.resolve("vols"));
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    private String create(String location) throws Exception {
        return c.ok("IVirtualBox_createMedium", "_this", c.vbox, "format", "vmdk", "location", location,
                "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk").value();
    }

    /** Starts createBaseStorage and waits; returns the progress. */
    private String createStorage(String medium, long bytes, String... variants) throws Exception {
        String[] nv = new String[4 + 2 * variants.length];
        nv[0] = "_this";
        nv[1] = medium;
        nv[2] = "logicalSize";
        nv[3] = Long.toString(bytes);
        for (int i = 0; i < variants.length; i++) {
            nv[4 + 2 * i] = "variant";
            nv[5 + 2 * i] = variants[i];
        }
        String p = c.ok("IMedium_createBaseStorage", nv).value();
        c.ok("IProgress_waitForCompletion", "_this", p, "timeout", "-1");
        return p;
    }

    @Test
    void aCreatedMediumIsASparseFileAtTheGivenLocationWithoutAnAddedExtension() throws Exception {
        String m = create(vols.resolve("pg").toString());
        assertThat(c.get("IMedium_getState", m)).isEqualTo("NotCreated");
        assertThat(c.list("IVirtualBox_getHardDisks", c.vbox)).as("not registered before its storage exists").doesNotContain(m);
        String p = createStorage(m, 1L << 30, "Standard");
        assertThat(c.get("IProgress_getCompleted", p)).isEqualTo("true");
        assertThat(c.get("IProgress_getResultCode", p)).isEqualTo("0");
        assertThat(c.get("IProgress_getPercent", p)).isEqualTo("100");
        assertThat(c.ok("IProgress_getErrorInfo", "_this", p).body()).contains("<returnval></returnval>");
        assertThat(c.get("IMedium_getState", m)).isEqualTo("Created");
        assertThat(c.get("IMedium_getLocation", m)).isEqualTo(vols.resolve("pg").toString());
        assertThat(c.get("IMedium_getName", m)).isEqualTo("pg");
        assertThat(c.get("IMedium_getFormat", m)).isEqualTo("VMDK");
        assertThat(c.get("IMedium_getLogicalSize", m)).isEqualTo(Long.toString(1L << 30));
        assertThat(c.get("IMedium_getId", m)).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(Files.size(vols.resolve("pg"))).isEqualTo(1L << 30);
        assertThat(c.list("IVirtualBox_getHardDisks", c.vbox)).contains(m).hasSize(2);
    }

    @Test
    void theSizeIsKeptInWholeSectorsAndANegativeSizeIsRefused() throws Exception {
        String m = create(vols.resolve("odd").toString());
        createStorage(m, 1000);
        assertThat(c.get("IMedium_getLogicalSize", m)).isEqualTo("512");

        String tiny = create(vols.resolve("tiny").toString());
        String p = createStorage(tiny, 100);
        assertThat(c.get("IProgress_getResultCode", p)).isEqualTo(Integer.toString(0x80BB0004));
        assertThat(c.get("IVirtualBoxErrorInfo_getText", c.get("IProgress_getErrorInfo", p))).contains("VERR_VD_INVALID_SIZE");

        assertThat(c.call("IMedium_createBaseStorage", "_this", create(vols.resolve("neg").toString()), "logicalSize", "-1").fault())
                .isEqualTo("VirtualBox error: rc=0x80070057 The medium size argument (-1) is negative (0x80070057)");
    }

    @Test
    void aSecondMediumAtTheSameLocationFailsInItsProgressWithTheErrorInfo() throws Exception {
        c.createDisk(vols.resolve("dup").toString(), 1 << 20);
        String again = create(vols.resolve("dup").toString());
        String p = createStorage(again, 1 << 20);
        assertThat(c.get("IProgress_getCompleted", p)).isEqualTo("true");
        assertThat(c.get("IProgress_getResultCode", p)).isEqualTo("-2135228412");
        assertThat(c.get("IProgress_getPercent", p)).isNotEqualTo("100");
        String info = c.get("IProgress_getErrorInfo", p);
        assertThat(c.get("IVirtualBoxErrorInfo_getResultCode", info)).isEqualTo("-2135228412");
        assertThat(c.get("IVirtualBoxErrorInfo_getText", info))
                .isEqualTo("Could not create the medium storage unit '" + vols.resolve("dup") + "' (VERR_ALREADY_EXISTS)");
        assertThat(c.get("IVirtualBoxErrorInfo_getComponent", info)).isEqualTo("Medium");
        assertThat(c.ok("IVirtualBoxErrorInfo_getNext", "_this", info).body()).contains("<returnval></returnval>");
        assertThat(c.get("IMedium_getState", again)).isEqualTo("NotCreated");
        assertThat(c.call("IMedium_createBaseStorage", "_this", c.createDisk(vols.resolve("x").toString(), 1 << 20), "logicalSize", "1024").fault())
                .contains("rc=0x80bb0007 Storage for the medium '" + vols.resolve("x") + "' is already created");
    }

    @Test
    void aMissingDirectoryIsCreatedUnlessNoCreateDirIsAsked() throws Exception {
        String m = create(tmp.resolve("new/dir/v1").toString());
        createStorage(m, 1 << 20);
        assertThat(Files.exists(tmp.resolve("new/dir/v1"))).isTrue();

        String n = create(tmp.resolve("absent/v2").toString());
        String p = createStorage(n, 1 << 20, "Standard", "NoCreateDir");
        assertThat(c.get("IVirtualBoxErrorInfo_getText", c.get("IProgress_getErrorInfo", p)))
                .isEqualTo("Directory '" + tmp.resolve("absent") + "' does not exist");
        assertThat(Files.exists(tmp.resolve("absent"))).isFalse();
    }

    @Test
    void deletingAnAttachedMediumIsRefusedAndADetachedOneGoesWithItsFile() throws Exception {
        String m = c.createDisk(vols.resolve("busy").toString(), 1 << 20);
        String[] s = c.lock(c.findMachine("host-a"), "Shared");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk", "medium", m);
        c.ok("IMachine_saveSettings", "_this", s[1]);
        assertThat(c.call("IMedium_deleteStorage", "_this", m).fault()).isEqualTo("VirtualBox error: rc=0x80bb000c Cannot delete storage: medium '"
                + vols.resolve("busy") + "' is still attached to the following 1 virtual machine(s): " + vbox.machineId("host-a") + " (0x80bb000c)");
        c.ok("IMachine_detachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0");
        c.ok("IMachine_saveSettings", "_this", s[1]);
        String p = c.ok("IMedium_deleteStorage", "_this", m).value();
        c.waitFor(p);
        assertThat(Files.exists(vols.resolve("busy"))).isFalse();
        assertThat(c.list("IVirtualBox_getHardDisks", c.vbox)).doesNotContain(m);
        assertThat(c.get("IMedium_getState", m)).isEqualTo("NotCreated");
        assertThat(c.call("IMedium_deleteStorage", "_this", m).fault()).contains("is not created");
    }

    @Test
    void openMediumRegistersAnExistingImageOnceAndCloseUnregistersWithoutDeleting() throws Exception {
        String m = c.createDisk(vols.resolve("keep").toString(), 1 << 20);
        String id = c.get("IMedium_getId", m);
        c.ok("IMedium_close", "_this", m);
        assertThat(c.list("IVirtualBox_getHardDisks", c.vbox)).hasSize(1);
        assertThat(Files.exists(vols.resolve("keep"))).isTrue();

        String opened = c.ok("IVirtualBox_openMedium", "_this", c.vbox, "location", vols.resolve("keep").toString(),
                "deviceType", "HardDisk", "accessMode", "ReadWrite", "forceNewUuid", "false").value();
        assertThat(c.get("IMedium_getId", opened)).as("the UUID stored in the image").isEqualTo(id);
        assertThat(c.ok("IVirtualBox_openMedium", "_this", c.vbox, "location", vols.resolve("keep").toString(),
                "deviceType", "HardDisk", "accessMode", "ReadWrite", "forceNewUuid", "false").value()).isEqualTo(opened);
        assertThat(c.call("IVirtualBox_openMedium", "_this", c.vbox, "location", vols.resolve("none").toString(),
                "deviceType", "HardDisk", "accessMode", "ReadWrite", "forceNewUuid", "false").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0004 Could not find file for the medium '" + vols.resolve("none")
                        + "' (VERR_FILE_NOT_FOUND) (0x80bb0004)");
    }

    @Test
    void openMediumTakesTheUuidOfARegisteredMediumInsteadOfALocation() throws Exception {
        String m = c.createDisk(vols.resolve("by-id").toString(), 1 << 20);
        String id = c.get("IMedium_getId", m);
        for (String name : new String[] {id, "{" + id + "}", id.toUpperCase()}) {
            assertThat(c.ok("IVirtualBox_openMedium", "_this", c.vbox, "location", name, "deviceType", "HardDisk",
                    "accessMode", "ReadWrite", "forceNewUuid", "false").value()).as(name).isEqualTo(m);
        }
        String unknown = "0c0ffee0-0000-4000-8000-000000000000";
        assertThat(c.call("IVirtualBox_openMedium", "_this", c.vbox, "location", unknown, "deviceType", "HardDisk",
                "accessMode", "ReadWrite", "forceNewUuid", "false").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find an open hard disk with UUID {" + unknown + "} (0x80bb0001)");
        assertThat(c.list("IVirtualBox_getHardDisks", c.vbox)).as("nothing registered by the failed lookup").hasSize(2);
    }

    @Test
    void aDescriptionIsKeptWithACreatedMediumOnly() throws Exception {
        String m = c.createDisk(vols.resolve("described").toString(), 1 << 20);
        c.ok("IMedium_setDescription", "_this", m, "description", "libstorage:v1?size=1048576");
        assertThat(c.get("IMedium_getDescription", m)).isEqualTo("libstorage:v1?size=1048576");
        String fresh = create(vols.resolve("not-yet").toString());
        assertThat(c.call("IMedium_setDescription", "_this", fresh, "description", "x").faultResultCode()).isEqualTo(0x80BB0007);
    }

    @Test
    void anUnknownFormatIsRefused() throws Exception {
        assertThat(c.call("IVirtualBox_createMedium", "_this", c.vbox, "format", "qcow9", "location", vols.resolve("q").toString(),
                "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 Invalid medium storage format 'qcow9' (0x80bb0001)");
    }

    @Test
    void theRegistryListsEveryBaseDiskIncludingBootDisks() throws Exception {
        List<String> disks = c.list("IVirtualBox_getHardDisks", c.vbox);
        assertThat(disks).hasSize(1);
        assertThat(c.get("IMedium_getLocation", disks.get(0))).endsWith("host-a-disk001.vmdk");
        assertThat(vbox.media()).hasSize(1);
    }
}
