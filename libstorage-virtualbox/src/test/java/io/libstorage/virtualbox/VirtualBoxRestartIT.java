package io.libstorage.virtualbox;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountedVolume;
import io.libstorage.core.LibStorage;
import io.libstorage.emulator.vbox.FaultRule;
import io.libstorage.spi.StorageDriver;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web-service restart in the middle of a mount (between the attach's session lock and its attachDevice) is
 * survived with one re-logon: the mount completes on a real loop device, and the driver keeps using its new websession.
 */
class VirtualBoxRestartIT {
    @Test
    void aRestartDuringAMountCostsOneRelogonAndTheMountCompletes() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "blkid");
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(true, "local")) {
            StorageDriver driver = vbox.newDriver("local");
            try (LibStorage ls = LibStorage.builder().storageDriver(driver).osDriver(EmulatedVirtualBox.linuxOs())
                    .stateRoot(vbox.dir().resolve("state")).mountRoot(vbox.dir().resolve("mnt")).deviceWaitTimeout(Duration.ofSeconds(30))
                    .set("integration.volume.operations.create.default.size", "256MiB").build()) {
                ls.create("restarted", ls.defaultSpec());
                Map<String, Long> before = vbox.emulator().requestCounts();
                vbox.emulator().addFault(FaultRule.restart("^IMachine_attachDevice$"));
                MountedVolume m = ls.mount("restarted");
                Files.writeString(m.path().resolve("proof"), "survived");
                Map<String, Long> calls = vbox.since(before);
                assertThat(calls).containsEntry("IWebsessionManager_logon", 1L);
                assertThat(vbox.emulator().faults()).as("the restart happened").isEmpty();
                assertThat(vbox.emulator().activeWebsessions()).isEqualTo(1);
                ls.unmount("restarted", ConsumerId.ANONYMOUS);
                assertThat(ls.inspect("restarted").orElseThrow().volume().attachments()).isEmpty();
                ls.remove("restarted", io.libstorage.api.RemoveOptions.DEFAULT);
            } finally {
                driver.close();
            }
        }
    }
}
