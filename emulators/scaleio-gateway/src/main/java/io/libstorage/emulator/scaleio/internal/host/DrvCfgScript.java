package io.libstorage.emulator.scaleio.internal.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a host's fake {@code drv_cfg}: a POSIX shell script with the host's identity baked in, answering
 * {@code --query_guid}, {@code --query_mdms} (and {@code --query_mdm}), {@code --query_vols} (read from the
 * host's device links at run time) and {@code --rescan}, in the output formats of reference section 8.
 * Every baked-in value is validated against a strict pattern or single-quoted, so no value can inject shell code.
 */
public final class DrvCfgScript {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern GUID = Pattern.compile("[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}");
    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]+");

    private DrvCfgScript() {
    }

    /**
     * One system the host's SDC belongs to.
     *
     * @param systemId  the system (MDM) id
     * @param sdcId     the SDC id in that system
     * @param installId the system's installation id
     * @param mdmIps    the MDM IPs
     */
    public record Membership(String systemId, String sdcId, String installId, List<String> mdmIps) {
    }

    public static void write(Path script, String guid, Path deviceDir, List<Membership> memberships) throws IOException {
        Files.createDirectories(script.toAbsolutePath().getParent());
        Path tmp = script.resolveSibling(script.getFileName() + ".tmp");
        Files.writeString(tmp, render(guid, deviceDir, memberships), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String render(String guid, Path deviceDir, List<Membership> memberships) {
        require(GUID, guid, "GUID");
        StringBuilder mdms = new StringBuilder();
        mdms.append("  printf 'Retrieved %d mdm(s)\\n' ").append(memberships.size()).append('\n');
        for (Membership m : memberships) {
            require(HEX, m.systemId(), "system id");
            require(HEX, m.sdcId(), "SDC id");
            require(HEX, m.installId(), "installation id");
            StringBuilder ips = new StringBuilder();
            for (int i = 0; i < m.mdmIps().size(); i++) {
                require(IP, m.mdmIps().get(i), "MDM IP");
                ips.append(i == 0 ? "" : " ").append('[').append(i).append("]-").append(m.mdmIps().get(i));
            }
            mdms.append("  printf 'MDM-ID %s SDC ID %s INSTALLATION ID %s IPs %s\\n' ")
                    .append(m.systemId()).append(' ').append(m.sdcId()).append(' ').append(m.installId())
                    .append(" '").append(ips).append("'\n");
        }
        return """
                #!/bin/sh
                # Fake drv_cfg of SDC %s, written by the ScaleIO gateway emulator.
                # It is rewritten whenever the host joins a system; --query_vols reads the device links live.
                guid='%s'
                device_dir=%s

                query_mdms() {
                %s}

                vol_links() {
                  for f in "$device_dir"/emc-vol-*; do
                    [ -L "$f" ] || continue
                    case "${f##*/}" in *-part*) continue ;; esac
                    printf '%%s\\n' "${f##*/}"
                  done
                }

                query_vols() {
                  links=$(vol_links)
                  if [ -z "$links" ]; then n=0; else n=$(printf '%%s\\n' "$links" | wc -l | tr -d ' '); fi
                  printf 'Retrieved %%d volume(s)\\n' "$n"
                  [ "$n" -eq 0 ] && return 0
                  printf '%%s\\n' "$links" | while IFS= read -r name; do
                    rest=${name#emc-vol-}
                    printf 'VOL-ID %%s MDM-ID %%s\\n' "${rest#*-}" "${rest%%%%-*}"
                  done
                }

                case "$1" in
                  --query_guid) printf '%%s\\n' "$guid" ;;
                  --query_mdms|--query_mdm) query_mdms ;;
                  --query_vols) query_vols ;;
                  --rescan) exit 0 ;;
                  *) echo "Usage: drv_cfg --query_guid | --query_mdms | --query_vols | --rescan" >&2; exit 1 ;;
                esac
                """.formatted(guid, guid, singleQuoted(deviceDir.toString()), mdms);
    }

    private static void require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " for drv_cfg: " + value);
        }
    }

    /** POSIX single quoting: everything literal, a single quote written as {@code '\''}. */
    static String singleQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
