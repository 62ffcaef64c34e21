/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual CPUs.  A host thread runs kernel code only while it holds one;
 * see the scheduler for how CPUs are taken and released.
 */

#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <sys/types.h>
#include <sys/param.h>

struct lwp;

struct cpu_info {
	u_int		 ci_index;	/* fixed at boot: 0 .. ncpu - 1 */
	struct lwp	*ci_curlwp;	/* owner: the lwp holding this CPU */
	void		*ci_softints;	/* softint state, fixed at boot */
	void		*ci_schedstate;	/* scheduler state, fixed at boot */
	uint64_t	 ci_nswitch;	/* owner: times this CPU was taken */
} __aligned(CACHE_LINE_SIZE);		/* no false sharing between CPUs */

extern struct cpu_info *cpu_infos;	/* array of ncpu, fixed at boot */
#define cpu_lookup(i)	(&cpu_infos[(i)])
#define curcpu()	(curlwp->l_cpu)
#define cpu_index(ci)	((ci)->ci_index)

#endif /* _SYS_CPU_H_ */
