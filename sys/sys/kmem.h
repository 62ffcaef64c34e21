/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel memory allocation.
 *
 * kmem_free must be given the size that was allocated; DIAGNOSTIC kernels
 * check it and panic on a mismatch.  KM_SLEEP allocations do not fail:
 * when the memory limit (RUMP_MEMLIMIT) is reached they ask the reclaim
 * hooks to give memory back and wait until enough is free, but at most
 * two seconds; after that they exceed the limit and a warning is logged.
 * KM_NOSLEEP allocations return NULL instead of waiting; code that can
 * report ENOMEM should prefer them for large or caller-sized requests.
 *
 * Reclaim hooks are called with no lock held, from the allocating thread
 * or the memory reclaimer, and return the number of bytes they freed.
 */

#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

typedef unsigned int km_flag_t;
#define KM_SLEEP	0x01
#define KM_NOSLEEP	0x02

void	*kmem_alloc(size_t, km_flag_t);
void	*kmem_zalloc(size_t, km_flag_t);
void	 kmem_free(void *, size_t);
void	*kmem_intr_alloc(size_t, km_flag_t);
void	*kmem_intr_zalloc(size_t, km_flag_t);
void	 kmem_intr_free(void *, size_t);
char	*kmem_strdup(const char *, km_flag_t);
void	 kmem_strfree(char *);

/* Page-aligned allocations for bulk data (file pages, buffers). */
void	*kmem_page_alloc(size_t, km_flag_t);
void	 kmem_page_free(void *, size_t);

/*
 * Address space for allocators that hand out pieces of it themselves:
 * a mapping of anonymous memory, zero-filled, aligned to 2^alignshift
 * bytes (page-aligned for 0).  The host makes a page resident only when
 * it is first touched, so mapping charges nothing: the caller charges
 * each page with kmem_charge_bytes before it touches it, and uncharges
 * all charged pages when it unmaps.  NULL when the host has no room.
 */
void	*kmem_anon_map(size_t, u_int alignshift);
void	 kmem_anon_unmap(void *, size_t);
bool	 kmem_charge_bytes(size_t, km_flag_t);	/* false: KM_NOSLEEP and
						   the limit is reached */
void	 kmem_uncharge_bytes(size_t);

struct kmem_reclaimer {
	size_t	(*kr_reclaim)(void *, size_t);	/* (arg, bytes wanted) */
	void	*kr_arg;
	struct kmem_reclaimer *kr_next;		/* kernel's */
};
void	kmem_reclaimer_register(struct kmem_reclaimer *);
void	kmem_reclaimer_unregister(struct kmem_reclaimer *);

/* Memory accounting, in bytes. */
uint64_t kmem_inuse(void);
uint64_t kmem_limit(void);		/* 0 when unlimited */
bool	 kmem_under_pressure(void);

#endif /* _SYS_KMEM_H_ */
