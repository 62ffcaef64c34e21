/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libukfs: booting, mounting and releasing handles, and binding host
 * threads to a handle's rump process.
 *
 * A handle is a mount and a rump kernel process of its own.  The process
 * is made with rump_pub_lwproc_rfork() when the handle is mounted.  Its
 * root directory is the root of the mount, so that paths in the ukfs
 * calls are paths in the image.  Its working directory is the handle's
 * current directory (ukfs_chdir).  Its umask is 0, so modes given to
 * ukfs_create, ukfs_mkdir and ukfs_mknod are used unchanged.
 *
 * An lwp may run on one host thread at a time.  Each call therefore
 * takes an idle lwp of the handle's process (or makes one), binds it to
 * the calling thread, makes its system calls and gives the lwp back,
 * rebinding whatever lwp the thread had before.  Up to UKFS_IDLE_LWPS
 * idle lwps are kept for later calls.
 *
 * To unmount, the process must leave the mount.  It keeps an O_PATH
 * descriptor of the kernel's root directory from before its chroot, at
 * number UKFS_ESCAPEFD_MIN or above.  ukfs_release changes to it and
 * unmounts.  When the unmount fails, the process goes back into the
 * mount, so that the handle stays usable.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#include "ukfs_private.h"

/* Lowest number of a handle's descriptor of the kernel's root. */
#define UKFS_ESCAPEFD_MIN	1000

/* Handles that exist, for unique ids and mount points. */
static pthread_mutex_t ukfs_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ukfs *ukfs_list;		/* ukfs_list_lock */
static unsigned ukfs_nextid;		/* ukfs_list_lock */

static bool ukfs_booted;		/* atomic */

bool
ukfs_kernel_up(void)
{

	return __atomic_load_n(&ukfs_booted, __ATOMIC_ACQUIRE);
}

