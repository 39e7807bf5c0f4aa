package io.libstorage.scaleio;

import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS towards the gateway. By default the certificate chain and the host name are both verified, and a failure says
 * which host, why, and what would fix it. With {@code scaleio.insecure: true} neither is verified (REX-Ray users reach
 * gateways with self-signed certificates by IP address), and the warning logged says exactly that.
 */
class ScaleIoTlsTest {

    private static EmulatedScaleIo gatewayWithCertificateFor(List<String> dnsNames, List<String> ips) {
        UnaryOperator<ScaleIoGatewayEmulator.Builder> setup = b -> b
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .tlsNames(dnsNames, ips);
        return new EmulatedScaleIo(false, EmulatedScaleIo.PASSWORD, setup, "a");
    }

    private static Map<String, Object> settings(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void aCertificateForAnotherNameIsRefusedClearlyUnlessInsecure() {
        // trusted (caCertificate), but issued for gateway.example while the endpoint says 127.0.0.1
        try (EmulatedScaleIo sio = gatewayWithCertificateFor(List.of("gateway.example"), List.of())) {
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(sio.newDriver("a", settings("attempts", 3), SystemProcessRunner.instance())))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("TLS").hasMessageContaining("not issued for 127.0.0.1")
                    .hasMessageContaining("presented 'CN=").hasMessageContaining("[DNS:gateway.example]")
                    .hasMessageContaining("expected a certificate for 127.0.0.1 (the host of scaleio.endpoint)")
                    .hasMessageContaining("scaleio.endpoint").hasMessageContaining("scaleio.insecure")
                    .hasMessageNotContaining("after 3 attempts");

            try (StorageDriver d = sio.newDriver("a", settings("insecure", true, "caCertificate", null), SystemProcessRunner.instance())) {
                assertThat(d.list()).isEmpty();
            }
        }
    }

    @Test
    void anAddressCertificateReachedByHostNameIsRefusedUnlessInsecure() {
        try (EmulatedScaleIo sio = gatewayWithCertificateFor(List.of(), List.of("127.0.0.1"))) {
            String byName = "https://localhost:" + sio.gateway().port() + "/api";
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(sio.newDriver("a", settings("endpoint", byName), SystemProcessRunner.instance())))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not issued for localhost")
                    .hasMessageContaining("[IP:127.0.0.1]").hasMessageContaining("scaleio.insecure");
            try (StorageDriver d = sio.newDriver("a", settings("endpoint", byName, "insecure", true), SystemProcessRunner.instance())) {
                assertThat(d.list()).isEmpty();
            }
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedClearlyUnlessInsecure() {
        try (EmulatedScaleIo sio = gatewayWithCertificateFor(List.of("localhost"), List.of("127.0.0.1"))) {
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(sio.newDriver("a", settings("caCertificate", null), SystemProcessRunner.instance())))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not trusted")
                    .hasMessageContaining("presented 'CN=").hasMessageContaining("(scaleio.caCertificate is not set)")
                    .hasMessageContaining("scaleio.caCertificate").hasMessageContaining("scaleio.insecure")
                    .hasMessageNotContaining("attempts");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedNamingTheConfiguredFileAndNotRetried() throws Exception {
        try (EmulatedScaleIo sio = gatewayWithCertificateFor(List.of("localhost"), List.of("127.0.0.1"));
             EmulatedScaleIo another = gatewayWithCertificateFor(List.of("another.example"), List.of())) {
            java.nio.file.Path wrongCa = another.certificate();   // a self-signed certificate, another key
            sio.gateway().resetRequestLog();
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(sio.newDriver("a", settings("caCertificate", wrongCa.toString(), "attempts", 3),
                    SystemProcessRunner.instance())))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("scaleio.caCertificate"))
                    .hasMessageContaining("not trusted").hasMessageContaining("presented 'CN=")
                    .hasMessageContaining("or to the certificate(s) in scaleio.caCertificate (" + wrongCa + ")")
                    .hasMessageContaining("scaleio.insecure").hasMessageNotContaining("attempts");
            assertThat(sio.gateway().requestCount()).as("no request got through").isZero();
        }
    }

    @Test
    void theInsecureWarningSaysWhatIsNotVerified() throws Exception {
        try (EmulatedScaleIo sio = gatewayWithCertificateFor(List.of("gateway.example"), List.of())) {
            String logged;
            try (DriverProcess driver = DriverProcess.start(sio, "a", settings("insecure", true, "caCertificate", null),
                    sio.dir().resolve("insecure.log"))) {
                assertThat(driver.reply()).isEqualTo("READY");
                assertThat(driver.send("list")).isEqualTo("OK 0");
                logged = driver.finish();
            }
            assertThat(logged).contains("WARN").contains("scaleio.insecure")
                    .contains("neither the certificate chain nor the host name");
        }
    }
}
