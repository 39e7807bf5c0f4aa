package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code libstorage service}. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "The long-running service: the Docker volume plugin (for dockerd, dvdcli and Mesos).")
public final class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(CliContext.of(spec).env().err());
        return ExitCode.USAGE;
    }
}
