package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.emulator.scaleio.RequestRecord;
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
 * REX-Ray's ScaleIO settings against the gateway emulator: the system may be left out when the gateway manages only
 * one (several are named in the error), systemID and systemName given together must agree, and {@code version} or
 * {@code apiVersion} force the API version: the gateway is never asked for it and every call carries the forced one.
 */
class ScaleIoRexRayConfigurationTest {

    private static EmulatedScaleIo gateway(UnaryOperator<ScaleIoGatewayEmulator.Builder> setup) {
        return new EmulatedScaleIo(false, EmulatedScaleIo.PASSWORD, setup, "a");
    }

    private static Map<String, Object> settings(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static StorageDriver driver(EmulatedScaleIo sio, Map<String, Object> overrides) {
        return sio.newDriver("a", overrides, SystemProcessRunner.instance());
    }

    @Test
    void theRexRay2017SectionWorksAsItIs() {
        try (EmulatedScaleIo sio = gateway(b -> b.system(SystemSpec.named("prod").withProtectionDomain("default", "default")))) {
            // exactly the deployment's scaleio keys; only this host's SDC, device and state directories are added
            Map<String, Object> rexRay = settings("caCertificate", null, "systemName", null, "protectionDomainName", "default",
                    "storagePoolName", "default", "insecure", true, "thinOrThick", "ThinProvisioned", "apiVersion", 2.0);
            try (StorageDriver d = driver(sio, rexRay)) {
                assertThat(d.create("rexray", VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build()).name()).isEqualTo("rexray");
            }
            assertThat(sio.gateway().requestCount("GET /api/version")).isZero();
        }
    }

    @Test
    void withoutSystemIdOrNameTheGatewaysOnlySystemIsUsedNamedOrNot() {
        try (EmulatedScaleIo sio = gateway(b -> b.system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")))) {
            try (StorageDriver d = driver(sio, settings("systemName", null))) {
                assertThat(d.list()).isEmpty();
            }
        }
        // a system installed without a name is what REX-Ray's lookup matched when neither key was set
        try (EmulatedScaleIo sio = gateway(b -> b.system(SystemSpec.unnamed().withProtectionDomain("pd1", "pool1")))) {
            try (StorageDriver d = driver(sio, settings("systemName", null))) {
                assertThat(d.list()).isEmpty();
            }
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver(sio, settings())))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("cluster1").hasMessageContaining("(unnamed)");
        }
    }

    @Test
    void withoutSystemIdOrNameSeveralSystemsAreNamedInTheError() {
        try (EmulatedScaleIo sio = gateway(b -> b.system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .system(SystemSpec.named("cluster2").withProtectionDomain("pd1", "pool1")))) {
            List<String> ids = sio.gateway().systemIds();
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver(sio, settings("systemName", null))))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("scaleio.systemName").hasMessageContaining("scaleio.systemID")
                    .hasMessageContaining("cluster1 (" + ids.get(0) + ")").hasMessageContaining("cluster2 (" + ids.get(1) + ")");
            // either key picks one
            try (StorageDriver d = driver(sio, settings("systemName", null, "systemID", ids.get(0)))) {
                assertThat(d.list()).isEmpty();
            }
        }
    }

    @Test
    void systemIdAndSystemNameGivenTogetherMustNameTheSameSystem() {
        try (EmulatedScaleIo sio = gateway(b -> b.system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .system(SystemSpec.named("cluster2").withProtectionDomain("pd1", "pool1")))) {
            String second = sio.gateway().systemIds().get(1);
            assertThatThrownBy(() -> EmulatedScaleIo.firstCall(driver(sio, settings("systemID", second))))   // systemName stays cluster1
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("scaleio.systemID").hasMessageContaining("scaleio.systemName")
                    .hasMessageContaining("cluster2").hasMessageContaining("cluster1");
            String first = sio.gateway().systemIds().get(0);
            try (StorageDriver d = driver(sio, settings("systemID", first))) {
                assertThat(d.list()).isEmpty();
            }
        }
    }

    @Test
    void versionAndApiVersionEachForceTheVersionOfEveryCall() {
        for (String key : List.of("version", "apiVersion")) {
            try (EmulatedScaleIo sio = gateway(b -> b.apiVersion("2.0")
                    .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")))) {
                try (StorageDriver d = driver(sio, settings(key, "3.5.0.271"))) {
                    d.create("forced", VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build());
                    sio.gateway().restart();                                    // the re-login does not ask either
                    assertThat(d.findByName("forced")).isPresent();
                }
                List<RequestRecord> calls = sio.gateway().requests();
                assertThat(sio.gateway().requestCount("GET /api/version")).as(key).isZero();
                assertThat(calls.stream().filter(r -> !r.path().equals("/api/login")).map(RequestRecord::apiVersion))
                        .as(key).isNotEmpty().containsOnly("3.5");
            }
        }
        // without either, the gateway's answer is used
        try (EmulatedScaleIo sio = gateway(b -> b.apiVersion("2.5").system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")))) {
            try (StorageDriver d = driver(sio, settings())) {
                assertThat(d.list()).isEmpty();
            }
            assertThat(sio.gateway().requestCount("GET /api/version")).isEqualTo(1);
            assertThat(sio.gateway().requests().stream().filter(r -> r.path().startsWith("/api/types")).map(RequestRecord::apiVersion))
                    .containsOnly("2.5");
        }
    }
}
