/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel threads: host threads that run kernel code as lwps of proc0.
 * The function runs holding a virtual CPU and ends by calling
 * kthread_exit (returning from it does the same).  With KTHREAD_MUSTJOIN
 * the creator must reap the thread with kthread_join.
 */

#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/types.h>

struct lwp;
struct cpu_info;

#define KTHREAD_IDLE		0x01
#define KTHREAD_MPSAFE		0x02
#define KTHREAD_INTR		0x04
#define KTHREAD_TS		0x08
#define KTHREAD_MUSTJOIN	0x20

typedef int pri_t;
#define PRI_NONE	(-1)

int	kthread_create(pri_t, int, struct cpu_info *, void (*)(void *), void *,
	    struct lwp **, const char *, ...) __printflike(7, 8);
void	kthread_exit(int) __dead;
int	kthread_join(struct lwp *);

/* False when booted with RUMP_THREADS=0: kthread_create fails. */
extern bool kthreads_enabled;

#endif /* _SYS_KTHREAD_H_ */
