package io.libstorage.core.internal.linux;

import io.libstorage.api.ErrorContext;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.SystemProcessRunner;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs commands for real and remembers each one, to count side effects. */
final class CountingRunner implements ProcessRunner {
    final List<List<String>> commands = new CopyOnWriteArrayList<>();

    @Override
    public ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
        commands.add(List.copyOf(command));
        return SystemProcessRunner.instance().run(context, command, timeout);
    }

    long count(String program) {
        return commands.stream().filter(c -> c.get(0).equals(program)).count();
    }

    long countStartingWith(String prefix) {
        return commands.stream().filter(c -> c.get(0).startsWith(prefix)).count();
    }
}
