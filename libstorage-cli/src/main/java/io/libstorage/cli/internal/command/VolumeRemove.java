package io.libstorage.cli.internal.command;

import io.libstorage.api.RemoveOptions;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code volume rm NAME... [--force] [--strict]}. */
@Command(name = "rm", aliases = {"remove"}, mixinStandardHelpOptions = true,
        description = "Remove volumes. A volume in use is refused unless --force: its consumers are dropped and it is unmounted and detached first, but never while a process still uses the mount (that fails naming the processes, and nothing changes) or while another host the back end reports connected has it. A missing volume is success unless --strict. Prints the names removed.")
final class VolumeRemove extends VolumeVerb {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "remove without asking even when attached or mounted here (never from under a process using it)")
    boolean force;

    @Option(names = "--strict", description = "fail (exit status 4) when a volume does not exist")
    boolean strict;

    @Override
    String progressLabel() {
        return "rm " + String.join(" ", names);
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        List<String> removed = eachName(names, name -> storage.remove(name, new RemoveOptions(force, strict)));
        return new Result(removed, new Table.Lines(removed));
    }
}
