/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared helpers of the ext2 image tests (t_images, t_random, t_damaged).
 * They run the e2fsprogs tools on an image and mount an image in the rump
 * kernel.  They compare a tree in the kernel with a host directory, hash
 * an image file, and run part of a test in a child process with a time
 * limit.
 *
 * The img_* functions report through ATF and run only in the test's own
 * process.  Code that runs in a child of img_child() must not use ATF
 * (its state is per process): it prints to stderr and returns a status.
 */

#ifndef _TESTS_FS_EXT2FS_H_FSIMAGE_H_
#define _TESTS_FS_EXT2FS_H_FSIMAGE_H_

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

/* Prefix of every failure message, e.g. "seed 42: " (empty by default). */
static char img_prefix[64];

/* The number of differences that img_compare_trees reports one by one. */
#define IMG_MAX_REPORTS	30

/* ------------------------------------------------------------------ */
/* Host commands. */

/*
 * Run the shell command made from fmt with its output (stdout, and
 * stderr unless the command redirects it) kept in out: the first
 * outlen - 1 bytes of it.  Returns the
 * exit status, or 128 + the signal number when a signal ended it.
 */
static inline int
img_run(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline int
img_run(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[8192], sink[4096];
	size_t used = 0, n;
	va_list ap;
	FILE *fp;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 8, fmt, ap);
	va_end(ap);
	if (strstr(cmd, "2>") == NULL)
		strcat(cmd, " 2>&1");
	if (out == NULL || outlen == 0) {
		out = sink;
		outlen = sizeof(sink);
	}
	out[0] = '\0';

	fflush(stdout);
	fp = popen(cmd, "r");
	if (fp == NULL)
		return -1;
	for (;;) {
		char chunk[4096];

		n = fread(chunk, 1, sizeof(chunk), fp);
		if (n == 0)
			break;
		if (used + 1 < outlen) {
			size_t take = outlen - 1 - used;

			if (take > n)
				take = n;
			memcpy(out + used, chunk, take);
			used += take;
			out[used] = '\0';
		}
	}
	status = pclose(fp);
	if (status == -1)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Make sure the e2fsprogs tools can be run, or skip the test.  They live
 * in /sbin on Debian, which an ordinary user's PATH may lack.
 */
static inline void
img_require_e2fsprogs(void)
{
	const char *path;
	char buf[4096];

	path = getenv("PATH");
	snprintf(buf, sizeof(buf), "%s:/usr/sbin:/sbin",
	    path != NULL ? path : "/usr/bin:/bin");
	setenv("PATH", buf, 1);
	if (img_run(NULL, 0, "command -v mke2fs && command -v e2fsck && "
	    "command -v debugfs && command -v dumpe2fs") != 0)
		atf_tc_skip("e2fsprogs is missing: mke2fs, e2fsck, debugfs "
		    "and dumpe2fs are needed (Debian package e2fsprogs)");
}

/* Run a command that must succeed; fails the test with its output. */
#define IMG_RUN_OK(...) do {						\
	char run_out_[4096];						\
	int run_st_;							\
									\
	run_st_ = img_run(run_out_, sizeof(run_out_), __VA_ARGS__);	\
	ATF_REQUIRE_MSG(run_st_ == 0, "%scommand failed (exit %d): %s",	\
	    img_prefix, run_st_, run_out_);				\
} while (0)

/*
 * Check the image with `e2fsck -fn`: exit status 0 means clean.  Returns
 * true when it is clean, and reports its output as a failure otherwise.
 */
static inline bool
img_fsck_clean(const char *img)
{
	char out[6000];
	int st;

	st = img_run(out, sizeof(out), "e2fsck -fn '%s'", img);
	ATF_CHECK_MSG(st == 0, "%se2fsck -fn %s exited %d:\n%s", img_prefix,
	    img, st, out);
	return st == 0;
}

/*
 * Read the file at path in the image through `debugfs -R 'cat PATH'`
 * into a malloc'ed buffer.  Returns NULL when debugfs fails to run.
 * debugfs exits 0 for a missing file too, leaving the buffer empty.
 */
