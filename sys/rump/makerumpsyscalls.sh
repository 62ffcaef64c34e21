#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Generate the system call files from syscalls.master (format described at
# the top of that file).  Run from the top of the source tree, normally as
# `make regen`; the output is committed.
#
# Writes:
#   sys/sys/syscall.h                      SYS_* numbers
#   sys/sys/syscallargs.h                  argument blocks, handler prototypes
#   sys/kern/init_sysent.c                 the table, every slot sys_nosys
#   sys/rump/librump/rumpF/rumpF_syscalls.c  per faction F: its handlers
#   sys/rump/librump/rumpkern/rump_syscalls.c the rump_sys_* entry points
#   sys/rump/include/rump/rump_syscalls.h  their public prototypes
#
# usage: makerumpsyscalls.sh sys/kern/syscalls.master
set -eu

master=${1:-sys/kern/syscalls.master}
[ -r "$master" ] || { echo "makerumpsyscalls.sh: cannot read $master" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Pass 1: parse the master file into one record per call:
#   num|faction|rettype|name|nargs|type1|name1|...|variadic-index
awk -v master="$master" '
function fail(msg) {
	printf "%s:%d: %s\n", master, NR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}
# Split a C declaration "const char *path" into type and name.
function splitdecl(d, out,    m) {
	d = trim(d)
	if (!match(d, /[A-Za-z_][A-Za-z_0-9]*$/))
		fail("cannot find a name in \"" d "\"")
	out["name"] = substr(d, RSTART)
	out["type"] = trim(substr(d, 1, RSTART - 1))
	if (out["type"] == "")
		fail("no type in \"" d "\"")
}
/^[ \t]*(;|$)/ { next }
{
	line = $0
	num = $1
	faction = $2
	if (num !~ /^[0-9]+$/)
		fail("bad system call number \"" num "\"")
	if (faction !~ /^(kern|vfs|net|dev)$/)
		fail("bad faction \"" faction "\"")
	if (num in seen)
		fail("number " num " listed twice")
	seen[num] = 1
	if (!match(line, /\{.*\}/))
		fail("missing { prototype }")
	proto = substr(line, RSTART + 1, RLENGTH - 2)
	proto = trim(proto)
	sub(/;$/, "", proto)
	lp = index(proto, "(")
	rp = length(proto)
	if (lp == 0 || substr(proto, rp, 1) != ")")
		fail("prototype must look like TYPE NAME(ARGS)")
	splitdecl(substr(proto, 1, lp - 1), d)
	name = d["name"]
	if (name in names)
		fail("name " name " listed twice")
	names[name] = 1
	rec = num "|" faction "|" d["type"] "|" name
	args = trim(substr(proto, lp + 1, rp - lp - 1))
	nargs = 0
	variadic = 0
	fields = ""
	if (args != "void") {
		n = split(args, a, ",")
		for (i = 1; i <= n; i++) {
			arg = trim(a[i])
			if (arg ~ /^\.\.\./) {
				if (i != n)
					fail("... must come before the last argument")
				variadic = i
				arg = trim(substr(arg, 4))
			}
			splitdecl(arg, d)
			fields = fields "|" d["type"] "|" d["name"]
			nargs++
		}
	}
	if (nargs > 6)
		fail("more than 6 arguments")
	print rec "|" nargs fields "|" variadic
}
' "$master" | sort -t'|' -k1,1n > "$tmp/calls"

[ -s "$tmp/calls" ] || { echo "makerumpsyscalls.sh: no calls in $master" >&2; exit 1; }

banner() {
	printf '%s\n' "$1"
	printf '%s\n' "$2 Generated from $master by sys/rump/makerumpsyscalls.sh."
	printf '%s\n' "$2 Do not edit: change the master file and run make regen."
	printf '%s\n' "$3"
}

# sys/sys/syscall.h
{
	echo "/* SPDX-License-Identifier: BSD-2-Clause */"
	banner "/*" " *" " */"
	echo
	echo "#ifndef _SYS_SYSCALL_H_"
	echo "#define _SYS_SYSCALL_H_"
	echo
	awk -F'|' '{ printf "#define SYS_%s\t%d\n", $4, $1; max = $1 }
	    END { printf "\n#define SYS_MAXSYSCALL\t%d\n", max + 1 }' "$tmp/calls"
	echo
	echo "#endif /* _SYS_SYSCALL_H_ */"
} > "$tmp/syscall.h"

# sys/sys/syscallargs.h
{
	echo "/* SPDX-License-Identifier: BSD-2-Clause */"
	banner "/*" " *" " *"
	cat <<'EOF'
 * Each argument occupies one register_t slot, the value in the low-order
 * bytes (little-endian hosts only).
 */

#ifndef _SYS_SYSCALLARGS_H_
#define _SYS_SYSCALLARGS_H_

#include <sys/types.h>
#include <sys/poll.h>		/* fd_set */

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error the system call argument layout assumes a little-endian host
#endif

#define syscallarg(type)	union { register_t pad; type datum; }
#define SCARG(p, k)		((p)->k.datum)

struct lwp;
EOF
	awk -F'|' '
	{
		for (i = 0; i < $5; i++) {
			t = $(6 + 2 * i)
			while (match(t, /struct [A-Za-z_0-9]+/)) {
				s = substr(t, RSTART, RLENGTH)
				if (!(s in fwd)) { fwd[s] = 1; order[++nfwd] = s }
				t = substr(t, RSTART + RLENGTH)
			}
		}
	}
	END { for (i = 1; i <= nfwd; i++) print order[i] ";" }' "$tmp/calls"
	echo
	awk -F'|' '
	{
		if ($5 > 0) {
			printf "struct sys_%s_args {\n", $4
			for (i = 0; i < $5; i++)
				printf "\tsyscallarg(%s) %s;\n", $(6 + 2 * i), $(7 + 2 * i)
			printf "};\n\n"
		}
	}' "$tmp/calls"
	awk -F'|' '
	{
		if ($5 > 0)
			printf "int\tsys_%s(struct lwp *, const struct sys_%s_args *, register_t *);\n", $4, $4
		else
			printf "int\tsys_%s(struct lwp *, const void *, register_t *);\n", $4
	}' "$tmp/calls"
	echo
	echo "#endif /* _SYS_SYSCALLARGS_H_ */"
} > "$tmp/syscallargs.h"

# sys/kern/init_sysent.c
{
	echo "/* SPDX-License-Identifier: BSD-2-Clause */"
	banner "/*" " *" " */"
	cat <<'EOF'

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>

struct sysent sysent[SYS_MAXSYSCALL] = {
EOF
	awk -F'|' '{
		if ($5 > 0)
			printf "\t[SYS_%s] = { %d, sizeof(struct sys_%s_args), sys_nosys },\n", $4, $5, $4
		else
			printf "\t[SYS_%s] = { 0, 0, sys_nosys },\n", $4
	}' "$tmp/calls"
	echo "};"
	echo
	echo "const char *const syscallnames[SYS_MAXSYSCALL] = {"
	awk -F'|' '{ printf "\t[SYS_%s] = \"%s\",\n", $4, $4 }' "$tmp/calls"
	echo "};"
} > "$tmp/init_sysent.c"

# Per-faction handler tables.
for faction in $(cut -d'|' -f2 "$tmp/calls" | sort -u); do
	{
		echo "/* SPDX-License-Identifier: BSD-2-Clause */"
		banner "/*" " *" " *"
		echo " * The system calls of the $faction faction, installed when the"
		echo " * faction is linked in."
		echo " */"
		cat <<'EOF'

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>

#include <rump-sys/kern.h>

static const struct rump_onesyscall faction_syscalls[] = {
EOF
		awk -F'|' -v f="$faction" '$2 == f {
			printf "\t{ SYS_%s, (sy_call_t *)(void (*)(void))sys_%s },\n", $4, $4
		}' "$tmp/calls"
		cat <<'EOF'
};

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{

	syscall_establish(faction_syscalls, __arraycount(faction_syscalls));
}
EOF
	} > "$tmp/rump${faction}_syscalls.c"
