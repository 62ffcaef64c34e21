/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Soft interrupts: deferred work run by a per-CPU softint thread soon
 * after softint_schedule.  Scheduling an already pending softint does
 * nothing.  The handler runs with no lock held; softint_disestablish
 * waits until the handler is no longer running.
 */

#ifndef _SYS_INTR_H_
#define _SYS_INTR_H_

#include <sys/types.h>

#define SOFTINT_CLOCK	0x0000
#define SOFTINT_BIO	0x0001
#define SOFTINT_NET	0x0002
#define SOFTINT_SERIAL	0x0003
#define SOFTINT_LVLMASK	0x00ff
#define SOFTINT_MPSAFE	0x0100

void	*softint_establish(u_int, void (*)(void *), void *);
void	 softint_schedule(void *);
void	 softint_disestablish(void *);

/*
 * Boot and halt (kern_softint.c).  softint_init sets up the per-CPU state
 * and, when kthreads_enabled, starts one softint thread per CPU.  Without
 * kernel threads softint_schedule runs the handler in the caller.
 * softint_init must be called once at boot in both cases, before any
 * softint_schedule.  softint_shutdown stops and joins the threads, and
 * softints still pending then never run.
 */
void	 softint_init(void);
void	 softint_shutdown(void);

#endif /* _SYS_INTR_H_ */
