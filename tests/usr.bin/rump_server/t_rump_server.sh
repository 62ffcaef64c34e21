#! /usr/bin/env atf-sh
# SPDX-License-Identifier: BSD-2-Clause
#
# rump_server and rump_allserver: serving in the foreground and as a
# daemon, drives from -d, loading components with -l, and the errors for
# bad arguments.  h_client talks to the server through librumpclient.

bindir() {
	echo "$(atf_get_srcdir)/../../../bin"
}

hc() {
	echo "$(atf_get_srcdir)/h_client"
}

# Start "rump_server -s ARGS unix://$PWD/sock" in the background and wait
# up to 10 s for its socket; the pid is kept in the file "pid".
start_fg() {
	prog=$1
	shift
	export RUMP_SERVER="unix://$PWD/sock"
	timeout 60 "$(bindir)/$prog" -s "$@" "$RUMP_SERVER" 2>server.err &
	echo $! >pid
	i=0
	while [ ! -S sock ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S sock ] || atf_fail "the server did not come up: $(cat server.err)"
}

# Stop the server of the file "pid", if any, and wait until it has gone.
stop_server() {
	[ -f pid ] || return 0
	kill "$(cat pid)" 2>/dev/null
	i=0
	while kill -0 "$(cat pid)" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$(cat pid)" 2>/dev/null
	rm -f pid
}

atf_test_case foreground cleanup
foreground_head() {
	atf_set descr "with -s the server serves getpid, mkdir and stat"
}
foreground_body() {
	start_fg rump_server -l rumpvfs
	atf_check -o match:'^[0-9]+$' timeout 10 "$(hc)" getpid
	atf_check timeout 10 "$(hc)" mkdir /dir
	atf_check -o match:'^dir ' timeout 10 "$(hc)" stat /dir
	atf_check -s exit:1 -e match:'File exists' \
	    timeout 10 "$(hc)" mkdir /dir
	stop_server
	[ ! -e sock ] || atf_fail "the socket was left behind"
}
foreground_cleanup() {
	stop_server
}

atf_test_case daemon cleanup
daemon_head() {
	atf_set descr "without -s the parent exits 0 with the socket" \
	    "accepting, and a client's halt ends the server"
}
daemon_body() {
	export RUMP_SERVER="unix://$PWD/sock"
	atf_check timeout 20 "$(bindir)/rump_server" "$RUMP_SERVER"
	atf_check -o match:'^[0-9]+$' timeout 10 "$(hc)" getpid halt
	i=0
	while [ -e sock ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ ! -e sock ] || atf_fail "the server did not end after the halt"
}
daemon_cleanup() {
	# A server that survived is found by its socket's client.
	RUMP_SERVER="unix://$PWD/sock" timeout 5 \
	    "$(atf_get_srcdir)/h_client" halt >/dev/null 2>&1 || true
}

atf_test_case bad_drive
bad_drive_head() {
	atf_set descr "a bad -d spec is an error naming what is wrong"
}
bad_drive_body() {
	: >img
	u="unix://$PWD/sock"
	for spec in "key=/dev/x,hostpath=img" \
	    "key=dev/x,hostpath=img,size=host" \
	    "key=/dev/x,hostpath=img,size=12q" \
	    "key=/dev/x,hostpath=img,size=host,type=pipe" \
	    "key=/dev/x,hostpath=img,size=host,colour=red" \
	    "key=/dev/x,hostpath=img,size=host,offset=-1" \
	    "key=/dev/x,hostpath=img,size=host,novalue" \
	    "key=/dev/x,hostpath=missing,size=host"; do
		atf_check -s exit:1 -e match:"^rump_server: -d " \
		    timeout 20 "$(bindir)/rump_server" -s -l rumpvfs \
		    -d "$spec" "$u"
	done
	# A drive without the VFS component.
	atf_check -s exit:1 -e match:'rumpvfs' \
	    timeout 20 "$(bindir)/rump_server" -s \
	    -d key=/dev/x,hostpath=img,size=1k,type=reg "$u"
	[ ! -e sock ] || atf_fail "a failed server left its socket"
}

atf_test_case bad_args
bad_args_head() {
	atf_set descr "bad URLs, missing libraries and -m fail with exit 1"
}
bad_args_body() {
	atf_check -s exit:1 -e match:'^rump_server: foo://x: not a' \
	    timeout 20 "$(bindir)/rump_server" foo://x
	atf_check -s exit:1 -e match:'^rump_server: unix:///nonexistent' \
	    timeout 20 "$(bindir)/rump_server" unix:///nonexistent/dir/sock
	atf_check -s exit:1 -e match:'^rump_server: -l nosuchlib: ' \
	    timeout 20 "$(bindir)/rump_server" -l nosuchlib "unix://$PWD/s"
	atf_check -s exit:1 -e match:'modules are not supported' \
	    timeout 20 "$(bindir)/rump_server" -m ffs "unix://$PWD/s"
	atf_check -s exit:1 -e match:'^usage' \
	    timeout 20 "$(bindir)/rump_server"
}

# Make "img", an ext2 image holding hello.txt.
make_image() {
	mkdir tree
	echo "hello from ext2" >tree/hello.txt
	atf_check -o ignore -e ignore mke2fs -q -F -t ext2 -b 1024 \
	    -d tree img 4M
}

atf_test_case ext2_image cleanup
ext2_image_head() {
	atf_set descr "-l loads the components and -d the image, which" \
	    "a client mounts and reads"
	atf_set require.progs "mke2fs e2fsck"
}
ext2_image_body() {
	make_image
	start_fg rump_server -l rumpvfs -l rumpfs_ext2fs \
	    -d key=/dev/disk,hostpath=img,size=host
	atf_check -o match:'^blk ' timeout 10 "$(hc)" stat /dev/disk
	atf_check -o inline:"hello from ext2\n" \
	    timeout 10 "$(hc)" mkdir /mnt mount /dev/disk /mnt ext2fs \
	    cat /mnt/hello.txt
	stop_server
	atf_check -o ignore -e ignore e2fsck -fn img
}
ext2_image_cleanup() {
	stop_server
}

atf_test_case allserver cleanup
allserver_head() {
	atf_set descr "rump_allserver mounts an image without -l"
	atf_set require.progs "mke2fs"
}
allserver_body() {
	make_image
	start_fg rump_allserver \
	    -d key=/dev/disk,hostpath=img,size=host,offset=0,type=blk
	atf_check -o inline:"hello from ext2\n" \
	    timeout 10 "$(hc)" mkdir /mnt mount /dev/disk /mnt ext2fs \
	    cat /mnt/hello.txt
	stop_server
}
allserver_cleanup() {
	stop_server
}

atf_init_test_cases() {
	atf_add_test_case foreground
	atf_add_test_case daemon
	atf_add_test_case bad_drive
	atf_add_test_case bad_args
	atf_add_test_case ext2_image
	atf_add_test_case allserver
}
