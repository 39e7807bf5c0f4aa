package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.libstorage.api.AccessMode;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names and facts the gateway cannot hold. The gateway allows 31 characters per name: a longer
 * user name is mapped to {@code ls-} and 28 base32 characters of its SHA-256 (deterministic and,
 * with 140 bits, collision-free in practice), so exact lookups work from any host; user names of
 * that shape are reserved. Snapshots are named {@code lss-} plus a hash of (volume id, snapshot
 * name), because the gateway's names are unique system-wide. What the gateway has no field for
 * (the user's long name, the size in bytes, filesystem and options requested at create, labels,
 * access mode) is
 * kept in one small file per volume under {@code stateDir}, written atomically. That file is this host's only: other
 * hosts learn these facts from the record the integration layer keeps inside the volume, and until then
 * {@link GatewayVolumes#view} lists what it shows as placeholders in {@code Volume.UNKNOWN_FIELD}.
 */
final class NameRegistry {
    static final int GATEWAY_NAME_LIMIT = 31;
    private static final Pattern HASHED = Pattern.compile("lss?-[a-z2-7]{27,28}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /** What is remembered about one gateway name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String name, Long requestedSizeBytes, String fsType, List<String> mkfsOptions, List<String> mountOptions,
                 AccessMode accessMode, Map<String, String> labels) {
        static Entry nameOnly(String name) {
            return new Entry(name, null, null, List.of(), List.of(), null, Map.of());
        }
    }

    private final Path dir;

    NameRegistry(Path stateDir) {
        this.dir = stateDir.resolve("names");
    }

    /** The gateway's name for a user's volume name. */
    static String gatewayName(String userName) {
        return userName.length() <= GATEWAY_NAME_LIMIT ? userName : "ls-" + hash(userName, 28);
    }

    /** The gateway's name for a snapshot of a volume. */
    static String snapshotGatewayName(String volumeId, String snapshotName) {
        return "lss-" + hash(volumeId + "/" + snapshotName, 27);
    }

    /** Whether a gateway name is a hashed one ({@code ls-}/{@code lss-} + hash), which is not the user's name. */
    static boolean isHashedName(String gatewayName) {
        return gatewayName != null && HASHED.matcher(gatewayName).matches();
    }

    static boolean isSnapshotName(String gatewayName) {
        return gatewayName != null && gatewayName.startsWith("lss-") && HASHED.matcher(gatewayName).matches();
    }

    /** Rejects user names that could collide with generated ones. */
    static void requireNotReserved(String userName, ErrorContext ctx) {
        if (HASHED.matcher(userName).matches()) {
            throw InvalidRequestException.invalidVolumeName(ctx, "'" + userName + "' has the shape of a generated gateway name (ls-/lss- + hash); "
                    + "it is reserved so that long names can never collide with it");
        }
    }

    private static String hash(String s, int chars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            int buffer = 0;
            int bits = 0;
            for (byte d : digest) {
                buffer = (buffer << 8) | (d & 0xff);
                bits += 8;
                while (bits >= 5 && b.length() < chars) {
                    b.append(BASE32[(buffer >> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void remember(String gatewayName, Entry entry, ErrorContext ctx) {
        Path f = dir.resolve(gatewayName + ".json");
        try {
            if (Files.exists(f) && GatewayResponse.Json.MAPPER.readValue(Files.readAllBytes(f), Entry.class).equals(entry)) {
                return;
            }
            AtomicFiles.write(f, GatewayResponse.Json.MAPPER.writeValueAsBytes(entry));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    Optional<Entry> lookup(String gatewayName) {
        if (gatewayName == null) {
            return Optional.empty();
        }
        Path f = dir.resolve(gatewayName + ".json");
        try {
            return Optional.of(GatewayResponse.Json.MAPPER.readValue(Files.readAllBytes(f), Entry.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void forget(String gatewayName) {
        if (gatewayName == null) {
            return;
        }
        try {
            AtomicFiles.delete(dir.resolve(gatewayName + ".json"));
        } catch (IOException e) {
            // a stale note only affects how a future volume of the same gateway name is shown
        }
    }

    /**
     * Deletes the temporary files that writes killed mid-way left in the registry: its writers take
     * no lock, so only files older than any write can take ({@code age}) are taken for dead.
     *
     * @return the files deleted
     */
    List<Path> deleteLeftovers(Instant now, Duration age) throws IOException {
        return AtomicFiles.deleteTemporariesOlderThan(dir, now.minus(age));
    }

    Path directory() {
        return dir;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
