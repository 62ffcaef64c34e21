#! /usr/bin/env atf-sh
# SPDX-License-Identifier: BSD-2-Clause
#
# librumphijack: unmodified programs (coreutils, find, tar, dash, bash,
# python3) run with LD_PRELOAD=librumphijack.so reach the rump kernel for
# paths under /rump and for their descriptors, and the host for
# everything else.  Each case starts its own rump_server on a unix socket
# in the test's folder.  Results are checked with h_rumpfs, which reads
# the kernel through librumpclient without the hijack, and on the host.
# h_hijack checks C library calls one by one from inside a hijacked
# process.

objdir() {
	echo "$(atf_get_srcdir)/../../.."
}

helper() {
	echo "$(atf_get_srcdir)/$1"
}

# The sanitizer runtime must be the first library of a process, and the
# programs run here do not load it, so a sanitized librumphijack cannot be
# preloaded into them.
require_plain_build() {
	if nm -D "$(objdir)/lib/librumphijack.so" | grep -q __asan; then
		atf_skip "librumphijack is built with the sanitizers and" \
		    "cannot be preloaded into uninstrumented programs"
	fi
}

# Start "rump_server -s ARGS unix://$PWD/sock" and wait up to 10 s for its
# socket; the pid is kept in the file "pid".
start_server() {
	make_tools
	export RUMP_SERVER="unix://$PWD/sock"
	timeout 300 "$(objdir)/bin/rump_server" -s "$@" "$RUMP_SERVER" \
	    2>server.err &
	echo $! >pid
	i=0
	while [ ! -S sock ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S sock ] || atf_fail "the server did not come up: $(cat server.err)"
}

# Stop the server of the file "pid", if any, and wait until it has gone.
# The file names the timeout wrapper, which lingers for a second after
# its child exits when run from atf, so the server is stopped directly
# and the wrapper killed once the server is gone.
stop_server() {
	[ -f pid ] || return 0
	server=$(ps -o pid= --ppid "$(cat pid)")
	kill ${server:-"$(cat pid)"} 2>/dev/null
	i=0
	while [ -n "$server" ] && kill -0 $server 2>/dev/null && [ $i -lt 50 ]
	do
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$server" ] && kill -9 $server 2>/dev/null
	kill -9 "$(cat pid)" 2>/dev/null
	rm -f pid
}

# Put the commands "hj" (run a program under the hijack, for at most
# 60 s) and "rumpfs" (the rump kernel's view, without the hijack) into
# ./bin and on PATH, where atf_check finds them.
make_tools() {
	require_plain_build
	mkdir -p bin
	cat >bin/hj <<EOF
#! /bin/sh
exec timeout 60 env LD_PRELOAD="$(objdir)/lib/librumphijack.so" "\$@"
EOF
	cat >bin/rumpfs <<EOF
#! /bin/sh
exec timeout 30 "$(helper h_rumpfs)" "\$@"
EOF
	chmod +x bin/hj bin/rumpfs
	PATH="$PWD/bin:$PATH"
	export PATH
}

# A python3 that is a program, not a wrapper script (pyenv shims run a
# shell script and further programs first).
python() {
	for p in /usr/bin/python3 $(command -v python3); do
		if [ -x "$p" ] && head -c 4 "$p" | grep -q ELF; then
			echo "$p"
			return
		fi
	done
	atf_skip "no python3 program"
}

# A host tree to copy in: files of several sizes, a subfolder, a symlink.
make_tree() {
	mkdir -p "$1/sub/deeper"
	echo "alpha" >"$1/a"
	seq 1 30000 >"$1/sub/numbers"
	head -c 200000 /dev/urandom >"$1/sub/deeper/random"
	: >"$1/empty"
	ln -s a "$1/link"
}

atf_test_case ls_stat cleanup
ls_stat_head() {
	atf_set descr "ls -l, ls -lR and stat show the rump kernel's files"
}
ls_stat_body() {
	start_server -l rumpvfs
	atf_check rumpfs mkdir /d
	atf_check rumpfs put /d/file "twelve bytes"
	atf_check -o match:'^d.* dev$' -o match:'^d.* d$' hj ls -l /rump
	atf_check -o match:'^/rump/d:$' -o match:'12 .* file$' \
	    -o match:'^/rump/dev:$' -o match:' null$' hj ls -lR /rump
	atf_check -o inline:'12 regular file\n' \
	    hj stat -c '%s %F' /rump/d/file
	atf_check -o inline:'directory\n' hj stat -c %F /rump/d
	atf_check -s not-exit:0 -e match:'No such file' hj ls /rump/nothere
	atf_check -o match:'^file$' hj ls /rump/d
}
ls_stat_cleanup() {
	stop_server
}

