/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * etfs: host files in the kernel's namespace.
 *
 * rump_pub_etfs_register(key, hostpath, type) makes the host file
 * hostpath appear at the absolute path key of the root file system
 * (rumpfs).  The key becomes a real rumpfs node, entered in its parent
 * directory as a hidden entry (de_hidden): path lookups, open and stat
 * find it like any file, readdir skips it, and unlink and rename refuse
 * it (EBUSY).  Directories missing on the key's path are made as hidden
 * directories (RN_ETFSDIR) and removed again with the last key below
 * them, if nothing else was put in them.  Keys are compared literally
 * after the leading slashes collapse to one, so keys with empty, "." or
 * ".." components are rejected (EINVAL) rather than normalised.
 *
 * What the node is, by type:
 *
 *  REG	a regular file whose reads and writes go to the host file with
 *	rumpuser_iovread/iovwrite at offset begin + off, within the window
 *	[begin, begin + size);
 *  BLK	a block device node (major etfs_bmajor, one minor per key) whose
 *	driver does block I/O with rumpuser_bio, asynchronously, one host
 *	call per request however large (the buffer cache sends clusters of
 *	up to 1 MiB).  DIOCCACHESYNC (fsync of the node) calls
 *	rumpuser_syncfd.  The sector size (BLKSSZGET) is 512, or 4096 when
 *	the disk holds a GPT written for 4096-byte sectors; the hypercall
 *	interface cannot ask a host block device for its own.  At
 *	registration the partition table (MBR or GPT, sys/dev/disk) is
 *	read, and each partition becomes a BLK key of its own: the key
 *	followed by the partition number, with a "p" between when the key
 *	ends in a digit (/dev/sda -> /dev/sda1, /dev/disk0 -> /dev/disk0p1),
 *	a window on the same host file.  They go when the disk's key is
 *	removed, and with it fail with EBUSY while one of them is open;
 *  CHR	a character device node (major etfs_cmajor) that reads and
 *	writes like REG;
 *  DIR, DIR_SUBDIRS
 *	a directory whose entries are the host directory's: a lookup of a
 *	name asks the host (rumpuser_getfileinfo) and makes a child node,
 *	a regular file for a host file or device, a directory for a host
 *	directory (DIR_SUBDIRS only: under DIR, host subdirectories do not
 *	exist).  The hypercall interface has no call that lists a host
 *	directory, so readdir shows "." and ".." and the children looked
 *	up so far.  Children cannot be created, removed or renamed.
 *
 * A host file is opened at the first open of its node and closed at the
 * last close.  rump_pub_etfs_remove fails with EBUSY while the key, or
 * anything below a directory key, is open.
 *
 * Memory.  A REG, BLK or CHR key's structure is freed with its node.  A
 * directory key's node and the children made under it are kept until
 * the file system is unmounted (RN_KEEP), because children's vnodes may
 * outlive the key and reach their parents through "..".
 * NOTE: so each registration of a directory key keeps its nodes for the
 * life of the root file system, which is the life of the kernel.
 *
 * Locking: etfs_lock protects the list of keys, the minor table and the
 * majors.  Each key's et_lock protects the open counts, host descriptors
 * and child lists of the key and of every child under it.  Lock order:
 * vnode locks, etfs_lock, et_lock.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/dirent.h>
#include <sys/disk.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

#include "rumpfs_private.h"

/* Bytes moved per host call of a read or write. */
#define ETFS_CHUNK	(64 * 1024)

struct etfs_child;

struct etfs {
	char		*et_key;	/* (c) the key; NULL for a child */
	char		*et_hostpath;	/* (c) */
	enum rump_etfs_type et_type;	/* (c) as the kernel shows it */
	uint64_t	 et_begin;	/* (c) window start in the host file */
	uint64_t	 et_size;	/* (c) window size, or ..._ENDOFF */
	u_int		 et_secsize;	/* (c) BLK: BLKSSZGET */
	struct etfs	*et_disk;	/* (c) a partition's disk key, or NULL */
	struct etfs	*et_keyent;	/* (c) the key; itself for a key */
	struct rumpfs_node *et_node;	/* (c) once attached */
	int		 et_minor;	/* (c) BLK, CHR: the minor; else -1 */
	kmutex_t	 et_lock;	/* the key's: see the top */
	int		 et_fd;		/* (l) host descriptor, or -1 */
	bool		 et_fdwrite;	/* (l) et_fd was opened for writing */
	u_int		 et_nopen;	/* (l) opens of this file */
	u_int		 et_busy;	/* (l) key: opens of it and below */
	bool		 et_removed;	/* (l) key: removed */
	uint64_t	 et_devsize;	/* (l) BLK: bytes, set at first open */
	TAILQ_HEAD(, etfs_child) et_children; /* (l) directories */
	uint64_t	 et_nextserial;	/* (l) directories: readdir cookies */
	LIST_ENTRY(etfs) et_entries;	/* etfs_lock: etfs_keys */
};
#define ET_LOCK(et)	(&(et)->et_keyent->et_lock)

/* A name looked up in an etfs directory. */
struct etfs_child {
	TAILQ_ENTRY(etfs_child) ec_entries;	/* (l) */
	struct rumpfs_node *ec_node;		/* (c) */
	uint64_t	 ec_serial;		/* (c) readdir cookie */
	size_t		 ec_namelen;		/* (c) */
	char		 ec_name[];		/* (c) NUL-terminated */
};

static kmutex_t *volatile etfs_lock;
static LIST_HEAD(, etfs) etfs_keys = LIST_HEAD_INITIALIZER(etfs_keys);
static struct etfs **etfs_minors;	/* etfs_lock: by minor, or NULL */
static int etfs_nminors;		/* etfs_lock: slots in etfs_minors */
static int etfs_bmajor = -1;		/* etfs_lock */
static int etfs_cmajor = -1;		/* etfs_lock */

/* Registrations made before boot (rump_boot_etfs_register). */
static struct rump_boot_etfs *etfs_bootlist;
static volatile bool etfs_halted;

static const struct bdevsw etfs_bdevsw;
static const struct cdevsw etfs_cdevsw;

