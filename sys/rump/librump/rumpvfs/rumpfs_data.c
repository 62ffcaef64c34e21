/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpfs file data: sparse files in pages.
 *
 * A regular file's data is a set of PAGE_SIZE pages indexed by page
 * number (offset / PAGE_SIZE) in a radix tree of RUMPFS_RADIX_FANOUT
 * slots per interior node (struct rumpfs_pages).  The tree grows in
 * height as the highest page index grows, so a file of a few pages has
 * one interior node or none, and a 256 MiB file three levels of them.
 * A missing page is a hole: it reads as zeroes, costs nothing and is
 * what SEEK_HOLE finds.  Pages are allocated on the first write to them
 * (or by fallocate) and freed by truncation and when the file goes.
 *
 * Invariant: every byte of the file's pages at or beyond rn_size is
 * zero.  A page made by a write is zeroed outside the written range, and
 * truncation zeroes the tail of the new last page, so growing a file
 * never exposes old data.
 *
 * Memory.  Every page and interior node is allocated without sleeping
 * (KM_NOSLEEP) and counted against the mount's size= limit, so a full
 * kernel (RUMP_MEMLIMIT) or a full mount makes the write fail with
 * ENOSPC instead of waiting or panicking.  Pages come from the page
 * arena below, which carves them from large anonymous mappings, not from
 * kmem_page_alloc: glibc 2.36's posix_memalign pads each aligned 4 KiB
 * block with about a page, so a loop of them on x86-64 took twice the
 * resident memory of the data.
 *
 * Locking: the caller holds the vnode lock, shared for reads and
 * exclusive for everything that changes the tree, so the tree itself
 * needs no lock and reads take none.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "rumpfs_private.h"

struct rumpfs_radix_node {
	void	*rr_slots[RUMPFS_RADIX_FANOUT];
};

/*
 * Memory that file data leaves to the rest of the kernel under a memory
 * limit: a sixteenth of the limit, at most RUMPFS_RESERVE_MAX.  Without
 * it a full file system would make every other allocation (a path
 * buffer for the unlink that would free memory) wait for memory first.
 */
#define RUMPFS_RESERVE_MAX	(16 * 1024 * 1024)

/* Returned by the searches when nothing was found. */
#define RADIX_NONE	UINT64_MAX

/* Only read transfers use it, so it stays zero. */
static char rumpfs_zeroes[PAGE_SIZE];

/* Pages covered by a subtree of the given height. */
static inline uint64_t
radix_span(u_int height)
{

	return (uint64_t)1 << (RUMPFS_RADIX_SHIFT * height);
}

static inline u_int
radix_index(uint64_t idx, u_int level)
{

	return (idx >> (RUMPFS_RADIX_SHIFT * level)) & (RUMPFS_RADIX_FANOUT - 1);
}

uint64_t
rumpfs_kmem_reserve(void)
{

	return MIN(kmem_limit() / 16, RUMPFS_RESERVE_MAX);
}

/*
 * The page arena.  File pages are carved from chunks of
 * RUMPFS_CHUNK_SIZE bytes of anonymous memory, each mapped at an address
 * aligned to its size so that a page finds its chunk by masking.  The
 * first page of a chunk contains its header.  A chunk hands out the pages
 * freed into it first and then, in address order, the pages it has never
 * handed out ("untouched").  A page is charged to kmem when it is first
 * handed out and stays charged while it is free, because it stays
 * resident: the host has no call to take back part of a mapping.
 *
 * A chunk whose pages are all free is kept for reuse while fewer than
 * rumpfs_arena_keep chunks are, and unmapped otherwise, which gives its
 * whole charge back.  The kept ones are unmapped by a kmem reclaim hook
 * when kernel memory runs short.  Free pages are memory that file data
 * can reuse without a charge, so the limit checks of rumpfs do not count
 * them as used (rumpfs_kmem_inuse).
 *
 * Why not kmem_alloc per page: the host makes fresh anonymous memory
 * resident a page at a time on first touch in either case, but a host
 * malloc of a page plus a header straddles two host pages and costs its
 * own bookkeeping.  On a 2-core x86-64 VM (bench/bench_vfs, 64 MiB
 * files written in 4 KiB calls) a write took 2.5 us that way and 0.7 us
 * from the arena, because the kept chunks are resident already.  Memory
 * the process has not touched before costs a host page fault per page
 * either way, and that bounds the write of a new large file: 0.6 to
 * 1 GiB/s on that VM, as for the same loop in a plain host program.
 *
 * NOTE: a chunk with one live page keeps all its touched pages resident
 * and charged; the reclaim hook frees only whole chunks.  And with the
 * host's transparent huge pages set to "always", the first touch of an
 * aligned chunk may make all of its 2 MiB resident, while only the pages
 * handed out are charged.
 */
