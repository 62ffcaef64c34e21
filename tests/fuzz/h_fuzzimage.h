/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared parts of the file system image fuzz targets: the image in a
 * memfd that etfs shows to the kernel as a block device, a bounded walk
 * of a mounted tree, and the harness's fatal errors.  Each target
 * includes this header once; everything here is static.
 */

#ifndef _TESTS_FUZZ_H_FUZZIMAGE_H_
#define _TESTS_FUZZ_H_FUZZIMAGE_H_

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define FUZZ_DEVKEY	"/dev/fuzzimg"
#define FUZZ_MNT	"/mnt"
#define FUZZ_SECTOR	512
#define FUZZ_MIN_IMAGE	2048		/* up to the end of the superblock */
#define FUZZ_MAX_IMAGE	(8u << 20)	/* longer inputs are ignored */
#define FUZZ_MAX_DEPTH	16		/* directory levels walked */
#define FUZZ_MAX_ENTRIES 4096		/* entries examined per walk */
#define FUZZ_MAX_READ	(1u << 20)	/* file bytes read per walk */
#define FUZZ_FSCK_SECONDS 5		/* e2fsck runs at most this long */

int LLVMFuzzerInitialize(int *argcp, char ***argvp);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_name;		/* the target, for messages */
static int fuzz_imgfd = -1;
static char fuzz_imgpath[64];		/* /proc/self/fd/N of the memfd */
static bool fuzz_verbose;		/* FUZZ_VERBOSE is set */

/* What is left of the walk's budget. */
static long walk_entries_left;
static long walk_bytes_left;
static char walk_iobuf[16384];

/* The entries that the walk found, for targets that change the tree. */
#define WALK_KEEP	8
static char walk_files[WALK_KEEP][PATH_MAX];
static char walk_dirs[WALK_KEEP][PATH_MAX];
static int walk_nfiles, walk_ndirs;

/* A failure of the harness itself, or a finding: stop the run. */
static void __attribute__((noreturn))
fuzz_die(const char *what, int error)
{

	fprintf(stderr, "%s: %s: %s\n", fuzz_name, what, strerror(error));
	abort();
}

/* Make the memfd and boot the kernel with the mount point in place. */
static void
fuzz_boot(const char *name)
{
	int error;

	fuzz_name = name;
	fuzz_verbose = getenv("FUZZ_VERBOSE") != NULL;
	fuzz_imgfd = memfd_create(name, 0);
	if (fuzz_imgfd == -1)
		fuzz_die("memfd_create", errno);
	snprintf(fuzz_imgpath, sizeof(fuzz_imgpath), "/proc/self/fd/%d",
	    fuzz_imgfd);

	error = rump_init();
	if (error != 0)
		fuzz_die("rump_init", error);
	if (rump_sys_mkdir(FUZZ_MNT, 0755) == -1)
		fuzz_die("mkdir " FUZZ_MNT, errno);
}

/*
 * Write the input to the memfd, zero-padded to whole sectors, and
 * register it as the block device FUZZ_DEVKEY.
 */
static void
fuzz_load_image(const uint8_t *data, size_t size)
{
	size_t padded;
	int error;

	padded = (size + FUZZ_SECTOR - 1) / FUZZ_SECTOR * FUZZ_SECTOR;
	if (ftruncate(fuzz_imgfd, 0) == -1 ||
	    ftruncate(fuzz_imgfd, (off_t)padded) == -1)
		fuzz_die("ftruncate", errno);
	if (pwrite(fuzz_imgfd, data, size, 0) != (ssize_t)size)
		fuzz_die("pwrite", errno);
	error = rump_pub_etfs_register(FUZZ_DEVKEY, fuzz_imgpath,
	    RUMP_ETFS_BLK);
	if (error != 0)
		fuzz_die("etfs_register " FUZZ_DEVKEY, error);
}

static void
fuzz_unload_image(void)
{
	int error;

	error = rump_pub_etfs_remove(FUZZ_DEVKEY);
	if (error != 0)
		fuzz_die("etfs_remove " FUZZ_DEVKEY, error);
}

/* Mount the image; returns 0 or the errno, logged when verbose. */
static int
fuzz_mount(unsigned long flags)
{
	int error = 0;

	if (rump_sys_mount(FUZZ_DEVKEY, FUZZ_MNT, "ext2", flags, NULL) == -1)
		error = errno;
	if (fuzz_verbose)
		fprintf(stderr, "%s: mount %s: %s\n", fuzz_name,
		    flags & MS_RDONLY ? "ro" : "rw", strerror(error));
	return error;
}

