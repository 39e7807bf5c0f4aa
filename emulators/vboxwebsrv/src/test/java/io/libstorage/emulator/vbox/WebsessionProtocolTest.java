package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Websessions and managed object references: lifetime, reuse, release, logoff, expiry, restart, authentication. */
class WebsessionProtocolTest {
    private VboxWebServiceEmulator vbox;

    @AfterEach
    void stop() {
        if (vbox != null) {
            vbox.close();
        }
    }

    private SoapClient start(VboxWebServiceEmulator.Builder b) throws Exception {
        vbox = b.machine(MachineSpec.named("host-a")).start();
        return new SoapClient(vbox);
    }

    @Test
    void referencesCountUpWithinAWebsessionAndAnObjectKeepsItsReference() throws Exception {
        SoapClient c = start(VboxWebServiceEmulator.builder()).logon();
        String m1 = c.findMachine("host-a");
        String m2 = c.findMachine("host-a");
        assertThat(m1).isEqualTo(m2).startsWith(c.vbox.substring(0, 17)).endsWith("-0000000000000002");
        assertThat(c.ok("IManagedObjectRef_getInterfaceName", "_this", m1).value()).isEqualTo("IMachine");

        SoapClient other = new SoapClient(vbox).logon();
        assertThat(other.vbox.substring(0, 16)).isNotEqualTo(c.vbox.substring(0, 16));
        assertThat(other.findMachine("host-a")).isNotEqualTo(m1);
    }

    @Test
    void releaseInvalidatesTheReferenceForEveryHolderAndTheNextLookupGetsANewOne() throws Exception {
        SoapClient c = start(VboxWebServiceEmulator.builder()).logon();
        String m = c.findMachine("host-a");
        c.ok("IManagedObjectRef_release", "_this", m);
        assertThat(c.call("IMachine_getName", "_this", m).fault()).isEqualTo("VirtualBox error: Invalid managed object reference &quot;" + m + "&quot;");
        assertThat(c.call("IManagedObjectRef_release", "_this", m).fault()).contains("Invalid managed object reference");
        assertThat(c.findMachine("host-a")).isNotEqualTo(m);
        assertThat(c.ok("IManagedObjectRef_getInterfaceName", "_this", m).value()).as("vboxweb.cpp answers an empty name").isEmpty();
    }

    @Test
    void logoffEndsEveryReferenceOfTheWebsessionAndAnUnknownOneIsAccepted() throws Exception {
        SoapClient c = start(VboxWebServiceEmulator.builder()).logon();
        String m = c.findMachine("host-a");
        c.ok("IWebsessionManager_logoff", "refIVirtualBox", c.vbox);
        assertThat(c.call("IMachine_getName", "_this", m).fault()).contains("Invalid managed object reference");
        assertThat(c.call("IVirtualBox_getVersion", "_this", c.vbox).fault()).contains("Invalid managed object reference");
        assertThat(c.call("IWebsessionManager_logoff", "refIVirtualBox", c.vbox).status()).isEqualTo(200);
        assertThat(vbox.activeWebsessions()).isZero();
    }

    @Test
    void aRestartInvalidatesEverythingAndGetSessionObjectThenAnswersAnEmptyReference() throws Exception {
        SoapClient c = start(VboxWebServiceEmulator.builder()).logon();
        String m = c.findMachine("host-a");
        String[] locked = c.lock(m, "Shared");
        vbox.restart();
        assertThat(c.call("IMachine_getName", "_this", m).fault()).contains("Invalid managed object reference");
        assertThat(c.call("ISession_getMachine", "_this", locked[0]).fault()).contains("Invalid managed object reference");
        assertThat(c.ok("IWebsessionManager_getSessionObject", "refIVirtualBox", c.vbox).body()).contains("<returnval></returnval>");
        assertThat(vbox.machine("host-a").sessionState()).as("the VM process still holds its lock").isEqualTo("Locked");

        c.logon();
        assertThat(c.get("IMachine_getName", c.findMachine("host-a"))).isEqualTo("host-a");
    }

    @Test
    void anIdleWebsessionExpiresAndItsSessionLockGoesWithIt() throws Exception {
        MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        vbox = VboxWebServiceEmulator.builder().clock(clock).websessionTimeout(Duration.ofSeconds(300))
                .machine(MachineSpec.named("off").withState(MachineState.PoweredOff)).start();
        SoapClient c = new SoapClient(vbox).logon();
        String m = c.findMachine("off");
        c.lock(m, "Write");
        assertThat(vbox.machine("off").sessionState()).isEqualTo("Locked");
        clock.add(Duration.ofSeconds(299));
        assertThat(c.get("IMachine_getName", m)).isEqualTo("off");
        clock.add(Duration.ofSeconds(301));
        SoapClient other = new SoapClient(vbox).logon(); // any call runs the watchdog
        assertThat(c.call("IMachine_getName", "_this", m).fault()).contains("Invalid managed object reference");
        assertThat(vbox.machine("off").sessionState()).isEqualTo("Unlocked");
        other.lock(other.findMachine("off"), "Write");
    }

    @Test
    void withCredentialsConfiguredALogonWithOthersIsABareFault() throws Exception {
        SoapClient c = start(VboxWebServiceEmulator.builder().credentials("vbox", "s3cret"));
        SoapClient.Answer refused = c.call("IWebsessionManager_logon", "username", "vbox", "password", "wrong");
        assertThat(refused.fault()).isEqualTo("Error 12");
        assertThat(refused.body()).doesNotContain("<detail>");
        assertThat(c.call("IWebsessionManager_logon", "username", "vbox", "password", "s3cret").status()).isEqualTo(200);
        assertThat(vbox.requests()).allSatisfy(r -> assertThat(r.body()).doesNotContain("s3cret").doesNotContain("wrong"));
        assertThat(vbox.requests().get(0).body()).contains("<password>******</password>");
    }

    @Test
    void withoutCredentialsAnyLogonSucceedsAsWithTheNullAuthLibrary() throws Exception {
        SoapClient c = start(VboxWebServiceEmulator.builder());
        assertThat(c.call("IWebsessionManager_logon", "username", "anyone", "password", "anything").status()).isEqualTo(200);
        assertThat(c.post(SoapClient.envelope("IWebsessionManager_logon")).status()).as("missing elements are empty strings").isEqualTo(200);
    }
}
