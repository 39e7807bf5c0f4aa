#!/usr/bin/env bash
# One scenario of the story through the managed plugin: a private dockerd installs the plugin directory built
# by build.sh (`docker plugin create` + `enable`, as `docker plugin install` would from a registry), creates
# vol_dane through it, a container writes "WAZNE i KRYTYCZNE DANE" into it and is removed, a second container
# reads the same content; then the volume is removed and the plugin disabled and removed.
#
#   sudo packaging/docker-plugin/scenario.sh [PLUGIN_DIR]
#
# PLUGIN_DIR: the output of build.sh (built here into the work directory when not given). Needs root, Java 17
# (for build.sh), loop devices, unshare (util-linux) and the Docker binaries of .ci/dockerd.sh (Debian's
# docker.io 20.10 unpacked, busybox-static included; LIBSTORAGE_DOCKER_BIN names their directory).
#
# dockerd runs in its own PID and mount namespaces (unshare --pid --fork --mount-proc --propagation private, a
# tmpfs on /run): nothing it or the plugin mounts is seen outside, /run/docker and /run/containerd stay private,
# and when it is over every process of the run dies with the namespace. Its data root, exec root, pid file and
# socket are in a work directory under /tmp; containers run with --network none; no registry is used (the
# busybox image is imported from busybox-static). The plugin's localfs root is named after this run, so its
# loop devices are recognised. On exit, also on failure or Ctrl-C: the volume and the plugin are removed if
# still there, dockerd is stopped by its PID, the namespace's first process is killed (which kills every
# process of the namespace), loop devices of the run are detached and the work directory is deleted.
# PLUGIN_KEEP=1 keeps the work directory (logs) after a failure. Exit 0 when every check passed.
set -Eeuo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PLUGIN=libstorage/plugin:test
VOLUME=vol_dane
CONTENT="WAZNE i KRYTYCZNE DANE"
IMAGE=local/busybox:plugin
RUN="lsplug$$"                  # names the localfs root, so the run's loop devices are known
FAILED=0
WORK=
NS_PID=
T0=$(date +%s.%N)

minus() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; }
say() { printf '[%6s] %s\n' "$(minus "$(date +%s.%N)" "$T0")" "$*"; }
die() { say "FAIL: $*"; FAILED=1; exit 1; }
check() { say "ok: $*"; }
timed() {                       # timed LABEL COMMAND...: runs it, prints "RESULT LABEL <s> s" on stderr
    local label=$1 t
    shift
    t=$(date +%s.%N)
    "$@"
    say "RESULT $label $(minus "$(date +%s.%N)" "$t") s" >&2
}

# ---------------------------------------------------------------- prerequisites
[[ $(id -u) == 0 ]] || die "run as root (dockerd, loop devices, mounts)"
for c in unshare losetup awk tar timeout; do
    command -v "$c" >/dev/null || die "missing command: $c"
done
[[ -e /dev/loop-control ]] || die "no /dev/loop-control: the plugin's localfs back end needs loop devices"
BIN=${LIBSTORAGE_DOCKER_BIN:-$(bash "$REPO/.ci/dockerd.sh")} || die ".ci/dockerd.sh failed"
for b in dockerd docker containerd containerd-shim-runc-v2 runc busybox; do
    [[ -x $BIN/$b ]] || die "no $b in $BIN"
done

WORK=$(mktemp -d /tmp/lsplugin-XXXXXX)
DOCKER_DEADLINE=120            # seconds for one docker command (30 during the clean-up)
docker_cli() { DOCKER_CONFIG=$WORK/client timeout "$DOCKER_DEADLINE" "$BIN/docker" -H "unix://$WORK/docker.sock" "$@"; }
children() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . ; return 0; }
dockerd_pid() {                 # dockerd's PID as this (the host's) PID namespace sees it
    local c
    [[ -n $NS_PID ]] || return 0
    for c in $(children "$NS_PID"); do
        [[ $(cat "/proc/$c/comm" 2>/dev/null) == dockerd ]] && { echo "$c"; return 0; }
    done
    return 0
}
run_loops() { losetup -a 2>/dev/null | grep -F "/localfs-$RUN/" | cut -d: -f1; }