/* Unmount after every file was closed: a failure is a finding. */
static void
fuzz_unmount(void)
{

	if (rump_sys_umount(FUZZ_MNT) == -1)
		fuzz_die("unmount with no file open", errno);
}

static void walk_dir(const char *path, int depth);

static void
walk_read_file(const char *path)
{
	ssize_t n;
	int fd;

	fd = rump_sys_open(path, O_RDONLY | O_NOFOLLOW);
	if (fd == -1)
		return;
	while (walk_bytes_left > 0) {
		n = rump_sys_read(fd, walk_iobuf, sizeof(walk_iobuf));
		if (n <= 0)
			break;
		walk_bytes_left -= n;
	}
	rump_sys_close(fd);
}

static void
walk_keep(char (*list)[PATH_MAX], int *count, const char *path)
{

	if (*count < WALK_KEEP)
		memcpy(list[(*count)++], path, strlen(path) + 1);
}

/* Examine one entry: lstat it, then read it according to its type. */
static void
walk_visit(const char *path, unsigned char d_type, int depth)
{
	char target[PATH_MAX];
	struct stat st;

	if (--walk_entries_left < 0)
		return;
	if (rump_sys_lstat(path, &st) == -1) {
		/* Still try what the entry claims to be. */
		if (d_type == DT_DIR)
			walk_dir(path, depth + 1);
		return;
	}

	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		walk_keep(walk_dirs, &walk_ndirs, path);
		walk_dir(path, depth + 1);
		break;
	case S_IFLNK:
		rump_sys_readlink(path, target, sizeof(target));
		break;
	case S_IFREG:
		walk_keep(walk_files, &walk_nfiles, path);
		walk_read_file(path);
		break;
	default:
		/* Device nodes, FIFOs and sockets: the lstat was the test. */
		break;
	}
}

/* List the directory at path and visit each entry but "." and "..". */
static void
walk_dir(const char *path, int depth)
{
	char batch[sizeof(walk_iobuf)], child[PATH_MAX];
	struct dirent64 *d;
	ssize_t n, off;
	int fd;

	if (depth > FUZZ_MAX_DEPTH || walk_entries_left <= 0)
		return;
	fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
	if (fd == -1)
		return;

	/* batch is the walk's own: visits below reuse walk_iobuf. */
	while (walk_entries_left > 0 &&
	    (n = rump_sys_getdents64(fd, batch, sizeof(batch))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(batch + off);
			if (d->d_reclen == 0 || off + d->d_reclen > n)
				fuzz_die("getdents64 returned a bad d_reclen",
				    EINVAL);
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (snprintf(child, sizeof(child), "%s/%s", path,
			    d->d_name) >= (int)sizeof(child))
				continue;
			walk_visit(child, d->d_type, depth);
			if (walk_entries_left <= 0)
				break;
		}
	}
	rump_sys_close(fd);
}

/* Walk the mounted tree within the budget, and statfs it. */
static void
fuzz_walk(void)
{
	struct statfs sfs;

	walk_entries_left = FUZZ_MAX_ENTRIES;
	walk_bytes_left = FUZZ_MAX_READ;
	walk_nfiles = walk_ndirs = 0;
	rump_sys_statfs(FUZZ_MNT, &sfs);
	walk_dir(FUZZ_MNT, 0);
}

/*
 * Exit status of `e2fsck -fn` on the memfd image, 0 when it is clean,
 * or -1 when it runs longer than FUZZ_FSCK_SECONDS (e2fsck itself can
 * take minutes on some damaged images).  Its output goes to stderr when
 * show is set, else to /dev/null.
 */
static int __attribute__((unused))
fuzz_e2fsck(bool show)
{
	pid_t pid;
	int status, fd;

	pid = fork();
	if (pid == -1)
		fuzz_die("fork", errno);
	if (pid == 0) {
		if (show)
			dup2(2, 1);
		else if ((fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		alarm(FUZZ_FSCK_SECONDS);	/* the signal ends e2fsck */
		execlp("e2fsck", "e2fsck", "-fn", fuzz_imgpath, (char *)NULL);
		execl("/sbin/e2fsck", "e2fsck", "-fn", fuzz_imgpath,
		    (char *)NULL);
		_exit(127);
	}
	/* libFuzzer's timer signals interrupt the wait. */
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			fuzz_die("waitpid", errno);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		fuzz_die("e2fsck did not run", ECHILD);
	return WEXITSTATUS(status);
}

#endif /* _TESTS_FUZZ_H_FUZZIMAGE_H_ */