atf_test_case cat_cp cleanup
cat_cp_head() {
	atf_set descr "cat and cp between host and rump files, cp -r of a tree"
}
cat_cp_body() {
	start_server -l rumpvfs
	make_tree src
	atf_check rumpfs put /greeting "hello from rump"
	atf_check -o inline:'hello from rump' hj cat /rump/greeting
	atf_check hj cp src/sub/numbers /rump/numbers
	atf_check -o file:src/sub/numbers rumpfs cat /numbers
	atf_check hj cp /rump/numbers back
	atf_check cmp back src/sub/numbers
	atf_check hj cp -r src /rump/tree
	atf_check -o file:src/sub/deeper/random rumpfs cat /tree/sub/deeper/random
	atf_check -o inline:'l /tree/link a\n' rumpfs tree /tree/link
	atf_check -o match:'^f /tree/empty 0$' rumpfs tree /tree
	atf_check hj diff -r src /rump/tree
	atf_check hj cp -r /rump/tree copy
	atf_check diff -r src copy
	atf_check hj cp -p /rump/greeting /rump/greeting2
	atf_check -o inline:'hello from rump' rumpfs cat /greeting2
}
cat_cp_cleanup() {
	stop_server
}

atf_test_case names cleanup
names_head() {
	atf_set descr "mkdir -p, rm -r, mv, ln -s, readlink -f and chmod"
}
names_body() {
	start_server -l rumpvfs
	atf_check hj mkdir -p /rump/a/b/c
	atf_check -o inline:'d /a\nd /a/b\nd /a/b/c\n' rumpfs tree /a
	atf_check hj mkdir -p /rump/a/b/c
	atf_check rumpfs put /a/b/c/f "x"
	atf_check hj mv /rump/a/b/c/f /rump/a/g
	atf_check -o inline:'b\ng\n' rumpfs ls /a
	atf_check hj ln -s b/c /rump/a/lc
	atf_check -o inline:'b/c\n' hj readlink /rump/a/lc
	atf_check -o inline:'/rump/a/b/c\n' hj readlink -f /rump/a/lc
	atf_check -o inline:'/rump/a/b/c\n' hj realpath /rump/a/lc
	atf_check hj chmod 600 /rump/a/g
	atf_check -o inline:'600\n' rumpfs mode /a/g

	# Across kernels mv copies and removes.
	atf_check hj mv /rump/a/g moved
	atf_check -o inline:'x' cat moved
	atf_check -o inline:'b\nlc\n' rumpfs ls /a
	atf_check hj mv moved /rump/a/back
	atf_check test ! -e moved
	atf_check -o inline:'x' rumpfs cat /a/back

	atf_check hj rm -r /rump/a/b
	atf_check -o inline:'back\nlc\n' rumpfs ls /a
	atf_check hj rm -rf /rump/a
	atf_check -o not-match:'^a$' rumpfs ls /

	# The rump kernel creates files with the program's umask.
	atf_check hj sh -c 'umask 077; echo x > /rump/um; mkdir /rump/umd'
	atf_check -o inline:'600\n' rumpfs mode /um
	atf_check -o inline:'700\n' rumpfs mode /umd
}
names_cleanup() {
	stop_server
}

atf_test_case find_du_tar cleanup
find_du_tar_head() {
	atf_set descr "find, du, head, tail and tar c/x in both directions"
}
find_du_tar_body() {
	start_server -l rumpvfs
	make_tree src
	atf_check hj cp -r src /rump/src

	(cd src && find . | sort) >want.find
	hj sh -c 'cd /rump/src && find .' | sort >got.find
	atf_check cmp want.find got.find
	atf_check -o inline:'/rump/src/sub/deeper/random\n' \
	    hj find /rump/src -name random
	atf_check -o inline:'/rump/src/link\n' hj find /rump/src -type l
	atf_check -o match:'^[0-9]+	/rump/src$' hj du -s /rump/src
	atf_check -o inline:'1\n2\n' hj head -2 /rump/src/sub/numbers
	atf_check -o inline:'29999\n30000\n' hj tail -2 /rump/src/sub/numbers

	atf_check hj tar cf /rump/src.tar -C /rump src
	atf_check -o match:'^src/sub/deeper/random$' hj tar tf /rump/src.tar
	mkdir x1
	atf_check hj tar xf /rump/src.tar -C x1
	atf_check diff -r src x1/src
	atf_check tar cf host.tar src
	atf_check hj mkdir /rump/x2
	atf_check hj tar xf host.tar -C /rump/x2
	atf_check hj diff -r src /rump/x2/src
	atf_check -o file:src/sub/deeper/random \
	    rumpfs cat /x2/src/sub/deeper/random

	# The compressor child does "close(1); dup(archive)".
	atf_check hj tar czf /rump/src.tgz -C /rump src
	atf_check -o match:'^src/sub/deeper/random$' hj tar tzf /rump/src.tgz
}
find_du_tar_cleanup() {
	stop_server
}

