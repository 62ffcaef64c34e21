#! /usr/bin/env atf-sh
# SPDX-License-Identifier: BSD-2-Clause
#
# fsu: every command and option on ext2 images that mke2fs -d made from a
# host tree.  After each change e2fsck -fn must pass and debugfs must
# read back what fsu wrote.  Commands that only read must leave the image
# byte-identical.  Messages and exit statuses follow coreutils.

fsu_bin() {
	echo "$(atf_get_srcdir)/../../../bin/fsu"
}

fsu() {
	"$(fsu_bin)" "$@"
}

# The host tree "tree" and its image "img" (ext2, 1 KiB blocks, 16 MiB).
# Host tools and fsu run in UTC and the C locale, so that dates compare.
make_tree() {
	export TZ=UTC LC_ALL=C
	mkdir -p tree/dir/sub tree/files tree/empty
	echo "hello" >tree/hello.txt
	printf 'first\nsecond\n' >tree/dir/lines.txt
	seq 1 20000 >tree/dir/sub/numbers
	: >tree/files/empty
	echo a >tree/files/a.txt
	echo bb >tree/files/b.txt
	chmod 600 tree/files/b.txt
	chmod 751 tree/dir/sub
	ln -s a.txt tree/files/link
	ln -s ../hello.txt tree/dir/uplink
	mkfifo tree/dir/fifo
	echo spaced >"tree/name with spaces"
	# A file with a hole of 1 MiB between two data blocks.
	echo start >tree/sparse
	dd if=/dev/zero of=tree/sparse bs=1 count=1 seek=1048576 conv=notrunc \
	    status=none
	touch -d '2001-02-03 04:05:06' tree/hello.txt
}

make_image() {
	make_tree
	atf_check -o ignore -e ignore mke2fs -q -F -t "${1:-ext2}" -b 1024 \
	    -d tree img 16M
}

# e2fsck -fn must find nothing to fix.
check_fsck() {
	atf_check -s exit:0 -o ignore -e ignore e2fsck -fn "${1:-img}"
}

# Run a coreutils command (CMD ARGS) in the host directory "host", which
# the caller filled like the image.  Print its stderr output with the
# "CMD: " prefix replaced by fsu's "fsu: ", and store its exit status in
# host.rc.  Print the fallback text instead when the host's tool is not
# GNU's.
gnu_message() {
	fallback=$1
	shift
	if ! "$1" --version 2>/dev/null | grep -q 'GNU coreutils'; then
		printf '%s\n' "$fallback"
		return
	fi
	( cd host && "$@" ) 2>host.err
	echo $? >host.rc
	sed "s/^$1: /fsu: /" host.err
}

atf_test_case help
help_head() {
	atf_set "descr" "--help and -h print the usage; bad command lines exit 2"
}
help_body() {
	make_image
	atf_check -s exit:0 -o match:'^usage: fsu \[-t TYPE\]' -o match:'put' \
	    "$(fsu_bin)" --help
	atf_check -s exit:0 -o match:'^usage: fsu' "$(fsu_bin)" -h
	atf_check -s exit:2 -e match:'missing image and command' \
	    -e match:'^usage: fsu' "$(fsu_bin)"
	atf_check -s exit:2 -e match:'missing command' "$(fsu_bin)" img
	atf_check -s exit:2 -e match:"unknown command 'frobnicate'" \
	    "$(fsu_bin)" img frobnicate
	atf_check -s exit:2 -e match:'usage: fsu .* ls \[-1adlnAR\]' \
	    "$(fsu_bin)" img ls -Z
	atf_check -s exit:2 -e match:'usage: fsu' "$(fsu_bin)" -X img ls
	atf_check -s exit:2 -e match:'missing operand' "$(fsu_bin)" img rmdir
	atf_check -s exit:1 -e match:"cannot open 'nonexistent'" \
	    "$(fsu_bin)" nonexistent ls
	atf_check -s exit:2 -e match:'invalid partition number' \
	    "$(fsu_bin)" img:0 ls
}

atf_test_case detect
detect_head() {
	atf_set "descr" "the type is found from the superblock; FAT, ISO 9660 and FFS are not supported yet"
	atf_set "require.progs" "mke2fs"
}
detect_body() {
	make_tree
	for t in ext2 ext3 ext4; do
		atf_check -o ignore -e ignore mke2fs -q -F -t $t -d tree $t.img 16M
		atf_check -s exit:0 -o inline:"hello\n" "$(fsu_bin)" $t.img \
		    cat /hello.txt
		atf_check -s exit:0 -o inline:"hello\n" "$(fsu_bin)" -t $t \
		    $t.img cat /hello.txt
	done
	# ext2 by its NetBSD name too.
	atf_check -s exit:0 -o ignore "$(fsu_bin)" -t ext2fs ext2.img ls

	# Signatures of the other types in otherwise empty images.
	dd if=/dev/zero of=fat.img bs=1k count=128 status=none
	printf 'FAT16   ' | dd of=fat.img bs=1 seek=54 conv=notrunc status=none
	printf '\125\252' | dd of=fat.img bs=1 seek=510 conv=notrunc status=none
	atf_check -s exit:1 -e inline:"fsu: fat.img: file system type vfat is not supported yet\n" \
	    "$(fsu_bin)" fat.img ls
	dd if=/dev/zero of=iso.img bs=1k count=128 status=none
	printf '\001CD001' | dd of=iso.img bs=1 seek=32768 conv=notrunc status=none
	atf_check -s exit:1 -e match:'type iso9660 is not supported yet' \
	    "$(fsu_bin)" iso.img ls
	dd if=/dev/zero of=ffs.img bs=1k count=128 status=none
	printf '\124\031\001\000' | dd of=ffs.img bs=1 seek=9564 conv=notrunc \
	    status=none
	atf_check -s exit:1 -e match:'type ffs is not supported yet' \
	    "$(fsu_bin)" ffs.img ls
	dd if=/dev/zero of=zero.img bs=1k count=128 status=none
	atf_check -s exit:1 -e match:'zero.img: unknown file system type; name one with -t' \
	    "$(fsu_bin)" zero.img ls
	atf_check -s exit:1 -e inline:"fsu: unknown file system type 'bogusfs'\n" \
	    "$(fsu_bin)" -t bogusfs zero.img ls
}