static inline char *
img_debugfs_cat(const char *img, const char *path, size_t *lenp)
{
	char cmd[PATH_MAX + 256];
	size_t len = 0, cap = 1 << 16, n;
	char *buf;
	FILE *fp;

	/* debugfs takes double quotes; path must not contain ' or ". */
	snprintf(cmd, sizeof(cmd), "debugfs -R 'cat \"/%s\"' '%s' "
	    "2>/dev/null", path, img);
	fp = popen(cmd, "r");
	if (fp == NULL)
		return NULL;
	buf = malloc(cap);
	if (buf == NULL) {
		pclose(fp);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap) {
			char *nbuf = realloc(buf, cap * 2);

			if (nbuf == NULL)
				break;
			buf = nbuf;
			cap *= 2;
		}
	}
	if (pclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	*lenp = len;
	return buf;
}

/*
 * Read the number after "field:" in the output of `dumpe2fs -h img`,
 * e.g. "Free blocks".  Returns -1 when it is missing.
 */
static inline long long
img_dumpe2fs_field(const char *img, const char *field)
{
	char out[16384], *p;
	size_t flen = strlen(field);

	if (img_run(out, sizeof(out), "dumpe2fs -h '%s'", img) != 0)
		return -1;
	for (p = out; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, field, flen) == 0 && p[flen] == ':')
			return strtoll(p + flen + 1, NULL, 0);
	}
	return -1;
}

/* A 64-bit FNV-1a hash of the whole file, to see whether it changed. */
static inline uint64_t
img_hash_file(const char *path)
{
	static unsigned char buf[1 << 16];
	uint64_t h = 0xcbf29ce484222325ULL;
	ssize_t n, i;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			h ^= buf[i];
			h *= 0x100000001b3ULL;
		}
	}
	close(fd);
	return h;
}

/*
 * Make the host directory name: a symlink to a new directory in /dev/shm
 * when that works, a plain directory otherwise.  Creating thousands of
 * files in tmpfs takes a fraction of the time that a disk file system
 * may need.  img_tmpfs_cleanup removes it again.
 */
static inline void
img_tmpfs_dir(const char *name)
{
	char dir[] = "/dev/shm/t_ext2fs.XXXXXX";

	if (mkdtemp(dir) != NULL) {
		ATF_REQUIRE_EQ(chmod(dir, 0755), 0);
		ATF_REQUIRE_MSG(symlink(dir, name) == 0, "symlink %s: %s",
		    name, strerror(errno));
		return;
	}
	ATF_REQUIRE_MSG(mkdir(name, 0755) == 0, "mkdir %s: %s", name,
	    strerror(errno));
}

/* Remove the /dev/shm directory that img_tmpfs_dir made for name. */
static inline void
img_tmpfs_cleanup(const char *name)
{
	char dir[PATH_MAX], cmd[PATH_MAX + 16];
	ssize_t n;

	n = readlink(name, dir, sizeof(dir) - 1);
	if (n <= 0)
		return;
	dir[n] = '\0';
	if (strncmp(dir, "/dev/shm/t_ext2fs.", 18) != 0 ||
	    strchr(dir, '\'') != NULL)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	unlink(name);
}

/* ------------------------------------------------------------------ */
/* The rump kernel side. */

static inline void
img_boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Register the host file img as the block device key. */
static inline void
img_register(const char *key, const char *img)
{
	int error;

	error = rump_pub_etfs_register(key, img, RUMP_ETFS_BLK);
	ATF_REQUIRE_EQ_MSG(error, 0, "%setfs register %s as %s: %s",
	    img_prefix, img, key, strerror(error));
}

/* Mount key at dir (made when missing).  Returns 0 or the errno. */
static inline int
img_try_mount(const char *key, const char *dir, const char *type,
    unsigned long flags)
{

	if (rump_sys_mkdir(dir, 0755) == -1 && errno != EEXIST)
		return errno;
	if (rump_sys_mount(key, dir, type, flags, NULL) == -1)
		return errno;
	return 0;
}