static kmutex_t *
etfs_lock_get(void)
{
	kmutex_t *lock, *found;

	lock = atomic_load_acquire(&etfs_lock);
	if (__predict_true(lock != NULL))
		return lock;
	lock = mutex_obj_alloc(MUTEX_DEFAULT, IPL_NONE);
	found = atomic_cas_ptr(&etfs_lock, NULL, lock);
	if (found != NULL) {
		mutex_obj_free(lock);
		return found;
	}
	return lock;
}

static bool
etfs_type_isdir(enum rump_etfs_type type)
{

	return type == RUMP_ETFS_DIR || type == RUMP_ETFS_DIR_SUBDIRS;
}

bool
etfs_isdir(struct rumpfs_node *rn)
{

	return etfs_type_isdir(rn->rn_etfs->et_type);
}

static struct etfs *
etfs_alloc(const char *key, const char *hostpath, enum rump_etfs_type type,
    uint64_t begin, uint64_t size, struct etfs *keyent)
{
	struct etfs *et;

	et = kmem_zalloc(sizeof(*et), KM_SLEEP);
	et->et_key = key != NULL ? kmem_strdup(key, KM_SLEEP) : NULL;
	et->et_hostpath = kmem_strdup(hostpath, KM_SLEEP);
	et->et_type = type;
	et->et_begin = begin;
	et->et_size = size;
	et->et_secsize = DEV_BSIZE;
	et->et_keyent = keyent != NULL ? keyent : et;
	et->et_minor = -1;
	et->et_fd = -1;
	if (keyent == NULL)
		mutex_init(&et->et_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&et->et_children);
	et->et_nextserial = RUMPFS_COOKIE_FIRST;
	return et;
}

static void
etfs_free(struct etfs *et)
{
	struct etfs_child *ec;

	while ((ec = TAILQ_FIRST(&et->et_children)) != NULL) {
		TAILQ_REMOVE(&et->et_children, ec, ec_entries);
		kmem_free(ec, sizeof(*ec) + ec->ec_namelen + 1);
	}
	if (et->et_keyent == et)
		mutex_destroy(&et->et_lock);
	if (et->et_key != NULL)
		kmem_strfree(et->et_key);
	kmem_strfree(et->et_hostpath);
	kmem_free(et, sizeof(*et));
}

/*
 * Keys.
 */

/*
 * Check key and return it with its leading slashes collapsed to one, in
 * a new string that the caller frees with kmem_strfree.
 */
static int
etfs_key_normalize(const char *key, char **normp)
{
	const char *p, *comp;
	size_t len, complen;
	char *norm;

	if (key == NULL || key[0] != '/')
		return EINVAL;
	while (key[1] == '/')
		key++;
	len = strlen(key);
	if (len >= MAXPATHLEN)
		return ENAMETOOLONG;
	if (len == 1)
		return EINVAL;

	for (p = key + 1; ; p++) {
		comp = p;
		while (*p != '/' && *p != '\0')
			p++;
		complen = p - comp;
		if (complen == 0 || complen > NAME_MAX ||
		    (complen == 1 && comp[0] == '.') ||
		    (complen == 2 && comp[0] == '.' && comp[1] == '.'))
			return complen > NAME_MAX ? ENAMETOOLONG : EINVAL;
		if (*p == '\0')
			break;
	}

	norm = kmem_alloc(len + 1, KM_SLEEP);
	memcpy(norm, key, len + 1);
	*normp = norm;
	return 0;
}

/* Length of the next component of a normalised key at p (after '/'). */
static size_t
etfs_complen(const char *p)
{
	const char *end = strchr(p, '/');

	return end != NULL ? (size_t)(end - p) : strlen(p);
}

static struct etfs *
etfs_find_key(const char *key)
{
	struct etfs *et;

	LIST_FOREACH(et, &etfs_keys, et_entries) {
		if (strcmp(et->et_key, key) == 0)
			return et;
	}
	return NULL;
}

/*
 * Directory locking for the walks below.  After boot the directory's
 * vnode is locked exclusive.  While the root file system is being
 * mounted (boot) nothing else can reach it, so no vnode is involved.
 */
struct etfs_dirlock {
	struct vnode	*vp;
};

static int
etfs_dir_lock(struct rumpfs_node *dn, bool boot, struct etfs_dirlock *dl)
{
	int error;

	dl->vp = NULL;
	if (boot)
		return 0;
	error = vcache_get(dn->rn_mount->rm_mp, (uint64_t)(uintptr_t)dn,
	    &dl->vp);
	if (error != 0)
		return error;
	error = vn_lock(dl->vp, LK_EXCLUSIVE);
	if (error != 0) {
		vrele(dl->vp);
		return ENOENT;
	}
	/* The directory may have been removed before we got the lock. */
	if (dn->rn_nlink == 0) {
		vput(dl->vp);
		return ENOENT;
	}
	return 0;
}

static void
etfs_dir_unlock(struct etfs_dirlock *dl)
{

	if (dl->vp != NULL)
		vput(dl->vp);
}

/*
 * Walk the directories of key's path below the root, making the missing
 * ones (hidden, RN_ETFSDIR) when make is set, and return the key's
 * parent directory locked, with the last component in *lastp.
 */
static int
etfs_walk_parent(struct rumpfs_mount *rm, const char *key, bool make,
    bool boot, struct etfs_dirlock *dl, struct rumpfs_node **dnp,
    const char **lastp)
{
	struct rumpfs_node *dn = rm->rm_root, *next;
	struct rumpfs_dirent *de;
	const char *p = key + 1;
	size_t len;
	int error;

	for (;;) {
		error = etfs_dir_lock(dn, boot, dl);
		if (error != 0)
			return error;
		/* Keys cannot live inside an etfs directory: EINVAL. */
		if (dn->rn_etfs != NULL) {
			etfs_dir_unlock(dl);
			return EINVAL;
		}
		len = etfs_complen(p);
		if (p[len] == '\0')
			break;

		de = rumpfs_dir_lookup(dn, p, len);
		if (de != NULL) {
			next = de->de_node;
			if (next->rn_type != VDIR) {
				etfs_dir_unlock(dl);
				return ENOTDIR;
			}
		} else if (!make) {
			etfs_dir_unlock(dl);
			return ENOENT;
		} else {
			error = rumpfs_node_create(dn, p, len, VDIR, 0755, 0,
			    0, 0, NULL, true, &next);
			if (error != 0) {
				etfs_dir_unlock(dl);
				return error;
			}
			next->rn_flags |= RN_ETFSDIR;
		}
		etfs_dir_unlock(dl);
		dn = next;
		p += len + 1;
	}
	*dnp = dn;
	*lastp = p;
	return 0;
}