done

# The rump_sys_* entry points, kernel side.
{
	echo "/* SPDX-License-Identifier: BSD-2-Clause */"
	banner "/*" " *" " *"
	cat <<'EOF'
 * The rump_sys_* entry points: each stores its arguments in the call's
 * argument block and hands it to rsys_syscall().  On error it sets the
 * caller's errno and returns -1, as the C library does.  The same file
 * serves remote clients, where rsys_syscall sends the block to a server.
 */

#include <sys/types.h>
#include <sys/stdarg.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>

#include <rump-sys/rsys.h>
EOF
	awk -F'|' '
	{
		num = $1; rettype = $3; name = $4; nargs = $5; variadic = $(6 + 2 * nargs)
		sig = ""
		if (nargs == 0)
			sig = "void"
		for (i = 0; i < nargs; i++) {
			if (i + 1 == variadic) {
				sig = sig "..."
				break
			}
			if (i > 0) sig = sig ", "
			sig = sig $(6 + 2 * i) " " $(7 + 2 * i)
			if (i + 2 == variadic) sig = sig ", "
		}
		printf "\n%s rump_sys_%s(%s);\n\n", rettype, name, sig
		printf "%s\nrump_sys_%s(%s)\n{\n", rettype, name, sig
		if (nargs > 0)
			printf "\tstruct sys_%s_args callarg;\n", name
		printf "\tregister_t retval[2] = { 0, 0 };\n"
		printf "\tint error;\n"
		if (variadic > 0)
			printf "\tva_list ap;\n"
		printf "\n"
		if (nargs > 0)
			printf "\t__builtin_memset(&callarg, 0, sizeof(callarg));\n"
		for (i = 0; i < nargs; i++) {
			if (i + 1 == variadic) {
				printf "\tva_start(ap, %s);\n", $(7 + 2 * (i - 1))
				printf "\tSCARG(&callarg, %s) = va_arg(ap, %s);\n", $(7 + 2 * i), $(6 + 2 * i)
				printf "\tva_end(ap);\n"
			} else
				printf "\tSCARG(&callarg, %s) = %s;\n", $(7 + 2 * i), $(7 + 2 * i)
		}
		if (nargs > 0)
			printf "\terror = rsys_syscall(SYS_%s, &callarg, sizeof(callarg), retval);\n", name
		else
			printf "\terror = rsys_syscall(SYS_%s, NULL, 0, retval);\n", name
		printf "\tif (__predict_false(error != 0)) {\n"
		printf "\t\trsys_seterrno(error);\n"
		if (rettype == "void")
			printf "\t\treturn;\n"
		else if (rettype ~ /\*$/)
			printf "\t\treturn NULL;\n"
		else
			printf "\t\treturn (%s)-1;\n", rettype
		printf "\t}\n"
		if (rettype == "void")
			printf "}\n"
		else
			printf "\treturn (%s)retval[0];\n}\n", rettype
	}' "$tmp/calls"
} > "$tmp/rump_syscalls.c"

