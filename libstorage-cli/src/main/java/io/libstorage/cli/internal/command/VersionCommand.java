package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Version;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code libstorage version}: reads no configuration and creates no driver. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of the library and of Java.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("version", Version.get());
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        ctx.print(new Result(v, new Table.Fields(v)));
        return ExitCode.OK;
    }
}
