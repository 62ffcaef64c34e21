/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rump_sys_* entry points of librumpclient: the generated stubs of
 * librump, built with RUMP_CLIENT so that rsys_syscall() sends each call
 * to the server through rumpclient_syscall().
 */

#ifndef RUMP_CLIENT
#error "build with -DRUMP_CLIENT"
#endif

#include "../../../sys/rump/librump/rumpkern/rump_syscalls.c"