static inline void
img_mount(const char *key, const char *dir, const char *type,
    unsigned long flags)
{
	int error;

	error = img_try_mount(key, dir, type, flags);
	ATF_REQUIRE_EQ_MSG(error, 0, "%smount %s on %s as %s (flags %#lx): %s",
	    img_prefix, key, dir, type, flags, strerror(error));
}

/* A macro, so that a failure names the caller's line. */
#define img_umount(dir)							\
	ATF_REQUIRE_EQ_MSG(rump_sys_umount(dir), 0, "%sumount %s: %s",	\
	    img_prefix, (dir), strerror(errno))

/* ------------------------------------------------------------------ */
/* Data patterns and a small seeded generator. */

/* Byte off of the data stream number seed. */
static inline unsigned char
img_pattern(uint32_t seed, off_t off)
{
	uint64_t x = (uint64_t)off * 0x9e3779b97f4a7c15ULL + seed;

	x ^= x >> 29;
	return (unsigned char)(x ^ (x >> 11) ^ (off >> 12));
}

static inline void
img_fill(unsigned char *buf, size_t len, uint32_t seed, off_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = img_pattern(seed, off + (off_t)i);
}

/* xorshift64*: a fast generator whose sequence depends only on the seed. */
static inline uint64_t
img_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n). */
static inline uint64_t
img_rand_below(uint64_t *state, uint64_t n)
{

	return n == 0 ? 0 : img_rand(state) % n;
}

/* ------------------------------------------------------------------ */
/* Comparing a kernel tree with a host tree. */

#define IMG_CMP_TIMES	0x1	/* mtime, to the second */
#define IMG_CMP_OWNERS	0x2	/* uid and gid */
#define IMG_CMP_ROOTLF	0x4	/* the kernel root's lost+found has no twin */

struct img_names {
	char	**name;
	unsigned char *type;	/* d_type of the kernel's entries */
	size_t	  n, cap;
};

struct img_inopair {
	ino_t	host, rump;
};

struct img_cmp {
	int	flags;
	size_t	ndiff;
	struct img_inopair *pairs;	/* hard-linked files seen so far */
	size_t	npairs, cappairs;
	unsigned char *hbuf, *rbuf;
};

#define IMG_CMP_BUF	(1 << 16)

/* Record one difference at rel, as an ATF failure while there are few. */
static inline void
img_diff(struct img_cmp *c, const char *rel, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline void
img_diff(struct img_cmp *c, const char *rel, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	c->ndiff++;
	if (c->ndiff > IMG_MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ATF_CHECK_MSG(false, "%s/%s: %s", img_prefix, rel, msg);
}

static inline void
img_names_add(struct img_names *l, const char *name, unsigned char type)
{

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->name = realloc(l->name, l->cap * sizeof(*l->name));
		l->type = realloc(l->type, l->cap);
		ATF_REQUIRE(l->name != NULL && l->type != NULL);
	}
	l->name[l->n] = strdup(name);
	ATF_REQUIRE(l->name[l->n] != NULL);
	l->type[l->n] = type;
	l->n++;
}

static inline void
img_names_free(struct img_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->name);
	free(l->type);
	memset(l, 0, sizeof(*l));
}

static inline int
img_cmpname(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the names, moving their d_type bytes along. */
static inline void
img_names_sort(struct img_names *l)
{
	struct pair { char *name; unsigned char type; } *p;
	size_t i;

	p = malloc((l->n + 1) * sizeof(*p));
	ATF_REQUIRE(p != NULL);
	for (i = 0; i < l->n; i++) {
		p[i].name = l->name[i];
		p[i].type = l->type[i];
	}
	qsort(p, l->n, sizeof(*p), img_cmpname);
	for (i = 0; i < l->n; i++) {
		l->name[i] = p[i].name;
		l->type[i] = p[i].type;
	}
	free(p);
}

/* List the host directory open as fd, without "." and "..". */
static inline int
img_list_host(int fd, struct img_names *l)
{
	struct dirent *d;
	DIR *dir;

	fd = openat(fd, ".", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno;
	dir = fdopendir(fd);
	if (dir == NULL) {
		close(fd);
		return errno;
	}
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		img_names_add(l, d->d_name, d->d_type);
	}
	closedir(dir);
	img_names_sort(l);
	return 0;
}

/*
 * List the kernel directory open as dirfd with getdents64, without "."
 * and "..".  Returns 0 or the errno of openat or getdents64.
 */
static inline int
img_list_rump(int dirfd, struct img_names *l)
{
	static char buf[32768];
	struct dirent64 *d;
	ssize_t n, off;
	int fd, error = 0;

	fd = rump_sys_openat(dirfd, ".", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno;
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			if (d->d_reclen == 0)
				break;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			img_names_add(l, d->d_name, d->d_type);
		}
	}
	if (n < 0)
		error = errno;
	rump_sys_close(fd);
	img_names_sort(l);
	return error;
}

