package io.libstorage.core.internal.state;

import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * This host's durable knowledge of one volume: who holds it (a set, never a counter), where it is
 * mounted and from which device, and the call in progress if any.
 *
 * @param format the version of this file's shape ({@link #FORMAT}; 0 for files written before it was recorded, read as 1)
 * @param name the volume name (also the file name)
 * @param volume the last known back-end view, or {@code null} before the volume was resolved
 * @param consumers committed consumers ("" is the anonymous consumer)
 * @param attachToken the back end's token of the attachment to this host, or {@code null}
 * @param device the local device it was mounted from, or {@code null}
 * @param mountPoint where the filesystem root is mounted, or {@code null}
 * @param fsType the filesystem on the device, or {@code null}
 * @param intent the call in progress, or {@code null}
 * @param bootId the kernel boot id when the record was written; consumers of another boot are gone
 * @param updatedAt last write
 */
public record VolumeRecord(int format, String name, StoredVolume volume, Set<String> consumers, String attachToken, String device, String mountPoint,
                           String fsType, Intent intent, String bootId, Instant updatedAt) {

    /** The shape this version writes and the newest it reads. */
    public static final int FORMAT = 1;

    public VolumeRecord {
        // sorted, so that the file lists them in one order whichever host wrote it
        consumers = Collections.unmodifiableSortedSet(new TreeSet<>(consumers == null ? Set.of() : consumers));
    }

    public static VolumeRecord empty(String name, String bootId, Instant now) {
        return new VolumeRecord(FORMAT, name, null, Set.of(), null, null, null, null, null, bootId, now);
    }

    public VolumeRecord withVolume(StoredVolume v) {
        return new VolumeRecord(FORMAT, name, v, consumers, attachToken, device, mountPoint, fsType, intent, bootId, updatedAt);
    }

    public VolumeRecord withConsumers(Set<String> newConsumers) {
        return new VolumeRecord(FORMAT, name, volume, newConsumers, attachToken, device, mountPoint, fsType, intent, bootId, updatedAt);
    }

    public VolumeRecord withConsumer(String consumer) {
        Set<String> s = new TreeSet<>(consumers);
        s.add(consumer);
        return withConsumers(s);
    }

    public VolumeRecord withoutConsumer(String consumer) {
        Set<String> s = new TreeSet<>(consumers);
        s.remove(consumer);
        return withConsumers(s);
    }

    public VolumeRecord withMount(String newDevice, String newMountPoint, String newFsType) {
        return new VolumeRecord(FORMAT, name, volume, consumers, attachToken, newDevice, newMountPoint, newFsType, intent, bootId, updatedAt);
    }

    public VolumeRecord withAttachToken(String token) {
        return new VolumeRecord(FORMAT, name, volume, consumers, token, device, mountPoint, fsType, intent, bootId, updatedAt);
    }

    /** Whether the record says nothing: no consumers, no mount, no call in progress. */
    public boolean isIdle() {
        return consumers.isEmpty() && mountPoint == null && intent == null;
    }

    public VolumeRecord withIntent(Intent newIntent) {
        return new VolumeRecord(FORMAT, name, volume, consumers, attachToken, device, mountPoint, fsType, newIntent, bootId, updatedAt);
    }

    public VolumeRecord stamped(String newBootId, Instant now) {
        return new VolumeRecord(FORMAT, name, volume, consumers, attachToken, device, mountPoint, fsType, intent, newBootId, now);
    }
}
