/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counting semaphores.  sema_p waits until the count is positive and
 * decrements it; sema_v increments it and wakes one waiter.  sema_p_sig
 * returns EINTR when a signal is posted; sema_timedp returns EWOULDBLOCK
 * after the timeout in ticks; sema_tryp returns non-zero on success.
 */

#ifndef _SYS_SEMA_H_
#define _SYS_SEMA_H_

#include <sys/mutex.h>
#include <sys/condvar.h>

typedef struct ksema {
	kmutex_t	sem_lock;
	kcondvar_t	sem_cv;		/* sem_lock */
	int		sem_count;	/* sem_lock */
} ksema_t;

void	sema_init(ksema_t *, int, const char *);
void	sema_destroy(ksema_t *);
void	sema_p(ksema_t *);
int	sema_p_sig(ksema_t *);
int	sema_timedp(ksema_t *, int);
int	sema_tryp(ksema_t *);
void	sema_v(ksema_t *);

#endif /* _SYS_SEMA_H_ */