static inline const char *
img_typename(mode_t mode)
{

	switch (mode & S_IFMT) {
	case S_IFREG:	return "file";
	case S_IFDIR:	return "directory";
	case S_IFLNK:	return "symlink";
	case S_IFIFO:	return "fifo";
	case S_IFCHR:	return "char device";
	case S_IFBLK:	return "block device";
	case S_IFSOCK:	return "socket";
	}
	return "unknown";
}

/*
 * Compare len bytes at off of the host file hfd and the kernel file
 * rfd.  Returns false after recording a difference.
 */
static inline bool
img_cmp_range(struct img_cmp *c, const char *rel, int hfd, int rfd,
    off_t off, off_t len)
{
	ssize_t hn, rn, i;
	size_t want;

	while (len > 0) {
		want = len > IMG_CMP_BUF ? IMG_CMP_BUF : (size_t)len;
		hn = pread(hfd, c->hbuf, want, off);
		rn = rump_sys_pread(rfd, c->rbuf, want, off);
		if (rn < 0) {
			img_diff(c, rel, "read %zu bytes at %lld: %s", want,
			    (long long)off, strerror(errno));
			return false;
		}
		if (hn != rn) {
			img_diff(c, rel, "read %zu bytes at %lld: got %zd, the "
			    "host %zd", want, (long long)off, rn, hn);
			return false;
		}
		if (memcmp(c->hbuf, c->rbuf, (size_t)hn) != 0) {
			for (i = 0; i < hn && c->hbuf[i] == c->rbuf[i]; i++)
				continue;
			img_diff(c, rel, "content differs at byte %lld "
			    "(0x%02x, the host 0x%02x)", (long long)(off + i),
			    c->rbuf[i], c->hbuf[i]);
			return false;
		}
		if (hn == 0)
			break;
		off += hn;
		len -= hn;
	}
	return true;
}

/*
 * Compare the contents of a regular file.  Up to 1 MiB the whole file is
 * read.  A larger (often sparse) file is compared on the host's data
 * ranges (SEEK_DATA and SEEK_HOLE) and on its last 4 KiB.  In each hole,
 * 4 KiB at its start and 4 KiB in its middle are compared, so that a
 * 5 GiB sparse file stays cheap.
 */
