package io.libstorage.localfs.internal;

import io.libstorage.api.HostId;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** This host's localfs identity: the configured {@code hostId}, else {@code /etc/machine-id}, else the host name. */
final class HostIdentity {
    private HostIdentity() {
    }

    static HostId resolve(Optional<String> configured) {
        return resolve(configured, Path.of("/etc/machine-id"), Path.of("/proc/sys/kernel/hostname"));
    }

    static HostId resolve(Optional<String> configured, Path machineId, Path hostnameFile) {
        if (configured.isPresent()) {
            return HostId.of(configured.get());
        }
        return firstLine(machineId).or(() -> firstLine(hostnameFile)).or(HostIdentity::inetHostName)
                .map(HostId::of).orElse(HostId.of("localhost"));
    }

    private static Optional<String> firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> inetHostName() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName()).filter(s -> !s.isBlank());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