atf_test_case sh_redirect cleanup
sh_redirect_head() {
	atf_set descr "dash and bash redirections to and from rump files"
}
sh_redirect_body() {
	start_server -l rumpvfs
	atf_check hj sh -c 'echo x > /rump/f'
	atf_check -o inline:'x\n' rumpfs cat /f
	atf_check hj sh -c 'echo y >> /rump/f'
	atf_check -o inline:'x\ny\n' rumpfs cat /f
	atf_check -o inline:'x\n' hj sh -c 'read a < /rump/f; echo $a'
	atf_check -o inline:'x\ny\n' hj sh -c 'cat < /rump/f'
	atf_check hj sh -c 'exec 3>/rump/g; echo three >&3; echo four >&3'
	atf_check -o inline:'three\nfour\n' rumpfs cat /g
	atf_check -o inline:'before\nafter\n' \
	    hj sh -c 'echo before; exec 4>&1 >/rump/h; echo inside;
	    exec >&4; echo after'
	atf_check -o inline:'inside\n' rumpfs cat /h

	# bash's builtins write through stdio: stdout must follow the alias.
	atf_check hj bash -c 'exec >/rump/b; echo from bash;
	    printf "%s %d\n" printf 2'
	atf_check -o inline:'from bash\nprintf 2\n' rumpfs cat /b

	# A program started with its output redirected.
	atf_check hj sh -c 'ls /rump > /rump/list'
	atf_check -o match:'^list$' -o match:'^dev$' rumpfs cat /list
	atf_check hj sh -c 'seq 1 1000 | sort -n > /rump/sorted'
	seq 1 1000 >want
	atf_check -o file:want rumpfs cat /sorted
	atf_check -o inline:'1000\n' hj sh -c 'wc -l < /rump/sorted'
	atf_check hj sh -c 'env -i /bin/ls /rump > /rump/cleared'
	atf_check -o match:'^cleared$' rumpfs cat /cleared
}
sh_redirect_cleanup() {
	stop_server
}

atf_test_case sh_cd cleanup
sh_cd_head() {
	atf_set descr "cd into the rump kernel: relative paths, pwd, children"
}
sh_cd_body() {
	start_server -l rumpvfs
	atf_check rumpfs mkdir /d
	atf_check rumpfs put /d/one "1"
	atf_check -o inline:'/rump/d\none\n' \
	    hj sh -c 'cd /rump/d && pwd && echo *'
	atf_check -o inline:'one\n/rump/d\n' hj sh -c 'cd /rump/d && ls; pwd'
	atf_check -o inline:'/rump/d\n' hj sh -c 'cd /rump/d && /bin/pwd'
	atf_check hj sh -c 'cd /rump/d && echo 2 > two && mkdir sub &&
	    cp two sub/three'
	atf_check -o inline:'d /d\nf /d/one 1\nd /d/sub\nf /d/sub/three 2\nf /d/two 2\n' \
	    rumpfs tree /d
	atf_check -o inline:'/rump\n' hj sh -c 'cd /rump/d/.. && /bin/pwd'
	# A cleared environment still gets the hijack and the directory.
	atf_check -o inline:'/rump/d\n' hj sh -c 'cd /rump/d && env -i /bin/pwd'
	atf_check -o match:"^$(pwd)\$" hj sh -c 'cd /rump/d; cd '"$(pwd)"'; /bin/pwd'
}
sh_cd_cleanup() {
	stop_server
}

