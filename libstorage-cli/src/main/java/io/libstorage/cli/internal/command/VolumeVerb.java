package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Errors;
import io.libstorage.cli.internal.Progress;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

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

    /** Failures of single names in a verb over several names, reported after its result. */
    private final List<RuntimeException> failures = new ArrayList<>();

    /** The exit status after a successful {@link #run} (a verb may report a partial failure). */
    int status() {
        return failures.isEmpty() ? ExitCode.OK : Errors.exitCode(failures.get(0));
    }

    /**
     * Applies {@code operation} to each name and returns the names it succeeded for, so that the
     * output lists exactly what was done. With one name its failure is the verb's; with several, each
     * failure is reported on its own line after the output and the exit status is the first one's.
     */
    List<String> eachName(List<String> names, Consumer<String> operation) {
        List<String> done = new ArrayList<>();
        for (String name : names) {
            try {
                operation.accept(name);
                done.add(name);
            } catch (RuntimeException e) {
                if (names.size() == 1) {
                    throw e;
                }
                failures.add(e);
            }
        }
        return done;
    }

    @Override
    public final Integer call() {
        return execute(CliContext.of(spec));
    }

    /** Runs the verb in {@code ctx} and prints its result; the exit status. */
    final int execute(CliContext ctx) {
        Result result;
        String label = progressLabel();
        try (Progress progress = label == null ? Progress.start(ctx.env().err(), false, "") : ctx.progress(label)) {
            LibStorage storage = ctx.open(progress, "warn");
            try {
                result = run(storage, ctx);
            } finally {
                if (!ctx.sharesStorage()) {
                    storage.close();
                }
            }
        }
        ctx.print(result);
        failures.forEach(e -> Errors.report(ctx.env().err(), ctx.env().programName(), e, ctx.verbose()));
        return status();
    }
}