/* Make the key's node; the key is on etfs_keys already. */
static int
etfs_attach(struct rumpfs_mount *rm, struct etfs *et, bool boot)
{
	struct etfs_dirlock dl;
	struct rumpfs_node *dn, *rn;
	const char *name;
	enum vtype type;
	mode_t mode = 0644;
	dev_t rdev = 0;
	int error;

	switch (et->et_type) {
	case RUMP_ETFS_REG:
		type = VREG;
		break;
	case RUMP_ETFS_BLK:
		type = VBLK;
		rdev = makedev(etfs_bmajor, et->et_minor);
		break;
	case RUMP_ETFS_CHR:
		type = VCHR;
		rdev = makedev(etfs_cmajor, et->et_minor);
		break;
	default:
		type = VDIR;
		mode = 0755;
		break;
	}

	error = etfs_walk_parent(rm, et->et_key, true, boot, &dl, &dn, &name);
	if (error != 0)
		return error;
	if (rumpfs_dir_lookup(dn, name, strlen(name)) != NULL) {
		error = EEXIST;
	} else {
		error = rumpfs_node_create(dn, name, strlen(name), type, mode,
		    0, 0, rdev, NULL, true, &rn);
	}
	if (error == 0) {
		rn->rn_etfs = et;
		if (type == VDIR)
			rn->rn_flags |= RN_KEEP;
		et->et_node = rn;
		if (dl.vp != NULL)
			cache_purge_name(dl.vp, name, strlen(name));
	}
	etfs_dir_unlock(&dl);
	return error;
}

/* Give an unused minor to et, attaching the majors on first use. */
static int
etfs_minor_alloc(struct etfs *et)
{
	struct etfs **table;
	int minor, n, error;

	KASSERT(mutex_owned(etfs_lock));
	if (etfs_bmajor < 0) {
		error = devsw_attach("etfs", &etfs_bdevsw, &etfs_bmajor,
		    &etfs_cdevsw, &etfs_cmajor);
		if (error != 0)
			return error;
	}
	for (minor = 0; minor < etfs_nminors; minor++) {
		if (etfs_minors[minor] == NULL)
			break;
	}
	if (minor == etfs_nminors) {
		n = etfs_nminors == 0 ? 16 : etfs_nminors * 2;
		table = kmem_zalloc(n * sizeof(*table), KM_SLEEP);
		if (etfs_minors != NULL) {
			memcpy(table, etfs_minors,
			    etfs_nminors * sizeof(*table));
			kmem_free(etfs_minors, etfs_nminors * sizeof(*table));
		}
		etfs_minors = table;
		etfs_nminors = n;
	}
	etfs_minors[minor] = et;
	et->et_minor = minor;
	return 0;
}

static struct etfs *
etfs_minor_lookup(dev_t dev)
{
	kmutex_t *lock = etfs_lock_get();
	struct etfs *et = NULL;
	uint32_t minor = minor(dev);

	mutex_enter(lock);
	if (minor < (uint32_t)etfs_nminors)
		et = etfs_minors[minor];
	mutex_exit(lock);
	return et;
}

/*
 * Register key; disk is the disk key of a partition, or NULL.  When etp
 * is not NULL, the new key is returned there held: counted as open, so
 * that it cannot be removed until the caller calls etfs_unhold.
 */
static int
etfs_register_key(struct rumpfs_mount *rm, const char *key,
    const char *hostpath, enum rump_etfs_type type, uint64_t begin,
    uint64_t size, u_int secsize, struct etfs *disk, bool boot,
    struct etfs **etp)
{
	kmutex_t *lock = etfs_lock_get();
	struct etfs *et;
	uint64_t hostsize;
	char *norm;
	int hosttype, error;

	if (hostpath == NULL)
		return EINVAL;
	error = etfs_key_normalize(key, &norm);
	if (error != 0)
		return error;

	/* The host file must exist, and its type fit. */
	error = rumpuser_getfileinfo(hostpath, &hostsize, &hosttype);
	if (error != 0)
		goto out;
	switch (type) {
	case RUMP_ETFS_DIR:
	case RUMP_ETFS_DIR_SUBDIRS:
		if (hosttype != RUMPUSER_FT_DIR)
			error = ENOTDIR;
		else if (begin != 0 || size != RUMP_ETFS_SIZE_ENDOFF)
			error = EINVAL;
		break;
	case RUMP_ETFS_REG:
	case RUMP_ETFS_BLK:
	case RUMP_ETFS_CHR:
		if (hosttype == RUMPUSER_FT_DIR)
			error = EISDIR;
		else if (size == RUMP_ETFS_SIZE_ENDOFF ? begin > hostsize :
		    begin > UINT64_MAX - size)
			error = EINVAL;
		/* A block device cannot be bigger than its host file. */
		else if (type == RUMP_ETFS_BLK &&
		    size != RUMP_ETFS_SIZE_ENDOFF && begin + size > hostsize)
			error = EINVAL;
		break;
	default:
		error = EINVAL;
		break;
	}
	if (error != 0)
		goto out;

	et = etfs_alloc(norm, hostpath, type, begin, size, NULL);
	et->et_secsize = secsize;
	et->et_disk = disk;
	if (etp != NULL)
		et->et_busy = 1;
	mutex_enter(lock);
	if (etfs_find_key(norm) != NULL) {
		mutex_exit(lock);
		etfs_free(et);
		error = EEXIST;
		goto out;
	}
	if (type == RUMP_ETFS_BLK || type == RUMP_ETFS_CHR) {
		error = etfs_minor_alloc(et);
		if (error != 0) {
			mutex_exit(lock);
			etfs_free(et);
			goto out;
		}
	}
	LIST_INSERT_HEAD(&etfs_keys, et, et_entries);
	mutex_exit(lock);

