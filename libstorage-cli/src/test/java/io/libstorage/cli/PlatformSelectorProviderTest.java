package io.libstorage.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.spi.SelectorProvider;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformSelectorProviderTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(PlatformSelectorProvider.PROPERTY);
        System.clearProperty(PlatformSelectorProvider.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(PlatformSelectorProvider.PROPERTY);
        } else {
            System.setProperty(PlatformSelectorProvider.PROPERTY, saved);
        }
    }

    @Test
    void namesTheProviderTheJdkChoosesItself() {
        // chosen once per JVM, here without the property: the JDK's own choice
        String jdksChoice = SelectorProvider.provider().getClass().getName();

        PlatformSelectorProvider.select();
        PlatformSelectorProvider.select();

        assertThat(System.getProperty(PlatformSelectorProvider.PROPERTY)).isEqualTo(jdksChoice);
    }

    @Test
    void aValueTheUserSetIsKept() {
        System.setProperty(PlatformSelectorProvider.PROPERTY, "com.example.TheirProvider");

        PlatformSelectorProvider.select();

        assertThat(System.getProperty(PlatformSelectorProvider.PROPERTY)).isEqualTo("com.example.TheirProvider");
    }
}
