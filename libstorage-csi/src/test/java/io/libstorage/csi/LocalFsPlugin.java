package io.libstorage.csi;

import io.libstorage.core.LibStorage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CSI plugin over localfs under one directory ({@code <dir>/localfs} images, {@code <dir>/state},
 * socket {@code <dir>/csi.sock}): in this JVM ({@link #storage}) or as its own process ({@link #main},
 * {@link Child}) that a crash test kills with SIGKILL.
 */
final class LocalFsPlugin {
    private LocalFsPlugin() {
    }

    static LibStorage storage(Path dir) {
        return LibStorage.builder()
                .storageDriver("localfs")
                .storageOption("root", dir.resolve("localfs").toString())
                .stateRoot(dir.resolve("state"))
                .set("integration.volume.operations.create.default.size", "64MiB")
                .build();
    }

    static Path socket(Path dir) {
        return dir.resolve("csi.sock");
    }

    /** Serves until killed or until standard input closes. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (LibStorage storage = storage(dir);
             CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(new CsiEndpoint(socket(dir))).start()) {
            System.out.println("READY");
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // until the parent closes our standard input
            }
        }
    }

    /** The plugin in a child JVM. */
    static final class Child implements AutoCloseable {
        private final Process process;

        private Child(Process process) {
            this.process = process;
        }

        static Child start(Path dir) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    LocalFsPlugin.class.getName(), dir.toString()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("plugin.log").toFile())).start();
            byte[] ready = p.getInputStream().readNBytes("READY".length());
            if (!new String(ready, java.nio.charset.StandardCharsets.US_ASCII).equals("READY")) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException("the plugin process did not start: " + Files.readString(dir.resolve("plugin.log")));
            }
            return new Child(p);
        }

        /** SIGKILL: no shutdown hook, no cleanup, as a crash. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