	error = etfs_attach(rm, et, boot);
	if (error != 0) {
		mutex_enter(lock);
		LIST_REMOVE(et, et_entries);
		if (et->et_minor >= 0)
			etfs_minors[et->et_minor] = NULL;
		mutex_exit(lock);
		etfs_free(et);
	} else if (etp != NULL) {
		*etp = et;
	}
out:
	kmem_strfree(norm);
	return error;
}

static void
etfs_unhold(struct etfs *et)
{

	mutex_enter(&et->et_lock);
	KASSERT(et->et_busy > 0);
	et->et_busy--;
	mutex_exit(&et->et_lock);
}

/*
 * Partitions.
 */

/* The host file of a disk key, for the partition table reader. */
struct etfs_diskread {
	int		 fd;
	uint64_t	 begin;		/* the window's start in the file */
};

static int
etfs_diskread(void *arg, uint64_t off, void *buf, size_t len)
{
	struct etfs_diskread *dr = arg;
	struct rumpuser_iovec iov = { .iov_base = buf, .iov_len = len };
	size_t done;
	int error;

	error = rumpuser_iovread(dr->fd, &iov, 1, (int64_t)(dr->begin + off),
	    &done);
	if (error == 0 && done != len)
		error = EIO;
	return error;
}

/*
 * Read the sector size and partition table of a BLK key's window before
 * it is registered.  A table that cannot be read or is damaged is logged
 * and gives no partitions, and so does a host file that cannot be opened
 * for reading.
 */
static void
etfs_disk_probe(const char *key, const char *hostpath, uint64_t begin,
    uint64_t size, u_int *secsizep, struct disk_partition *parts,
    u_int *npartsp)
{
	struct etfs_diskread dr = { .begin = begin };
	uint64_t hostsize, disksize;
	const char *reason;
	int error, ft;

	*secsizep = DEV_BSIZE;
	*npartsp = 0;
	/* Only files and disks hold tables; a directory fails at open. */
	if (rumpuser_getfileinfo(hostpath, &hostsize, &ft) != 0 ||
	    (ft != RUMPUSER_FT_REG && ft != RUMPUSER_FT_BLK))
		return;
	disksize = size != RUMP_ETFS_SIZE_ENDOFF ? size :
	    hostsize > begin ? hostsize - begin : 0;
	if (rumpuser_open(hostpath, RUMPUSER_OPEN_RDONLY, &dr.fd) != 0)
		return;

	*secsizep = disk_guess_secsize(etfs_diskread, &dr, disksize);
	error = disk_partitions_read(etfs_diskread, &dr, disksize, *secsizep,
	    parts, DISK_MAXPARTS, npartsp, &reason);
	if (error != 0)
		log(LOG_WARNING, "etfs: %s: partition table ignored: %s "
		    "(error %d)\n", key, reason, error);
	else if (reason != NULL)
		log(LOG_WARNING, "etfs: %s: %s\n", key, reason);
	(void)rumpuser_close(dr.fd);
}

/*
 * The key of partition number of disk key key: key followed by the
 * number, with a "p" between when key ends in a digit, as Linux names
 * them.  Returns a string to free with kmem_strfree, or NULL when too
 * long.
 */
static char *
etfs_partkey(const char *key, uint32_t number)
{
	size_t len = strlen(key), size = len + 12;
	char *buf, *pkey;

	if (size > MAXPATHLEN)
		return NULL;
	buf = kmem_alloc(size, KM_SLEEP);
	snprintf(buf, size, "%s%s%u", key,
	    len > 0 && isdigit((unsigned char)key[len - 1]) ? "p" : "",
	    number);
	pkey = kmem_strdup(buf, KM_SLEEP);
	kmem_free(buf, size);
	return pkey;
}

static int
etfs_register(struct rumpfs_mount *rm, const char *key,
    const char *hostpath, enum rump_etfs_type type, uint64_t begin,
    uint64_t size, bool boot)
{
	struct disk_partition *parts = NULL;
	struct etfs *disk;
	u_int secsize = DEV_BSIZE, nparts = 0, i;
	char *pkey;
	int error;

	if (type == RUMP_ETFS_BLK && hostpath != NULL && key != NULL) {
		parts = kmem_alloc(DISK_MAXPARTS * sizeof(*parts), KM_SLEEP);
		etfs_disk_probe(key, hostpath, begin, size, &secsize, parts,
		    &nparts);
	}
	error = etfs_register_key(rm, key, hostpath, type, begin, size,
	    secsize, NULL, boot, &disk);
	if (error != 0)
		goto out;

	for (i = 0; i < nparts; i++) {
		pkey = etfs_partkey(disk->et_key, parts[i].dp_number);
		if (pkey == NULL) {
			log(LOG_WARNING, "etfs: %s: partition keys would be "
			    "too long\n", disk->et_key);
			break;
		}
		error = etfs_register_key(rm, pkey, hostpath, RUMP_ETFS_BLK,
		    begin + parts[i].dp_start, parts[i].dp_size, secsize,
		    disk, boot, NULL);
		if (error != 0)
			log(LOG_WARNING, "etfs: %s: cannot register partition "
			    "%s: error %d\n", disk->et_key, pkey, error);
		kmem_strfree(pkey);
	}
	if (nparts > 0)
		aprint_verbose("etfs: %s: %u partition%s\n", disk->et_key,
		    nparts, nparts == 1 ? "" : "s");
	etfs_unhold(disk);
	error = 0;
out:
	if (parts != NULL)
		kmem_free(parts, DISK_MAXPARTS * sizeof(*parts));
	return error;
}

/*
 * Take the entry of a removed key out of its directory, then remove the
 * hidden directories made for it that are now empty, deepest first.
 * The key's node, and with it et, may be freed on the way.
 */
