package io.libstorage.core.internal.integration;

import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.IntegrationContext;
import io.libstorage.spi.IntegrationDriver;
import io.libstorage.spi.IntegrationDriverProvider;

import java.util.List;

/** Provides the default integration driver under REX-Ray's name for it, {@code docker}. */
public final class DefaultIntegrationDriverProvider implements IntegrationDriverProvider {
    public static final String NAME = "docker";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "mount pipeline with durable consumer sets, per-volume locks, intents and reconcile";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return IntegrationSettings.keys();
    }

    @Override
    public void validate(DriverConfig config) {
        IntegrationSettings.from(config);
    }

    @Override
    public IntegrationDriver create(IntegrationContext context) {
        IntegrationSettings settings = IntegrationSettings.from(context.config());
        IntegrationSettings.warnAboutIneffectiveSettings(context.config());
        DefaultIntegrationDriver driver = new DefaultIntegrationDriver(context.storage(), context.os(), settings, context.stateRoot(),
                context.events(), context.clock());
        driver.thawLeftoverFreezes();
        return driver;
    }
}
