package io.libstorage.scaleio;

import io.libstorage.emulator.scaleio.RequestRecord;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's failover story across processes: three hosts (separate JVMs, each with its own SDC,
 * state root and mount namespace via {@code unshare -m}) share one gateway emulator with real loop
 * devices. A writes and fsyncs, then dies by SIGKILL; B takes the volume with IF_OWNER_UNREACHABLE
 * and reads the same bytes; C, with NEVER, is told B has it. Before A dies, B is refused and nothing
 * is unmapped. The hosts' owner grace period is 1 s unless {@code -Dscaleio.failover.ownerGracePeriod} says
 * otherwise ({@code default}: the driver's default), which is how benchmarks/README.md measures the failover.
 */
class ScaleIoFailoverIT {
    private EmulatedScaleIo sio;
    private final List<Host> hosts = new ArrayList<>();

    /** A host process and its command channel. */
    private final class Host implements AutoCloseable {
        final String name;
        final Process process;
        final Writer in;
        final BufferedReader out;

        Host(String name) throws IOException {
            this.name = name;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "--propagation", "private", java,
                    "-cp", System.getProperty("java.class.path"), HostProcess.class.getName(),
                    sio.gateway().endpoint() + "/api", sio.certificate().toString(), sio.guid(name),
                    sio.deviceDir(name).toString(), sio.dir().resolve("host-" + name).toString(),
                    Integer.toString(sio.gateway().mdmPort()), System.getProperty("scaleio.failover.ownerGracePeriod", "1s"))
                    .redirectError(ProcessBuilder.Redirect.appendTo(sio.dir().resolve("host-" + name + ".log").toFile()));
            pb.environment().put("SCALEIO_PASSWORD", EmulatedScaleIo.PASSWORD);
            process = pb.start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = readLine(Duration.ofSeconds(60));
            assertThat(ready).as("host %s start-up (see %s)", name, sio.dir().resolve("host-" + name + ".log")).startsWith("READY ");
        }

        String send(String command, Duration timeout) throws IOException {
            in.write(command + "\n");
            in.flush();
            return readLine(timeout);
        }

        private String readLine(Duration timeout) {
            try {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return "EOF " + e;
                    }
                }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return "TIMEOUT " + e;
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                try {
                    in.write("exit\n");
                    in.flush();
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (IOException | InterruptedException e) {
                    process.destroyForcibly();
                }
            }
        }
    }

    @BeforeEach
    void start() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("unshare", "mkfs.ext4");
        sio = newGateway("A", "B", "C");
        // the host processes hold their own SDC connections; the fixture's agents would keep the SDCs Connected
        for (String h : List.of("A", "B", "C")) {
            sio.kill(h);
        }
    }

    /** The gateway the hosts share (the emulator's default, ScaleIO 2.0; {@link ScaleIoFailoverV45IT}: PowerFlex 4.5). */
    EmulatedScaleIo newGateway(String... hosts) {
        return new EmulatedScaleIo(true, hosts);
    }

    @AfterEach
    void stop() {
        hosts.forEach(Host::close);
        if (sio != null) {
            LoopDeviceSweeper.unmountAllUnder(sio.dir());
            sio.close();
        }
    }

    private Host host(String name) throws IOException {
        Host h = new Host(name);
        hosts.add(h);
        return h;
    }

    @Test
    void theVolumeFollowsTheServiceWhenItsHostDiesHard() throws Exception {
        Host a = host("A");
        Host b = host("B");
        Host c = host("C");
        String mounted = a.send("mount pgdata task-a NEVER", Duration.ofSeconds(120));
        assertThat(mounted).startsWith("OK ");
        String written = a.send("write pgdata table 1048576", Duration.ofSeconds(30));
        assertThat(written).startsWith("OK ");
        String sha = written.substring(3);

        sio.gateway().resetRequestLog();
        String refused = b.send("mount pgdata task-b IF_OWNER_UNREACHABLE", Duration.ofSeconds(60));
        assertThat(refused).startsWith("ERR OWNER_STILL_ALIVE").contains(sio.guid("A"));
        assertThat(sio.gateway().requests()).extracting(RequestRecord::endpoint)
                .as("nothing unmapped while the owner lives").noneMatch(e -> e.contains("removeMappedSdc"));

        long start = System.nanoTime();
        a.kill();
        String takeover = b.send("mount pgdata task-b IF_OWNER_UNREACHABLE", Duration.ofSeconds(60));
        assertThat(takeover).as("B's mount after A died").startsWith("OK ");
        assertThat(b.send("read pgdata table", Duration.ofSeconds(30))).isEqualTo("OK " + sha);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the failover figure of benchmarks/README.md, measured with -Dscaleio.failover.ownerGracePeriod=default
        System.out.printf("failover (owner grace period %s): B read A's data %d ms after A was killed (SIGKILL sent); data intact%n",
                System.getProperty("scaleio.failover.ownerGracePeriod", "1s"), took.toMillis());

        String third = c.send("mount pgdata task-c NEVER", Duration.ofSeconds(60));
        assertThat(third).startsWith("ERR VOLUME_ATTACHED_TO_OTHER_HOST").contains(sio.guid("B"));

        assertThat(b.send("unmount pgdata task-b", Duration.ofSeconds(60))).isEqualTo("OK");
    }
}