static void
etfs_detach(struct rumpfs_mount *rm, struct etfs *et)
{
	struct etfs_dirlock dl;
	struct rumpfs_node *dn, *rn = et->et_node;
	struct rumpfs_dirent *de;
	struct vnode *vp;
	const char *name;
	char *path;
	size_t len, pathsize;
	bool iskey;
	int error;

	/* A copy of the key, cut back one component per level. */
	pathsize = strlen(et->et_key) + 1;
	path = kmem_alloc(pathsize, KM_SLEEP);
	memcpy(path, et->et_key, pathsize);
	for (iskey = true; ; iskey = false) {
		error = etfs_walk_parent(rm, path, false, false, &dl, &dn,
		    &name);
		if (error != 0)
			break;
		len = strlen(name);
		de = rumpfs_dir_lookup(dn, name, len);
		if (de == NULL || de->de_node != rn) {
			etfs_dir_unlock(&dl);
			break;
		}

		/*
		 * The node gets a vnode: a node without names goes when its
		 * last vnode does.  A made directory is locked to see that
		 * it is still empty.
		 */
		error = vcache_get(rm->rm_mp, (uint64_t)(uintptr_t)rn, &vp);
		if (error != 0) {
			etfs_dir_unlock(&dl);
			break;
		}
		if (!iskey) {
			if (vn_lock(vp, LK_EXCLUSIVE) != 0) {
				vrele(vp);
				etfs_dir_unlock(&dl);
				break;
			}
			if (!rumpfs_dir_empty(rn)) {
				vput(vp);
				etfs_dir_unlock(&dl);
				break;
			}
		}

		rumpfs_dir_detach(dn, de);
		if (rn->rn_type == VDIR) {
			rumpfs_dir_orphan(rn);
			dn->rn_nlink--;
		} else {
			rn->rn_nlink--;
		}
		cache_purge_name(dl.vp, name, len);
		if (iskey)
			vrele(vp);
		else
			vput(vp);

		/* Then the parent, if it was made for keys. */
		if ((dn->rn_flags & RN_ETFSDIR) == 0) {
			etfs_dir_unlock(&dl);
			break;
		}
		etfs_dir_unlock(&dl);
		rn = dn;
		*strrchr(path, '/') = '\0';
	}
	kmem_free(path, pathsize);
}

/* True when key et, or a partition key of it, is open; etfs_lock held. */
static bool
etfs_key_busy(struct etfs *et)
{
	struct etfs *part;
	bool busy;

	KASSERT(mutex_owned(etfs_lock));
	mutex_enter(&et->et_lock);
	busy = et->et_busy > 0;
	mutex_exit(&et->et_lock);
	LIST_FOREACH(part, &etfs_keys, et_entries) {
		if (busy)
			break;
		if (part->et_disk != et)
			continue;
		mutex_enter(&part->et_lock);
		busy = part->et_busy > 0;
		mutex_exit(&part->et_lock);
	}
	return busy;
}

/* Take et off the key list and the minor table; etfs_lock held. */
static void
etfs_unlist(struct etfs *et)
{

	KASSERT(mutex_owned(etfs_lock));
	mutex_enter(&et->et_lock);
	et->et_removed = true;
	mutex_exit(&et->et_lock);
	LIST_REMOVE(et, et_entries);
	if (et->et_minor >= 0)
		etfs_minors[et->et_minor] = NULL;
}

/*
 * Remove key, and the partition keys of a disk key with it.  Nothing is
 * removed while any of them is open (EBUSY).
 */
static int
etfs_remove(struct rumpfs_mount *rm, const char *key)
{
	kmutex_t *lock = etfs_lock_get();
	LIST_HEAD(, etfs) parts = LIST_HEAD_INITIALIZER(parts);
	struct etfs *et, *part, *next;
	char *norm;
	int error;

	error = etfs_key_normalize(key, &norm);
	if (error != 0)
		return error;

	mutex_enter(lock);
	et = etfs_find_key(norm);
	kmem_strfree(norm);
	if (et == NULL || et->et_node == NULL) {
		mutex_exit(lock);
		return ENOENT;
	}
	if (etfs_key_busy(et)) {
		mutex_exit(lock);
		return EBUSY;
	}
	/*
	 * A disk is held while its partitions are attached, so each of
	 * them has its node.
	 */
	LIST_FOREACH_SAFE(part, &etfs_keys, et_entries, next) {
		if (part->et_disk != et)
			continue;
		KASSERT(part->et_node != NULL);
		etfs_unlist(part);
		LIST_INSERT_HEAD(&parts, part, et_entries);
	}
	etfs_unlist(et);
	mutex_exit(lock);

	/* Each is freed with its node, which may go inside etfs_detach. */
	while ((part = LIST_FIRST(&parts)) != NULL) {
		LIST_REMOVE(part, et_entries);
		etfs_detach(rm, part);
	}
	etfs_detach(rm, et);
	return 0;
}

/*
 * The key's or child's node is being freed: free the etfs state.
 */
void
etfs_node_reclaim(struct rumpfs_node *rn)
{
	struct etfs *et = rn->rn_etfs;

	/*
	 * A node still open is freed only by the forced unmount of the
	 * root at halt: its host file is closed here, since no close comes.
	 */
	if (et->et_fd != -1) {
		(void)rumpuser_close(et->et_fd);
		et->et_fd = -1;
	}
	rn->rn_etfs = NULL;
	etfs_free(et);
}

/*
 * Host files.
 */

/* The size of et's window now: fixed, or what the host file has left. */
static int
etfs_window(struct etfs *et, uint64_t *sizep)
{
	uint64_t hostsize;
	int error;

	if (et->et_size != RUMP_ETFS_SIZE_ENDOFF) {
		*sizep = et->et_size;
		return 0;
	}
	error = rumpuser_getfileinfo(et->et_hostpath, &hostsize, NULL);
	if (error != 0)
		return error;
	*sizep = hostsize > et->et_begin ? hostsize - et->et_begin : 0;
	return 0;
}

int
etfs_getsize(struct rumpfs_node *rn, uint64_t *sizep)
{

	return etfs_window(rn->rn_etfs, sizep);
}

/*
 * Count an open of et, opening the host file at the first one.  A file
 * that the host lets us read only fails opens for writing with EACCES.
 */