int
_ukfs_init(int version)
{
	int error;

	if (version != UKFS_VERSION) {
		errno = EPROGMISMATCH;
		return -1;
	}
	error = rump_init();
	if (error != 0) {
		errno = error;
		return -1;
	}
	__atomic_store_n(&ukfs_booted, true, __ATOMIC_RELEASE);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Binding threads to a handle's process. */

int
ukfs_enter(struct ukfs *fs, struct ukfs_call *uc)
{
	struct lwp *l = NULL;
	int error;

	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	uc->uc_prev = rump_pub_lwproc_curlwp();

	pthread_mutex_lock(&fs->ukfs_lock);
	if (fs->ukfs_releasing) {
		pthread_mutex_unlock(&fs->ukfs_lock);
		errno = EBADF;
		return -1;
	}
	if (fs->ukfs_nidle > 0)
		l = fs->ukfs_idle[--fs->ukfs_nidle];
	else
		fs->ukfs_nlwps++;	/* the one made below */
	pthread_mutex_unlock(&fs->ukfs_lock);

	if (l != NULL) {
		rump_pub_lwproc_switch(l);
	} else {
		error = rump_pub_lwproc_newlwp(fs->ukfs_pid);
		if (error != 0) {
			pthread_mutex_lock(&fs->ukfs_lock);
			fs->ukfs_nlwps--;
			pthread_mutex_unlock(&fs->ukfs_lock);
			errno = error;
			return -1;
		}
		l = rump_pub_lwproc_curlwp();
	}
	uc->uc_lwp = l;
	return 0;
}

void
ukfs_leave(struct ukfs *fs, struct ukfs_call *uc)
{
	int saved_errno = errno;
	bool kept = false;

	/* Unbind first: another thread may take the lwp once it is idle. */
	rump_pub_lwproc_switch(uc->uc_prev);
	pthread_mutex_lock(&fs->ukfs_lock);
	if (fs->ukfs_nidle < UKFS_IDLE_LWPS) {
		fs->ukfs_idle[fs->ukfs_nidle++] = uc->uc_lwp;
		kept = true;
	} else
		fs->ukfs_nlwps--;
	pthread_mutex_unlock(&fs->ukfs_lock);

	/* Enough idle ones: release this one (never the process's last). */
	if (!kept) {
		rump_pub_lwproc_switch(uc->uc_lwp);
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(uc->uc_prev);
	}
	errno = saved_errno;
}

/* ------------------------------------------------------------------ */
/* Mounting. */

/* True when a handle other than fs uses path as its mount point. */
static bool
ukfs_mountpath_used(const char *path)
{
	struct ukfs *fs;

	for (fs = ukfs_list; fs != NULL; fs = fs->ukfs_next)
		if (strcmp(fs->ukfs_mountpath, path) == 0)
			return true;
	return false;
}

/*
 * Give fs an id and its mount point, and put it on the list.  A busy
 * UKFS_DEFAULTMP becomes UKFS_DEFAULTMP.<id>; any other busy mount point
 * is EBUSY.  Returns 0 or an errno value.
 */
static int
ukfs_register_handle(struct ukfs *fs, const char *mountpath)
{
	char buf[sizeof(UKFS_DEFAULTMP) + 16];
	int error = 0;

	pthread_mutex_lock(&ukfs_list_lock);
	fs->ukfs_id = ukfs_nextid++;
	if (ukfs_mountpath_used(mountpath)) {
		if (strcmp(mountpath, UKFS_DEFAULTMP) != 0) {
			error = EBUSY;
			goto out;
		}
		snprintf(buf, sizeof(buf), "%s.%u", UKFS_DEFAULTMP,
		    fs->ukfs_id);
		mountpath = buf;
	}
	fs->ukfs_mountpath = strdup(mountpath);
	if (fs->ukfs_mountpath == NULL) {
		error = ENOMEM;
		goto out;
	}
	fs->ukfs_next = ukfs_list;
	ukfs_list = fs;
 out:
	pthread_mutex_unlock(&ukfs_list_lock);
	return error;
}

static void
ukfs_unregister_handle(struct ukfs *fs)
{
	struct ukfs **fsp;

	pthread_mutex_lock(&ukfs_list_lock);
	for (fsp = &ukfs_list; *fsp != NULL; fsp = &(*fsp)->ukfs_next) {
		if (*fsp == fs) {
			*fsp = fs->ukfs_next;
			break;
		}
	}
	pthread_mutex_unlock(&ukfs_list_lock);
}

/*
 * Make the image part selects of devpath a block device of the kernel
 * under fs's own etfs key, and store in source the kernel path to give
 * mount(2).  devpath that names no host file or block device is given to
 * mount(2) unchanged when part is ukfs_part_none or ukfs_part_na (a
 * network address, a kernel path, "rumpfs").  Returns 0 or an errno
 * value.
 */
static int
ukfs_attach_device(struct ukfs *fs, const char *devpath,
    const struct ukfs_part *part, char *source, size_t sourcelen)
{
	char key[32];
	struct stat st;
	bool whole;
	int error;

	whole = part->part_kind == UKFS_PART_NONE ||
	    part->part_kind == UKFS_PART_NA;
	if (stat(devpath, &st) == -1)
		error = errno;
	else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		error = ENOTBLK;
	else
		error = 0;
	if (error != 0) {
		if (!whole)
			return error;
		if (strlen(devpath) >= sourcelen)
			return ENAMETOOLONG;
		strcpy(source, devpath);
		return 0;
	}

	snprintf(key, sizeof(key), "/dev/ukfs%u", fs->ukfs_id);
	if (part->part_kind == UKFS_PART_OFFSET)
		error = rump_pub_etfs_register_withsize(key, devpath,
		    RUMP_ETFS_BLK, part->part_start,
		    part->part_end - part->part_start);
	else
		error = rump_pub_etfs_register(key, devpath, RUMP_ETFS_BLK);
	if (error != 0)
		return error;
	fs->ukfs_devkey = strdup(key);
	if (fs->ukfs_devkey == NULL) {
		(void)rump_pub_etfs_remove(key);
		return ENOMEM;
	}

	error = ukfs_part_devnode(part, key, source, sourcelen);
	if (error == 0 && part->part_kind == UKFS_PART_NUMBER &&
	    rump_sys_stat(source, &st) == -1)
		error = errno == ENOENT ? ENXIO : errno;
	return error;
}

/*
 * Make the directories of path in the kernel, mode 0755.  *madep is set
 * when the last one was made here.
 */
static int
ukfs_make_mountpoint(const char *path, bool *madep)
{
	char buf[PATH_MAX];
	struct stat st;
	char *p;

	*madep = false;
	if (strlen(path) >= sizeof(buf))
		return ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (rump_sys_mkdir(buf, 0755) == 0)
				*madep = c == '\0' || p[1] == '\0';
			else if (errno != EEXIST)
				return errno;
			else if (rump_sys_stat(buf, &st) == -1)
				return errno;
			else if (!S_ISDIR(st.st_mode))
				return ENOTDIR;
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	return 0;
}

/*
 * In fs's new process: mount, keep a descriptor of the kernel's root,
 * and move into the mount.  On failure nothing is left mounted.
 */
static int
ukfs_mount_here(struct ukfs *fs, const char *vfsname, const char *source,
    int mntflags, const char *options)
{
	int fd, error;

	error = ukfs_make_mountpoint(fs->ukfs_mountpath, &fs->ukfs_madedir);
	if (error != 0)
		return error;
	if (rump_sys_mount(source, fs->ukfs_mountpath, vfsname,
	    (unsigned long)(unsigned)mntflags, options) == -1) {
		error = errno;
		goto undo_dir;
	}

	fd = rump_sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1) {
		error = errno;
		goto undo_mount;
	}
	fs->ukfs_escapefd = rump_sys_fcntl(fd, F_DUPFD_CLOEXEC,
	    UKFS_ESCAPEFD_MIN);
	if (fs->ukfs_escapefd == -1)
		fs->ukfs_escapefd = fd;		/* a small limit: keep fd */
	else
		(void)rump_sys_close(fd);

	if (rump_sys_chroot(fs->ukfs_mountpath) == -1 ||
	    rump_sys_chdir("/") == -1) {
		error = errno;
		(void)rump_sys_close(fs->ukfs_escapefd);
		goto undo_mount;
	}
	(void)rump_sys_umask(0);
	return 0;

 undo_mount:
	(void)rump_sys_umount2(fs->ukfs_mountpath, 0);
 undo_dir:
	if (fs->ukfs_madedir)
		(void)rump_sys_rmdir(fs->ukfs_mountpath);
	return error;
}

