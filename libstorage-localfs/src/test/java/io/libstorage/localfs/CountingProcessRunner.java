package io.libstorage.localfs;

import io.libstorage.api.ErrorContext;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.support.SystemProcessRunner;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs commands for real and records each, so tests can count side effects (e.g. losetup spawns). */
public final class CountingProcessRunner implements ProcessRunner {
    private final List<List<String>> commands = new CopyOnWriteArrayList<>();

    @Override
    public ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
        commands.add(List.copyOf(command));
        return SystemProcessRunner.instance().run(context, command, timeout);
    }

    public List<List<String>> commands() {
        return List.copyOf(commands);
    }

    public int total() {
        return commands.size();
    }

    public long count(String program) {
        return commands.stream().filter(c -> c.get(0).equals(program)).count();
    }

    /** Commands run since {@code mark} (a value of {@link #total()}), as program names. */
    public List<String> programsSince(int mark) {
        return commands.subList(mark, commands.size()).stream().map(c -> c.get(0)).toList();
    }
}
