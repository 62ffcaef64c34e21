/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Waiting for events on many objects: poll(2) and select(2).
 *
 * An object that can be polled (pipe, FIFO end, socket, device) embeds a
 * struct selinfo.  Its poll operation returns the events that are ready;
 * when none of the requested ones is, it calls selrecord(l, &si) to put
 * the polling lwp on the list.  When the object's state changes, it calls
 * selnotify(&si, events), which wakes every lwp recorded there.  The
 * waker does not know which poll call is waiting; the woken poll simply
 * asks every object again.
 *
 * A poll call brackets its work with selscan_begin and selscan_end; the
 * records it made are removed at the end.  A wakeup that arrives between
 * the scan and the sleep is not lost: selwait sleeps only if no
 * selnotify reached the lwp since selscan_begin.
 *
 * Rule for objects: the poll operation checks the state and calls
 * selrecord under the object's own lock, and the code that changes the
 * state calls selnotify under that same lock (or after changing the state
 * under it).  selnotify then needs select_lock only when someone is
 * recorded, so an object that nobody polls pays one unlocked load.  An
 * object that goes away calls seldestroy, which detaches and wakes its
 * pollers.
 *
 * Locking: all selinfo lists and the per-lwp poll states are under one
 * adaptive mutex, select_lock, taken after the objects' locks.  selrecord
 * may sleep to allocate memory, so objects call it under adaptive locks
 * only.
 */

#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

#include <sys/types.h>
#include <sys/queue.h>

struct lwp;
struct selrecord;

struct selinfo {
	LIST_HEAD(, selrecord) si_records;	/* select_lock */
};

void	selinit(struct selinfo *);
void	seldestroy(struct selinfo *);
/* Record l on si; does nothing outside a scan (selscan_begin). */
void	selrecord(struct lwp *, struct selinfo *);
void	selnotify(struct selinfo *, int events);

void	selscan_begin(struct lwp *);
/*
 * Sleep until a recorded object is notified, a signal arrives (EINTR) or
 * the deadline (monotonic ns; 0: none; UINT64_MAX: do not sleep) passes
 * (EWOULDBLOCK).
 */
int	selwait(struct lwp *, uint64_t deadline);
void	selscan_end(struct lwp *);

void	select_sys_init(void);

#endif /* _SYS_SELECT_H_ */
