/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpfs directories.
 *
 * Each directory indexes its entries twice:
 *
 *  - by name, in a hash table with chaining (FNV-1a of the name) that
 *    doubles when the entries outnumber the buckets and halves when they
 *    drop below a quarter, so a lookup costs O(1) at any size;
 *  - by insertion, in dir_order, an array of (serial, entry) slots sorted
 *    by serial.  Every new entry takes the directory's next serial and is
 *    appended.  A removed entry leaves a hole: its slot keeps the serial
 *    and loses the entry pointer.  Once holes make up half the array, it
 *    is compacted.
 *
 * The serial is the readdir cookie: readdir at cookie c binary-searches
 * for the first slot whose serial is at least c, and each record's d_off
 * is its serial + 1.  Serials are never reused, so a listing that runs
 * while entries come and go sees every entry that exists throughout
 * exactly once, and entries added meanwhile at most once.  "." and ".."
 * have the cookies 0 and 1 and come first.
 *
 * Entries of etfs keys (de_hidden) are found by lookups but skipped by
 * readdir and left out of the directory size.  The size follows Linux's
 * tmpfs: 20 bytes per visible entry plus 40.
 *
 * Memory for the tables and entries is taken without sleeping:
 * rumpfs_dir_reserve makes room for one more entry or fails with ENOSPC
 * before anything changes.  Locking: the directory's vnode lock, shared
 * to read and exclusive to change (see rumpfs_private.h).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/kmem.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "rumpfs_private.h"

#define DIR_MINBUCKETS	8
#define DIR_MINSLOTS	8
#define DIR_ENTRYSIZE	20	/* tmpfs's size of an entry */

/* FNV-1a, 32 bits. */
static uint32_t
rumpfs_namehash(const char *name, size_t len)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619U;
	}
	return h;
}

static size_t
dirent_size(size_t namelen)
{

	return offsetof(struct rumpfs_dirent, de_name) + namelen + 1;
}

uint8_t
rumpfs_vtype_to_dt(enum vtype type)
{

	switch (type) {
	case VREG:
		return DT_REG;
	case VDIR:
		return DT_DIR;
	case VLNK:
		return DT_LNK;
	case VCHR:
		return DT_CHR;
	case VBLK:
		return DT_BLK;
	case VFIFO:
		return DT_FIFO;
	case VSOCK:
		return DT_SOCK;
	default:
		return DT_UNKNOWN;
	}
}

struct rumpfs_dirent *
rumpfs_dir_lookup(struct rumpfs_node *dn, const char *name, size_t len)
{
	struct rumpfs_dir *dir = &dn->rn_dir;
	struct rumpfs_dirent *de;
	uint32_t h;

	if (dir->dir_hash == NULL)
		return NULL;
	h = rumpfs_namehash(name, len);
	for (de = dir->dir_hash[h & dir->dir_hashmask]; de != NULL;
	    de = de->de_hnext) {
		if (de->de_hash == h && de->de_namelen == len &&
		    memcmp(de->de_name, name, len) == 0)
			return de;
	}
	return NULL;
}

/*
 * Move every entry to a new table of nbuckets buckets.  Returns false,
 * changing nothing, when the table cannot be allocated.
 */
static bool
dir_rehash(struct rumpfs_dir *dir, uint32_t nbuckets)
{
	struct rumpfs_dirent **table, *de, *next;
	uint32_t i, oldbuckets = dir->dir_hashmask + 1;

	table = kmem_zalloc(nbuckets * sizeof(*table), KM_NOSLEEP);
	if (table == NULL)
		return false;
	if (dir->dir_hash != NULL) {
		for (i = 0; i < oldbuckets; i++) {
			for (de = dir->dir_hash[i]; de != NULL; de = next) {
				next = de->de_hnext;
				de->de_hnext = table[de->de_hash &
				    (nbuckets - 1)];
				table[de->de_hash & (nbuckets - 1)] = de;
			}
		}
		kmem_free(dir->dir_hash, oldbuckets * sizeof(*table));
	}
	dir->dir_hash = table;
	dir->dir_hashmask = nbuckets - 1;
	return true;
}

