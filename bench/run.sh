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
echo
echo "== ext2 images in /dev/shm: our kernel beside fuse2fs (bench_ext2)"
"$obj/bench/bench_ext2"
echo
echo "== remote system calls over a unix socket (bench_remote)"
"$obj/bench/bench_remote"
