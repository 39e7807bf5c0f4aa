package io.libstorage.cli.internal.command;

import io.libstorage.api.Snapshot;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code volume snapshot NAME SNAPSHOT}: idempotent by snapshot name. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Take a snapshot of a volume (repeating it with the same snapshot name returns the same snapshot).")
final class VolumeSnapshot extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME", description = "the volume")
    String name;

    @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "the snapshot's name")
    String snapshotName;

    @Override
    String progressLabel() {
        return "snapshot " + name;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        Snapshot s = storage.snapshot(name, snapshotName);
        Map<String, Object> view = Views.snapshot(s);
        return new Result(view, new Table.Fields(Views.fields(view)));
    }
}
