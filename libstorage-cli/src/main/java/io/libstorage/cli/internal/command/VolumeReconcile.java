package io.libstorage.cli.internal.command;

import io.libstorage.api.ReconcileReport;
import io.libstorage.api.StaleMount;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.cli.internal.output.Table;
import io.libstorage.cli.internal.output.Views;
import io.libstorage.core.LibStorage;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code volume reconcile}: {@link LibStorage#reconcile()} — finishes what interrupted calls left,
 * repairs damaged state files from the back end and the mount table, and reports what needs a person
 * (exit status 1 when anything does).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Bring this host's state, its mounts and the back end into agreement: finish or roll back interrupted calls, "
                + "unmount stale mounts, delete leftovers of interrupted writes, rebuild damaged state files (kept under <stateRoot>/damaged/). "
                + "Keeps every consumer. Exit status 1 when a problem needs a person.")
final class VolumeReconcile extends VolumeVerb {
    private boolean problems;

    @Override
    String progressLabel() {
        return "reconcile";
    }

    @Override
    Result run(LibStorage storage, CliContext ctx) {
        ReconcileReport r = storage.reconcile();
        problems = !r.problems().isEmpty();
        Map<String, Object> view = new LinkedHashMap<>();
        Map<String, List<String>> dropped = new TreeMap<>();
        r.droppedConsumers().forEach((name, consumers) -> dropped.put(name, Views.consumers(consumers)));
        view.put("droppedConsumers", dropped);
        view.put("released", r.released());
        view.put("staleMounts", r.staleMounts().stream().map(VolumeReconcile::describe).toList());
        view.put("repaired", r.repaired());
        view.put("problems", r.problems());
        return new Result(view, new Table.Fields(Views.fields(view)));
    }

    private static String describe(StaleMount s) {
        return s.volumeName() + " at " + s.mountPoint() + ": " + s.reason();
    }

    @Override
    int status() {
        return problems ? ExitCode.FAILED : ExitCode.OK;
    }
}
