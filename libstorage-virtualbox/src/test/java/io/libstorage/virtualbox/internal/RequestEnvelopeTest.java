package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact request bodies the client sends for every operation, as the emulator received them: canonical
 * document/literal envelopes, every WSDL element present (zeros included), children unqualified, in WSDL order.
 */
class RequestEnvelopeTest {
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope "
            + "xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body>";
    private static final String TAIL = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";
    private static final ErrorContext CTX = ErrorContext.of("test", null, null, "virtualbox");

    @TempDir
    Path tmp;
    private EmulatedVbox vbox;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("vols"));
        vbox = new EmulatedVbox(tmp, VboxWebServiceEmulator.builder().credentials("vbox", "s3cret"),
                Map.of("userName", "vbox", "password", "s3cret"));
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    private static String envelope(String operation, String children) {
        return HEAD + "<vbox:" + operation + ">" + children + "</vbox:" + operation + ">" + TAIL;
    }

    private <T> T with(Function<VboxSession, T> work) {
        return vbox.service.withSession(CTX, work);
    }

    private void expect(String operation, String children) {
        assertThat(vbox.lastBody(operation)).isEqualTo(envelope(operation, children));
    }

    @Test
    void logonSendsUserAndPasswordEscapedAndNothingElse() {
        assertThat(SoapEnvelope.write(SoapCall.of("IWebsessionManager_logon").text("username", "vbox").secret("password", "p<&>\"'")))
                .isEqualTo(envelope("IWebsessionManager_logon", "<username>vbox</username><password>p&lt;&amp;&gt;&quot;&apos;</password>"));
        assertThat(SoapCall.of("IWebsessionManager_logon").secret("password", "s3cret").toString()).doesNotContain("s3cret");
        vbox.service.logon(CTX);
        expect("IWebsessionManager_logon", "<username>vbox</username><password>******</password>"); // the emulator redacts its log
    }

    @Test
    void machineLookupAndNetworkAdapters() {
        Ref vb = with(s -> {
            Ref m = s.findMachine("host-a");
            s.machineId(m);
            s.machineName(m);
            s.machineState(m);
            s.chipsetType(m);
            Ref sp = s.systemProperties();
            s.maxNetworkAdapters(sp, "PIIX3");
            s.macAddress(s.networkAdapter(m, 0));
            s.machines();
            s.version();
            return s.vbox();
        });
        String machine = vbox.lastBody("IMachine_getId").replaceAll(".*<_this>([^<]+)</_this>.*", "$1");
        expect("IVirtualBox_findMachine", "<_this>" + vb + "</_this><nameOrId>host-a</nameOrId>");
        expect("IMachine_getId", "<_this>" + machine + "</_this>");
        expect("IMachine_getName", "<_this>" + machine + "</_this>");
        expect("IMachine_getState", "<_this>" + machine + "</_this>");
        expect("IMachine_getChipsetType", "<_this>" + machine + "</_this>");
        expect("IVirtualBox_getSystemProperties", "<_this>" + vb + "</_this>");
        assertThat(vbox.lastBody("ISystemProperties_getMaxNetworkAdapters")).matches(".*<_this>[0-9a-f-]{33}</_this><chipset>PIIX3</chipset>.*");
        expect("IMachine_getNetworkAdapter", "<_this>" + machine + "</_this><slot>0</slot>");
        assertThat(vbox.lastBody("INetworkAdapter_getMACAddress")).matches(".*<vbox:INetworkAdapter_getMACAddress><_this>[0-9a-f-]{33}</_this></vbox.*");
        expect("IVirtualBox_getMachines", "<_this>" + vb + "</_this>");
        expect("IVirtualBox_getVersion", "<_this>" + vb + "</_this>");
        expect("IManagedObjectRef_release", vbox.lastBody("IManagedObjectRef_release")
                .replaceAll(".*<vbox:IManagedObjectRef_release>(<_this>[0-9a-f-]{33}</_this>)</vbox.*", "$1"));
    }

    @Test
    void lockingAttachingAndDetaching() {
        String[] refs = with(s -> {
            Ref medium = s.createMedium("vmdk", tmp.resolve("vols/pg").toString());
            Ref progress = s.createBaseStorage(medium, 1L << 30);
            s.awaitProgress(progress, "IMedium_createBaseStorage", Duration.ofSeconds(30));
            Ref m = s.findMachine("host-a");
            Ref session = s.sessionObject();
            s.lockMachine(m, session, VboxSession.LockType.Shared);
            Ref mutable = s.sessionMachine(session);
            List<Ref> ctls = s.storageControllers(mutable);
            s.controllerName(ctls.get(0));
            s.controllerBus(ctls.get(0));
            s.portCount(ctls.get(0));
            s.maxPortCount(ctls.get(0));
            s.storageControllerByName(mutable, "SATA");
            s.mediumAttachmentsOfController(mutable, "SATA");
            s.attachDevice(mutable, "SATA", 1, 0, medium);
            s.saveSettings(mutable);
            s.mediumAttachments(mutable);
            s.detachDevice(mutable, "SATA", 1, 0);
            s.discardSettings(mutable);
            s.unlockMachine(session);
            return new String[] {s.vbox().id(), medium.id(), progress.id(), m.id(), session.id(), mutable.id()};
        });
        String vb = refs[0];
        String medium = refs[1];
        String progress = refs[2];
        String session = refs[4];
        String mutable = refs[5];
        expect("IVirtualBox_createMedium", "<_this>" + vb + "</_this><format>vmdk</format><location>" + tmp.resolve("vols/pg")
                + "</location><accessMode>ReadWrite</accessMode><aDeviceTypeType>HardDisk</aDeviceTypeType>");
        expect("IMedium_createBaseStorage", "<_this>" + medium + "</_this><logicalSize>1073741824</logicalSize><variant>Standard</variant>");
        assertThat(vbox.lastBody("IProgress_waitForCompletion")).matches(".*<_this>" + progress + "</_this><timeout>\\d+</timeout>.*");
        expect("IProgress_getCompleted", "<_this>" + progress + "</_this>");
        expect("IProgress_getResultCode", "<_this>" + progress + "</_this>");
        expect("IWebsessionManager_getSessionObject", "<refIVirtualBox>" + vb + "</refIVirtualBox>");
        expect("IMachine_lockMachine", "<_this>" + refs[3] + "</_this><session>" + session + "</session><lockType>Shared</lockType>");
        expect("ISession_getMachine", "<_this>" + session + "</_this>");
        expect("IMachine_getStorageControllers", "<_this>" + mutable + "</_this>");
        expect("IMachine_getStorageControllerByName", "<_this>" + mutable + "</_this><name>SATA</name>");
        expect("IMachine_getMediumAttachmentsOfController", "<_this>" + mutable + "</_this><name>SATA</name>");
        expect("IMachine_attachDevice", "<_this>" + mutable + "</_this><name>SATA</name><controllerPort>1</controllerPort><device>0</device>"
                + "<type>HardDisk</type><medium>" + medium + "</medium>");
        expect("IMachine_saveSettings", "<_this>" + mutable + "</_this>");
        expect("IMachine_getMediumAttachments", "<_this>" + mutable + "</_this>");
        expect("IMachine_detachDevice", "<_this>" + mutable + "</_this><name>SATA</name><controllerPort>1</controllerPort><device>0</device>");
        expect("IMachine_discardSettings", "<_this>" + mutable + "</_this>");
        expect("ISession_unlockMachine", "<_this>" + session + "</_this>");
        for (String op : List.of("IStorageController_getName", "IStorageController_getBus", "IStorageController_getPortCount",
                "IStorageController_getMaxPortCount")) {
            assertThat(vbox.lastBody(op)).as(op).matches(".*<vbox:" + op + "><_this>[0-9a-f-]{33}</_this></vbox:" + op + ">.*");
        }
    }

    @Test
    void mediumGettersDeletionOpeningAndProgressErrors() {
        String[] refs = with(s -> {
            Ref medium = s.createMedium("vmdk", tmp.resolve("vols/v1").toString());
            s.awaitProgress(s.createBaseStorage(medium, 1L << 20, "Standard", "NoCreateDir"), "IMedium_createBaseStorage",
                    Duration.ofSeconds(30));
            s.mediumId(medium);
            s.mediumName(medium);
            s.mediumLocation(medium);
            s.mediumDescription(medium);
            s.mediumFormat(medium);
            s.mediumState(medium);
            s.logicalSize(medium);
            s.machineIds(medium);
            s.hardDisks();
            s.closeMedium(medium);
            Ref opened = s.openMedium(tmp.resolve("vols/v1").toString());
            Ref deletion = s.deleteStorage(opened);
            s.awaitProgress(deletion, "IMedium_deleteStorage", Duration.ofSeconds(30));
            return new String[] {s.vbox().id(), medium.id(), opened.id(), deletion.id()};
        });
        String medium = refs[1];
        expect("IMedium_createBaseStorage", "<_this>" + medium + "</_this><logicalSize>1048576</logicalSize>"
                + "<variant>Standard</variant><variant>NoCreateDir</variant>");
        for (String op : List.of("IMedium_getId", "IMedium_getName", "IMedium_getLocation", "IMedium_getDescription", "IMedium_getFormat",
                "IMedium_getState", "IMedium_getLogicalSize", "IMedium_getMachineIds", "IMedium_close")) {
            expect(op, "<_this>" + medium + "</_this>");
        }
        expect("IVirtualBox_getHardDisks", "<_this>" + refs[0] + "</_this>");
        expect("IVirtualBox_openMedium", "<_this>" + refs[0] + "</_this><location>" + tmp.resolve("vols/v1")
                + "</location><deviceType>HardDisk</deviceType><accessMode>ReadWrite</accessMode><forceNewUuid>false</forceNewUuid>");
        expect("IMedium_deleteStorage", "<_this>" + refs[2] + "</_this>");

        vbox.emulator.failNextProgresses(1, 0x80BB0004, "disk full");
        try {
            with(s -> {
                Ref m = s.createMedium("vmdk", tmp.resolve("vols/v2").toString());
                s.awaitProgress(s.createBaseStorage(m, 1L << 20), "IMedium_createBaseStorage", Duration.ofSeconds(30));
                return null;
            });
        } catch (VboxProgressFailure expected) {
            // the bodies below are what matter here
        }
        String info = vbox.lastBody("IVirtualBoxErrorInfo_getText").replaceAll(".*<_this>([^<]+)</_this>.*", "$1");
        assertThat(vbox.lastBody("IProgress_getErrorInfo")).matches(".*<vbox:IProgress_getErrorInfo><_this>[0-9a-f-]{33}</_this></vbox.*");
        expect("IVirtualBoxErrorInfo_getComponent", "<_this>" + info + "</_this>");
        expect("IVirtualBoxErrorInfo_getNext", "<_this>" + info + "</_this>");
    }

    @Test
    void aDescriptionIsSetAndAMediumOpenedByItsUuid() {
        String[] refs = with(s -> {
            Ref medium = s.createMedium("vmdk", tmp.resolve("vols/d1").toString());
            s.awaitProgress(s.createBaseStorage(medium, 1L << 20), "IMedium_createBaseStorage", Duration.ofSeconds(30));
            s.setMediumDescription(medium, "libstorage:v1?size=1048576&fs=ext4&label.a%26b=c%3Cd");
            String id = s.mediumId(medium);
            Ref byId = s.openMedium(id);
            return new String[] {s.vbox().id(), medium.id(), id, byId.id(), s.mediumDescription(byId)};
        });
        expect("IMedium_setDescription", "<_this>" + refs[1] + "</_this><description>libstorage:v1?size=1048576&amp;fs=ext4"
                + "&amp;label.a%26b=c%3Cd</description>");
        expect("IVirtualBox_openMedium", "<_this>" + refs[0] + "</_this><location>" + refs[2]
                + "</location><deviceType>HardDisk</deviceType><accessMode>ReadWrite</accessMode><forceNewUuid>false</forceNewUuid>");
        assertThat(refs[3]).as("one reference per object in a websession").isEqualTo(refs[1]);
        assertThat(refs[4]).isEqualTo("libstorage:v1?size=1048576&fs=ext4&label.a%26b=c%3Cd");
    }

    @Test
    void closeLogsOff() {
        Ref vb = with(VboxSession::vbox);
        vbox.service.close();
        expect("IWebsessionManager_logoff", "<refIVirtualBox>" + vb + "</refIVirtualBox>");
        assertThat(vbox.emulator.activeWebsessions()).isZero();
    }
}
