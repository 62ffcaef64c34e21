/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-wide constants and limits. */

#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>

/* Clock interrupts per second: the unit of callout and sleep timeouts. */
#define HZ		100

#define MAXCPUS		256
#define MAXCOMLEN	16		/* process name, without the NUL */
#define MAXHOSTNAMELEN	64		/* Linux HOST_NAME_MAX */
#define NGROUPS_MAX	65536		/* Linux NGROUPS_MAX */
#define MAXPATHLEN	4096		/* Linux PATH_MAX, with the NUL */
#define PATH_MAX	MAXPATHLEN
#define NAME_MAX	255

/* pids run from 1 to PID_MAX - 1 and then wrap, as on Linux by default. */
#define PID_MAX		32768

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#define CACHE_LINE_SIZE	64

#endif /* _SYS_PARAM_H_ */
