#! /usr/bin/env atf-sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The kernel libraries keep to their namespace: they leave only rumpuser_*
# hypercalls undefined and export only rump_*, rumpuser_* and rumpns_*
# names; and a program with symbols of the kernel's names still works.

libdir() {
	echo "$(atf_get_srcdir)/../../lib"
}

# Symbols, one "TYPE NAME" per line, of a kernel library object.
kernel_symbols() {
	nm -P -g "$(libdir)/$1" | awk '{ print $2, $1 }'
}

atf_test_case undefined
undefined_head() {
	atf_set "descr" "kernel libraries leave only rumpuser_* (and the base's symbols) undefined"
}
undefined_body() {
	for lib in librump.o librumpvfs.o librumpfs_ext2fs.o; do
		kernel_symbols $lib | awk -v lib=$lib '
			$1 == "U" || $1 == "w" || $1 == "v" {
				n = $2
				if (n ~ /^rumpuser_/) next
				# a faction may use the kernel base
				if (lib != "librump.o" && n ~ /^(rump_|rumpns_)/) next
				if (n == "_GLOBAL_OFFSET_TABLE_") next
				if (n ~ /^__(start|stop)_link_set_/) next
				# sanitizer runtimes, in sanitizer builds only
				if (n ~ /^__(asan|ubsan|lsan|sanitizer)_/) next
				print "undefined: " n; bad = 1
			}
			END { exit bad }' >out.txt 2>&1 ||
			atf_fail "$lib: $(cat out.txt)"
	done
}

atf_test_case exported
exported_head() {
	atf_set "descr" "kernel libraries export only rump_*, rumpuser_* and rumpns_*"
}
exported_body() {
	for lib in librump.o librumpvfs.o librumpfs_ext2fs.o; do
		kernel_symbols $lib | awk '
			$1 != "U" && $1 != "w" && $1 != "v" {
				n = $2
				if (n ~ /^(rump_|rumpuser_|rumpns_)/) next
				if (n ~ /^__(start|stop)_link_set_/) next
				# sanitizer instrumentation, in sanitizer builds only
				if (n ~ /^__odr_asan/) next
				print "exported: " n; bad = 1
			}
			END { exit bad }' >out.txt 2>&1 ||
			atf_fail "$lib: $(cat out.txt)"
	done
}

atf_test_case shared_undefined
shared_undefined_head() {
	atf_set "descr" "the shared kernel library needs only rumpuser_* from elsewhere"
}
shared_undefined_body() {
	nm -D --undefined-only "$(libdir)/librump.so" | awk '
		{ n = $NF }
		n ~ /^rumpuser_/ { next }
		n ~ /^__(asan|ubsan|lsan|sanitizer)_/ { next }
		n ~ /^__(cxa_finalize|gmon_start__)$/ { next }
		n ~ /^_(ITM_|Jv_)/ { next }
		{ print "undefined: " n; bad = 1 }
		END { exit bad }' >out.txt 2>&1 ||
		atf_fail "$(cat out.txt)"
}

atf_test_case link_dynamic
link_dynamic_head() {
	atf_set "descr" "a dynamically linked program with its own panic, hz, kmem_alloc and curlwp works"
}
link_dynamic_body() {
	atf_check -s exit:0 -o inline:"ok\n" "$(atf_get_srcdir)/h_link"
}

atf_test_case link_static
link_static_head() {
	atf_set "descr" "a statically linked program with its own panic, hz, kmem_alloc and curlwp works"
}
link_static_body() {
	[ -x "$(atf_get_srcdir)/h_link_static" ] ||
		atf_skip "no static build (sanitizer builds cannot link statically)"
	atf_check -s exit:0 -o inline:"ok\n" "$(atf_get_srcdir)/h_link_static"
}

atf_init_test_cases() {
	atf_add_test_case undefined
	atf_add_test_case exported
	atf_add_test_case shared_undefined
	atf_add_test_case link_dynamic
	atf_add_test_case link_static
}
