package io.libstorage.scaleio.internal;

import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.spi.DriverConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks of the {@code scaleio:} section that need no gateway ({@link ScaleIoSettings#from}, pure). */
class ScaleIoSettingsTest {

    /** The scaleio section of a real 2017 REX-Ray deployment (YAML reads {@code apiVersion: 2.0} as a number). */
    private static Map<String, Object> rexRay2017() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("insecure", true);
        m.put("thinOrThick", "ThinProvisioned");
        m.put("endpoint", "https://gateway.example/api");
        m.put("password", "XXXXXX");
        m.put("userName", "admin");
        m.put("protectionDomainName", "default");
        m.put("storagePoolName", "default");
        m.put("apiVersion", 2.0);
        return m;
    }

    private static ScaleIoSettings settings(Map<String, Object> raw) {
        return ScaleIoSettings.from(DriverConfig.parse("scaleio", ScaleIoSettings.keys(), raw));
    }

    private static Map<String, Object> with(Object... keyValues) {
        Map<String, Object> m = rexRay2017();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void theRexRay2017SectionIsValidWithoutSystemIdOrName() {
        ScaleIoSettings s = settings(rexRay2017());
        assertThat(s.systemId()).isEmpty();
        assertThat(s.systemName()).isEmpty();
        assertThat(s.insecure()).isTrue();
        assertThat(s.forcedApiVersion()).contains("2.0");
        assertThat(s.endpoint()).hasToString("https://gateway.example:443");
    }

    @Test
    void versionAndApiVersionBothForceTheVersionAndMustAgree() {
        assertThat(settings(with("apiVersion", null, "version", "2.5")).forcedApiVersion()).contains("2.5");
        assertThat(settings(with("apiVersion", "3.0")).forcedApiVersion()).contains("3.0");
        assertThat(settings(with("apiVersion", null)).forcedApiVersion()).isEmpty();
        // the same API version written two ways is no contradiction; the header carries major.minor
        assertThat(settings(with("apiVersion", "2.0.1", "version", 2.0)).forcedApiVersion()).contains("2.0");

        assertThatThrownBy(() -> settings(with("apiVersion", "2.5", "version", "2.0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("scaleio.apiVersion").hasMessageContaining("scaleio.version")
                .hasMessageContaining("2.5").hasMessageContaining("2.0");
    }

    @Test
    void aMalformedForcedVersionIsAConfigurationErrorBeforeAnyConnection() {
        assertThatThrownBy(() -> settings(with("apiVersion", "latest")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.apiVersion").hasMessageContaining("latest");
        assertThatThrownBy(() -> settings(with("apiVersion", null, "version", "two")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.version");
    }

    @Test
    void protectionDomainAndPoolStayRequired() {
        assertThatThrownBy(() -> settings(with("protectionDomainName", null)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.protectionDomainName");
        assertThatThrownBy(() -> settings(with("storagePoolName", null)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.storagePoolName");
    }

    @Test
    void anEndpointHoldingCredentialsIsRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> settings(with("endpoint", "https://admin:hunter2hunter2@gateway.example/api")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("scaleio.endpoint")
                .hasMessageContaining("scaleio.password").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> settings(with("endpoint", "https://gateway.example/api?password=hunter2hunter2")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> settings(with("endpoint", "https://admin:hunter2 hunter2@gateway example/api")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void authenticationIsAutoUnlessForcedAndAForcedVersionDecidesAutoWithoutAsking() {
        assertThat(settings(with("apiVersion", null)).authentication()).isEqualTo(ScaleIoSettings.Authentication.AUTO);
        assertThat(settings(with("apiVersion", "2.0")).authentication()).isEqualTo(ScaleIoSettings.Authentication.BASIC);
        assertThat(settings(with("apiVersion", "4.5")).authentication()).isEqualTo(ScaleIoSettings.Authentication.BEARER);
        assertThat(settings(with("apiVersion", "4.5", "authentication", "basic")).authentication())
                .as("goscaleio-dell logs in to 4.x with GET /api/login").isEqualTo(ScaleIoSettings.Authentication.BASIC);
        assertThat(settings(with("apiVersion", null, "authentication", "BEARER")).authentication())
                .isEqualTo(ScaleIoSettings.Authentication.BEARER);

        assertThatThrownBy(() -> settings(with("apiVersion", "3.6", "authentication", "bearer")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("scaleio.authentication").hasMessageContaining("3.6").hasMessageContaining("4.0");
        assertThatThrownBy(() -> settings(with("authentication", "token")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("authentication");
    }
}