atf_test_case python cleanup
python_head() {
	atf_set descr "python3 file I/O, os.listdir, os.walk and chdir"
}
python_body() {
	start_server -l rumpvfs
	py=$(python)
	cat >script.py <<'EOF'
import os
os.makedirs("/rump/p/q")
with open("/rump/p/a.txt", "w") as f:
    f.write("written by python\n" * 100)
with open("/rump/p/q/b.bin", "wb") as f:
    f.write(bytes(range(256)) * 64)
print(sorted(os.listdir("/rump/p")))
for root, dirs, files in os.walk("/rump/p"):
    print(root, sorted(dirs), sorted(files))
with open("/rump/p/a.txt") as f:
    print(len(f.read()))
os.chdir("/rump/p/q")
print(os.getcwd(), os.path.getsize("b.bin"))
os.rename("b.bin", "c.bin")
print(os.path.exists("/rump/p/q/c.bin"), os.path.exists("b.bin"))
with open(os.path.join(os.environ["HOSTDIR"], "host.txt"), "w") as f:
    f.write("host\n")
EOF
	cat >want <<'EOF'
['a.txt', 'q']
/rump/p ['q'] ['a.txt']
/rump/p/q [] ['b.bin']
1800
/rump/p/q 16384
True False
EOF
	HOSTDIR=$PWD atf_check -o file:want hj "$py" script.py
	atf_check -o inline:'host\n' cat host.txt
	atf_check -o match:'^f /p/q/c.bin 16384$' -o match:'^f /p/a.txt 1800$' \
	    rumpfs tree /p
}
python_cleanup() {
	stop_server
}

atf_test_case host_paths cleanup
host_paths_head() {
	atf_set descr "host paths and descriptors still reach the host"
}
host_paths_body() {
	start_server -l rumpvfs
	mkdir hostdir
	echo host >hostdir/h
	atf_check -o inline:'h\n' hj ls hostdir
	atf_check hj cp hostdir/h hostdir/h2
	atf_check -o inline:'host\n' cat hostdir/h2
	atf_check -o inline:'host\n' hj sh -c 'cat < hostdir/h'
	atf_check -s not-exit:0 -e match:'No such file' hj ls /rumpx
	atf_check -o not-match:'^h$' rumpfs ls /
	atf_check -o match:'^root:' hj head -1 /etc/passwd
}
host_paths_cleanup() {
	stop_server
}

atf_test_case calls cleanup
calls_head() {
	atf_set descr "descriptor, stdio, directory and working directory" \
	    "calls one by one"
}
calls_body() {
	start_server -l rumpvfs
	for g in fds stdio dirs cwd; do
		atf_check rumpfs mkdir /$g
		atf_check -e match:'^passed$' hj "$(helper h_hijack)" $g /rump/$g
	done
	atf_check -o inline:'ONE 1\ntwo\n' rumpfs cat /stdio/s
	atf_check -o inline:'through stdout 42\nand fputs\n' \
	    rumpfs cat /stdio/out
}
calls_cleanup() {
	stop_server
}

