#!/usr/bin/env bash
# Run by .ci/run before the build: the ScaleIO emulator's fenced data path serves loop devices through FUSE
# (its own server speaks the kernel protocol over /dev/fuse and mounts with mount(2): no fuse3/libfuse package
# is needed). Makes sure /dev/fuse exists; the tests that need it fail under CI=true when it does not.
set -uo pipefail
if [ ! -e /dev/fuse ]; then
    modprobe fuse 2>/dev/null || true
fi
if [ ! -e /dev/fuse ] && grep -qw fuse /proc/filesystems; then
    mknod -m 0666 /dev/fuse c 10 229 || true
fi
if [ -e /dev/fuse ]; then
    echo "setup-fuse: /dev/fuse present" >&2
else
    echo "setup-fuse: no /dev/fuse on this machine; the fenced data path tests will fail under CI=true" >&2
fi
exit 0