/* Squeeze the holes out of dir_order, keeping the serial order. */
static void
dir_compact(struct rumpfs_dir *dir)
{
	uint32_t from, to;

	for (from = to = 0; from < dir->dir_orderlen; from++) {
		if (dir->dir_order[from].ds_entry == NULL)
			continue;
		dir->dir_order[to] = dir->dir_order[from];
		dir->dir_order[to].ds_entry->de_slot = to;
		to++;
	}
	dir->dir_orderlen = to;
	dir->dir_holes = 0;
}

/* Make room for one more entry; ENOSPC when memory is short. */
int
rumpfs_dir_reserve(struct rumpfs_node *dn)
{
	struct rumpfs_dir *dir = &dn->rn_dir;
	struct rumpfs_dirslot *order;
	uint32_t cap;

	KASSERT(dn->rn_type == VDIR);
	if (dir->dir_hash == NULL) {
		if (!dir_rehash(dir, DIR_MINBUCKETS))
			return ENOSPC;
	} else if (dir->dir_count + 1 > dir->dir_hashmask + 1) {
		/* A failed growth only makes the chains longer. */
		(void)dir_rehash(dir, (dir->dir_hashmask + 1) * 2);
	}

	if (dir->dir_orderlen < dir->dir_ordercap)
		return 0;
	if (dir->dir_holes > 0 && dir->dir_holes >= dir->dir_orderlen / 2) {
		dir_compact(dir);
		return 0;
	}
	if (dir->dir_ordercap > UINT_MAX / 2)
		return ENOSPC;
	cap = dir->dir_ordercap == 0 ? DIR_MINSLOTS : dir->dir_ordercap * 2;
	order = kmem_alloc(cap * sizeof(*order), KM_NOSLEEP);
	if (order == NULL)
		return ENOSPC;
	if (dir->dir_order != NULL) {
		memcpy(order, dir->dir_order,
		    dir->dir_orderlen * sizeof(*order));
		kmem_free(dir->dir_order, dir->dir_ordercap * sizeof(*order));
	}
	dir->dir_order = order;
	dir->dir_ordercap = cap;
	return 0;
}

/*
 * Add the entry name -> rn to directory dn.  The caller has checked that
 * the name is free, and keeps the link counts and times.
 */
int
rumpfs_dir_enter(struct rumpfs_node *dn, const char *name, size_t len,
    struct rumpfs_node *rn, bool hidden)
{
	struct rumpfs_dir *dir = &dn->rn_dir;
	struct rumpfs_dirent *de;
	uint32_t bucket;
	int error;

	KASSERT(len > 0 && len <= NAME_MAX);
	error = rumpfs_dir_reserve(dn);
	if (error != 0)
		return error;
	de = kmem_alloc(dirent_size(len), KM_NOSLEEP);
	if (de == NULL)
		return ENOSPC;

	de->de_node = rn;
	de->de_hash = rumpfs_namehash(name, len);
	de->de_namelen = (uint16_t)len;
	de->de_hidden = hidden;
	memcpy(de->de_name, name, len);
	de->de_name[len] = '\0';

	bucket = de->de_hash & dir->dir_hashmask;
	de->de_hnext = dir->dir_hash[bucket];
	dir->dir_hash[bucket] = de;

	de->de_serial = dir->dir_nextserial++;
	de->de_slot = dir->dir_orderlen;
	dir->dir_order[dir->dir_orderlen].ds_serial = de->de_serial;
	dir->dir_order[dir->dir_orderlen].ds_entry = de;
	dir->dir_orderlen++;

	dir->dir_count++;
	if (!hidden)
		dir->dir_visible++;
	if (rn->rn_type == VDIR)
		rn->rn_dir.dir_parent = dn;
	return 0;
}

/* Take entry de out of directory dn and free it. */
void
rumpfs_dir_detach(struct rumpfs_node *dn, struct rumpfs_dirent *de)
{
	struct rumpfs_dir *dir = &dn->rn_dir;
	struct rumpfs_dirent **dep;
	uint32_t nbuckets;

	for (dep = &dir->dir_hash[de->de_hash & dir->dir_hashmask];
	    *dep != de; dep = &(*dep)->de_hnext)
		KASSERT(*dep != NULL);
	*dep = de->de_hnext;

	KASSERT(dir->dir_order[de->de_slot].ds_entry == de);
	dir->dir_order[de->de_slot].ds_entry = NULL;
	dir->dir_holes++;
	dir->dir_count--;
	if (!de->de_hidden)
		dir->dir_visible--;
	kmem_free(de, dirent_size(de->de_namelen));

	if (dir->dir_holes > DIR_MINSLOTS &&
	    dir->dir_holes >= dir->dir_orderlen / 2)
		dir_compact(dir);
	nbuckets = dir->dir_hashmask + 1;
	if (nbuckets > DIR_MINBUCKETS && dir->dir_count < nbuckets / 4)
		(void)dir_rehash(dir, nbuckets / 2);
}

