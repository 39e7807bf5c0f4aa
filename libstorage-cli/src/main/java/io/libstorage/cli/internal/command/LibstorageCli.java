package io.libstorage.cli.internal.command;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Errors;
import io.libstorage.cli.internal.dvdcli.DvdcliCli;
import io.libstorage.cli.internal.dvdcli.DvdcliCommand;
import picocli.CommandLine;

/** Runs the {@code libstorage} command line: parse with picocli, execute, map failures to exit statuses. */
public final class LibstorageCli {
    private LibstorageCli() {
    }

    public static int run(CliEnvironment env, String... args) {
        CliContext ctx = new CliContext(env);
        CommandLine cl = commandLine(ctx);
        return cl.execute(args);
    }

    /** The command tree with its handlers (also used by {@code cds-training} to load the model). */
    static CommandLine commandLine(CliContext ctx) {
        CliEnvironment env = ctx.env();
        CommandLine cl = new CommandLine(new RootCommand(ctx));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new java.io.PrintWriter(env.out(), true));
        cl.setErr(new java.io.PrintWriter(env.err(), true));
        cl.setParameterExceptionHandler((ex, args) -> {
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
            if (inDvdcli(c)) {
                return DvdcliCli.handle(ctx, ex);
            }
            Errors.report(env.err(), env.programName(), ex, ctx.verbose());
            return Errors.exitCode(ex);
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
