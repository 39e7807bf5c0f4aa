package io.libstorage.emulator.scaleio.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.libstorage.emulator.scaleio.internal.Model.DomainRec;
import io.libstorage.emulator.scaleio.internal.Model.MappingRec;
import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;
import io.libstorage.emulator.scaleio.internal.Model.VTreeRec;
import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;

import java.io.IOException;
import java.util.Map;

/**
 * The wire shapes of reference section 4 (ScaleIO 2.x field names and order), with every {@code links} rel
 * of section 2.1, {@code null} (never {@code []}) for absent mappings, and native JSON types.
 */
final class JsonViews {
    private final Connectivity connectivity;
    private final String systemVersionName;
    private final boolean hostTypes;

    /** {@code hostTypes}: 4.x, whose SDC collection also lists NVMe hosts and says which is which. */
    JsonViews(Connectivity connectivity, String systemVersionName, boolean hostTypes) {
        this.connectivity = connectivity;
        this.systemVersionName = systemVersionName;
        this.hostTypes = hostTypes;
    }

    boolean hostTypes() {
        return hostTypes;
    }

    /**
     * The NVMe/TCP host a 4.x system lists in its SDC collection (goscaleio-dell {@code types.NvmeHost}: no
     * {@code sdcGuid}, no {@code mdmConnectionState}).
     */
    void nvmeHost(JsonGenerator g, SystemRec s) throws IOException {
        String id = s.id().substring(0, 8) + "4e564d65";
        String self = "/api/instances/Sdc::" + id;
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("name", "nvme-host-1");
        g.writeStringField("hostType", "NVMeHost");
        g.writeStringField("nqn", "nqn.2014-08.org.nvmexpress:uuid:" + s.installId());
        g.writeNumberField("maxNumPaths", 4);
        g.writeNumberField("maxNumSysPorts", 10);
        g.writeStringField("systemId", s.id());
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/parent/relationship/systemId", "/api/instances/System::" + s.id());
        g.writeEndArray();
        g.writeEndObject();
    }