#define RUMPFS_CHUNK_SHIFT	21
#define RUMPFS_CHUNK_SIZE	((size_t)1 << RUMPFS_CHUNK_SHIFT)
#define RUMPFS_CHUNK_PAGES	(RUMPFS_CHUNK_SIZE / PAGE_SIZE)

/*
 * Empty chunks kept: 64 MiB, or an eighth of the memory limit.  On the
 * VM above, keeping 16 MiB left a 4 KiB write at 2.0 us when 64 MiB
 * files were written and removed in turn.
 * TODO: release kept chunks after some idle time, as malloc
 * implementations decay their free memory, in place of a fixed count.
 */
#define RUMPFS_CHUNK_CACHE	32

/* The header, in the first page of each chunk. */
struct rumpfs_chunk {
	TAILQ_ENTRY(rumpfs_chunk) rc_entries; /* (a) on rumpfs_chunks */
	void	*rc_free;	/* (a) freed pages, linked by first word */
	u_int	 rc_touched;	/* (a) pages charged, the header too */
	u_int	 rc_live;	/* (a) pages handed out and not freed */
	bool	 rc_listed;	/* (a) on rumpfs_chunks */
};
CTASSERT(sizeof(struct rumpfs_chunk) <= PAGE_SIZE);

/*
 * (a): rumpfs_arena_lock, a leaf lock: nothing is called with it held
 * that allocates or takes another lock.  rumpfs_chunks lists the chunks
 * that have a free or an untouched page.  A chunk that gets a free page
 * goes to the head and a new one to the tail, so freed pages are used
 * before untouched ones, and at most one chunk at a time usually has
 * untouched pages.
 */
static kmutex_t rumpfs_arena_lock;
static TAILQ_HEAD(, rumpfs_chunk) rumpfs_chunks =
    TAILQ_HEAD_INITIALIZER(rumpfs_chunks);
static u_int rumpfs_arena_empty;	/* (a) chunks with no live page */
static volatile uint64_t rumpfs_arena_idle; /* (a), also read atomically:
					   bytes of free pages */
static u_int rumpfs_arena_keep;		/* (c) empty chunks kept */
static struct kmem_reclaimer rumpfs_arena_reclaimer;

static size_t rumpfs_arena_reclaim(void *, size_t);

void
rumpfs_data_init(void)
{

	mutex_init(&rumpfs_arena_lock, MUTEX_DEFAULT, IPL_NONE);
	rumpfs_arena_keep = RUMPFS_CHUNK_CACHE;
	if (kmem_limit() != 0)
		rumpfs_arena_keep = MIN(rumpfs_arena_keep,
		    kmem_limit() / 8 / RUMPFS_CHUNK_SIZE);
	rumpfs_arena_reclaimer.kr_reclaim = rumpfs_arena_reclaim;
	rumpfs_arena_reclaimer.kr_arg = NULL;
	kmem_reclaimer_register(&rumpfs_arena_reclaimer);
}

/* Kernel memory in use, less the free pages that file data can reuse. */
uint64_t
rumpfs_kmem_inuse(void)
{
	uint64_t inuse = kmem_inuse();
	uint64_t idle = atomic_load_relaxed(&rumpfs_arena_idle);

	return inuse > idle ? inuse - idle : 0;
}

static inline struct rumpfs_chunk *
rumpfs_chunk_of(void *page)
{

	return (struct rumpfs_chunk *)((uintptr_t)page &
	    ~(uintptr_t)(RUMPFS_CHUNK_SIZE - 1));
}

/*
 * Take a freed page of a listed chunk or, if there is none and the
 * caller has charged a page (charged), an untouched one.  *freshp is
 * set when the page is an untouched one.  NULL when there is neither.
 */
