package io.libstorage.scaleio.internal;

import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The gateway ids of volumes this host created or looked up, by gateway name, one small file each under
 * {@code <stateDir>/ids}: a lookup by name then costs one call (GET of the id) instead of two (queryIdByKey, GET).
 * A hint only: the caller checks that the object read under the id still has the name, and asks the gateway by name
 * when it does not or is gone (removed, or removed and created again by another host).
 */
final class VolumeIds {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeIds.class);

    private final Path dir;

    VolumeIds(Path stateDir) {
        this.dir = stateDir.resolve("ids");
    }

    Optional<String> lookup(String gatewayName) {
        try {
            String id = Files.readString(dir.resolve(gatewayName), StandardCharsets.UTF_8).strip();
            return id.matches("[0-9a-fA-F]{1,32}") ? Optional.of(id) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void remember(String gatewayName, String id) {
        if (lookup(gatewayName).filter(id::equals).isPresent()) {
            return;
        }
        try {
            AtomicFiles.write(dir.resolve(gatewayName), id.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("cannot keep the id of {} in {}: {}", gatewayName, dir, e.toString());
        }
    }

    void forget(String gatewayName) {
        try {
            AtomicFiles.delete(dir.resolve(gatewayName));
        } catch (IOException e) {
            LOG.debug("cannot delete the kept id of {} in {}: {}", gatewayName, dir, e.toString());
        }
    }

    Path directory() {
        return dir;
    }
}
