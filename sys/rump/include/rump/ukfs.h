/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ukfs, the user kernel file system library: mount a file system image
 * in a rump kernel inside the calling process and work on it with calls
 * that take paths, without root and without the host kernel's file
 * systems.  ukfs(3) describes every function.
 *
 * Each handle (struct ukfs) is one mount and one rump kernel process
 * whose root directory is the root of the mount, so every path is
 * relative to the file system image.  Calls on one handle may come from
 * any number of host threads at once.  Every function that returns int
 * or ssize_t returns -1 and sets errno on failure, and every function
 * that returns a pointer returns NULL.  Flags, modes, errno values and
 * structures are those of Linux, as with rump_sys_*.
 */

#ifndef _RUMP_UKFS_H_
#define _RUMP_UKFS_H_

#ifdef _KERNEL
#error ukfs.h is for programs that use a rump kernel
#endif

#include <sys/types.h>
#include <sys/param.h>		/* MAXPATHLEN */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct stat;
struct timeval;
struct mount;
struct vnode;
struct ukfs;
struct ukfs_part;
struct ukfs_dircookie;

/* Interface version that ukfs_init() passes to _ukfs_init(). */
#define UKFS_VERSION	002
#define ukfs_init()	_ukfs_init(UKFS_VERSION)

/*
 * Linux has no EPROGMISMATCH ("program version wrong", the BSD errno of a
 * version mismatch); _ukfs_init() sets EPROTONOSUPPORT in its place.
 */
#ifndef EPROGMISMATCH
#define EPROGMISMATCH	EPROTONOSUPPORT
#endif

/* The usual mount point inside the rump kernel. */
#define UKFS_DEFAULTMP	"/ukfs"

/* ukfs_release() flags. */
#define UKFS_RELFLAG_NOUNMOUNT	0x01	/* free the handle, keep the mount */
#define UKFS_RELFLAG_FORCE	0x02	/* unmount even if busy */

/*
 * Suffixes of an image path that ukfs_part_probe() understands.
 * "%PART:" is the old form of "%DISKLABEL:" and is rejected, and there
 * are no BSD disklabels on Linux images, so "%DISKLABEL:" is rejected
 * too.  "%PARTITION:n%" selects partition n of an MBR or GPT table.
 */
#define UKFS_PARTITION_SCANMAGIC	"%PART:"
#define UKFS_DISKLABEL_SCANMAGIC	"%DISKLABEL:"
#define UKFS_OFFSET_SCANMAGIC		"%OFFSET:"
#define UKFS_PARTNUM_SCANMAGIC		"%PARTITION:"

/* Room for a device path and a suffix of the forms above. */
#define UKFS_DEVICE_MAXSTR	128
#define UKFS_DEVICE_MAXPATHLEN	(MAXPATHLEN + UKFS_DEVICE_MAXSTR)

/* The whole image, and "not a disk" for ukfs_mount(). */
extern struct ukfs_part *ukfs_part_none;
extern struct ukfs_part *ukfs_part_na;

/* Boot the rump kernel; once per process, after any ukfs_modload(). */
int	_ukfs_init(int version);

/* Load file system components (shared objects); before ukfs_init(). */
int	ukfs_modload(const char *fname);
int	ukfs_modload_dir(const char *dirname);

/* The names of the file system types, separated by spaces. */
ssize_t	ukfs_vfstypes(char *buf, size_t buflen);

/*
 * Mount vfsname from devpath at mountpath in the rump kernel.  mntflags
 * are mount(2)'s MS_* flags and arg the option string of mount(2) (alen
 * bytes at most; NULL for none).  A host file or block device as
 * devpath is given to the kernel as a block device of its own.
 */
struct ukfs *ukfs_mount(const char *vfsname, const char *devpath,
	    const char *mountpath, int mntflags, void *arg, size_t alen);
struct ukfs *ukfs_mount_disk(const char *vfsname, const char *devpath,
	    struct ukfs_part *part, const char *mountpath, int mntflags,
	    void *arg, size_t alen);
int	ukfs_release(struct ukfs *, int flags);

int	ukfs_part_probe(char *devpath, struct ukfs_part **partp);
void	ukfs_part_release(struct ukfs_part *);
int	ukfs_part_tostring(struct ukfs_part *, char *buf, size_t buflen);

