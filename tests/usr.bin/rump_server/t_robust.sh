#! /usr/bin/env atf-sh
# SPDX-License-Identifier: BSD-2-Clause
#
# rump_server under clients that misbehave: connections that come and go
# by the thousand, clients killed in the middle of long writes, hostile
# messages on a raw socket, and a server on tcp://127.0.0.1.  After each,
# the server must still serve, and its descriptors and memory must be
# back where they were.  h_robust and h_client are the clients.

bindir() {
	echo "$(atf_get_srcdir)/../../../bin"
}

hc() {
	echo "$(atf_get_srcdir)/h_client"
}

hr() {
	echo "$(atf_get_srcdir)/h_robust"
}

# Start "rump_server -s -l rumpvfs URL" in the background; its pid is kept
# in the file "pid".  URL defaults to unix://$PWD/sock, whose socket is
# waited for up to 10 s.
start_server() {
	url=${1:-unix://$PWD/sock}
	export RUMP_SERVER="$url"
	"$(bindir)/rump_server" -s -l rumpvfs "$url" 2>server.err &
	echo $! >pid
	case $url in
	unix://*)
		i=0
		while [ ! -S sock ] && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -S sock ] || atf_fail "server socket $PWD/sock did not" \
		    "appear within 10 s: $(cat server.err)"
		;;
	esac
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

# Fail unless the server process is alive and replies to a getpid.
check_serving() {
	kill -0 "$(cat pid)" 2>/dev/null ||
	    atf_fail "the server died $1: $(tail -n 5 server.err)"
	atf_check -o match:'^[0-9]+$' timeout 10 "$(hc)" getpid
}

fd_count() {
	ls "/proc/$(cat pid)/fd" | wc -l
}

# Resident memory of the server in KiB.
rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$(cat pid)/status"
}

