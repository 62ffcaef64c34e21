/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel reader/writer locks.  Any number of readers or one writer.  A
 * thread that must wait gives up its virtual CPU.  rw_tryenter and
 * rw_tryupgrade return non-zero on success; rw_tryupgrade succeeds only
 * for the sole reader.  rw_downgrade turns the caller's write hold into a
 * read hold without letting another writer in.
 */

#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

typedef enum krw {
	RW_READER = 0,
	RW_WRITER = 1
} krw_t;

typedef struct krwlock {
	void	*rw_impl;		/* hypervisor lock, fixed at init */
} krwlock_t;

void	rw_init(krwlock_t *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, krw_t);
int	rw_tryenter(krwlock_t *, krw_t);
void	rw_exit(krwlock_t *);
int	rw_tryupgrade(krwlock_t *);
void	rw_downgrade(krwlock_t *);
int	rw_lock_held(krwlock_t *);	/* read- or write-held by anyone */
int	rw_write_held(krwlock_t *);	/* write-held by curlwp */
int	rw_read_held(krwlock_t *);	/* read-held by anyone */

#endif /* _SYS_RWLOCK_H_ */
