/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpfs internals shared by rumpfs.c (mount and vnode operations),
 * rumpfs_data.c (file data), rumpfs_dir.c (directories) and etfs.c
 * (host files in the namespace).
 *
 * Locking legend for the structures below:
 *	(v)	the vnode lock of the node's vnode: shared to read, exclusive
 *		to change.  A node without a vnode is reached only by code
 *		that holds the vnode lock of its directory exclusive, or
 *		before its mount is visible.
 *	(d)	the vnode lock of the directory that holds the entry
 *	(t)	rn_timelock
 *	(m)	rm_lock
 *	(a)	atomic
 *	(c)	fixed at creation
 * Lock order: vnode locks, then etfs_lock, then et_lock, then rm_lock,
 * then rn_timelock.
 */

#ifndef _RUMPVFS_RUMPFS_PRIVATE_H_
#define _RUMPVFS_RUMPFS_PRIVATE_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <sys/vnode.h>

struct mount;
struct uio;
struct etfs;

/* Nothing declared below is exported from the shared library. */
#pragma GCC visibility push(hidden)

/*
 * File data: pages of PAGE_SIZE bytes in a radix tree keyed by page
 * index, RUMPFS_RADIX_SHIFT bits per level.  A tree of height 0 has
 * at most the page of index 0, in rp_root itself, so a small file costs
 * no interior node.  A missing page is a hole and reads as zeroes.
 */
#define RUMPFS_RADIX_SHIFT	6
#define RUMPFS_RADIX_FANOUT	(1U << RUMPFS_RADIX_SHIFT)
#define RUMPFS_RADIX_MAXHEIGHT	9	/* 54 bits of page index */

struct rumpfs_pages {
	void		*rp_root;	/* (v) page or interior node */
	u_int		 rp_height;	/* (v) interior levels */
	uint64_t	 rp_count;	/* (v) pages present */
};

/*
 * A directory entry.  de_serial orders the entries by insertion and is
 * the readdir cookie; serials are never reused within a directory.
 */
struct rumpfs_dirent {
	struct rumpfs_dirent *de_hnext;	/* (d) hash chain */
	struct rumpfs_node *de_node;	/* (d) */
	uint64_t	 de_serial;	/* (d) */
	uint32_t	 de_hash;	/* (c) of the name */
	uint32_t	 de_slot;	/* (d) index in dir_order */
	uint16_t	 de_namelen;	/* (c) */
	bool		 de_hidden;	/* (c) etfs key: lookups only */
	char		 de_name[];	/* (c) NUL-terminated */
};

struct rumpfs_dirslot {
	uint64_t	 ds_serial;
	struct rumpfs_dirent *ds_entry;	/* NULL: removed */
};

struct rumpfs_dir {
	struct rumpfs_dirent **dir_hash;	/* (v) buckets, or NULL */
	uint32_t	 dir_hashmask;	/* (v) buckets - 1 */
	uint32_t	 dir_count;	/* (v) entries, hidden ones too */
	uint32_t	 dir_visible;	/* (v) entries readdir shows */
	struct rumpfs_dirslot *dir_order; /* (v) by serial, with holes */
	uint32_t	 dir_orderlen;	/* (v) slots used */
	uint32_t	 dir_ordercap;	/* (v) slots allocated */
	uint32_t	 dir_holes;	/* (v) slots whose entry went */
	uint64_t	 dir_nextserial; /* (v) */
	struct rumpfs_node *dir_parent;	/* (v) ".."; itself at a root */
};

/* Cookies of "." and ".."; entries start at RUMPFS_COOKIE_FIRST. */
#define RUMPFS_COOKIE_DOT	0
#define RUMPFS_COOKIE_DOTDOT	1
#define RUMPFS_COOKIE_FIRST	2

struct rumpfs_node {
	struct rumpfs_mount *rn_mount;	/* (c) */
	enum vtype	 rn_type;	/* (c) */
	ino_t		 rn_ino;	/* (c) */
	uint32_t	 rn_flags;	/* (v) RN_* */
	bool		 rn_hasvnode;	/* (m) a vnode is attached */
	u_int		 rn_holds;	/* (m) removed subdirectories whose
					   ".." still names this node */
	mode_t		 rn_mode;	/* (v) ALLPERMS bits */
	uid_t		 rn_uid;	/* (v) */
	gid_t		 rn_gid;	/* (v) */
	nlink_t		 rn_nlink;	/* (v) */
	uint64_t	 rn_size;	/* (v) VREG: bytes */
	dev_t		 rn_rdev;	/* (c) VCHR, VBLK */
	uint64_t	 rn_gen;	/* (c) */
	kmutex_t	 rn_timelock;
	struct timespec	 rn_atime;	/* (t); tv_sec also read (a) */
	struct timespec	 rn_mtime;	/* (v) */
	struct timespec	 rn_ctime;	/* (v) */
	struct timespec	 rn_btime;	/* (c) */
	struct etfs	*rn_etfs;	/* (c) host file behind, or NULL */
	union {
		struct rumpfs_pages reg;	/* VREG */
		struct rumpfs_dir dir;		/* VDIR */
		struct {
			char	*target;	/* (c) NUL-terminated */
			size_t	 len;		/* (c) without the NUL */
		} lnk;				/* VLNK */
	} rn_u;
	LIST_ENTRY(rumpfs_node) rn_entries; /* (m) rm_nodes */
};
#define rn_pages	rn_u.reg
#define rn_dir		rn_u.dir
#define rn_lnk		rn_u.lnk

