/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: directory streams.
 *
 * glibc's opendir and readdir open and read through internal calls that
 * no hijack intercepts.  So a directory in the rump kernel gets a stream
 * object of this file instead of glibc's DIR.  Each such object is kept
 * in a list.  Every DIR function first looks its argument up there and
 * passes anything it does not find to the host's function untouched, so
 * host directories keep glibc's own streams.
 *
 * A stream reads linux_dirent64 records with the rump kernel's getdents64
 * into a buffer and returns pointers into it: on LP64 hosts struct dirent
 * and struct dirent64 have the record's layout.  telldir returns the
 * d_off of the entry returned last, which seekdir gives back to lseek.
 *
 * scandir, scandirat and glob for rump paths are built on these streams;
 * getdents64 and getdents on rump descriptors read the kernel directly.
 */

#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack_core.h"

_Static_assert(sizeof(long) == 8, "struct dirent has the getdents64 "
    "record layout only on LP64 hosts");
_Static_assert(offsetof(struct dirent, d_off) == 8 &&
    offsetof(struct dirent, d_reclen) == 16 &&
    offsetof(struct dirent, d_type) == 18 &&
    offsetof(struct dirent, d_name) == 19, "struct dirent layout");

/* Bytes read from the kernel at a time. */
#define DIR_BUFSIZE	32768

struct hijack_dir {
	struct hijack_dir *hd_next;	/* dir_lock */
	int	hd_fd;			/* application's descriptor; fixed */
	pthread_mutex_t hd_lock;	/* the fields below */
	char	*hd_buf;		/* DIR_BUFSIZE bytes */
	size_t	hd_len;			/* bytes of records in hd_buf */
	size_t	hd_pos;			/* offset of the next record */
	long	hd_lastoff;		/* d_off of the record returned last */
};

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hijack_dir *dir_list;	/* dir_lock */
static int dir_count;	/* dir_lock; also read atomically as a hint */

HIJACK_HOSTFN(opendir);
HIJACK_HOSTFN(fdopendir);
HIJACK_HOSTFN(readdir);
HIJACK_HOSTFN(readdir64);
/* readdir_r is deprecated, but programs still call it. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
HIJACK_HOSTFN(readdir_r);
HIJACK_HOSTFN(readdir64_r);
HIJACK_HOSTFN(closedir);
HIJACK_HOSTFN(dirfd);
HIJACK_HOSTFN(rewinddir);
HIJACK_HOSTFN(telldir);
HIJACK_HOSTFN(seekdir);
HIJACK_HOSTFN(scandir);
HIJACK_HOSTFN(scandir64);
HIJACK_HOSTFN(scandirat);
HIJACK_HOSTFN(scandirat64);
HIJACK_HOSTFN(getdents64);
HIJACK_HOSTFN(glob);
HIJACK_HOSTFN(glob64);

/* Our stream behind d, or NULL for a host DIR. */
static struct hijack_dir *
dir_find(DIR *d)
{
	struct hijack_dir *hd;

	if (__atomic_load_n(&dir_count, __ATOMIC_ACQUIRE) == 0 || d == NULL)
		return NULL;
	pthread_mutex_lock(&dir_lock);
	for (hd = dir_list; hd != NULL; hd = hd->hd_next)
		if ((DIR *)hd == d)
			break;
	pthread_mutex_unlock(&dir_lock);
	return hd;
}

/* A stream on rump descriptor fd (as the application numbers it). */
static DIR *
dir_make(int fd)
{
	struct hijack_dir *hd;
	struct stat st;
	int rfd;

	if (hijack_fdkind(fd, &rfd) != HIJACK_RUMP ||
	    rump_sys_fstat(rfd, &st) == -1)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	if ((hd = calloc(1, sizeof(*hd))) == NULL)
		return NULL;
	if ((hd->hd_buf = malloc(DIR_BUFSIZE)) == NULL) {
		free(hd);
		return NULL;
	}
	hd->hd_fd = fd;
	pthread_mutex_init(&hd->hd_lock, NULL);

	pthread_mutex_lock(&dir_lock);
	hd->hd_next = dir_list;
	dir_list = hd;
	__atomic_store_n(&dir_count, dir_count + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&dir_lock);
	return (DIR *)hd;
}

