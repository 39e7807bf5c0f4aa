package io.libstorage.scaleio;

import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.VolumeSpec;
import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The driver's sessions on 2.x, 3.6 and 4.x gateways: the login flavour found from the gateway's answers (or forced by
 * {@code scaleio.authentication}), bearer tokens renewed before they expire and replaced once for a storm of 401s
 * (whose bodies are not JSON on 4.x), and no session left live on the gateway after the driver closes, not even one
 * whose login was answered after the driver stopped waiting.
 */
class ScaleIoSessionTest {
    private EmulatedScaleIo sio;

    private EmulatedScaleIo start(String apiVersion) {
        return start(apiVersion, b -> b);
    }

    private EmulatedScaleIo start(String apiVersion, UnaryOperator<io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator.Builder> setup) {
        sio = EmulatedScaleIo.ofVersion(apiVersion, false, setup, "a");
        return sio;
    }

    @AfterEach
    void close() {
        if (sio != null) {
            sio.close();
        }
    }

    private long count(String method, String path, int status) {
        return sio.gateway().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path) && (status == 0 || r.status() == status)).count();
    }

    private long unauthorized() {
        return sio.gateway().requests().stream().filter(r -> r.status() == 401).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0", "3.6", "4.5"})
    void everySessionIsLoggedOutWhenTheDriverCloses(String apiVersion) {
        start(apiVersion);
        for (int run = 0; run < 5; run++) {
            try (StorageDriver d = sio.newDriver("a")) {
                d.list();
            }
        }
        assertThat(sio.gateway().activeTokens()).as("sessions live on the gateway after 5 runs").isZero();
    }

    @Test
    void auto4xLogsInWithBearerTokensAndNeverWithApiLogin() {
        start("4.5");
        try (StorageDriver d = sio.newDriver("a")) {
            d.create("v1", VolumeSpec.builder().sizeBytes(8 * ByteSizes.GIB).build());
            assertThat(d.list()).hasSize(1);
        }
        assertThat(count("POST", "/rest/auth/login", 200)).isOne();
        assertThat(count("GET", "/api/login", 0)).isZero();
        assertThat(count("POST", "/rest/auth/logout", 204)).isOne();
    }

    @Test
    void auto36FallsBackToApiLoginAfterTheEmptyAnswer() {
        start("3.6");
        try (StorageDriver d = sio.newDriver("a")) {
            d.list();
        }
        assertThat(count("POST", "/rest/auth/login", 200)).as("3.6 answers {}").isOne();
        assertThat(count("GET", "/api/login", 200)).isOne();
        assertThat(count("GET", "/api/logout", 200)).isOne();
    }

    @Test
    void autoRemembersTheFlavourFoundSoThatLaterRunsDoNotProbe() throws Exception {
        start("2.0");
        for (int run = 0; run < 3; run++) {
            try (StorageDriver d = sio.newDriver("a")) {
                d.list();
            }
        }
        assertThat(count("POST", "/rest/auth/login", 0)).as("bearer logins tried: the first run's only").isOne();
        assertThat(count("GET", "/api/login", 200)).isEqualTo(3);

        assertThat(Files.readString(remembered())).startsWith("basic " + sio.gateway().endpoint());
    }

    @Test
    void aRememberedFlavourTheGatewayNoLongerAnswersGivesWayToTheOther() throws Exception {
        start("4.5");
        Files.createDirectories(remembered().getParent());
        Files.writeString(remembered(), "basic " + sio.gateway().endpoint() + "\n");
        sio.gateway().addFault(FaultRule.error("^/api/login$", 404, 0, "No resource found").withTimes(1));
        try (StorageDriver d = sio.newDriver("a")) {
            d.list();
        }
        assertThat(count("GET", "/api/login", 404)).isOne();
        assertThat(count("POST", "/rest/auth/login", 200)).isOne();
        assertThat(Files.readString(remembered())).startsWith("bearer " + sio.gateway().endpoint());
        assertThat(sio.gateway().activeTokens()).isZero();
    }

    private Path remembered() {
        return Path.of(sio.config("a").get("stateDir").toString(), "gateway-login");
    }

    @Test
    void forcedBasicNeverAsksForTokensAndForcedBearerOnA36GatewaySaysWhichSettingToChange() {
        start("4.5");
        try (StorageDriver d = sio.newDriver("a", Map.of("authentication", "basic"), SystemProcessRunner.instance())) {
            d.list();
        }
        assertThat(count("POST", "/rest/auth/login", 0)).isZero();
        assertThat(count("GET", "/api/login", 200)).isOne();
        assertThat(unauthorized()).as("the token went as Bearer once the version (4.5) was known").isZero();
        assertThat(sio.gateway().activeTokens()).isZero();
        sio.close();

        start("3.6");
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(sio.newDriver("a", Map.of("authentication", "bearer"), SystemProcessRunner.instance())))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("without an access_token").hasMessageContaining("scaleio.authentication");
        assertThat(sio.gateway().activeTokens()).isZero();
    }

    @Test
    void aBearerSessionIsRenewedBeforeItsAccessTokenExpires() {
        ShiftedClock clock = new ShiftedClock();
        start("4.5", b -> b.clock(clock).accessTokenLifetime(Duration.ofMinutes(5)));
        try (StorageDriver d = sio.newDriver("a", Map.of(), SystemProcessRunner.instance(), clock)) {
            d.list();
            clock.shift(Duration.ofMinutes(4)); // past three quarters of the 5 minutes the gateway announced
            d.list();
            clock.shift(Duration.ofMinutes(4));
            d.list();
        }
        assertThat(count("POST", "/rest/auth/refresh", 200)).isEqualTo(2);
        assertThat(count("POST", "/rest/auth/login", 0)).isOne();
        assertThat(unauthorized()).as("no call went out with an expired token").isZero();
        assertThat(sio.gateway().activeTokens()).isZero();
    }

    @Test
    void aStormOf401sWithNonJsonBodiesCausesOneNewSession() throws Exception {
        start("4.5");
        try (StorageDriver d = sio.newDriver("a")) {
            d.create("v1", VolumeSpec.builder().sizeBytes(8 * ByteSizes.GIB).build());
            sio.gateway().restart(); // every token invalid: every call answers 401 with an HTML body
            long loginsBefore = count("POST", "/rest/auth/login", 200);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return d.list().size();
                }));
            }
            go.countDown();
            for (CompletableFuture<Integer> c : calls) {
                assertThat(c.get()).isOne();
            }
            assertThat(count("POST", "/rest/auth/login", 200) - loginsBefore).as("new logins").isOne();
            assertThat(count("POST", "/rest/auth/refresh", 0)).as("refresh attempts (the session is gone: 401)").isOne();
            assertThat(unauthorized()).isGreaterThan(1);
        }
        assertThat(sio.gateway().activeTokens()).isZero();
    }

    @Test
    void wrongCredentialsOn4xAreAnAuthenticationErrorInWordsNotMarkup() {
        start("4.5");
        assertThatThrownBy(() -> EmulatedScaleIo.firstCall(sio.newDriver("a", Map.of("password", "wrong"), SystemProcessRunner.instance())))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("rejected the credentials of user 'admin'")
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("<");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0", "4.5"})
    void aLoginAnsweredAfterTheDriverStoppedWaitingIsLoggedOutWhenItArrives(String apiVersion) {
        start(apiVersion);
        // the first login is answered after 1.5 s; the driver waits 1 s, then logs in again
        sio.gateway().addFault(FaultRule.latency("login$", Duration.ofMillis(1500)).withTimes(1));
        try (StorageDriver d = sio.newDriver("a", Map.of("requestTimeout", "1s"), SystemProcessRunner.instance())) {
            d.list();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sio.gateway().issuedTokens().size() < 2 && System.nanoTime() < deadline) {
            sleep(50); // the late login's session exists on the gateway once its answer is written
        }
        assertThat(sio.gateway().issuedTokens()).as("tokens issued: the late login's too").hasSizeGreaterThanOrEqualTo(2);
        sleep(200); // the driver has had its chance to log the late one out (it did before close returned)
        assertThat(sio.gateway().activeTokens()).as("sessions live after close").isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The system clock moved forward by hand, shared by the emulator and the driver. */
    private static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration d) {
            shift = shift.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }
}
