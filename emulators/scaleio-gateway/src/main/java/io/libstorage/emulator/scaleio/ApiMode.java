package io.libstorage.emulator.scaleio;

/**
 * Which gateway generation the emulator behaves as; chosen from the API version it answers
 * ({@link ScaleIoGatewayEmulator.Builder#apiVersion(String)}, {@code --api-version}).
 * <ul>
 * <li>{@link #CLASSIC} (2.x, 3.0 to 3.5): {@code GET /api/login} (Basic user:password) and Basic user:token on every
 * call; nothing under {@code /rest/} (404).</li>
 * <li>{@link #V3_6} (3.6 to 3.x): as classic, and {@code POST /rest/auth/login} answers {@code {}}
 * (goscaleio-dell#192).</li>
 * <li>{@link #V4} (4.0 and later): {@code POST /rest/auth/login} with {@code {"username","password"}} answers
 * {@code access_token}, {@code refresh_token} and {@code expires_in}; calls carry {@code Authorization: Bearer};
 * {@code POST /rest/auth/refresh} and {@code POST /rest/auth/logout} (204) take {@code {"refresh_token"}}. {@code GET
 * /api/login} still answers a token, taken as bearer token (goscaleio-dell sends it so from 4.0 on), and as Basic
 * password only by {@code /api/version} (dell/python-powerflex reads the version so) and {@code /api/logout}. Every 401 has a non-JSON body (lxd), a
 * {@code queryIdByKey} miss answers errorCode 79 (lxd), and the SDC collection lists an NVMe host
 * ({@code hostType: NVMeHost}, no {@code sdcGuid}) before the SDCs ({@code hostType: SdcHost}).</li>
 * </ul>
 */
public enum ApiMode {
    CLASSIC, V3_6, V4;

    /** The mode of an API version text such as {@code 2.0}, {@code 3.6} or {@code 4.5}. */
    public static ApiMode of(String apiVersion) {
        String[] parts = apiVersion.strip().split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(parts[0]);
            minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*$", "")) : 0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an API version such as 2.0, 3.6 or 4.5: " + apiVersion);
        }
        if (major >= 4) {
            return V4;
        }
        return major == 3 && minor >= 6 ? V3_6 : CLASSIC;
    }
}
