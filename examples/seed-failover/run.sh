#!/usr/bin/env bash
# The seed story on one machine: three Docker hosts in a Swarm, a ScaleIO volume (the gateway emulator with its
# fenced data path) that follows a one-replica web service through a drain, a stopped dockerd and a hard host
# failure, a refused takeover while the owner is alive, and the return of the killed host. See README.md here.
#
#   sudo examples/seed-failover/run.sh
#
# Needs root, /dev/fuse, ip/nsenter/unshare (iproute2, util-linux), curl, jq, Java 17, the Docker binaries of
# .ci/dockerd.sh (Debian's docker.io 20.10 unpacked, busybox-static included) and the built emulator and
# libstorage distribution (built here with ./mvnw package when missing). Exit 0 when every check passed.
#
# Everything lives in network namespaces on 10.213.77.0/24 (only inside the namespaces this script creates; the
# machine's own namespace gets no address, route or traffic), mount and UTS namespaces kept by bind mounts under
# a work directory in /tmp, and that work directory. On exit, also on failure or Ctrl-C: every process of those
# namespaces is killed, the emulator first with SIGTERM (it detaches its loop devices and unmounts its FUSE
# server), the namespaces are removed, loop devices backed by files of the work directory are detached, and the
# work directory is deleted. SEED_KEEP=1 keeps the work directory (logs) after a failure.
#
# Tunables (environment): SEED_HEARTBEAT (Swarm dispatcher heartbeat, 1s), SEED_GRACE (the driver's
# ownerGracePeriod, 1s), SEED_MDM_TIMEOUT (emulator: silence after which an SDC is Disconnected, 3s),
# SEED_DATA_PATH (the emulator's data path, fenced; with "loop" the killed host's writes are not stopped and the
# run fails at that check).
set -Eeuo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
HEARTBEAT=${SEED_HEARTBEAT:-1s}
GRACE=${SEED_GRACE:-1s}
MDM_TIMEOUT=${SEED_MDM_TIMEOUT:-3s}
DATA_PATH=${SEED_DATA_PATH:-fenced}   # "loop": no fencing of I/O (the zombie check then fails, as it should)
NET=10.213.77
SIO_IP=$NET.1
HOSTS=(h1 h2 h3)
declare -A IP=([h1]=$NET.11 [h2]=$NET.12 [h3]=$NET.13)
declare -A GUID=([h1]=5EED0001-0000-4000-8000-000000000001 [h2]=5EED0002-0000-4000-8000-000000000002
                 [h3]=5EED0003-0000-4000-8000-000000000003)
MDM_PORT=6611
GW_PORT=8443
HTTP_PORT=8080
CONTENT="WAZNE i KRYTYCZNE DANE"
IMAGE=local/busybox:seed
ID="lsf$$"                      # prefix of every namespace name of this run
FAILED=0
WORK=
T0=$(date +%s.%N)

minus() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; }
say() { printf '[%6s] %s\n' "$(minus "$(date +%s.%N)" "$T0")" "$*"; }
die() {
    say "FAIL: $*"
    FAILED=1
    if [[ -S ${WORK:-/nonexistent}/h1/docker.sock ]]; then
        docker_on h1 node ls 2>&1 | sed 's/^/    /'
        docker_on h1 service ps seed-web --no-trunc 2>&1 | sed 's/^/    /'
    fi
    exit 1
}
check() { say "ok: $*"; }

# ---------------------------------------------------------------- prerequisites
[[ $(id -u) == 0 ]] || die "run as root (namespaces, loop devices, mounts, dockerd)"
for c in ip nsenter unshare curl jq losetup awk java tar; do
    command -v "$c" >/dev/null || die "missing command: $c"
done
[[ -e /dev/fuse ]] || die "no /dev/fuse (modprobe fuse): the fenced data path serves loop devices through FUSE"
BIN=${LIBSTORAGE_DOCKER_BIN:-$(bash "$REPO/.ci/dockerd.sh")} || die ".ci/dockerd.sh failed"
for b in dockerd docker containerd containerd-shim-runc-v2 runc busybox; do
    [[ -x $BIN/$b ]] || die "no $b in $BIN"
