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
        description = "Remove volumes. A volume in use is refused unless --force (it is unmounted and detached first). A missing volume is success unless --strict.")
final class VolumeRemove extends VolumeVerb {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "remove even when attached or mounted")
    boolean force;

    @Option(names = "--strict", description = "fail (exit status 4) when a volume does not exist")
    boolean strict;

    @Override
    String progressLabel() {
        return "rm " + String.join(" ", names);
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        for (String name : names) {
            storage.remove(name, new RemoveOptions(force, strict));
        }
        return new Result(names, new Table.Lines(names));
    }
}
