package io.libstorage.examples;

import io.libstorage.core.LibStorage;
import io.libstorage.emulator.vbox.MachineSpec;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import io.libstorage.spi.support.FileTrees;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's steps on the {@code virtualbox} driver (REX-Ray's home-lab path), with the VirtualBox web service
 * emulator standing in for a host running {@code vboxwebsrv}: this machine plays the guest VM {@code demo-guest},
 * whose hot-plugged disks appear as real loop devices behind {@code ata-VBOX_HARDDISK_VB…} links. Run:
 * {@code ./mvnw -q -DskipTests -Pdemo-virtualbox verify}. Without root it says why and runs the in-memory demo.
 */
public final class VirtualBoxDemo {
    private VirtualBoxDemo() {
    }

    public static void main(String[] args) throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || !Files.exists(Path.of("/dev/loop-control"))) {
            System.out.println("the emulated guest's disks are loop devices, which need root and /dev/loop-control");
            LocalDemo.main(args);
            return;
        }
        Path host = Files.createTempDirectory("libstorage-vbox-demo-");
        try (VboxWebServiceEmulator vbox = VboxWebServiceEmulator.builder().dataDir(host.resolve("host")).dataPath(true)
                .machine(MachineSpec.named("demo-guest").withDiskIdPath(host.resolve("guest/by-id"))
                        .withScsiHostPath(host.resolve("guest/scsi_host")))
                .start()) {
            Path volumes = Files.createDirectories(host.resolve("host/volumes"));
            System.out.printf("VirtualBox web service (emulated) at %s, volumes in %s%n", vbox.endpoint(), volumes);
            LocalDemo.backend = work -> LibStorage.builder().stateRoot(work.resolve("state")).storageDriver("virtualbox")
                    .storageOption("endpoint", vbox.endpoint().toString())
                    .storageOption("volumePath", volumes.toString())
                    .storageOption("localMachineNameOrId", "demo-guest")
                    .storageOption("diskIDPath", host.resolve("guest/by-id").toString())
                    .storageOption("scsiHostPath", host.resolve("guest/scsi_host") + "/")
                    .build();
            LocalDemo.main(args);
        } finally {
            LocalDemo.backend = null;
            FileTrees.deleteTree(host);
        }
    }
}
