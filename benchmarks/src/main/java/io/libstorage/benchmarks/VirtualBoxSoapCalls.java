package io.libstorage.benchmarks;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.HostId;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.DriverCatalog;
import io.libstorage.emulator.vbox.MachineSpec;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Counts the SOAP calls of the VirtualBox driver per storage operation from the web service emulator's request log
 * (deterministic; logons and reference releases included), with few and with many media registered on the host, for
 * {@code benchmarks/README.md}. No root needed (no guest data path). Run:
 * {@code java -cp <classpath> io.libstorage.benchmarks.VirtualBoxSoapCalls [volumes]}.
 */
public final class VirtualBoxSoapCalls {
    private VirtualBoxSoapCalls() {
    }

    public static void main(String[] args) throws Exception {
        int many = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("libstorage-bench-vbox-");
        try (VboxWebServiceEmulator vbox = VboxWebServiceEmulator.builder().dataDir(dir.resolve("host"))
                .machine(MachineSpec.named("guest")).machine(MachineSpec.named("other")).requestLogCapacity(100_000).start()) {
            Path volumes = Files.createDirectories(dir.resolve("host/volumes"));
            StorageDriverProvider p = DriverCatalog.load().storageDriver("virtualbox");
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("endpoint", vbox.endpoint().toString());
            c.put("volumePath", volumes.toString());
            c.put("localMachineNameOrId", "guest");
            c.put("diskIDPath", dir.resolve("by-id").toString());
            DriverContext ctx = new DriverContext(DriverConfig.parse("virtualbox", p.configKeys(), c), SystemProcessRunner.instance(),
                    Clock.systemUTC());
            StorageDriver[] holder = new StorageDriver[1];
            count(vbox, "driver start-up (logon, VM by name, controller and free port, volumePath probe)",
                    () -> holder[0] = p.create(ctx));
            try (StorageDriver d = holder[0]) {
                HostId me = d.hostSide().localHost();
                VolumeSpec spec = VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build();
                Volume v = count(vbox, "create", () -> d.create("bench", spec));
                count(vbox, "create again (a repeat)", () -> d.create("bench", spec));
                report(vbox, "inspect by name, " + vbox.media().size() + " media on the host", () -> d.findByName("bench"));
                report(vbox, "inspect by id, " + vbox.media().size() + " media on the host", () -> d.inspect(v.id()));
                count(vbox, "attach to this VM (not attached before)", () -> d.attach(v.id(), me, AttachOptions.DEFAULT));
                count(vbox, "attach again (already attached here)", () -> d.attach(v.id(), me, AttachOptions.DEFAULT));
                count(vbox, "detach from this VM", () -> {
                    d.detach(v.id(), me, DetachOptions.DEFAULT);
                    return null;
                });
                count(vbox, "detach again (not attached)", () -> {
                    d.detach(v.id(), me, DetachOptions.DEFAULT);
                    return null;
                });
                for (int i = 0; i < many; i++) {
                    d.create("more-" + i, spec);
                }
                report(vbox, "inspect by name, " + vbox.media().size() + " media on the host", () -> d.findByName("bench"));
                report(vbox, "list, " + vbox.media().size() + " media on the host (" + (many + 1) + " volumes)", d::list);
                count(vbox, "remove (detached)", () -> {
                    d.remove(v.id(), RemoveOptions.DEFAULT);
                    return null;
                });
            }
        } finally {
            FileTrees.deleteTree(dir);
        }
    }

    private static <T> T count(VboxWebServiceEmulator vbox, String what, Supplier<T> op) {
        Map<String, Long> before = vbox.requestCounts();
        long start = System.nanoTime();
        T result = op.get();
        long micros = (System.nanoTime() - start) / 1000;
        Map<String, Long> delta = new TreeMap<>();
        vbox.requestCounts().forEach((k, n) -> {
            long d = n - before.getOrDefault(k, 0L);
            if (d != 0) {
                delta.put(k, d);
            }
        });
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("| %s | %d | %.1f ms | %s |%n", what, total, micros / 1000.0, delta);
        return result;
    }

    private static void report(VboxWebServiceEmulator vbox, String what, Supplier<?> op) {
        count(vbox, what, op);
    }
}
