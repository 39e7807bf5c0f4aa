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
        description = "Detach volumes from this host. Refused while mounted or held by consumers unless --force: the consumers are dropped and the mount removed first, but never while a process still uses it (that fails naming the processes, and nothing changes). Prints the names detached.")
final class VolumeDetach extends VolumeVerb {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "detach without asking even when mounted or held (the mount is removed first; never from under a process using it)")
    boolean force;

    @Override
    String progressLabel() {
        return "detach " + String.join(" ", names);
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        List<String> detached = eachName(names, name -> storage.detach(name, force ? DetachOptions.FORCE : DetachOptions.DEFAULT));
        return new Result(detached, new Table.Lines(detached));
    }
}