static inline void
img_cmp_content(struct img_cmp *c, const char *rel, int hdirfd, int rdirfd,
    const char *name, off_t size)
{
	off_t data, hole, next, mid, budget = 64 << 20;
	int hfd, rfd;
	char b;

	hfd = openat(hdirfd, name, O_RDONLY | O_NOFOLLOW);
	ATF_REQUIRE_MSG(hfd >= 0, "open %s: %s", rel, strerror(errno));
	rfd = rump_sys_openat(rdirfd, name, O_RDONLY | O_NOFOLLOW);
	if (rfd < 0) {
		img_diff(c, rel, "open: %s", strerror(errno));
		close(hfd);
		return;
	}

	if (size <= (1 << 20)) {
		img_cmp_range(c, rel, hfd, rfd, 0, size + 1);
		goto out;
	}
	for (data = 0; data < size && budget > 0; data = hole) {
		data = lseek(hfd, data, SEEK_DATA);
		if (data < 0)
			break;
		hole = lseek(hfd, data, SEEK_HOLE);
		if (hole < 0 || hole > size)
			hole = size;
		if (hole - data > budget)
			hole = data + budget;
		if (!img_cmp_range(c, rel, hfd, rfd, data, hole - data))
			goto out;
		budget -= hole - data;
		if (hole >= size)
			continue;
		if (!img_cmp_range(c, rel, hfd, rfd, hole,
		    size - hole < 4096 ? size - hole : 4096))
			goto out;
		next = lseek(hfd, hole, SEEK_DATA);
		if (next < 0)
			next = size;
		mid = hole + (next - hole) / 2;
		if (!img_cmp_range(c, rel, hfd, rfd, mid,
		    next - mid < 4096 ? next - mid : 4096))
			goto out;
	}
	if (!img_cmp_range(c, rel, hfd, rfd, size - 4096, 4096))
		goto out;
	if (rump_sys_pread(rfd, &b, 1, size) != 0)
		img_diff(c, rel, "a read at the end of the file returns data "
		    "or an error");
out:
	rump_sys_close(rfd);
	close(hfd);
}

/* Hard links: the same host inode must map to the same kernel inode. */
static inline void
img_cmp_links(struct img_cmp *c, const char *rel, ino_t hino, ino_t rino)
{
	size_t i;

	for (i = 0; i < c->npairs; i++) {
		if (c->pairs[i].host == hino && c->pairs[i].rump != rino) {
			img_diff(c, rel, "inode %llu, but its hard link seen "
			    "before has inode %llu", (unsigned long long)rino,
			    (unsigned long long)c->pairs[i].rump);
			return;
		}
		if (c->pairs[i].host != hino && c->pairs[i].rump == rino) {
			img_diff(c, rel, "shares inode %llu with a file that "
			    "is a different file on the host",
			    (unsigned long long)rino);
			return;
		}
		if (c->pairs[i].host == hino)
			return;
	}
	if (c->npairs == c->cappairs) {
		c->cappairs = c->cappairs ? c->cappairs * 2 : 32;
		c->pairs = realloc(c->pairs, c->cappairs * sizeof(*c->pairs));
		ATF_REQUIRE(c->pairs != NULL);
	}
	c->pairs[c->npairs].host = hino;
	c->pairs[c->npairs].rump = rino;
	c->npairs++;
}

static inline unsigned char
img_dtype(mode_t mode)
{

	return (unsigned char)(((mode) & S_IFMT) >> 12);
}

static inline void img_cmp_dir(struct img_cmp *, const char *, int, int,
    int);

/* The deepest directory level compared: one descriptor per level. */
#define IMG_CMP_MAX_DEPTH	300

/*
 * Compare the entry name that exists in both the host directory hdirfd
 * and the kernel directory rdirfd.  rel is its path for messages.
 */
