package io.libstorage.cli.internal.command;

import io.libstorage.api.VolumeStatus;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code volume ls [NAME...]}. */
@Command(name = "ls", aliases = {"list", "get"}, mixinStandardHelpOptions = true,
        description = "List the back end's volumes with their state on this host (only the named ones, if given).")
final class VolumeLs extends VolumeVerb {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "volume names to show (exact)")
    List<String> names = List.of();

    @Override
    String progressLabel() {
        return null;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        List<VolumeStatus> volumes = storage.list().stream()
                .filter(s -> names.isEmpty() || names.contains(s.volume().name()))
                .sorted(java.util.Comparator.comparing(s -> s.volume().name()))
                .toList();
        // the table has no room for it; a volume whose state here is damaged is named on stderr
        volumes.forEach(s -> s.problem().ifPresent(p -> ctx.env().err().println("libstorage: volume '" + s.volume().name() + "': " + p)));
        List<Map<String, Object>> data = volumes.stream().map(Views::volume).toList();
        return new Result(data, new Table.Rows(Views.VOLUME_COLUMNS, volumes.stream().map(Views::volumeRow).toList()));
    }
}
