package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs in its own surefire execution (see the pom) with HttpClient's wire and header loggers at DEBUG, set before
 * any HttpClient class creates its loggers: the logon carries the password in its body, and nothing may print it.
 */
class WireLogSecretTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.wire", "debug");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.headers", "debug");
    }

    @TempDir
    Path tmp;

    @Test
    void thePasswordNeverReachesTheLogEvenWithHttpClientsWireLoggingOn() throws Exception {
        assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isDebugEnabled())
                .as("the wire logger must be at DEBUG: run this test in its own JVM (surefire execution wire-log)").isTrue();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (EmulatedVbox vbox = new EmulatedVbox(tmp, VboxWebServiceEmulator.builder().credentials("vbox", "Pa55-w0rd"),
                Map.of("userName", "vbox", "password", "Pa55-w0rd"))) {
            vbox.service.withSession(ErrorContext.of("test"), s -> s.machineName(s.findMachine("host-a")));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the header log is on, so something was logged").contains("SOAPAction");
        assertThat(log).doesNotContain("Pa55-w0rd");
    }
}
