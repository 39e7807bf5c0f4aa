package io.libstorage.core;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.core.internal.integration.IntegrationSettings;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.IntegrationDriverProvider;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.spi.support.KeySuggestions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole configuration checked in one pass, the same for start-up ({@link LibStorage.Builder#build()})
 * and {@code config check} ({@link LibStorage.Builder#validate()}): every section parsed against its
 * driver's keys and checked by the provider's {@code validate}, the log levels checked, and every
 * problem found reported in one {@link InvalidConfigurationException}. Creates no driver and writes nothing.
 *
 * @param storageProvider {@code null} when a driver instance was handed to the builder (then {@code storage} is null too)
 * @param osProvider {@code null} when an OS driver instance was handed to the builder (then {@code os} is null too)
 * @param effective every setting as {@code section.key → value}, sorted, secrets as {@code ******}
 */
record ResolvedConfiguration(Path stateRoot, IntegrationDriverProvider integrationProvider, DriverConfig integration,
                             StorageDriverProvider storageProvider, DriverConfig storage,
                             OSDriverProvider osProvider, DriverConfig os, SortedMap<String, String> effective) {

    private static final ErrorContext CONTEXT = ErrorContext.of("load configuration");

    /** What the builder was given. */
    record Inputs(DriverCatalog drivers, LibStorageConfig config, Map<String, Object> libstorageOverrides,
                  Map<String, Object> storageOverrides, Map<String, Object> osOverrides,
                  boolean storageInstance, boolean osInstance) {
    }

    /**
     * @throws InvalidConfigurationException naming every unknown, missing, malformed, repeated or contradictory key
     */
    static ResolvedConfiguration resolve(Inputs in) {
        return new Resolution(in).run();
    }

    private static final class Resolution {
        private final Inputs in;
        private final DriverCatalog drivers;
        private final List<InvalidConfigurationException> problems = new ArrayList<>();
        private final Set<String> allKeys = new LinkedHashSet<>();
        private Path stateRoot = DriverConfig.DEFAULT_STATE_ROOT;

        Resolution(Inputs in) {
            this.in = in;
            this.drivers = in.drivers();
            LibStorage.configKeys().forEach(k -> allKeys.add("libstorage." + k.name()));
            drivers.integrationDrivers().values().forEach(p -> p.configKeys().forEach(k -> allKeys.add("libstorage." + k.name())));
            drivers.storageDrivers().forEach((n, p) -> p.configKeys().forEach(k -> allKeys.add(n + "." + k.name())));
            drivers.osDrivers().forEach((n, p) -> p.configKeys().forEach(k -> allKeys.add(n + "." + k.name())));
        }

        ResolvedConfiguration run() {
            Map<String, Object> libstorage = new LinkedHashMap<>(in.config().libstorageSection());
            putAllReplacingCase(libstorage, in.libstorageOverrides());
            Map<String, Object> coreSection = new LinkedHashMap<>();
            Map<String, Object> integrationSection = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : libstorage.entrySet()) {
                String k = e.getKey().toLowerCase(Locale.ROOT);
                boolean integrationKey = (k.startsWith("integration.") && !k.equals(LibStorage.KEY_INTEGRATION_DRIVER.toLowerCase(Locale.ROOT)))
                        || k.startsWith("device.");
                (integrationKey ? integrationSection : coreSection).put(e.getKey(), e.getValue());
            }

            DriverConfig core = attempt(() -> DriverConfig.parse("libstorage", LibStorage.configKeys(), coreSection, stateRoot, allKeys));
            if (core != null) {
                stateRoot = core.path(LibStorage.KEY_STATE_ROOT).toAbsolutePath().normalize();
                core.optionalString(LibStorage.KEY_LOG_LEVEL).ifPresent(v -> attempt(() -> LogLevel.parse(v, "libstorage." + LibStorage.KEY_LOG_LEVEL)));
            }
            rexRayLogLevel().ifPresent(v -> attempt(() -> LogLevel.parse(v, "rexray.logLevel")));

            String integrationName = core == null ? "docker" : core.string(LibStorage.KEY_INTEGRATION_DRIVER);
            IntegrationDriverProvider ip = attempt(() -> drivers.integrationDriver(integrationName));
            DriverConfig integration = ip == null ? null
                    : parseAndValidate("libstorage", ip.configKeys(), integrationSection, ip::validate);

            String service = core == null || in.storageInstance() ? null : core.optionalString(LibStorage.KEY_SERVICE).orElse(null);
            String osName = core == null || in.osInstance() ? null : core.string(LibStorage.KEY_OS_DRIVER);
            checkOtherSections(service, osName);

            StorageDriverProvider sp = null;
            DriverConfig storage = null;
            if (in.storageInstance()) {
                if (!in.storageOverrides().isEmpty()) {
                    problems.add(new InvalidConfigurationException(CONTEXT, "storageOption",
                            "options were given for a driver instance handed to the builder"));
                }
            } else if (core != null && service == null) {
                problems.add(new InvalidConfigurationException(CONTEXT, "libstorage.service",
                        "no storage driver selected; available: " + drivers.storageDrivers().keySet()));
            } else if (service != null) {
                sp = attempt(() -> drivers.storageDriver(service));
                if (sp != null) {
                    storage = parseAndValidate(service, sp.configKeys(), withOverrides(service, in.storageOverrides()), sp::validate);
                }
            }

            OSDriverProvider op = null;
            DriverConfig os = null;
            if (in.osInstance()) {
                if (!in.osOverrides().isEmpty()) {
                    problems.add(new InvalidConfigurationException(CONTEXT, "osOption",
                            "options were given for an OS driver instance handed to the builder"));
                }
            } else if (osName != null) {
                op = attempt(() -> drivers.osDriver(osName));
                if (op != null) {
                    os = parseAndValidate(osName, op.configKeys(), withOverrides(osName, in.osOverrides()), op::validate);
                }
            }

            checkDefaultFilesystem(integration, op);
            if (!problems.isEmpty()) {
                throw InvalidConfigurationException.combine(problems);
            }
            SortedMap<String, String> effective = new TreeMap<>();
            core.describe().forEach((k, v) -> effective.put("libstorage." + k, v));
            integration.describe().forEach((k, v) -> effective.put("libstorage." + k, v));
            if (storage != null) {
                storage.describe().forEach((k, v) -> effective.put(service + "." + k, v));
            }
            if (os != null) {
                os.describe().forEach((k, v) -> effective.put(osName + "." + k, v));
            }
            return new ResolvedConfiguration(stateRoot, ip, integration, sp, storage, op, os,
                    Collections.unmodifiableSortedMap(effective));
        }

        /** The default filesystem of creates must be one the selected OS driver knows how to make. */
        private void checkDefaultFilesystem(DriverConfig integration, OSDriverProvider op) {
            String key = IntegrationSettings.DEFAULT_FS_KEY;
            if (integration == null || op == null || op.filesystems().isEmpty()
                    || integration.keys().stream().noneMatch(k -> k.name().equals(key))) {
                return;
            }
            String fs = integration.string(key).toLowerCase(Locale.ROOT);
            if (!op.filesystems().contains(fs)) {
                problems.add(new InvalidConfigurationException(CONTEXT, "libstorage." + key, "'" + fs + "' is not a filesystem the "
                        + op.name() + " OS driver can make; it makes " + new java.util.TreeSet<>(op.filesystems())));
            }
        }

        /** Every section in the file that no selected driver reads must still belong to a driver, and be valid for it. */
        private void checkOtherSections(String service, String osName) {
            for (Map.Entry<String, Map<String, Object>> s : in.config().driverSections().entrySet()) {
                String name = s.getKey();
                StorageDriverProvider sp = drivers.storageDrivers().get(name);
                OSDriverProvider op = drivers.osDrivers().get(name);
                if (sp == null && op == null) {
                    Set<String> names = new LinkedHashSet<>(drivers.storageDrivers().keySet());
                    names.addAll(drivers.osDrivers().keySet());
                    names.add("libstorage");
                    problems.add(new InvalidConfigurationException(CONTEXT, name, "unknown section"
                            + KeySuggestions.didYouMean(name, names) + ": no storage or OS driver has this name; storage drivers: "
                            + drivers.storageDrivers().keySet() + ", OS drivers: " + drivers.osDrivers().keySet()));
                    continue;
                }
                if (name.equalsIgnoreCase(String.valueOf(service)) || name.equalsIgnoreCase(String.valueOf(osName))) {
                    continue; // read with the selected driver's keys below
                }
                if (sp != null) {
                    parseAndValidate(name, sp.configKeys(), s.getValue(), sp::validate);
                } else {
                    parseAndValidate(name, op.configKeys(), s.getValue(), op::validate);
                }
            }
        }

        private DriverConfig parseAndValidate(String section, List<ConfigKey> keys, Map<String, Object> raw, Consumer<DriverConfig> validate) {
            DriverConfig c = attempt(() -> DriverConfig.parse(section, keys, raw, stateRoot, allKeys));
            if (c != null) {
                attempt(() -> {
                    validate.accept(c);
                    return c;
                });
            }
            return c;
        }

        private Map<String, Object> withOverrides(String driver, Map<String, Object> overrides) {
            Map<String, Object> section = new LinkedHashMap<>(in.config().driverSection(driver));
            putAllReplacingCase(section, overrides);
            return section;
        }

        private Optional<String> rexRayLogLevel() {
            return in.config().rexraySection().entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("logLevel") && e.getValue() != null)
                    .map(e -> String.valueOf(e.getValue())).findFirst();
        }

        private <T> T attempt(Supplier<T> step) {
            try {
                return step.get();
            } catch (InvalidConfigurationException e) {
                problems.add(e);
                return null;
            }
        }
    }

    static void putAllReplacingCase(Map<String, Object> target, Map<String, Object> overrides) {
        for (Map.Entry<String, Object> o : overrides.entrySet()) {
            target.keySet().removeIf(k -> k.equalsIgnoreCase(o.getKey()));
            target.put(o.getKey(), o.getValue());
        }
    }
}
