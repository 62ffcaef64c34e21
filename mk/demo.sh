#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The main job: an ext2 image read and written without root by the rump
# kernel's ext2 driver through fsu, and judged by e2fsprogs.
#
# With no image given, mke2fs -d makes one from the project's own files
# (sys and doc).  fsu reads that tree back out (get -r).  It copies the
# rest of the sources and a 64 MiB file in (put -r) and out again, and
# lists them (ls -lR).  diff -r compares every copy with its original,
# debugfs rdump reads what fsu wrote, and e2fsck -fn must find the image
# clean.  A short report
# ends with "demo passed"; any failure exits non-zero.
#
# With DEMO_IMAGE=FILE (make demo DEMO_IMAGE=disk.img) the same job runs
# on a copy of that image, so the image itself is never changed.  Its
# whole tree is read out and compared with what debugfs rdump reads; the
# write part is skipped when the image mounts read-only (ext4).
#
# usage: demo.sh OBJDIR
set -eu

obj=$1
fsu=$obj/bin/fsu
srcdir=$(pwd)

fail() {
	echo "demo FAILED: $*" >&2
	exit 1
}

# Milliseconds since the epoch, and a duration as seconds.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
secs() {
	awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'
}

# Files and bytes of the regular files below a folder.
count_files() {
	find "$1" -type f | wc -l | tr -d ' '
}
count_bytes() {
	find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}
rate() {
	awk -v b="$1" -v ms="$2" 'BEGIN {
		if (ms < 1) ms = 1
		printf "%.0f MiB/s", b / 1048576 / (ms / 1000) }'
}
human() {
	awk -v b="$1" 'BEGIN {
		if (b >= 1048576) printf "%.1f MiB", b / 1048576
		else printf "%.1f KiB", b / 1024 }'
}

# The trees must be equal: names, file contents, symlink targets.
# Device nodes, FIFOs and sockets are left out: debugfs rdump skips them
# and diff would block reading a FIFO.
same_tree() {
	find "$1" "$2" \( -type p -o -type c -o -type b -o -type s \) \
	    -delete
	diff -r --no-dereference "$1" "$2" >"$work/diff.txt" 2>&1 || {
		head -n 20 "$work/diff.txt" >&2
		fail "$3"
	}
}

for tool in mke2fs e2fsck debugfs; do
	command -v $tool >/dev/null 2>&1 || [ -x /sbin/$tool ] ||
	    fail "$tool is missing (Debian package e2fsprogs)"
done
PATH=$PATH:/sbin:/usr/sbin
[ -x "$fsu" ] || fail "$fsu was not built"

# The size of the one large file of the write part.
BIGFILE_MIB=64

