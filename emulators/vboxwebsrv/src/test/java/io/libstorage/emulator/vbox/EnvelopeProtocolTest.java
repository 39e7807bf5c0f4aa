package io.libstorage.emulator.vbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The SOAP envelopes themselves: what vboxwebsrv (gSOAP) writes, what it accepts, and its generic faults. */
class EnvelopeProtocolTest {
    private VboxWebServiceEmulator vbox;
    private SoapClient client;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder().machine(MachineSpec.named("host-a")).start();
        client = new SoapClient(vbox);
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    @Test
    void logonAnswersInGsoapsEnvelopeWithTheFirstReferenceOfANewWebsession() throws Exception {
        SoapClient.Answer a = client.call("IWebsessionManager_logon", "username", "", "password", "");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).matches("(?s)<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                + "xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body><vbox:IWebsessionManager_logonResponse>"
                + "<returnval>[0-9a-f]{16}-0000000000000001</returnval></vbox:IWebsessionManager_logonResponse>"
                + "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n");
    }

    @Test
    void goStyleRequestsWithNamespacedChildrenAndNoPrefixesWork() throws Exception {
        client.logon();
        String go = "<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<IVirtualBox_findMachine xmlns=\"http://www.virtualbox.org/\"><_this>" + client.vbox + "</_this>"
                + "<nameOrId>host-a</nameOrId></IVirtualBox_findMachine></Body></Envelope>";
        SoapClient.Answer a = client.post(go);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.value()).isEqualTo(client.findMachine("host-a"));
    }

    @Test
    void anUnknownOperationIsNotImplementedNamingTheElementAsTheClientWroteIt() throws Exception {
        SoapClient.Answer a = client.call("IVirtualBox_getMachineGroups", "_this", "x");
        assertThat(a.fault()).isEqualTo("Method 'vbox:IVirtualBox_getMachineGroups' not implemented: method name or namespace not recognized");
        assertThat(a.body()).contains("<faultcode>SOAP-ENV:Client</faultcode>").doesNotContain("<detail>");

        SoapClient.Answer otherNamespace = client.post(SoapClient.CANONICAL_HEAD
                + "<ns1:IWebsessionManager_logon xmlns:ns1=\"urn:other\"><username/><password/></ns1:IWebsessionManager_logon>"
                + SoapClient.CANONICAL_TAIL);
        assertThat(otherNamespace.fault())
                .isEqualTo("Method 'ns1:IWebsessionManager_logon' not implemented: method name or namespace not recognized");
    }

    @Test
    void getAndGarbageGetGsoapsFaults() throws Exception {
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(vbox.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(new SoapClient.Answer(get.statusCode(), get.body()).fault()).isEqualTo("HTTP GET method not implemented");
        assertThat(client.post("<not-xml").fault()).isEqualTo("Well-formedness violation");
        assertThat(client.post("").fault()).startsWith("End of file or no input");
        assertThat(client.post("<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body/></Envelope>").body())
                .contains("<faultcode>SOAP-ENV:VersionMismatch</faultcode>");
    }

    @Test
    void anInvalidReferenceIsTheInvalidObjectFaultWithTheBadIdInTheDetail() throws Exception {
        SoapClient.Answer a = client.call("IMachine_getName", "_this", "13ad23cad785c103-0000000000000bd6");
        assertThat(a.status()).isEqualTo(500);
        assertThat(a.body()).contains("<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode>"
                + "<faultstring>VirtualBox error: Invalid managed object reference &quot;13ad23cad785c103-0000000000000bd6&quot;</faultstring>"
                + "<detail><vbox:InvalidObjectFault><badObjectID>13ad23cad785c103-0000000000000bd6</badObjectID>"
                + "</vbox:InvalidObjectFault></detail></SOAP-ENV:Fault>");
        assertThat(client.call("IMachine_getName", "_this", "").fault()).isEqualTo("VirtualBox error: Invalid managed object reference &quot;&quot;");
    }

    @Test
    void aReferenceOfAnotherInterfaceIsAnInvalidObjectToo() throws Exception {
        client.logon();
        assertThat(client.call("IMedium_getId", "_this", client.findMachine("host-a")).fault())
                .startsWith("VirtualBox error: Invalid managed object reference");
    }

    @Test
    void aVirtualBoxErrorIsARuntimeFaultWithTheResultCodeInTextAndDetailAndAnErrorInfoReference() throws Exception {
        client.logon();
        SoapClient.Answer a = client.call("IVirtualBox_findMachine", "_this", client.vbox, "nameOrId", "");
        assertThat(a.fault()).isEqualTo("VirtualBox error: rc=0x80bb0001 Could not find a registered machine named '' (0x80bb0001)");
        assertThat(a.faultResultCode()).isEqualTo(0x80BB0001).isNegative();
        String info = a.body().replaceAll("(?s).*<vbox:RuntimeFault><resultCode>-?\\d+</resultCode><returnval>([^<]+)</returnval>.*", "$1");
        assertThat(info).startsWith(client.vbox.substring(0, 17));
        assertThat(client.get("IVirtualBoxErrorInfo_getText", info)).isEqualTo("Could not find a registered machine named ''");
        assertThat(client.get("IVirtualBoxErrorInfo_getResultCode", info)).isEqualTo(Integer.toString(0x80BB0001));
    }

    @Test
    void valuesThatDoNotDecodeAreValidationFaultsAndMissingOnesAreDefaults() throws Exception {
        client.logon();
        String m = client.findMachine("host-a");
        assertThat(client.call("IMachine_getNetworkAdapter", "_this", m, "slot", "first").fault())
                .isEqualTo("Validation constraint violation: data type mismatch in element 'slot'");
        assertThat(client.call("IMachine_getNetworkAdapter", "_this", m).status()).as("missing slot = 0").isEqualTo(200);
        String session = client.ok("IWebsessionManager_getSessionObject", "refIVirtualBox", client.vbox).value();
        assertThat(client.call("IMachine_lockMachine", "_this", m, "session", session, "lockType", "Exclusive").fault())
                .isEqualTo("Validation constraint violation: data type mismatch in element 'lockType'");
    }

    @Test
    void emptyStringsAreWrittenAsOpenAndCloseTags() throws Exception {
        client.logon();
        String medium = client.createDisk(vbox.dataDir().resolve("vols/empty-description").toString(), 1 << 20);
        assertThat(client.ok("IMedium_getDescription", "_this", medium).body()).contains("<returnval></returnval>");
    }
}
