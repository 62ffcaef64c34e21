#! /usr/bin/env atf-sh
# SPDX-License-Identifier: BSD-2-Clause
#
# librumphijack with processes and waits: unmodified programs that fork,
# exec, spawn and poll keep their rump descriptors and working directory,
# and move data between host and rump files.  Each case starts its own
# rump_server on a unix socket in the test's folder and runs the programs
# with LD_PRELOAD=librumphijack.so.  h_poll and h_proc are the C helpers.

objdir() {
	echo "$(atf_get_srcdir)/../../.."
}

# Skip under the sanitizers: their runtime must be loaded first, before
# any LD_PRELOAD library, and unmodified programs do not load it.
require_plain_build() {
	if nm -D "$(objdir)/lib/librumphijack.so" | grep -q __asan; then
		atf_skip "librumphijack is built with the sanitizers"
	fi
}

# Start "rump_server -s -l rumpvfs unix://$PWD/sock" and wait up to 10 s
# for its socket; the pid is kept in the file "pid".
start_server() {
	require_plain_build
	export RUMP_SERVER="unix://$PWD/sock"
	timeout 300 "$(objdir)/bin/rump_server" -s -l rumpvfs "$RUMP_SERVER" \
	    >server.out 2>server.err &
	echo $! >pid
	i=0
	while [ ! -S sock ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S sock ] || atf_fail "the server did not come up: $(cat server.err)"
}

# Stop the server of the file "pid", if any.
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

# Start the server, write ./hijack, which runs a command under the hijack
# for at most 60 s, and make the rump folder /rump/d.
setup() {
	start_server
	cat >hijack <<EOF
#!/bin/sh
exec timeout 60 env LD_PRELOAD="$(objdir)/lib/librumphijack.so" "\$@"
EOF
	chmod +x hijack
	atf_check ./hijack mkdir /rump/d
}

atf_test_case fork_append cleanup
fork_append_head() {
	atf_set descr "a hijacked shell script forks children that append" \
	    "to one rump file, by path and through an inherited descriptor"
}
fork_append_body() {
	setup
	cat >script.sh <<'EOF'
: >/rump/d/log
exec 3>>/rump/d/log3
i=1
while [ $i -le 8 ]; do
	(
		j=1
		while [ $j -le 5 ]; do
			echo "child $i line $j" >>/rump/d/log
			echo "child $i line $j" >&3
			j=$((j + 1))
		done
	) &
	i=$((i + 1))
done
wait
EOF
	i=1
	while [ $i -le 8 ]; do
		j=1
		while [ $j -le 5 ]; do
			echo "child $i line $j"
			j=$((j + 1))
		done
		i=$((i + 1))
	done | sort >expected
	for shell in sh bash; do
		command -v $shell >/dev/null || continue
		atf_check ./hijack $shell script.sh
		./hijack cat /rump/d/log | sort >got
		atf_check -o file:expected cat got
		./hijack cat /rump/d/log3 | sort >got3
		atf_check -o file:expected cat got3
		atf_check ./hijack rm /rump/d/log3
	done
}
fork_append_cleanup() {
	stop_server
}