# Wait up to 10 s for the server's descriptor count to drop to $1.
wait_fds() {
	i=0
	while [ "$(fd_count)" -gt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

atf_test_case connect_cycles cleanup
connect_cycles_head() {
	atf_set descr "after 1,000 connections come and go the server has" \
	    "its descriptors back and no more than 2 MiB more memory"
}
connect_cycles_body() {
	start_server
	fds=$(fd_count)

	# Warm up: the first connections grow the allocator's arenas and
	# the server's pool of idle threads to their working size.
	atf_check timeout 30 "$(hr)" cycles 100
	wait_fds "$fds"
	rss=$(rss_kib)

	atf_check timeout 60 "$(hr)" cycles 1000
	wait_fds "$fds"
	check_serving "after 1,000 connections"
	now_fds=$(fd_count)
	now_rss=$(rss_kib)
	echo "descriptors $fds -> $now_fds, RSS $rss KiB -> $now_rss KiB"
	[ "$now_fds" -eq "$fds" ] ||
	    atf_fail "the server has $now_fds descriptors, $fds before"
	# AddressSanitizer keeps freed memory in quarantine, so there RSS
	# shows nothing about leaks (LeakSanitizer checks at exit instead).
	if nm -D "$(atf_get_srcdir)/../../../lib/librumpuser.so" 2>/dev/null |
	    grep -q __asan; then
		echo "sanitizer build: RSS not compared"
	elif [ "$now_rss" -gt $((rss + 2048)) ]; then
		atf_fail "the server's RSS grew from $rss KiB to $now_rss KiB"
	fi
	stop_server
}
connect_cycles_cleanup() {
	stop_server
}

# A random number of milliseconds from 0 to $1 - 1.
random_ms() {
	echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
}

atf_test_case killed_writers cleanup
killed_writers_head() {
	atf_set descr "clients killed with SIGKILL during long writes leave" \
	    "the server serving and another client's file intact"
}
killed_writers_body() {
	start_server
	round=1
	while [ $round -le 6 ]; do
		# A client that rewrites 256 KiB of /victim in one call after
		# the other, until it is killed.
		"$(hr)" writeloop /victim >writer$round.out \
		    2>writer$round.err &
		writer=$!
		i=0
		while ! grep -qs writing writer$round.out && [ $i -lt 100 ]
		do
			sleep 0.1
			i=$((i + 1))
		done
		grep -qs writing writer$round.out || atf_fail \
		    "the writer did not start: $(cat writer$round.err)"

		# Meanwhile another client writes 2 MiB and reads it back.
		atf_check timeout 30 "$(hr)" fill "/keep$round" 2097152 $round
		atf_check timeout 30 "$(hr)" verify "/keep$round" 2097152 \
		    $round

		ms=$(random_ms 200)
		sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
		kill -9 $writer
		wait $writer 2>/dev/null
		check_serving "after round $round"
		round=$((round + 1))
	done
	round=1
	while [ $round -le 6 ]; do
		atf_check timeout 30 "$(hr)" verify "/keep$round" 2097152 \
		    $round
		round=$((round + 1))
	done
	atf_check -o match:'^reg 262144$' timeout 10 "$(hc)" stat /victim
	stop_server
}
killed_writers_cleanup() {
	stop_server
}

task_count() {
	ls "/proc/$(cat pid)/task" | wc -l
}

atf_test_case sleeping_calls cleanup
sleeping_calls_head() {
	atf_set descr "calls that sleep in the kernel hold up no other call," \
	    "and the server keeps a bounded number of idle threads"
}
sleeping_calls_body() {
	start_server
	check_serving "at the start"
	tasks=$(task_count)
	atf_check timeout 30 "$(hr)" sleepers 40
	check_serving "after the sleeping calls"

	# The server keeps at most 16 idle worker threads (SP_MAXIDLE), and
	# the connection's reader thread ends with the connection.
	i=0
	while [ "$(task_count)" -gt $((tasks + 16)) ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(task_count)" -le $((tasks + 16)) ] || atf_fail \
	    "the server has $(task_count) threads, $tasks before 40 calls"
	stop_server
}
sleeping_calls_cleanup() {
	stop_server
}

atf_test_case hostile_messages cleanup
hostile_messages_head() {
	atf_set descr "garbage, truncated and oversized messages on a raw" \
	    "socket end only their own connection, with a log line each"
}
hostile_messages_body() {
	start_server
	fds=$(fd_count)
	atf_check timeout 60 "$(hr)" hostile
	check_serving "after the hostile connections"
	wait_fds "$fds"
	[ "$(fd_count)" -eq "$fds" ] ||
	    atf_fail "the server has $(fd_count) descriptors, $fds before"
	# At least 9 of the 11 bad connections are sure to be logged; a
	# truncated handshake and a reply cut short need not be.
	lines=$(grep -c '^rump_sp: client pid ' server.err)
	[ "$lines" -ge 9 ] ||
	    atf_fail "$lines log lines for 11 bad connections: $(cat server.err)"
	grep -q 'malformed system call request' server.err ||
	    atf_fail "no log line for a call with request id 0"
	grep -q 'system call request of bad length' server.err ||
	    atf_fail "no log line for an argument block of 256 KiB"
	stop_server
}
hostile_messages_cleanup() {
	stop_server
}

atf_test_case tcp_server cleanup
tcp_server_head() {
	atf_set descr "a server on tcp://127.0.0.1 serves a client"
}
tcp_server_body() {
	port=$("$(hr)" freeport) || atf_skip "no free TCP port on 127.0.0.1"
	start_server "tcp://127.0.0.1:$port"

	# Poll up to 100 times, 0.1 s apart, until the server replies.
	i=0
	while ! timeout 10 "$(hc)" getpid >/dev/null 2>&1 && [ $i -lt 100 ]
	do
		kill -0 "$(cat pid)" 2>/dev/null ||
		    atf_fail "the server did not start: $(cat server.err)"
		sleep 0.1
		i=$((i + 1))
	done
	check_serving "on tcp://127.0.0.1:$port"
	atf_check timeout 10 "$(hc)" mkdir /dir
	atf_check -o match:'^dir ' timeout 10 "$(hc)" stat /dir
	atf_check timeout 30 "$(hr)" fill /dir/file 1048576 7
	atf_check timeout 30 "$(hr)" verify /dir/file 1048576 7
	atf_check -o match:'^reg 1048576$' timeout 10 "$(hc)" stat /dir/file
	stop_server
}
tcp_server_cleanup() {
	stop_server
}

atf_init_test_cases() {
	atf_add_test_case connect_cycles
	atf_add_test_case killed_writers
	atf_add_test_case sleeping_calls
	atf_add_test_case hostile_messages
	atf_add_test_case tcp_server
}