atf_test_case options
options_head() {
	atf_set "descr" "-o passes mount options; bad ones and ro for a change fail"
	atf_set "require.progs" "mke2fs e2fsck debugfs cmp"
}
options_body() {
	make_image
	atf_check -s exit:0 -o inline:"hello\n" "$(fsu_bin)" -o noatime img \
	    cat /hello.txt
	atf_check -s exit:0 "$(fsu_bin)" -o sync,noatime img put tree/sparse /s2
	check_fsck
	atf_check -o file:tree/sparse -e ignore debugfs -R 'cat /s2' img
	cp img img.orig
	atf_check -s exit:1 -e match:'unknown mount option' \
	    -e match:'^fsu: img: cannot mount ext2: Invalid argument$' \
	    "$(fsu_bin)" -o bogusopt img ls
	atf_check -s exit:1 \
	    -e inline:"fsu: img: the file system is mounted read-only, so it cannot be changed\n" \
	    "$(fsu_bin)" -o ro img mkdir /x
	atf_check cmp img img.orig
}

atf_test_case ls
ls_head() {
	atf_set "descr" "ls with -l, -a, -A, -R, -d and -n, compared with GNU ls on the source tree"
	atf_set "require.progs" "mke2fs"
}
ls_body() {
	make_image
	atf_check -s exit:0 -o inline:"dir\nempty\nfiles\nhello.txt\nlost+found\nname with spaces\nsparse\n" \
	    "$(fsu_bin)" img ls
	atf_check -s exit:0 -o inline:"a.txt\nb.txt\nempty\nlink\n" \
	    "$(fsu_bin)" img ls /files
	atf_check -s exit:0 -o inline:".\n..\nfifo\nlines.txt\nsub\nuplink\n" \
	    "$(fsu_bin)" img ls -a dir
	atf_check -s exit:0 -o inline:"/dir\n" "$(fsu_bin)" img ls -d /dir
	atf_check -s exit:0 -o inline:"/hello.txt\n\n/files:\na.txt\nb.txt\nempty\nlink\n" \
	    "$(fsu_bin)" img ls /files /hello.txt

	# Regular files and links list as GNU ls lists the tree.
	ls -l tree/files | grep -v '^total' >expected
	fsu img ls -l /files | grep -v '^total' >out
	atf_check -o empty diff expected out
	ls -ln tree/files | grep -v '^total' >expected
	fsu img ls -n /files | grep -v '^total' >out
	atf_check -o empty diff expected out
	atf_check -s exit:0 -o match:'^lrwxrwxrwx 1 .* link -> a\.txt$' \
	    -o match:'^-rw------- 1 .* 3 .* b\.txt$' -o match:'^total [0-9]+$' \
	    "$(fsu_bin)" img ls -l /files
	atf_check -s exit:0 -o match:'^prw-r--r-- .* fifo$' \
	    -o match:'^drwxr-x--x .* sub$' "$(fsu_bin)" img ls -l /dir
	atf_check -s exit:0 -o match:' Feb  3  2001 /hello\.txt$' \
	    "$(fsu_bin)" img ls -l /hello.txt
	atf_check -s exit:0 -o inline:"/dir:\nfifo\nlines.txt\nsub\nuplink\n\n/dir/sub:\nnumbers\n" \
	    "$(fsu_bin)" img ls -R /dir
	atf_check -s exit:0 -o not-match:'^\.' -o match:'^fifo$' \
	    "$(fsu_bin)" img ls -A /dir

	atf_check -s exit:1 -e inline:"fsu: cannot access '/nope': No such file or directory\n" \
	    "$(fsu_bin)" img ls /nope
	atf_check -s exit:1 -o inline:"/hello.txt\n" -e match:"cannot access '/nope'" \
	    "$(fsu_bin)" img ls /nope /hello.txt
}

atf_test_case cat
cat_head() {
	atf_set "descr" "cat writes files, several in order; a directory is an error"
	atf_set "require.progs" "mke2fs"
}
cat_body() {
	make_image
	atf_check -s exit:0 -o file:tree/dir/sub/numbers \
	    "$(fsu_bin)" img cat /dir/sub/numbers
	atf_check -s exit:0 -o inline:"hello\nfirst\nsecond\n" \
	    "$(fsu_bin)" img cat /hello.txt dir/lines.txt
	atf_check -s exit:0 -o inline:"a\n" "$(fsu_bin)" img cat /files/link
	atf_check -s exit:0 -o file:tree/sparse "$(fsu_bin)" img cat /sparse
	atf_check -s exit:0 -o inline:"spaced\n" \
	    "$(fsu_bin)" img cat "/name with spaces"
	atf_check -s exit:1 -e inline:"fsu: /dir: Is a directory\n" \
	    "$(fsu_bin)" img cat /dir
	atf_check -s exit:1 -o inline:"hello\n" \
	    -e inline:"fsu: /nope: No such file or directory\n" \
	    "$(fsu_bin)" img cat /nope /hello.txt
	atf_check -s exit:2 -e match:usage "$(fsu_bin)" img cat
}

atf_test_case sigpipe
sigpipe_head() {
	atf_set "descr" "output commands die of SIGPIPE like cat(1) when the reader goes away, after releasing the image"
	atf_set "require.progs" "mke2fs e2fsck cmp head"
}
sigpipe_body() {
	# Each output is more than a pipe holds, so fsu is still writing
	# when head exits: a 2 MB file and a 4,000-entry directory.
	export TZ=UTC LC_ALL=C
	mkdir -p tree/lots
	seq 1 300000 >tree/many
	i=0
	while [ $i -lt 4000 ]; do
		: >tree/lots/a-file-name-that-is-rather-long-$i
		i=$((i + 1))
	done
	make_image
	cp img img.before
	# The shell reports a death by SIGPIPE as 141 (128 + 13), as for cat.
	( cat tree/many; echo $? >host.rc ) | head -1 >/dev/null
	for cmd in "cat /many" "ls /lots" "ls -lR /" "find /"; do
		( "$(fsu_bin)" img $cmd 2>out.err; echo $? >out.rc ) |
		    head -1 >out.first
		atf_check -o inline:"141\n" cat out.rc
		atf_check -o file:host.rc cat out.rc
		atf_check -o empty cat out.err
		atf_check -o not-empty cat out.first
	done
	# The image was released cleanly each time: unchanged and clean.
	atf_check cmp img img.before
	check_fsck
}

