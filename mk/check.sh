#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Run every test program under Kyua and print a summary.  The exit status
# is non-zero when any test failed or broke.
#
# usage: check.sh OBJDIR
set -u
obj=$1
results=$obj/kyua-results.db

rm -f "$results"
LSAN_OPTIONS="suppressions=$(pwd)/mk/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
cd "$obj/tests" || exit 1
kyua test --results-file="$OLDPWD/$results" -k Kyuafile
status=$?
cd "$OLDPWD" || exit 1

kyua report --results-file="$results" --verbose \
	--results-filter=broken,failed >"$obj/kyua-failures.txt" 2>&1
if [ $status -ne 0 ]; then
	cat "$obj/kyua-failures.txt"
fi

# One closing line that CI and people can read: "N passed, N failed".
kyua report --results-file="$results" --results-filter= 2>/dev/null | awk '
	/->/ {
		if ($0 ~ /->[ \t]+(passed|expected_failure)/) pass++
		else if ($0 ~ /->[ \t]+skipped/) skip++
		else fail++
	}
	END { printf "%d passed, %d failed, %d skipped\n", pass, fail, skip }'
exit $status
