package io.libstorage.spi;

import io.libstorage.api.ErrorContext;

import java.time.Duration;
import java.util.List;

/**
 * Runs external commands: always an argument list (never a shell), always with a deadline. A
 * command still running at its deadline is killed (with its descendants) and reported as
 * {@link io.libstorage.api.OperationTimeoutException}. A non-zero exit is returned, not thrown; see
 * {@link ProcessResult#requireSuccess}.
 */
@FunctionalInterface
public interface ProcessRunner {
    ProcessResult run(ErrorContext context, List<String> command, Duration timeout);
}