static int
etfs_open_host(struct etfs *et, int fflag, int extra)
{
	struct etfs *key = et->et_keyent;
	int fd, error;

	KASSERT(mutex_owned(ET_LOCK(et)));
	if (key->et_removed)
		return ENOENT;
	if (et->et_nopen == 0) {
		error = rumpuser_open(et->et_hostpath,
		    RUMPUSER_OPEN_RDWR | extra, &fd);
		et->et_fdwrite = error == 0;
		if ((error == EACCES || error == EROFS || error == EPERM) &&
		    (fflag & FWRITE) == 0)
			error = rumpuser_open(et->et_hostpath,
			    RUMPUSER_OPEN_RDONLY | extra, &fd);
		if (error != 0)
			return error;
		et->et_fd = fd;
		if (et->et_type == RUMP_ETFS_BLK) {
			error = etfs_window(et, &et->et_devsize);
			if (error != 0) {
				(void)rumpuser_close(fd);
				et->et_fd = -1;
				return error;
			}
		}
	} else if ((fflag & FWRITE) && !et->et_fdwrite) {
		return EACCES;
	}
	et->et_nopen++;
	key->et_busy++;
	return 0;
}

static void
etfs_close_host(struct etfs *et)
{
	struct etfs *key = et->et_keyent;

	KASSERT(mutex_owned(ET_LOCK(et)));
	KASSERT(et->et_nopen > 0 && key->et_busy > 0);
	key->et_busy--;
	if (--et->et_nopen == 0 && et->et_fd != -1) {
		(void)rumpuser_close(et->et_fd);
		et->et_fd = -1;
	}
}

int
etfs_open(struct rumpfs_node *rn, int fflag)
{
	struct etfs *et = rn->rn_etfs;
	struct etfs *key = et->et_keyent;
	int error = 0;

	mutex_enter(ET_LOCK(et));
	if (etfs_type_isdir(et->et_type)) {
		/* A directory needs no host descriptor. */
		if (key->et_removed)
			error = ENOENT;
		else
			key->et_busy++;
	} else {
		error = etfs_open_host(et, fflag, 0);
	}
	mutex_exit(ET_LOCK(et));
	return error;
}

void
etfs_close(struct rumpfs_node *rn, int fflag)
{
	struct etfs *et = rn->rn_etfs;

	mutex_enter(ET_LOCK(et));
	if (etfs_type_isdir(et->et_type))
		et->et_keyent->et_busy--;
	else
		etfs_close_host(et);
	mutex_exit(ET_LOCK(et));
}

static int
etfs_getfd(struct etfs *et)
{
	int fd;

	mutex_enter(ET_LOCK(et));
	fd = et->et_fd;
	mutex_exit(ET_LOCK(et));
	return fd;
}

/*
 * Read or write et's window at uio_offset through the host descriptor,
 * ETFS_CHUNK bytes per hypercall.  Reads stop at the end of the window
 * or of the host file.  A write at or past the end of a fixed window
 * fails with ENOSPC unless it wrote something before.
 * NOTE: a host write that stores fewer bytes than asked for ends the call
 * with EIO, and the uio counts the unwritten rest of that chunk as moved.
 */
static int
etfs_rw(struct etfs *et, struct uio *uio, int ioflag)
{
	struct rumpuser_iovec iov;
	uint64_t window, off;
	size_t n, done, total = 0;
	char *bounce;
	int fd, error;

	fd = etfs_getfd(et);
	if (fd == -1)
		return EBADF;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_rw == UIO_WRITE && (ioflag & IO_APPEND)) {
		error = etfs_window(et, &window);
		if (error != 0)
			return error;
		uio->uio_offset = (off_t)window;
	}

	bounce = kmem_alloc(ETFS_CHUNK, KM_SLEEP);
	error = 0;
	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		n = MIN(uio->uio_resid, ETFS_CHUNK);
		if (et->et_size != RUMP_ETFS_SIZE_ENDOFF) {
			if (off >= et->et_size) {
				if (uio->uio_rw == UIO_WRITE && total == 0)
					error = ENOSPC;
				break;
			}
			n = MIN(n, et->et_size - off);
		}
		iov.iov_base = bounce;
		iov.iov_len = n;

		if (uio->uio_rw == UIO_READ) {
			error = rumpuser_iovread(fd, &iov, 1,
			    (int64_t)(et->et_begin + off), &done);
			if (error == 0 && done > 0)
				error = uiomove(bounce, done, uio);
			if (error != 0 || done < n) {
				total += done;
				break;
			}
		} else {
			error = uiomove(bounce, n, uio);
			if (error != 0)
				break;
			error = rumpuser_iovwrite(fd, &iov, 1,
			    (int64_t)(et->et_begin + off), &done);
			if (error == 0 && done < n)
				error = EIO;
			if (error != 0)
				break;
		}
		total += n;
	}
	kmem_free(bounce, ETFS_CHUNK);
	if (total > 0 && uio->uio_rw == UIO_WRITE)
		error = 0;
	return error;
}

int
etfs_read(struct rumpfs_node *rn, struct uio *uio)
{

	return etfs_rw(rn->rn_etfs, uio, 0);
}

int
etfs_write(struct rumpfs_node *rn, struct uio *uio, int ioflag)
{

	return etfs_rw(rn->rn_etfs, uio, ioflag);
}

/*
 * Directories.
 */

/* Make the node of child name of etfs directory dn. */
static int
etfs_child_make(struct rumpfs_node *dn, const char *name, size_t len,
    struct rumpfs_node **rnp)
{
	struct etfs *det = dn->rn_etfs, *et;
	struct etfs_child *ec;
	struct rumpfs_node *rn;
	enum rump_etfs_type type;
	enum vtype vtype;
	size_t plen = strlen(det->et_hostpath);
	char *path;
	int hosttype, error;

	if (plen + 1 + len >= MAXPATHLEN)
		return ENAMETOOLONG;
	path = kmem_alloc(plen + len + 2, KM_SLEEP);
	memcpy(path, det->et_hostpath, plen);
	path[plen] = '/';
	memcpy(path + plen + 1, name, len);
	path[plen + 1 + len] = '\0';