/* rn_flags */
#define RN_ETFSDIR	0x0001	/* made for an etfs key: hidden, removed
				   with its last key */
#define RN_KEEP		0x0002	/* freed at unmount only (etfs dir child) */

/* rm_atime: when reads update the access time. */
#define RUMPFS_ATIME_RELATIME	0	/* Linux's default */
#define RUMPFS_ATIME_STRICT	1	/* on every read */
#define RUMPFS_ATIME_NONE	2	/* never */

struct rumpfs_mount {
	struct rumpfs_node *rm_root;	/* (c) */
	struct mount	*rm_mp;		/* (c) */
	kmutex_t	 rm_lock;
	LIST_HEAD(, rumpfs_node) rm_nodes; /* (m) every node of the mount */
	volatile uint64_t rm_nextino;	/* (a) */
	volatile uint64_t rm_nnodes;	/* (a) */
	volatile uint64_t rm_npages;	/* (a) pages of file data */
	uint64_t	 rm_maxpages;	/* (m) size= limit; 0: none */
	volatile int	 rm_atime;	/* (a) RUMPFS_ATIME_* */
	volatile bool	 rm_nodiratime;	/* (a) */
};

/*
 * Symbolic link targets of this many bytes or more take a page of file
 * data, shorter ones are kept in the node's own allocation, as tmpfs
 * does (it shows in st_blocks).
 */
#define RUMPFS_SHORT_SYMLINK	128

/* Largest file size: Linux's MAX_LFS_FILESIZE on 64-bit hosts. */
#define RUMPFS_MAXFILESIZE	INT64_MAX

/* Time stamps to set to now, for rumpfs_node_touch. */
#define RN_TOUCH_ATIME	0x01
#define RN_TOUCH_MTIME	0x02
#define RN_TOUCH_CTIME	0x04

extern const struct vnodeops rumpfs_vnodeops;
extern const struct vnodeops rumpfs_specops;
extern const struct vnodeops rumpfs_fifoops;

/* rumpfs.c */
struct rumpfs_node *rumpfs_node_alloc(struct rumpfs_mount *, enum vtype,
	    mode_t, uid_t, gid_t, dev_t);
void	rumpfs_node_free(struct rumpfs_node *);
void	rumpfs_dir_orphan(struct rumpfs_node *);
int	rumpfs_node_create(struct rumpfs_node *, const char *, size_t,
	    enum vtype, mode_t, uid_t, gid_t, dev_t, const char *, bool,
	    struct rumpfs_node **);
void	rumpfs_node_touch(struct rumpfs_node *, int);
void	rumpfs_node_accessed(struct rumpfs_node *);
struct rumpfs_mount *rumpfs_rootmount(void);

/* rumpfs_data.c */
void	rumpfs_data_init(void);
uint64_t rumpfs_kmem_reserve(void);
uint64_t rumpfs_kmem_inuse(void);
void	*rumpfs_page_alloc(struct rumpfs_mount *);
void	rumpfs_page_free(struct rumpfs_mount *, void *);
int	rumpfs_data_read(struct rumpfs_node *, struct uio *);
int	rumpfs_data_write(struct rumpfs_node *, struct uio *, int ioflag,
	    size_t *writtenp);
int	rumpfs_data_truncate(struct rumpfs_node *, uint64_t);
int	rumpfs_data_allocate(struct rumpfs_node *, uint64_t off,
	    uint64_t len);
int	rumpfs_data_seek(struct rumpfs_node *, off_t, int whence, off_t *);
void	rumpfs_data_free(struct rumpfs_node *);

/* rumpfs_dir.c */
struct rumpfs_dirent *rumpfs_dir_lookup(struct rumpfs_node *,
	    const char *, size_t);
int	rumpfs_dir_reserve(struct rumpfs_node *);
int	rumpfs_dir_enter(struct rumpfs_node *, const char *, size_t,
	    struct rumpfs_node *, bool hidden);
void	rumpfs_dir_detach(struct rumpfs_node *, struct rumpfs_dirent *);
int	rumpfs_dir_read(struct rumpfs_node *, struct uio *, int *eofflag);
bool	rumpfs_dir_empty(struct rumpfs_node *);
void	rumpfs_dir_free(struct rumpfs_node *);
uint64_t rumpfs_dir_size(struct rumpfs_node *);
uint8_t	rumpfs_vtype_to_dt(enum vtype);

/* etfs.c */
int	etfs_lookup(struct rumpfs_node *, const char *, size_t,
	    struct rumpfs_node **);
int	etfs_readdir(struct rumpfs_node *, struct uio *, int *eofflag);
int	etfs_open(struct rumpfs_node *, int fflag);
void	etfs_close(struct rumpfs_node *, int fflag);
int	etfs_read(struct rumpfs_node *, struct uio *);
int	etfs_write(struct rumpfs_node *, struct uio *, int ioflag);
int	etfs_getsize(struct rumpfs_node *, uint64_t *);
void	etfs_node_reclaim(struct rumpfs_node *);
void	etfs_boot(struct rumpfs_mount *);
bool	etfs_isdir(struct rumpfs_node *);

#pragma GCC visibility pop

#endif /* _RUMPVFS_RUMPFS_PRIVATE_H_ */
