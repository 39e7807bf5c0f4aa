package io.libstorage.cli.internal;

import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.cli.ExitCode;

import java.io.PrintStream;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception into one line on standard error and an {@link ExitCode}. */
public final class Errors {
    private Errors() {
    }

    /** The exit status for a failure. */
    public static int exitCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof InvalidConfigurationException) {
            return ExitCode.CONFIGURATION;
        }
        if (e instanceof VolumeNotFoundException) {
            return ExitCode.NOT_FOUND;
        }
        return ExitCode.FAILED;
    }

    /**
     * Prints {@code <program>: <message> (code <CODE>)} on one line; the message of a library error
     * names operation, volume, host and back end. With {@code verbose}, the stack trace follows.
     */
    public static void report(PrintStream err, String program, Throwable t, boolean verbose) {
        Throwable e = unwrap(t);
        String line;
        if (e instanceof StorageException se) {
            line = program + ": " + oneLine(se.getMessage()) + " (code " + se.code() + ")";
        } else {
            line = program + ": internal error: " + oneLine(String.valueOf(e))
                    + (verbose ? "" : " (run with --verbose for the stack trace)");
        }
        err.println(line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /** Message text on one line (a back end's multi-line answer must not split the error). */
    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
