#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The main job on its built-in default: boot a rump kernel in a process,
# print what it is, make a process in it, and halt it.
#
# usage: demo.sh OBJDIR
set -eu
obj=$1
echo "== booting a rump kernel in this process (RUMP_NCPU=${RUMP_NCPU:-host default})"
"$obj/examples/bootinfo"
echo
echo "== files: write and read a file in rumpfs, read a host file through etfs"
"$obj/examples/files"