static void *
rumpfs_arena_take_locked(bool charged, bool *freshp)
{
	struct rumpfs_chunk *rc;
	void *page = NULL;

	KASSERT(mutex_owned(&rumpfs_arena_lock));
	*freshp = false;
	TAILQ_FOREACH(rc, &rumpfs_chunks, rc_entries) {
		if (rc->rc_free != NULL) {
			page = rc->rc_free;
			rc->rc_free = *(void **)page;
			rumpfs_arena_idle -= PAGE_SIZE;
			break;
		}
	}
	if (page == NULL && charged) {
		TAILQ_FOREACH(rc, &rumpfs_chunks, rc_entries) {
			if (rc->rc_touched < RUMPFS_CHUNK_PAGES) {
				page = (char *)rc + rc->rc_touched * PAGE_SIZE;
				rc->rc_touched++;
				*freshp = true;
				break;
			}
		}
	}
	if (page == NULL)
		return NULL;

	if (rc->rc_live++ == 0)
		rumpfs_arena_empty--;
	if (rc->rc_free == NULL && rc->rc_touched == RUMPFS_CHUNK_PAGES) {
		TAILQ_REMOVE(&rumpfs_chunks, rc, rc_entries);
		rc->rc_listed = false;
	}
	return page;
}

/*
 * Map a chunk, charge its header page and put it at the tail of the
 * list.  false when the host or the kernel has no room.
 */
static bool
rumpfs_arena_grow(void)
{
	struct rumpfs_chunk *rc;

	if (!kmem_charge_bytes(PAGE_SIZE, KM_NOSLEEP))
		return false;
	rc = kmem_anon_map(RUMPFS_CHUNK_SIZE, RUMPFS_CHUNK_SHIFT);
	if (rc == NULL) {
		kmem_uncharge_bytes(PAGE_SIZE);
		return false;
	}
	rc->rc_free = NULL;
	rc->rc_touched = 1;
	rc->rc_live = 0;
	rc->rc_listed = true;

	mutex_enter(&rumpfs_arena_lock);
	TAILQ_INSERT_TAIL(&rumpfs_chunks, rc, rc_entries);
	rumpfs_arena_empty++;
	mutex_exit(&rumpfs_arena_lock);
	return true;
}

/*
 * Take an empty chunk off the list and return the bytes charged for it.
 * The caller unmaps it and uncharges them after dropping the lock.
 */
static size_t
rumpfs_arena_detach_locked(struct rumpfs_chunk *rc)
{

	KASSERT(mutex_owned(&rumpfs_arena_lock));
	KASSERT(rc->rc_live == 0 && rc->rc_listed);
	TAILQ_REMOVE(&rumpfs_chunks, rc, rc_entries);
	rumpfs_arena_empty--;
	rumpfs_arena_idle -= (uint64_t)(rc->rc_touched - 1) * PAGE_SIZE;
	return (size_t)rc->rc_touched * PAGE_SIZE;
}

/*
 * Allocate a page from the arena, its content undefined.  A fresh page
 * is charged to kmem outside the arena lock, because charging may call
 * reclaim hooks, this arena's among them.
 */
static void *
rumpfs_arena_alloc(void)
{
	void *page;
	bool fresh;

	mutex_enter(&rumpfs_arena_lock);
	page = rumpfs_arena_take_locked(false, &fresh);
	mutex_exit(&rumpfs_arena_lock);
	if (page != NULL)
		return page;

	if (!kmem_charge_bytes(PAGE_SIZE, KM_NOSLEEP))
		return NULL;
	for (;;) {
		mutex_enter(&rumpfs_arena_lock);
		page = rumpfs_arena_take_locked(true, &fresh);
		mutex_exit(&rumpfs_arena_lock);
		if (page != NULL)
			break;
		if (!rumpfs_arena_grow()) {
			kmem_uncharge_bytes(PAGE_SIZE);
			return NULL;
		}
	}

	/* A page freed since the first try was charged already. */
	if (!fresh)
		kmem_uncharge_bytes(PAGE_SIZE);
	return page;
}

/*
 * Free a page into its chunk.  A chunk left empty is unmapped when
 * rumpfs_arena_keep empty ones are kept already.
 */
static void
rumpfs_arena_free(void *page)
{
	struct rumpfs_chunk *rc = rumpfs_chunk_of(page);
	size_t charged = 0;

	KASSERT(((uintptr_t)page & PAGE_MASK) == 0);
	KASSERT((void *)rc != page);

	mutex_enter(&rumpfs_arena_lock);
	KASSERT(rc->rc_live > 0);
	KASSERT((char *)page < (char *)rc + rc->rc_touched * PAGE_SIZE);
	*(void **)page = rc->rc_free;
	rc->rc_free = page;
	rumpfs_arena_idle += PAGE_SIZE;
	if (!rc->rc_listed) {
		TAILQ_INSERT_HEAD(&rumpfs_chunks, rc, rc_entries);
		rc->rc_listed = true;
	}
	if (--rc->rc_live == 0) {
		rumpfs_arena_empty++;
		if (rumpfs_arena_empty > rumpfs_arena_keep)
			charged = rumpfs_arena_detach_locked(rc);
	}
	mutex_exit(&rumpfs_arena_lock);

	if (charged != 0) {
		kmem_anon_unmap(rc, RUMPFS_CHUNK_SIZE);
		kmem_uncharge_bytes(charged);
	}
}

