#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Install into a staging folder and build the example program against the
# installed headers, libraries and pkg-config files, linked dynamically
# and statically, then run both.  Checks the man pages with mandoc.
#
# usage: installcheck.sh
set -eu

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
prefix=/usr/local

make --no-print-directory install PREFIX=$prefix DESTDIR="$stage" >/dev/null
PKG_CONFIG_PATH=$stage$prefix/lib/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

echo "== dynamic: cc bootinfo.c \$(pkg-config --cflags --libs rump)"
# shellcheck disable=SC2046
cc -o "$stage/bootinfo" share/examples/rump/bootinfo.c \
	$(pkg-config --cflags --libs rump)
LD_LIBRARY_PATH=$stage$prefix/lib "$stage/bootinfo"

echo "== static: cc -static bootinfo.c \$(pkg-config --static --cflags --libs rump)"
# shellcheck disable=SC2046
cc -static -o "$stage/bootinfo-static" share/examples/rump/bootinfo.c \
	$(pkg-config --static --cflags --libs rump) 2>"$stage/static.log" ||
	{ cat "$stage/static.log"; exit 1; }
"$stage/bootinfo-static"

echo "== dynamic: cc files.c \$(pkg-config --cflags --libs rumpvfs)"
# shellcheck disable=SC2046
cc -o "$stage/files" share/examples/rump/files.c \
	$(pkg-config --cflags --libs rumpvfs)
LD_LIBRARY_PATH=$stage$prefix/lib "$stage/files"

echo "== static: cc -static files.c \$(pkg-config --static --cflags --libs rumpvfs)"
# shellcheck disable=SC2046
cc -static -o "$stage/files-static" share/examples/rump/files.c \
	$(pkg-config --static --cflags --libs rumpvfs) 2>"$stage/static.log" ||
	{ cat "$stage/static.log"; exit 1; }
"$stage/files-static"

echo "== man pages"
for page in doc/*.[1-9]; do
	[ -e "$page" ] || continue
	mandoc -Tlint -Wwarning "$page"
	echo "$page: clean"
done
echo "installcheck: passed"
