package io.libstorage.cli.internal.command;

import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeStatus;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code volume inspect NAME...}: every detail; a missing name is an error (exit status 4). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show volumes in detail. Always a list in JSON/YAML. A missing volume is an error (exit status 4).")
final class VolumeInspect extends VolumeVerb {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "volume names")
    List<String> names;

    @Override
    String progressLabel() {
        return null;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (String name : names) {
            Optional<VolumeStatus> s = storage.inspect(name);
            if (s.isEmpty()) {
                throw new VolumeNotFoundException(storage.errorContext("inspect", name), "no volume has this name");
            }
            found.add(Views.volume(s.get()));
        }
        List<Table> sections = found.stream().<Table>map(v -> new Table.Fields(Views.fields(v))).toList();
        return new Result(found, new Table.Sections(sections));
    }
}
