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
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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
public final class DriverProcess implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path log;

    private DriverProcess(Process process, Path log) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.log = log;
    }

    /**
     * Starts the driver of {@code host} (its {@link EmulatedScaleIo#config} with {@code overrides}; a null value removes
     * a key) in a JVM started with {@code jvmOptions}; its standard error goes to {@code log}.
     */
    public static DriverProcess start(EmulatedScaleIo sio, String host, Map<String, Object> overrides, Path log,
                                      String... jvmOptions) throws IOException {
        Map<String, Object> c = sio.config(host);
        c.putAll(overrides);
        Properties p = new Properties();
        c.forEach((k, v) -> {
            if (v != null && !k.equals("password")) {
                p.setProperty(k, String.valueOf(v));
            }
        });
        Path file = Files.createTempFile(sio.dir(), "driver-", ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DriverProcess.class.getName(), file.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().put("SCALEIO_PASSWORD", String.valueOf(c.get("password")));
        return new DriverProcess(pb.start(), log);
    }

    /** The next reply line ({@code READY} or the start-up error first), or null when the process ended. */
    public String reply() throws IOException {
        return out.readLine();
    }

    /** Sends one command and returns its reply. */
    public String send(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return reply();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    /** Ends the process ({@code exit}, or killed after 60 s) and returns everything it logged. */
    public String finish() throws IOException {
        try {
            if (process.isAlive()) {
                in.write("exit\n");
                in.flush();
            }
        } catch (IOException e) {
            // it ended already
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Files.readString(log, StandardCharsets.UTF_8);
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
                    SystemProcessRunner.instance(), Clock.systemUTC(), EmulatedScaleIo.linuxOs()));
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
