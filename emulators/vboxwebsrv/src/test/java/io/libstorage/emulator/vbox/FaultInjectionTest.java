package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Injected faults and the request log. */
class FaultInjectionTest {
    private VboxWebServiceEmulator vbox;
    private SoapClient c;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder().machine(MachineSpec.named("host-a")).start();
        c = new SoapClient(vbox).logon();
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    @Test
    void theNextNCallsFailWithAVirtualBoxErrorAndChangeNothing() throws Exception {
        vbox.failNext(2, "^IMachine_lockMachine$", 0x80BB000B, "Session busy");
        String m = c.findMachine("host-a");
        String session = c.ok("IWebsessionManager_getSessionObject", "refIVirtualBox", c.vbox).value();
        for (int i = 0; i < 2; i++) {
            SoapClient.Answer a = c.call("IMachine_lockMachine", "_this", m, "session", session, "lockType", "Shared");
            assertThat(a.fault()).isEqualTo("VirtualBox error: rc=0x80bb000b Session busy (0x80bb000b)");
            assertThat(a.faultResultCode()).isEqualTo(0x80BB000B);
        }
        assertThat(c.get("ISession_getState", session)).isEqualTo("Unlocked");
        c.ok("IMachine_lockMachine", "_this", m, "session", session, "lockType", "Shared");
        assertThat(vbox.faults()).isEmpty();
    }

    @Test
    void anInjectedInvalidObjectNamesTheCallsThis() throws Exception {
        vbox.addFault(FaultRule.invalidObject("IVirtualBox_findMachine"));
        assertThat(c.call("IVirtualBox_findMachine", "_this", c.vbox, "nameOrId", "host-a").body())
                .contains("<badObjectID>" + c.vbox + "</badObjectID>");
        assertThat(c.findMachine("host-a")).isNotEmpty();
    }

    @Test
    void aRestartBeforeACallInvalidatesEveryReferenceThatCallCarries() throws Exception {
        String m = c.findMachine("host-a");
        vbox.addFault(FaultRule.restart("^IMachine_getName$"));
        assertThat(c.call("IMachine_getName", "_this", m).body()).contains("<badObjectID>" + m + "</badObjectID>");
        assertThat(vbox.activeWebsessions()).isZero();
        assertThat(vbox.faults()).isEmpty();
        c.logon();
        assertThat(c.get("IMachine_getName", c.findMachine("host-a"))).isEqualTo("host-a");
    }

    @Test
    void droppedConnectionsHttpErrorsAndLatency() throws Exception {
        vbox.addFault(FaultRule.dropConnection("IVirtualBox_getVersion"));
        assertThatThrownBy(() -> c.call("IVirtualBox_getVersion", "_this", c.vbox)).isInstanceOf(IOException.class);
        vbox.addFault(FaultRule.httpError("IVirtualBox_getVersion", 502, "Bad Gateway"));
        SoapClient.Answer a = c.call("IVirtualBox_getVersion", "_this", c.vbox);
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.body()).isEqualTo("Bad Gateway");
        String id = vbox.addFault(FaultRule.latency("IVirtualBox_getVersion", Duration.ofMillis(10)));
        assertThat(c.get("IVirtualBox_getVersion", c.vbox)).isEqualTo("7.0.20");
        assertThat(vbox.removeFault(id)).isTrue();
        assertThat(vbox.requests()).filteredOn(r -> r.operation().equals("IVirtualBox_getVersion"))
                .extracting(RequestRecord::httpStatus).containsExactly(0, 502, 200);
    }

    @Test
    void theRequestLogCountsCallsPerOperationAndRecordsFaults() throws Exception {
        vbox.resetRequestLog();
        c.findMachine("host-a");
        c.findMachine("host-a");
        c.call("IVirtualBox_findMachine", "_this", c.vbox, "nameOrId", "x");
        c.call("INoSuch_operation");
        assertThat(vbox.requestCount("IVirtualBox_findMachine")).isEqualTo(3);
        assertThat(vbox.requestCount("INoSuch_operation")).isEqualTo(1);
        assertThat(vbox.requestCount()).isEqualTo(4);
        RequestRecord miss = vbox.requests().get(2);
        assertThat(miss.httpStatus()).isEqualTo(500);
        assertThat(miss.fault()).isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find a registered machine named 'x' (0x80bb0001)");
        assertThat(miss.body()).contains("<nameOrId>x</nameOrId>");
        assertThat(vbox.requests().get(0).seq()).isLessThan(miss.seq());
    }

    @Test
    void everyOperationTheReferenceListsIsImplemented() {
        assertThat(vbox.operations()).contains("IWebsessionManager_logon", "IWebsessionManager_logoff",
                "IWebsessionManager_getSessionObject", "IManagedObjectRef_release", "IVirtualBox_findMachine",
                "IVirtualBox_getMachines", "IVirtualBox_getHardDisks", "IVirtualBox_getSystemProperties", "IVirtualBox_createMedium",
                "IVirtualBox_openMedium", "IMedium_createBaseStorage", "IMedium_deleteStorage", "IMedium_getId", "IMedium_getName",
                "IMedium_getLocation", "IMedium_getDescription", "IMedium_getLogicalSize", "IMedium_getSize", "IMedium_getDeviceType",
                "IMedium_getFormat", "IMedium_getHostDrive", "IMedium_getMachineIds", "IMedium_getChildren", "IMedium_getParent", "IMedium_getSnapshotIds", "IMedium_getMediumFormat",
                "IMedium_getState", "IProgress_waitForCompletion", "IProgress_getPercent", "IProgress_getCompleted",
                "IProgress_getResultCode", "IProgress_getErrorInfo", "IMachine_getId", "IMachine_getName", "IMachine_getState",
                "IMachine_lockMachine", "ISession_getMachine", "ISession_unlockMachine", "IMachine_getStorageControllers",
                "IStorageController_getName", "IStorageController_getMaxPortCount", "IStorageController_getPortCount",
                "IMachine_getMediumAttachmentsOfController", "IMachine_getMediumAttachments", "IMachine_attachDevice",
                "IMachine_detachDevice", "IMachine_saveSettings", "IMachine_discardSettings", "IMachine_getChipsetType",
                "ISystemProperties_getMaxNetworkAdapters", "IMachine_getNetworkAdapter", "INetworkAdapter_getMACAddress",
                "IVirtualBoxErrorInfo_getText", "IVirtualBoxErrorInfo_getResultCode", "IVirtualBoxErrorInfo_getNext");
    }
}
