#!/usr/bin/env bash
# Run by .ci/run before the build: fills the cache of Docker binaries that libstorage-docker's
# DockerEngineIT uses (see .ci/dockerd.sh), so the download happens once, outside the test's deadline.
# The tests find the binaries again through .ci/dockerd.sh (instant with a full cache) or
# LIBSTORAGE_DOCKER_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(bash .ci/dockerd.sh)"
echo "setup-docker: Docker binaries in $bin" >&2
