package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliTest {
    @TempDir
    Path tmp;

    @Test
    void flagsBuildMachinesControllersAndAuthentication() throws Exception {
        Files.writeString(tmp.resolve("pw"), "s3cret\n");
        UUID id = UUID.fromString("9f49850d-f617-4b43-a46d-272c380e7cc6");
        VboxWebServiceEmulator.Builder b = VboxWebServiceMain.parse(new String[] {"--port", "0", "--user", "vbox", "--password-file",
                tmp.resolve("pw").toString(), "--vm", "host-a,id=" + id + ",mac=08:00:27:00:00:01,controller=SATA:SATA:1,emptyDvd=true",
                "--vm", "host-b,state=PoweredOff,chipset=ICH9,bootDisk=false", "--version", "6.1.50", "--websession-timeout", "90s"},
                new PrintStream(new ByteArrayOutputStream()));
        try (VboxWebServiceEmulator vbox = b.start()) {
            SoapClient c = new SoapClient(vbox);
            assertThat(c.call("IWebsessionManager_logon", "username", "vbox", "password", "nope").fault()).isEqualTo("Error 12");
            c.vbox = c.ok("IWebsessionManager_logon", "username", "vbox", "password", "s3cret").value();
            assertThat(c.get("IVirtualBox_getAPIVersion", c.vbox)).isEqualTo("6_1");
            assertThat(vbox.machine("host-a").id()).isEqualTo(id);
            assertThat(vbox.machine("host-a").macs().get(0)).isEqualTo("080027000001");
            assertThat(vbox.machine("host-a").controllers()).containsExactly("SATA (SATA, 1 ports)", "IDE (IDE, 2 ports)");
            assertThat(vbox.machine("host-b").state()).isEqualTo(MachineState.PoweredOff);
            assertThat(vbox.machine("host-b").attachments()).isEmpty();
        }
    }

    @Test
    void badFlagsAreReported() {
        assertThatThrownBy(() -> VboxWebServiceMain.parse(new String[] {"--vm", "a,controller=SATA"}, System.out))
                .hasMessageContaining("NAME:BUS:PORTS");
        assertThatThrownBy(() -> VboxWebServiceMain.parse(new String[] {"--user", "x"}, System.out))
                .hasMessageContaining("--password-env or --password-file");
        assertThatThrownBy(() -> VboxWebServiceMain.parse(new String[] {"--progress-delay", "soon"}, System.out))
                .hasMessageContaining("bad duration");
        assertThatThrownBy(() -> VboxWebServiceMain.parse(new String[] {"--frobnicate", "1"}, System.out)).hasMessageContaining("unknown flag");
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(VboxWebServiceMain.parse(new String[] {"--help"}, new PrintStream(out))).isNull();
        assertThat(out.toString()).contains("--vm SPEC").contains("--data-path");
    }
}