/* The next record of hd, or NULL at the end (errno kept) or on error. */
static struct dirent *
dir_next(struct hijack_dir *hd)
{
	struct dirent *de = NULL;
	ssize_t n;
	int rfd;

	pthread_mutex_lock(&hd->hd_lock);
	if (hd->hd_pos >= hd->hd_len) {
		hijack_fdkind(hd->hd_fd, &rfd);
		n = rump_sys_getdents64(rfd, hd->hd_buf, DIR_BUFSIZE);
		if (n <= 0)
			goto out;
		hd->hd_len = (size_t)n;
		hd->hd_pos = 0;
	}
	de = (struct dirent *)(void *)(hd->hd_buf + hd->hd_pos);
	if (hd->hd_len - hd->hd_pos < offsetof(struct dirent, d_name) + 1 ||
	    de->d_reclen == 0 || de->d_reclen > hd->hd_len - hd->hd_pos) {
		/* Not a record the kernel would send: end the stream. */
		hd->hd_pos = hd->hd_len = 0;
		errno = EIO;
		de = NULL;
		goto out;
	}
	hd->hd_pos += de->d_reclen;
	hd->hd_lastoff = de->d_off;
 out:
	pthread_mutex_unlock(&hd->hd_lock);
	return de;
}

DIR *
opendir(const char *path)
{
	const char *rpath;
	DIR *d;
	int rfd, fd, error;

	if (!hijack_rumppath(path, &rpath))
		return HOST(opendir)(path);
	rfd = rump_sys_open(rpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((fd = hijack_fdout(rfd)) == -1)
		return NULL;
	if ((d = dir_make(fd)) == NULL) {
		error = errno;
		rump_sys_close(rfd);
		errno = error;
	}
	return d;
}

DIR *
fdopendir(int fd)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_HOST)
		return HOST(fdopendir)(fd);
	return dir_make(fd);
}

struct dirent *
readdir(DIR *d)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL)
		return HOST(readdir)(d);
	return dir_next(hd);
}

struct dirent64 *
readdir64(DIR *d)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL)
		return HOST(readdir64)(d);
	return (struct dirent64 *)dir_next(hd);
}

/* readdir_r: copy the next record to entry. */
static int
dir_next_r(struct hijack_dir *hd, struct dirent *entry,
    struct dirent **result)
{
	struct dirent *de;
	int saved = errno;

	errno = 0;
	de = dir_next(hd);
	if (de == NULL) {
		*result = NULL;
		if (errno == 0) {
			errno = saved;
			return 0;
		}
		return errno;
	}
	errno = saved;
	memcpy(entry, de, de->d_reclen < sizeof(*entry) ? de->d_reclen :
	    sizeof(*entry));
	*result = entry;
	return 0;
}

int
readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL)
		return HOST(readdir_r)(d, entry, result);
	return dir_next_r(hd, entry, result);
}

int
readdir64_r(DIR *d, struct dirent64 *entry, struct dirent64 **result)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL)
		return HOST(readdir64_r)(d, entry, result);
	return dir_next_r(hd, (struct dirent *)entry,
	    (struct dirent **)result);
}

int
closedir(DIR *d)
{
	struct hijack_dir *hd, **hp;
	int fd;

	if ((hd = dir_find(d)) == NULL)
		return HOST(closedir)(d);
	pthread_mutex_lock(&dir_lock);
	for (hp = &dir_list; *hp != NULL; hp = &(*hp)->hd_next) {
		if (*hp == hd) {
			*hp = hd->hd_next;
			__atomic_store_n(&dir_count, dir_count - 1,
			    __ATOMIC_RELEASE);
			break;
		}
	}
	pthread_mutex_unlock(&dir_lock);
	fd = hd->hd_fd;
	pthread_mutex_destroy(&hd->hd_lock);
	free(hd->hd_buf);
	free(hd);
	return close(fd);
}

int
dirfd(DIR *d)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL)
		return HOST(dirfd)(d);
	return hd->hd_fd;
}

