#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Run the benchmarks and print their figures.
#
# usage: run.sh OBJDIR
set -eu
obj=$1
echo "== kernel boot (bench_boot)"
"$obj/bench/bench_boot" 20
echo
echo "== system call cost (bench_getpid)"
"$obj/bench/bench_getpid"
echo
echo "== file systems: rumpfs beside the host's tmpfs (bench_vfs)"
"$obj/bench/bench_vfs"
