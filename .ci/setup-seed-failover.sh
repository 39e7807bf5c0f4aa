#!/usr/bin/env bash
# Run by .ci/run before the build: what examples/seed-failover/run.sh (libstorage-cli's SeedFailoverIT) needs
# besides the Docker binaries (.ci/setup-docker.sh) and /dev/fuse (.ci/setup-fuse.sh): ip (network namespaces,
# veth, bridge) and jq (the gateway's JSON). nsenter and unshare come with util-linux, installed by .ci/run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup-seed-failover: $(ip -V) and $(jq --version)" >&2