/* Copy the option string arg of at most alen bytes; NULL for none. */
static int
ukfs_copy_options(const void *arg, size_t alen, char **optionsp)
{
	size_t len;

	*optionsp = NULL;
	if (arg == NULL || alen == 0)
		return 0;
	len = strnlen(arg, alen);
	*optionsp = malloc(len + 1);
	if (*optionsp == NULL)
		return ENOMEM;
	memcpy(*optionsp, arg, len);
	(*optionsp)[len] = '\0';
	return 0;
}

static void
ukfs_free_handle(struct ukfs *fs)
{

	pthread_mutex_destroy(&fs->ukfs_lock);
	free(fs->ukfs_mountpath);
	free(fs->ukfs_devkey);
	free(fs);
}

struct ukfs *
ukfs_mount_disk(const char *vfsname, const char *devpath,
    struct ukfs_part *part, const char *mountpath, int mntflags,
    void *arg, size_t alen)
{
	char source[UKFS_DEVICE_MAXPATHLEN];
	struct lwp *prev;
	struct ukfs *fs;
	char *options = NULL;
	int error;

	if (vfsname == NULL || devpath == NULL || mountpath == NULL ||
	    mountpath[0] != '/' || part == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (!ukfs_kernel_up()) {
		errno = ENXIO;
		return NULL;
	}
	fs = calloc(1, sizeof(*fs));
	if (fs == NULL)
		return NULL;
	pthread_mutex_init(&fs->ukfs_lock, NULL);
	fs->ukfs_escapefd = -1;

	error = ukfs_copy_options(arg, alen, &options);
	if (error != 0)
		goto fail;
	error = ukfs_register_handle(fs, mountpath);
	if (error != 0)
		goto fail;
	error = ukfs_attach_device(fs, devpath, part, source, sizeof(source));
	if (error != 0)
		goto fail_registered;

	/* The new process is a child of the caller's and bound to us. */
	prev = rump_pub_lwproc_curlwp();
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error != 0)
		goto fail_registered;
	error = ukfs_mount_here(fs, vfsname, source, mntflags, options);
	if (error != 0) {
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(prev);
		goto fail_registered;
	}
	fs->ukfs_pid = rump_sys_getpid();
	fs->ukfs_idle[0] = rump_pub_lwproc_curlwp();
	fs->ukfs_nidle = 1;
	fs->ukfs_nlwps = 1;
	rump_pub_lwproc_switch(prev);
	free(options);
	return fs;

 fail_registered:
	ukfs_unregister_handle(fs);
	if (fs->ukfs_devkey != NULL)
		(void)rump_pub_etfs_remove(fs->ukfs_devkey);
 fail:
	free(options);
	ukfs_free_handle(fs);
	errno = error;
	return NULL;
}

struct ukfs *
ukfs_mount(const char *vfsname, const char *devpath, const char *mountpath,
    int mntflags, void *arg, size_t alen)
{

	return ukfs_mount_disk(vfsname, devpath, ukfs_part_na, mountpath,
	    mntflags, arg, alen);
}

