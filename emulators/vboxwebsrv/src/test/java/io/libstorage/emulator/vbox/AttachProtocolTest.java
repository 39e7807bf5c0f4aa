package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** attachDevice/detachDevice rules: port ranges, busy slots, hot-plug, media used elsewhere. */
class AttachProtocolTest {
    private VboxWebServiceEmulator vbox;
    private SoapClient c;
    private String medium;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder()
                .machine(MachineSpec.named("a").withController(ControllerSpec.ide("IDE")))
                .machine(MachineSpec.named("b"))
                .machine(MachineSpec.named("vagrant").withControllers(ControllerSpec.sata("SATA", 1)))
                .machine(MachineSpec.named("off").withState(MachineState.PoweredOff))
                .start();
        c = new SoapClient(vbox).logon();
        medium = c.createDisk(vbox.dataDir().resolve("vols/pg").toString(), 1L << 30);
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    private SoapClient.Answer attach(String mutable, String controller, int port, String med) throws Exception {
        return c.call("IMachine_attachDevice", "_this", mutable, "name", controller, "controllerPort", Integer.toString(port),
                "device", "0", "type", "HardDisk", "medium", med);
    }

    @Test
    void aPortAtOrAboveThePortCountIsOutOfRangeWithVirtualBoxsText() throws Exception {
        String[] s = c.lock(c.findMachine("vagrant"), "Shared");
        assertThat(attach(s[1], "SATA", 1, medium).fault()).isEqualTo("VirtualBox error: rc=0x80070057 The port and/or device parameter "
                + "are out of range: port=1 (must be in range [0, 0]), device=0 (must be in range [0, 0]) (0x80070057)");
    }

    @Test
    void aBusySlotAndASecondAttachmentOfTheSameMediumAreRefused() throws Exception {
        String[] s = c.lock(c.findMachine("a"), "Shared");
        assertThat(attach(s[1], "SATA", 0, medium).fault()).startsWith("VirtualBox error: rc=0x80bb000c Medium '")
                .endsWith("/Machines/a/a-disk001.vmdk' is already attached to port 0, device 0 of controller 'SATA' of this virtual machine (0x80bb000c)");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk", "medium", medium);
        assertThat(attach(s[1], "SATA", 2, medium).fault()).endsWith("/vols/pg' is already attached to this virtual machine (0x80bb000c)");
        assertThat(attach(s[1], "SCSI", 2, medium).fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find a storage controller named 'SCSI' (0x80bb0001)");
    }

    @Test
    void hotPlugIsForSataOnlyAndOnlyForDevicesThatWereHotPlugged() throws Exception {
        String[] s = c.lock(c.findMachine("a"), "Shared");
        assertThat(c.call("IMachine_attachDevice", "_this", s[1], "name", "IDE", "controllerPort", "0", "device", "1", "type", "HardDisk",
                "medium", medium).fault()).isEqualTo("VirtualBox error: rc=0x80bb0002 Controller 'IDE' does not support hotplugging (0x80bb0002)");
        assertThat(c.call("IMachine_detachDevice", "_this", s[1], "name", "SATA", "controllerPort", "0", "device", "0").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0009 The device slot 0 on port 0 of controller 'SATA' does not support hotplugging (0x80bb0009)");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "5", "device", "0", "type", "HardDisk", "medium", medium);
        assertThat(c.ok("IMachine_getMediumAttachmentsOfController", "_this", s[1], "name", "SATA").values())
                .anySatisfy(v -> assertThat(v).contains("<port>5</port>").contains("<hotPluggable>true</hotPluggable>"));
        c.ok("IMachine_detachDevice", "_this", s[1], "name", "SATA", "controllerPort", "5", "device", "0");
        assertThat(c.call("IMachine_detachDevice", "_this", s[1], "name", "SATA", "controllerPort", "5", "device", "0").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 No storage device attached to device slot 0 on port 5 of controller 'SATA' (0x80bb0001)");
    }

    @Test
    void aMediumInUseByAnotherRunningVmIsLockedButAPoweredOffVmMayShareIt() throws Exception {
        String[] a = c.lock(c.findMachine("a"), "Shared");
        c.ok("IMachine_attachDevice", "_this", a[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk", "medium", medium);
        c.ok("IMachine_saveSettings", "_this", a[1]);
        String[] b = c.lock(c.findMachine("b"), "Shared");
        assertThat(attach(b[1], "SATA", 1, medium).fault()).endsWith("/vols/pg' is locked for writing by another task (0x80bb0007)")
                .startsWith("VirtualBox error: rc=0x80bb0007 Medium '");

        String[] off = c.lock(c.findMachine("off"), "Shared");
        c.ok("IMachine_attachDevice", "_this", off[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk", "medium", medium);
        c.ok("IMachine_saveSettings", "_this", off[1]);
        assertThat(c.list("IMedium_getMachineIds", medium)).containsExactly(vbox.machineId("a").toString(), vbox.machineId("off").toString());
        c.ok("ISession_unlockMachine", "_this", off[0]);
        assertThatThrownBy(() -> vbox.setState("off", MachineState.Running))
                .hasMessageContaining("is locked for writing by machine 'a'");
    }

    @Test
    void aHardDiskNeedsAMediumAndACreatedOne() throws Exception {
        String[] s = c.lock(c.findMachine("off"), "Write");
        assertThat(c.call("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk",
                "medium", "").fault()).contains("rc=0x80070057");
        String notCreated = c.ok("IVirtualBox_createMedium", "_this", c.vbox, "format", "VMDK", "location", "/tmp/never-created",
                "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk").value();
        assertThat(attach(s[1], "SATA", 1, notCreated).fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0007 Storage for the medium '/tmp/never-created' is not created (0x80bb0007)");
    }
}
