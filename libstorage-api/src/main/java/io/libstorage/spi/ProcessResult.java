package io.libstorage.spi;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;

import java.time.Duration;
import java.util.List;

/**
 * A finished external command.
 *
 * @param command the argument list that ran
 * @param exitCode its exit status
 * @param stdout standard output, decoded as UTF-8
 * @param stderr standard error, decoded as UTF-8
 * @param elapsed how long it ran
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {
    public ProcessResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * This result if the command exited 0.
     *
     * @throws OperationFailedException naming the command, its exit code and its decoded stderr
     */
    public ProcessResult requireSuccess(ErrorContext context) {
        if (exitCode != 0) {
            throw new OperationFailedException(context, describeFailure(), null);
        }
        return this;
    }

    /** {@code 'mkfs.ext4 -q /dev/loop3' exited 1: <stderr>}. */
    public String describeFailure() {
        String err = stderr.strip();
        if (err.isEmpty()) {
            err = stdout.strip();
        }
        return "'" + String.join(" ", command) + "' exited " + exitCode + (err.isEmpty() ? " with no output" : ": " + err);
    }
}