	error = rumpuser_getfileinfo(path, NULL, &hosttype);
	if (error != 0)
		goto out;
	switch (hosttype) {
	case RUMPUSER_FT_DIR:
		/* Under DIR only the immediate children exist. */
		if (det->et_type != RUMP_ETFS_DIR_SUBDIRS) {
			error = ENOENT;
			goto out;
		}
		type = RUMP_ETFS_DIR_SUBDIRS;
		vtype = VDIR;
		break;
	case RUMPUSER_FT_REG:
	case RUMPUSER_FT_BLK:
	case RUMPUSER_FT_CHR:
		type = RUMP_ETFS_REG;
		vtype = VREG;
		break;
	default:
		error = ENOENT;
		goto out;
	}

	rn = rumpfs_node_alloc(dn->rn_mount, vtype,
	    vtype == VDIR ? 0755 : 0644, 0, 0, 0);
	if (rn == NULL) {
		error = ENOSPC;
		goto out;
	}
	et = etfs_alloc(NULL, path, type, 0, RUMP_ETFS_SIZE_ENDOFF,
	    det->et_keyent);
	et->et_node = rn;
	rn->rn_etfs = et;
	rn->rn_nlink = vtype == VDIR ? 2 : 1;
	rn->rn_flags |= RN_KEEP;
	if (vtype == VDIR)
		rn->rn_dir.dir_parent = dn;

	ec = kmem_alloc(sizeof(*ec) + len + 1, KM_SLEEP);
	ec->ec_node = rn;
	ec->ec_serial = det->et_nextserial++;
	ec->ec_namelen = len;
	memcpy(ec->ec_name, name, len);
	ec->ec_name[len] = '\0';
	TAILQ_INSERT_TAIL(&det->et_children, ec, ec_entries);
	*rnp = rn;
out:
	kmem_free(path, plen + len + 2);
	return error;
}

/* Look name up in etfs directory dn, asking the host on a miss. */
int
etfs_lookup(struct rumpfs_node *dn, const char *name, size_t len,
    struct rumpfs_node **rnp)
{
	struct etfs *det = dn->rn_etfs;
	struct etfs_child *ec;
	int error = 0;

	mutex_enter(ET_LOCK(det));
	if (det->et_keyent->et_removed) {
		error = ENOENT;
		goto out;
	}
	TAILQ_FOREACH(ec, &det->et_children, ec_entries) {
		if (ec->ec_namelen == len &&
		    memcmp(ec->ec_name, name, len) == 0) {
			*rnp = ec->ec_node;
			goto out;
		}
	}
	error = etfs_child_make(dn, name, len, rnp);
out:
	mutex_exit(ET_LOCK(det));
	return error;
}

int
etfs_readdir(struct rumpfs_node *dn, struct uio *uio, int *eofflag)
{
	struct etfs *det = dn->rn_etfs;
	struct etfs_child *ec;
	size_t startresid = uio->uio_resid;
	uint64_t cookie;
	int error = 0;

	*eofflag = 0;
	if (uio->uio_offset < 0)
		return EINVAL;
	cookie = (uint64_t)uio->uio_offset;

	mutex_enter(ET_LOCK(det));
	if (cookie == RUMPFS_COOKIE_DOT) {
		error = vfs_dirent_emit(uio, dn->rn_ino, ".", 1, DT_DIR,
		    RUMPFS_COOKIE_DOTDOT);
		cookie = RUMPFS_COOKIE_DOTDOT;
	}
	if (error == 0 && cookie == RUMPFS_COOKIE_DOTDOT) {
		error = vfs_dirent_emit(uio, dn->rn_dir.dir_parent->rn_ino,
		    "..", 2, DT_DIR, RUMPFS_COOKIE_FIRST);
		cookie = RUMPFS_COOKIE_FIRST;
	}
	if (!det->et_keyent->et_removed) {
		TAILQ_FOREACH(ec, &det->et_children, ec_entries) {
			if (error != 0)
				break;
			if (ec->ec_serial < cookie)
				continue;
			error = vfs_dirent_emit(uio, ec->ec_node->rn_ino,
			    ec->ec_name, ec->ec_namelen,
			    rumpfs_vtype_to_dt(ec->ec_node->rn_type),
			    ec->ec_serial + 1);
		}
	}
	mutex_exit(ET_LOCK(det));

	if (error == 0)
		*eofflag = 1;
	/* A record that does not fit ends the read: EINVAL if it is the first. */
	if (error == ENOSPC)
		error = uio->uio_resid == startresid ? EINVAL : 0;
	return error;
}

/*
 * The block and character device drivers of BLK and CHR keys.
 */

static int
etfs_dev_open(dev_t dev, int flag, int devtype, struct lwp *l)
{
	struct etfs *et;
	int error;

	et = etfs_minor_lookup(dev);
	if (et == NULL)
		return ENXIO;
	/* A node made by mknod with the other switch's type is refused. */
	if ((devtype == S_IFBLK) != (et->et_type == RUMP_ETFS_BLK))
		return ENXIO;
	mutex_enter(ET_LOCK(et));
	error = etfs_open_host(et, flag,
	    devtype == S_IFBLK ? RUMPUSER_OPEN_BIO : 0);
	mutex_exit(ET_LOCK(et));
	return error;
}

static int
etfs_dev_close(dev_t dev, int flag, int devtype, struct lwp *l)
{
	struct etfs *et;

	et = etfs_minor_lookup(dev);
	if (et == NULL)
		return ENXIO;
	mutex_enter(ET_LOCK(et));
	etfs_close_host(et);
	mutex_exit(ET_LOCK(et));
	return 0;
}

static void
etfs_biodone(void *arg, size_t done, int error)
{
	struct buf *bp = arg;

	bp->b_error = error;
	bp->b_resid = bp->b_bcount - MIN(done, bp->b_bcount);
	biodone(bp);
}

/*
 * Do a synchronous request in the calling thread, which would only wait
 * for it in biowait otherwise: that saves two thread switches per
 * request, which is most of the time of a small read.
 */
