package io.libstorage.cli;

import io.libstorage.cli.internal.Logging;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command's level switch, in a fresh JVM each time (slf4j-simple reads its settings once): at TRACE every
 * logger is on except HttpClient's header, wire and HTTP/2 frame loggers, which print Authorization headers and
 * bodies; those stay off even when the JVM was started with them switched on.
 */
class SecretBearingLoggersTest {
    private static final List<String> SECRET_BEARING = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire", "org.apache.hc.client5.http2.frame", "org.apache.hc.client5.http2.frame.payload");
    private static final String ORDINARY = "org.apache.hc.client5.http.impl.classic.MainClientExec";

    /** Configures logging at {@code args[0]} and prints one line per logger: name and whether it logs at ERROR and TRACE. */
    public static void main(String[] args) {
        Logging.configure(args[0], false);
        for (String name : args) {
            if (name.contains(".")) {
                Logger l = LoggerFactory.getLogger(name);
                System.out.println(name + " " + l.isErrorEnabled() + " " + l.isTraceEnabled());
            }
        }
    }

    private static String probe(String level, String... jvmOptions) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SecretBearingLoggersTest.class.getName(), level, ORDINARY));
        cmd.addAll(SECRET_BEARING);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void httpClientsSecretBearingLoggersStayOffAtEveryLevel() throws Exception {
        for (String level : List.of("trace", "debug")) {
            String out = probe(level, "-Dorg.slf4j.simpleLogger.log.org.apache.hc.client5.http.wire=trace");
            assertThat(out).as(level).contains(ORDINARY + " true " + level.equals("trace"));
            for (String secretBearing : SECRET_BEARING) {
                assertThat(out).as(level).contains(secretBearing + " false false");
            }
        }
    }
}
