package io.libstorage.cli.internal.command;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code volume mount NAME [--consumer C] [--preempt P] ...}: attach, format if blank, mount; idempotent. */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Mount a volume on this host for a consumer: create it if missing (unless --no-create), attach (pre-empting only as --preempt allows), wait for the device, format it only if it is blank, mount. Repeating it returns the same path; the volume stays mounted until its last consumer unmounts.")
final class VolumeMount extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--consumer", paramLabel = "ID",
            description = "who holds the mount (a task id, an application); default: the anonymous consumer shared with dvdcli")
    String consumer;

    @Option(names = "--preempt", paramLabel = "POLICY", converter = Converters.Preemption.class,
            description = "when another host holds it: NEVER, IF_OWNER_UNREACHABLE, ALWAYS (default: configured, else NEVER)")
    PreemptionPolicy preempt;

    @Option(names = "--dead-owner", paramLabel = "HOST", description = "a host you know is gone (evidence for IF_OWNER_UNREACHABLE; repeatable)")
    List<String> deadOwners = List.of();

    @Option(names = {"--fstype", "--fsType"}, paramLabel = "TYPE",
            description = "the filesystem expected (another one on the device is an error); also used for an implicit create")
    String fsType;

    @Option(names = "--create", negatable = true, description = "create the volume when it is missing (default: configured, else yes)")
    Boolean create;

    @Option(names = "--size", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "size of an implicit create: a bare number is GiB, or 512MiB, 16GiB")
    Long size;

    @Option(names = "--no-format", description = "never format, even a blank device")
    boolean noFormat;

    @Option(names = "--read-only", description = "mount read-only")
    boolean readOnly;

    @Option(names = "--mount-option", paramLabel = "OPT", description = "an extra mount option for this mount (repeatable)")
    List<String> mountOptions = List.of();

    @Option(names = "--overwrite", paramLabel = "VOLUME_ID",
            description = "format even over an existing signature, but only if the volume has this id (destroys its data)")
    String overwrite;

    @Override
    String progressLabel() {
        return "mount " + name;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        MountOptions.Builder r = MountOptions.builder();
        if (create != null) {
            r.createIfMissing(create);
        }
        if (preempt != null) {
            r.preemption(preempt);
        }
        deadOwners.forEach(h -> r.declareOwnerDead(HostId.of(h)));
        if (fsType != null) {
            r.fsType(fsType.toLowerCase(Locale.ROOT));
        }
        if (size != null) {
            VolumeSpec.Builder spec = storage.defaultSpec().toBuilder().sizeBytes(size);
            if (fsType != null) {
                spec.fsType(fsType.toLowerCase(Locale.ROOT));
            }
            r.createSpec(spec.build());
        }
        r.allowFormat(!noFormat).readOnly(readOnly);
        mountOptions.forEach(r::mountOption);
        if (overwrite != null) {
            r.overwrite(VolumeId.of(overwrite));
        }
        MountedVolume mv = storage.mount(name, ConsumerId.ofNullable(consumer), r.build());
        Map<String, Object> view = Views.mounted(mv);
        return new Result(view, new Table.Fields(Views.fields(view)));
    }
}
