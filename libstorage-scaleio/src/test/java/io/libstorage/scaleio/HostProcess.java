package io.libstorage.scaleio;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.StorageException;
import io.libstorage.core.LibStorage;
import io.libstorage.emulator.scaleio.SdcAgent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * One simulated host for the multi-host tests, run as its own JVM (usually in its own mount
 * namespace): it holds its SDC's connection to the emulator's MDM port (so SIGKILL makes the SDC
 * Disconnected, like a power loss) and drives a real {@link LibStorage} (scaleio + linux drivers)
 * from commands on stdin, one reply line per command:
 * <pre>
 * mount NAME CONSUMER POLICY   → OK path | ERR CODE message
 * write NAME FILE BYTES        → OK sha256 (random content, fsynced)
 * read NAME FILE               → OK sha256
 * unmount NAME CONSUMER        → OK
 * reconcile                    → OK dropped=… stale=…
 * exit
 * </pre>
 * Arguments: endpoint caPem guid deviceDir stateRoot mdmPort [ownerGracePeriod, "default" for the driver's]; the password comes from the
 * environment variable {@code SCALEIO_PASSWORD}, never from the command line.
 */
public final class HostProcess {
    private HostProcess() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String ca = args[1];
        String guid = args[2];
        String deviceDir = args[3];
        Path stateRoot = Path.of(args[4]);
        int mdmPort = Integer.parseInt(args[5]);
        String grace = args.length > 6 ? args[6] : "1s";
        LibStorage.Builder builder = LibStorage.builder()
                .storageDriver("scaleio")
                .storageOption("endpoint", endpoint)
                .storageOption("caCertificate", ca)
                .storageOption("userName", "admin")
                .storageOption("password", System.getenv("SCALEIO_PASSWORD"))
                .storageOption("systemName", "cluster1")
                .storageOption("protectionDomainName", "pd1")
                .storageOption("storagePoolName", "pool1")
                .storageOption("guid", guid)
                .storageOption("deviceDir", deviceDir)
                .storageOption("stateDir", stateRoot.resolve("scaleio").toString())
                .osDriver("linux")
                .stateRoot(stateRoot)
                .set("integration.volume.operations.create.default.size", "1");
        if (!grace.equals("default")) {
            builder.storageOption("ownerGracePeriod", grace);
        }
        try (SdcAgent sdc = SdcAgent.connect("127.0.0.1", mdmPort, guid);
             LibStorage storage = builder.build()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY " + storage.localHost());
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split(" ");
                if (w[0].equals("exit")) {
                    break;
                }
                System.out.println(execute(storage, w));
                System.out.flush();
            }
        }
    }

    private static String execute(LibStorage storage, String[] w) {
        try {
            switch (w[0]) {
                case "mount": {
                    MountedVolume m = storage.mount(w[1], ConsumerId.of(w[2]),
                            MountOptions.builder().preemption(PreemptionPolicy.valueOf(w[3])).build());
                    return "OK " + m.path();
                }
                case "write": {
                    Path file = storage.path(w[1]).orElseThrow().resolve(w[2]);
                    byte[] data = new byte[Integer.parseInt(w[3])];
                    new Random().nextBytes(data);
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(data));
                        ch.force(true);
                    }
                    return "OK " + sha256(data);
                }
                case "read":
                    return "OK " + sha256(Files.readAllBytes(storage.path(w[1]).orElseThrow().resolve(w[2])));
                case "unmount":
                    storage.unmount(w[1], ConsumerId.of(w[2]));
                    return "OK";
                case "reconcile": {
                    var r = storage.reconcile();
                    return "OK dropped=" + r.droppedConsumers() + " stale=" + r.staleMounts().size() + " problems=" + r.problems();
                }
                default:
                    return "ERR USAGE unknown command " + w[0];
            }
        } catch (StorageException e) {
            return "ERR " + e.code() + " " + e.getMessage().replace('\n', ' ');
        } catch (Exception e) {
            return "ERR " + e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