done
EMU_JAR=${SEED_EMULATOR_JAR:-$(ls "$REPO"/emulators/scaleio-gateway/target/scaleio-gateway-emulator-*-all.jar 2>/dev/null | head -1 || true)}
DIST=${SEED_LIBSTORAGE_DIST:-$(ls -d "$REPO"/libstorage-cli/target/libstorage-*[0-9T]/ 2>/dev/null | head -1 || true)}
if [[ -z $EMU_JAR || -z $DIST ]]; then
    say "building the emulator and the libstorage distribution (./mvnw package)"
    (cd "$REPO" && ./mvnw -q -pl libstorage-cli,emulators/scaleio-gateway -am package -DskipTests -Dcds.skip=true)
    EMU_JAR=$(ls "$REPO"/emulators/scaleio-gateway/target/scaleio-gateway-emulator-*-all.jar | head -1)
    DIST=$(ls -d "$REPO"/libstorage-cli/target/libstorage-*[0-9T]/ | head -1)
fi
DIST=${DIST%/}
LIBSTORAGE=$DIST/bin/libstorage
[[ -x $LIBSTORAGE && -f $EMU_JAR ]] || die "no libstorage launcher in $DIST or emulator jar $EMU_JAR"

WORK=$(mktemp -d /tmp/seed-failover-XXXXXX)
NSDIR=$WORK/ns

