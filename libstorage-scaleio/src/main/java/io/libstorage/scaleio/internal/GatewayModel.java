package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

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
        List<MappedSdc> mappings() {
            return mappedSdcInfo == null ? List.of() : mappedSdcInfo;
        }

        boolean isSnapshot() {
            return "Snapshot".equals(volumeType);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SdcObj(String id, String name, String sdcIp, List<String> sdcIps, String sdcGuid, Boolean sdcApproved,
                  String mdmConnectionState, String systemId) {
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
