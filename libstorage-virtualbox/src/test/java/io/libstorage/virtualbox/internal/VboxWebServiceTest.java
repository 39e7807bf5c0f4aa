package io.libstorage.virtualbox.internal;

import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.emulator.vbox.FaultRule;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The websession: one logon, re-logon after a restart, stale references, releases, transport failures, progress waits. */
class VboxWebServiceTest {
    private static final ErrorContext CTX = ErrorContext.of("attach", "pg", "host-a", "virtualbox");

    @TempDir
    Path tmp;
    private EmulatedVbox vbox;

    @AfterEach
    void stop() {
        if (vbox != null) {
            vbox.close();
        }
    }

    private EmulatedVbox start() throws Exception {
        vbox = new EmulatedVbox(tmp);
        return vbox;
    }

    private String machineName(String vm) {
        return vbox.service.withSession(CTX, s -> s.machineName(s.findMachine(vm)));
    }

    @Test
    void oneLogonServesEveryCall() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            assertThat(machineName("host-a")).isEqualTo("host-a");
        }
        assertThat(vbox.service.logons()).isEqualTo(1);
        assertThat(vbox.emulator.requestCount("IWebsessionManager_logon")).isEqualTo(1);
        assertThat(vbox.service.calls().count("IVirtualBox_findMachine")).isEqualTo(5);
        assertThat(vbox.service.calls().count("IWebsessionManager_logon")).isEqualTo(1);
    }

    @Test
    void aRestartInTheMiddleOfTheWorkCostsExactlyOneLogonAndTheWorkRunsAgainFromTheStart() throws Exception {
        start();
        machineName("host-a");
        AtomicInteger runs = new AtomicInteger();
        String name = vbox.service.withSession(CTX, s -> {
            Ref m = s.findMachine("host-a");
            if (runs.incrementAndGet() == 1) {
                vbox.emulator.restart();
            }
            return s.machineName(m);
        });
        assertThat(name).isEqualTo("host-a");
        assertThat(runs.get()).isEqualTo(2);
        assertThat(vbox.service.logons()).isEqualTo(2);
        assertThat(vbox.service.calls().count("IVirtualBox_getVersion")).as("the IVirtualBox reference was probed once").isEqualTo(1);
        assertThat(vbox.emulator.requests()).as("no release is sent for references of the dead websession")
                .filteredOn(r -> r.operation().equals("IManagedObjectRef_release")).allSatisfy(r -> assertThat(r.fault()).isNull());
    }

    @Test
    void aRestartSeenByManyThreadsIsOneLogon() throws Exception {
        start();
        machineName("host-a");
        vbox.emulator.restart();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return machineName("host-a");
            }));
        }
        go.countDown();
        for (Future<String> f : results) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("host-a");
        }
        pool.shutdown();
        assertThat(vbox.service.logons()).isEqualTo(2);
    }

    @Test
    void anEmptySessionObjectFromADeadWebsessionAlsoLeadsToOneLogon() throws Exception {
        start();
        machineName("host-a");
        vbox.emulator.restart();
        Ref session = vbox.service.withSession(CTX, VboxSession::sessionObject);
        assertThat(session.id()).isNotEmpty();
        assertThat(vbox.service.logons()).isEqualTo(2);
        assertThat(vbox.emulator.requests()).noneSatisfy(r -> assertThat(r.body()).contains("<_this></_this>"));
    }

    @Test
    void aStaleReferenceInALiveWebsessionIsFetchedAgainWithoutALogon() throws Exception {
        start();
        machineName("host-a");
        vbox.emulator.addFault(FaultRule.invalidObject("IMachine_getName")); // as if another holder had released it
        assertThat(machineName("host-a")).isEqualTo("host-a");
        assertThat(vbox.service.logons()).isEqualTo(1);
        assertThat(vbox.service.calls().count("IVirtualBox_getVersion")).as("one probe of the IVirtualBox reference").isEqualTo(1);
    }

    @Test
    void aReferenceHeldByTwoPiecesOfWorkIsReleasedOnlyByTheLast() throws Exception {
        start();
        String name = vbox.service.withSession(CTX, s -> {
            Ref m = s.findMachine("host-a");
            vbox.service.run(CTX, other -> other.release(other.findMachine("host-a"))); // the same reference
            return s.machineName(m);
        });
        assertThat(name).isEqualTo("host-a");
        assertThat(vbox.emulator.requestCount("IMachine_getName")).as("no second run").isEqualTo(1);
        assertThat(vbox.emulator.requestCount("IManagedObjectRef_release")).isEqualTo(1);
    }

    @Test
    void aSecondInvalidReferenceInTheRepeatedWorkIsNotRetriedForever() throws Exception {
        start();
        machineName("host-a");
        vbox.emulator.addFault(FaultRule.invalidObject("IMachine_getName").withTimes(5));
        assertThatThrownBy(() -> machineName("host-a")).isInstanceOf(VboxFault.class).hasMessageContaining("Invalid managed object reference");
        assertThat(vbox.emulator.requestCount("IMachine_getName")).as("1 before, then the work and its one repetition").isEqualTo(3);
        assertThat(vbox.service.logons()).isEqualTo(1);
    }

    @Test
    void everyReferenceOfTheWorkIsReleasedWhenItEnds() throws Exception {
        start();
        Ref[] kept = new Ref[2];
        vbox.service.run(CTX, s -> {
            kept[0] = s.findMachine("host-a");
            kept[1] = s.findMachine("host-a");
            s.storageControllers(kept[0]);
        });
        assertThat(kept[0]).isEqualTo(kept[1]);
        assertThat(vbox.emulator.requestCount("IManagedObjectRef_release")).as("machine once, controller once").isEqualTo(2);
        vbox.emulator.resetRequestLog();
        assertThatThrownBy(() -> vbox.service.withSession(CTX, s -> s.machineName(kept[0]))).as("released, so unknown now")
                .isInstanceOf(VboxFault.class);
    }

    @Test
    void aRuntimeFaultKeepsItsResultCodeAndText() throws Exception {
        start();
        assertThatThrownBy(() -> machineName("nope")).isInstanceOfSatisfying(VboxFault.class, f -> {
            assertThat(f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)).isTrue();
            assertThat(f.text()).isEqualTo("Could not find a registered machine named 'nope'");
            assertThat(f.operation()).isEqualTo("IVirtualBox_findMachine");
        });
        assertThat(vbox.service.logons()).isEqualTo(1);
    }

    @Test
    void aRefusedLogonIsAnAuthenticationErrorNamingTheUserButNeverThePassword() throws Exception {
        vbox = new EmulatedVbox(tmp, VboxWebServiceEmulator.builder().credentials("vbox", "right"),
                Map.of("userName", "vbox", "password", "wrong-s3cret"));
        assertThatThrownBy(() -> vbox.service.logon(CTX)).isInstanceOfSatisfying(AuthenticationException.class, e -> {
            assertThat(e.getMessage()).contains("user 'vbox'").contains("Error 12").contains(vbox.emulator.endpoint().toString())
                    .doesNotContain("wrong-s3cret").contains("operation=attach");
        });
        assertThat(vbox.service.settings().toString()).doesNotContain("wrong-s3cret");
    }

    @Test
    void anUnreachableServiceIsBackendUnavailableAndRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (VboxWebService service = new VboxWebService(EmulatedVbox.settings(Map.of("endpoint", "http://127.0.0.1:" + port,
                "connectTimeout", "2s")))) {
            assertThatThrownBy(() -> service.logon(CTX)).isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("did not answer IWebsessionManager_logon").contains("is vboxwebsrv running");
            });
        }
    }

    @Test
    void droppedConnectionsAndProxyErrorsAreBackendUnavailable() throws Exception {
        start();
        vbox.emulator.addFault(FaultRule.dropConnection("IMachine_getName"));
        assertThatThrownBy(() -> machineName("host-a")).isInstanceOf(BackendUnavailableException.class);
        vbox.emulator.addFault(FaultRule.httpError("IMachine_getName", 502, "<html>Bad Gateway</html>"));
        assertThatThrownBy(() -> machineName("host-a")).isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
            assertThat(e.getMessage()).contains("HTTP 502 and no SOAP fault");
            assertThat(e.retryable()).isTrue();
        });
        assertThat(machineName("host-a")).isEqualTo("host-a");
    }

    @Test
    void aFailedProgressBecomesAProgressFailureWithItsErrorInfo() throws Exception {
        start();
        Files.createDirectories(tmp.resolve("vols"));
        vbox.service.run(CTX, s -> s.awaitProgress(s.createBaseStorage(s.createMedium("vmdk", tmp.resolve("vols/dup").toString()), 1 << 20),
                "IMedium_createBaseStorage", Duration.ofSeconds(30)));
        assertThatThrownBy(() -> vbox.service.run(CTX, s -> s.awaitProgress(s.createBaseStorage(s.createMedium("vmdk",
                tmp.resolve("vols/dup").toString()), 1 << 20), "IMedium_createBaseStorage", Duration.ofSeconds(30))))
                .isInstanceOfSatisfying(VboxProgressFailure.class, f -> {
                    assertThat(f.is(ResultCodes.VBOX_E_FILE_ERROR)).isTrue();
                    assertThat(f.texts()).containsExactly("Could not create the medium storage unit '" + tmp.resolve("vols/dup")
                            + "' (VERR_ALREADY_EXISTS)");
                    assertThat(f.component()).isEqualTo("Medium");
                    assertThat(f.getMessage()).startsWith("IMedium_createBaseStorage failed with 0x80bb0004 (VBOX_E_FILE_ERROR): Could not");
                });
    }

    @Test
    void aProgressThatDoesNotCompleteInTimeIsATimeoutAfterBoundedWaits() throws Exception {
        start();
        vbox.emulator.slowProgress(Duration.ofMinutes(10));
        assertThatThrownBy(() -> vbox.service.run(CTX, s -> s.awaitProgress(s.createBaseStorage(s.createMedium("vmdk",
                tmp.resolve("vols/slow").toString()), 1 << 20), "IMedium_createBaseStorage", Duration.ofMillis(300))))
                .isInstanceOfSatisfying(OperationTimeoutException.class, e -> {
                    assertThat(e.deadline()).isEqualTo(Duration.ofMillis(300));
                    assertThat(e.getMessage()).contains("IMedium_createBaseStorage (progress ");
                });
        assertThat(vbox.emulator.requests()).filteredOn(r -> r.operation().equals("IProgress_waitForCompletion"))
                .allSatisfy(r -> assertThat(r.body()).doesNotContain("<timeout>-1</timeout>"));
    }

    @Test
    void theCallCounterCountsEveryRequestByOperation() throws Exception {
        start();
        Map<String, Long> before = vbox.service.calls().snapshot();
        machineName("host-a");
        assertThat(vbox.service.calls().since(before)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "IWebsessionManager_logon", 1L, "IVirtualBox_findMachine", 1L, "IMachine_getName", 1L, "IManagedObjectRef_release", 1L));
        assertThat(vbox.service.calls().total()).isEqualTo(vbox.emulator.requestCount());
    }
}
