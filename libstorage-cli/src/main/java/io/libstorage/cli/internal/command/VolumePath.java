package io.libstorage.cli.internal.command;

import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code volume path NAME}: the mount path on this host, or nothing when it is not mounted here. */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Print the path of a volume mounted on this host (nothing when it is not mounted here). A missing volume is an error (exit status 4).")
final class VolumePath extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    String progressLabel() {
        return null;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        Optional<Path> path = storage.path(name);
        if (path.isEmpty() && storage.inspect(name).isEmpty()) {
            throw new VolumeNotFoundException(storage.errorContext("path", name), "no volume has this name");
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("mounted", path.isPresent());
        view.put("path", path.map(Path::toString).orElse(null));
        return new Result(view, new Table.Lines(path.map(p -> List.of(p.toString())).orElse(List.of())));
    }
}
