/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The device switch: how a device number reaches its driver.
 *
 * A driver fills in a struct cdevsw (character device) and, if it also
 * has a block interface, a struct bdevsw, and attaches them with
 * devsw_attach under a name and a major number.  A device node (VCHR or
 * VBLK vnode) carries a dev_t, made with makedev(major, minor) in the
 * Linux encoding of <sys/stat.h>; the spec_* vnode operations
 * (vfs_spec.c) look the major up here and call the driver with the
 * whole dev_t, so the driver interprets the minor.  A dev_t whose major
 * has no driver fails to open with ENXIO, as on Linux.
 *
 * Open and close.  The driver's d_open runs for every open of a node and
 * d_close for the close of each of those opens.  These are Linux's open
 * and release semantics, not the BSD "last close" ones, so a driver that
 * needs to know whether it is in use counts opens itself.  devtype is
 * S_IFCHR or S_IFBLK: the switch the call came through.
 *
 * Block devices.  A block driver does all its I/O in DEV_BSIZE units
 * through d_strategy with a struct buf (sys/buf.h) and says how big the
 * device is with d_psize.  Reads and writes of a block device node at
 * any offset and length are turned into whole-block requests by the spec
 * layer.
 *
 * Majors.  Fixed majors are Linux's (1 for the memory devices, 5 for the
 * console); a driver without one passes -1 and gets a free major from
 * the ranges Linux hands out dynamically (254 down to 234, then 511 down
 * to 384).  Majors run from 0 to DEVSW_MAJOR_MAX - 1.
 *
 * Locking: devsw_lock (a leaf mutex inside vfs_spec.c) protects the
 * tables on attach and detach; lookups read the tables without it.  A
 * switch must stay valid until devsw_detach returns, and a driver
 * detaches only when no node of it is open.
 */

#ifndef _SYS_CONF_H_
#define _SYS_CONF_H_

#include <sys/types.h>

struct lwp;
struct uio;
struct buf;

#define DEVSW_MAJOR_MAX	512

/* Fixed majors and minors: Linux's numbers for these devices. */
#define MEM_MAJOR	1		/* memory devices */
#define MEM_MINOR_NULL	3		/* /dev/null */
#define MEM_MINOR_ZERO	5		/* /dev/zero */
#define MEM_MINOR_FULL	7		/* /dev/full */
#define MEM_MINOR_RANDOM 8		/* /dev/random */
#define MEM_MINOR_URANDOM 9		/* /dev/urandom */
#define TTYAUX_MAJOR	5		/* /dev/tty, /dev/console */
#define TTYAUX_MINOR_CONSOLE 1		/* /dev/console */

/* d_flag bits. */
#define D_DISK		0x0001		/* a disk: partitions may appear */
#define D_MPSAFE	0x0002		/* may be called from several CPUs */

struct cdevsw {
	/* flag: FREAD, FWRITE and the O_* bits of the open. */
	int	(*d_open)(dev_t, int flag, int devtype, struct lwp *);
	int	(*d_close)(dev_t, int flag, int devtype, struct lwp *);
	/* ioflag: IO_* of vnode.h; uio_offset is the file position. */
	int	(*d_read)(dev_t, struct uio *, int ioflag);
	int	(*d_write)(dev_t, struct uio *, int ioflag);
	/* data: the kernel copy of the argument, as for fo_ioctl. */
	int	(*d_ioctl)(dev_t, u_long cmd, void *data, int flag,
		    struct lwp *);
	/* The ready POLL* events among events; NULL: always ready. */
	int	(*d_poll)(dev_t, int events, struct lwp *);
	int	d_flag;
};

struct bdevsw {
	int	(*d_open)(dev_t, int flag, int devtype, struct lwp *);
	int	(*d_close)(dev_t, int flag, int devtype, struct lwp *);
	/*
	 * Start the transfer bp describes; biodone(bp) reports the end,
	 * possibly before d_strategy returns.
	 */
	void	(*d_strategy)(struct buf *);
	int	(*d_ioctl)(dev_t, u_long cmd, void *data, int flag,
		    struct lwp *);
	/* The size of the device in DEV_BSIZE blocks. */
	int	(*d_psize)(dev_t, uint64_t *nblocksp);
	int	d_flag;
};

/*
 * Attach a driver's switches (either may be NULL) under name.  *bmajor
 * and *cmajor are the requested majors, or -1 for a free one, which is
 * stored back.  EEXIST when a requested major is taken, EBUSY when no
 * free major is left, EINVAL for a major out of range.
 */
int	devsw_attach(const char *name, const struct bdevsw *, int *bmajor,
	    const struct cdevsw *, int *cmajor);
/* Detach switches attached with devsw_attach; NULL ones are skipped. */
void	devsw_detach(const struct bdevsw *, const struct cdevsw *);

/* The switch of dev's major, or NULL when none is attached. */
const struct cdevsw *cdevsw_lookup(dev_t);
const struct bdevsw *bdevsw_lookup(dev_t);
/* The name a major was attached under, or NULL. */
const char *cdevsw_getname(int major);
const char *bdevsw_getname(int major);

#endif /* _SYS_CONF_H_ */
