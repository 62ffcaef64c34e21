/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fsu commands that move file contents: cat, get (image to host) and put
 * (host to image).
 *
 * get and put copy like "cp -p", or "cp -pR" with -r.  Regular files get
 * their contents, and runs of zero bytes become holes.  Directories get
 * their entries, symbolic links stay links, and device nodes, FIFOs and
 * sockets become nodes of the same kind.  Then the copy gets the mode,
 * the access and modification times and, where allowed, the owner: put
 * sets the owner always (the kernel runs as root), get only when fsu
 * runs as root.
 * Times reach the image with microseconds, the precision of
 * ukfs_utimes.  Hard links are copied as separate files.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/ukfs.h>

#include "fsu.h"

#define COPY_BUFSIZE	(1024 * 1024)
#define HOLE_CHUNK	4096	/* runs of zeroes of this size are holes */

static uint8_t *copy_buf;

static uint8_t *
copy_buffer(void)
{

	if (copy_buf == NULL)
		copy_buf = fsu_xmalloc(COPY_BUFSIZE);
	return copy_buf;
}

static bool
all_zero(const uint8_t *p, size_t len)
{

	return len > 0 && p[0] == 0 && memcmp(p, p + 1, len - 1) == 0;
}

/* write(2) all of buf. */
static int
write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1) {
			if (errno == EINTR && !fsu_interrupted)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* cat */

static int
cat_one(struct fsu *f, const char *path)
{
	uint8_t *buf = copy_buffer();
	struct stat st;
	off_t off = 0;
	ssize_t n;
	int fd, status = FSU_OK;

	if (ukfs_stat(f->fsu_ukfs, path, &st) == -1) {
		fsu_warnc(errno, "%s", path);
		return FSU_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		fsu_warnc(EISDIR, "%s", path);
		return FSU_FAIL;
	}
	fd = ukfs_open(f->fsu_ukfs, path, O_RDONLY);
	if (fd == -1) {
		fsu_warnc(errno, "%s", path);
		return FSU_FAIL;
	}
	while (!fsu_interrupted) {
		n = ukfs_read_fd(f->fsu_ukfs, fd, off, buf, COPY_BUFSIZE);
		if (n == -1) {
			fsu_warnc(errno, "%s", path);
			status = FSU_FAIL;
			break;
		}
		if (n == 0)
			break;
		fflush(stdout);
		if (write_all(STDOUT_FILENO, buf, (size_t)n) == -1) {
			if (errno != EPIPE)
				fsu_warnc(errno, "write error");
			status = FSU_FAIL;
			break;
		}
		off += n;
	}
	(void)ukfs_close(f->fsu_ukfs, fd);
	return fsu_interrupted ? FSU_FAIL : status;
}

int
fsu_cmd_cat(struct fsu *f, int argc, char **argv)
{
	int i, status = FSU_OK;

	if (fsu_no_options("cat", &argc, &argv) != FSU_OK)
		return FSU_USAGE;
	if (argc < 2)
		return fsu_usage_cmd("cat");
	if (f->fsu_checkonly)
		return FSU_OK;
	for (i = 1; i < argc && !fsu_interrupted; i++)
		if (cat_one(f, argv[i]) != FSU_OK)
			status = FSU_FAIL;
	return status;
}

/* ------------------------------------------------------------------ */
/* get: image to host */

/* Copy the regular file src of the image to the new host file dfd. */
static int
get_contents(struct fsu *f, const char *src, int dfd, const char *dst)
{
	uint8_t *buf = copy_buffer();
	off_t off = 0;
	size_t i, len;
	ssize_t n;
	int sfd, error = 0;

	sfd = ukfs_open(f->fsu_ukfs, src, O_RDONLY);
	if (sfd == -1) {
		fsu_warnc(errno, "cannot open '%s' for reading", src);
		return -1;
	}
	while (!fsu_interrupted) {
		n = ukfs_read_fd(f->fsu_ukfs, sfd, off, buf, COPY_BUFSIZE);
		if (n == -1) {
			fsu_warnc(errno, "error reading '%s'", src);
			error = -1;
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < (size_t)n; i += len) {
			len = (size_t)n - i < HOLE_CHUNK ? (size_t)n - i :
			    HOLE_CHUNK;
			if (all_zero(buf + i, len)) {
				if (lseek(dfd, (off_t)len, SEEK_CUR) == -1)
					break;
			} else if (write_all(dfd, buf + i, len) == -1)
				break;
		}
		if (i < (size_t)n) {
			fsu_warnc(errno, "error writing '%s'", dst);
			error = -1;
			break;
		}
		off += n;
	}
	(void)ukfs_close(f->fsu_ukfs, sfd);
	if (error == 0 && !fsu_interrupted && ftruncate(dfd, off) == -1) {
		fsu_warnc(errno, "error writing '%s'", dst);
		error = -1;
	}
	return fsu_interrupted ? -1 : error;
}

/* Set the owner (when root), mode and times of host file dst from st. */
static int
get_attributes(const char *dst, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	int status = FSU_OK;

	if (geteuid() == 0 &&
	    lchown(dst, st->st_uid, st->st_gid) == -1) {
		fsu_warnc(errno, "failed to preserve ownership for '%s'", dst);
		status = FSU_FAIL;
	}
	if (!S_ISLNK(st->st_mode) && chmod(dst, st->st_mode & 07777) == -1) {
		fsu_warnc(errno, "failed to preserve permissions for '%s'",
		    dst);
		status = FSU_FAIL;
	}
	if (utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW) == -1) {
		fsu_warnc(errno, "failed to preserve times for '%s'", dst);
		status = FSU_FAIL;
	}
	return status;
}