atf_test_case usage_first
usage_first_head() {
	atf_set "descr" "a bad command line is refused with status 2 before the image is opened"
	atf_set "require.progs" "mke2fs cmp flock timeout"
}
usage_first_body() {
	make_image
	cp img img.before
	# No image at all: the usage error still comes first.
	for args in "ls -Z" "cat" "rm" "rmdir" "mkdir" "mv a" "ln" \
	    "ln a b c" "chmod 644" "chown" "touch" "stat" "df x" \
	    "get" "put" "rm -Q x" "touch -Q x"; do
		atf_check -s exit:2 -e match:"^usage: fsu .* ${args%% *} " \
		    -e not-match:"cannot open" "$(fsu_bin)" nonexistent $args
	done
	atf_check -s exit:2 -e inline:"fsu: find: unknown predicate '-bogus'\n" \
	    "$(fsu_bin)" nonexistent find -bogus
	atf_check -s exit:2 -e inline:"fsu: find: unknown argument to -type: q\n" \
	    "$(fsu_bin)" nonexistent find / -type q
	# An image another run holds: a usage error does not wait for it.
	atf_check -s exit:2 -e not-match:waiting -e match:usage \
	    flock img timeout 20 "$(fsu_bin)" img mkdir
	atf_check cmp img img.before
}

atf_test_case get
get_head() {
	atf_set "descr" "get copies files and trees out with modes and times; links and FIFOs are recreated"
	atf_set "require.progs" "mke2fs stat diff"
}
get_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img get /hello.txt
	atf_check -o file:tree/hello.txt cat hello.txt
	atf_check -o inline:"644 981173106\n" stat -c '%a %Y' hello.txt

	mkdir out
	atf_check -s exit:0 "$(fsu_bin)" img get /files/b.txt /dir/lines.txt out
	atf_check -o inline:"600\n" stat -c '%a' out/b.txt
	atf_check -o file:tree/dir/lines.txt cat out/lines.txt
	atf_check -s exit:0 "$(fsu_bin)" img get /files/a.txt out/renamed
	atf_check -o inline:"a\n" cat out/renamed

	atf_check -s exit:1 -e inline:"fsu: -r not specified; omitting directory '/dir'\n" \
	    "$(fsu_bin)" img get /dir out
	atf_check -s exit:0 "$(fsu_bin)" img get -r / copy
	rm -rf copy/lost+found
	atf_check -o empty diff -r --no-dereference -x fifo tree copy
	atf_check test -p copy/dir/fifo
	atf_check -o inline:"../hello.txt\n" readlink copy/dir/uplink
	for f in hello.txt dir dir/sub dir/sub/numbers files/b.txt sparse; do
		stat -c '%n %a %Y %s' tree/$f | sed 's,^tree/,,' >want
		stat -c '%n %a %Y %s' copy/$f | sed 's,^copy/,,' >got
		atf_check -o empty diff want got
	done
	# The hole stays a hole.
	[ "$(stat -c %b copy/sparse)" -lt 100 ] ||
	    atf_fail "the sparse file took $(stat -c %b copy/sparse) blocks"

	atf_check -s exit:1 -e inline:"fsu: cannot stat '/nope': No such file or directory\n" \
	    "$(fsu_bin)" img get /nope out
	atf_check -s exit:1 -e match:"target 'hello.txt' is not a directory" \
	    "$(fsu_bin)" img get /hello.txt /sparse hello.txt
}

atf_test_case get_device
get_device_head() {
	atf_set "descr" "get recreates a device node when run as root"
	atf_set "require.user" "root"
	atf_set "require.progs" "mke2fs"
}
get_device_body() {
	make_tree
	mknod tree/null c 1 3
	atf_check -o ignore -e ignore mke2fs -q -F -t ext2 -d tree img 16M
	atf_check -s exit:0 -o match:'^crw-r--r-- 1 .* 1, 3 .* /null$' \
	    "$(fsu_bin)" img ls -l /null
	atf_check -s exit:0 "$(fsu_bin)" img get /null devnull
	atf_check -o inline:"character special file 1 3\n" \
	    stat -c '%F %t %T' devnull
}

