/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal interfaces of the rump kernel base (rumpkern): the scheduler,
 * lwp binding, memory and boot state that the files of this folder share.
 */

#ifndef _RUMPKERN_RUMP_PRIVATE_H_
#define _RUMPKERN_RUMP_PRIVATE_H_

#include <sys/types.h>
#include <sys/lwp.h>
#include <sys/cpu.h>

#include <rump/rumpuser.h>

/* Nothing declared below is exported from the shared library. */
#pragma GCC visibility push(hidden)

/* Boot state, see rump.c. */
#define RUMP_STATE_DOWN		0
#define RUMP_STATE_BOOTING	1
#define RUMP_STATE_UP		2
#define RUMP_STATE_HALTED	3
extern volatile int rump_state;
extern int rump_sigmodel;
void	rump_signals_raise(uint64_t);

/* Scheduler (scheduler.c). */
void	rump_scheduler_init(int);
void	rump_schedule_cpu(struct lwp *);
void	rump_unschedule_cpu(struct lwp *);
void	rump_user_schedule(int, void *);
void	rump_user_unschedule(int, int *, void *);

/*
 * Hand the calling thread's CPU over from curlwp to another lwp, while
 * scheduled.  An implicit lwp handed away goes back to the CPU's cache; an
 * explicit one stays alive, unbound.  NULL means "an implicit lwp".
 */
void	rump_lwproc_switch_scheduled(struct lwp *);

/* Implicit lwps (lwproc.c): taken and returned by the CPU holder. */
struct lwp *rump_implicit_get(struct cpu_info *);
void	rump_implicit_put(struct cpu_info *, struct lwp *);
void	rump_implicit_reap(struct cpu_info *);
void	rump_implicit_signal_wakeup(void);
void	rump_lwproc_init(void);
void	rump_lwp0_init(void);

/* Host sleep objects of an lwp. */
void	rump_lwp_hostinit(struct lwp *);
void	rump_lwp_hostfini(struct lwp *);

/* Memory (memalloc.c). */
int	rump_kmem_init(uint64_t);

/* Time (emul.c). */
void	rump_clock_init(void);

/* Components (component.c). */
void	rump_component_bootstrap(void);

/* Upcalls for the hypervisor (lwproc.c, rump.c). */
int	rump_hyp_lwproc_rfork(void *, int, const char *);
int	rump_hyp_lwproc_newlwp(pid_t);
void	rump_hyp_lwproc_switch(struct lwp *);
void	rump_hyp_lwproc_release(void);
struct lwp *rump_hyp_lwproc_curlwp(void);

#pragma GCC visibility pop

#endif /* _RUMPKERN_RUMP_PRIVATE_H_ */
