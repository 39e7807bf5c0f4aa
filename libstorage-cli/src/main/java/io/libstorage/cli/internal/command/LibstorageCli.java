package io.libstorage.cli.internal.command;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Errors;
import io.libstorage.cli.internal.dvdcli.DvdcliCli;
import io.libstorage.cli.internal.dvdcli.DvdcliCommand;
import picocli.CommandLine;

import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the {@code libstorage} command line: parse with picocli, execute, map failures to exit statuses. */
public final class LibstorageCli {
    private LibstorageCli() {
    }

    public static int run(CliEnvironment env, String... args) {
        return run(() -> new CliContext(env), args);
    }

    /**
     * As {@link #run(CliEnvironment, String...)} with the volume verbs on {@code storage}, which stays open (the service's
     * thin clients); their plain forms run without the parser ({@link PlainVolumeQuery}), with the same result.
     */
    public static int runSharing(CliEnvironment env, io.libstorage.core.LibStorage storage, String... args) {
        int plain = PlainVolumeQuery.run(env, storage, args);
        if (plain != Integer.MIN_VALUE) {
            return plain;
        }
        return runSharingParsed(env, storage, args);
    }

    /** As {@link #runSharing} always through the parser (what {@link PlainVolumeQuery} must match). */
    static int runSharingParsed(CliEnvironment env, io.libstorage.core.LibStorage storage, String... args) {
        return run(() -> CliContext.sharing(env, storage), args);
    }

    /** A verb's failure as the command reports it: one line (a stack trace when verbose) and its exit status. */
    static int failed(CliEnvironment env, CliContext ctx, Exception e) {
        Errors.report(env.err(), env.programName(), e, ctx.verbose());
        return Errors.exitCode(e);
    }

    private static int run(java.util.function.Supplier<CliContext> contexts, String... args) {
        AtomicBoolean rebuild = new AtomicBoolean();
        int status = commandLine(contexts.get(), args, false, rebuild).execute(args);
        if (rebuild.get()) {
            // parsing selected a placeholder verb: nothing ran; parse again with every verb built
            status = commandLine(contexts.get(), args, true, rebuild).execute(args);
        }
        return status;
    }

    /**
     * The command tree (only the branch {@code args} names, unless {@code full}) with its handlers;
     * {@code rebuild} is set when a placeholder was selected.
     */
    static CommandLine commandLine(CliContext ctx, String[] args, boolean full, AtomicBoolean rebuild) {
        CliEnvironment env = ctx.env();
        CommandLine cl = CommandTree.build(ctx, args, full);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new java.io.PrintWriter(env.out(), true));
        cl.setErr(new java.io.PrintWriter(env.err(), true));
        cl.setParameterExceptionHandler((ex, unused) -> {
            CommandLine c = ex.getCommandLine();
            if (inDvdcli(c)) {
                return DvdcliCli.usageError(env, ex.getMessage());
            }
            env.err().println(env.programName() + ": " + Errors.oneLine(ex.getMessage())
                    + " (see '" + qualifiedName(env, c) + " --help')");
            env.err().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof CommandTree.Rebuild) {
                rebuild.set(true);
                return ExitCode.USAGE;
            }
            if (inDvdcli(c)) {
                return DvdcliCli.handle(ctx, ex);
            }
            return failed(env, ctx, ex);
        });
        return cl;
    }

    /** Whether {@code c} is {@code libstorage dvdcli} or one of its verbs (dvdcli's exit statuses apply). */
    private static boolean inDvdcli(CommandLine c) {
        for (CommandLine x = c; x != null; x = x.getParent()) {
            if (x.getCommandSpec().userObject() instanceof DvdcliCommand) {
                return true;
            }
        }
        return false;
    }

    static String qualifiedName(CliEnvironment env, CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        int space = q.indexOf(' ');
        return space < 0 ? env.programName() : env.programName() + q.substring(space);
    }
}
