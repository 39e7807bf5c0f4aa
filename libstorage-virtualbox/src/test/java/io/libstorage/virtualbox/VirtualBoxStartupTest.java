package io.libstorage.virtualbox;

import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.emulator.vbox.ControllerSpec;
import io.libstorage.emulator.vbox.MachineSpec;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.core.DriverCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Each start-up failure has its own error, naming the key and what to do: web service unreachable, logon refused, VM
 * not found (vboxwebsrv running as another user), VM ambiguous, controller not found (naming the VM's controllers),
 * no free port (the count and how to raise it), {@code volumePath} missing on the host or not set. Against the emulator
 * without its data path (no root needed).
 */
class VirtualBoxStartupTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> with(Map<String, Object> config, Object... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private static Throwable startFailure(Map<String, Object> config) {
        Throwable t = catchThrowable(() -> EmulatedVirtualBox.newDriver(config).close());
        assertThat(t).as("the driver must not start").isNotNull();
        return t;
    }

    @Test
    void anUnreachableWebServiceSaysSoAndHowToCheck() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, "a")) {
            Throwable t = startFailure(with(vbox.config("a"), "endpoint", "http://127.0.0.1:" + port + "/", "connectTimeout", "2s"));
            assertThat(t).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("http://127.0.0.1:" + port)
                    .hasMessageContaining("IWebsessionManager_logon").hasMessageContaining("is vboxwebsrv running");
        }
    }

    @Test
    void aRefusedLogonNamesTheUserAndNeverThePassword() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("vols"));
        try (VboxWebServiceEmulator e = VboxWebServiceEmulator.builder().credentials("vbox", "right").machine(MachineSpec.named("a")).start()) {
            Map<String, Object> c = Map.of("endpoint", e.endpoint().toString(), "userName", "vbox", "password", "wrong-s3cret",
                    "volumePath", dir.toString(), "localMachineNameOrId", "a");
            Throwable t = startFailure(new java.util.HashMap<>(c));
            assertThat(t).isInstanceOf(AuthenticationException.class).hasMessageContaining("refused the logon of user 'vbox'")
                    .hasMessageNotContaining("wrong-s3cret");
        }
    }

    @Test
    void anUnknownVmNamesTheVmsTheWebServiceSeesAndTheUserHint() throws IOException {
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, "a", "b")) {
            Throwable t = startFailure(with(vbox.config("a"), "localMachineNameOrId", "docker-host"));
            assertThat(t).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("virtualbox.localMachineNameOrId")
                    .hasMessageContaining("'docker-host'").hasMessageContaining("[a, b]")
                    .hasMessageContaining("vboxwebsrv must run as the host user that owns the VMs");
        }
        try (VboxWebServiceEmulator e = VboxWebServiceEmulator.builder().start()) {
            Map<String, Object> c = new java.util.HashMap<>(Map.of("endpoint", e.endpoint().toString(), "volumePath", tmp.toString(),
                    "localMachineNameOrId", "docker-host"));
            assertThat(startFailure(c)).hasMessageContaining("no VM at all").hasMessageContaining("must run as the host user");
        }
    }

    @Test
    void theVmIsFoundByThisGuestsMacAddressesAndAnAmbiguousMatchNamesEveryCandidate() throws IOException {
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, "a", "b", "c")) {
            Path net = guestInterfaces("lo", "00:00:00:00:00:00", "docker0", "02:42:46:d0:9f:73", "eth0", colons(vbox.mac("b")));
            Map<String, Object> c = with(vbox.config("b"), "netClassPath", net.toString());
            c.remove("localMachineNameOrId");
            try (StorageDriver d = EmulatedVirtualBox.newDriver(c)) {
                assertThat(d.hostSide().localHost().value()).isEqualTo(vbox.vmId("b"));
            }
            Path strange = guestInterfaces("eth0", "52:54:00:12:34:56");
            assertThat(startFailure(with(c, "netClassPath", strange.toString()))).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("none of the 3 VM(s)").hasMessageContaining("525400123456")
                    .hasMessageContaining("set localMachineNameOrId");
        }
        UnaryOperator<MachineSpec> sameMac = m -> m.name().equals("c") ? m : m.withMacs("080027ABCDEF");
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, sameMac, "a", "b", "c")) {
            Path net = guestInterfaces("eth0", "08:00:27:ab:cd:ef");
            Map<String, Object> c = with(vbox.config("a"), "netClassPath", net.toString());
            c.remove("localMachineNameOrId");
            assertThat(startFailure(c)).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("several VMs")
                    .hasMessageContaining("a (" + vbox.vmId("a") + ")").hasMessageContaining("b (" + vbox.vmId("b") + ")")
                    .hasMessageNotContaining("c (");
        }
    }

    @Test
    void aMissingControllerNamesTheControllersTheVmHas() {
        UnaryOperator<MachineSpec> vagrant = m -> m.withControllers(ControllerSpec.sata("SATA Controller", 30), ControllerSpec.ide("IDE"));
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, vagrant, "a")) {
            assertThat(startFailure(vbox.config("a"))).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("virtualbox.controllerName").hasMessageContaining("no storage controller named 'SATA'")
                    .hasMessageContaining("'SATA Controller' (SATA), 'IDE' (IDE)").hasMessageContaining("--rename SATA");
            assertThat(startFailure(with(vbox.config("a"), "controllerName", "IDE"))).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("is a IDE controller").hasMessageContaining("only into SATA controllers");
            try (StorageDriver d = EmulatedVirtualBox.newDriver(with(vbox.config("a"), "controllerName", "SATA Controller"))) {
                assertThat(d.list()).isEmpty();
            }
        }
    }

    @Test
    void aControllerWithoutAFreePortSaysHowToRaiseItsPortCount() {
        UnaryOperator<MachineSpec> oneport = m -> m.withControllers(ControllerSpec.sata("SATA", 1));
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, oneport, "a")) {
            assertThat(startFailure(vbox.config("a"))).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("virtualbox.controllerName").hasMessageContaining("all 1 port(s) of controller 'SATA' of VM a")
                    .hasMessageContaining("VBoxManage storagectl a --name SATA --portcount 30");
        }
    }

    @Test
    void aVolumePathMissingOnTheHostOrNotSetIsNamed() {
        try (EmulatedVirtualBox vbox = new EmulatedVirtualBox(false, "a")) {
            Path missing = vbox.dir().resolve("no-such-dir");
            assertThat(startFailure(with(vbox.config("a"), "volumePath", missing.toString()))).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("virtualbox.volumePath").hasMessageContaining(missing + " does not exist on the VirtualBox host")
                    .hasMessageContaining("not in this guest");
            assertThat(Files.exists(missing)).as("the probe creates no directory").isFalse();
            assertThat(vbox.emulator().media()).as("the probe disk is gone").allMatch(m -> !m.location().startsWith(missing));
            Map<String, Object> unset = vbox.config("a");
            unset.remove("volumePath");
            StorageDriverProvider p = DriverCatalog.load().storageDriver("virtualbox");
            long calls = vbox.emulator().requestCount();
            assertThatThrownBy(() -> p.validate(DriverConfig.parse("virtualbox", p.configKeys(), unset)))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("virtualbox.volumePath")
                    .hasMessageContaining("not set");
            assertThat(vbox.emulator().requestCount()).as("validate asks the web service nothing").isEqualTo(calls);
        }
    }

    private Path guestInterfaces(String... nameAndMac) throws IOException {
        Path net = Files.createTempDirectory(tmp, "net");
        for (int i = 0; i < nameAndMac.length; i += 2) {
            Files.writeString(Files.createDirectories(net.resolve(nameAndMac[i])).resolve("address"), nameAndMac[i + 1] + "\n");
        }
        return net;
    }

    private static String colons(String mac) {
        return mac.toLowerCase().replaceAll("(..)(?!$)", "$1:");
    }
}
