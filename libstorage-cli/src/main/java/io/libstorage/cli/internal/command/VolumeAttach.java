package io.libstorage.cli.internal.command;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.HostId;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code volume attach NAME [--preempt P] [--dead-owner HOST...]}. */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Attach a volume to this host (no format, no mount).")
final class VolumeAttach extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--preempt", paramLabel = "POLICY", converter = Converters.Preemption.class, defaultValue = "NEVER",
            description = "when another host holds it: NEVER (default), IF_OWNER_UNREACHABLE (on the back end's evidence), ALWAYS")
    PreemptionPolicy preempt;

    @Option(names = "--dead-owner", paramLabel = "HOST", description = "a host you know is gone (evidence for IF_OWNER_UNREACHABLE; repeatable)")
    List<String> deadOwners = List.of();

    @Override
    String progressLabel() {
        return "attach " + name;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        Set<HostId> dead = deadOwners.stream().map(HostId::of).collect(Collectors.toSet());
        Attachment a = storage.attach(name, new AttachOptions(preempt, dead));
        Map<String, Object> view = Views.attachment(name, a);
        return new Result(view, new Table.Fields(Views.fields(view)));
    }
}
