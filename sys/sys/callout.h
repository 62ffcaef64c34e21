/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Callouts: functions run once after a delay in clock ticks (HZ per
 * second), from the clock thread, without any lock held.
 *
 * callout_reset arms (or re-arms) a callout; callout_stop disarms it and
 * returns true when it had already fired or was running; callout_halt also
 * waits until a running invocation has finished (releasing the given
 * interlock, when not NULL, while it waits).  A callout may re-arm itself
 * from its own function.  callout_destroy requires it to be disarmed and
 * not running, except that a function may destroy its own callout.
 *
 * Callouts run only when the kernel has threads: booted with RUMP_THREADS=0
 * there is no clock thread, so armed callouts stay pending and never fire.
 */

#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

struct kmutex;

typedef struct callout {
	TAILQ_ENTRY(callout) c_entry;	/* callout_lock: on the pending queue */
	uint64_t	 c_when;	/* callout_lock: due time, mono ns */
	void		(*c_func)(void *); /* callout_lock */
	void		*c_arg;		/* callout_lock */
	u_int		 c_flags;	/* callout_lock: CALLOUT_* */
	u_int		 c_magic;	/* fixed at init, DIAGNOSTIC check */
} callout_t;

#define CALLOUT_MPSAFE		0x0001	/* accepted for compatibility */
#define CALLOUT_PENDING		0x0002	/* armed, on the queue */
#define CALLOUT_FIRED		0x0004	/* fired since last armed */
#define CALLOUT_INVOKING	0x0008	/* function started since last ack */
#define CALLOUT_RUNNING		0x0010	/* function running now */

void	callout_init(callout_t *, u_int);
void	callout_destroy(callout_t *);
void	callout_setfunc(callout_t *, void (*)(void *), void *);
void	callout_reset(callout_t *, int, void (*)(void *), void *);
void	callout_schedule(callout_t *, int);
bool	callout_stop(callout_t *);
bool	callout_halt(callout_t *, struct kmutex *);
bool	callout_pending(callout_t *);
bool	callout_expired(callout_t *);
bool	callout_active(callout_t *);
bool	callout_invoking(callout_t *);
void	callout_ack(callout_t *);

/*
 * Boot and halt (kern_timeout.c).  callout_startup sets up the queue and
 * its lock, and must run before any callout call other than callout_init.
 * callout_startthread starts the clock thread once kernel threads can be
 * created, and does nothing when kthreads_enabled is false.
 * callout_shutdown stops and joins the clock thread after the callout it
 * is running, if any, has returned.
 */
void	callout_startup(void);
void	callout_startthread(void);
void	callout_shutdown(void);

#endif /* _SYS_CALLOUT_H_ */