atf_test_case fork_children cleanup
fork_children_head() {
	atf_set descr "fork and vfork children inherit rump descriptors and" \
	    "close their own copies; daemon keeps a rump descriptor"
}
fork_children_body() {
	setup
	atf_check -o match:'^all passed$' ./hijack "$(atf_get_srcdir)/h_proc" \
	    fork /rump/d
	atf_check ./hijack "$(atf_get_srcdir)/h_proc" daemon /rump/d/daemon.out
	i=0
	while [ $i -lt 100 ]; do
		[ "$(./hijack cat /rump/d/daemon.out)" = "daemon ok" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	atf_check -o inline:"daemon ok\n" ./hijack cat /rump/d/daemon.out
}
fork_children_cleanup() {
	stop_server
}

atf_test_case exec_self cleanup
exec_self_head() {
	atf_set descr "a program execs itself through every exec function," \
	    "keeping a rump descriptor and closing a close-on-exec one"
}
exec_self_body() {
	setup
	atf_check -o match:'exec chain kept' -o match:'^all passed$' \
	    -o match:'^ok exec errors$' \
	    ./hijack "$(atf_get_srcdir)/h_proc" exec /rump/d
}
exec_self_cleanup() {
	stop_server
}

atf_test_case exec_cwd cleanup
exec_cwd_head() {
	atf_set descr "programs run by a shell in a rump folder start there"
}
exec_cwd_body() {
	setup
	atf_check -o inline:"/rump/d\n" ./hijack sh -c 'cd /rump/d; sh -c pwd'
	atf_check -o inline:"/rump/d\n" ./hijack sh -c 'cd /rump/d && /bin/pwd'
	atf_check -o inline:"hi\n" \
	    ./hijack sh -c 'cd /rump/d && echo hi >f && sh -c "cat f"'
	atf_check -o inline:"f\n" ./hijack sh -c 'cd /rump/d && ls'
	# Leaving the rump folder again.
	atf_check -o inline:"/\n" ./hijack sh -c 'cd /rump/d; cd /; /bin/pwd'
}
exec_cwd_cleanup() {
	stop_server
}

atf_test_case python_subprocess cleanup
python_subprocess_head() {
	atf_set descr "python3 subprocess writes a child's stdout to a" \
	    "rump file and runs it in a rump folder"
	atf_set require.progs "/usr/bin/python3"
}
python_subprocess_body() {
	setup
	cat >sub.py <<'EOF'
import os, subprocess
with open("/rump/d/py.out", "w") as f:
    subprocess.run(["echo", "hello from echo"], stdout=f, check=True)
    subprocess.run(["sh", "-c", "echo from sh; pwd"], stdout=f,
                   cwd="/rump/d", check=True)
out = subprocess.run(["cat", "py.out"], cwd="/rump/d",
                     stdout=subprocess.PIPE, check=True).stdout
print(out.decode(), end="")
EOF
	atf_check -o inline:"hello from echo\nfrom sh\n/rump/d\n" \
	    ./hijack /usr/bin/python3 sub.py
	atf_check -o inline:"hello from echo\nfrom sh\n/rump/d\n" \
	    ./hijack cat /rump/d/py.out
}
python_subprocess_cleanup() {
	stop_server
}

atf_test_case spawn_actions cleanup
spawn_actions_head() {
	atf_set descr "posix_spawn with file actions on rump paths and" \
	    "descriptors; system and popen in a rump folder"
}
spawn_actions_body() {
	setup
	atf_check -o match:'^all passed$' \
	    -o match:'^ok posix_spawnp with file actions on rump paths$' \
	    ./hijack "$(atf_get_srcdir)/h_proc" spawn /rump/d
	atf_check -o match:'^all passed$' \
	    ./hijack "$(atf_get_srcdir)/h_proc" shell /rump/d
}
spawn_actions_cleanup() {
	stop_server
}

atf_test_case poll_select cleanup
poll_select_head() {
	atf_set descr "poll, ppoll, select and pselect over a host pipe, a" \
	    "rump FIFO and a rump file: timeouts, wake-ups, EINTR, masks"
}
poll_select_body() {
	setup
	atf_check -o match:'^all passed$' -o not-match:FAIL \
	    ./hijack "$(atf_get_srcdir)/h_poll" /rump/d
}
poll_select_cleanup() {
	stop_server
}

atf_test_case copy_files cleanup
copy_files_head() {
	atf_set descr "copy_file_range, sendfile and splice between host and" \
	    "rump files; cp both ways and cat through a pipe"
}
copy_files_body() {
	setup
	atf_check -o match:'^all passed$' \
	    ./hijack "$(atf_get_srcdir)/h_proc" xfer /rump/d "$PWD"

	# cp copies with copy_file_range (coreutils 9).
	atf_check -o ignore -e ignore \
	    dd if=/dev/urandom of=host.bin bs=65536 count=20
	printf 'tail' >>host.bin
	atf_check ./hijack cp host.bin /rump/d/copy.bin
	atf_check ./hijack cp /rump/d/copy.bin back.bin
	atf_check cmp host.bin back.bin
	atf_check ./hijack cp /rump/d/copy.bin /rump/d/copy2.bin
	atf_check ./hijack cmp host.bin /rump/d/copy2.bin

	# Pipes between hijacked programs.
	echo "some text for the pipe" >text
	atf_check ./hijack cp text /rump/d/text
	atf_check -o inline:"SOME TEXT FOR THE PIPE\n" \
	    ./hijack sh -c 'cat /rump/d/text | tr a-z A-Z'
	atf_check ./hijack sh -c 'cat /rump/d/text | tr a-z A-Z >/rump/d/upper'
	atf_check -o inline:"SOME TEXT FOR THE PIPE\n" \
	    ./hijack cat /rump/d/upper
	atf_check -o inline:"      1       5      23\n" \
	    ./hijack sh -c 'cat host.bin /rump/d/text | tail -c 23 | wc'
}
copy_files_cleanup() {
	stop_server
}

atf_init_test_cases() {
	atf_add_test_case fork_append
	atf_add_test_case fork_children
	atf_add_test_case exec_self
	atf_add_test_case exec_cwd
	atf_add_test_case python_subprocess
	atf_add_test_case spawn_actions
	atf_add_test_case poll_select
	atf_add_test_case copy_files
}