# ---------------------------------------------------------------- namespaces and processes
netns() { echo "$ID-$1"; }                        # network namespace of a host (or "sio")
in_host() {                                        # runs a command inside a host: network, mount, UTS
    local h=$1; shift
    nsenter --net="/run/netns/$(netns "$h")" --mount="$NSDIR/$h.mnt" --uts="$NSDIR/$h.uts" -- "$@"
}
in_sio() { nsenter --net="/run/netns/$(netns sio)" -- "$@"; }
netns_pids() {                                     # every process whose network namespace is $1's
    local inode p
    inode=$(stat -L -c %i "/run/netns/$(netns "$1")" 2>/dev/null) || return 0
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/ns/net" 2>/dev/null) == "net:[$inode]" ]] && echo "${p#/proc/}"
    done
    return 0
}
kill_host() {                                      # SIGKILL, as a power cut would, and wait until all are gone
    local pids i
    for i in $(seq 1 50); do
        pids=$(netns_pids "$1")
        [[ -z $pids ]] && return 0
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
    say "processes of $1 survive SIGKILL: $pids"
    return 1
}

cleanup() {
    local rc=$? h l
    set +e
    trap - EXIT INT TERM
    [[ $rc != 0 ]] && FAILED=1
    if [[ $FAILED == 1 && -d $WORK ]]; then
        for l in "$WORK"/*/*.log "$WORK"/*.log; do
            [[ -f $l ]] && { echo "---- last lines of $l"; tail -n 25 "$l"; }
        done
    fi
    say "cleaning up"
    if [[ -z $WORK ]]; then
        echo "SEED-FAILOVER FAILED"
        exit 1
    fi
    for h in "${HOSTS[@]}"; do kill_host "$h" 2>/dev/null; done
    if [[ -n ${EMU_PID:-} ]] && kill -0 "$EMU_PID" 2>/dev/null; then
        kill -TERM "$EMU_PID"
        for _ in $(seq 1 100); do kill -0 "$EMU_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    kill_host sio 2>/dev/null
    for h in "${HOSTS[@]}"; do
        umount "$NSDIR/$h.mnt" "$NSDIR/$h.uts" 2>/dev/null
    done
    for h in "${HOSTS[@]}" sio; do ip netns del "$(netns "$h")" 2>/dev/null; done
    # loop devices of this run (the killed hosts' mounts are gone with their mount namespaces by now)
    for _ in $(seq 1 50); do
        l=$(losetup -a 2>/dev/null | grep -F "$WORK/" | cut -d: -f1)
        [[ -z $l ]] && break
        for d in $l; do losetup -d "$d" 2>/dev/null; done
        sleep 0.1
    done
    grep -F " $WORK/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
    umount -l "$NSDIR" 2>/dev/null
    if [[ $FAILED == 1 && ${SEED_KEEP:-0} == 1 ]]; then
        echo "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    local left
    left=$(losetup -a | grep -cF "$WORK/")
    [[ $left != 0 ]] && { echo "LEAK: $left loop devices of $WORK"; rc=1; }
    [[ -n $(ip netns list | grep "^$ID-") ]] && { echo "LEAK: namespaces $(ip netns list | grep "^$ID-")"; rc=1; }
    [[ $FAILED == 1 && $rc == 0 ]] && rc=1
    if [[ $rc == 0 ]]; then echo "SEED-FAILOVER PASSED"; else echo "SEED-FAILOVER FAILED"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'FAILED=1; exit 130' INT TERM

# The network: a bridge in the storage namespace "sio" (the emulator's), one veth per host into it.
say "work dir $WORK, namespaces $ID-*"
mkdir -p "$NSDIR"
mount --bind "$NSDIR" "$NSDIR" && mount --make-private "$NSDIR"
ip netns add "$(netns sio)"
in_sio ip link set lo up
in_sio ip link add br0 type bridge
in_sio ip addr add "$SIO_IP/24" dev br0
in_sio ip link set br0 up
for h in "${HOSTS[@]}"; do
    ip netns add "$(netns "$h")"
    ip link add "$ID-$h" type veth peer name eth0 netns "$(netns "$h")"
    ip link set "$ID-$h" netns "$(netns sio)"
    in_sio ip link set "$ID-$h" master br0 up
    nsenter --net="/run/netns/$(netns "$h")" ip link set lo up
    nsenter --net="/run/netns/$(netns "$h")" ip addr add "${IP[$h]}/24" dev eth0
    nsenter --net="/run/netns/$(netns "$h")" ip link set eth0 up
    # mount and UTS namespaces of the host, kept by bind mounts (they outlive the host's processes, as a
    # host's mounts outlive its killed processes)
    touch "$NSDIR/$h.mnt" "$NSDIR/$h.uts"
    unshare --mount="$NSDIR/$h.mnt" --uts="$NSDIR/$h.uts" --propagation private hostname "$h"
    mkdir -p "$WORK/$h/state"
    # dockerd 20.10 would write its trust key to /etc/docker/key.json: the host's own file instead
    printf '{"deprecated-key-path": "%s"}\n' "$WORK/$h/key.json" > "$WORK/$h/daemon.json"
    printf '127.0.0.1 localhost\n%s sio\n%s %s\n' "$SIO_IP" "${IP[$h]}" "$h" > "$WORK/$h/hosts"
    # the host's own /run (so /run/docker/plugins is private) and /etc/hosts
    in_host "$h" sh -c 'umount -l "$1" && mount -t tmpfs -o mode=0755 tmpfs /run && mount --bind "$2" /etc/hosts' \
        sh "$NSDIR" "$WORK/$h/hosts"
done

# ---------------------------------------------------------------- the storage system
say "starting the ScaleIO gateway emulator ($DATA_PATH data path) on $SIO_IP:$GW_PORT, MDM port $MDM_PORT"
mkdir -p "$WORK/sio" "$WORK/hosts"
SDC_ARGS=()
for h in "${HOSTS[@]}"; do SDC_ARGS+=(--sdc "${GUID[$h]},${IP[$h]},$h"); done
export SEED_GW_PASSWORD=Seed-Passw0rd
in_sio java -jar "$EMU_JAR" --port "$GW_PORT" --bind "$SIO_IP" --tls-name sio --data-dir "$WORK/sio/data" \
    --data-path "$DATA_PATH" --host-root "$WORK/hosts" --mdm-port "$MDM_PORT" --heartbeat-timeout "$MDM_TIMEOUT" \
    --password-env SEED_GW_PASSWORD --system cluster1 --pool pd1/pool1 "${SDC_ARGS[@]}" \
    > "$WORK/sio/emulator.log" 2>&1 &
EMU_PID=$!
admin() { in_sio curl -sf --max-time 10 --cacert "$WORK/sio/data/tls/gateway.pem" --resolve "sio:$GW_PORT:$SIO_IP" "$@"; }
for _ in $(seq 1 600); do
    [[ -f $WORK/sio/data/tls/gateway.pem ]] && admin "https://sio:$GW_PORT/admin/status" -o /dev/null && break
    kill -0 $EMU_PID 2>/dev/null || die "the emulator exited"
    sleep 0.2
done
admin "https://sio:$GW_PORT/admin/status" | jq -e --arg k "$DATA_PATH" '.dataPathKind == $k' >/dev/null || die "emulator not ready"

sdc_state() { admin "https://sio:$GW_PORT/admin/sdcs" | jq -r --arg g "${GUID[$1]}" '.[] | select(.guid == $g) | .mdmConnectionState'; }
# the mappings of vol_dane as "host host ..." (SDC names), from the gateway API itself
mappings() {
    local token
    token=$(admin -u "admin:$SEED_GW_PASSWORD" "https://sio:$GW_PORT/api/login" | tr -d '"')
    local sdcs vols
    sdcs=$(admin -u ":$token" "https://sio:$GW_PORT/api/types/Sdc/instances")
    vols=$(admin -u ":$token" "https://sio:$GW_PORT/api/types/Volume/instances")
    jq -rn --argjson s "$sdcs" --argjson v "$vols" \
        '[$v[] | select(.name == "vol_dane") | (.mappedSdcInfo // [])[] | .sdcId as $id | $s[] | select(.id == $id) | .name] | join(" ")'
}
expect_one_mapping() {
    local m
    m=$(mappings)
    [[ $m == "$1" ]] || die "vol_dane should be mapped to exactly $1, is mapped to: '${m}'"
    check "exactly one mapping of vol_dane, to $1"
}

# ---------------------------------------------------------------- the hosts
config() {                       # the plugin's configuration of host $1
    cat <<EOF
libstorage:
  service: scaleio
  stateRoot: $WORK/$1/state
  integration:
    volume:
      operations:
        mount:
          preemptionPolicy: IF_OWNER_UNREACHABLE
scaleio:
  endpoint: https://sio:$GW_PORT/api
  caCertificate: $WORK/sio/data/tls/gateway.pem
  userName: admin
  password: $SEED_GW_PASSWORD
  systemName: cluster1
  protectionDomainName: pd1
  storagePoolName: pool1
  drvCfg: $WORK/hosts/${GUID[$1]}/opt/emc/scaleio/sdc/bin/drv_cfg
  deviceDir: $WORK/hosts/${GUID[$1]}/dev/disk/by-id
  ownerGracePeriod: $GRACE
EOF
}
docker_on() { local h=$1; shift; DOCKER_CONFIG=$WORK/$h/client "$BIN/docker" -H "unix://$WORK/$h/docker.sock" "$@"; }
start_dockerd() {
    in_host "$1" env PATH="$BIN:$PATH" "$BIN/dockerd" --config-file "$WORK/$1/daemon.json" \
        --data-root "$WORK/$1/docker" --exec-root "$WORK/$1/exec" --pidfile "$WORK/$1/dockerd.pid" \
        -H "unix://$WORK/$1/docker.sock" --iptables=false --ip6tables=false --bridge=none --storage-driver overlay2 \
        >> "$WORK/$1/dockerd.log" 2>&1 &
}
start_host() {                   # the host's SDC, its plugin, its dockerd, as its boot would
    local h=$1
    say "starting $h: SDC, libstorage plugin, dockerd"
    in_host "$h" java -jar "$EMU_JAR" sdc --mdm "$SIO_IP:$MDM_PORT" --guid "${GUID[$h]}" --heartbeat-millis 500 \
        >> "$WORK/$h/sdc.log" 2>&1 &
    config "$h" > "$WORK/$h/config.yml"
    chmod 600 "$WORK/$h/config.yml"
    in_host "$h" env LIBSTORAGE_LOG_LEVEL=info "$LIBSTORAGE" -c "$WORK/$h/config.yml" service start --name libstorage \
        >> "$WORK/$h/plugin.log" 2>&1 &
    start_dockerd "$h"
    for _ in $(seq 1 600); do
        docker_on "$h" version >/dev/null 2>&1 && [[ -n $(in_host "$h" ls /run/docker/plugins 2>/dev/null) ]] \
            && [[ $(sdc_state "$h") == Connected ]] && return 0
        sleep 0.2
    done
    die "$h did not start (see $WORK/$h/*.log)"
}
for h in "${HOSTS[@]}"; do start_host "$h"; done

say "importing a busybox image (Debian's busybox-static) on every host"
mkdir -p "$WORK/img/bin" "$WORK/img/www"
cp "$BIN/busybox" "$WORK/img/bin/busybox"
for a in sh cat hostname mkdir ln httpd echo sleep dd sync; do ln -s busybox "$WORK/img/bin/$a"; done
tar -C "$WORK/img" -cf "$WORK/img.tar" .
for h in "${HOSTS[@]}"; do docker_on "$h" import "$WORK/img.tar" "$IMAGE" >/dev/null; done

say "forming the Swarm: h1 manager (dispatcher heartbeat $HEARTBEAT), h2 and h3 workers"
docker_on h1 swarm init --advertise-addr "${IP[h1]}" --listen-addr "${IP[h1]}:2377" \
    --dispatcher-heartbeat "$HEARTBEAT" >/dev/null
JOIN=$(docker_on h1 swarm join-token -q worker)
for h in h2 h3; do
    docker_on "$h" swarm join --token "$JOIN" --advertise-addr "${IP[$h]}" --listen-addr "${IP[$h]}:2377" \
        "${IP[h1]}:2377" >/dev/null
done
node_status() { docker_on h1 node ls --format '{{.Hostname}} {{.Status}} {{.Availability}}' | awk -v h="$1" '$1 == h {print $2}'; }
for h in h2 h3; do
    for _ in $(seq 1 300); do [[ $(node_status "$h") == Ready ]] && break; sleep 0.2; done
    [[ $(node_status "$h") == Ready ]] || die "$h did not join the Swarm"
done
check "Swarm of 3 nodes: $(docker_on h1 node ls --format '{{.Hostname}}/{{.Status}}' | tr '\n' ' ')"

say "creating vol_dane (8 GiB) and writing \"$CONTENT\" into it from h2"
docker_on h2 volume create -d libstorage -o size=8 vol_dane >/dev/null
docker_on h2 run --rm --network none -v vol_dane:/data "$IMAGE" sh -c "echo '$CONTENT' > /data/dane.txt" \
    || die "could not write the file"
# Swarm places a task only on nodes whose engine reports the volume plugin, and an engine reports a plugin
# found by its socket only once it has used it: a (repeated, idempotent) create makes every worker use it.
plugin_known() {
    docker_on "$1" volume create -d libstorage vol_dane >/dev/null || die "docker volume create on $1 failed"
    for _ in $(seq 1 300); do
        docker_on h1 node inspect "$1" --format '{{range .Description.Engine.Plugins}}{{.Type}}={{.Name}} {{end}}' \
            | grep -qw 'Volume=libstorage' && return 0
        sleep 0.2
    done
    die "the Swarm does not see the libstorage plugin on $1"
}
for h in h2 h3; do plugin_known "$h"; done

# busybox httpd on the host's network: / is the host name and the file, /dane.txt the file
SERVE='mkdir -p /www && { hostname; cat /data/dane.txt; } > /www/index.html && ln -sf /data/dane.txt /www/dane.txt && exec httpd -f -p '$HTTP_PORT' -h /www'
say "creating the service seed-web: one replica on a worker, vol_dane at /data, restart delay 0"
docker_on h1 service create --detach --name seed-web --replicas 1 --constraint node.role==worker \
    --network host --restart-condition any --restart-delay 0s --no-resolve-image \
    --mount type=volume,source=vol_dane,target=/data,volume-driver=libstorage \
    "$IMAGE" sh -c "$SERVE" >/dev/null

task_node() { docker_on h1 service ps seed-web --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' | awk '$2 == "Running" {print $1; exit}'; }
read_from() { in_sio curl -sf --max-time 1 "http://${IP[$1]}:$HTTP_PORT/"; }
# waits until the service answers on a host other than $1; prints that host
await_served_elsewhere() {
    local not=$1 h body
    for _ in $(seq 1 1200); do
        for h in h2 h3; do
            [[ $h == "$not" ]] && continue
            if body=$(read_from "$h") && [[ $body == "$h"$'\n'"$CONTENT" ]]; then
                echo "$h"
                return 0
            fi
        done
        sleep 0.1
    done
    return 1
}
OWNER=$(await_served_elsewhere none) || die "the service never served the file"
check "served by $OWNER: $(read_from "$OWNER" | tr '\n' '|')"
expect_one_mapping "$OWNER"

# ---------------------------------------------------------------- graceful: drain
say "GRACEFUL 1: docker node update --availability drain $OWNER"
docker_on h1 node update --availability drain "$OWNER" >/dev/null
NEW=$(await_served_elsewhere "$OWNER") || die "the service did not move off the drained $OWNER"
check "served by $NEW after the drain of $OWNER, same file"
expect_one_mapping "$NEW"
docker_on h1 node update --availability active "$OWNER" >/dev/null
OWNER=$NEW

# ---------------------------------------------------------------- graceful: stop dockerd
say "GRACEFUL 2: stopping dockerd on $OWNER (SIGTERM)"
kill -TERM "$(cat "$WORK/$OWNER/dockerd.pid")"
NEW=$(await_served_elsewhere "$OWNER") || die "the service did not move off $OWNER after its dockerd stopped"
check "served by $NEW after dockerd stopped on $OWNER, same file"
expect_one_mapping "$NEW"
for _ in $(seq 1 300); do [[ ! -e $WORK/$OWNER/dockerd.pid ]] && break; sleep 0.1; done
say "restarting dockerd on $OWNER"
start_dockerd "$OWNER"
for _ in $(seq 1 600); do [[ $(node_status "$OWNER") == Ready ]] && break; sleep 0.2; done
[[ $(node_status "$OWNER") == Ready ]] || die "$OWNER did not rejoin the Swarm"
plugin_known "$OWNER"
OTHER=$OWNER
OWNER=$NEW

# ---------------------------------------------------------------- safety: owner alive
say "SAFETY: a takeover from $OTHER while $OWNER (SDC $(sdc_state "$OWNER")) serves the volume"
if out=$(docker_on "$OTHER" run --rm --network none -v vol_dane:/data "$IMAGE" cat /data/dane.txt 2>&1); then
    die "the takeover from $OTHER succeeded while $OWNER was alive: $out"
fi
echo "$out" | sed 's/^/    /'
echo "$out" | grep -q -e "$OWNER" -e "${GUID[$OWNER]}" -e "${IP[$OWNER]}" || die "the refusal does not name the owner $OWNER"
check "refused, naming the owner"
expect_one_mapping "$OWNER"
[[ $(read_from "$OWNER") == "$OWNER"$'\n'"$CONTENT" ]] || die "$OWNER no longer serves the file"
check "$OWNER still serves the file"

# ---------------------------------------------------------------- hard failure
VICTIM=$OWNER
say "HARD: SIGKILL every process of $VICTIM (dockerd, containerd, shims, httpd, plugin, SDC)"
LOGSEQ=$(admin "https://sio:$GW_PORT/admin/requests" | jq '.records | map(.seq) | max // 0')
T_KILL=$(date +%s.%N)
kill_host "$VICTIM" || die "could not kill $VICTIM"
NEW=$(await_served_elsewhere "$VICTIM") || die "the service was not rescheduled off the killed $VICTIM"
T_READ=$(date +%s.%N)
check "served by $NEW after the kill of $VICTIM, same file"
expect_one_mapping "$NEW"
[[ $(sdc_state "$VICTIM") == Disconnected ]] || die "the killed $VICTIM's SDC is $(sdc_state "$VICTIM")"
check "the killed $VICTIM's SDC is Disconnected"

# the timeline, from the Swarm's and the gateway's own records
iso() { date -d "${1% UTC}" +%s.%N; }     # ISO-8601, or Go's "2006-01-02 15:04:05.999 +0000 UTC"
since() { printf '%6s s' "$(minus "$1" "$T_KILL")"; }
T_DOWN=$(iso "$(docker_on h1 node inspect "$VICTIM" --format '{{.UpdatedAt}}')")
TASK=$(docker_on h1 service ps seed-web --filter desired-state=running --format '{{.ID}}' | head -1)
T_TASK=$(iso "$(docker_on h1 inspect --type task "$TASK" --format '{{.CreatedAt}}')")
REQS=$(admin "https://sio:$GW_PORT/admin/requests?since=$LOGSEQ")
at_of() { echo "$REQS" | jq -r --arg e "$1" '[.records[] | select(.path | contains($e))][0].at // empty'; }
T_FENCE=$(iso "$(at_of removeMappedSdc)")
T_MAP=$(iso "$(at_of addMappedSdc)")
MOUNTED=$(grep -a 'events - Mounted\[.*volume=vol_dane' "$WORK/$NEW/plugin.log" | tail -1 | awk '{print $1}')
T_MOUNT=$([[ -n $MOUNTED ]] && iso "$MOUNTED" || echo "$T_READ")
echo
echo "Timeline of the hard failure of $VICTIM (heartbeat $HEARTBEAT, ownerGracePeriod $GRACE, MDM timeout $MDM_TIMEOUT):"
row() { printf '  %-52s %s\n' "$1" "$(since "$2")"; }
row "kill (SIGKILL of every process of $VICTIM)" "$T_KILL"
row "Swarm notices: $VICTIM Down" "$T_DOWN"
row "task scheduled on $NEW" "$T_TASK"
row "fence: removeMappedSdc of $VICTIM" "$T_FENCE"
row "map: addMappedSdc to $NEW" "$T_MAP"
row "mount on $NEW (plugin's Mounted event)" "$T_MOUNT"
row "first successful HTTP read from $NEW" "$T_READ"
echo

# the zombie: the killed host's filesystem is still mounted in its mount namespace; its writes now fail
STALE=$(nsenter --mount="$NSDIR/$VICTIM.mnt" awk '$5 ~ /vol_dane/ {print $5; exit}' /proc/self/mountinfo)
[[ -n $STALE ]] || die "no stale mount of vol_dane left on the killed $VICTIM"
if nsenter --mount="$NSDIR/$VICTIM.mnt" dd if=/dev/zero of="$STALE/zombie.txt" bs=4k count=16 conv=fsync status=none 2>/dev/null; then
    die "the killed $VICTIM could still write to vol_dane through its stale mount"
fi
check "a write through $VICTIM's stale mount fails (fenced)"
docker_on "$NEW" ps -q --filter label=com.docker.swarm.service.name=seed-web | head -1 > "$WORK/cid"
if docker_on "$NEW" exec "$(cat "$WORK/cid")" cat /data/zombie.txt >/dev/null 2>&1; then
    die "zombie.txt reached the volume"
fi
check "the new owner $NEW does not see zombie.txt"

# ---------------------------------------------------------------- return
say "RETURN: $VICTIM comes back (SDC, plugin with its reconcile, dockerd)"
start_host "$VICTIM"
for _ in $(seq 1 300); do [[ $(node_status "$VICTIM") == Ready ]] && break; sleep 0.2; done
[[ $(node_status "$VICTIM") == Ready ]] || die "$VICTIM did not rejoin the Swarm"
plugin_known "$VICTIM"
if nsenter --mount="$NSDIR/$VICTIM.mnt" grep -q 'vol_dane' /proc/self/mountinfo; then
    die "the reconcile of $VICTIM left its stale mount of vol_dane"
fi
check "$VICTIM's reconcile removed its stale mount"
expect_one_mapping "$NEW"
[[ $(read_from "$NEW") == "$NEW"$'\n'"$CONTENT" ]] || die "$NEW no longer serves the file after $VICTIM's return"
check "$NEW still serves the file"
[[ $(docker_on h1 service ps seed-web --filter desired-state=running --format '{{.Node}}') == "$NEW" ]] \
    || die "the task moved after $VICTIM's return"

echo "RESULT kill->first read $(minus "$T_READ" "$T_KILL") s (goal 15 s)"
