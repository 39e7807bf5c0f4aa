package io.libstorage.cli.internal.command;

import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.dvdcli.DvdcliCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The verbs of {@code libstorage}, registered lazily: picocli builds a command's model by reflection,
 * which for the whole tree took most of a short command's start-up, so only the branch the command line
 * names is built (the verbs found by {@link #positionals}); every other verb is a light placeholder
 * with its name, aliases and description (enough for {@code --help} and for "unknown verb" errors).
 * When parsing nevertheless lands on a placeholder (an unusual option layout), the whole tree is
 * built and the command line parsed again ({@link Rebuild}).
 */
final class CommandTree {
    /** Global options that take a value in the next argument (scanning skips the value). */
    private static final Set<String> GLOBAL_OPTIONS_WITH_VALUE = Set.of("-c", "--config", "-s", "--service", "-o", "--output");

    /** A verb: its class (for the annotation) and its children. */
    record Verb(Class<?> type, Supplier<Object> factory, List<Verb> children) {
        Command annotation() {
            return type.getAnnotation(Command.class);
        }

        boolean named(String token) {
            Command c = annotation();
            return c.name().equals(token) || List.of(c.aliases()).contains(token);
        }
    }

    static final List<Verb> VERBS = List.of(
            new Verb(VolumeCommand.class, VolumeCommand::new, List.of(
                    leaf(VolumeLs.class, VolumeLs::new), leaf(VolumeInspect.class, VolumeInspect::new),
                    leaf(VolumeCreate.class, VolumeCreate::new), leaf(VolumeRemove.class, VolumeRemove::new),
                    leaf(VolumeAttach.class, VolumeAttach::new), leaf(VolumeDetach.class, VolumeDetach::new),
                    leaf(VolumeMount.class, VolumeMount::new), leaf(VolumeUnmount.class, VolumeUnmount::new),
                    leaf(VolumePath.class, VolumePath::new), leaf(VolumeSnapshot.class, VolumeSnapshot::new),
                    leaf(VolumeGrow.class, VolumeGrow::new), leaf(VolumeReconcile.class, VolumeReconcile::new))),
            new Verb(ServiceCommand.class, ServiceCommand::new, List.of(leaf(ServiceStart.class, ServiceStart::new))),
            leaf(CsiCommand.class, CsiCommand::new),
            new Verb(ConfigCommand.class, ConfigCommand::new, List.of(leaf(ConfigCheck.class, ConfigCheck::new))),
            leaf(VersionCommand.class, VersionCommand::new),
            leaf(DvdcliCommand.class, DvdcliCommand::new),
            leaf(CdsTrainingCommand.class, CdsTrainingCommand::new));

    private CommandTree() {
    }

    private static Verb leaf(Class<?> type, Supplier<Object> factory) {
        return new Verb(type, factory, List.of());
    }

    /** Thrown by a placeholder when parsing selected it: the caller builds the full tree and runs again. */
    static final class Rebuild extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rebuild() {
            super("the command line needs the full command tree", null, false, false);
        }
    }

    /** The root with the verbs {@code args} names built for real ({@code full}: all of them). */
    static CommandLine build(CliContext ctx, String[] args, boolean full) {
        CommandLine root = new CommandLine(new RootCommand(ctx));
        List<String> path = full ? null : positionals(args);
        add(root, VERBS, path, 0);
        return root;
    }

    private static void add(CommandLine parent, List<Verb> verbs, List<String> path, int depth) {
        String wanted = path == null ? null : depth < path.size() ? path.get(depth) : "";
        for (Verb v : verbs) {
            Command c = v.annotation();
            if (path == null || v.named(wanted)) {
                CommandLine real = new CommandLine(v.factory().get());
                add(real, v.children(), path, depth + 1);
                parent.addSubcommand(c.name(), real, c.aliases());
            } else {
                parent.addSubcommand(c.name(), placeholder(c), c.aliases());
            }
        }
    }

    private static CommandLine placeholder(Command c) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection((java.util.concurrent.Callable<Integer>) () -> {
            throw new Rebuild();
        });
        spec.usageMessage().description(c.description()).hidden(c.hidden());
        // no options of its own: whatever follows (even --help) reaches the callable, which asks for the full tree
        spec.parser().unmatchedArgumentsAllowed(true);
        return new CommandLine(spec);
    }

    /**
     * The positional arguments in order: every argument that is not an option and not the value of a
     * global option given as a separate argument. The first is the verb, the second the sub-verb.
     */
    static List<String> positionals(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.startsWith("-")) {
                if (GLOBAL_OPTIONS_WITH_VALUE.contains(a)) {
                    i++;
                }
                continue;
            }
            out.add(a);
            if (out.size() == 2) {
                break;
            }
        }
        return out;
    }
}
