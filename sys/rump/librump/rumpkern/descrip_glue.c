/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot glue for descriptors and poll/select.  Runs with the KERN
 * components, before initproc is created, so that proc0 has a descriptor
 * table for initproc to start from (an empty copy, PROC_FD_CLEAR).
 */

#include <sys/types.h>
#include <sys/filedesc.h>
#include <sys/select.h>

#include <rump-sys/kern.h>

RUMP_COMPONENT(RUMP_COMPONENT_KERN)
{

	select_sys_init();
	fd_sys_init();
}