/*
 * Unmap empty chunks until want bytes are uncharged or none is left,
 * and return the bytes uncharged: the kmem reclaim hook.  Each chunk is
 * unmapped after the lock is dropped.
 */
static size_t
rumpfs_arena_reclaim(void *arg, size_t want)
{
	struct rumpfs_chunk *rc;
	size_t charged, freed = 0;

	(void)arg;
	while (freed < want) {
		mutex_enter(&rumpfs_arena_lock);
		TAILQ_FOREACH(rc, &rumpfs_chunks, rc_entries)
			if (rc->rc_live == 0)
				break;
		charged = rc != NULL ? rumpfs_arena_detach_locked(rc) : 0;
		mutex_exit(&rumpfs_arena_lock);
		if (rc == NULL)
			break;
		kmem_anon_unmap(rc, RUMPFS_CHUNK_SIZE);
		kmem_uncharge_bytes(charged);
		freed += charged;
	}
	return freed;
}

/*
 * Allocate a page of file data, charged to the mount.  NULL when the
 * mount or the kernel is out of memory.  The content is undefined.
 */
void *
rumpfs_page_alloc(struct rumpfs_mount *rm)
{
	uint64_t max = atomic_load_relaxed(&rm->rm_maxpages);
	void *page;

	if (kmem_limit() != 0 && rumpfs_kmem_inuse() + PAGE_SIZE >
	    kmem_limit() - rumpfs_kmem_reserve())
		return NULL;
	if (atomic_add_64_nv(&rm->rm_npages, 1) > max && max != 0) {
		atomic_add_64(&rm->rm_npages, -1);
		return NULL;
	}
	page = rumpfs_arena_alloc();
	if (page == NULL)
		atomic_add_64(&rm->rm_npages, -1);
	return page;
}

void
rumpfs_page_free(struct rumpfs_mount *rm, void *page)
{

	rumpfs_arena_free(page);
	atomic_add_64(&rm->rm_npages, -1);
}

/* The page at idx, or NULL for a hole. */
static inline void *
radix_lookup(const struct rumpfs_pages *rp, uint64_t idx)
{
	void *node = rp->rp_root;
	u_int level;

	if (idx >= radix_span(rp->rp_height))
		return NULL;
	for (level = rp->rp_height; level > 0 && node != NULL; level--)
		node = ((struct rumpfs_radix_node *)node)->
		    rr_slots[radix_index(idx, level - 1)];
	return node;
}

/*
 * The slot of page idx, making the interior nodes on the way.  ENOSPC
 * when a node cannot be allocated; the nodes already made stay, empty.
 */
static int
radix_slot(struct rumpfs_pages *rp, uint64_t idx, void ***slotp)
{
	struct rumpfs_radix_node *rr;
	void **slot;
	u_int level;

	/* Grow: the old tree becomes the first subtree of a new root. */
	while (idx >= radix_span(rp->rp_height)) {
		KASSERT(rp->rp_height < RUMPFS_RADIX_MAXHEIGHT);
		if (rp->rp_root != NULL) {
			rr = kmem_zalloc(sizeof(*rr), KM_NOSLEEP);
			if (rr == NULL)
				return ENOSPC;
			rr->rr_slots[0] = rp->rp_root;
			rp->rp_root = rr;
		}
		rp->rp_height++;
	}

	slot = &rp->rp_root;
	for (level = rp->rp_height; level > 0; level--) {
		if (*slot == NULL) {
			*slot = kmem_zalloc(sizeof(*rr), KM_NOSLEEP);
			if (*slot == NULL)
				return ENOSPC;
		}
		rr = *slot;
		slot = &rr->rr_slots[radix_index(idx, level - 1)];
	}
	*slotp = slot;
	return 0;
}

/*
 * Free the pages of the subtree at *slotp (of the given height, first
 * page index base) whose index is in [lo, hi), and the interior nodes
 * left empty.
 */
