package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code libstorage volume}: REX-Ray's volume verbs. */
@Command(name = "volume", aliases = {"volumes"}, mixinStandardHelpOptions = true,
        description = "Volume verbs (as REX-Ray's): ls, inspect, create, rm, attach, detach, mount, unmount, path, snapshot; and grow, reconcile.")
public final class VolumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(CliContext.of(spec).env().err());
        return ExitCode.USAGE;
    }
}