atf_test_case put
put_head() {
	atf_set "descr" "put copies files and trees in; e2fsck is clean and debugfs reads them back"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
put_body() {
	make_image
	echo "new contents" >new.txt
	chmod 640 new.txt
	touch -d '2010-01-02 03:04:05' new.txt
	atf_check -s exit:0 "$(fsu_bin)" img put new.txt
	atf_check -s exit:0 "$(fsu_bin)" img put new.txt /dir
	atf_check -s exit:0 "$(fsu_bin)" img put new.txt /dir/other.txt
	check_fsck
	atf_check -o inline:"new contents\n" -e ignore debugfs -R 'cat /new.txt' img
	atf_check -o inline:"new contents\n" -e ignore debugfs -R 'cat /dir/new.txt' img
	atf_check -o inline:"new contents\n" -e ignore debugfs -R 'cat /dir/other.txt' img
	atf_check -o match:'Mode:  0640' -e ignore debugfs -R 'stat /dir/other.txt' img
	atf_check -s exit:0 -o match:'^-rw-r----- 1 .* 13 Jan  2  2010 /dir/other\.txt$' \
	    "$(fsu_bin)" img ls -l /dir/other.txt

	# Overwriting keeps one file with the new contents.
	echo "shorter" >new.txt
	atf_check -s exit:0 "$(fsu_bin)" img put new.txt /new.txt
	atf_check -o inline:"shorter\n" -e ignore debugfs -R 'cat /new.txt' img

	atf_check -s exit:1 -e inline:"fsu: -r not specified; omitting directory 'tree'\n" \
	    "$(fsu_bin)" img put tree /
	atf_check -s exit:1 -e inline:"fsu: cannot stat 'missing': No such file or directory\n" \
	    "$(fsu_bin)" img put missing /
	atf_check -s exit:1 -e match:"cannot create regular file '/nodir/x'" \
	    "$(fsu_bin)" img put new.txt /nodir/x
	check_fsck
}

atf_test_case roundtrip
roundtrip_head() {
	atf_set "descr" "put -r then get -r gives the same tree, modes and times"
	atf_set "require.progs" "mke2fs e2fsck diff stat"
}
roundtrip_body() {
	make_tree
	mkdir src
	cp -a tree src/t
	# Deeper and wider than the default tree.
	for i in $(seq 1 150); do
		echo "file $i" >src/t/dir/f$i
	done
	mkdir -p src/t/a/b/c/d/e
	head -c 300000 /dev/urandom >src/t/a/b/c/d/e/random
	chmod 4755 src/t/a/b/c/d/e/random
	chmod 1777 src/t/a
	atf_check -o ignore -e ignore mke2fs -q -F -t ext2 -b 4096 img 32M

	atf_check -s exit:0 "$(fsu_bin)" img put -r src/t /t
	check_fsck
	atf_check -s exit:0 "$(fsu_bin)" img get -r /t back
	atf_check -o empty diff -r --no-dereference -x fifo src/t back
	(cd src/t && find . -print0 | sort -z |
	    xargs -0 stat -c '%n %F %a %Y %s %u %g') >expected
	(cd back && find . -print0 | sort -z |
	    xargs -0 stat -c '%n %F %a %Y %s %u %g') >out
	# Directory sizes depend on the file system; links keep their times.
	sed -E '/directory/s/ [0-9]+ ([0-9]+ [0-9]+)$/ \1/' expected >e2
	sed -E '/directory/s/ [0-9]+ ([0-9]+ [0-9]+)$/ \1/' out >o2
	atf_check -o empty diff e2 o2
	atf_check -o match:'Size: 300000' -e ignore debugfs -R 'stat /t/a/b/c/d/e/random' img
}

atf_test_case mkdir
mkdir_head() {
	atf_set "descr" "mkdir, -p and -m; existing directories are errors without -p"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
mkdir_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img mkdir /new /dir/new2
	atf_check -s exit:0 "$(fsu_bin)" img mkdir -p /a/b/c /dir
	atf_check -s exit:0 "$(fsu_bin)" img mkdir -m 700 /private
	atf_check -s exit:1 -e inline:"fsu: cannot create directory '/new': File exists\n" \
	    "$(fsu_bin)" img mkdir /new
	atf_check -s exit:1 -e inline:"fsu: cannot create directory '/x/y': No such file or directory\n" \
	    "$(fsu_bin)" img mkdir /x/y
	atf_check -s exit:1 -e match:"cannot create directory '/hello.txt/z'" \
	    "$(fsu_bin)" img mkdir -p /hello.txt/z
	check_fsck
	atf_check -o match:'Type: directory' -e ignore debugfs -R 'stat /a/b/c' img
	atf_check -o match:'Mode:  0700' -e ignore debugfs -R 'stat /private' img
	atf_check -o match:'Type: directory' -e ignore debugfs -R 'stat /dir/new2' img
}

atf_test_case rm
rm_head() {
	atf_set "descr" "rm, rm -r and rm -f, with coreutils' messages"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
rm_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img rm /hello.txt /files/link
	atf_check -s exit:1 -e inline:"fsu: cannot remove '/hello.txt': No such file or directory\n" \
	    "$(fsu_bin)" img rm /hello.txt
	atf_check -s exit:0 "$(fsu_bin)" img rm -f /hello.txt
	atf_check -s exit:1 -e inline:"fsu: cannot remove '/dir': Is a directory\n" \
	    "$(fsu_bin)" img rm /dir
	atf_check -s exit:0 "$(fsu_bin)" img rm -r /dir
	atf_check -s exit:1 -e inline:"fsu: it is dangerous to operate recursively on '/'\n" \
	    "$(fsu_bin)" img rm -r /
	atf_check -s exit:1 -e match:"refusing to remove '.' or '..'" \
	    "$(fsu_bin)" img rm -r /files/..
	check_fsck
	atf_check -o ignore -e match:'File not found' debugfs -R 'stat /dir' img
	atf_check -s exit:0 -o inline:"empty\nfiles\nlost+found\nname with spaces\nsparse\n" \
	    "$(fsu_bin)" img ls
}

atf_test_case rmdir
rmdir_head() {
	atf_set "descr" "rmdir removes empty directories only"
	atf_set "require.progs" "mke2fs e2fsck"
}
rmdir_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img rmdir /empty
	atf_check -s exit:1 -e inline:"fsu: failed to remove '/dir': Directory not empty\n" \
	    "$(fsu_bin)" img rmdir /dir
	atf_check -s exit:1 -e inline:"fsu: failed to remove '/hello.txt': Not a directory\n" \
	    "$(fsu_bin)" img rmdir /hello.txt
	check_fsck
	atf_check -s exit:1 -e ignore "$(fsu_bin)" img ls -d /empty
}

atf_test_case mv
mv_head() {
	atf_set "descr" "mv renames and moves into directories"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
mv_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img mv /hello.txt /hi.txt
	atf_check -s exit:0 "$(fsu_bin)" img mv /hi.txt /files/a.txt /empty
	atf_check -s exit:0 "$(fsu_bin)" img mv /dir /empty/dir
	atf_check -s exit:1 -e inline:"fsu: cannot stat '/nope': No such file or directory\n" \
	    "$(fsu_bin)" img mv /nope /x
	atf_check -s exit:1 -e match:"target '/sparse' is not a directory" \
	    "$(fsu_bin)" img mv /empty/hi.txt /files/b.txt /sparse
	check_fsck
	atf_check -o inline:"hello\n" -e ignore debugfs -R 'cat /empty/hi.txt' img
	atf_check -o inline:"a\n" -e ignore debugfs -R 'cat /empty/a.txt' img
	atf_check -o inline:"first\nsecond\n" -e ignore debugfs -R 'cat /empty/dir/lines.txt' img
}

