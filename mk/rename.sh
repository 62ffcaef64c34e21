#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Move every global symbol of a kernel object into the kernel's namespace:
# each defined or undefined global whose name does not start with rump_,
# rumpuser_, rumpns_, RUMP, __ or _GLOBAL_OFFSET_TABLE_ gets the prefix
# rumpns_, so that the kernel's printf or memcpy can never bind to the
# host's or the program's.  Internal names like rumpfs_read are renamed
# too: only the rump_ interface is public.
#
# usage: rename.sh INPUT.o OUTPUT.o
set -eu
in=$1
out=$2
map=$out.map
NM=${NM:-nm}
OBJCOPY=${OBJCOPY:-objcopy}

"$NM" -P -g "$in" | awk '
	$1 ~ /^(rump_|rumpuser_|rumpns_|RUMP|__|_GLOBAL_OFFSET_TABLE_)/ { next }
	{ print $1 " rumpns_" $1 }
' | sort -u > "$map"
"$OBJCOPY" --redefine-syms="$map" "$in" "$out"
rm -f "$map"
