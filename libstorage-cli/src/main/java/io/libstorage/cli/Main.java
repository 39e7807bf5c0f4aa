package io.libstorage.cli;

import io.libstorage.cli.internal.command.LibstorageCli;
import io.libstorage.cli.internal.dvdcli.DvdcliCli;
import io.libstorage.cli.internal.thin.ThinClient;

/**
 * Entry point of the {@code libstorage} command and of its dvdcli-compatible mode (selected when the
 * launcher was invoked as {@code dvdcli}, see {@link CliEnvironment#ARGV0_PROPERTY}, or by
 * {@code libstorage dvdcli ...}). Exit statuses: {@link ExitCode}. {@code version} and the dvdcli verbs through a
 * running plugin's socket are answered first by a thin client that loads neither the parser nor a driver,
 * falling back to the full command whenever it cannot answer exactly as that would.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PlatformSelectorProvider.select();
        int status = run(CliEnvironment.system(), args);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs one command line and returns its exit status; never calls {@link System#exit}. Results go
     * to {@code env.out()}, errors and progress to {@code env.err()}.
     */
    public static int run(CliEnvironment env, String... args) {
        // decided from argv and the environment alone, before the parser, a driver or the configuration is loaded
        int thin = ThinClient.run(env, args);
        if (thin != ThinClient.FALL_BACK) {
            return thin;
        }
        if ("dvdcli".equals(env.programName())) {
            return DvdcliCli.run(env, args);
        }
        return LibstorageCli.run(env, args);
    }
}