atf_test_case mv_subdir
mv_subdir_head() {
	atf_set "descr" "mv refuses to move a directory below itself with mv's message"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
mv_subdir_body() {
	make_image
	atf_check "$(fsu_bin)" img mkdir d1
	mkdir -p host/d1
	# A new name inside the directory itself.
	gnu_message "fsu: cannot move 'd1' to a subdirectory of itself, 'd1/d2'" \
	    mv d1 d1/d2 >expected
	atf_check -s exit:1 -e file:expected "$(fsu_bin)" img mv d1 d1/d2
	test ! -e host.rc || atf_check -o inline:"1\n" cat host.rc
	# Into an existing subdirectory: the target is d1/d2/d1.
	atf_check "$(fsu_bin)" img mkdir d1/d2
	mkdir -p host/d1/d2
	gnu_message "fsu: cannot move 'd1' to a subdirectory of itself, 'd1/d2/d1'" \
	    mv d1 d1/d2 >expected
	atf_check -s exit:1 -e file:expected "$(fsu_bin)" img mv d1 d1/d2
	# Deeper, through names that do not exist yet, and by absolute path.
	atf_check -s exit:1 \
	    -e inline:"fsu: cannot move '/d1' to a subdirectory of itself, '/d1/d2/x/y'\n" \
	    "$(fsu_bin)" img mv /d1 /d1/d2/x/y
	# A sibling with a common prefix of the name is fine.
	atf_check "$(fsu_bin)" img mv d1 d10
	atf_check "$(fsu_bin)" img mv d10/d2 d2
	check_fsck
	atf_check -o match:'Type: directory' -e ignore debugfs -R 'stat /d10' img
	atf_check -o match:'Type: directory' -e ignore debugfs -R 'stat /d2' img
}

atf_test_case ln
ln_head() {
	atf_set "descr" "ln makes hard and symbolic links, -f replaces"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
ln_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img ln /hello.txt /hard
	atf_check -s exit:0 "$(fsu_bin)" img ln -s hello.txt /soft
	atf_check -s exit:0 "$(fsu_bin)" img ln -s /dir/lines.txt /files
	atf_check -s exit:1 -e inline:"fsu: failed to create symbolic link '/soft': File exists\n" \
	    "$(fsu_bin)" img ln -s x /soft
	atf_check -s exit:1 -e inline:"fsu: failed to create hard link '/hard' => '/hello.txt': File exists\n" \
	    "$(fsu_bin)" img ln /hello.txt /hard
	atf_check -s exit:0 "$(fsu_bin)" img ln -sf sparse /soft
	# A hard link to a directory: link(2) returns EPERM, and ln(1) prints why.
	mkdir -p host/dir
	gnu_message "fsu: dir: hard link not allowed for directory" \
	    ln dir dirlink >expected
	atf_check -s exit:1 -e file:expected "$(fsu_bin)" img ln dir dirlink
	atf_check -s exit:1 -e file:expected "$(fsu_bin)" img ln -f dir dirlink
	test ! -e host.rc || atf_check -o inline:"1\n" cat host.rc
	atf_check -o empty -e match:'File not found' debugfs -R 'stat /dirlink' img
	check_fsck
	atf_check -o match:'Links: 2' -e ignore debugfs -R 'stat /hard' img
	atf_check -o match:'Fast link dest: "sparse"' -e ignore debugfs -R 'stat /soft' img
	atf_check -o match:'Fast link dest: "/dir/lines.txt"' \
	    -e ignore debugfs -R 'stat /files/lines.txt' img
}

atf_test_case chmod
chmod_head() {
	atf_set "descr" "chmod with octal and symbolic modes, and -R"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
chmod_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img chmod 640 /hello.txt
	atf_check -o match:'Mode:  0640' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chmod u+x,go-w,o+r /hello.txt
	atf_check -o match:'Mode:  0744' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chmod a=r /hello.txt
	atf_check -o match:'Mode:  0444' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chmod u=rwx,g=u,o= /hello.txt
	atf_check -o match:'Mode:  0770' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chmod 4755 /sparse
	atf_check -o match:'Mode:  04755' -e ignore debugfs -R 'stat /sparse' img
	atf_check -s exit:0 "$(fsu_bin)" img chmod -R go-rwx /dir
	atf_check -o match:'Mode:  0700' -e ignore debugfs -R 'stat /dir' img
	atf_check -o match:'Mode:  0700' -e ignore debugfs -R 'stat /dir/sub' img
	atf_check -o match:'Mode:  0600' -e ignore debugfs -R 'stat /dir/lines.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chmod -R a+X /dir
	atf_check -o match:'Mode:  0711' -e ignore debugfs -R 'stat /dir/sub' img
	atf_check -o match:'Mode:  0600' -e ignore debugfs -R 'stat /dir/lines.txt' img
	atf_check -s exit:1 -e inline:"fsu: invalid mode: 'u+q'\n" \
	    "$(fsu_bin)" img chmod u+q /hello.txt
	atf_check -s exit:1 -e inline:"fsu: invalid mode: '99999'\n" \
	    "$(fsu_bin)" img chmod 99999 /hello.txt
	atf_check -s exit:1 -e match:"cannot access '/nope'" \
	    "$(fsu_bin)" img chmod 600 /nope
	check_fsck
}

atf_test_case chown
chown_head() {
	atf_set "descr" "chown with numbers and host names, OWNER:GROUP forms and -R"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
chown_body() {
	make_image
	atf_check -s exit:0 "$(fsu_bin)" img chown 1000:100 /hello.txt
	atf_check -o match:'User:  1000   Group:   100' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chown 2000 /hello.txt
	atf_check -o match:'User:  2000   Group:   100' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chown :300 /hello.txt
	atf_check -o match:'User:  2000   Group:   300' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chown root:root /hello.txt
	atf_check -o match:'User:     0   Group:     0' -e ignore debugfs -R 'stat /hello.txt' img
	atf_check -s exit:0 "$(fsu_bin)" img chown -R 7:8 /dir
	atf_check -o match:'User:     7   Group:     8' -e ignore debugfs -R 'stat /dir/sub/numbers' img
	atf_check -o match:'User:     7   Group:     8' -e ignore debugfs -R 'stat /dir/uplink' img
	# A link on the command line changes its target, with -h itself.
	atf_check -s exit:0 "$(fsu_bin)" img chown -h 9:9 /files/link
	atf_check -o match:'User:     9   Group:     9' -e ignore debugfs -R 'stat /files/link' img
	atf_check -o match:'User:     0   Group:     0' -e ignore debugfs -R 'stat /files/a.txt' img
	atf_check -s exit:1 -e inline:"fsu: invalid user: 'no-such-user-here'\n" \
	    "$(fsu_bin)" img chown no-such-user-here /hello.txt
	atf_check -s exit:1 -e inline:"fsu: invalid group: '0:no-such-group-here'\n" \
	    "$(fsu_bin)" img chown 0:no-such-group-here /hello.txt
	check_fsck
}

atf_test_case touch
touch_head() {
	atf_set "descr" "touch creates files and sets times from -d, -t or the clock"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
touch_body() {
	make_image
	export TZ=UTC
	atf_check -s exit:0 "$(fsu_bin)" img touch /created
	atf_check -o match:'Type: regular' -o match:'Size: 0' -e ignore debugfs -R 'stat /created' img
	atf_check -s exit:0 "$(fsu_bin)" img touch -d '2005-06-07 08:09:10' /hello.txt
	atf_check -s exit:0 -o match:'^Modify: 2005-06-07 08:09:10' \
	    -o match:'^Access: 2005-06-07 08:09:10' \
	    "$(fsu_bin)" img stat /hello.txt
	atf_check -s exit:0 "$(fsu_bin)" img touch -m -t 199912312359.58 /hello.txt
	atf_check -s exit:0 -o match:'^Modify: 1999-12-31 23:59:58' \
	    -o match:'^Access: 2005-06-07 08:09:10' \
	    "$(fsu_bin)" img stat /hello.txt
	atf_check -s exit:0 "$(fsu_bin)" img touch -d @86400 /dir
	atf_check -s exit:0 -o match:'^Modify: 1970-01-02 00:00:00' \
	    "$(fsu_bin)" img stat /dir
	atf_check -s exit:0 "$(fsu_bin)" img touch -c /not-created
	atf_check -s exit:1 -e ignore "$(fsu_bin)" img stat /not-created
	atf_check -s exit:1 -e inline:"fsu: invalid date format 'yesterday-ish'\n" \
	    "$(fsu_bin)" img touch -d yesterday-ish /hello.txt
	atf_check -s exit:1 -e match:"cannot touch '/nodir/f'" \
	    "$(fsu_bin)" img touch /nodir/f
	check_fsck
}

atf_test_case stat
stat_head() {
	atf_set "descr" "stat prints coreutils' default format"
	atf_set "require.progs" "mke2fs"
}
stat_body() {
	make_image
	export TZ=UTC
	cat >expected <<EOF
  File: /hello.txt
  Size: 6         	Blocks: 2          IO Block: 1024   regular file
EOF
	"$(fsu_bin)" img stat /hello.txt | head -2 >out
	atf_check -o empty diff expected out
	atf_check -s exit:0 \
	    -o match:'^Device: [0-9]+,[0-9]+	Inode: [0-9]+ +Links: 1$' \
	    -o match:'^Access: \(0644/-rw-r--r--\)  Uid: \( +0/ +root\)   Gid: \( +0/ +root\)$' \
	    -o match:'^Modify: 2001-02-03 04:05:06\.000000000 \+0000$' \
	    -o match:'^ Birth: -$' \
	    "$(fsu_bin)" img stat /hello.txt
	atf_check -s exit:0 -o match:'^  File: /files/link -> a\.txt$' \
	    -o match:'symbolic link$' "$(fsu_bin)" img stat /files/link
	atf_check -s exit:0 -o match:'regular file$' \
	    "$(fsu_bin)" img stat -L /files/link
	atf_check -s exit:0 -o match:'regular empty file$' \
	    "$(fsu_bin)" img stat /files/empty
	atf_check -s exit:0 -o match:'directory$' -o match:'Links: 3' \
	    "$(fsu_bin)" img stat /dir
	atf_check -s exit:0 -o match:'fifo$' "$(fsu_bin)" img stat /dir/fifo
	atf_check -s exit:1 -e inline:"fsu: cannot stat '/nope': No such file or directory\n" \
	    "$(fsu_bin)" img stat /nope
}

atf_test_case df
df_head() {
	atf_set "descr" "df shows the size and use in 1K blocks and, with -h, in units"
	atf_set "require.progs" "mke2fs dumpe2fs"
}
df_body() {
	make_image
	atf_check -s exit:0 \
	    -o match:'^Filesystem +1K-blocks +Used +Available +Use% +Mounted on$' \
	    -o match:'^img +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+% /$' \
	    "$(fsu_bin)" img df
	atf_check -s exit:0 -o match:'^Filesystem +Size +Used +Avail +Use% +Mounted on$' \
	    -o match:'^img +1[0-9]M ' "$(fsu_bin)" img df -h
	# Free blocks as dumpe2fs counts them, in KiB (1 KiB blocks).
	free=$(dumpe2fs -h img 2>/dev/null | awk -F: '/^Free blocks/ { print $2 + 0 }')
	reserved=$(dumpe2fs -h img 2>/dev/null | awk -F: '/^Reserved block count/ { print $2 + 0 }')
	avail=$("$(fsu_bin)" img df | awk 'NR == 2 { print $4 }')
	[ "$avail" -eq $((free - reserved)) ] ||
	    atf_fail "df available $avail, dumpe2fs $free free - $reserved reserved"
	atf_check -s exit:2 -e match:usage "$(fsu_bin)" img df extra
}

atf_test_case find
find_head() {
	atf_set "descr" "find with -name, -type and -maxdepth, in sorted order"
	atf_set "require.progs" "mke2fs"
}
find_body() {
	make_image
	atf_check -s exit:0 -o inline:"/dir/lines.txt\n/files/a.txt\n/files/b.txt\n/hello.txt\n" \
	    "$(fsu_bin)" img find / -name '*.txt'
	atf_check -s exit:0 -o inline:"/dir\n/dir/sub\n" \
	    "$(fsu_bin)" img find /dir -type d
	atf_check -s exit:0 -o inline:"dir/uplink\nfiles/link\n" \
	    "$(fsu_bin)" img find dir files -type l
	atf_check -s exit:0 -o inline:"/files/a.txt\n" \
	    "$(fsu_bin)" img find / -type f -name 'a*'
	atf_check -s exit:0 -o inline:"/\n/dir\n/empty\n/files\n/lost+found\n" \
	    "$(fsu_bin)" img find / -maxdepth 1 -type d
	atf_check -s exit:0 -o match:'^\.$' -o match:'^\./dir/sub/numbers$' \
	    "$(fsu_bin)" img find
	atf_check -s exit:2 -e match:"unknown predicate '-bogus'" \
	    "$(fsu_bin)" img find / -bogus
	atf_check -s exit:2 -e match:"unknown argument to -type" \
	    "$(fsu_bin)" img find / -type q
	atf_check -s exit:1 -e match:"'/nope': No such file or directory" \
	    "$(fsu_bin)" img find /nope
}

atf_test_case readonly
readonly_head() {
	atf_set "descr" "commands that only read leave the image byte-identical"
	atf_set "require.progs" "mke2fs cmp"
}
readonly_body() {
	make_image
	cp img img.orig
	fsu img ls -lR / >/dev/null
	fsu img cat /dir/sub/numbers >/dev/null
	fsu img stat /hello.txt >/dev/null
	fsu img df >/dev/null
	fsu img find / >/dev/null
	mkdir out
	fsu img get -r /dir out
	fsu img ls /nope 2>/dev/null
	atf_check cmp img img.orig
	# A read-only image file is enough for them.
	chmod 444 img
	atf_check -s exit:0 -o ignore "$(fsu_bin)" img ls -l /
	atf_check cmp img img.orig
}

atf_test_case release_on_error
release_on_error_head() {
	atf_set "descr" "a command that fails half way still unmounts and leaves a clean image"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
release_on_error_body() {
	make_image
	mkdir src
	echo one >src/one
	echo two >src/two
	mkfifo src/pipe
	chmod 000 src/two
	# As root the unreadable file is read anyway: use a missing one.
	atf_check -s exit:1 -e match:"cannot stat 'src/missing'" \
	    "$(fsu_bin)" img put src/one src/missing /dir
	check_fsck
	atf_check -o inline:"one\n" -e ignore debugfs -R 'cat /dir/one' img
	atf_check -s exit:1 -e ignore "$(fsu_bin)" img rm /dir/one /nope /files/a.txt
	check_fsck
	atf_check -o ignore -e match:'File not found' debugfs -R 'stat /files/a.txt' img
}

atf_test_case ext3_ext4
ext3_ext4_head() {
	atf_set "descr" "ext3 images are changed cleanly; ext4 images are read, and a change that the driver refuses leaves them intact"
	atf_set "require.progs" "mke2fs e2fsck debugfs cmp"
}
ext3_ext4_body() {
	make_tree
	atf_check -o ignore -e ignore mke2fs -q -F -t ext3 -d tree e3.img 32M
	atf_check -s exit:0 "$(fsu_bin)" e3.img mkdir /made
	atf_check -s exit:0 "$(fsu_bin)" e3.img put tree/hello.txt /made/h
	check_fsck e3.img
	atf_check -o inline:"hello\n" -e ignore debugfs -R 'cat /made/h' e3.img

	atf_check -o ignore -e ignore mke2fs -q -F -t ext4 -d tree e4.img 32M
	cp e4.img e4.orig
	atf_check -s exit:0 -o file:tree/dir/sub/numbers \
	    "$(fsu_bin)" e4.img cat /dir/sub/numbers
	atf_check -s exit:0 -o match:'^numbers$' "$(fsu_bin)" e4.img ls /dir/sub
	if "$(fsu_bin)" e4.img mkdir /made 2>err; then
		check_fsck e4.img
		atf_check -o match:'Type: directory' -e ignore debugfs -R 'stat /made' e4.img
	else
		atf_check -o match:'^fsu: e4\.img: .*read-only' cat err
		atf_check cmp e4.img e4.orig
	fi
}

atf_test_case partition
partition_head() {
	atf_set "descr" "IMAGE:N works on partition N of an sfdisk-partitioned image"
	atf_set "require.progs" "mke2fs e2fsck sfdisk dd"
}
partition_body() {
	make_tree
	atf_check -o ignore -e ignore mke2fs -q -F -t ext2 -d tree p2.img 8M
	truncate -s 12M disk.img
	printf 'label: dos\nstart=2048, size=2048, type=83\nstart=4096, size=16384, type=83\n' |
	    sfdisk -q disk.img >/dev/null 2>&1 || atf_fail "sfdisk failed"
	dd if=p2.img of=disk.img bs=1M seek=2 conv=notrunc status=none
	atf_check -s exit:0 -o inline:"hello\n" "$(fsu_bin)" disk.img:2 cat /hello.txt
	atf_check -s exit:0 "$(fsu_bin)" disk.img:2 mkdir /in-partition
	dd if=disk.img of=p2.now bs=1M skip=2 count=8 status=none
	check_fsck p2.now
	atf_check -o match:'Type: directory' -e ignore debugfs -R 'stat /in-partition' p2.now
	atf_check -s exit:1 -e inline:"fsu: disk.img: no partition 3 in the image\n" \
	    "$(fsu_bin)" disk.img:3 ls
	atf_check -s exit:1 -e match:'disk.img: unknown file system type' \
	    "$(fsu_bin)" disk.img:1 ls
}

atf_test_case dashdash
dashdash_head() {
	atf_set "descr" "cat, rmdir, mv and find take -- before names that start with a dash"
	atf_set "require.progs" "mke2fs e2fsck"
}
dashdash_body() {
	make_image
	atf_check "$(fsu_bin)" img put tree/hello.txt /-h
	atf_check "$(fsu_bin)" img mkdir /-d
	atf_check -o inline:"hello\n" "$(fsu_bin)" img cat -- -h
	atf_check -s exit:2 -e match:'usage: fsu .* cat' "$(fsu_bin)" img cat -h
	atf_check -o inline:"./-d\n" "$(fsu_bin)" img find -- . -name '-d'
	atf_check "$(fsu_bin)" img mv -- -h -d
	atf_check -o inline:"hello\n" "$(fsu_bin)" img cat /-d/-h
	atf_check "$(fsu_bin)" img rm -- -d/-h
	atf_check "$(fsu_bin)" img rmdir -- -d
	atf_check -s exit:1 -e match:"cannot access '/-d'" "$(fsu_bin)" img ls /-d
	check_fsck
}

atf_test_case mv_same
mv_same_head() {
	atf_set "descr" "mv onto the same file or a hard link of it fails as mv(1) does"
	atf_set "require.progs" "mke2fs e2fsck"
}
mv_same_body() {
	make_image
	atf_check "$(fsu_bin)" img ln /hello.txt /hard
	atf_check -s exit:1 -e match:"'hello.txt' and 'hello.txt' are the same file" \
	    "$(fsu_bin)" img mv hello.txt hello.txt
	atf_check -s exit:1 -e match:"'/hello.txt' and '/hard' are the same file" \
	    "$(fsu_bin)" img mv /hello.txt /hard
	atf_check -s exit:1 -e match:"'dir' and '/dir' are the same file" \
	    "$(fsu_bin)" img mv dir /
	atf_check -o match:'^hard$' -o match:'^hello.txt$' "$(fsu_bin)" img ls /
	check_fsck
}

atf_test_case lock
lock_head() {
	atf_set "descr" "a run that changes the image waits while another holds its lock"
	atf_set "require.progs" "mke2fs e2fsck flock"
	atf_set "timeout" "60"
}
lock_body() {
	make_image
	# The lock is held for 2 seconds; the write must wait, then work.
	flock -x img sleep 2 &
	holder=$!
	sleep 0.5
	start=$(date +%s)
	atf_check -e match:'waiting for another fsu' "$(fsu_bin)" img mkdir /late
	end=$(date +%s)
	wait $holder
	[ $((end - start)) -ge 1 ] || atf_fail "mkdir did not wait for the lock"
	# Readers share the lock.
	flock -s img sleep 2 &
	holder=$!
	sleep 0.5
	atf_check -o match:'^late$' -e empty "$(fsu_bin)" img ls /
	wait $holder
	# Two writers at once both keep their work.
	fsu img mkdir /one &
	fsu img mkdir /two &
	wait
	atf_check -o match:'^one$' -o match:'^two$' "$(fsu_bin)" img ls /
	check_fsck
}

atf_test_case put_sparse_large
put_sparse_large_head() {
	atf_set "descr" "put skips the holes of a 16 GiB sparse file without reading them"
	atf_set "require.progs" "mke2fs e2fsck truncate"
	atf_set "timeout" "60"
}
put_sparse_large_body() {
	export TZ=UTC LC_ALL=C
	atf_check -o ignore -e ignore mke2fs -q -F -t ext2 -b 4096 img 64M
	truncate -s 16G big
	echo middle | dd of=big bs=1 seek=8589934592 conv=notrunc status=none
	# Reading 16 GiB of zeros takes a minute; skipping holes takes none.
	atf_check timeout 30 "$(fsu_bin)" img put big /big
	atf_check -o match:'Size: 17179869184' -o match:'Blocks: [0-9]{1,3} ' \
	    "$(fsu_bin)" img stat /big
	check_fsck
	atf_check "$(fsu_bin)" img get /big back
	# cmp would read 32 GiB of zeros: compare size, data and holes.
	atf_check -o inline:"17179869184\n" stat -c %s back
	atf_check -o inline:"middle\n" dd if=back bs=1 skip=8589934592 \
	    count=7 status=none
	atf_check -o match:'^[0-9]{1,3}[[:space:]]' du -k back
}

atf_test_case dir_image
dir_image_head() {
	atf_set "descr" "a directory as the image fails with one message and no partition warning"
}
dir_image_body() {
	mkdir d
	atf_check -s exit:1 -e inline:"fsu: cannot open 'd': Is a directory\n" \
	    "$(fsu_bin)" d ls
}

atf_init_test_cases() {
	atf_add_test_case help
	atf_add_test_case detect
	atf_add_test_case options
	atf_add_test_case ls
	atf_add_test_case cat
	atf_add_test_case sigpipe
	atf_add_test_case usage_first

	atf_add_test_case get
	atf_add_test_case get_device
	atf_add_test_case put
	atf_add_test_case roundtrip

	atf_add_test_case mkdir
	atf_add_test_case rm
	atf_add_test_case rmdir
	atf_add_test_case mv
	atf_add_test_case mv_subdir
	atf_add_test_case ln
	atf_add_test_case chmod
	atf_add_test_case chown
	atf_add_test_case touch

	atf_add_test_case stat
	atf_add_test_case df
	atf_add_test_case find

	atf_add_test_case readonly
	atf_add_test_case release_on_error
	atf_add_test_case ext3_ext4
	atf_add_test_case partition
	atf_add_test_case dashdash
	atf_add_test_case mv_same
	atf_add_test_case lock
	atf_add_test_case put_sparse_large
	atf_add_test_case dir_image
}
