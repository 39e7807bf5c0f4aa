package io.libstorage.cli.internal.command;

import io.libstorage.api.ConsumerId;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code volume unmount NAME [--consumer C]}: the last consumer out unmounts and detaches. */
@Command(name = "unmount", aliases = {"umount"}, mixinStandardHelpOptions = true,
        description = "Release a consumer's hold on a volume; the last one out unmounts and detaches. A consumer that holds nothing, or a volume that is not mounted, is success.")
final class VolumeUnmount extends VolumeVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--consumer", paramLabel = "ID", description = "the consumer to release (default: the anonymous one)")
    String consumer;

    @Override
    String progressLabel() {
        return "unmount " + name;
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        storage.unmount(name, ConsumerId.ofNullable(consumer));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        var still = storage.path(name);
        view.put("mounted", still.isPresent());
        view.put("path", still.map(Path::toString).orElse(null));
        view.put("consumers", storage.inspect(name).map(s -> Views.consumers(s.consumers())).orElse(java.util.List.of()));
        return new Result(view, new Table.Fields(Views.fields(view)));
    }
}
