package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.ConfigLocation;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.core.DriverCatalog;
import io.libstorage.core.LibStorage;
import io.libstorage.spi.ConfigKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code config check}: runs the validation start-up runs ({@link LibStorage.Builder#validate()} and the
 * log levels) without creating any driver (no back-end call), prints the effective settings sorted by key
 * with secrets as {@code ******}, and lists the drivers found with their keys. An invalid file exits with
 * status 3 naming every key at fault, as every verb would.
 */
@Command(name = "check", aliases = {"validate"}, mixinStandardHelpOptions = true,
        description = "Run the validation start-up runs (creating no driver: no back-end call) and print the effective settings, sorted, secrets shown as ******, and the available drivers with their keys. Invalid: exit status 3, naming every key at fault.")
final class ConfigCheck implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--no-drivers", description = "do not list the drivers and their keys")
    boolean noDrivers;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        ConfigLocation at = ctx.configLocation();
        ctx.checkLogLevels();
        DriverCatalog catalog = ctx.env().drivers().get();
        Map<String, String> effective = ctx.builder().catalog(catalog).validate();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("configFile", at.path().toString());
        data.put("source", at.source());
        data.put("fileExists", Files.exists(at.path()));
        data.put("valid", true);
        data.put("settings", effective);
        List<Table> sections = new ArrayList<>();
        Map<String, String> head = new LinkedHashMap<>();
        head.put("configuration", at.path() + " (" + (Files.exists(at.path()) ? at.source() : "not found; defaults only") + ")");
        head.put("status", "valid");
        sections.add(new Table.Fields(head));
        sections.add(new Table.Rows(List.of("SETTING", "VALUE"),
                effective.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList()));
        if (!noDrivers) {
            List<Map<String, Object>> drivers = drivers(catalog);
            data.put("drivers", drivers);
            sections.add(driverTable(drivers));
        }
        ctx.print(new Result(data, new Table.Sections(sections)));
        return ExitCode.OK;
    }

    static List<Map<String, Object>> drivers(DriverCatalog catalog) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(driver("core", "libstorage", "the library itself (section libstorage)", LibStorage.configKeys()));
        catalog.storageDrivers().forEach((n, p) -> out.add(driver("storage", n, p.description(), p.configKeys())));
        catalog.osDrivers().forEach((n, p) -> out.add(driver("os", n, p.description(), p.configKeys())));
        catalog.integrationDrivers().forEach((n, p) -> out.add(driver("integration", n,
                p.description() + " (keys in section libstorage)", p.configKeys())));
        return out;
    }

    private static Map<String, Object> driver(String kind, String name, String description, List<ConfigKey> keys) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind);
        d.put("name", name);
        d.put("description", description);
        List<Map<String, Object>> ks = new ArrayList<>();
        for (ConfigKey k : keys) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k.name());
            m.put("type", k.type().name().toLowerCase(Locale.ROOT));
            m.put("default", k.defaultValue());
            m.put("required", k.required());
            if (!k.allowedValues().isEmpty()) {
                m.put("allowedValues", k.allowedValues());
            }
            m.put("description", k.description());
            ks.add(m);
        }
        d.put("keys", ks);
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Table driverTable(List<Map<String, Object>> drivers) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> d : drivers) {
            List<Map<String, Object>> keys = (List<Map<String, Object>>) d.get("keys");
            if (keys.isEmpty()) {
                rows.add(List.of((String) d.get("kind"), (String) d.get("name"), "", "", "", (String) d.get("description")));
            }
            for (Map<String, Object> k : keys) {
                String type = (String) k.get("type");
                if (k.containsKey("allowedValues")) {
                    type = String.join("|", (List<String>) k.get("allowedValues"));
                }
                rows.add(List.of((String) d.get("kind"), (String) d.get("name"), (String) k.get("key"), type,
                        k.get("default") == null ? (Boolean.TRUE.equals(k.get("required")) ? "(required)" : "") : (String) k.get("default"),
                        (String) k.get("description")));
            }
        }
        return new Table.Rows(List.of("KIND", "DRIVER", "KEY", "TYPE", "DEFAULT", "DESCRIPTION"), rows);
    }
}
