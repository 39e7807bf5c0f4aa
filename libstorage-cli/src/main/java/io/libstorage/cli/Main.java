package io.libstorage.cli;

import io.libstorage.cli.internal.command.LibstorageCli;
import io.libstorage.cli.internal.dvdcli.DvdcliCli;

/**
 * Entry point of the {@code libstorage} command and of its dvdcli-compatible mode (selected when the
 * launcher was invoked as {@code dvdcli}, see {@link CliEnvironment#ARGV0_PROPERTY}, or by
 * {@code libstorage dvdcli ...}). Exit statuses: {@link ExitCode}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
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
        if ("dvdcli".equals(env.programName())) {
            return DvdcliCli.run(env, args);
        }
        return LibstorageCli.run(env, args);
    }
}