static void
etfs_strategy_sync(struct buf *bp, int fd, int64_t off)
{
	struct rumpuser_iovec iov;
	size_t done = 0, n;
	int error = 0;

	while (done < bp->b_bcount) {
		iov.iov_base = (char *)bp->b_data + done;
		iov.iov_len = bp->b_bcount - done;
		if (bp->b_flags & B_READ)
			error = rumpuser_iovread(fd, &iov, 1,
			    off + (int64_t)done, &n);
		else
			error = rumpuser_iovwrite(fd, &iov, 1,
			    off + (int64_t)done, &n);
		if (error != 0)
			break;
		if (n == 0) {
			/* A read ends at the end of the file; a write must not. */
			if (!(bp->b_flags & B_READ))
				error = EIO;
			break;
		}
		done += n;
	}
	if (error == 0 && !(bp->b_flags & B_READ) && (bp->b_flags & B_SYNC))
		error = rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 0);
	bp->b_error = error;
	bp->b_resid = error != 0 ? bp->b_bcount : bp->b_bcount - done;
	biodone(bp);
}

/*
 * Start a block transfer: asynchronous requests (B_ASYNC) with
 * rumpuser_bio, synchronous ones in the calling thread.  Requests past
 * the end of the window fail with EIO.
 */
static void
etfs_strategy(struct buf *bp)
{
	struct etfs *et;
	uint64_t off, size;
	int fd, op;

	et = etfs_minor_lookup(bp->b_dev);
	if (et == NULL) {
		bp->b_error = ENXIO;
		goto fail;
	}
	mutex_enter(ET_LOCK(et));
	fd = et->et_fd;
	size = et->et_devsize;
	mutex_exit(ET_LOCK(et));
	off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	if (fd == -1) {
		bp->b_error = ENXIO;
		goto fail;
	}
	if (off > size || bp->b_bcount > size - off) {
		bp->b_error = EIO;
		goto fail;
	}

	if (!(bp->b_flags & B_ASYNC)) {
		etfs_strategy_sync(bp, fd, (int64_t)(et->et_begin + off));
		return;
	}
	if (bp->b_flags & B_READ)
		op = RUMPUSER_BIO_READ;
	else
		op = RUMPUSER_BIO_WRITE |
		    ((bp->b_flags & B_SYNC) ? RUMPUSER_BIO_SYNC : 0);
	rumpuser_bio(fd, op, bp->b_data, bp->b_bcount,
	    (int64_t)(et->et_begin + off), etfs_biodone, bp);
	return;

fail:
	bp->b_resid = bp->b_bcount;
	biodone(bp);
}

static int
etfs_psize(dev_t dev, uint64_t *nblocksp)
{
	struct etfs *et;
	uint64_t size;
	int error = 0;

	et = etfs_minor_lookup(dev);
	if (et == NULL)
		return ENXIO;
	mutex_enter(ET_LOCK(et));
	if (et->et_nopen > 0)
		size = et->et_devsize;
	else
		error = etfs_window(et, &size);
	mutex_exit(ET_LOCK(et));
	if (error == 0)
		*nblocksp = size / DEV_BSIZE;
	return error;
}

/* The disk ioctls; DIOCCACHESYNC flushes the host file. */
static int
etfs_dev_ioctl(dev_t dev, u_long cmd, void *data, int flag, struct lwp *l)
{
	struct etfs *et;
	int fd;

	et = etfs_minor_lookup(dev);
	if (et == NULL)
		return ENXIO;
	switch (cmd) {
	case BLKSSZGET:
		*(int *)data = (int)et->et_secsize;
		return 0;
	case BLKPBSZGET:
		*(u_int *)data = et->et_secsize;
		return 0;
	case DIOCCACHESYNC:
		fd = etfs_getfd(et);
		if (fd == -1)
			return EBADF;
		return rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 0);
	default:
		return ENOTTY;
	}
}

static int
etfs_dev_read(dev_t dev, struct uio *uio, int ioflag)
{
	struct etfs *et = etfs_minor_lookup(dev);

	return et != NULL ? etfs_rw(et, uio, ioflag) : ENXIO;
}

static int
etfs_dev_write(dev_t dev, struct uio *uio, int ioflag)
{
	struct etfs *et = etfs_minor_lookup(dev);

	return et != NULL ? etfs_rw(et, uio, ioflag) : ENXIO;
}

static const struct bdevsw etfs_bdevsw = {
	.d_open = etfs_dev_open,
	.d_close = etfs_dev_close,
	.d_strategy = etfs_strategy,
	.d_ioctl = etfs_dev_ioctl,
	.d_psize = etfs_psize,
	.d_flag = D_DISK | D_MPSAFE,
};

static const struct cdevsw etfs_cdevsw = {
	.d_open = etfs_dev_open,
	.d_close = etfs_dev_close,
	.d_read = etfs_dev_read,
	.d_write = etfs_dev_write,
	.d_flag = D_MPSAFE,
};

/*
 * Boot-time registrations and the public interface.
 */

static void
etfs_shutdown(void *arg)
{

	etfs_halted = true;
}

/* Called while the root file system is being mounted. */
void
etfs_boot(struct rumpfs_mount *rm)
{
	struct rump_boot_etfs *eb;

	for (eb = etfs_bootlist; eb != NULL; eb = eb->_eb_next)
		eb->eb_status = etfs_register(rm, eb->eb_key,
		    eb->eb_hostpath, eb->eb_type, eb->eb_begin, eb->eb_size,
		    true);
	etfs_bootlist = NULL;
	(void)shutdownhook_establish(etfs_shutdown, NULL);
}

void
rump_boot_etfs_register(struct rump_boot_etfs *eb)
{

	eb->eb_status = -1;
	eb->_eb_next = etfs_bootlist;
	etfs_bootlist = eb;
}

/* The root file system, or NULL when the kernel is not up. */
static struct rumpfs_mount *
etfs_rootfs(void)
{

	if (etfs_halted)
		return NULL;
	return rumpfs_rootmount();
}

int
rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{
	struct rumpfs_mount *rm;
	int error;

	rm = etfs_rootfs();
	if (rm == NULL)
		return ENXIO;
	rump_schedule();
	error = etfs_register(rm, key, hostpath, type, begin, size, false);
	rump_unschedule();
	return error;
}

int
rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type)
{

	return rump_pub_etfs_register_withsize(key, hostpath, type, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
}

int
rump_pub_etfs_remove(const char *key)
{
	struct rumpfs_mount *rm;
	int error;

	rm = etfs_rootfs();
	if (rm == NULL)
		return ENXIO;
	rump_schedule();
	error = etfs_remove(rm, key);
	rump_unschedule();
	return error;
}
