package io.libstorage.scaleio.internal;

import io.libstorage.scaleio.internal.GatewayModel.SdcObj;
import io.libstorage.scaleio.internal.GatewayModel.VolumeObj;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the gateway's objects as 2.x, 3.x and 4.x write them. */
class GatewayModelTest {
    private static <T> T read(String json, Class<T> type) throws Exception {
        return GatewayResponse.Json.MAPPER.readValue(json, type);
    }

    @Test
    void aVolumeSizeIsReadInKibOrElseInGib() throws Exception {
        assertThat(read("{\"id\":\"a2b7cc6300000000\",\"sizeInKb\":8388608}", VolumeObj.class).sizeInKb()).isEqualTo(8388608);
        assertThat(read("{\"id\":\"a2b7cc6300000000\",\"sizeInGb\":16}", VolumeObj.class).sizeInKb()).isEqualTo(16L * 1024 * 1024);
        assertThat(read("{\"id\":\"a2b7cc6300000000\",\"sizeInGB\":\"24\"}", VolumeObj.class).sizeInKb()).isEqualTo(24L * 1024 * 1024);
        assertThat(read("{\"id\":\"a2b7cc6300000000\",\"sizeInKb\":8388608,\"sizeInGb\":16}", VolumeObj.class).sizeInKb())
                .as("KiB wins: it is exact").isEqualTo(8388608);
    }

    @Test
    void onlyHostsWithoutAHostTypeOrOfTypeSdcHostAreSdcs() throws Exception {
        assertThat(read("{\"id\":\"d0f055aa00000001\",\"sdcGuid\":\"7E01\"}", SdcObj.class).isSdc()).isTrue();
        assertThat(read("{\"id\":\"d0f055aa00000001\",\"sdcGuid\":\"7E01\",\"hostType\":\"SdcHost\"}", SdcObj.class).isSdc()).isTrue();
        assertThat(read("{\"id\":\"d0f055aa00000002\",\"hostType\":\"NVMeHost\",\"nqn\":\"nqn.2014-08.org.nvmexpress:uuid:1\"}",
                SdcObj.class).isSdc()).isFalse();
    }
}
