/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel threads on host threads.  A kernel thread is an lwp of proc0
 * bound for its whole life to a host thread made for it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#include <rump/rump.h>

#include "rump_private.h"

bool kthreads_enabled = true;

static void *
kthread_trampoline(void *arg)
{
	struct lwp *l = arg;

	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	rump_schedule();
	l->l_func(l->l_arg);
	kthread_exit(0);
}

int
kthread_create(pri_t pri, int flags, struct cpu_info *ci,
    void (*func)(void *), void *arg, struct lwp **lp, const char *fmt, ...)
{
	struct lwp *l;
	va_list ap;
	int lflags = LW_SYSTEM;
	int error;

	if (!kthreads_enabled) {
		char name[sizeof(l->l_name)];

		va_start(ap, fmt);
		vsnprintf(name, sizeof(name), fmt, ap);
		va_end(ap);
		log(LOG_ERR, "kthread_create %s: kernel threads are disabled "
		    "(RUMP_THREADS=0)\n", name);
		return EOPNOTSUPP;
	}
	KASSERT((flags & KTHREAD_MUSTJOIN) == 0 || lp != NULL);
	if (flags & KTHREAD_MUSTJOIN)
		lflags |= LW_MUSTJOIN;
	if (flags & KTHREAD_INTR)
		lflags |= LW_INTR;

	l = lwp_create(&proc0, lflags);
	if (l == NULL)
		return EAGAIN;
	va_start(ap, fmt);
	vsnprintf(l->l_name, sizeof(l->l_name), fmt, ap);
	va_end(ap);
	l->l_func = func;
	l->l_arg = arg;
	l->l_bound = 1;
	if (ci != NULL)
		l->l_cpu = ci;

	error = rumpuser_thread_create(kthread_trampoline, l, l->l_name,
	    (flags & KTHREAD_MUSTJOIN) != 0, pri, ci ? (int)ci->ci_index : -1,
	    &l->l_hostthread);
	if (error) {
		l->l_bound = 0;
		lwp_destroy(l);
		return error;
	}
	if (lp != NULL)
		*lp = l;
	return 0;
}

/*
 * End the calling kernel thread.  A joinable thread leaves its lwp for
 * kthread_join to free; any other frees it here, running the last steps
 * on an implicit lwp.
 */
void
kthread_exit(int ecode)
{
	struct lwp *l = curlwp;

	KASSERT(l->l_flag & LW_SYSTEM);
	if (l->l_flag & LW_MUSTJOIN) {
		rump_unschedule();
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		rumpuser_thread_exit();
	}

	rump_lwproc_switch_scheduled(NULL);
	lwp_destroy(l);
	rump_unschedule();
	rumpuser_thread_exit();
}

int
kthread_join(struct lwp *l)
{
	int error;

	KASSERT(l->l_flag & LW_MUSTJOIN);
	error = rumpuser_thread_join(l->l_hostthread);
	if (error)
		return error;
	l->l_bound = 0;
	lwp_destroy(l);
	return 0;
}
