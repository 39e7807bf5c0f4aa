package io.libstorage.cli;

/**
 * The exit statuses of the {@code libstorage} command. The dvdcli-compatible mode uses only
 * {@link #OK} and {@link #FAILED}, as Mesos expects.
 */
public final class ExitCode {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The operation failed (any library error not listed below: back end unavailable, busy, timeout, ...). */
    public static final int FAILED = 1;
    /** The command line is wrong: unknown verb or option, missing or malformed argument. Nothing was done. */
    public static final int USAGE = 2;
    /** The configuration is wrong: file missing or unreadable, unknown, missing or malformed key. Nothing was done. */
    public static final int CONFIGURATION = 3;
    /** The named volume does not exist ({@code VOLUME_NOT_FOUND}). */
    public static final int NOT_FOUND = 4;

    private ExitCode() {
    }
}
