package io.libstorage.cli.internal.command;

import io.libstorage.api.ErrorContext;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Progress;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A volume verb: opens the library (with a progress spinner for long verbs on a terminal), runs, closes
 * the library and prints the result. Library errors reach the command's error handler unchanged.
 */
abstract class VolumeVerb implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** What the spinner shows, e.g. {@code mount pgdata}; null for quick read-only verbs. */
    abstract String progressLabel();

    /** The work; the result is printed after the spinner is gone. */
    abstract Result run(LibStorage storage, CliContext ctx);

    /** The exit status after a successful {@link #run} (a verb may report a partial failure). */
    int status() {
        return ExitCode.OK;
    }

    @Override
    public final Integer call() {
        CliContext ctx = CliContext.of(spec);
        Result result;
        String label = progressLabel();
        try (Progress progress = label == null ? Progress.start(ctx.env().err(), false, "") : ctx.progress(label);
             LibStorage storage = ctx.open(progress, "warn")) {
            result = run(storage, ctx);
        }
        ctx.print(result);
        return status();
    }

    /** An error context for {@code operation} on {@code volume} with this host and back end. */
    static ErrorContext context(LibStorage storage, String operation, String volume) {
        String host;
        try {
            host = storage.localHost().value();
        } catch (RuntimeException e) {
            host = null;
        }
        return ErrorContext.of(operation, volume, host, storage.storage().name());
    }
}