atf_test_case config cleanup
config_head() {
	atf_set descr "RUMPHIJACK: path, blanket, fdoff, socket, an empty" \
	    "value, and errors for bad keys and values"
}
config_body() {
	start_server -l rumpvfs
	atf_check rumpfs mkdir /other
	atf_check rumpfs put /other/f "in other"
	py=$(python)

	atf_check -o inline:'in other' \
	    env RUMPHIJACK=path=/elsewhere hj cat /elsewhere/other/f
	atf_check -s not-exit:0 -e match:'No such file' \
	    env RUMPHIJACK=path=/elsewhere hj cat /rump/other/f
	atf_check -o inline:'in other' \
	    env RUMPHIJACK=blanket=/other hj cat /other/f
	atf_check -s not-exit:0 -e match:'No such file' \
	    env RUMPHIJACK= hj cat /rump/other/f
	atf_check -o inline:'True\n' env RUMPHIJACK=path=/rump,fdoff=300 \
	    hj "$py" -c 'import os; print(os.open("/rump/other/f", 0) >= 300)'

	# Host descriptors at or above the offset are undone with ENFILE.
	atf_check -o inline:'23\n' env RUMPHIJACK=path=/rump,fdoff=12 \
	    hj "$py" -c '
import os
try:
    while True:
        assert os.open("/dev/null", 0) < 12
except OSError as e:
    print(e.errno)'

	# The kernel has no sockets: families sent there cannot be made.
	atf_check -o inline:'97\n' hj "$py" -c '
import socket
try:
    socket.socket(socket.AF_INET)
except OSError as e:
    print(e.errno)'
	atf_check -o inline:'ok\n' hj "$py" -c '
import socket; socket.socket(socket.AF_UNIX); print("ok")'
	atf_check -o inline:'ok\n' env RUMPHIJACK=path=/rump,socket=local \
	    hj "$py" -c 'import socket; socket.socket(socket.AF_INET); print("ok")'

	atf_check -s exit:1 -e match:'unknown key colour' \
	    env RUMPHIJACK=colour=red hj true
	atf_check -s exit:1 -e match:'path=rump does not start with /' \
	    env RUMPHIJACK=path=rump hj true
	atf_check -s exit:1 -e match:'unknown socket family ipx' \
	    env RUMPHIJACK=socket=ipx hj true
	atf_check -s exit:1 -e match:'fdoff=2 is not a number' \
	    env RUMPHIJACK=fdoff=2 hj true
	atf_check -s exit:1 -e match:'fdoff= 200 is not a number' \
	    env RUMPHIJACK='fdoff= 200' hj true
	atf_check -s exit:1 -e match:'sysctl=maybe is neither yes nor no' \
	    env RUMPHIJACK=sysctl=maybe hj true
	atf_check env RUMPHIJACK=path=/rump,sysctl,modctl=no,vfs=all:nofhcalls \
	    hj true
	atf_check -s exit:1 -e match:'RUMPHIJACK_RETRYCONNECT=soon' \
	    env RUMPHIJACK_RETRYCONNECT=soon hj true
	atf_check env RUMPHIJACK_RETRYCONNECT=once hj true
	atf_check env RUMPHIJACK_RETRYCONNECT=0 hj true
	atf_check -s exit:1 -e match:'RUMPHIJACK_RETRYCONNECT=-1' \
	    env RUMPHIJACK_RETRYCONNECT=-1 hj true
}
config_cleanup() {
	stop_server
}

atf_test_case no_server
no_server_head() {
	atf_set descr "without a server a hijacked program exits 1 saying why"
}
no_server_body() {
	make_tools
	atf_check -s exit:1 -e match:'cannot connect to the rump kernel' \
	    env RUMP_SERVER="unix://$PWD/nosock" hj true
	atf_check -s exit:1 -e match:'RUMP_SERVER is not set' \
	    env -u RUMP_SERVER hj true
	atf_check -s exit:1 -e match:'RUMP_SERVER is not set' \
	    env RUMP_SERVER= hj true
}

atf_test_case server_gone cleanup
server_gone_head() {
	atf_set descr "a server killed under a running program: calls fail" \
	    "with ENOTCONN, or with RUMPHIJACK_RETRYCONNECT=die it exits"
}
server_gone_body() {
	start_server -l rumpvfs
	atf_check rumpfs put /f "before"
	mkfifo go.plain go.die

	# Only shell builtins after the kill: fork needs the server.
	script='read l </rump/f; echo "$l"; read x <go.$1
	    read l </rump/f; echo "read exited $?"'
	hj sh -c "$script" sh plain >plain.out 2>&1 &
	plain=$!
	env RUMPHIJACK_RETRYCONNECT=die hj sh -c "$script" sh die \
	    >die.out 2>&1 &
	die=$!
	# The file "pid" names the timeout wrapper: kill the server below.
	sleep 1
	server=$(ps -o pid= --ppid "$(cat pid)")
	[ -n "$server" ] || atf_fail "the server process was not found"
	kill -9 $server
	echo >go.plain &
	echo >go.die &
	wait $plain
	atf_check_equal 0 $?
	wait $die
	atf_check_equal 1 $?
	atf_check -o match:'^before$' -o match:'not connected' \
	    -o match:'read exited 2' cat plain.out
	atf_check -o match:'^before$' -o match:'retry policy is DIE' \
	    -o not-match:'read exited' cat die.out
}
server_gone_cleanup() {
	stop_server
}