bool
rumpfs_dir_empty(struct rumpfs_node *dn)
{

	return dn->rn_dir.dir_count == 0;
}

uint64_t
rumpfs_dir_size(struct rumpfs_node *dn)
{

	return 2 * DIR_ENTRYSIZE +
	    (uint64_t)dn->rn_dir.dir_visible * DIR_ENTRYSIZE;
}

/* Index of the first slot whose serial is at least cookie. */
static uint32_t
dir_seek(const struct rumpfs_dir *dir, uint64_t cookie)
{
	uint32_t lo = 0, hi = dir->dir_orderlen, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dir->dir_order[mid].ds_serial < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
rumpfs_dir_read(struct rumpfs_node *dn, struct uio *uio, int *eofflag)
{
	struct rumpfs_dir *dir = &dn->rn_dir;
	struct rumpfs_dirent *de;
	uint64_t cookie;
	uint32_t slot;
	size_t startresid = uio->uio_resid;
	int error = 0;

	*eofflag = 0;
	if (uio->uio_offset < 0)
		return EINVAL;
	cookie = (uint64_t)uio->uio_offset;

	if (cookie == RUMPFS_COOKIE_DOT) {
		error = vfs_dirent_emit(uio, dn->rn_ino, ".", 1, DT_DIR,
		    RUMPFS_COOKIE_DOTDOT);
		if (error != 0)
			goto out;
		cookie = RUMPFS_COOKIE_DOTDOT;
	}
	if (cookie == RUMPFS_COOKIE_DOTDOT) {
		error = vfs_dirent_emit(uio, dir->dir_parent->rn_ino, "..", 2,
		    DT_DIR, RUMPFS_COOKIE_FIRST);
		if (error != 0)
			goto out;
		cookie = RUMPFS_COOKIE_FIRST;
	}

	for (slot = dir_seek(dir, cookie); slot < dir->dir_orderlen; slot++) {
		de = dir->dir_order[slot].ds_entry;
		if (de == NULL || de->de_hidden)
			continue;
		error = vfs_dirent_emit(uio, de->de_node->rn_ino, de->de_name,
		    de->de_namelen, rumpfs_vtype_to_dt(de->de_node->rn_type),
		    de->de_serial + 1);
		if (error != 0)
			goto out;
	}
	*eofflag = 1;

out:
	/* A record that does not fit ends the read: EINVAL if it is the first. */
	if (error == ENOSPC)
		error = uio->uio_resid == startresid ? EINVAL : 0;
	return error;
}

/*
 * Free the directory's entries (only an unmount leaves any) and its
 * tables.  The nodes the entries name are not touched.
 */
void
rumpfs_dir_free(struct rumpfs_node *dn)
{
	struct rumpfs_dir *dir = &dn->rn_dir;
	struct rumpfs_dirent *de;
	uint32_t slot;

	for (slot = 0; slot < dir->dir_orderlen; slot++) {
		de = dir->dir_order[slot].ds_entry;
		if (de != NULL)
			kmem_free(de, dirent_size(de->de_namelen));
	}
	dir->dir_count = dir->dir_visible = 0;
	if (dir->dir_hash != NULL)
		kmem_free(dir->dir_hash,
		    (dir->dir_hashmask + 1) * sizeof(*dir->dir_hash));
	if (dir->dir_order != NULL)
		kmem_free(dir->dir_order,
		    dir->dir_ordercap * sizeof(*dir->dir_order));
	dir->dir_hash = NULL;
	dir->dir_order = NULL;
	dir->dir_hashmask = 0;
	dir->dir_orderlen = dir->dir_ordercap = dir->dir_holes = 0;
}
