#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Run one libFuzzer target on its seeds and saved corpus for FUZZTIME
# seconds, and print one line with the outcome.  On a crash, sanitizer
# report, timeout or memory overrun, print the end of the log and how to
# reproduce it, and exit non-zero.
#
# usage: run.sh NAME
# environment: FUZZ_O (obj-fuzz), FUZZTIME (30), FUZZ_TIMEOUT (10 s per
# input), FUZZ_RSS_MB (2048)
set -u
name=$1
o=${FUZZ_O:-obj-fuzz}
bin=$o/fuzz/fuzz_$name
corpus=$o/corpus/$name
seeds=$o/seeds/$name
crashes=$o/crashes
log=$o/fuzz_$name.log

mkdir -p "$corpus" "$crashes"
LSAN_OPTIONS="suppressions=$(pwd)/mk/lsan.supp:print_suppressions=0"
UBSAN_OPTIONS="print_stacktrace=1"
export LSAN_OPTIONS UBSAN_OPTIONS

echo "fuzz_$name: running for ${FUZZTIME:-30} s (log: $log)"
"$bin" -max_total_time="${FUZZTIME:-30}" -timeout="${FUZZ_TIMEOUT:-10}" \
    -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1 \
    -artifact_prefix="$crashes/$name-" "$corpus" "$seeds" >"$log" 2>&1
status=$?

if [ $status -eq 0 ]; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep '^#[0-9]' "$log" | tail -n 1 | sed 's/^#[0-9]*[ 	]*[A-Z]*[ 	]*//')
	echo "fuzz_$name: passed, $runs inputs ($secs per second), $last"
	exit 0
fi

echo "fuzz_$name: FAILED (exit status $status); the end of $log:"
tail -n 100 "$log" | sed 's/^/  /'
grep -o "Test unit written to .*" "$log" | while read -r _ _ _ _ file; do
	echo "fuzz_$name: input saved in $file; reproduce with: $bin $file"

	# The sanitizers' own traces can stop at the first kernel frame, so
	# take the whole backtrace with gdb: the sanitizers then abort, and
	# gdb stops at the SIGABRT.
	command -v gdb >/dev/null 2>&1 || continue
	echo "fuzz_$name: backtrace of $file under gdb:"
	ASAN_OPTIONS=abort_on_error=1 timeout 120 gdb -q -batch -nx \
	    -ex run -ex bt --args "$bin" "$file" 2>&1 |
	    grep '^#[0-9]' | sed 's/^/  /'
done
exit 1
