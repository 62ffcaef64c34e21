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
#   sp         client messages of the remote system call protocol in the
#              input layout of fuzz_sp.c: system calls on files with their
#              copy requests replied to, each kind of malformed reply, and
#              raw, bad and truncated handshakes and messages
#
# A seed that a tool fails to make is reported and left out; the script
# fails only when no seed at all was made.
#
# usage: mkseeds.sh ext2fs|ext2fs_rw|partition|sp DIR
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

# le BYTES VALUE: VALUE as a little-endian integer of BYTES bytes.
le() {
	le_i=0
	while [ "$le_i" -lt "$1" ]; do
		printf "\\$(printf %03o $((($2 >> (8 * le_i)) & 255)))"
		le_i=$((le_i + 1))
	done
}

# msg TYPE ID [BODY-FILE]: one message with its header.
msg() {
	blen=0
	[ $# -lt 3 ] || blen=$(wc -c <"$3")
	le 4 $((16 + blen))
	le 2 "$1"
	le 2 0
	le 8 "$2"
	[ $# -lt 3 ] || cat "$3"
}

# call ID NUMBER ARG...: a SYSCALL message, one 8-byte slot per argument.
call() {
	id=$1
	num=$2
	shift 2
	{
		le 4 "$num"
		le 4 0
		for a in "$@"; do
			le 8 "$a"
		done
	} >"$work/body"
	msg 4 "$id" "$work/body"
}

# The values of tests/fuzz/fuzz_sp.c and sys/kern/syscalls.master.
FL_HANDSHAKE=1
FL_SERVE=2
FAKE=65536			# the fake client memory: names at 16-byte steps
FZ0=$FAKE FZ1=$((FAKE + 16)) FZD=$((FAKE + 32)) FZDF=$((FAKE + 48))
ROOT=$((FAKE + 64)) BUF=$((FAKE + 1024))
SYS_getpid=1 SYS_uname=11 SYS_read=26 SYS_write=27 SYS_close=28
SYS_pread=29 SYS_pwrite=30 SYS_open=50 SYS_stat=54 SYS_getdents64=58
SYS_mkdir=59 SYS_unlink=62 SYS_rename=64 SYS_chdir=92 SYS_getcwd=94
O_RDWR_CREAT=66

# seed NAME FLAGS [CONTROL-BYTES]: the messages on stdin as a seed.
seed() {
	cat >"$work/msgs"
	ctl=${3:-}
	{
		le 1 "$2"
		[ $(($2 & FL_SERVE)) -eq 0 ] || le 1 $((${#ctl} / 2))
		cat "$work/msgs"
		# CONTROL-BYTES: hexadecimal digit pairs.
		while [ -n "$ctl" ]; do
			le 1 $((0x$(printf %.2s "$ctl")))
			ctl=${ctl#??}
		done
	} >"$dir/$1"
}

seeds_sp() {
	call 1 $SYS_getpid | seed getpid $FL_HANDSHAKE

	# System calls whose copy requests the harness replies to correctly.
	{
		call 1 $SYS_getpid
		call 2 $SYS_uname $BUF
		call 3 $SYS_getcwd $BUF 256
	} | seed copyout $((FL_HANDSHAKE | FL_SERVE))

	{
		call 1 $SYS_mkdir $FZD 493
		call 2 $SYS_open $FZDF $O_RDWR_CREAT 420
		call 3 $SYS_pwrite 0 $BUF 512 0
		call 4 $SYS_pread 0 $((BUF + 1024)) 512 0
		call 5 $SYS_stat $FZDF $((BUF + 2048))
		call 6 $SYS_rename $FZDF $FZ0
		call 7 $SYS_close 0
		call 8 $SYS_unlink $FZ0
	} | seed files $((FL_HANDSHAKE | FL_SERVE))

	{
		call 1 $SYS_chdir $FZD
		call 2 $SYS_open $ROOT 65536
		call 3 $SYS_getdents64 0 $BUF 1024
		call 4 $SYS_write 0 $BUF 16
		call 5 $SYS_read 0 $BUF 16
	} | seed dirs $((FL_HANDSHAKE | FL_SERVE))

	# Each malformed reply to the copyinstr of a mkdir (fuzz_sp.c's
	# enum reply_mode), and then a stat whose copy request is replied to
	# correctly.
	for mode in 1 2 3 4 5 6 7; do
		{
			call 1 $SYS_mkdir $FZ1 493
			call 2 $SYS_stat $FZ1 $BUF
		} | seed "badreply-$mode" $((FL_HANDSHAKE | FL_SERVE)) "0$mode"
	done

	# Many calls outstanding at once, and a reused id.
	{
		n=1
		while [ $n -le 70 ]; do
			call $n $SYS_stat $FZ0 $BUF
			n=$((n + 1))
		done
	} | seed many $((FL_HANDSHAKE | FL_SERVE))

	{
		call 5 $SYS_stat $FZ0 $BUF
		call 5 $SYS_stat $FZ0 $BUF
	} | seed sameid $((FL_HANDSHAKE | FL_SERVE)) 07

	# Raw handshakes: valid, bad magic, a fork kind, cut short.
	hs() {
		{
			le 4 "$1"
			le 2 1
			le 2 1
			le 4 "$2"
			le 4 4242
			le 16 0
			le 16 0
		} >"$work/hs"
		msg 2 0 "$work/hs"
	}
	{ hs 827347794 1; call 1 $SYS_getpid; } | seed raw-new 0
	hs 1 1 | seed raw-badmagic 0
	hs 827347794 2 | seed raw-fork 0
	hs 827347794 1 | head -c 30 | seed raw-cut 0

	# Messages that the server must reject.
	{ le 4 64; le 2 4; le 2 0; le 8 1; printf 'short'; } |
	    seed truncated $FL_HANDSHAKE
	{ le 4 2147483647; le 2 4; le 2 0; le 8 1; } | seed oversized \
	    $FL_HANDSHAKE
	msg 200 1 | seed unknown-type $FL_HANDSHAKE
	{ le 4 8; le 4 0; } >"$work/ci"
	msg 8 1 "$work/ci" | seed reply-to-nothing $FL_HANDSHAKE
	printf 'GET / HTTP/1.0\r\n\r\n' | seed garbage $FL_HANDSHAKE
}

case $target in
ext2fs | ext2fs_rw) seeds_ext2fs ;;
partition) seeds_partition ;;
sp) seeds_sp ;;
*) echo "mkseeds: unknown target $target" >&2; exit 2 ;;
esac

n=$(find "$dir" -type f | wc -l)
if [ "$n" -eq 0 ]; then
	echo "mkseeds: no seed made for $target" >&2
	exit 1
fi
echo "mkseeds: $n seeds for $target in $dir"