cleanup() {
    local rc=$? l pid c
    set +e
    trap - EXIT INT TERM
    [[ $rc != 0 ]] && FAILED=1
    say "cleaning up"
    if [[ -z $WORK ]]; then
        echo "MANAGED-PLUGIN FAILED"
        exit 1
    fi
    if [[ $FAILED == 1 ]]; then
        for l in "$WORK"/*.log; do
            [[ -f $l ]] && { echo "---- last lines of $l"; tail -n 40 "$l"; }
        done
    fi
    DOCKER_DEADLINE=30
    if [[ -S $WORK/docker.sock ]] && [[ -n $(dockerd_pid) ]]; then
        for c in $(docker_cli ps -aq 2>/dev/null); do docker_cli rm -f "$c" >/dev/null 2>&1; done
        docker_cli volume rm -f "$VOLUME" >/dev/null 2>&1
        docker_cli plugin disable -f "$PLUGIN" >/dev/null 2>&1
        docker_cli plugin rm -f "$PLUGIN" >/dev/null 2>&1
    fi
    pid=$(dockerd_pid)
    if [[ -n $pid ]]; then
        kill -TERM "$pid"
        for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    # the namespace's first process: killing it kills every process left in the PID namespace
    if [[ -n $NS_PID ]] && kill -0 "$NS_PID" 2>/dev/null; then
        kill -KILL "$NS_PID"
        for _ in $(seq 1 100); do kill -0 "$NS_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    [[ -n ${UNSHARE_PID:-} ]] && wait "$UNSHARE_PID" 2>/dev/null
    # loop devices of this run (their mounts went with the mount namespace)
    for _ in $(seq 1 100); do
        l=$(run_loops)
        [[ -z $l ]] && break
        for d in $l; do losetup -d "$d" 2>/dev/null; done
        sleep 0.1
    done
    grep -F " $WORK/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
    if [[ $FAILED == 1 && ${PLUGIN_KEEP:-0} == 1 ]]; then
        echo "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    [[ -n $(run_loops) ]] && { echo "LEAK: loop devices of this run: $(run_loops)"; rc=1; }
    grep -qF " $WORK/" /proc/self/mountinfo && { echo "LEAK: mounts under $WORK"; rc=1; }
    [[ $FAILED == 1 && $rc == 0 ]] && rc=1
    if [[ $rc == 0 ]]; then echo "MANAGED-PLUGIN PASSED"; else echo "MANAGED-PLUGIN FAILED"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'FAILED=1; exit 130' INT TERM

say "work dir $WORK, run $RUN"
PLUGIN_DIR=${1:-}
if [[ -z $PLUGIN_DIR ]]; then
    say "building the plugin directory (build.sh)"
    PLUGIN_DIR=$(bash "$HERE/build.sh" "" "$WORK/plugin" 2>>"$WORK/build.log") || die "build.sh failed (see $WORK/build.log)"
fi
[[ -f $PLUGIN_DIR/config.json && -x $PLUGIN_DIR/rootfs/opt/libstorage/bin/libstorage ]] \
    || die "$PLUGIN_DIR is not a plugin directory of build.sh"

# ---------------------------------------------------------------- the private dockerd
# dockerd 20.10 would write its trust key to /etc/docker/key.json: a file of the work directory instead
printf '{"deprecated-key-path": "%s"}\n' "$WORK/key.json" > "$WORK/daemon.json"
say "starting dockerd in its own PID and mount namespaces"
t=$(date +%s.%N)
unshare --pid --fork --mount-proc --mount --propagation private -- sh -c '
    mount -t tmpfs -o mode=0755 tmpfs /run || exit 1
    PATH="$1:$PATH" "$1/dockerd" --config-file "$2/daemon.json" --data-root "$2/data" --exec-root "$2/exec" \
        --pidfile "$2/dockerd.pid" -H "unix://$2/docker.sock" --iptables=false --ip6tables=false --bridge=none \
        --storage-driver overlay2 >> "$2/dockerd.log" 2>&1 &
    wait' sh "$BIN" "$WORK" 2>>"$WORK/unshare.log" &
UNSHARE_PID=$!
for _ in $(seq 1 100); do
    NS_PID=$(children "$UNSHARE_PID" | head -1) && [[ -n $NS_PID ]] && break
    sleep 0.05
done
[[ -n $NS_PID ]] || die "the namespace's first process did not start"
for _ in $(seq 1 600); do
    docker_cli version >/dev/null 2>&1 && break
    kill -0 "$NS_PID" 2>/dev/null || die "dockerd exited (see $WORK/dockerd.log)"
    sleep 0.1
done
docker_cli version >/dev/null 2>&1 || die "dockerd did not answer within 60 s"
say "RESULT dockerd ready $(minus "$(date +%s.%N)" "$t") s"

say "importing a busybox image (Debian's busybox-static)"
mkdir -p "$WORK/img/bin"
cp "$BIN/busybox" "$WORK/img/bin/busybox"
for a in sh cat echo sync; do ln -s busybox "$WORK/img/bin/$a"; done
tar -C "$WORK/img" -cf "$WORK/img.tar" .
docker_cli import "$WORK/img.tar" "$IMAGE" >/dev/null

# ---------------------------------------------------------------- the plugin
# the configuration the plugin reads: the "config" mount's source, set like a user's /etc/libstorage
mkdir -p "$WORK/etc"
cat > "$WORK/etc/config.yml" <<CONF
libstorage:
  service: localfs
  stateRoot: /var/lib/libstorage
  integration:
    volume:
      operations:
        create:
          default:
            size: 64MiB
localfs:
  root: /var/lib/libstorage/localfs-$RUN
CONF
timed "plugin create" docker_cli plugin create "$PLUGIN" "$PLUGIN_DIR" >/dev/null
check "plugin created from $PLUGIN_DIR"
docker_cli plugin set "$PLUGIN" config.source="$WORK/etc" LIBSTORAGE_LOG_LEVEL=debug
timed "plugin enable" docker_cli plugin enable "$PLUGIN" >/dev/null
[[ $(docker_cli plugin inspect -f '{{.Enabled}}' "$PLUGIN") == true ]] || die "the plugin is not enabled"
check "plugin enabled: $(docker_cli plugin ls --format '{{.Name}} {{.Enabled}}' | tr '\n' ' ')"

# ---------------------------------------------------------------- the scenario
timed "volume create" docker_cli volume create -d "$PLUGIN" "$VOLUME" >/dev/null
[[ $(docker_cli volume inspect -f '{{.Driver}}' "$VOLUME") == "$PLUGIN" ]] || die "$VOLUME is not the plugin's"
check "$VOLUME created through $PLUGIN"
mounted=$(timed "first container (attach, format, mount, write)" docker_cli run --rm --network none \
    -v "$VOLUME:/data" "$IMAGE" sh -c "echo '$CONTENT' > /data/index.html && sync && cat /proc/mounts") \
    || die "the writing container failed"
# what the container sees at /data: the plugin's loop device with the filesystem it made
data=$(echo "$mounted" | awk '$2 == "/data" {print $1, $3}')
[[ $data == /dev/loop*" ext4" ]] || die "/data in the container is '$data', not a loop device with ext4"
check "a container wrote the file into $VOLUME ($data at /data) and was removed"
got=$(timed "second container (mount, read)" docker_cli run --rm --network none -v "$VOLUME:/data" "$IMAGE" \
      cat /data/index.html) || die "the reading container failed"
read_back=$got
[[ $read_back == "$CONTENT" ]] || die "the second container read '$read_back', not '$CONTENT'"
check "a second container read '$read_back' from $VOLUME"
timed "volume rm" docker_cli volume rm "$VOLUME" >/dev/null
[[ -z $(docker_cli volume ls -q) ]] || die "volumes left: $(docker_cli volume ls -q)"
[[ -z $(run_loops) ]] || die "loop devices left after the volume's removal: $(run_loops)"
check "$VOLUME removed, no loop device of the run left"
timed "plugin disable" docker_cli plugin disable "$PLUGIN" >/dev/null
timed "plugin rm" docker_cli plugin rm "$PLUGIN" >/dev/null
[[ -z $(docker_cli plugin ls -q) ]] || die "plugins left: $(docker_cli plugin ls -q)"
check "plugin disabled and removed"