work=$(mktemp -d "${TMPDIR:-/tmp}/rump-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
img=$work/demo.img
mkdir "$work/out"

echo "== a rump kernel in this process"
"$obj/examples/bootinfo" | sed -n '1,4p'
echo

# ---------------------------------------------------------------------
# The image and the tree it starts with.

if [ -n "${DEMO_IMAGE:-}" ]; then
	[ -f "$DEMO_IMAGE" ] || fail "DEMO_IMAGE $DEMO_IMAGE is not a file"
	echo "== your image $DEMO_IMAGE (working on a copy)"
	t0=$(now_ms)
	cp --sparse=always "$DEMO_IMAGE" "$img"
	mkdir "$work/seed"
	debugfs -R "rdump / $work/seed" "$img" >"$work/rdump.txt" 2>&1 ||
	    fail "debugfs cannot read the image: $(tail -n 3 "$work/rdump.txt")"
	seed_label="debugfs rdump of your image:"
	read_paths=/
else
	echo "== an ext2 image made by mke2fs -d from the project's own files"
	t0=$(now_ms)
	mkdir "$work/seed"
	cp -R "$srcdir/sys" "$srcdir/doc" "$work/seed/"
	# Room for the seed, the tree put in later and the metadata.
	kib=$(du -sk "$work/seed" | cut -f1)
	size=$((kib * 3 / 1024 + BIGFILE_MIB + 32))M
	mke2fs -q -F -t ext2 -b 4096 -d "$work/seed" "$img" "$size" \
	    >"$work/mke2fs.txt" 2>&1 ||
	    fail "mke2fs: $(cat "$work/mke2fs.txt")"
	seed_label="mke2fs -d of sys and doc:"
	read_paths="/sys /doc"
fi
t1=$(now_ms)
seed_files=$(count_files "$work/seed")
seed_bytes=$(count_bytes "$work/seed")
img_bytes=$(stat -c %s "$img")
printf '%-34s %s files, %s, image %s (%s)\n' "$seed_label" \
    "$seed_files" "$(human "$seed_bytes")" "$(human "$img_bytes")" \
    "$(secs $((t1 - t0)))"
"$fsu" "$img" df -h | sed 's/^/    /'

# ---------------------------------------------------------------------
# Read: fsu get -r, compared with the folder the image was made from.

t0=$(now_ms)
mkdir "$work/out/seed"
for p in $read_paths; do
	if [ "$p" = / ]; then
		"$fsu" "$img" get -r / "$work/out/seed/root" ||
		    fail "fsu get -r /"
	else
		"$fsu" "$img" get -r "$p" "$work/out/seed/${p#/}" ||
		    fail "fsu get -r $p"
	fi
done
t1=$(now_ms)
read_ms=$((t1 - t0))
if [ -n "${DEMO_IMAGE:-}" ]; then
	same_tree "$work/seed" "$work/out/seed/root" \
	    "fsu get -r / differs from debugfs rdump /"
else
	same_tree "$work/seed" "$work/out/seed" \
	    "what fsu get -r read differs from the folder"
fi
out_bytes=$(count_bytes "$work/out/seed")
printf '%-34s %s files, %s, identical (%s)\n' "fsu get -r (read out):" \
    "$(count_files "$work/out/seed")" "$(human "$out_bytes")" \
    "$(secs "$read_ms")"

# ---------------------------------------------------------------------
# Write: fsu put -r of more sources, then get -r, ls -lR, debugfs rdump.

# The tree to copy in: the sources that are not in the image yet, and
# on the built-in image one large file.
mkdir "$work/in"
cp -R "$srcdir/lib" "$srcdir/usr.bin" "$srcdir/tests" "$srcdir/share" \
    "$srcdir/mk" "$work/in/"
[ -n "${DEMO_IMAGE:-}" ] ||
	head -c $((BIGFILE_MIB * 1048576)) /dev/urandom >"$work/in/big.bin"
in_files=$(count_files "$work/in")
in_bytes=$(count_bytes "$work/in")
free_bytes=$(dumpe2fs -h "$img" 2>/dev/null | awk -F: '
	/^Free blocks/ { f = $2 } /^Block size/ { b = $2 }
	END { print f * b }')

wrote=no
write_ms=0 back_ms=0
# Each file may take a block more than its size, plus some directories.
if [ "$free_bytes" -lt $((in_bytes + in_files * 4096 + 4194304)) ]; then
	echo "the image has $(human "$free_bytes") free: too little for" \
	    "the write part, which is skipped"
elif ! "$fsu" "$img" mkdir /rump-demo 2>"$work/mkdir.txt"; then
	# An ext4 image mounts read-only, and the kernel logs the reason.
	echo "fsu mkdir /rump-demo failed, so the write part is skipped:"
	sed 's/^/    /' "$work/mkdir.txt"
else
	wrote=yes
	t0=$(now_ms)
	"$fsu" "$img" put -r "$work/in" /rump-demo/src || fail "fsu put -r"
	t1=$(now_ms)
	write_ms=$((t1 - t0))
	printf '%-34s %s files, %s (%s)\n' "fsu put -r (copy in):" \
	    "$in_files" "$(human "$in_bytes")" "$(secs "$write_ms")"

	"$fsu" "$img" ls -lR /rump-demo >"$work/ls.txt" ||
	    fail "fsu ls -lR"
	echo "fsu ls -lR /rump-demo (the first 12 of $(wc -l <"$work/ls.txt")" \
	    "lines):"
	sed -n '1,12p' "$work/ls.txt" | cut -c1-100 | sed 's/^/    /'

	t0=$(now_ms)
	"$fsu" "$img" get -r /rump-demo/src "$work/out/src" ||
	    fail "fsu get -r /rump-demo/src"
	t1=$(now_ms)
	back_ms=$((t1 - t0))
	same_tree "$work/in" "$work/out/src" \
	    "the tree copied out differs from the tree copied in"
	printf '%-34s %s files, %s, identical (%s)\n' \
	    "fsu get -r (copy out):" "$(count_files "$work/out/src")" \
	    "$(human "$(count_bytes "$work/out/src")")" "$(secs "$back_ms")"

	mkdir "$work/rdump"
	debugfs -R "rdump /rump-demo/src $work/rdump" "$img" \
	    >"$work/rdump.txt" 2>&1 || fail "debugfs rdump"
	same_tree "$work/in" "$work/rdump/src" \
	    "debugfs reads something else than fsu wrote"
	printf '%-34s identical\n' "debugfs rdump of the copy:"
fi

[ "$wrote" = yes ] || [ -n "${DEMO_IMAGE:-}" ] ||
	fail "the write part did not run on the built-in image"

# ---------------------------------------------------------------------
# Check.

if e2fsck -fn "$img" >"$work/fsck.txt" 2>&1; then
	verdict=clean
	printf '%-34s clean (exit 0)\n' "e2fsck -fn:"
else
	st=$?
	sed -n '1,30p' "$work/fsck.txt" >&2
	fail "e2fsck -fn exited $st"
fi

echo
echo "== report"
printf '  image          %s, %s files in it at the start\n' \
    "$(human "$img_bytes")" "$seed_files"
printf '  read out       %s in %s\n' "$(human "$out_bytes")" \
    "$(secs "$read_ms")"
if [ "$wrote" = yes ]; then
	printf '  copied in      %s files, %s in %s (%s)\n' "$in_files" \
	    "$(human "$in_bytes")" "$(secs "$write_ms")" \
	    "$(rate "$in_bytes" "$write_ms")"
	printf '  copied out     %s in %s (%s)\n' "$(human "$in_bytes")" \
	    "$(secs "$back_ms")" "$(rate "$in_bytes" "$back_ms")"
fi
printf '  e2fsck -fn     %s\n' "$verdict"
echo "demo passed"
