package io.libstorage.cli.internal.thin;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.Errors;
import io.libstorage.cli.internal.Version;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands answered without the command-line parser, the drivers, the configuration file or Jackson,
 * decided from the arguments and the environment alone: {@code libstorage version}, {@code dvdcli version},
 * the dvdcli verbs through a running plugin's socket ({@link DvdcliArgs} says when), and
 * {@code libstorage volume ls|inspect|path} through a running {@code service start} ({@link ThinVolume}). They print exactly
 * what the full command prints and exit with the same status; whenever this path is not sure it can, it
 * answers {@link #FALL_BACK} having changed nothing, and the full command runs.
 * {@code LIBSTORAGE_THIN=off} turns it off.
 */
public final class ThinClient {
    /** The answer when the full command must run. */
    public static final int FALL_BACK = -1;
    /** Environment variable: {@code off} always runs the full command. */
    public static final String SWITCH_ENV = "LIBSTORAGE_THIN";

    private ThinClient() {
    }

    /** The exit status of the command when this path answered it, else {@link #FALL_BACK}. */
    public static int run(CliEnvironment env, String... args) {
        if ("off".equals(env.variables().get(SWITCH_ENV))) {
            return FALL_BACK;
        }
        boolean dvdcli = "dvdcli".equals(env.programName());
        if (args.length == 1 && args[0].equals("version")) {
            return dvdcli ? print(env, List.of("libstorage " + Version.get() + " (dvdcli-compatible)")) : version(env);
        }
        if (!dvdcli) {
            return ThinVolume.run(env, args);
        }
        DvdcliArgs parsed = DvdcliArgs.parse(args, env.variables());
        return parsed == null ? FALL_BACK : dvdcli(env, parsed);
    }

    /** {@code libstorage version}'s table, as {@code Table.Fields} prints it (fields aligned, trailing blanks stripped). */
    private static int version(CliEnvironment env) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("version", Version.get());
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        int width = 0;
        for (String k : v.keySet()) {
            width = Math.max(width, k.length());
        }
        for (Map.Entry<String, String> e : v.entrySet()) {
            env.out().println((e.getKey() + " ".repeat(width - e.getKey().length() + 2) + e.getValue()).stripTrailing());
        }
        env.out().flush();
        return ExitCode.OK;
    }

    private static int dvdcli(CliEnvironment env, DvdcliArgs args) {
        ThinDvdcli client = new ThinDvdcli(args);
        List<String> lines;
        try {
            lines = new Worker(client).within(args.deadlineNanos(), args.driver());
        } catch (ThinDvdcli.FallBack e) {
            return FALL_BACK;
        } catch (RuntimeException e) {
            Errors.report(env.err(), env.programName(), e, false);
            return ExitCode.FAILED;
        }
        return print(env, lines);
    }

    /**
     * The client's run on a daemon thread of its own, given up at the deadline (the full command's {@code Deadline},
     * without its lambdas and futures: nothing is spun at start-up). The caller then exits; the thread is abandoned.
     * The caller is woken as soon as the result is there, not when the thread has ended ({@code join} waits for the
     * thread's own teardown as well: a few tenths of a millisecond of a short command).
     */
    private static final class Worker extends Thread {
        private final ThinDvdcli client;
        private final Object done = new Object();
        private boolean finished;
        private long finishedAt;
        private List<String> lines;
        private RuntimeException failure;

        Worker(ThinDvdcli client) {
            super("libstorage-thin-client");
            this.client = client;
            setDaemon(true);
        }

        @Override
        public void run() {
            List<String> result = null;
            RuntimeException error = null;
            try {
                result = client.run();
            } catch (RuntimeException e) {
                error = e;
            } finally {
                synchronized (done) {
                    lines = result;
                    failure = error;
                    finishedAt = System.nanoTime();
                    finished = true;
                    done.notifyAll();
                }
            }
        }

        /** The result when the run finished within {@code nanos} of the call (a result that came later is a timeout). */
        List<String> within(long nanos, String driver) {
            long started = System.nanoTime();
            start();
            synchronized (done) {
                try {
                    // wait(ms, ns) with ns > 0 waits at least 1 ms, never for ever
                    for (long left = nanos; !finished && left > 0; left = nanos - (System.nanoTime() - started)) {
                        done.wait(left / 1_000_000, (int) (left % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    interrupt();
                    throw client.timeout(driver, System.nanoTime());
                }
                if (!finished || finishedAt - started > nanos) {
                    interrupt();
                    throw client.timeout(driver, started + nanos);
                }
                if (failure != null) {
                    throw failure;
                }
                return lines;
            }
        }
    }

    private static int print(CliEnvironment env, List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l).append('\n');
        }
        env.out().print(out);
        env.out().flush();
        return ExitCode.OK;
    }
}