static inline void
img_cmp_entry(struct img_cmp *c, const char *rel, int hdirfd, int rdirfd,
    const char *name, unsigned char rtype, int depth)
{
	char hlink[PATH_MAX + 1], rlink[PATH_MAX + 1];
	struct stat hs, rs;
	ssize_t hn, rn;
	int hfd, rfd;

	ATF_REQUIRE_MSG(fstatat(hdirfd, name, &hs, AT_SYMLINK_NOFOLLOW) == 0,
	    "lstat %s: %s", rel, strerror(errno));
	if (rump_sys_fstatat(rdirfd, name, &rs, AT_SYMLINK_NOFOLLOW) != 0) {
		img_diff(c, rel, "lstat: %s", strerror(errno));
		return;
	}
	if ((hs.st_mode & S_IFMT) != (rs.st_mode & S_IFMT)) {
		img_diff(c, rel, "a %s, the host has a %s",
		    img_typename(rs.st_mode), img_typename(hs.st_mode));
		return;
	}
	if (rtype != DT_UNKNOWN && rtype != img_dtype(rs.st_mode))
		img_diff(c, rel, "getdents64 gives d_type %u, lstat a %s",
		    rtype, img_typename(rs.st_mode));
	if ((hs.st_mode & 07777) != (rs.st_mode & 07777))
		img_diff(c, rel, "mode %04o, the host %04o",
		    (unsigned)(rs.st_mode & 07777),
		    (unsigned)(hs.st_mode & 07777));
	if (hs.st_nlink != rs.st_nlink)
		img_diff(c, rel, "%lu links, the host %lu",
		    (unsigned long)rs.st_nlink, (unsigned long)hs.st_nlink);
	if ((c->flags & IMG_CMP_OWNERS) &&
	    (hs.st_uid != rs.st_uid || hs.st_gid != rs.st_gid))
		img_diff(c, rel, "owner %u:%u, the host %u:%u",
		    (unsigned)rs.st_uid, (unsigned)rs.st_gid,
		    (unsigned)hs.st_uid, (unsigned)hs.st_gid);
	if ((c->flags & IMG_CMP_TIMES) && hs.st_mtime != rs.st_mtime)
		img_diff(c, rel, "mtime %lld, the host %lld",
		    (long long)rs.st_mtime, (long long)hs.st_mtime);
	if (!S_ISDIR(hs.st_mode) && hs.st_size != rs.st_size) {
		img_diff(c, rel, "size %lld, the host %lld",
		    (long long)rs.st_size, (long long)hs.st_size);
		return;
	}
	if (!S_ISDIR(hs.st_mode) && hs.st_nlink > 1)
		img_cmp_links(c, rel, hs.st_ino, rs.st_ino);

	switch (hs.st_mode & S_IFMT) {
	case S_IFREG:
		img_cmp_content(c, rel, hdirfd, rdirfd, name, hs.st_size);
		if (hs.st_size > (64 << 20) &&
		    (off_t)rs.st_blocks * 512 > hs.st_size / 16)
			img_diff(c, rel, "%lld blocks of 512 bytes for a "
			    "sparse file of %lld bytes", (long long)rs.st_blocks,
			    (long long)hs.st_size);
		break;
	case S_IFLNK:
		hn = readlinkat(hdirfd, name, hlink, sizeof(hlink) - 1);
		rn = rump_sys_readlinkat(rdirfd, name, rlink,
		    sizeof(rlink) - 1);
		ATF_REQUIRE(hn >= 0);
		if (rn < 0) {
			img_diff(c, rel, "readlink: %s", strerror(errno));
			break;
		}
		hlink[hn] = rlink[rn] = '\0';
		if (strcmp(hlink, rlink) != 0)
			img_diff(c, rel, "points to \"%s\", the host to \"%s\"",
			    rlink, hlink);
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (hs.st_rdev != rs.st_rdev)
			img_diff(c, rel, "device %#llx, the host %#llx",
			    (unsigned long long)rs.st_rdev,
			    (unsigned long long)hs.st_rdev);
		break;
	case S_IFDIR:
		if (depth >= IMG_CMP_MAX_DEPTH) {
			img_diff(c, rel, "more than %d directory levels",
			    IMG_CMP_MAX_DEPTH);
			break;
		}
		hfd = openat(hdirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		ATF_REQUIRE_MSG(hfd >= 0, "open %s: %s", rel, strerror(errno));
		rfd = rump_sys_openat(rdirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (rfd < 0) {
			img_diff(c, rel, "open: %s", strerror(errno));
		} else {
			img_cmp_dir(c, rel, hfd, rfd, depth + 1);
			rump_sys_close(rfd);
		}
		close(hfd);
		break;
	}
}

/*
 * Compare the entries of the host directory hfd and the kernel directory
 * rfd.  Descriptors, not paths, keep trees deeper than PATH_MAX within
 * reach.
 */
static inline void
img_cmp_dir(struct img_cmp *c, const char *rel, int hfd, int rfd,
    int depth)
{
	struct img_names hl = { 0 }, rl = { 0 };
	size_t i = 0, j = 0;
	char *crel;
	int error, d;

	error = img_list_host(hfd, &hl);
	ATF_REQUIRE_MSG(error == 0, "list %s: %s", rel, strerror(error));
	error = img_list_rump(rfd, &rl);
	if (error != 0) {
		img_diff(c, rel, "listing the directory: %s", strerror(error));
		goto out;
	}
	crel = malloc(PATH_MAX);
	ATF_REQUIRE(crel != NULL);

	while (i < hl.n || j < rl.n) {
		if (i == hl.n)
			d = 1;
		else if (j == rl.n)
			d = -1;
		else
			d = strcmp(hl.name[i], rl.name[j]);
		if (d > 0 && depth == 0 && (c->flags & IMG_CMP_ROOTLF) &&
		    strcmp(rl.name[j], "lost+found") == 0) {
			j++;
			continue;
		}
		snprintf(crel, PATH_MAX, "%s%s%s", rel, *rel ? "/" : "",
		    d > 0 ? rl.name[j] : hl.name[i]);
		if (d < 0) {
			img_diff(c, crel, "missing");
			i++;
			continue;
		}
		if (d > 0) {
			img_diff(c, crel, "not on the host");
			j++;
			continue;
		}
		img_cmp_entry(c, crel, hfd, rfd, hl.name[i], rl.type[j], depth);
		i++;
		j++;
	}
	free(crel);
out:
	img_names_free(&hl);
	img_names_free(&rl);
}

/*
 * Compare the tree below the kernel directory rdir with the host
 * directory hdir: names, types, modes, link counts, sizes, contents,
 * symlink targets and device numbers, plus the IMG_CMP_* flags' fields.
 * Returns the number of differences.  The first IMG_MAX_REPORTS are
 * reported as test failures.
 */
static inline size_t
img_compare_trees(const char *hdir, const char *rdir, int flags)
{
	struct img_cmp c = { .flags = flags };
	int hfd, rfd;

	c.hbuf = malloc(IMG_CMP_BUF);
	c.rbuf = malloc(IMG_CMP_BUF);
	ATF_REQUIRE(c.hbuf != NULL && c.rbuf != NULL);
	hfd = open(hdir, O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE_MSG(hfd >= 0, "open %s: %s", hdir, strerror(errno));
	rfd = rump_sys_open(rdir, O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE_MSG(rfd >= 0, "%sopen %s: %s", img_prefix, rdir,
	    strerror(errno));
	img_cmp_dir(&c, "", hfd, rfd, 0);
	rump_sys_close(rfd);
	close(hfd);
	if (c.ndiff > IMG_MAX_REPORTS)
		ATF_CHECK_MSG(false, "%s%zu differences in all between %s and "
		    "the host's %s", img_prefix, c.ndiff, rdir, hdir);
	free(c.hbuf);
	free(c.rbuf);
	free(c.pairs);
	return c.ndiff;
}

/* ------------------------------------------------------------------ */
/* Isolated runs. */

enum img_child_result {
	IMG_CHILD_EXITED,	/* *exitcode holds the exit status */
	IMG_CHILD_CRASHED,	/* ended by a signal */
	IMG_CHILD_HUNG,		/* killed after the time limit */
};

/*
 * Run fn(arg) in a forked child, which may boot its own rump kernel, and
 * wait at most seconds for it.  The child's exit status is fn's return
 * value, stored in *exitcode.  why gets a description of a crash or a
 * hang.
 */
static inline enum img_child_result
img_child(int (*fn)(void *), void *arg, int seconds, char *why,
    size_t whylen, int *exitcode)
{
	struct timespec start, now, pause = { 0, 5 * 1000 * 1000 };
	int status, rc;
	pid_t pid, w;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ATF_REQUIRE_MSG(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		rc = fn(arg);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		ATF_REQUIRE_MSG(w >= 0, "waitpid: %s", strerror(errno));
		if (w == pid)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= seconds) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(why, whylen, "no result after %d s (a hang "
			    "or an endless loop); killed", seconds);
			return IMG_CHILD_HUNG;
		}
		nanosleep(&pause, NULL);
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, whylen, "crashed with signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
		return IMG_CHILD_CRASHED;
	}
	*exitcode = WEXITSTATUS(status);
	return IMG_CHILD_EXITED;
}

#endif /* _TESTS_FS_EXT2FS_H_FSIMAGE_H_ */