static void
radix_trim(struct rumpfs_mount *rm, struct rumpfs_pages *rp, void **slotp,
    u_int height, uint64_t base, uint64_t lo, uint64_t hi)
{
	struct rumpfs_radix_node *rr = *slotp;
	uint64_t span, childspan;
	u_int i;
	bool empty;

	span = radix_span(height);
	if (rr == NULL || base + span <= lo || base >= hi)
		return;
	if (height == 0) {
		rumpfs_page_free(rm, *slotp);
		*slotp = NULL;
		rp->rp_count--;
		return;
	}

	childspan = radix_span(height - 1);
	empty = true;
	for (i = 0; i < RUMPFS_RADIX_FANOUT; i++) {
		radix_trim(rm, rp, &rr->rr_slots[i], height - 1,
		    base + i * childspan, lo, hi);
		if (rr->rr_slots[i] != NULL)
			empty = false;
	}
	if (empty) {
		kmem_free(rr, sizeof(*rr));
		*slotp = NULL;
	}
}

static void
radix_free_range(struct rumpfs_mount *rm, struct rumpfs_pages *rp,
    uint64_t lo, uint64_t hi)
{

	radix_trim(rm, rp, &rp->rp_root, rp->rp_height, 0, lo, hi);
	if (rp->rp_root == NULL)
		rp->rp_height = 0;
}

/*
 * The first page index at or after from, in the subtree node of the
 * given height whose first index is base, that is present (data) or
 * missing (!data); RADIX_NONE when the subtree has none.
 */
static uint64_t
radix_find(void *node, u_int height, uint64_t base, uint64_t from,
    bool data)
{
	struct rumpfs_radix_node *rr = node;
	uint64_t childspan, r;
	u_int i;

	if (base + radix_span(height) <= from)
		return RADIX_NONE;
	if (node == NULL)
		return data ? RADIX_NONE : MAX(base, from);
	if (height == 0)
		return data ? base : RADIX_NONE;

	childspan = radix_span(height - 1);
	i = from > base ? (from - base) / childspan : 0;
	for (; i < RUMPFS_RADIX_FANOUT; i++) {
		r = radix_find(rr->rr_slots[i], height - 1,
		    base + i * childspan, from, data);
		if (r != RADIX_NONE)
			return r;
	}
	return RADIX_NONE;
}

int
rumpfs_data_read(struct rumpfs_node *rn, struct uio *uio)
{
	uint64_t off, size = rn->rn_size;
	size_t pgoff, n;
	char *page;
	int error = 0;

	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		pgoff = off & PAGE_MASK;
		n = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
		n = MIN(n, size - off);
		page = radix_lookup(&rn->rn_pages, off >> PAGE_SHIFT);
		if (page == NULL)
			page = rumpfs_zeroes;
		error = uiomove(page + pgoff, n, uio);
		if (error != 0)
			break;
	}
	return error;
}

/*
 * Write uio into the file at uio_offset, growing it as needed, and store
 * the number of bytes written.  On an error the bytes before it stay
 * written.  The caller checks the offset and the size limit.
 */
int
rumpfs_data_write(struct rumpfs_node *rn, struct uio *uio, int ioflag,
    size_t *writtenp)
{
	struct rumpfs_mount *rm = rn->rn_mount;
	struct rumpfs_pages *rp = &rn->rn_pages;
	uint64_t off;
	size_t pgoff, n, moved, before;
	void **slot;
	char *page;
	bool fresh;
	int error = 0;

	*writtenp = 0;
	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		pgoff = off & PAGE_MASK;
		n = MIN(PAGE_SIZE - pgoff, uio->uio_resid);

		error = radix_slot(rp, off >> PAGE_SHIFT, &slot);
		if (error != 0)
			break;
		page = *slot;
		fresh = page == NULL;
		if (fresh) {
			page = rumpfs_page_alloc(rm);
			if (page == NULL) {
				error = ENOSPC;
				break;
			}
			/* Zero what this step does not overwrite. */
			if (pgoff != 0)
				memset(page, 0, pgoff);
			if (pgoff + n != PAGE_SIZE)
				memset(page + pgoff + n, 0,
				    PAGE_SIZE - pgoff - n);
		}

		before = uio->uio_resid;
		error = uiomove(page + pgoff, n, uio);
		moved = before - uio->uio_resid;
		if (fresh) {
			if (moved == 0) {
				rumpfs_page_free(rm, page);
			} else {
				if (moved < n)
					memset(page + pgoff + moved, 0,
					    n - moved);
				*slot = page;
				rp->rp_count++;
			}
		}
		*writtenp += moved;
		if (off + moved > rn->rn_size)
			rn->rn_size = off + moved;
		if (error != 0)
			break;
	}
	return error;
}