atf_test_case server_restart cleanup
server_restart_head() {
	atf_set descr "with RUMPHIJACK_RETRYCONNECT a running program" \
	    "reconnects to a server started again on the socket that a" \
	    "killed one left behind"
}
server_restart_body() {
	start_server -l rumpvfs
	atf_check rumpfs put /f "before"
	mkfifo go

	# Shell builtins only: the new kernel has no /rump/f.
	script='read l </rump/f; echo "$l"; read x <go
	    echo after >/rump/g; read l </rump/g; echo "$l"'
	env RUMPHIJACK_RETRYCONNECT=20 hj sh -c "$script" >out 2>err &
	prog=$!
	sleep 1
	server=$(ps -o pid= --ppid "$(cat pid)")
	[ -n "$server" ] || atf_fail "the server process was not found"
	kill -9 $server
	i=0
	while kill -0 $server 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S sock ] || atf_fail "the killed server left no socket to test"
	kill -9 "$(cat pid)" 2>/dev/null
	rm -f pid

	# The socket file is still there: wait for the new server's reply.
	timeout 300 "$(objdir)/bin/rump_server" -s -v -l rumpvfs \
	    "$RUMP_SERVER" 2>server.err &
	echo $! >pid
	i=0
	while ! timeout 10 "$(objdir)/bin/rump.sysctl" kern.ostype \
	    >/dev/null 2>&1 && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	atf_check -o match:'removed the stale socket' cat server.err
	echo >go &
	wait $prog
	atf_check_equal 0 $?
	atf_check -o inline:'before\nafter\n' cat out
	atf_check -o match:'reconnected' cat err
}
server_restart_cleanup() {
	stop_server
}

atf_test_case ext2 cleanup
ext2_head() {
	atf_set descr "an ext2 image served by rump_server: copy in with" \
	    "hijacked programs, e2fsck -fn passes and debugfs reads it back"
}
ext2_body() {
	make_tools
	for t in mke2fs e2fsck debugfs; do
		command -v $t >/dev/null || atf_skip "$t is not installed"
	done
	make_tree src
	atf_check -o ignore -e ignore mke2fs -q -F -t ext2 -b 1024 img 16M
	start_server -l rumpvfs -l rumpfs_ext2fs \
	    -d "key=/dev/disk,hostpath=$PWD/img,size=host"
	atf_check hj mkdir /rump/mnt
	atf_check timeout 30 "$(objdir)/bin/rump.mount" -t ext2fs /dev/disk /mnt

	atf_check hj mkdir -p /rump/mnt/top/made
	atf_check hj cp -r src /rump/mnt/top/src
	atf_check -o match:'numbers$' -o match:'^/rump/mnt/top/src/sub:$' \
	    hj ls -lR /rump/mnt
	atf_check -o inline:'/rump/mnt/top/src/sub/deeper/random\n' \
	    hj find /rump/mnt -name random
	atf_check hj tar cf /rump/mnt/top/src.tar -C /rump/mnt/top src
	atf_check hj mkdir /rump/mnt/untar
	atf_check hj tar xf /rump/mnt/top/src.tar -C /rump/mnt/untar
	atf_check hj sh -c 'cd /rump/mnt/top && echo redirected > made/r.txt &&
	    cat made/r.txt > made/r2.txt'
	py=$(python)
	atf_check -o inline:'3000\n' hj "$py" -c '
import os
with open("/rump/mnt/top/py.txt", "w") as f:
    f.write("p" * 3000)
print(os.path.getsize("/rump/mnt/top/py.txt"))'
	atf_check hj diff -r src /rump/mnt/untar/src

	atf_check timeout 30 "$(objdir)/bin/rump.halt"
	i=0
	while kill -0 "$(cat pid)" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$(cat pid)" 2>/dev/null && atf_fail "the server did not halt"
	rm -f pid

	atf_check -o ignore -e ignore e2fsck -fn img
	mkdir out out2
	atf_check -o ignore -e ignore debugfs -R "rdump /top $PWD/out" img
	atf_check diff -r src out/top/src
	atf_check -o inline:'redirected\n' cat out/top/made/r2.txt
	atf_check -o match:'^p{3000}$' cat out/top/py.txt
	atf_check -o ignore -e ignore debugfs -R "rdump /untar $PWD/out2" img
	atf_check diff -r src out2/untar/src
}
ext2_cleanup() {
	stop_server
}

atf_init_test_cases() {
	atf_add_test_case ls_stat
	atf_add_test_case cat_cp
	atf_add_test_case names
	atf_add_test_case find_du_tar
	atf_add_test_case sh_redirect
	atf_add_test_case sh_cd
	atf_add_test_case python
	atf_add_test_case host_paths
	atf_add_test_case calls
	atf_add_test_case config
	atf_add_test_case no_server
	atf_add_test_case server_gone
	atf_add_test_case server_restart
	atf_add_test_case ext2
}
