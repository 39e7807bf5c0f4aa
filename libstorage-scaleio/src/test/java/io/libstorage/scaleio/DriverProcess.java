package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.scaleio.internal.ScaleIoDriverProvider;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.SystemProcessRunner;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The ScaleIO driver alone in its own JVM, for tests that read everything the process logs (its logging is set by
 * the {@code -Dorg.slf4j.simpleLogger.*} options it is started with). Argument: a properties file with the
 * {@code scaleio:} settings; the password comes from the environment variable {@code SCALEIO_PASSWORD}, never from
 * the command line or a file. Prints {@code READY} once connected, then answers one line per command on stdin:
 * <pre>
 * create NAME   → OK id
 * find NAME     → OK id | OK none
 * list          → OK count
 * remove NAME   → OK
 * exit
 * </pre>
 * A failed command answers {@code ERR CODE message}.
 */
public final class DriverProcess {
    private DriverProcess() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(r);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k)));
        config.put("password", System.getenv("SCALEIO_PASSWORD"));
        ScaleIoDriverProvider provider = new ScaleIoDriverProvider();
        StorageDriver driver;
        try {
            driver = provider.create(new DriverContext(DriverConfig.parse("scaleio", provider.configKeys(), config),
                    SystemProcessRunner.instance(), Clock.systemUTC()));
        } catch (StorageException e) {
            System.out.println("ERR " + e.code() + " " + e.getMessage().replace('\n', ' '));
            return;
        }
        try (driver) {
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                System.out.println(execute(driver, line.trim().split(" ")));
            }
        }
    }

    private static String execute(StorageDriver d, String[] w) {
        try {
            return switch (w[0]) {
                case "create" -> "OK " + d.create(w[1], VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build()).id().value();
                case "find" -> "OK " + d.findByName(w[1]).map(v -> v.id().value()).orElse("none");
                case "list" -> "OK " + d.list().size();
                case "remove" -> {
                    d.remove(d.findByName(w[1]).orElseThrow().id(), RemoveOptions.DEFAULT);
                    yield "OK";
                }
                default -> "ERR USAGE unknown command " + w[0];
            };
        } catch (StorageException e) {
            return "ERR " + e.code() + " " + e.getMessage().replace('\n', ' ');
        }
    }
}