# Public prototypes.
{
	echo "/* SPDX-License-Identifier: BSD-2-Clause */"
	banner "/*" " *" " *"
	cat <<'EOF'
 * System calls into a rump kernel.  Arguments, flags, structures and errno
 * values are those of Linux on this host, so a program passes its own
 * <fcntl.h> and <sys/stat.h> values.  Each call returns what the C library
 * function of the same name returns; on error it returns -1 and sets errno.
 * Descriptors, pids and other handles refer to the rump kernel's objects.
 */

#ifndef _RUMP_RUMP_SYSCALLS_H_
#define _RUMP_RUMP_SYSCALLS_H_

#ifdef _KERNEL
#error rump_syscalls.h is for programs that call into a rump kernel
#endif

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

EOF
	awk -F'|' '
	{
		for (i = 0; i < $5; i++) {
			t = $(6 + 2 * i)
			while (match(t, /struct [A-Za-z_0-9]+/)) {
				s = substr(t, RSTART, RLENGTH)
				if (!(s in fwd)) { fwd[s] = 1; order[++nfwd] = s }
				t = substr(t, RSTART + RLENGTH)
			}
		}
	}
	END { for (i = 1; i <= nfwd; i++) print order[i] ";" }' "$tmp/calls"
	echo
	echo "#ifdef __cplusplus"
	echo "extern \"C\" {"
	echo "#endif"
	echo
	awk -F'|' '{ printf "#define RUMP_SYS_%s\t%d\n", $4, $1 }' "$tmp/calls"
	echo
	awk -F'|' '
	{
		nargs = $5; variadic = $(6 + 2 * nargs)
		printf "%s rump_sys_%s(", $3, $4
		if (nargs == 0)
			printf "void"
		for (i = 0; i < nargs; i++) {
			if (i + 1 == variadic) { printf "..."; break }
			if (i > 0) printf ", "
			printf "%s", $(6 + 2 * i)
			if (i + 2 == variadic) printf ", "
		}
		printf ");\n"
	}' "$tmp/calls"
	echo
	echo "#ifdef __cplusplus"
	echo "}"
	echo "#endif"
	echo
	echo "#endif /* _RUMP_RUMP_SYSCALLS_H_ */"
} > "$tmp/rump_syscalls.h"

install_file() {
	mkdir -p "$(dirname "$2")"
	if ! cmp -s "$1" "$2"; then
		cp "$1" "$2"
		echo "wrote $2"
	fi
}

install_file "$tmp/syscall.h" sys/sys/syscall.h
install_file "$tmp/syscallargs.h" sys/sys/syscallargs.h
install_file "$tmp/init_sysent.c" sys/kern/init_sysent.c
install_file "$tmp/rump_syscalls.c" sys/rump/librump/rumpkern/rump_syscalls.c
install_file "$tmp/rump_syscalls.h" sys/rump/include/rump/rump_syscalls.h
for faction in $(cut -d'|' -f2 "$tmp/calls" | sort -u); do
	install_file "$tmp/rump${faction}_syscalls.c" \
	    "sys/rump/librump/rump$faction/rump${faction}_syscalls.c"
done