/* Position hd's descriptor at pos and drop what was buffered. */
static void
dir_seek(struct hijack_dir *hd, long pos)
{
	int rfd;

	pthread_mutex_lock(&hd->hd_lock);
	hijack_fdkind(hd->hd_fd, &rfd);
	if (rump_sys_lseek(rfd, pos, SEEK_SET) != -1)
		hd->hd_lastoff = pos;
	hd->hd_len = hd->hd_pos = 0;
	pthread_mutex_unlock(&hd->hd_lock);
}

void
rewinddir(DIR *d)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL) {
		HOST(rewinddir)(d);
		return;
	}
	dir_seek(hd, 0);
}

void
seekdir(DIR *d, long pos)
{
	struct hijack_dir *hd;

	if ((hd = dir_find(d)) == NULL) {
		HOST(seekdir)(d, pos);
		return;
	}
	dir_seek(hd, pos);
}

long
telldir(DIR *d)
{
	struct hijack_dir *hd;
	long pos;

	if ((hd = dir_find(d)) == NULL)
		return HOST(telldir)(d);
	pthread_mutex_lock(&hd->hd_lock);
	pos = hd->hd_lastoff;
	pthread_mutex_unlock(&hd->hd_lock);
	return pos;
}

/* ------------------------------------------------------------------ */
/* scandir */

typedef int (*dir_filter_t)(const struct dirent *);
typedef int (*dir_compar_t)(const struct dirent **, const struct dirent **);

/* scandir over one of our streams; the stream is closed. */
static int
dir_scan(DIR *d, struct dirent ***namelist, dir_filter_t filter,
    dir_compar_t compar)
{
	struct hijack_dir *hd = (struct hijack_dir *)d;
	struct dirent *de, **list = NULL, **nl, *copy;
	size_t n = 0, cap = 0, i;
	int error;

	for (;;) {
		errno = 0;
		if ((de = dir_next(hd)) == NULL) {
			if (errno != 0)
				goto fail;
			break;
		}
		if (filter != NULL && filter(de) == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nl = realloc(list, cap * sizeof(*nl))) == NULL)
				goto fail;
			list = nl;
		}
		if ((copy = malloc(de->d_reclen)) == NULL)
			goto fail;
		memcpy(copy, de, de->d_reclen);
		list[n++] = copy;
	}
	if (n > 0 && compar != NULL)
		qsort(list, n, sizeof(*list),
		    (int (*)(const void *, const void *))compar);
	closedir(d);
	*namelist = list;
	return (int)n;
 fail:
	error = errno;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	closedir(d);
	errno = error;
	return -1;
}

int
scandir(const char *path, struct dirent ***namelist, dir_filter_t filter,
    dir_compar_t compar)
{
	const char *rpath;
	DIR *d;

	if (!hijack_rumppath(path, &rpath))
		return HOST(scandir)(path, namelist, filter, compar);
	if ((d = opendir(path)) == NULL)
		return -1;
	return dir_scan(d, namelist, filter, compar);
}

int
scandir64(const char *path, struct dirent64 ***namelist,
    int (*filter)(const struct dirent64 *),
    int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	const char *rpath;
	DIR *d;

	if (!hijack_rumppath(path, &rpath))
		return HOST(scandir64)(path, namelist, filter, compar);
	if ((d = opendir(path)) == NULL)
		return -1;
	return dir_scan(d, (struct dirent ***)namelist, (dir_filter_t)filter,
	    (dir_compar_t)compar);
}

/* The stream for scandirat's (dirfd, path), in the rump kernel. */
static DIR *
dir_openat(int rdirfd, const char *rpath)
{
	DIR *d;
	int rfd, error;

	rfd = rump_sys_openat(rdirfd, rpath, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (rfd == -1)
		return NULL;
	if ((d = dir_make(hijack_fdout(rfd))) == NULL) {
		error = errno;
		rump_sys_close(rfd);
		errno = error;
	}
	return d;
}

int
scandirat(int dirfd, const char *path, struct dirent ***namelist,
    dir_filter_t filter, dir_compar_t compar)
{
	const char *rpath;
	int rdirfd;
	DIR *d;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) != HIJACK_RUMP)
		return HOST(scandirat)(dirfd, path, namelist, filter, compar);
	if ((d = dir_openat(rdirfd, rpath)) == NULL)
		return -1;
	return dir_scan(d, namelist, filter, compar);
}

