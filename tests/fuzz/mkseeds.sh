#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Make the seed corpus of a fuzz target in DIR (emptied first).
#
#   ext2fs, ext2fs_rw
#              small images made by mke2fs -d from a tree with every kind
#              of file (ext2 revision 0 and 1, 1, 2 and 4 KiB blocks, a
#              hashed directory, ext3, ext4), and the damaged images of
#              $DAMAGED (default: shared/testdata/ext2-damaged beside the
#              source tree) that are smaller than 1 MiB once decompressed,
#              when that folder exists
#   partition  128 KiB disks with MBR, extended and GPT partition tables
#              made by sfdisk
#
# A seed that a tool fails to make is reported and left out; the script
# fails only when no seed at all was made.
#
# usage: mkseeds.sh ext2fs|ext2fs_rw|partition DIR
set -eu
target=$1
dir=$2
DAMAGED=${DAMAGED:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/testdata/ext2-damaged}
PATH=$PATH:/sbin:/usr/sbin
export PATH

work=$(mktemp -d "${TMPDIR:-/tmp}/mkseeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$dir"
mkdir -p "$dir"

# Run a command that makes one seed; report its failure and go on.
try() {
	name=$1
	shift
	if ! "$@" >"$work/log" 2>&1; then
		echo "mkseeds: $target seed $name not made: $*" >&2
		sed 's/^/    /' "$work/log" >&2
		rm -f "$dir/$name"
		return 1
	fi
}

# A tree with a file of every kind that mke2fs -d copies.
make_tree() {
	t=$work/tree
	mkdir -p "$t/dir/sub/deeper" "$t/many"
	echo "a small file" >"$t/small"
	seq 1 9000 >"$t/dir/indirect"		# about 43 KiB: indirect blocks
	printf 'end' | dd of="$t/sparse" bs=1 seek=70000 2>/dev/null
	ln "$t/small" "$t/dir/hardlink"
	ln -s small "$t/fastlink"
	ln -s "dir/sub/deeper/$(printf 'x%.0s' $(seq 1 90))" "$t/slowlink"
	mkfifo "$t/fifo"
	echo deep >"$t/dir/sub/deeper/file"
	for i in $(seq 1 80); do
		echo "$i" >"$t/many/entry-with-a-longer-name-number-$i"
	done
}

# mkext2 NAME SIZE_KIB MKE2FS-OPTIONS...
mkext2() {
	name=$1
	size=$2
	shift 2
	rm -f "$dir/$name"
	try "$name" mke2fs -q -F -N 128 -d "$work/tree" "$@" "$dir/$name" \
	    "${size}k"
}

seeds_ext2fs() {
	make_tree
	mkext2 ext2-rev0-1k 256 -t ext2 -r 0 -b 1024 || true
	mkext2 ext2-1k 256 -t ext2 -b 1024 || true
	mkext2 ext2-2k 512 -t ext2 -b 2048 || true
	mkext2 ext2-4k 512 -t ext2 -b 4096 || true
	if mkext2 ext2-htree-1k 256 -t ext2 -b 1024 -O dir_index; then
		# e2fsck -D indexes the directories; exit status 1 means
		# it changed the image, which is what it is asked to do.
		e2fsck -fyD "$dir/ext2-htree-1k" >/dev/null 2>&1 || [ $? -eq 1 ] ||
		    echo "mkseeds: e2fsck -fyD ext2-htree-1k failed" >&2
	fi
	mkext2 ext3-1k 1536 -t ext3 -b 1024 -J size=1 || true
	mkext2 ext4-1k 256 -t ext4 -O ^has_journal -b 1024 || true
	mkext2 ext4-4k 512 -t ext4 -O ^has_journal -b 4096 || true

	[ -d "$DAMAGED" ] || return 0
	for f in "$DAMAGED"/*; do
		base=${f##*/}
		case $f in
		*.gz) base=${base%.gz}; gzip -dc "$f" >"$work/img" || continue ;;
		*.bz2) base=${base%.bz2}; bzip2 -dc "$f" >"$work/img" || continue ;;
		*) cp "$f" "$work/img" ;;
		esac
		size=$(stat -c %s "$work/img")
		if [ "$size" -ge 2048 ] && [ "$size" -lt 1048576 ]; then
			cp "$work/img" "$dir/damaged-${base%.img}"
		fi
	done
}

# mkdisk NAME SFDISK-OPTIONS... < SCRIPT
mkdisk() {
	name=$1
	shift
	rm -f "$dir/$name"
	truncate -s 128k "$dir/$name"
	cat >"$work/script"
	try "$name" sfdisk -q --no-reread --no-tell-kernel "$@" "$dir/$name" \
	    <"$work/script"
}

seeds_partition() {
	mkdisk mbr-primary <<-EOF || true
		label: dos
		start=34, size=40, type=83
		start=74, size=40, type=83, bootable
		start=114, size=60, type=c
		start=174, size=80, type=82
	EOF
	mkdisk mbr-logical <<-EOF || true
		label: dos
		start=16, size=40, type=83
		start=56, size=200, type=5
		start=64, size=40, type=83
		start=112, size=60, type=83
		start=180, size=70, type=7
	EOF
	mkdisk gpt <<-EOF || true
		label: gpt
		first-lba: 34
		start=34, size=50, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
		start=84, size=40, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="efi"
		start=124, size=90, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F
	EOF
}

case $target in
ext2fs | ext2fs_rw) seeds_ext2fs ;;
partition) seeds_partition ;;
*) echo "mkseeds: unknown target $target" >&2; exit 2 ;;
esac

n=$(find "$dir" -type f | wc -l)
if [ "$n" -eq 0 ]; then
	echo "mkseeds: no seed made for $target" >&2
	exit 1
fi
echo "mkseeds: $n seeds for $target in $dir"
