package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding machines, their network adapters and controllers, and attachments returned by value. */
class MachineProtocolTest {
    private static final UUID ID_A = UUID.fromString("9f49850d-f617-4b43-a46d-272c380e7cc6");
    private VboxWebServiceEmulator vbox;
    private SoapClient c;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder()
                .machine(MachineSpec.named("host-a").withId(ID_A).withMacs("08:00:27:1a:45:65", "0800270000A2").withEmptyDvd(true))
                .machine(MachineSpec.named("vagrant").withChipset("ICH9").withState(MachineState.PoweredOff)
                        .withControllers(ControllerSpec.sata("SATAController", 1)))
                .start();
        c = new SoapClient(vbox).logon();
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    @Test
    void machinesAreFoundByNameByUuidAndByUuidInBraces() throws Exception {
        String byName = c.findMachine("host-a");
        assertThat(c.findMachine(ID_A.toString())).isEqualTo(byName);
        assertThat(c.findMachine("{" + ID_A + "}")).isEqualTo(byName);
        assertThat(c.get("IMachine_getId", byName)).isEqualTo(ID_A.toString());
        assertThat(c.get("IMachine_getName", byName)).isEqualTo("host-a");
        assertThat(c.get("IMachine_getState", byName)).isEqualTo("Running");
        assertThat(c.get("IMachine_getSessionState", byName)).as("the VM process holds the lock").isEqualTo("Locked");
        assertThat(c.get("IMachine_getState", c.findMachine("vagrant"))).isEqualTo("PoweredOff");
        assertThat(c.list("IVirtualBox_getMachines", c.vbox)).containsExactly(byName, c.findMachine("vagrant"));
    }