static int get_tree(struct fsu *, const char *, const char *, bool);

/* Copy entry path of an image directory to arg/name on the host (get -r). */
static int
get_child(struct fsu *f, const char *path, const char *name, const void *arg)
{
	char *dst;
	int status;

	dst = fsu_join(arg, name);
	status = get_tree(f, path, dst, true);
	free(dst);
	return status;
}

static int
get_dir(struct fsu *f, const char *src, const char *dst,
    const struct stat *st)
{
	struct stat dst_st;
	int status;

	if (mkdir(dst, 0700) == -1 &&
	    (errno != EEXIST || stat(dst, &dst_st) == -1 ||
	    !S_ISDIR(dst_st.st_mode))) {
		fsu_warnc(errno == 0 ? EEXIST : errno,
		    "cannot create directory '%s'", dst);
		return FSU_FAIL;
	}
	status = fsu_walk_dir(f, src, "cannot read directory ", get_child,
	    dst);
	if (fsu_interrupted)
		return FSU_FAIL;
	/* Last, because adding the entries changed the times. */
	if (get_attributes(dst, st) != FSU_OK)
		status = FSU_FAIL;
	return status;
}

/* Copy src of the image to host path dst, entering directories. */
static int
get_tree(struct fsu *f, const char *src, const char *dst, bool recursive)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd, rv;

	if (ukfs_lstat(f->fsu_ukfs, src, &st) == -1) {
		fsu_warnc(errno, "cannot stat '%s'", src);
		return FSU_FAIL;
	}

	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		if (!recursive) {
			fsu_warnx("-r not specified; omitting directory '%s'",
			    src);
			return FSU_FAIL;
		}
		return get_dir(f, src, dst, &st);
	case S_IFREG:
		fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd == -1) {
			fsu_warnc(errno, "cannot create regular file '%s'",
			    dst);
			return FSU_FAIL;
		}
		rv = get_contents(f, src, fd, dst);
		if (close(fd) == -1 && rv == 0) {
			fsu_warnc(errno, "error writing '%s'", dst);
			rv = -1;
		}
		if (rv != 0)
			return FSU_FAIL;
		break;
	case S_IFLNK:
		n = ukfs_readlink(f->fsu_ukfs, src, target,
		    sizeof(target) - 1);
		if (n == -1) {
			fsu_warnc(errno, "cannot read symbolic link '%s'",
			    src);
			return FSU_FAIL;
		}
		target[n] = '\0';
		(void)unlink(dst);
		if (symlink(target, dst) == -1) {
			fsu_warnc(errno, "cannot create symbolic link '%s'",
			    dst);
			return FSU_FAIL;
		}
		break;
	default:
		(void)unlink(dst);
		if (mknod(dst, st.st_mode & (S_IFMT | 0600), st.st_rdev) ==
		    -1) {
			fsu_warnc(errno, "cannot create special file '%s'",
			    dst);
			return FSU_FAIL;
		}
		break;
	}
	return get_attributes(dst, &st);
}

static int put_tree(struct fsu *, const char *, const char *, bool, bool);

/*
 * get and put: "[-r] SRC... [DEST]", DEST "." when left out.  put copies
 * from the host into the image, get the other way.
 */
