#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Install the Debian packages that the build, the tests and the demo need,
# when one is missing and we run as root; otherwise name what is missing.
set -eu

missing=""
need() {
	# need PROGRAM-OR-PATH PACKAGE
	case $1 in
	/*) [ -e "$1" ] || missing="$missing $2" ;;
	*) command -v "$1" >/dev/null 2>&1 || missing="$missing $2" ;;
	esac
}

need cc gcc
need make make
need pkg-config pkg-config
need nm binutils
need kyua kyua
need atf-sh atf-sh
need /usr/include/atf-c.h libatf-dev
need mandoc mandoc
# make fuzz: clang with libFuzzer; the fuzz seeds and the ext2 benchmark:
# e2fsprogs, sfdisk, and fuse2fs over FUSE 3 as the benchmark's reference
need clang clang
# libFuzzer's runtime is only a recommendation of the clang package.
if command -v clang >/dev/null 2>&1; then
	need "$(clang -print-runtime-dir)/libclang_rt.fuzzer-$(uname -m).a" \
	    libclang-rt-dev
fi
need /sbin/mke2fs e2fsprogs
need /sbin/sfdisk fdisk
need fuse2fs fuse2fs
need fusermount3 fuse3

[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing Debian packages:$missing" >&2
	echo "install them (apt-get install$missing) or run this as root" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
