package io.libstorage.cli.internal.command;

import io.libstorage.api.DetachOptions;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code volume detach NAME... [--force]}. */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = "Detach volumes from this host. Refused while mounted or held by consumers unless --force.")
final class VolumeDetach extends VolumeVerb {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "detach even when mounted or held (the mount is removed first)")
    boolean force;

    @Override
    String progressLabel() {
        return "detach " + String.join(" ", names);
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        for (String name : names) {
            storage.detach(name, force ? DetachOptions.FORCE : DetachOptions.DEFAULT);
        }
        return new Result(names, new Table.Lines(names));
    }
}
