#!/usr/bin/env bash
# The Debian package, for real (root, Debian 12): bash .ci/deb-checks.sh packaging/debian/target/libstorage_<v>_<arch>.deb
# Installs it with dpkg, runs the installed command, dvdcli and the unit's service command, checks the unit
# (systemctl when systemd runs, else systemd-analyze verify), reinstalls and upgrades over a changed conffile,
# removes (the conffile stays) and purges (nothing stays). Leaves the machine as it found it, also on failure.
set -euo pipefail
deb=$(readlink -f "$1")
pkg=libstorage
unit=/lib/systemd/system/libstorage.service
conf=/etc/libstorage/config.yml

fail() { echo "deb-checks: FAIL: $*" >&2; exit 1; }
ok() { echo "    ok: $*"; }
installed() { [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)" = "ii " ]; }
known() { dpkg-query -W "$pkg" >/dev/null 2>&1; }

[ -f "$deb" ] || fail "no package at $1"
if known; then
    fail "a $pkg package is already installed or configured here ($(dpkg-query -W -f='${Version} ${db:Status-Abbrev}' $pkg)); purge it first"
fi
var_lib_before=$([ -e /var/lib/libstorage ] && echo present || echo absent)
scratch=$(mktemp -d /tmp/libstorage-deb-checks.XXXXXX)
service_pid=
notify_pid=
cleanup() {
    [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null || true
    [ -n "$notify_pid" ] && kill "$notify_pid" 2>/dev/null || true
    if known; then
        dpkg -P "$pkg" >/dev/null 2>&1 || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

echo "--- the package: $(basename "$deb")"
dpkg-deb --info "$deb" control | sed 's/^/    /'
dpkg-deb --info "$deb" conffiles | grep -qx "$conf" || fail "$conf is not a conffile"
ok "$conf is a conffile"
dpkg-deb --field "$deb" Depends | grep -q 'openjdk-17-jre-headless' || fail "no JRE dependency"
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/libstorage ./usr/bin/dvdcli ./usr/share/libstorage/bin/libstorage ".$unit" ".$conf" \
            ./usr/share/doc/libstorage/copyright ./usr/share/doc/libstorage/README.Debian ./usr/share/doc/libstorage/sbom.cdx.json; do
    grep -qx -- "$path" <<<"$contents" || fail "$path is not in the package"
done
if grep -q '\.jsa$' <<<"$contents"; then
    fail "the package ships a CDS archive: it belongs to one JVM build and is written by postinst"
fi
ok "contents"
# every third-party jar is covered by a Files: paragraph of the copyright file (ours are under "Files: *")
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/doc/libstorage/copyright >"$scratch/copyright"
patterns=$(awk '/^Files:/ { on = 1; sub(/^Files:/, ""); print; next } on && /^ / { print; next } { on = 0 }' "$scratch/copyright" \
    | tr ' ' '\n' | grep -v -e '^$' -e '^\*$' || true)
for jar in $(grep '^\./usr/share/libstorage/lib/.*\.jar$' <<<"$contents" | sed 's#^\./##'); do
    case ${jar##*/} in libstorage-*) continue ;; esac
    covered=
    for pattern in $patterns; do
        # shellcheck disable=SC2254
        case $jar in $pattern) covered=yes; break ;; esac
    done
    [ -n "$covered" ] || fail "$jar is not named by any Files: paragraph of debian/copyright (packaging/debian/src/deb/doc/copyright)"
done
ok "copyright names every bundled library"
# a jar with a native library (Maven classifier linux-x86_64 and the like) ties the package to that architecture
natives=$(grep -E -- '-(linux|osx|windows)-[a-z0-9_]+\.jar$' <<<"$contents" || true)
if [ -n "$natives" ] && [ "$(dpkg-deb --field "$deb" Architecture)" = all ]; then
    fail "Architecture: all, but the package bundles native code: $natives"
fi

echo "--- dpkg -i"
dpkg -i "$deb"
installed || fail "dpkg -i did not leave $pkg installed"
for jsa in libstorage.jsa libstorage-short.jsa libstorage-short.top.jsa; do
    [ -s "/usr/share/libstorage/lib/$jsa" ] || fail "postinst wrote no class-data-sharing archive $jsa"
done
ok "installed; postinst wrote the class-data-sharing archives (full, short commands' and its top layer)"
# a JRE update activates the package's file trigger on /usr/lib/jvm: postinst writes the archive again
rm -f /usr/share/libstorage/lib/libstorage.jsa
dpkg-trigger --no-await /usr/lib/jvm
dpkg --triggers-only --pending
[ -s /usr/share/libstorage/lib/libstorage.jsa ] || fail "the /usr/lib/jvm trigger did not write the class-data-sharing archive again"
ok "the /usr/lib/jvm trigger writes the archive again"

version=$(dpkg-query -W -f='${Version}' "$pkg")
libstorage version | tee "$scratch/version.txt" | sed 's/^/    /'
grep -q "${version%%~*}" "$scratch/version.txt" || fail "libstorage version does not print the package's version $version"
dvdcli version >/dev/null || fail "dvdcli version failed"
libstorage config check --no-drivers >"$scratch/check.txt" || { cat "$scratch/check.txt"; fail "the shipped $conf is not valid"; }
grep -q 'valid' "$scratch/check.txt" || fail "config check did not say valid"
ok "libstorage version, dvdcli version, config check of the shipped configuration"

echo "--- the systemd unit"
# a non-zero status (e.g. ExecStart not executable) or any line about the unit (e.g. an unknown key) fails
if ! systemd-analyze verify "$unit" >"$scratch/verify.txt" 2>&1 || grep -q "$(basename "$unit")" "$scratch/verify.txt"; then
    sed 's/^/    /' "$scratch/verify.txt"
    fail "systemd-analyze verify reports problems in $unit"
fi
ok "systemd-analyze verify"
grep -qx 'Type=notify' "$unit" || fail "$unit is not Type=notify"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ "$exec_start" = "/usr/bin/libstorage service start" ] || fail "unexpected ExecStart: $exec_start"
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl start libstorage.service
    for _ in $(seq 1 60); do [ -S /run/docker/plugins/libstorage.sock ] && break; sleep 0.5; done
    systemctl is-active --quiet libstorage.service || fail "libstorage.service is not active"
    [ -S /run/docker/plugins/libstorage.sock ] || fail "the service made no socket"
    systemctl stop libstorage.service
    ok "systemctl start, socket, stop"
else
    # no systemd here (a container): the unit's command, run as the unit would run it (with a NOTIFY_SOCKET whose
    # receiver stands in for systemd), on a scratch state root and socket directory: it says READY=1 when its
    # socket answers the Docker plugin handshake, writes its pid file, and stops cleanly on SIGTERM
    printf 'libstorage:\n  service: localfs\n  stateRoot: %s/state\n' "$scratch" >"$scratch/config.yml"
    python3 -c '
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(120)
while True:
    msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(64))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
            for fd in fds:
                os.close(fd)
    print(msg.decode().replace("\n", " "), flush=True)
' "$scratch/notify.sock" >"$scratch/notifications.txt" 2>&1 &
    notify_pid=$!
    for _ in $(seq 1 100); do [ -S "$scratch/notify.sock" ] && break; sleep 0.1; done
    NOTIFY_SOCKET=$scratch/notify.sock LIBSTORAGE_CONFIG=$scratch/config.yml $exec_start --socket-dir "$scratch/plugins" >"$scratch/service.log" 2>&1 &
    service_pid=$!
    for _ in $(seq 1 240); do grep -q 'READY=1' "$scratch/notifications.txt" && break; kill -0 "$service_pid" 2>/dev/null || break; sleep 0.5; done
    kill "$notify_pid" 2>/dev/null || true
    grep -q 'READY=1' "$scratch/notifications.txt" || { cat "$scratch/service.log" "$scratch/notifications.txt"; fail "the service sent no READY=1"; }
    answer=$(curl -sS --max-time 10 --unix-socket "$scratch/plugins/libstorage.sock" -X POST http://plugin/Plugin.Activate)
    grep -q '"VolumeDriver"' <<<"$answer" || fail "Plugin.Activate answered: $answer"
    [ "$(cat "$scratch/state/service/libstorage.pid")" = "$service_pid" ] || fail "the pid file does not name the service ($service_pid)"
    kill -TERM "$service_pid"
    status=0
    wait "$service_pid" || status=$?
    service_pid=
    [ "$status" -eq 0 ] || { cat "$scratch/service.log"; fail "the service exited with $status on SIGTERM"; }
    [ ! -e "$scratch/plugins/libstorage.sock" ] || fail "the service left its socket behind"
    [ ! -e "$scratch/state/service/libstorage.pid" ] || fail "the service left its pid file behind"
    ok "no systemd running: the unit's ExecStart said READY=1 on NOTIFY_SOCKET, served Plugin.Activate, wrote its pid file and stopped cleanly on SIGTERM"
fi

echo "--- the conffile is never overwritten"
echo "# a local change" >>"$conf"
dpkg -i "$deb" >/dev/null
grep -q '^# a local change' "$conf" || fail "reinstalling the package overwrote the changed $conf"
ok "reinstall keeps the changed $conf"
# an upgrade whose package ships a different config.yml: the administrator's file stays, the new one lands beside it
mkdir "$scratch/upgrade"
dpkg-deb -R "$deb" "$scratch/upgrade/root"
sed -i "s/^Version: .*/Version: ${version}+upgradetest/" "$scratch/upgrade/root/DEBIAN/control"
echo "# shipped by the upgrade" >>"$scratch/upgrade/root$conf"
(cd "$scratch/upgrade/root" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's#  \./#  #' >DEBIAN/md5sums)
dpkg-deb --root-owner-group -b "$scratch/upgrade/root" "$scratch/upgrade/next.deb" >/dev/null
dpkg -i --force-confold "$scratch/upgrade/next.deb" >/dev/null
[ "$(dpkg-query -W -f='${Version}' "$pkg")" = "${version}+upgradetest" ] || fail "the upgrade did not install"
grep -q '^# a local change' "$conf" || fail "the upgrade overwrote the changed $conf"
grep -q '^# shipped by the upgrade' "$conf" && fail "the upgrade replaced the changed $conf"
grep -q '^# shipped by the upgrade' "$conf.dpkg-dist" || fail "the upgrade's $conf is not beside it as $conf.dpkg-dist"
[ -s /usr/share/libstorage/lib/libstorage.jsa ] || fail "no class-data-sharing archive after the upgrade"
ok "upgrade over a changed conffile keeps it (the new one is $conf.dpkg-dist)"

echo "--- dpkg -r"
dpkg -r "$pkg" >/dev/null
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg")" = "rc " ] || fail "after dpkg -r the state is not rc"
for gone in /usr/bin/libstorage /usr/bin/dvdcli /usr/share/libstorage "$unit"; do
    [ ! -e "$gone" ] || fail "$gone is left after dpkg -r"
done
grep -q '^# a local change' "$conf" || fail "dpkg -r did not keep $conf"
ok "removed; $conf kept"

echo "--- dpkg -P"
dpkg -P "$pkg" >/dev/null
known && fail "dpkg still knows $pkg after the purge"
[ ! -e /etc/libstorage ] || fail "/etc/libstorage is left after the purge: $(ls -A /etc/libstorage)"
dpkg -l | grep -q " $pkg " && fail "dpkg -l still lists $pkg"
var_lib_after=$([ -e /var/lib/libstorage ] && echo present || echo absent)
[ "$var_lib_before" = "$var_lib_after" ] || fail "/var/lib/libstorage was $var_lib_before before and is $var_lib_after after"
ok "purged: nothing left in /etc, /usr or dpkg's database; /var/lib/libstorage as before ($var_lib_after)"
