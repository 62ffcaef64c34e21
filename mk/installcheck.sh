#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Install into a staging folder, build the examples (bootinfo, files and
# the ext2 lister ext2ls) against the installed headers, libraries and
# pkg-config files, linked dynamically and statically, and run them.
# Checks the man pages with mandoc.
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

echo "== dynamic and static: cc ext2ls.c \$(pkg-config [--static] --cflags --libs rumpfs_ext2fs)"
PATH=$PATH:/usr/sbin:/sbin mke2fs -q -F -t ext2 -d share "$stage/disk.img" 4M \
	>/dev/null
# shellcheck disable=SC2046
cc -o "$stage/ext2ls" share/examples/rump/ext2ls.c \
	$(pkg-config --cflags --libs rumpfs_ext2fs)
LD_LIBRARY_PATH=$stage$prefix/lib "$stage/ext2ls" "$stage/disk.img" / \
	>"$stage/ext2ls.out"
grep -q ' examples$' "$stage/ext2ls.out" || { cat "$stage/ext2ls.out"; exit 1; }
# shellcheck disable=SC2046
cc -static -o "$stage/ext2ls-static" share/examples/rump/ext2ls.c \
	$(pkg-config --static --cflags --libs rumpfs_ext2fs) \
	2>"$stage/static.log" || { cat "$stage/static.log"; exit 1; }
"$stage/ext2ls-static" "$stage/disk.img" /examples | grep -q ' rump$'

echo "== man pages"
for page in doc/*.[1-9]; do
	[ -e "$page" ] || continue
	mandoc -Tlint -Wwarning "$page"
	echo "$page: clean"
done
echo "installcheck: passed"
