package io.libstorage.scaleio;

import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.testing.SecretLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real driver, in its own JVM with every logger at TRACE (HttpClient's {@code headers} and {@code wire} loggers
 * included), through a login, two re-logins after 401s and normal calls: nothing it prints holds the password or a
 * session token in any encoding ({@link SecretLeaks}). The emulator runs in this JVM, so only the driver's output
 * is searched.
 */
class CredentialsNeverLoggedTest {
    /** Characters that URL encoding and Base64 treat differently, and a colon as Basic authentication allows. */
    private static final String PASSWORD = "S3cr3t:p@ss/w+rd=%!";

    private final EmulatedScaleIo sio = new EmulatedScaleIo(false, PASSWORD,
            b -> b.system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")), "a");
    private Process process;

    @AfterEach
    void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        sio.close();
    }

    @Test
    void noLogLevelRevealsThePasswordOrASessionToken() throws Exception {
        Path log = sio.dir().resolve("driver.log");
        Path config = sio.dir().resolve("driver.properties");
        Properties p = new Properties();
        sio.config("a").forEach((k, v) -> {
            if (!k.equals("password")) {
                p.setProperty(k, String.valueOf(v));
            }
        });
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-Dorg.slf4j.simpleLogger.log.org.apache.hc=trace",
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-cp", System.getProperty("java.class.path"), DriverProcess.class.getName(), config.toString())
                .redirectError(log.toFile());
        pb.environment().put("SCALEIO_PASSWORD", PASSWORD);
        process = pb.start();
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> replies = new java.util.ArrayList<>();

        replies.add(out.readLine());                                         // login, version, system, pool, SDC
        replies.add(send(in, out, "create leaky"));
        sio.gateway().restart();                                             // every token invalid: 401, re-login
        replies.add(send(in, out, "list"));
        sio.gateway().addFault(FaultRule.unauthorized("queryIdByKey"));      // one injected 401, re-login
        replies.add(send(in, out, "find leaky"));
        replies.add(send(in, out, "remove leaky"));
        in.write("exit\n");
        in.flush();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(replies).as(logged).containsExactly("READY", replies.get(1), "OK 1", replies.get(3), "OK");
        assertThat(replies.get(1)).startsWith("OK ");
        assertThat(replies.get(3)).isEqualTo(replies.get(1));
        List<String> tokens = sio.gateway().issuedTokens();
        assertThat(tokens).as("logins: the first and two after a 401").hasSize(3);
        // the log is as verbose as it gets: our debug lines and HttpClient's own
        assertThat(logged).contains("logging in again").contains("DEBUG io.libstorage.scaleio")
                .contains("DEBUG org.apache.hc.client5.http.impl.classic");

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", PASSWORD);
        for (int i = 0; i < tokens.size(); i++) {
            secrets.put("token " + (i + 1), tokens.get(i));
        }
        assertThat(SecretLeaks.find(logged + "\n" + String.join("\n", replies), secrets)).isEmpty();
    }

    private static String send(Writer in, BufferedReader out, String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return out.readLine();
    }
}