/* Set the size, freeing the pages past it or extending with a hole. */
int
rumpfs_data_truncate(struct rumpfs_node *rn, uint64_t size)
{
	struct rumpfs_pages *rp = &rn->rn_pages;
	uint64_t pgoff;
	char *page;

	if (size < rn->rn_size) {
		radix_free_range(rn->rn_mount, rp, howmany(size, PAGE_SIZE),
		    RADIX_NONE);
		pgoff = size & PAGE_MASK;
		page = pgoff != 0 ? radix_lookup(rp, size >> PAGE_SHIFT) :
		    NULL;
		if (page != NULL)
			memset(page + pgoff, 0, PAGE_SIZE - pgoff);
	}
	rn->rn_size = size;
	return 0;
}

/*
 * Make every page of [off, off + len) present, zeroed where new.  All
 * or nothing: the missing pages are allocated first, and on ENOSPC they
 * are given back and the file is unchanged (interior nodes made on the
 * way may stay, empty).  The size does not change here.
 */
int
rumpfs_data_allocate(struct rumpfs_node *rn, uint64_t off, uint64_t len)
{
	struct rumpfs_mount *rm = rn->rn_mount;
	struct rumpfs_pages *rp = &rn->rn_pages;
	uint64_t first, last, idx;
	void **slot, *list, *page;
	int error;

	KASSERT(len > 0);
	first = off >> PAGE_SHIFT;
	last = (off + len - 1) >> PAGE_SHIFT;

	/*
	 * Pass 1: make the slots and a list of one new page per hole, the
	 * list linked through the first word of each page.
	 */
	list = NULL;
	error = 0;
	for (idx = first; idx <= last; idx++) {
		error = radix_slot(rp, idx, &slot);
		if (error != 0)
			break;
		if (*slot != NULL)
			continue;
		page = rumpfs_page_alloc(rm);
		if (page == NULL) {
			error = ENOSPC;
			break;
		}
		*(void **)page = list;
		list = page;
	}
	if (error != 0) {
		while (list != NULL) {
			page = list;
			list = *(void **)page;
			rumpfs_page_free(rm, page);
		}
		return error;
	}

	/* Pass 2: fill the holes; the slots exist now. */
	for (idx = first; idx <= last && list != NULL; idx++) {
		error = radix_slot(rp, idx, &slot);
		KASSERT(error == 0);
		if (*slot != NULL)
			continue;
		page = list;
		list = *(void **)page;
		memset(page, 0, PAGE_SIZE);
		*slot = page;
		rp->rp_count++;
	}
	KASSERT(list == NULL);
	return 0;
}

/*
 * SEEK_DATA and SEEK_HOLE at page granularity, as Linux's tmpfs: data
 * is every present page (written or fallocated), a hole every missing
 * one, and the end of the file is a hole.  ENXIO at or past the end.
 */
int
rumpfs_data_seek(struct rumpfs_node *rn, off_t off, int whence,
    off_t *resultp)
{
	struct rumpfs_pages *rp = &rn->rn_pages;
	uint64_t size = rn->rn_size, idx, last, found, pos;

	if (off < 0 || (uint64_t)off >= size)
		return ENXIO;
	idx = (uint64_t)off >> PAGE_SHIFT;
	last = (size - 1) >> PAGE_SHIFT;

	switch (whence) {
	case SEEK_DATA:
		found = radix_find(rp->rp_root, rp->rp_height, 0, idx, true);
		if (found == RADIX_NONE || found > last)
			return ENXIO;
		pos = MAX((uint64_t)off, found << PAGE_SHIFT);
		break;
	case SEEK_HOLE:
		/* Past the tree's reach every page is a hole. */
		if (idx >= radix_span(rp->rp_height))
			found = idx;
		else
			found = radix_find(rp->rp_root, rp->rp_height, 0, idx,
			    false);
		if (found == RADIX_NONE || found > last)
			pos = size;
		else
			pos = MAX((uint64_t)off, found << PAGE_SHIFT);
		break;
	default:
		return EINVAL;
	}
	*resultp = (off_t)pos;
	return 0;
}

void
rumpfs_data_free(struct rumpfs_node *rn)
{

	radix_free_range(rn->rn_mount, &rn->rn_pages, 0, RADIX_NONE);
	KASSERT(rn->rn_pages.rp_count == 0);
}