    @Test
    void unknownMachinesAreObjectNotFoundWithVirtualBoxsTexts() throws Exception {
        assertThat(c.call("IVirtualBox_findMachine", "_this", c.vbox, "nameOrId", "nope").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find a registered machine named 'nope' (0x80bb0001)");
        UUID unknown = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
        assertThat(c.call("IVirtualBox_findMachine", "_this", c.vbox, "nameOrId", unknown.toString()).fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find a registered machine with UUID {" + unknown + "} (0x80bb0001)");
    }

    @Test
    void networkAdaptersCarryUpperCaseMacsAndTheirCountFollowsTheChipset() throws Exception {
        String m = c.findMachine("host-a");
        String chipset = c.get("IMachine_getChipsetType", m);
        assertThat(chipset).isEqualTo("PIIX3");
        String sysprops = c.get("IVirtualBox_getSystemProperties", c.vbox);
        assertThat(c.ok("ISystemProperties_getMaxNetworkAdapters", "_this", sysprops, "chipset", "PIIX3").value()).isEqualTo("8");
        assertThat(c.ok("ISystemProperties_getMaxNetworkAdapters", "_this", sysprops, "chipset", "ICH9").value()).isEqualTo("36");
        String a0 = c.ok("IMachine_getNetworkAdapter", "_this", m, "slot", "0").value();
        String a1 = c.ok("IMachine_getNetworkAdapter", "_this", m, "slot", "1").value();
        String a7 = c.ok("IMachine_getNetworkAdapter", "_this", m, "slot", "7").value();
        assertThat(c.get("INetworkAdapter_getMACAddress", a0)).isEqualTo("0800271A4565");
        assertThat(c.get("INetworkAdapter_getMACAddress", a1)).isEqualTo("0800270000A2");
        assertThat(c.get("INetworkAdapter_getMACAddress", a7)).matches("080027[0-9A-F]{6}");
        assertThat(c.call("IMachine_getNetworkAdapter", "_this", m, "slot", "8").fault())
                .isEqualTo("VirtualBox error: rc=0x80070057 Invalid slot number: 8 (must be in range [0, 7]) (0x80070057)");
        assertThat(c.ok("IMachine_getNetworkAdapter", "_this", c.findMachine("vagrant"), "slot", "35").status()).isEqualTo(200);
    }

    @Test
    void controllersReportNameBusAndPortCounts() throws Exception {
        String m = c.findMachine("vagrant");
        List<String> ctls = c.list("IMachine_getStorageControllers", m);
        assertThat(ctls).hasSize(1);
        String ctl = ctls.get(0);
        assertThat(c.get("IStorageController_getName", ctl)).isEqualTo("SATAController");
        assertThat(c.get("IStorageController_getBus", ctl)).isEqualTo("SATA");
        assertThat(c.get("IStorageController_getControllerType", ctl)).isEqualTo("IntelAhci");
        assertThat(c.get("IStorageController_getPortCount", ctl)).isEqualTo("1");
        assertThat(c.get("IStorageController_getMaxPortCount", ctl)).isEqualTo("30");
        assertThat(c.get("IStorageController_getMaxDevicesPerPortCount", ctl)).isEqualTo("1");
        assertThat(c.ok("IMachine_getStorageControllerByName", "_this", m, "name", "SATAController").value()).isEqualTo(ctl);
        assertThat(c.call("IMachine_getStorageControllerByName", "_this", m, "name", "SATA").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find a storage controller named 'SATA' (0x80bb0001)");
    }

    @Test
    void attachmentsComeBackByValueInTheWsdlsOrderWithAnEmptyMediumForAnEmptyDrive() throws Exception {
        String m = c.findMachine("host-a");
        SoapClient.Answer a = c.ok("IMachine_getMediumAttachments", "_this", m);
        List<String> structs = a.values();
        assertThat(structs).hasSize(2);
        assertThat(structs.get(0)).matches("<machine>" + m + "</machine><medium>[0-9a-f]{16}-[0-9a-f]{16}</medium><controller>SATA</controller>"
                + "<port>0</port><device>0</device><type>HardDisk</type><passthrough>false</passthrough>"
                + "<temporaryEject>false</temporaryEject><isEjected>false</isEjected><nonRotational>false</nonRotational>"
                + "<discard>false</discard><hotPluggable>false</hotPluggable><bandwidthGroup></bandwidthGroup>");
        assertThat(structs.get(1)).contains("<medium></medium><controller>IDE</controller><port>1</port><device>0</device><type>DVD</type>");
        String boot = structs.get(0).replaceAll(".*<medium>([^<]+)</medium>.*", "$1");
        assertThat(c.get("IMedium_getLocation", boot)).endsWith("/Machines/host-a/host-a-disk001.vmdk");
        assertThat(c.list("IMedium_getMachineIds", boot)).containsExactly(ID_A.toString());

        assertThat(c.ok("IMachine_getMediumAttachmentsOfController", "_this", m, "name", "IDE").values()).hasSize(1);
        assertThat(c.ok("IMachine_getMediumAttachment", "_this", m, "name", "SATA", "controllerPort", "0", "device", "0").value())
                .isEqualTo(structs.get(0));
        assertThat(c.call("IMachine_getMediumAttachment", "_this", m, "name", "SATA", "controllerPort", "9", "device", "0").fault())
                .contains("rc=0x80bb0001 No storage device attached to device slot 0 on port 9 of controller 'SATA'");
        assertThat(c.ok("IMedium_getSnapshotIds", "_this", boot, "machineId", ID_A.toString()).values()).containsExactly(ID_A.toString());
        String format = c.get("IMedium_getMediumFormat", boot);
        assertThat(c.get("IMediumFormat_getId", format)).isEqualTo("VMDK");
        assertThat(c.ok("IManagedObjectRef_getInterfaceName", "_this", format).value()).isEqualTo("IMediumFormat");
        assertThat(c.call("IMachine_getMediumAttachmentsOfController", "_this", m, "name", "SATA Controller").fault())
                .contains("Could not find a storage controller named 'SATA Controller'");
    }
}