/* ------------------------------------------------------------------ */
/* Releasing. */

/*
 * Unmount fs from inside its process: leave the mount through the
 * descriptor of the kernel's root, unmount, and on failure go back to
 * the root of the mount and the working directory it had.
 */
static int
ukfs_unmount(struct ukfs *fs, bool force)
{
	struct ukfs_call uc;
	char cwd[PATH_MAX];
	int error = 0;

	uc.uc_prev = rump_pub_lwproc_curlwp();
	uc.uc_lwp = fs->ukfs_idle[0];
	rump_pub_lwproc_switch(uc.uc_lwp);

	if (rump_sys_getcwd(cwd, sizeof(cwd)) == NULL)
		strcpy(cwd, "/");
	if (rump_sys_fchdir(fs->ukfs_escapefd) == -1 ||
	    rump_sys_chroot(".") == -1) {
		error = errno;
		goto out;
	}
	if (rump_sys_umount2(fs->ukfs_mountpath, force ? MNT_FORCE : 0) ==
	    -1) {
		error = errno;
		if (!force) {
			/* Into the mount by the kernel's path, then chroot. */
			if (rump_sys_chdir(fs->ukfs_mountpath) == -1 ||
			    rump_sys_chroot(".") == -1)
				fprintf(stderr, "ukfs: %s: cannot re-enter "
				    "the mount after a failed unmount: %s\n",
				    fs->ukfs_mountpath, strerror(errno));
			else if (rump_sys_chdir(cwd) == -1)
				(void)rump_sys_chdir("/");
			goto out;
		}
	}
	error = 0;
	if (fs->ukfs_madedir)
		(void)rump_sys_rmdir(fs->ukfs_mountpath);
 out:
	rump_pub_lwproc_switch(uc.uc_prev);
	return error;
}

/* Release every lwp of fs's process, which ends with the last one. */
static void
ukfs_end_process(struct ukfs *fs)
{
	struct lwp *prev;
	int i;

	prev = rump_pub_lwproc_curlwp();
	for (i = 0; i < fs->ukfs_nidle; i++) {
		rump_pub_lwproc_switch(fs->ukfs_idle[i]);
		rump_pub_lwproc_releaselwp();
	}
	fs->ukfs_nidle = 0;
	rump_pub_lwproc_switch(prev);
}

int
ukfs_release(struct ukfs *fs, int flags)
{
	int error;

	if (fs == NULL ||
	    (flags & ~(UKFS_RELFLAG_NOUNMOUNT | UKFS_RELFLAG_FORCE)) != 0) {
		errno = EINVAL;
		return -1;
	}

	/* No thread may be inside a call, because its lwp would go away. */
	pthread_mutex_lock(&fs->ukfs_lock);
	if (fs->ukfs_releasing || fs->ukfs_nidle != fs->ukfs_nlwps) {
		pthread_mutex_unlock(&fs->ukfs_lock);
		errno = EBUSY;
		return -1;
	}
	fs->ukfs_releasing = true;
	pthread_mutex_unlock(&fs->ukfs_lock);

	if (!(flags & UKFS_RELFLAG_NOUNMOUNT)) {
		error = ukfs_unmount(fs, (flags & UKFS_RELFLAG_FORCE) != 0);
		if (error != 0) {
			pthread_mutex_lock(&fs->ukfs_lock);
			fs->ukfs_releasing = false;
			pthread_mutex_unlock(&fs->ukfs_lock);
			errno = error;
			return -1;
		}
	}

	ukfs_end_process(fs);
	ukfs_unregister_handle(fs);
	/* A mount that stays (NOUNMOUNT) keeps its device. */
	if (fs->ukfs_devkey != NULL && !(flags & UKFS_RELFLAG_NOUNMOUNT))
		(void)rump_pub_etfs_remove(fs->ukfs_devkey);
	ukfs_free_handle(fs);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Handle data. */

struct mount *
ukfs_getmp(struct ukfs *fs)
{

	errno = ENOTSUP;
	return NULL;
}

struct vnode *
ukfs_getrvp(struct ukfs *fs)
{

	errno = ENOTSUP;
	return NULL;
}

void
ukfs_setspecific(struct ukfs *fs, void *priv)
{

	fs->ukfs_specific = priv;
}

void *
ukfs_getspecific(struct ukfs *fs)
{

	return fs->ukfs_specific;
}
