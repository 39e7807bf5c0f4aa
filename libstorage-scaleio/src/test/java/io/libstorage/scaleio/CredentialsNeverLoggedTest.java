package io.libstorage.scaleio;

import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.tck.SecretLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real driver, in its own JVM with every logger at TRACE (HttpClient's {@code headers} and {@code wire} loggers
 * included), through a login, two re-logins after 401s and normal calls: nothing it prints holds the password or a
 * session token in any encoding ({@link SecretLeaks}). On a 4.x gateway the same holds for the access and refresh
 * tokens, through a bearer login, refreshes, a re-login after non-JSON 401s and the logout at close. The emulator
 * runs in this JVM, so only the driver's output is searched.
 */
class CredentialsNeverLoggedTest {
    /** Characters that URL encoding and Base64 treat differently, and a colon as Basic authentication allows. */
    private static final String PASSWORD = "S3cr3t:p@ss/w+rd=%!";

    private EmulatedScaleIo sio;

    @AfterEach
    void close() {
        if (sio != null) {
            sio.close();
        }
    }

    private static String[] traceEverything() {
        return new String[] {"-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-Dorg.slf4j.simpleLogger.log.org.apache.hc=trace",
                "-Dorg.slf4j.simpleLogger.logFile=System.err"};
    }

    @Test
    void noLogLevelRevealsThePasswordOrASessionToken() throws Exception {
        sio = new EmulatedScaleIo(false, PASSWORD, b -> b.system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")), "a");
        List<String> replies = new ArrayList<>();
        String logged;
        try (DriverProcess driver = DriverProcess.start(sio, "a", Map.of(), sio.dir().resolve("driver.log"), traceEverything())) {
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

    @Test
    void noLogLevelRevealsThePasswordOrAnAccessOrRefreshTokenOf4x() throws Exception {
        sio = new EmulatedScaleIo(false, PASSWORD, b -> b.apiVersion("4.5").accessTokenLifetime(Duration.ofSeconds(2))
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")), "a");
        List<String> replies = new ArrayList<>();
        String logged;
        try (DriverProcess driver = DriverProcess.start(sio, "a", Map.of(), sio.dir().resolve("driver.log"), traceEverything())) {
            replies.add(driver.reply());                                     // bearer login, version, system, pool, SDC
            replies.add(driver.send("create leaky"));
            Thread.sleep(1600);                                              // past 3/4 of the 2 s lifetime: refreshed
            replies.add(driver.send("list"));
            sio.gateway().restart();                                         // every session gone: HTML 401, refresh 401, login
            replies.add(driver.send("list"));
            sio.gateway().addFault(FaultRule.unauthorized("/api/instances/Volume::"));  // one injected 401: refreshed
            replies.add(driver.send("find leaky"));
            replies.add(driver.send("remove leaky"));
            logged = driver.finish();                                        // logout
        }

        assertThat(replies).as(logged).containsExactly("READY", replies.get(1), "OK 1", "OK 1", replies.get(1), "OK");
        assertThat(sio.gateway().requests().stream().filter(r -> r.path().equals("/rest/auth/refresh") && r.status() == 200))
                .as("refreshes").hasSizeGreaterThanOrEqualTo(2);
        assertThat(sio.gateway().requests().stream().filter(r -> r.path().equals("/rest/auth/login"))).as("logins").hasSize(2);
        assertThat(sio.gateway().activeTokens()).as("sessions live after the driver ended").isZero();
        assertThat(logged).contains("logging in again").contains("DEBUG org.apache.hc.client5.http.impl.classic");

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", PASSWORD);
        List<String> tokens = sio.gateway().issuedTokens();
        assertThat(tokens).as("access and refresh tokens").hasSizeGreaterThanOrEqualTo(6);
        for (int i = 0; i < tokens.size(); i++) {
            secrets.put("token " + (i + 1), tokens.get(i));
        }
        assertThat(SecretLeaks.find(logged + "\n" + String.join("\n", replies), secrets)).isEmpty();
    }
}
