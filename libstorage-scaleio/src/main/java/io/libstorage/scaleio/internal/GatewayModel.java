package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The gateway's objects, with the exact wire names; unknown fields are ignored, nulls tolerated. */
final class GatewayModel {
    private GatewayModel() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SystemObj(String id, String name, String systemVersionName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProtectionDomainObj(String id, String name, String systemId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StoragePoolObj(String id, String name, String protectionDomainId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MappedSdc(String sdcId, String sdcIp) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VolumeObj(String id, String name, long sizeInKb, String storagePoolId, String volumeType, String vtreeId,
                     String ancestorVolumeId, Long creationTime, List<MappedSdc> mappedSdcInfo) {
        /**
         * From the wire: the size is {@code sizeInKb} (KiB, every version); a gateway that answers only
         * {@code sizeInGb} / {@code sizeInGB} (GiB, as 4.x requests take it) is read in GiB rather than as 0.
         */
        @JsonCreator
        static VolumeObj fromWire(@JsonProperty("id") String id, @JsonProperty("name") String name,
                                  @JsonProperty("sizeInKb") Long sizeInKb, @JsonProperty("sizeInGb") @JsonAlias("sizeInGB") Long sizeInGb,
                                  @JsonProperty("storagePoolId") String storagePoolId, @JsonProperty("volumeType") String volumeType,
                                  @JsonProperty("vtreeId") String vtreeId, @JsonProperty("ancestorVolumeId") String ancestorVolumeId,
                                  @JsonProperty("creationTime") Long creationTime, @JsonProperty("mappedSdcInfo") List<MappedSdc> mappedSdcInfo) {
            long kib = sizeInKb != null ? sizeInKb : sizeInGb != null ? sizeInGb * 1024 * 1024 : 0;
            return new VolumeObj(id, name, kib, storagePoolId, volumeType, vtreeId, ancestorVolumeId, creationTime, mappedSdcInfo);
        }

        List<MappedSdc> mappings() {
            return mappedSdcInfo == null ? List.of() : mappedSdcInfo;
        }

        boolean isSnapshot() {
            return "Snapshot".equals(volumeType);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SdcObj(String id, String name, String sdcIp, List<String> sdcIps, String sdcGuid, Boolean sdcApproved,
                  String mdmConnectionState, String systemId, String hostType) {
        /**
         * Whether this is an SDC: 4.x lists NVMe/TCP hosts in the same collection ({@code hostType: NVMeHost}, no GUID
         * and no MDM connection); older gateways send no {@code hostType}, and every entry is an SDC.
         */
        boolean isSdc() {
            return hostType == null || "SdcHost".equalsIgnoreCase(hostType);
        }

        boolean connected() {
            return "Connected".equalsIgnoreCase(mdmConnectionState);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SnapshotResult(List<String> volumeIdList, String snapshotGroupId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String message, Integer httpStatusCode, Integer errorCode) {
    }
}
