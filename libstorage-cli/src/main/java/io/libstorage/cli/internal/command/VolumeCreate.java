package io.libstorage.cli.internal.command;

import io.libstorage.api.AccessMode;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code volume create NAME [--size S] [--fstype T] ...}: idempotent with a compatible spec. */
@Command(name = "create", aliases = {"new"}, mixinStandardHelpOptions = true,
        description = "Create a volume (or return the existing one when its spec is compatible). Unset options come from libstorage.integration.volume.operations.create.default.*.")
final class VolumeCreate extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--size", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "size: a bare number is GiB (as REX-Ray), or 512MiB, 16GiB, 1GB")
    Long size;

    @Option(names = {"--fstype", "--fsType"}, paramLabel = "TYPE", description = "filesystem of the first format: ext4, xfs, btrfs")
    String fsType;

    @Option(names = "--access-mode", paramLabel = "MODE", converter = Converters.Access.class,
            description = "SINGLE_HOST_READ_WRITE (rwo, default), MULTI_HOST_READ_ONLY (rox), MULTI_HOST_CLUSTER (rwx)")
    AccessMode accessMode;

    @Option(names = "--preemption", paramLabel = "POLICY", converter = Converters.Preemption.class,
            description = "this volume's takeover policy, honoured by every host: NEVER, IF_OWNER_UNREACHABLE, ALWAYS "
                    + "(default: none of its own, the configured one applies)")
    PreemptionPolicy preemption;

    @Option(names = {"--type", "--volumetype"}, paramLabel = "TYPE", description = "back-end volume type (driver option 'type'; ScaleIO: storage pool)")
    String type;

    @Option(names = "--iops", paramLabel = "N", description = "IOPS (driver option 'iops')")
    Integer iops;

    @Option(names = "--availability-zone", paramLabel = "ZONE", description = "driver option 'availabilityZone' (ScaleIO: protection domain)")
    String availabilityZone;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "a label kept with the volume (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--driver-opt", paramLabel = "KEY=VALUE", description = "a driver option (repeatable; the driver rejects keys it does not know)")
    Map<String, String> driverOptions = new LinkedHashMap<>();

    @Option(names = "--mkfs-options", paramLabel = "ARGS", description = "extra mkfs arguments for the first format, e.g. --mkfs-options='-m 0'")
    String mkfsOptions;

    @Option(names = "--mount-options", paramLabel = "OPTS", split = ",", description = "mount options, comma-separated, e.g. noatime")
    List<String> mountOptions;

    @Option(names = "--from-snapshot", paramLabel = "SNAPSHOT_ID", description = "start with the content of this snapshot")
    String fromSnapshot;

    @Override
    String progressLabel() {
        return "create " + name;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        Volume v = storage.create(name, spec(storage.defaultSpec()));
        Map<String, Object> view = Views.volume(v);
        return new Result(view, new Table.Rows(Views.VOLUME_COLUMNS, List.of(Views.volumeRow(
                new io.libstorage.api.VolumeStatus(v, java.util.Optional.empty(), java.util.Set.of())))));
    }

    VolumeSpec spec(VolumeSpec defaults) {
        VolumeSpec.Builder b = defaults.toBuilder();
        if (size != null) {
            b.sizeBytes(size);
        }
        if (fsType != null) {
            b.fsType(fsType.toLowerCase(Locale.ROOT));
        }
        if (accessMode != null) {
            b.accessMode(accessMode);
        }
        if (preemption != null) {
            b.preemption(preemption);
        }
        if (type != null) {
            b.driverOption("type", type);
        }
        if (iops != null) {
            b.driverOption("iops", String.valueOf(iops));
        }
        if (availabilityZone != null) {
            b.driverOption("availabilityZone", availabilityZone);
        }
        labels.forEach(b::label);
        driverOptions.forEach(b::driverOption);
        if (mkfsOptions != null) {
            b.mkfsOptions(mkfsOptions.isBlank() ? List.of() : Arrays.asList(mkfsOptions.strip().split("\\s+")));
        }
        if (mountOptions != null) {
            b.mountOptions(mountOptions.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
        if (fromSnapshot != null) {
            b.sourceSnapshot(SnapshotId.of(fromSnapshot));
        }
        return b.build();
    }
}