static int
copy_cmd(struct fsu *f, bool put, int argc, char **argv)
{
	const char *cmd = put ? "put" : "get";
	bool recursive = false, isdir;
	const char *dst;
	char *target;
	struct stat st;
	int ch, i, nsrcs, status = FSU_OK, rv;

	while ((ch = getopt(argc, argv, "rRp")) != -1) {
		switch (ch) {
		case 'r':
		case 'R':
			recursive = true;
			break;
		case 'p':	/* always */
			break;
		default:
			return fsu_usage_cmd(cmd);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return fsu_usage_missing(cmd, "file operand");
	if (f->fsu_checkonly)
		return FSU_OK;
	nsrcs = argc == 1 ? 1 : argc - 1;
	dst = argc == 1 ? "." : argv[argc - 1];

	isdir = (put ? ukfs_stat(f->fsu_ukfs, dst, &st) : stat(dst, &st)) ==
	    0 && S_ISDIR(st.st_mode);
	if (nsrcs > 1 && !isdir) {
		fsu_warnx("target '%s' is not a directory", dst);
		return FSU_FAIL;
	}
	for (i = 0; i < nsrcs && !fsu_interrupted; i++) {
		target = fsu_target(argv[i], dst, isdir);
		rv = put ? put_tree(f, argv[i], target, recursive, true) :
		    get_tree(f, argv[i], target, recursive);
		if (rv != FSU_OK)
			status = FSU_FAIL;
		free(target);
	}
	return fsu_interrupted ? FSU_FAIL : status;
}

int
fsu_cmd_get(struct fsu *f, int argc, char **argv)
{

	return copy_cmd(f, false, argc, argv);
}

/* ------------------------------------------------------------------ */
/* put: host to image */

/* Copy the contents of host file sfd to the image file dst. */
static int
put_contents(struct fsu *f, int sfd, const char *src, const char *dst)
{
	uint8_t *buf = copy_buffer();
	off_t off = 0, written = 0, data;
	bool seekdata = true;
	size_t i, len;
	ssize_t n;
	int dfd, error = 0;

	if (ukfs_create(f->fsu_ukfs, dst, 0600) == -1) {
		fsu_warnc(errno, "cannot create regular file '%s'", dst);
		return -1;
	}
	dfd = ukfs_open(f->fsu_ukfs, dst, O_WRONLY);
	if (dfd == -1) {
		fsu_warnc(errno, "cannot open '%s' for writing", dst);
		return -1;
	}
	while (!fsu_interrupted) {
		/*
		 * Skip the source's holes without reading them, where its
		 * file system reports them.  Zeros that are read are skipped
		 * below all the same.
		 */
		if (seekdata) {
			data = lseek(sfd, off, SEEK_DATA);
			if (data == -1 && errno == ENXIO) {
				data = lseek(sfd, 0, SEEK_END);
				if (data != -1 && data > off)
					off = data;
				break;
			}
			if (data == -1)
				seekdata = false;
			else
				off = data;
			if (lseek(sfd, off, SEEK_SET) == -1) {
				fsu_warnc(errno, "error reading '%s'", src);
				error = -1;
				break;
			}
		}
		n = read(sfd, buf, COPY_BUFSIZE);
		if (n == -1) {
			if (errno == EINTR && !fsu_interrupted)
				continue;
			fsu_warnc(errno, "error reading '%s'", src);
			error = -1;
			break;
		}
		if (n == 0)
			break;
		/* Write what is not zero; the zero runs stay holes. */
		for (i = 0; i < (size_t)n; i += len) {
			len = (size_t)n - i < HOLE_CHUNK ? (size_t)n - i :
			    HOLE_CHUNK;
			if (all_zero(buf + i, len))
				continue;
			if (ukfs_write_fd(f->fsu_ukfs, dfd, off + (off_t)i,
			    buf + i, len, 0) != (ssize_t)len) {
				fsu_warnc(errno, "error writing '%s'", dst);
				error = -1;
				goto out;
			}
			written = off + (off_t)(i + len);
		}
		off += n;
	}
	/* A hole at the end: one zero byte gives the file its size. */
	if (error == 0 && !fsu_interrupted && written < off &&
	    ukfs_write_fd(f->fsu_ukfs, dfd, off - 1, (uint8_t *)"", 1, 0) !=
	    1) {
		fsu_warnc(errno, "error writing '%s'", dst);
		error = -1;
	}
 out:
	if (ukfs_close(f->fsu_ukfs, dfd) == -1 && error == 0) {
		fsu_warnc(errno, "error writing '%s'", dst);
		error = -1;
	}
	return fsu_interrupted ? -1 : error;
}

/* Set the owner, mode and times of image file dst from host status st. */
static int
put_attributes(struct fsu *f, const char *dst, const struct stat *st)
{
	struct timeval tv[2];
	int status = FSU_OK;

	tv[0].tv_sec = st->st_atim.tv_sec;
	tv[0].tv_usec = st->st_atim.tv_nsec / 1000;
	tv[1].tv_sec = st->st_mtim.tv_sec;
	tv[1].tv_usec = st->st_mtim.tv_nsec / 1000;
	if (ukfs_lchown(f->fsu_ukfs, dst, st->st_uid, st->st_gid) == -1) {
		fsu_warnc(errno, "failed to preserve ownership for '%s'", dst);
		status = FSU_FAIL;
	}
	if (!S_ISLNK(st->st_mode) &&
	    ukfs_chmod(f->fsu_ukfs, dst, st->st_mode & 07777) == -1) {
		fsu_warnc(errno, "failed to preserve permissions for '%s'",
		    dst);
		status = FSU_FAIL;
	}
	if (ukfs_lutimes(f->fsu_ukfs, dst, tv) == -1) {
		fsu_warnc(errno, "failed to preserve times for '%s'", dst);
		status = FSU_FAIL;
	}
	return status;
}

static int
put_dir(struct fsu *f, const char *src, const char *dst,
    const struct stat *st)
{
	struct dirent **names;
	struct stat dst_st;
	char *s, *d;
	int i, n, status = FSU_OK;

	if (ukfs_mkdir(f->fsu_ukfs, dst, 0700) == -1 &&
	    (errno != EEXIST || ukfs_stat(f->fsu_ukfs, dst, &dst_st) == -1 ||
	    !S_ISDIR(dst_st.st_mode))) {
		fsu_warnc(errno == 0 ? EEXIST : errno,
		    "cannot create directory '%s'", dst);
		return FSU_FAIL;
	}
	n = scandir(src, &names, NULL, alphasort);
	if (n == -1) {
		fsu_warnc(errno, "cannot read directory '%s'", src);
		return FSU_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 &&
		    strcmp(names[i]->d_name, "..") != 0 && !fsu_interrupted) {
			s = fsu_join(src, names[i]->d_name);
			d = fsu_join(dst, names[i]->d_name);
			if (put_tree(f, s, d, true, false) != FSU_OK)
				status = FSU_FAIL;
			free(s);
			free(d);
		}
		free(names[i]);
	}
	free(names);
	if (fsu_interrupted)
		return FSU_FAIL;
	if (put_attributes(f, dst, st) != FSU_OK)
		status = FSU_FAIL;
	return status;
}

/*
 * Copy host path src to dst in the image.  A symbolic link given on the
 * command line (top) without -r is followed, as cp does.
 */
static int
put_tree(struct fsu *f, const char *src, const char *dst, bool recursive,
    bool top)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd, rv;

	if ((top && !recursive ? stat(src, &st) : lstat(src, &st)) == -1) {
		fsu_warnc(errno, "cannot stat '%s'", src);
		return FSU_FAIL;
	}

	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		if (!recursive) {
			fsu_warnx("-r not specified; omitting directory '%s'",
			    src);
			return FSU_FAIL;
		}
		return put_dir(f, src, dst, &st);
	case S_IFREG:
		fd = open(src, O_RDONLY | O_CLOEXEC);
		if (fd == -1) {
			fsu_warnc(errno, "cannot open '%s' for reading", src);
			return FSU_FAIL;
		}
		rv = put_contents(f, fd, src, dst);
		close(fd);
		if (rv != 0)
			return FSU_FAIL;
		break;
	case S_IFLNK:
		n = readlink(src, target, sizeof(target) - 1);
		if (n == -1) {
			fsu_warnc(errno, "cannot read symbolic link '%s'",
			    src);
			return FSU_FAIL;
		}
		target[n] = '\0';
		(void)ukfs_remove(f->fsu_ukfs, dst);
		if (ukfs_symlink(f->fsu_ukfs, target, dst) == -1) {
			fsu_warnc(errno, "cannot create symbolic link '%s'",
			    dst);
			return FSU_FAIL;
		}
		break;
	default:
		(void)ukfs_remove(f->fsu_ukfs, dst);
		if (ukfs_mknod(f->fsu_ukfs, dst, st.st_mode & (S_IFMT | 0600),
		    st.st_rdev) == -1) {
			fsu_warnc(errno, "cannot create special file '%s'",
			    dst);
			return FSU_FAIL;
		}
		break;
	}
	return put_attributes(f, dst, &st);
}

int
fsu_cmd_put(struct fsu *f, int argc, char **argv)
{

	return copy_cmd(f, true, argc, argv);
}
