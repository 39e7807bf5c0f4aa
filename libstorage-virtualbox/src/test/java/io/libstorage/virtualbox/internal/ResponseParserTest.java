package io.libstorage.virtualbox.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every answer shape the client must read: gSOAP's, Go-style, faults of each kind (texts from real reports), and garbage. */
class ResponseParserTest {
    private static final String GSOAP_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope "
            + "xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
            + "xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body>";
    private static final String GSOAP_TAIL = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";

    private static SoapResponse parse(String operation, String body) {
        return SoapResponseParser.parse(operation, body.getBytes(StandardCharsets.UTF_8));
    }

    private static VboxFault fault(String operation, String faultXml) {
        try {
            parse(operation, GSOAP_HEAD + faultXml + GSOAP_TAIL);
        } catch (VboxFault f) {
            return f;
        }
        throw new AssertionError("no fault");
    }

    @Test
    void aSingleValueAndAVoidAnswer() {
        assertThat(parse("IWebsessionManager_logon", GSOAP_HEAD + "<vbox:IWebsessionManager_logonResponse><returnval>"
                + "634f0d8fd6ef0e49-0000000000000001</returnval></vbox:IWebsessionManager_logonResponse>" + GSOAP_TAIL).single())
                .isEqualTo("634f0d8fd6ef0e49-0000000000000001");
        assertThat(parse("IMachine_saveSettings", GSOAP_HEAD + "<vbox:IMachine_saveSettingsResponse></vbox:IMachine_saveSettingsResponse>"
                + GSOAP_TAIL).values()).isEmpty();
        assertThat(parse("IMedium_getDescription", GSOAP_HEAD + "<vbox:IMedium_getDescriptionResponse><returnval/>"
                + "</vbox:IMedium_getDescriptionResponse>" + GSOAP_TAIL).single()).isEmpty();
    }

    @Test
    void repeatedValuesAndEscapes() {
        SoapResponse r = parse("IVirtualBox_getMachines", GSOAP_HEAD + "<vbox:IVirtualBox_getMachinesResponse><returnval>a-1</returnval>"
                + "<returnval>a-2</returnval></vbox:IVirtualBox_getMachinesResponse>" + GSOAP_TAIL);
        assertThat(r.texts()).containsExactly("a-1", "a-2");
        assertThat(parse("IMedium_getName", GSOAP_HEAD + "<vbox:IMedium_getNameResponse><returnval>a &amp; b &lt;c&gt;</returnval>"
                + "</vbox:IMedium_getNameResponse>" + GSOAP_TAIL).single()).isEqualTo("a & b <c>");
    }

    @Test
    void attachmentsByValueInTheFiveAndSevenElementSets() {
        String v5 = "<returnval><medium>3057518e9ce2b2ad-0000000000000005</medium><controller>SATA</controller><port>1</port>"
                + "<device>0</device><type>HardDisk</type><passthrough>false</passthrough><temporaryEject>false</temporaryEject>"
                + "<isEjected>false</isEjected><nonRotational>false</nonRotational><discard>false</discard>"
                + "<hotPluggable>false</hotPluggable><bandwidthGroup/></returnval>";
        String v7Empty = "<returnval><machine>3057518e9ce2b2ad-0000000000000002</machine><medium></medium><controller>IDE</controller>"
                + "<port>1</port><device>0</device><type>DVD</type><hotPluggable>true</hotPluggable><bandwidthGroup></bandwidthGroup></returnval>";
        List<Map<String, String>> structs = parse("IMachine_getMediumAttachments", GSOAP_HEAD + "<vbox:IMachine_getMediumAttachmentsResponse>"
                + v5 + v7Empty + "</vbox:IMachine_getMediumAttachmentsResponse>" + GSOAP_TAIL).structs();
        MediumAttachment a = MediumAttachment.from(structs.get(0), new Ref(structs.get(0).get("medium")));
        assertThat(a).isEqualTo(new MediumAttachment(new Ref("3057518e9ce2b2ad-0000000000000005"), "SATA", 1, 0, "HardDisk", false));
        assertThat(a.hardDisk()).isTrue();
        assertThat(structs.get(1).get("medium")).isEmpty();
        MediumAttachment dvd = MediumAttachment.from(structs.get(1), null);
        assertThat(dvd.hardDisk()).isFalse();
        assertThat(dvd.hotPluggable()).isTrue();
    }

    @Test
    void goStyleAnswersWithDefaultNamespacesAreReadByLocalName() {
        String go = "<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body><IMachine_getNameResponse "
                + "xmlns=\"http://www.virtualbox.org/\"><returnval>host-a</returnval></IMachine_getNameResponse></Body></Envelope>";
        assertThat(parse("IMachine_getName", go).single()).isEqualTo("host-a");
    }