/*
 * For the main programs of file system daemons: probe the "special"
 * argument of "prog [options] special node", exiting on failure.
 */
#define UKFS_DEVICE_ARGVPROBE(part)					\
do {									\
	if (argc < 3)							\
		*(part) = NULL;						\
	else if (ukfs_part_probe(argv[argc - 2], (part)) == -1)		\
		err(1, "ukfs_part_probe");				\
} while (/*CONSTCOND*/0)

/*
 * File operations.  They work like the system calls of the same names;
 * ukfs_read, ukfs_write and ukfs_getdents open and close the file for
 * each call.  ukfs_getdents fills buf with struct linux_dirent64 records
 * (<dirent.h> of Linux: d_ino, d_off, d_reclen, d_type, d_name).
 */
int	ukfs_opendir(struct ukfs *, const char *dir, struct ukfs_dircookie **);
int	ukfs_getdents(struct ukfs *, const char *dir, off_t *off,
	    uint8_t *buf, size_t bufsize);
int	ukfs_getdents_cookie(struct ukfs *, struct ukfs_dircookie *,
	    off_t *off, uint8_t *buf, size_t bufsize);
int	ukfs_closedir(struct ukfs *, struct ukfs_dircookie *);

int	ukfs_open(struct ukfs *, const char *path, int flags);
ssize_t	ukfs_read(struct ukfs *, const char *path, off_t off,
	    uint8_t *buf, size_t bufsize);
ssize_t	ukfs_read_fd(struct ukfs *, int fd, off_t off,
	    uint8_t *buf, size_t bufsize);
ssize_t	ukfs_write(struct ukfs *, const char *path, off_t off,
	    uint8_t *buf, size_t bufsize);
ssize_t	ukfs_write_fd(struct ukfs *, int fd, off_t off,
	    uint8_t *buf, size_t bufsize, int dosync);
int	ukfs_close(struct ukfs *, int fd);
ssize_t	ukfs_readlink(struct ukfs *, const char *path, char *buf,
	    size_t buflen);

int	ukfs_create(struct ukfs *, const char *path, mode_t);
int	ukfs_mkdir(struct ukfs *, const char *path, mode_t);
int	ukfs_mknod(struct ukfs *, const char *path, mode_t, dev_t);
int	ukfs_mkfifo(struct ukfs *, const char *path, mode_t);
int	ukfs_symlink(struct ukfs *, const char *target, const char *linkname);
int	ukfs_remove(struct ukfs *, const char *path);
int	ukfs_rmdir(struct ukfs *, const char *path);
int	ukfs_link(struct ukfs *, const char *existing, const char *newname);
int	ukfs_rename(struct ukfs *, const char *from, const char *to);
int	ukfs_chdir(struct ukfs *, const char *path);

int	ukfs_stat(struct ukfs *, const char *path, struct stat *);
int	ukfs_lstat(struct ukfs *, const char *path, struct stat *);
int	ukfs_chmod(struct ukfs *, const char *path, mode_t);
int	ukfs_lchmod(struct ukfs *, const char *path, mode_t);
int	ukfs_chown(struct ukfs *, const char *path, uid_t, gid_t);
int	ukfs_lchown(struct ukfs *, const char *path, uid_t, gid_t);
int	ukfs_chflags(struct ukfs *, const char *path, unsigned long);
int	ukfs_lchflags(struct ukfs *, const char *path, unsigned long);
int	ukfs_utimes(struct ukfs *, const char *path, const struct timeval *);
int	ukfs_lutimes(struct ukfs *, const char *path, const struct timeval *);

/* Kernel objects of the mount: not available, always NULL. */
struct mount *ukfs_getmp(struct ukfs *);
struct vnode *ukfs_getrvp(struct ukfs *);

/* A pointer of the caller's, kept with the handle. */
void	ukfs_setspecific(struct ukfs *, void *);
void	*ukfs_getspecific(struct ukfs *);

/* mkdir -p: make pathname and its missing parents with mode. */
int	ukfs_util_builddirs(struct ukfs *, const char *pathname, mode_t);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_UKFS_H_ */
