package io.libstorage.scaleio;

import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.tck.SecretLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    @AfterEach
    void close() {
        sio.close();
    }

    @Test
    void noLogLevelRevealsThePasswordOrASessionToken() throws Exception {
        List<String> replies = new ArrayList<>();
        String logged;
        try (DriverProcess driver = DriverProcess.start(sio, "a", Map.of(), sio.dir().resolve("driver.log"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-Dorg.slf4j.simpleLogger.log.org.apache.hc=trace",
                "-Dorg.slf4j.simpleLogger.logFile=System.err")) {
            replies.add(driver.reply());                                     // no call: resolved at first need
            replies.add(driver.send("create leaky"));
            sio.gateway().restart();                                         // every token invalid: 401, re-login
            replies.add(driver.send("list"));
            sio.gateway().addFault(FaultRule.unauthorized("/api/instances/Volume::"));  // one injected 401, re-login
            replies.add(driver.send("find leaky"));
            replies.add(driver.send("remove leaky"));
            logged = driver.finish();
        }

        assertThat(replies).as(logged).containsExactly("READY", replies.get(1), "OK 1", replies.get(1), "OK");
        assertThat(replies.get(1)).startsWith("OK ");
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
}
