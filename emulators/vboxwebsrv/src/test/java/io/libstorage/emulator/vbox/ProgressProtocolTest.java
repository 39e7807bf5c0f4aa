package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress objects: slowness, bounded waits, result codes before and after completion, injected failures. */
class ProgressProtocolTest {
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

    private String startCreate(String name) throws Exception {
        String m = c.ok("IVirtualBox_createMedium", "_this", c.vbox, "format", "vmdk", "location", vbox.dataDir().resolve(name).toString(),
                "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk").value();
        return c.ok("IMedium_createBaseStorage", "_this", m, "logicalSize", "1048576").value();
    }

    @Test
    void aSlowProgressIsNotCompletedAndABoundedWaitReturnsWithoutAFault() throws Exception {
        vbox.slowProgress(Duration.ofMinutes(10));
        String p = startCreate("slow");
        c.ok("IProgress_waitForCompletion", "_this", p, "timeout", "20");
        assertThat(c.get("IProgress_getCompleted", p)).isEqualTo("false");
        assertThat(c.get("IProgress_getPercent", p)).isEqualTo("0");
        assertThat(c.call("IProgress_getResultCode", "_this", p).fault())
                .isEqualTo("VirtualBox error: rc=0x80004005 Result code is not available, operation is still in progress (0x80004005)");
        assertThat(c.call("IProgress_getErrorInfo", "_this", p).fault()).contains("Error info is not available");
        assertThat(Files.exists(vbox.dataDir().resolve("slow"))).isFalse();
    }

    @Test
    void aProgressCompletesWhileAWaitIsPending() throws Exception {
        vbox.slowProgress(Duration.ofMillis(200));
        String p = startCreate("later");
        c.ok("IProgress_waitForCompletion", "_this", p, "timeout", "-1");
        assertThat(c.get("IProgress_getCompleted", p)).isEqualTo("true");
        assertThat(c.get("IProgress_getResultCode", p)).isEqualTo("0");
    }

    @Test
    void anInjectedFailureCarriesItsCodeAndTextAndLeavesTheMediumUncreated() throws Exception {
        vbox.failNextProgresses(1, 0x80BB0005, "VD: error VERR_DISK_FULL writing image");
        String p = startCreate("full");
        c.ok("IProgress_waitForCompletion", "_this", p, "timeout", "-1");
        assertThat(c.get("IProgress_getResultCode", p)).isEqualTo(Integer.toString(0x80BB0005));
        String info = c.get("IProgress_getErrorInfo", p);
        assertThat(c.get("IVirtualBoxErrorInfo_getText", info)).isEqualTo("VD: error VERR_DISK_FULL writing image");
        assertThat(Files.exists(vbox.dataDir().resolve("full"))).isFalse();
        c.waitFor(startCreate("next")); // only the next one fails
    }
}