    @Test
    void theInvalidObjectFaultAsPhpVirtualBoxReportedIt() {
        VboxFault f = fault("IMachine_getName", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>VirtualBox error: "
                + "Invalid managed object reference \"13ad23cad785c103-0000000000000bd6\"</faultstring><detail><vbox:InvalidObjectFault>"
                + "<badObjectID>13ad23cad785c103-0000000000000bd6</badObjectID></vbox:InvalidObjectFault></detail></SOAP-ENV:Fault>");
        assertThat(f.kind()).isEqualTo(VboxFault.Kind.INVALID_OBJECT);
        assertThat(f.invalidObject()).isTrue();
        assertThat(f.badObjectId()).isEqualTo("13ad23cad785c103-0000000000000bd6");
        assertThat(f.resultCode()).isEmpty();
        assertThat(f.faultCode()).isEqualTo("SOAP-ENV:Client");
        assertThat(f.getMessage()).isEqualTo("IMachine_getName: VirtualBox error: Invalid managed object reference \"13ad23cad785c103-0000000000000bd6\"");
        VboxFault empty = fault("IMedium_getId", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>VirtualBox error: "
                + "Invalid managed object reference \"\"</faultstring></SOAP-ENV:Fault>");
        assertThat(empty.invalidObject()).as("rexray#1218's text without a detail").isTrue();
    }

    @Test
    void runtimeFaultsCarryTheResultCodeFromTheTextAndFallBackToTheDetail() {
        VboxFault f = fault("IMachine_attachDevice", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>VirtualBox error: "
                + "rc=0x80070057 The port and/or device parameter are out of range: port=1 (must be in range [0, 0]), device=0 (must be in "
                + "range [0, 0]) (0x80070057)</faultstring><detail><vbox:RuntimeFault><resultCode>-2147024809</resultCode>"
                + "<returnval>634f0d8fd6ef0e49-0000000000000009</returnval></vbox:RuntimeFault></detail></SOAP-ENV:Fault>");
        assertThat(f.kind()).isEqualTo(VboxFault.Kind.RUNTIME);
        assertThat(f.resultCode()).hasValue(ResultCodes.E_INVALIDARG);
        assertThat(f.is(ResultCodes.E_INVALIDARG)).isTrue();
        assertThat(f.text()).isEqualTo("The port and/or device parameter are out of range: port=1 (must be in range [0, 0]), "
                + "device=0 (must be in range [0, 0])");
        assertThat(f.errorInfoRef()).isEqualTo("634f0d8fd6ef0e49-0000000000000009");

        VboxFault old = fault("IVirtualBox_findMachine", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>VirtualBox "
                + "error: Could not find a registered machine named 'x' (0x80BB0001)</faultstring><detail><vbox:RuntimeFault>"
                + "<resultCode>-2135228415</resultCode><interfaceID>{x}</interfaceID><component>VirtualBox</component>"
                + "<text>Could not find a registered machine named 'x'</text></vbox:RuntimeFault></detail></SOAP-ENV:Fault>");
        assertThat(old.resultCode()).as("older vboxwebsrv: no rc= in the text, code in the detail").hasValue(ResultCodes.VBOX_E_OBJECT_NOT_FOUND);
        assertThat(old.text()).isEqualTo("Could not find a registered machine named 'x'");
    }

    @Test
    void gsoapsOwnFaultsAreOther() {
        VboxFault f = fault("IVirtualBox_getMachineGroups", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>Method "
                + "'n0:IVirtualBox_getMachineGroups' not implemented: method name or namespace not recognized</faultstring></SOAP-ENV:Fault>");
        assertThat(f.kind()).isEqualTo(VboxFault.Kind.OTHER);
        assertThat(f.resultCode()).isEmpty();
        assertThat(f.text()).startsWith("Method 'n0:");
    }

    @Test
    void anythingElseIsAFormatError() {
        assertThatThrownBy(() -> parse("IMachine_getName", "")).isInstanceOf(SoapResponse.SoapFormatException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("IMachine_getName", "<html><body>502 Bad Gateway</body></html>"))
                .isInstanceOf(SoapResponse.SoapFormatException.class).hasMessageContaining("not a SOAP envelope");
        assertThatThrownBy(() -> parse("IMachine_getName", GSOAP_HEAD + "<vbox:IMachine_getIdResponse><returnval>x</returnval>"
                + "</vbox:IMachine_getIdResponse>" + GSOAP_TAIL)).hasMessageContaining("instead of IMachine_getNameResponse");
        assertThatThrownBy(() -> parse("IMachine_getName", "<Envelope")).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> parse("IVirtualBox_getMachines", GSOAP_HEAD + "<vbox:IVirtualBox_getMachinesResponse>"
                + "</vbox:IVirtualBox_getMachinesResponse>" + GSOAP_TAIL).single()).hasMessageContaining("0 values");
    }

    @Test
    void documentTypeDeclarationsAreRefusedSoNoEntityIsEverExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body><IMachine_getNameResponse><returnval>&e;"
                + "</returnval></IMachine_getNameResponse></Body></Envelope>";
        assertThatThrownBy(() -> parse("IMachine_getName", xxe)).isInstanceOf(SoapResponse.SoapFormatException.class);
    }
}
