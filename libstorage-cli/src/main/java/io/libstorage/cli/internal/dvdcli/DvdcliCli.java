package io.libstorage.cli.internal.dvdcli;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Errors;
import picocli.CommandLine;

/**
 * Runs a dvdcli command line (the program invoked as {@code dvdcli}): exit status 0 on success and 1 on
 * any failure, usage errors (an unknown flag, a malformed {@code --volumeopts} item) included.
 */
public final class DvdcliCli {
    private DvdcliCli() {
    }

    public static int run(CliEnvironment env, String... args) {
        CliContext ctx = new CliContext(env);
        CommandLine cl = new CommandLine(new DvdcliCommand(ctx));
        configure(cl, ctx);
        return cl.execute(args);
    }

    /** The dvdcli error handling, for the root {@code dvdcli} command and for {@code libstorage dvdcli}. */
    public static void configure(CommandLine cl, CliContext ctx) {
        CliEnvironment env = ctx.env();
        cl.setOut(new java.io.PrintWriter(env.out(), true));
        cl.setErr(new java.io.PrintWriter(env.err(), true));
        cl.setParameterExceptionHandler((ex, args) -> usageError(env, ex.getMessage()));
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> handle(ctx, ex));
    }

    /** A failure of a dvdcli verb: one line on standard error, exit status 1. */
    public static int handle(CliContext ctx, Exception ex) {
        if (ex instanceof UsageException u) {
            return usageError(ctx.env(), u.getMessage());
        }
        Errors.report(ctx.env().err(), ctx.env().programName(), ex, ctx.verbose());
        return ExitCode.FAILED;
    }

    /** A usage error: one line on standard error, exit status 1. */
    public static int usageError(CliEnvironment env, String message) {
        env.err().println(env.programName() + ": " + Errors.oneLine(message) + " (usage: " + env.programName()
                + " mount|unmount|path|create|remove|get|list|version --volumedriver=D --volumename=N [--volumeopts=k=v ...]"
                + " [--explicitcreate])");
        env.err().flush();
        return ExitCode.FAILED;
    }

    /** A command-line mistake found after parsing (a missing flag, a malformed option item). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
