package io.libstorage.spi;

import io.libstorage.api.BindState;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.MountEntry;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.UnsupportedFeatureException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Formats and mounts block devices on this host. The Linux implementation runs {@code blkid},
 * {@code mkfs.*}, {@code mount}, {@code umount} with argument lists and deadlines and reads
 * {@code /proc/self/mountinfo}.
 *
 * <p>Every method takes the {@link ErrorContext} of the calling operation so that its errors name
 * the volume, host and back end it was working for.
 *
 * <p><b>Safety.</b> {@link #format} formats only a device that {@link #probe} finds blank, unless
 * the request says {@code overwrite}. A probe that cannot read the device raises
 * {@link io.libstorage.api.DeviceIOException}; it never reports "blank".
 *
 * <p><b>Idempotency.</b> {@link #mount} of a target that already holds the same device succeeds
 * without a second mount; a target holding something else is an error naming it. {@link #unmount}
 * of a target that is not mounted succeeds.
 *
 * <p>It is also the {@link HostDevices} view storage drivers get: where a device is mounted and who
 * holds it. The mount table and {@code /proc} are read here and nowhere else.
 */
public interface OSDriver extends HostDevices, AutoCloseable {

    /** The driver's name, e.g. {@code linux}. */
    String name();

    /**
     * What the device holds.
     *
     * @throws io.libstorage.api.DeviceIOException when it cannot be read
     */
    ProbeResult probe(ErrorContext context, Path device);

    /**
     * Reads the start of the device (from the medium, past caches, where the OS can) to find whether it still
     * answers: a health check of a mounted volume's device, which needs no signature. The default probes.
     *
     * @throws io.libstorage.api.DeviceIOException when it cannot be read
     */
    default void checkReadable(ErrorContext context, Path device) {
        probe(context, device);
    }

    /**
     * The filesystem types {@link #format} can make on this host, e.g. {@code [ext4, xfs, btrfs]}
     * (Linux: those whose {@code mkfs.<type>} is installed). The integration driver creates a volume
     * only with one of them, and checks before anything is created. Read-only; the answer may change
     * when tools are installed or removed.
     */
    Set<String> supportedFilesystems();

    /**
     * Formats the device.
     *
     * @throws io.libstorage.api.RefusedToFormatException when it is not blank and {@code overwrite} is not set
     */
    void format(ErrorContext context, Path device, FormatOptions request);

    /** Mounts {@code device} (of type {@code fsType}) at {@code target}, creating the target directory. */
    void mount(ErrorContext context, Path device, Path target, String fsType, List<String> options);

    /**
     * Unmounts {@code target}. A busy mount raises {@link io.libstorage.api.VolumeInUseException}
     * listing the processes that hold it, unless {@code lazy} detaches it from the namespace anyway.
     */
    void unmount(ErrorContext context, Path target, boolean lazy);

    /** The current mount table. */
    List<MountEntry> mounts(ErrorContext context);

    /** The mount at exactly {@code target}, if any (the topmost when several are stacked). */
    default Optional<MountEntry> mountAt(ErrorContext context, Path target) {
        Path normalized = target.toAbsolutePath().normalize();
        MountEntry found = null;
        for (MountEntry e : mounts(context)) {
            if (e.mountPoint().equals(normalized)) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The device number ({@code major:minor}) of a block device, to compare with
     * {@link MountEntry#deviceNumber()}; empty when the device does not exist.
     */
    @Override
    Optional<String> deviceNumber(ErrorContext context, Path device);

    /**
     * What {@code target} holds with respect to {@code source} (a directory or a device node). Reads this host's
     * mount table each time: the kernel's table is the durable state, so a caller repeating a bind after a crash
     * finds what is already done.
     */
    BindState bindState(ErrorContext context, Path source, Path target);

    /**
     * Binds {@code source} (a directory or a device node) onto the existing {@code target}, read-only when asked.
     * Idempotent: a target that holds the source already is left as it is, except that a read-write bind is made
     * read-only when {@code readOnly} asks for it.
     */
    void bind(ErrorContext context, Path source, Path target, boolean readOnly);

    /** Removes every mount stacked at {@code target}; a target with nothing mounted is success. */
    void unbind(ErrorContext context, Path target);

    /** Whether anything (a filesystem or a bind) is mounted at {@code target}. */
    default boolean mountedAt(ErrorContext context, Path target) {
        return mountAt(context, target).isPresent();
    }

    /** The entries of {@link #mounts} of the device {@code major:minor}. */
    @Override
    default List<MountEntry> mountsOf(ErrorContext context, String deviceNumber) {
        return mounts(context).stream().filter(e -> e.deviceNumber().equals(deviceNumber)).toList();
    }

    /** Nobody identifiable by default; the Linux driver scans {@code /proc}. */
    @Override
    default List<ProcessHolder> holdersOf(ErrorContext context, String deviceNumber) {
        return List.of();
    }

    /**
     * An identifier of the current boot of this host (Linux: {@code /proc/sys/kernel/random/boot_id}).
     * Durable records written under another boot describe mounts that no longer exist.
     */
    String bootId();

    /**
     * Grows the filesystem {@code fsType} on {@code device} to fill the device: online when
     * {@code mountPoint} is where it is mounted, offline when {@code mountPoint} is {@code null} (the
     * caller makes sure nothing mounts it meanwhile). A filesystem that already fills its device is
     * left as it is. Refused, naming the way that works, where the filesystem cannot grow that way
     * (Linux: xfs and btrfs grow only mounted; a mounted ext4 needs {@code CAP_SYS_RESOURCE}).
     */
    default void growFilesystem(ErrorContext context, Path device, @Nullable Path mountPoint, String fsType) {
        throw new UnsupportedFeatureException(context, Feature.GROW);
    }

    /**
     * Freezes the filesystem mounted at {@code mountPoint}: pending writes reach the device and new
     * ones wait until {@link #thaw}. Callers thaw in a {@code finally} and leave a durable note first,
     * so that a crash in between is thawed later (writers would wait forever).
     */
    default void freeze(ErrorContext context, Path mountPoint) {
        throw new UnsupportedFeatureException(context.withOperation(context.operation() + " (freezing " + mountPoint + ")"),
                Feature.SNAPSHOTS);
    }

    /** Thaws a filesystem frozen by {@link #freeze}; one that is not frozen is left as it is. */
    default void thaw(ErrorContext context, Path mountPoint) {
        throw new UnsupportedFeatureException(context.withOperation(context.operation() + " (thawing " + mountPoint + ")"),
                Feature.SNAPSHOTS);
    }

    @Override
    default void close() {
    }
}