    void system(JsonGenerator g, SystemRec s, boolean restrictedSdcMode) throws IOException {
        String self = "/api/instances/System::" + s.id();
        g.writeStartObject();
        g.writeStringField("id", s.id());
        g.writeStringField("name", s.name());
        g.writeStringField("systemVersionName", systemVersionName);
        g.writeStringField("installId", s.installId());
        g.writeObjectFieldStart("mdmCluster");
        g.writeStringField("clusterState", "ClusteredNormal");
        g.writeStringField("clusterMode", "OneNode");
        g.writeObjectFieldStart("master");
        g.writeArrayFieldStart("managementIPs");
        for (String ip : s.mdmIps()) {
            g.writeString(ip);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("ips");
        for (String ip : s.mdmIps()) {
            g.writeString(ip);
        }
        g.writeEndArray();
        g.writeStringField("role", "Manager");
        g.writeStringField("id", s.installId());
        g.writeNumberField("port", s.mdmPort());
        g.writeEndObject();
        g.writeNumberField("goodNodesNum", 1);
        g.writeNumberField("goodReplicasNum", 1);
        g.writeStringField("id", s.id());
        g.writeEndObject();
        g.writeBooleanField("restrictedSdcModeEnabled", restrictedSdcMode);
        g.writeStringField("restrictedSdcMode", restrictedSdcMode ? "Guid" : "None");
        g.writeNumberField("mdmManagementPort", 6611);
        g.writeNumberField("capacityAlertHighThresholdPercent", 80);
        g.writeNumberField("capacityAlertCriticalThresholdPercent", 90);
        g.writeStringField("perfProfile", "Default");
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/System/relationship/Statistics", self + "/relationships/Statistics");
        link(g, "/api/System/relationship/ProtectionDomain", self + "/relationships/ProtectionDomain");
        link(g, "/api/System/relationship/Sdc", self + "/relationships/Sdc");
        link(g, "/api/System/relationship/User", self + "/relationships/User");
        g.writeEndArray();
        g.writeEndObject();
    }

    void domain(JsonGenerator g, DomainRec d) throws IOException {
        String self = "/api/instances/ProtectionDomain::" + d.id();
        g.writeStartObject();
        g.writeStringField("id", d.id());
        g.writeStringField("name", d.name());
        g.writeStringField("systemId", d.systemId());
        g.writeStringField("protectionDomainState", "Active");
        g.writeBooleanField("rebuildNetworkThrottlingEnabled", false);
        g.writeBooleanField("rebalanceNetworkThrottlingEnabled", false);
        g.writeBooleanField("overallIoNetworkThrottlingEnabled", false);
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/ProtectionDomain/relationship/Statistics", self + "/relationships/Statistics");
        link(g, "/api/ProtectionDomain/relationship/StoragePool", self + "/relationships/StoragePool");
        link(g, "/api/ProtectionDomain/relationship/Sds", self + "/relationships/Sds");
        link(g, "/api/ProtectionDomain/relationship/FaultSet", self + "/relationships/FaultSet");
        link(g, "/api/parent/relationship/systemId", "/api/instances/System::" + d.systemId());
        g.writeEndArray();
        g.writeEndObject();
    }

    void pool(JsonGenerator g, PoolRec p) throws IOException {
        String self = "/api/instances/StoragePool::" + p.id();
        g.writeStartObject();
        g.writeStringField("id", p.id());
        g.writeStringField("name", p.name());
        g.writeStringField("protectionDomainId", p.domainId());
        g.writeBooleanField("zeroPaddingEnabled", false);
        g.writeBooleanField("useRmcache", false);
        g.writeNumberField("sparePercentage", 10);
        g.writeBooleanField("rebuildEnabled", true);
        g.writeBooleanField("rebalanceEnabled", true);
        g.writeBooleanField("checksumEnabled", false);
        g.writeBooleanField("useRfcache", false);
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/StoragePool/relationship/Statistics", self + "/relationships/Statistics");
        link(g, "/api/StoragePool/relationship/Volume", self + "/relationships/Volume");
        link(g, "/api/StoragePool/relationship/Device", self + "/relationships/Device");
        link(g, "/api/StoragePool/relationship/VTree", self + "/relationships/VTree");
        link(g, "/api/parent/relationship/protectionDomainId", "/api/instances/ProtectionDomain::" + p.domainId());
        g.writeEndArray();
        g.writeEndObject();
    }

    void vtree(JsonGenerator g, VTreeRec t) throws IOException {
        String self = "/api/instances/VTree::" + t.id();
        g.writeStartObject();
        g.writeStringField("id", t.id());
        g.writeNullField("name");
        g.writeStringField("baseVolumeId", t.baseVolumeId());
        g.writeStringField("storagePoolId", t.poolId());
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/VTree/relationship/Statistics", self + "/relationships/Statistics");
        link(g, "/api/VTree/relationship/Volume", self + "/relationships/Volume");
        link(g, "/api/parent/relationship/storagePoolId", "/api/instances/StoragePool::" + t.poolId());
        g.writeEndArray();
        g.writeEndObject();
    }

    void volume(JsonGenerator g, VolumeRec v) throws IOException {
        String self = "/api/instances/Volume::" + v.id();
        g.writeStartObject();
        g.writeBooleanField("mappingToAllSdcsEnabled", v.mappedToAll());
        g.writeFieldName("mappedSdcInfo");
        if (v.mappings().isEmpty()) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (MappingRec m : v.mappings()) {
                g.writeStartObject();
                g.writeStringField("sdcId", m.sdcId());
                g.writeStringField("sdcIp", m.sdcIp());
                g.writeNumberField("limitIops", m.limitIops());
                g.writeNumberField("limitBwInMbps", m.limitBwKbps() / 1024);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeNullField("mappedScsiInitiatorInfo");
        g.writeNumberField("creationTime", v.creationTime());
        g.writeBooleanField("useRmcache", v.useRmcache());
        g.writeBooleanField("isObfuscated", false);
        g.writeStringField("volumeType", v.volumeType());
        nullableString(g, "consistencyGroupId", v.groupId());
        g.writeStringField("vtreeId", v.vtreeId());
        nullableString(g, "ancestorVolumeId", v.ancestorId());
        g.writeStringField("storagePoolId", v.poolId());
        g.writeNumberField("sizeInKb", v.sizeKb());
        nullableString(g, "name", v.name());
        g.writeStringField("id", v.id());
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/Volume/relationship/Statistics", self + "/relationships/Statistics");
        link(g, "/api/parent/relationship/vtreeId", "/api/instances/VTree::" + v.vtreeId());
        link(g, "/api/parent/relationship/storagePoolId", "/api/instances/StoragePool::" + v.poolId());
        if (v.ancestorId() != null) {
            link(g, "/api/parent/relationship/ancestorVolumeId", "/api/instances/Volume::" + v.ancestorId());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    void sdc(JsonGenerator g, SdcRec s) throws IOException {
        String self = "/api/instances/Sdc::" + s.id();
        g.writeStartObject();
        g.writeStringField("id", s.id());
        nullableString(g, "name", s.name());
        g.writeStringField("sdcIp", s.ip());
        g.writeStringField("sdcGuid", s.guid());
        if (hostTypes) {
            g.writeStringField("hostType", "SdcHost");
        }
        g.writeBooleanField("sdcApproved", s.approved());
        g.writeStringField("mdmConnectionState", connectivity.view(s.guid()).state().wireName());
        g.writeStringField("systemId", s.systemId());
        g.writeStringField("perfProfile", "Default");
        g.writeStringField("osType", "Linux");
        g.writeStringField("installedSoftwareVersionInfo", "R2_0.14000.0");
        g.writeStringField("kernelVersion", System.getProperty("os.version", "unknown"));
        g.writeNullField("versionInfo");
        g.writeNullField("sdcApprovedIps");
        g.writeBooleanField("onVmWare", false);
        g.writeArrayFieldStart("links");
        link(g, "self", self);
        link(g, "/api/Sdc/relationship/Statistics", self + "/relationships/Statistics");
        link(g, "/api/Sdc/relationship/Volume", self + "/relationships/Volume");
        link(g, "/api/parent/relationship/systemId", "/api/instances/System::" + s.systemId());
        g.writeEndArray();
        g.writeEndObject();
    }

    void user(JsonGenerator g, SystemRec s, String userName) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", "0000000000000001");
        g.writeStringField("name", userName);
        g.writeStringField("userRole", "SuperUser");
        g.writeBooleanField("passwordChangeRequired", false);
        g.writeStringField("systemId", s.id());
        g.writeArrayFieldStart("links");
        link(g, "self", "/api/instances/User::0000000000000001");
        link(g, "/api/parent/relationship/systemId", "/api/instances/System::" + s.id());
        g.writeEndArray();
        g.writeEndObject();
    }

    static void map(JsonGenerator g, Map<String, Object> values) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            g.writeFieldName(e.getKey());
            Object v = e.getValue();
            if (v instanceof Integer i) {
                g.writeNumber(i);
            } else if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v == null) {
                g.writeNull();
            } else {
                g.writeString(v.toString());
            }
        }
        g.writeEndObject();
    }

    private static void nullableString(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    private static void link(JsonGenerator g, String rel, String href) throws IOException {
        g.writeStartObject();
        g.writeStringField("rel", rel);
        g.writeStringField("href", href);
        g.writeEndObject();
    }
}
