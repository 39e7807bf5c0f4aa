package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Session locks: write and shared, conflicts, unlocking, and when changes become the machine's settings. */
class SessionLockProtocolTest {
    private VboxWebServiceEmulator vbox;
    private SoapClient c;
    private String medium;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder()
                .machine(MachineSpec.named("running"))
                .machine(MachineSpec.named("off").withState(MachineState.PoweredOff))
                .machine(MachineSpec.named("saved").withState(MachineState.Saved))
                .start();
        c = new SoapClient(vbox).logon();
        medium = c.createDisk(vbox.dataDir().resolve("vols/data1").toString(), 1L << 30);
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    @Test
    void aRunningVmTakesSharedLocksAndRefusesAWriteLock() throws Exception {
        String m = c.findMachine("running");
        String[] shared = c.lock(m, "Shared");
        assertThat(c.get("ISession_getState", shared[0])).isEqualTo("Locked");
        assertThat(c.get("IMachine_getName", shared[1])).isEqualTo("running");
        assertThat(shared[1]).as("the mutable machine is another object").isNotEqualTo(m);

        String session = c.ok("IWebsessionManager_getSessionObject", "refIVirtualBox", c.vbox).value();
        assertThat(c.call("IMachine_lockMachine", "_this", m, "session", session, "lockType", "Write").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0007 The machine 'running' is already locked for a session (or being unlocked) (0x80bb0007)");
    }

    @Test
    void aLockedSessionIsBusyAndAnUnlockedOneCannotBeUnlocked() throws Exception {
        String[] s = c.lock(c.findMachine("running"), "Shared");
        assertThat(c.call("IMachine_lockMachine", "_this", c.findMachine("off"), "session", s[0], "lockType", "Shared").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0007 The given session is busy (0x80bb0007)");
        c.ok("ISession_unlockMachine", "_this", s[0]);
        assertThat(c.get("ISession_getState", s[0])).isEqualTo("Unlocked");
        assertThat(c.call("ISession_unlockMachine", "_this", s[0]).fault())
                .isEqualTo("VirtualBox error: rc=0x8000ffff The session is not locked (session state: Unlocked) (0x8000ffff)");
        assertThat(c.call("ISession_getMachine", "_this", s[0]).fault()).contains("The session is not locked");
        assertThat(c.call("IMachine_lockMachine", "_this", c.findMachine("off"), "session", "", "lockType", "Shared").fault())
                .contains("rc=0x80070057");
    }

    @Test
    void aSharedLockOnAnUnlockedMachineIsTheWriteLock() throws Exception {
        String m = c.findMachine("off");
        String[] first = c.lock(m, "Shared");
        assertThat(c.get("IMachine_getSessionState", m)).isEqualTo("Locked");
        String session = c.ok("IWebsessionManager_getSessionObject", "refIVirtualBox", c.vbox).value();
        assertThat(c.call("IMachine_lockMachine", "_this", m, "session", session, "lockType", "Write").fault())
                .contains("is already locked for a session");
        c.ok("IMachine_lockMachine", "_this", m, "session", session, "lockType", "Shared");
        assertThat(c.get("ISession_getMachine", session)).isEqualTo(first[1]);

        c.ok("ISession_unlockMachine", "_this", first[0]);
        assertThat(c.get("ISession_getState", session)).as("shared sessions end with the write lock").isEqualTo("Unlocked");
        assertThat(c.get("IMachine_getSessionState", m)).isEqualTo("Unlocked");
        assertThat(c.call("IMachine_getMediumAttachments", "_this", first[1]).fault())
                .isEqualTo("VirtualBox error: rc=0x80070005 The object is not ready (0x80070005)");
    }

    @Test
    void changesAreTheMachinesSettingsOnlyAfterSaveAndAreLostOnUnlockWithout() throws Exception {
        String m = c.findMachine("off");
        String[] s = c.lock(m, "Write");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk", "medium", medium);
        assertThat(c.list("IMachine_getMediumAttachments", s[1])).hasSize(2);
        assertThat(c.list("IMachine_getMediumAttachments", m)).as("saved settings unchanged").hasSize(1);
        c.ok("ISession_unlockMachine", "_this", s[0]);
        assertThat(c.list("IMachine_getMediumAttachments", m)).hasSize(1);
        assertThat(c.list("IMedium_getMachineIds", medium)).isEmpty();

        s = c.lock(m, "Write");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk", "medium", medium);
        c.ok("IMachine_saveSettings", "_this", s[1]);
        c.ok("ISession_unlockMachine", "_this", s[0]);
        assertThat(c.list("IMachine_getMediumAttachments", m)).hasSize(2);
        assertThat(c.list("IMedium_getMachineIds", medium)).containsExactly(vbox.machineId("off").toString());
    }

    @Test
    void discardSettingsUndoesUnsavedChanges() throws Exception {
        String[] s = c.lock(c.findMachine("off"), "Write");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "2", "device", "0", "type", "HardDisk", "medium", medium);
        c.ok("IMachine_discardSettings", "_this", s[1]);
        assertThat(c.list("IMachine_getMediumAttachments", s[1])).hasSize(1);
    }

    @Test
    void theRegisteredMachineObjectIsNeverMutable() throws Exception {
        String m = c.findMachine("off");
        assertThat(c.call("IMachine_attachDevice", "_this", m, "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk",
                "medium", medium).fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0002 The machine is not mutable or running (state is PoweredOff) (0x80bb0002)");
        assertThat(c.call("IMachine_saveSettings", "_this", m).fault()).contains("rc=0x80bb0002 The machine is not mutable, saved or running");
    }

    @Test
    void aSavedVmCanBeLockedButNotChanged() throws Exception {
        String[] s = c.lock(c.findMachine("saved"), "Write");
        assertThat(c.call("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0", "type", "HardDisk",
                "medium", medium).fault()).contains("The machine is not mutable or running (state is Saved)");
    }

    @Test
    void poweringARunningVmOffEndsItsSharedSessionsAndLosesUnsavedChanges() throws Exception {
        String[] s = c.lock(c.findMachine("running"), "Shared");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", "3", "device", "0", "type", "HardDisk", "medium", medium);
        vbox.setState("running", MachineState.PoweredOff);
        assertThat(c.get("ISession_getState", s[0])).isEqualTo("Unlocked");
        assertThat(c.list("IMedium_getMachineIds", medium)).isEmpty();
        assertThat(vbox.machine("running").sessionState()).isEqualTo("Unlocked");
    }
}
