package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleAndConcurrencyTest {
    private ScaleIoGatewayEmulator gw;
    private GatewayClient client;
    private String pool;
    private ExecutorService threads;

    @BeforeEach
    void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        pool = client.poolId("pool1");
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        gw.close();
    }

    private <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        List<T> out = new ArrayList<>();
        for (Future<T> f : threads.invokeAll(tasks, 5, TimeUnit.MINUTES)) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void tenThousandVolumesAreListedCompletely() throws Exception {
        int total = 10_000;
        int workers = 8;
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            tasks.add(() -> {
                GatewayClient c = new GatewayClient(gw).login("admin", "Scaleio123");
                int created = 0;
                for (int i = worker; i < total; i += workers) {
                    c.createVolume("bulk-" + i, 8, pool);
                    created++;
                }
                return created;
            });
        }
        assertThat(runAll(tasks).stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);

        Answer list = client.get("/api/types/Volume/instances");
        assertThat(list.status()).isEqualTo(200);
        Set<String> names = new HashSet<>();
        int objects = 0;
        try (JsonParser p = GatewayClient.JSON.getFactory().createParser(list.body())) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                objects++;
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String field = p.currentName();
                    p.nextToken();
                    if ("name".equals(field)) {
                        names.add(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        assertThat(objects).isEqualTo(total);
        assertThat(names).hasSize(total).contains("bulk-0", "bulk-9999");
        assertThat(client.get("/api/instances/StoragePool::" + pool + "/relationships/Volume").json()).hasSize(total);
        assertThat(client.post("/api/types/Volume/instances/action/queryIdByKey", Map.of("name", "bulk-4711")).status()).isEqualTo(200);
    }

    @Test
    void concurrentCreatesOfDistinctNamesAllSucceed() throws Exception {
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String name = "distinct-" + i;
            tasks.add(() -> client.createVolume(name, 8, pool));
        }
        List<String> ids = runAll(tasks);
        assertThat(new HashSet<>(ids)).hasSize(64);
    }

    @Test
    void concurrentCreatesOfOneNameYieldExactlyOneVolume() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Answer>> tasks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tasks.add(() -> {
                go.await();
                return client.post("/api/types/Volume/instances", Map.of("name", "contended", "volumeSizeInKb", "8", "storagePoolId", pool));
            });
        }
        List<Future<Answer>> futures = new ArrayList<>();
        for (Callable<Answer> t : tasks) {
            futures.add(threads.submit(t));
        }
        go.countDown();
        int ok = 0;
        int inUse = 0;
        for (Future<Answer> f : futures) {
            Answer a = f.get(2, TimeUnit.MINUTES);
            if (a.status() == 200) {
                ok++;
            } else if (a.status() == 500 && a.json().get("errorCode").asInt() == 99) {
                inUse++;
            }
        }
        assertThat(ok).isEqualTo(1);
        assertThat(inUse).isEqualTo(31);
        long named = 0;
        for (var v : client.get("/api/types/Volume/instances").json()) {
            if ("contended".equals(v.get("name").asText())) {
                named++;
            }
        }
        assertThat(named).isEqualTo(1);
    }

    @Test
    void concurrentMapsOfOneVolumeToTwoHostsLetOnlyOneWin() throws Exception {
        String a = "7E012974-3651-4DCB-9954-25975A3C3CDF";
        String b = "9E56672F-2F4B-4A42-BFF4-88B6846FBFDA";
        gw.registerSdc(SdcSpec.of(a, "10.0.0.5"));
        gw.registerSdc(SdcSpec.of(b, "10.0.0.6"));
        for (int round = 0; round < 20; round++) {
            String vol = client.createVolume("race-" + round, 8, pool);
            List<Callable<Integer>> tasks = List.of(
                    () -> client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", a)).status(),
                    () -> client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", b)).status());
            List<Integer> statuses = runAll(tasks);
            assertThat(statuses).containsExactlyInAnyOrder(200, 500);
            assertThat(client.volume(vol).get("mappedSdcInfo")).hasSize(1);
        }
    }
}
