package io.libstorage.cli.internal.command;

import io.libstorage.api.GrownVolume;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code volume grow NAME SIZE}: the storage, then its filesystem on this host; idempotent. */
@Command(name = "grow", aliases = {"extend"}, mixinStandardHelpOptions = true,
        description = "Grow a volume to at least SIZE (never shrink it), then its filesystem on this host: online where it is"
                + " mounted, offline where it is attached and not mounted. Not attached here: only the storage grows;"
                + " grow again where it is attached.")
final class VolumeGrow extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME", description = "the volume")
    String name;

    @Parameters(index = "1", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "the new size: a bare number is GiB (as REX-Ray), or 512MiB, 16GiB, 1GB")
    long size;

    @Override
    String progressLabel() {
        return "grow " + name;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        GrownVolume g = storage.grow(name, size);
        Map<String, Object> view = Views.volume(g.volume());
        view.put("filesystem", g.filesystem().name());
        return new Result(view, new Table.Fields(Views.fields(view)));
    }
}
