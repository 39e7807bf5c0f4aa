package io.libstorage.examples.mesos;

import io.libstorage.api.ReconcileReport;
import io.libstorage.core.LibStorage;
import io.libstorage.examples.SimulatedHosts;
import io.libstorage.inmemory.InMemoryCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link VolumeExecutor} through an executor's life on one simulated agent: two tasks share a volume,
 * the executor crashes, its replacement reconciles with the one task that is still running (the other
 * died meanwhile), and the last task's end releases the volume.
 */
public final class MesosExecutorStory {
    private MesosExecutorStory() {
    }

    public static void main(String[] args) throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            LibStorage first = SimulatedHosts.libStorage(cluster, "agent-1");
            VolumeExecutor executor = new VolumeExecutor(first);
            List<TaskVolume> volumes = List.of(new TaskVolume("web-content", "/srv/www", Map.of("size", "1"), false));

            Map<String, Path> t1 = executor.launch("web.task-1", volumes);
            Files.writeString(t1.get("/srv/www").resolve("index.html"), "<h1>hello</h1>\n");
            Map<String, Path> t2 = executor.launch("web.task-2", volumes);
            System.out.println("task-1 and task-2 share " + t1.get("/srv/www") + ": " + t1.equals(t2));

            // the executor process dies (no cleanup); task-1 dies with it, task-2 keeps running
            LibStorage second = SimulatedHosts.libStorage(cluster, "agent-1");
            VolumeExecutor restarted = new VolumeExecutor(second);
            ReconcileReport report = restarted.recover(Set.of("web.task-2"));
            System.out.println("after the restart, reconcile released the holds of " + report.droppedConsumers());
            System.out.println("still mounted for task-2: " + second.path("web-content").isPresent()
                    + ", content " + Files.readString(t2.get("/srv/www").resolve("index.html")).strip());

            System.out.println("task-2 ended; released " + restarted.finish("web.task-2"));
            System.out.println("mounted now: " + second.path("web-content").isPresent()
                    + ", attached to " + cluster.mappingsOf("web-content"));
        }
    }
}
