package io.libstorage.benchmarks;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.DriverCatalog;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SdcAgent;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.core.DriverCatalog;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Counts gateway round trips of the ScaleIO driver from the emulator's request log (deterministic),
 * and times what is cheap to time: inspect by name with 10 and with N volumes, and a list of N
 * volumes (with the heap growth of holding the result). Run:
 * {@code java -cp <classpath> io.libstorage.benchmarks.GatewayCallCounts [N]}.
 */
public final class GatewayCallCounts {
    private GatewayCallCounts() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("libstorage-bench-gw-");
        String guid = UUID.randomUUID().toString().toUpperCase();
        try (ScaleIoGatewayEmulator gw = ScaleIoGatewayEmulator.builder()
                .credentials("admin", "bench-Password1")
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .sdc(SdcSpec.of(guid, "10.0.0.2").withDeviceDir(dir.resolve("dev")))
                .dataDir(dir.resolve("gw"))
                .requestLogCapacity(50_000)
                .start();
             SdcAgent agent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), guid)) {
            Path pem = dir.resolve("gw.pem");
            Files.writeString(pem, gw.certificatePem());
            StorageDriverProvider p = DriverCatalog.load().storageDriver("scaleio");
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("endpoint", gw.endpoint() + "/api");
            c.put("caCertificate", pem.toString());
            c.put("userName", "admin");
            c.put("password", "bench-Password1");
            c.put("systemName", "cluster1");
            c.put("protectionDomainName", "pd1");
            c.put("storagePoolName", "pool1");
            c.put("guid", guid);
            c.put("stateDir", dir.resolve("state").toString());
            gw.resetRequestLog();
            OSDriverProvider linux = DriverCatalog.load().osDriver("linux");
            OSDriver os = linux.create(new DriverContext(DriverConfig.parse("linux", linux.configKeys(), Map.of()),
                    SystemProcessRunner.instance(), Clock.systemUTC()));
            try (StorageDriver d = p.create(new DriverContext(DriverConfig.parse("scaleio", p.configKeys(), c),
                    SystemProcessRunner.instance(), Clock.systemUTC(), os))) {
                System.out.printf("driver start-up: %d gateway calls %s%n", gw.requestCount(), gw.requestCounts());
                VolumeSpec spec = VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build();
                create(d, spec, 0, 10);
                measureInspect(gw, d, "vol-5", 10);
                create(d, spec, 10, n);
                measureInspect(gw, d, "vol-" + (n - 3), n);
                System.gc();
                long heapBefore = usedHeap();
                gw.resetRequestLog();
                long t0 = System.nanoTime();
                List<Volume> all = d.list();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                long heapAfter = usedHeap();
                System.out.printf("list of %d volumes: %d gateway call(s), %d ms, heap growth holding the result %d MiB%n",
                        all.size(), gw.requestCount(), ms, Math.max(0, heapAfter - heapBefore) / ByteSizes.MIB);
            }
        } finally {
            FileTrees.deleteTree(dir);
        }
    }

    private static void measureInspect(ScaleIoGatewayEmulator gw, StorageDriver d, String name, int count) {
        for (int i = 0; i < 300; i++) {
            d.findByName(name);
        }
        gw.resetRequestLog();
        long t0 = System.nanoTime();
        int rounds = 300;
        for (int i = 0; i < rounds; i++) {
            d.findByName(name);
        }
        double us = (System.nanoTime() - t0) / 1000.0 / rounds;
        System.out.printf("inspect by name with %d volumes: %d gateway calls per inspect, %.0f µs per inspect (mean of %d after 300 warm-up calls)%n",
                count, gw.requestCount() / rounds, us, rounds);
    }

    private static void create(StorageDriver d, VolumeSpec spec, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String name = "vol-" + i;
                fs.add(pool.submit(() -> d.create(name, spec)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long usedHeap() {
        var m = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return m.getUsed();
    }
}
