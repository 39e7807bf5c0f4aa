#!/usr/bin/env bash
# Release checks, run by .ci/run after the tests (and by hand: `bash .ci/release-checks.sh`, root, Debian 12):
#   1. versions: every POM carries one version, and CHANGELOG.md fits it;
#   2. build 1: the release profile without a signing key (skipped with a warning), staged in target/staging-deploy,
#      and every published artifact checked as Maven Central would (.ci/ReleaseChecks.java staging);
#   3. build 2: the same sources in another directory, later, in another time zone, locale and umask; its jars,
#      distribution, SBOMs and Debian package must be byte-identical to build 1's (.ci/ReleaseChecks.java compare);
#   4. the Debian package installed, used, upgraded, removed and purged (.ci/deb-checks.sh).
# Build logs go to a temporary directory, kept when a check fails; a failing build prints its last lines.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# not under target/: build 1 starts with `clean`
logs=$(mktemp -d /tmp/libstorage-release-logs.XXXXXX)
# the builds read ~/.m2 but write nothing there (a deployment caches the staging repository's metadata in the
# local repository; helpers and developers share ~/.m2): a scratch local repository in front of it
m2head=$(mktemp -d /tmp/libstorage-release-m2.XXXXXX)
copy=
finish() {
    local status=$?
    [ -n "$copy" ] && rm -rf "$copy"
    rm -rf "$m2head"
    if [ "$status" -eq 0 ]; then
        rm -rf "$logs"
    else
        echo "release-checks: FAILED; build logs in $logs"
    fi
}
trap finish EXIT

section() { printf '\n=== release-checks: %s\n' "$*"; }
took() { printf '    (%ss)\n' "$((SECONDS - $1))"; }

# mvn_logged LOG DIR ARGS...: runs the wrapper in DIR, its output in LOG; on failure shows the end of LOG
mvn_logged() {
    local log=$1 dir=$2
    shift 2
    if ! (cd "$dir" && ./mvnw -B -ntp -Dmaven.repo.local="$m2head" -Dmaven.repo.local.tail="$HOME/.m2/repository" "$@") >"$log" 2>&1; then
        echo "build failed ($*); the end of $log:"
        tail -n 80 "$log"
        return 1
    fi
}

section "versions and changelog"
java .ci/ReleaseChecks.java versions "$root"

section "build 1: -Prelease clean deploy (no tests; staged in target/staging-deploy, nothing installed in ~/.m2)"
start=$SECONDS
mvn_logged "$logs/build1.log" "$root" -Prelease -DskipTests -Dcds.skip=true -Dmaven.install.skip=true clean deploy
grep -F 'release: ' "$logs/build1.log" | sed 's/^/    /' || true
took $start

section "the staged artifacts are what Maven Central requires"
signed=()
if [ -n "${MAVEN_GPG_KEY:-}" ]; then
    signed=(--signed)
fi
java .ci/ReleaseChecks.java staging "$root/target/staging-deploy" "$root" "${signed[@]}"

section "build 2: the same sources elsewhere, -Prelease package, compared byte for byte with build 1"
start=$SECONDS
copy=$(mktemp -d /tmp/libstorage-rebuild.XXXXXX)
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # the files of this checkout as they are (tracked and new, not ignored ones such as target/)
    git -C "$root" ls-files -z --cached --others --exclude-standard | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$copy"
else
    tar -C "$root" --exclude=./target --exclude='*/target' -cf - . | tar -xf - -C "$copy"
fi
(
    umask 0002
    export TZ=Pacific/Chatham LC_ALL=C.UTF-8 LANG=C.UTF-8
    mvn_logged "$logs/build2.log" "$copy" -Prelease -DskipTests -Dcds.skip=true package
)
took $start
java .ci/ReleaseChecks.java compare "$root" "$copy"

section "Debian package: install, use, upgrade, remove, purge"
start=$SECONDS
debs=("$root"/packaging/debian/target/libstorage_*_*.deb)
bash .ci/deb-checks.sh "${debs[0]}"
took $start

echo
echo "release-checks: all passed"