int
scandirat64(int dirfd, const char *path, struct dirent64 ***namelist,
    int (*filter)(const struct dirent64 *),
    int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	const char *rpath;
	int rdirfd;
	DIR *d;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) != HIJACK_RUMP)
		return HOST(scandirat64)(dirfd, path, namelist, filter,
		    compar);
	if ((d = dir_openat(rdirfd, rpath)) == NULL)
		return -1;
	return dir_scan(d, (struct dirent ***)namelist, (dir_filter_t)filter,
	    (dir_compar_t)compar);
}

/* ------------------------------------------------------------------ */
/* getdents */

ssize_t
getdents64(int fd, void *buf, size_t count)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return hijack_badbuf(buf, count) ? hijack_efault() :
		    rump_sys_getdents64(rfd, buf, count);
	return HOST(getdents64)(fd, buf, count);
}

/*
 * The old getdents record: d_ino, d_off, d_reclen, the name, and d_type
 * in the last byte.  For the same name it is as long as a getdents64
 * record (both are 8-aligned with 20 bytes besides the name), so the
 * records are rewritten in place.
 */
int
getdents(int fd, void *buf, size_t count)
{
	char *p = buf, name[256];
	ssize_t n, off;
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST) {
#ifdef SYS_getdents
		return (int)syscall(SYS_getdents, fd, buf, count);
#else
		errno = ENOSYS;
		return -1;
#endif
	}
	if (hijack_badbuf(buf, count))
		return hijack_efault();
	if ((n = rump_sys_getdents64(rfd, buf, count)) <= 0)
		return (int)n;
	for (off = 0; off < n; ) {
		struct dirent *de = (struct dirent *)(void *)(p + off);
		unsigned short reclen = de->d_reclen;
		unsigned char type = de->d_type;
		size_t nlen = strnlen(de->d_name, reclen - 19);

		if (reclen < 24 || off + reclen > n || nlen >= sizeof(name)) {
			errno = EIO;
			return -1;
		}
		memcpy(name, de->d_name, nlen);
		memcpy(p + off + 18, name, nlen);
		p[off + 18 + nlen] = '\0';
		p[off + reclen - 1] = (char)type;
		off += reclen;
	}
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* glob */

/*
 * glibc's glob reads directories through internal calls unless it is
 * given functions of its own (GLOB_ALTDIRFUNC).  For patterns in the rump
 * kernel it is given the hijacked ones.
 */
static bool
dir_globrump(const char *pattern, int flags)
{
	const char *rpath;

	return (flags & GLOB_ALTDIRFUNC) == 0 &&
	    hijack_rumppath(pattern, &rpath);
}

static void *
dir_globopen(const char *path)
{

	return opendir(path);
}

static struct dirent *
dir_globread(void *d)
{

	return readdir(d);
}

static struct dirent64 *
dir_globread64(void *d)
{

	return readdir64(d);
}

static void
dir_globclose(void *d)
{

	(void)closedir(d);
}

int
glob(const char *pattern, int flags, int (*errfunc)(const char *, int),
    glob_t *pglob)
{

	if (!dir_globrump(pattern, flags))
		return HOST(glob)(pattern, flags, errfunc, pglob);
	pglob->gl_opendir = dir_globopen;
	pglob->gl_readdir = dir_globread;
	pglob->gl_closedir = dir_globclose;
	pglob->gl_stat = stat;
	pglob->gl_lstat = lstat;
	return HOST(glob)(pattern, flags | GLOB_ALTDIRFUNC, errfunc, pglob);
}

int
glob64(const char *pattern, int flags, int (*errfunc)(const char *, int),
    glob64_t *pglob)
{

	if (!dir_globrump(pattern, flags))
		return HOST(glob64)(pattern, flags, errfunc, pglob);
	pglob->gl_opendir = dir_globopen;
	pglob->gl_readdir = dir_globread64;
	pglob->gl_closedir = dir_globclose;
	pglob->gl_stat = stat64;
	pglob->gl_lstat = lstat64;
	return HOST(glob64)(pattern, flags | GLOB_ALTDIRFUNC, errfunc, pglob);
}
