/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The path system calls of the VFS faction, one call (or family) per test
 * case: each call's success and its documented errors, with Linux's errno
 * choices as Linux 6.18 on tmpfs shows them.  Every case boots its own
 * kernel and works in /w on the root rumpfs; cases that need a second
 * file system mount rumpfs on /w/mnt.  Permission cases run in a rump
 * process whose credentials are uid 1000, gid 1000 and groups 1000 and
 * 1001 (USER_*), over files that root made.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif
#ifndef STATX_MNT_ID
#define STATX_MNT_ID		0x1000U
#endif
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT	0x2000
#endif

/* O_LARGEFILE as the kernel reports it; glibc defines it as 0. */
#if defined(__x86_64__)
#define LINUX_O_LARGEFILE	0100000
#elif defined(__aarch64__)
#define LINUX_O_LARGEFILE	0400000
#endif

#define USER_UID	1000
#define USER_GID	1000
#define USER_GID2	1001	/* a supplementary group of the user */
#define OTHER_GID	2000	/* a group the user is not in */

/* Require a call to succeed. */
#define RL(x)								\
	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

/* Require a call to fail with errno e. */
#define RE(x, e) do {							\
	errno = 0;							\
	long rv_ = (long)(x);						\
	ATF_REQUIRE_MSG(rv_ == -1 && errno == (e),			\
	    "%s: expected %s, got %ld (%s)", #x, strerror(e), rv_,	\
	    errno == 0 ? "no error" : strerror(errno));			\
} while (0)

/* Boot, and work in /w (mode 0777) with umask 022. */
static void
boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
	RL(rump_sys_mkdir("/w", 0777));
	RL(rump_sys_chmod("/w", 0777));
	RL(rump_sys_chdir("/w"));
	rump_sys_umask(022);
}

/* Make a regular file with the given mode and contents. */
static void
mkfile(const char *path, mode_t mode, const char *data)
{
	int fd;

	RL(fd = rump_sys_open(path, O_CREAT | O_TRUNC | O_WRONLY, mode));
	if (data != NULL)
		ATF_REQUIRE_EQ(rump_sys_write(fd, data, strlen(data)),
		    (ssize_t)strlen(data));
	RL(rump_sys_fchmod(fd, mode));
	RL(rump_sys_close(fd));
}

static void
mkfifo_r(const char *path, mode_t mode)
{

	RL(rump_sys_mknod(path, S_IFIFO | mode, 0));
}

static struct stat
stat_of(const char *path)
{
	struct stat st;

	RL(rump_sys_lstat(path, &st));
	return st;
}

/* Continue as a new rump process of the unprivileged user. */
static void
become_user(void)
{
	gid_t groups[] = { USER_GID, USER_GID2 };

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	RL(rump_sys_setgroups(2, groups));
	RL(rump_sys_setgid(USER_GID));
	RL(rump_sys_setuid(USER_UID));
}

/* Mount a second rumpfs on /w/mnt. */
static void
mount_second(unsigned long flags)
{

	RL(rump_sys_mkdir("/w/mnt", 0777));
	RL(rump_sys_mount("rumpfs", "/w/mnt", "rumpfs", flags, NULL));
	RL(rump_sys_chmod("/w/mnt", 0777));
}

/* ------------------------------------------------------------------ */

ATF_TC(open_create);
ATF_TC_HEAD(open_create, tc)
{
	atf_tc_set_md_var(tc, "descr", "open with O_CREAT: mode, umask, "
	    "O_EXCL, symbolic links and trailing slashes");
}
ATF_TC_BODY(open_create, tc)
{
	struct stat st;
	int fd;

	boot();

	/* The mode less the umask, and set-id bits kept for root. */
	RL(fd = rump_sys_open("f", O_CREAT | O_RDWR, 07777));
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_mode, S_IFREG | 07755);
	ATF_CHECK_EQ(st.st_size, 0);
	ATF_CHECK_EQ(st.st_uid, 0);
	RL(rump_sys_close(fd));
	rump_sys_umask(0077);
	RL(fd = rump_sys_open("g", O_CREAT | O_WRONLY, 0666));
	RL(rump_sys_close(fd));
	ATF_CHECK_EQ(stat_of("g").st_mode, S_IFREG | 0600);
	rump_sys_umask(022);

	/* O_EXCL, also for a dangling symbolic link. */
	RE(rump_sys_open("f", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	RL(rump_sys_symlink("target", "dangling"));
	RE(rump_sys_open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644),
	    EEXIST);
	RE(rump_sys_open("dangling", O_CREAT | O_NOFOLLOW | O_WRONLY, 0644),
	    ELOOP);

	/* Without O_EXCL, a dangling link's target is created. */
	RL(fd = rump_sys_open("dangling", O_CREAT | O_WRONLY, 0640));
	RL(rump_sys_close(fd));
	ATF_CHECK_EQ(stat_of("target").st_mode, S_IFREG | 0640);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_symlink("../d/t2", "d/rel"));
	RL(fd = rump_sys_open("d/rel", O_CREAT | O_WRONLY, 0600));
	RL(rump_sys_close(fd));
	RL(rump_sys_lstat("d/t2", &st));

	/* Existing files open without O_EXCL; missing ones need O_CREAT. */
	RL(fd = rump_sys_open("f", O_CREAT | O_RDONLY, 0));
	RL(rump_sys_close(fd));
	RE(rump_sys_open("missing", O_RDONLY), ENOENT);
	RE(rump_sys_open("nodir/x", O_CREAT | O_WRONLY, 0644), ENOENT);
	RE(rump_sys_open("f/x", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	RE(rump_sys_open("", O_CREAT | O_WRONLY, 0644), ENOENT);

	/* Directories and names that can only be directories: EISDIR. */
	RE(rump_sys_open("new/", O_CREAT | O_WRONLY, 0644), EISDIR);
	RE(rump_sys_open("f/", O_CREAT | O_RDONLY, 0644), EISDIR);
	RE(rump_sys_open("d", O_CREAT | O_RDONLY, 0644), EISDIR);
	RE(rump_sys_open(".", O_CREAT | O_RDONLY, 0644), EISDIR);
	RE(rump_sys_open("..", O_CREAT | O_RDONLY, 0644), EISDIR);
	RE(rump_sys_open("/", O_CREAT | O_RDONLY, 0644), EISDIR);
	RE(rump_sys_open("d", O_CREAT | O_EXCL | O_RDONLY, 0644), EEXIST);
	RE(rump_sys_open("d", O_DIRECTORY | O_CREAT | O_RDONLY, 0644),
	    EINVAL);

	/* creat is O_CREAT | O_WRONLY | O_TRUNC. */
	mkfile("c", 0644, "data");
	RL(fd = rump_sys_creat("c", 0600));
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_size, 0);
	ATF_CHECK_EQ(st.st_mode, S_IFREG | 0644);
	RE(rump_sys_read(fd, &st, 1), EBADF);
	RL(rump_sys_close(fd));
}

ATF_TC(open_flags);
ATF_TC_HEAD(open_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "open flags: O_NOFOLLOW, O_DIRECTORY, "
	    "O_TRUNC, O_APPEND, O_PATH, O_TMPFILE, sockets");
}
ATF_TC_BODY(open_flags, tc)
{
	struct stat st;
	char buf[16];
	int fd, dfd, pfd;

	boot();
	mkfile("f", 0644, "hello");
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_symlink("f", "sf"));
	RL(rump_sys_symlink("d", "sd"));

	RE(rump_sys_open("sf", O_RDONLY | O_NOFOLLOW), ELOOP);
	RL(fd = rump_sys_open("sd/", O_RDONLY | O_NOFOLLOW));
	RL(rump_sys_close(fd));
	RE(rump_sys_open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	RE(rump_sys_open("f/", O_RDONLY), ENOTDIR);
	RE(rump_sys_open("d", O_WRONLY), EISDIR);
	RE(rump_sys_open("d", O_RDWR), EISDIR);
	RE(rump_sys_open("d", O_RDONLY | O_TRUNC), EISDIR);
	RE(rump_sys_open("d", O_ACCMODE), EISDIR);
	RL(fd = rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RE(rump_sys_read(fd, buf, sizeof(buf)), EISDIR);
	RE(rump_sys_write(fd, buf, 1), EBADF);
	RL(rump_sys_close(fd));

	/* F_GETFL: the open flags Linux keeps, O_LARGEFILE added. */
	RL(fd = rump_sys_open("f", O_RDWR | O_APPEND | O_CLOEXEC | O_CREAT,
	    0644));
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFL),
	    O_RDWR | O_APPEND | LINUX_O_LARGEFILE);
	ATF_CHECK_EQ(rump_sys_write(fd, "!", 1), 1);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 6);
	RL(rump_sys_close(fd));

	/* O_TRUNC empties the file; for O_RDONLY too, as Linux. */
	RL(fd = rump_sys_open("f", O_RDONLY | O_TRUNC));
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_size, 0);
	RL(rump_sys_close(fd));

	/* O_PATH: no I/O, but fstat and use as a directory descriptor. */
	RL(pfd = rump_sys_open("f", O_PATH | O_RDWR | O_APPEND));
	ATF_CHECK_EQ(rump_sys_fcntl(pfd, F_GETFL), O_PATH);
	RE(rump_sys_read(pfd, buf, 1), EBADF);
	RE(rump_sys_write(pfd, buf, 1), EBADF);
	RE(rump_sys_lseek(pfd, 0, SEEK_SET), EBADF);
	RE(rump_sys_fchmod(pfd, 0600), EBADF);
	RE(rump_sys_fsync(pfd), EBADF);
	RL(rump_sys_fstat(pfd, &st));
	ATF_CHECK(S_ISREG(st.st_mode));
	RL(rump_sys_close(pfd));
	RL(dfd = rump_sys_open("d", O_PATH | O_DIRECTORY));
	RL(fd = rump_sys_openat(dfd, "x", O_CREAT | O_WRONLY, 0644));
	RL(rump_sys_close(fd));
	RL(rump_sys_close(dfd));
	RL(rump_sys_lstat("d/x", &st));
	RL(pfd = rump_sys_open("sf", O_PATH | O_NOFOLLOW));
	RL(rump_sys_fstat(pfd, &st));
	ATF_CHECK(S_ISLNK(st.st_mode));
	RL(rump_sys_close(pfd));
	RE(rump_sys_open("f", O_PATH | O_DIRECTORY), ENOTDIR);
	RE(rump_sys_open("missing", O_PATH | O_CREAT, 0644), ENOENT);

	/* O_TMPFILE: flags first, then the directory, then no support. */
	RE(rump_sys_open("d", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	RE(rump_sys_open("f", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	RE(rump_sys_open("d", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);

	/* Sockets cannot be opened. */
	RL(rump_sys_mknod("sock", S_IFSOCK | 0644, 0));
	RE(rump_sys_open("sock", O_RDONLY), ENXIO);
}

ATF_TC(open_perms);
ATF_TC_HEAD(open_perms, tc)
{
	atf_tc_set_md_var(tc, "descr", "open permission checks of an "
	    "unprivileged user, and O_NOATIME");
}
ATF_TC_BODY(open_perms, tc)
{
	int fd;

	boot();
	mkfile("rootonly", 0600, "secret");
	mkfile("readable", 0644, "text");
	RL(rump_sys_mkdir("ro", 0755));
	mkfile("ro/f", 0666, NULL);
	RL(rump_sys_chmod("ro", 0555));
	RL(rump_sys_mkdir("noexec", 0755));
	mkfile("noexec/f", 0666, NULL);
	RL(rump_sys_chmod("noexec", 0666));

	become_user();
	RE(rump_sys_open("rootonly", O_RDONLY), EACCES);
	RE(rump_sys_open("readable", O_WRONLY), EACCES);
	RE(rump_sys_open("readable", O_RDONLY | O_TRUNC), EACCES);
	RE(rump_sys_open("readable", O_RDONLY | O_NOATIME), EPERM);
	RL(fd = rump_sys_open("readable", O_RDONLY));
	RL(rump_sys_close(fd));
	RE(rump_sys_open("ro/new", O_CREAT | O_WRONLY, 0644), EACCES);
	RE(rump_sys_open("ro/f", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	RL(fd = rump_sys_open("ro/f", O_CREAT | O_WRONLY, 0644));
	RL(rump_sys_close(fd));
	RE(rump_sys_open("noexec/f", O_RDONLY), EACCES);
	RE(rump_sys_open("noexec/f", O_PATH), EACCES);
	RE(rump_sys_open("noexec/new", O_CREAT | O_WRONLY, 0644), EACCES);

	/* A file made by this open is writable whatever its mode. */
	RL(fd = rump_sys_open("mine", O_CREAT | O_RDWR, 0));
	ATF_CHECK_EQ(rump_sys_write(fd, "x", 1), 1);
	RL(rump_sys_close(fd));
	ATF_CHECK_EQ(stat_of("mine").st_uid, USER_UID);
	ATF_CHECK_EQ(stat_of("mine").st_gid, USER_GID);
	RE(rump_sys_open("mine", O_RDONLY), EACCES);
	RL(fd = rump_sys_open("mine", O_PATH | O_NOATIME));
	RL(rump_sys_close(fd));
}

ATF_TC(ficlone);
ATF_TC_HEAD(ficlone, tc)
{
	atf_tc_set_md_var(tc, "descr", "FICLONE takes the source descriptor "
	    "by value: EOPNOTSUPP for a valid one, EBADF for a bad one");
}
ATF_TC_BODY(ficlone, tc)
{
	int src, dst;

	boot();
	mkfile("src", 0644, "data");
	RL(src = rump_sys_open("src", O_RDONLY));
	RL(dst = rump_sys_open("dst", O_RDWR | O_CREAT, 0644));
	ATF_CHECK_EQ(rump_sys_ioctl(dst, FICLONE, src), -1);
	ATF_CHECK_EQ(errno, EOPNOTSUPP);
	ATF_CHECK_EQ(rump_sys_ioctl(dst, FICLONE, 999), -1);
	ATF_CHECK_EQ(errno, EBADF);
}

ATF_TC(lseek);
ATF_TC_HEAD(lseek, tc)
{
	atf_tc_set_md_var(tc, "descr", "lseek on files, directories, pipes "
	    "and FIFOs, with every whence");
}
ATF_TC_BODY(lseek, tc)
{
	char buf1[512], buf2[512];
	ssize_t n1, n2;
	off_t cookie;
	int fd, dfd, p[2];

	boot();
	mkfile("f", 0644, "0123456789");
	RL(fd = rump_sys_open("f", O_RDWR));
	ATF_CHECK_EQ(rump_sys_lseek(fd, 4, SEEK_SET), 4);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 2, SEEK_CUR), 6);
	ATF_CHECK_EQ(rump_sys_lseek(fd, -3, SEEK_END), 7);
	ATF_CHECK_EQ(rump_sys_read(fd, buf1, 10), 3);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 100, SEEK_END), 110);
	RE(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	RE(rump_sys_lseek(fd, -200, SEEK_CUR), EINVAL);
	RE(rump_sys_lseek(fd, INT64_MAX, SEEK_CUR), EINVAL);
	RE(rump_sys_lseek(fd, 0, 7), EINVAL);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 110);

	/* SEEK_DATA and SEEK_HOLE: the whole file is data here. */
	ATF_CHECK_EQ(rump_sys_lseek(fd, 3, SEEK_DATA), 3);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_HOLE), 10);
	RE(rump_sys_lseek(fd, 10, SEEK_DATA), ENXIO);
	RE(rump_sys_lseek(fd, -1, SEEK_DATA), ENXIO);
	RL(rump_sys_close(fd));

	/* Pipes and FIFOs cannot seek. */
	RL(rump_sys_pipe(p));
	RE(rump_sys_lseek(p[0], 0, SEEK_CUR), ESPIPE);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	mkfifo_r("fifo", 0644);
	RL(fd = rump_sys_open("fifo", O_RDONLY | O_NONBLOCK));
	RE(rump_sys_lseek(fd, 0, SEEK_SET), ESPIPE);
	RL(rump_sys_close(fd));
	RE(rump_sys_lseek(-1, 0, SEEK_SET), EBADF);

	/* A directory's offset is a cookie: seeking back replays. */
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/a", 0644, NULL);
	mkfile("d/b", 0644, NULL);
	mkfile("d/c", 0644, NULL);
	RL(dfd = rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RE(rump_sys_lseek(dfd, 0, SEEK_END), EINVAL);
	RE(rump_sys_lseek(dfd, 0, SEEK_DATA), EINVAL);
	RE(rump_sys_lseek(dfd, -1, SEEK_SET), EINVAL);
	/* Two records at most: "." is 24 bytes long. */
	RL(rump_sys_getdents64(dfd, buf1, 48));
	RL(cookie = rump_sys_lseek(dfd, 0, SEEK_CUR));
	RL(n1 = rump_sys_getdents64(dfd, buf1, sizeof(buf1)));
	ATF_CHECK(n1 > 0);
	ATF_CHECK_EQ(rump_sys_lseek(dfd, cookie, SEEK_SET), cookie);
	RL(n2 = rump_sys_getdents64(dfd, buf2, sizeof(buf2)));
	ATF_CHECK_EQ(n1, n2);
	ATF_CHECK(memcmp(buf1, buf2, (size_t)n1) == 0);
	ATF_CHECK_EQ(rump_sys_lseek(dfd, 0, SEEK_SET), 0);
	RL(rump_sys_close(dfd));
}

ATF_TC(stat);
ATF_TC_HEAD(stat, tc)
{
	atf_tc_set_md_var(tc, "descr", "stat, lstat, fstatat and fstat: "
	    "fields, symbolic links, AT_* flags and errors");
}
ATF_TC_BODY(stat, tc)
{
	struct stat st, st2;
	int fd, pfd, p[2];

	boot();
	mkfile("f", 0640, "12345");
	RL(rump_sys_symlink("f", "s"));
	RL(rump_sys_mkdir("d", 0711));

	RL(rump_sys_stat("f", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFREG | 0640);
	ATF_CHECK_EQ(st.st_size, 5);
	ATF_CHECK_EQ(st.st_nlink, 1);
	ATF_CHECK_EQ(st.st_uid, 0);
	ATF_CHECK_EQ(st.st_gid, 0);
	ATF_CHECK(st.st_ino != 0);
	ATF_CHECK(st.st_blksize > 0);
	RL(rump_sys_stat("s", &st2));
	ATF_CHECK_EQ(st2.st_ino, st.st_ino);
	RL(rump_sys_lstat("s", &st2));
	ATF_CHECK_EQ(st2.st_mode, S_IFLNK | 0777);
	ATF_CHECK_EQ(st2.st_size, 1);
	ATF_CHECK(st2.st_ino != st.st_ino);
	RL(rump_sys_fstatat(AT_FDCWD, "s", &st2, AT_SYMLINK_NOFOLLOW));
	ATF_CHECK(S_ISLNK(st2.st_mode));
	RL(rump_sys_stat("d", &st2));
	ATF_CHECK_EQ(st2.st_mode, S_IFDIR | 0711);
	ATF_CHECK_EQ(st2.st_nlink, 2);

	/* fstat sees the same file as stat. */
	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fstat(fd, &st2));
	ATF_CHECK_EQ(st2.st_ino, st.st_ino);
	ATF_CHECK_EQ(st2.st_dev, st.st_dev);

	/* AT_EMPTY_PATH: the descriptor itself, O_PATH and pipes too. */
	RL(rump_sys_fstatat(fd, "", &st2, AT_EMPTY_PATH));
	ATF_CHECK_EQ(st2.st_ino, st.st_ino);
	RE(rump_sys_fstatat(fd, "", &st2, 0), ENOENT);
	RE(rump_sys_fstatat(fd, "x", &st2, 0), ENOTDIR);
	RL(rump_sys_close(fd));
	RL(pfd = rump_sys_open("s", O_PATH | O_NOFOLLOW));
	RL(rump_sys_fstatat(pfd, "", &st2, AT_EMPTY_PATH));
	ATF_CHECK(S_ISLNK(st2.st_mode));
	RL(rump_sys_close(pfd));
	RL(rump_sys_pipe(p));
	RL(rump_sys_fstatat(p[0], "", &st2, AT_EMPTY_PATH));
	ATF_CHECK(S_ISFIFO(st2.st_mode));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	RL(rump_sys_fstatat(AT_FDCWD, "", &st2, AT_EMPTY_PATH));
	ATF_CHECK(S_ISDIR(st2.st_mode));

	RE(rump_sys_fstatat(AT_FDCWD, "f", &st2, 0x8), EINVAL);
	RL(rump_sys_fstatat(AT_FDCWD, "f", &st2, AT_NO_AUTOMOUNT));
	RE(rump_sys_stat("", &st2), ENOENT);
	RE(rump_sys_stat("missing", &st2), ENOENT);
	RE(rump_sys_stat("f/", &st2), ENOTDIR);
	RE(rump_sys_fstatat(99, "f", &st2, 0), EBADF);
}

ATF_TC(statx);
ATF_TC_HEAD(statx, tc)
{
	atf_tc_set_md_var(tc, "descr", "statx: mask, device numbers, mount "
	    "id, attributes and flag errors");
}
ATF_TC_BODY(statx, tc)
{
	struct statx stx;
	struct stat st;
	int fd;

	boot();
	mkfile("f", 0644, "abc");
	RL(rump_sys_stat("f", &st));

	memset(&stx, 0xff, sizeof(stx));
	RL(rump_sys_statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS | STATX_BTIME,
	    &stx));
	ATF_CHECK_EQ(stx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	ATF_CHECK(stx.stx_mask & STATX_BTIME);
	ATF_CHECK(stx.stx_mask & STATX_MNT_ID);
	ATF_CHECK(stx.stx_mnt_id != 0);
	ATF_CHECK_EQ(stx.stx_mode, S_IFREG | 0644);
	ATF_CHECK_EQ(stx.stx_size, 3);
	ATF_CHECK_EQ(stx.stx_ino, st.st_ino);
	ATF_CHECK_EQ(stx.stx_nlink, 1);
	ATF_CHECK_EQ(makedev(stx.stx_dev_major, stx.stx_dev_minor), st.st_dev);
	ATF_CHECK_EQ(stx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	ATF_CHECK_EQ(stx.stx_mtime.tv_nsec, (uint32_t)st.st_mtim.tv_nsec);
	ATF_CHECK(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT);
	ATF_CHECK_EQ(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT, 0);

	/* The birth time only on request; change times only when asked. */
	RL(rump_sys_statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &stx));
	ATF_CHECK_EQ(stx.stx_mask & STATX_BTIME, 0);
	RL(rump_sys_statx(AT_FDCWD, "f", 0, STATX_TYPE, &stx));
	ATF_CHECK_EQ(stx.stx_mask & (STATX_MTIME | STATX_CTIME), 0);
	ATF_CHECK(stx.stx_mask & STATX_SIZE);

	/* The root of a mount says so. */
	RL(rump_sys_statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &stx));
	ATF_CHECK(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);

	/* A descriptor with AT_EMPTY_PATH, the path "" or NULL. */
	RL(fd = rump_sys_open("f", O_PATH));
	RL(rump_sys_statx(fd, "", AT_EMPTY_PATH, STATX_INO, &stx));
	ATF_CHECK_EQ(stx.stx_ino, st.st_ino);
	RL(rump_sys_statx(fd, NULL, AT_EMPTY_PATH, STATX_INO, &stx));
	ATF_CHECK_EQ(stx.stx_ino, st.st_ino);
	RE(rump_sys_statx(fd, NULL, 0, STATX_INO, &stx), EFAULT);
	RL(rump_sys_close(fd));

	RE(rump_sys_statx(AT_FDCWD, "f", AT_STATX_SYNC_TYPE, 0, &stx), EINVAL);
	RE(rump_sys_statx(AT_FDCWD, "f", 0x10000, 0, &stx), EINVAL);
	RE(rump_sys_statx(AT_FDCWD, "f", 0x8000, 0, &stx), EINVAL);
	RE(rump_sys_statx(AT_FDCWD, "f", 0, 0x80000000U, &stx), EINVAL);
	RL(rump_sys_statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC, 0, &stx));
	RL(rump_sys_statx(AT_FDCWD, "f", AT_STATX_DONT_SYNC, 0, &stx));
	RE(rump_sys_statx(AT_FDCWD, "missing", 0, 0, &stx), ENOENT);
}

/* The names in a getdents64 buffer, as "name/type " pairs. */
static void
dirent_names(const char *buf, ssize_t len, char *out, size_t outlen)
{
	ssize_t pos;

	out[0] = '\0';
	for (pos = 0; pos < len;) {
		const char *rec = buf + pos;
		unsigned short reclen;
		char one[300];

		memcpy(&reclen, rec + 16, sizeof(reclen));
		ATF_REQUIRE(reclen >= 24 && reclen % 8 == 0);
		snprintf(one, sizeof(one), "%s/%d ", rec + 19,
		    (unsigned char)rec[18]);
		strncat(out, one, outlen - strlen(out) - 1);
		pos += reclen;
	}
}

ATF_TC(getdents64);
ATF_TC_HEAD(getdents64, tc)
{
	atf_tc_set_md_var(tc, "descr", "getdents64: entries, types, the end "
	    "and errors");
}
ATF_TC_BODY(getdents64, tc)
{
	char buf[4096], names[1024];
	ssize_t n;
	int dfd, fd, pfd;

	boot();
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/file", 0644, NULL);
	RL(rump_sys_mkdir("d/sub", 0755));
	RL(rump_sys_symlink("file", "d/link"));

	RL(dfd = rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RE(rump_sys_getdents64(dfd, buf, 10), EINVAL);
	RL(n = rump_sys_getdents64(dfd, buf, sizeof(buf)));
	dirent_names(buf, n, names, sizeof(names));
	ATF_CHECK_MSG(strncmp(names, "./4 ../4 ", 9) == 0, "%s", names);
	ATF_CHECK_MSG(strstr(names, " file/8 ") != NULL, "%s", names);
	ATF_CHECK_MSG(strstr(names, " sub/4 ") != NULL, "%s", names);
	ATF_CHECK_MSG(strstr(names, " link/10 ") != NULL, "%s", names);
	ATF_CHECK_EQ(rump_sys_getdents64(dfd, buf, sizeof(buf)), 0);
	RL(rump_sys_close(dfd));

	RL(fd = rump_sys_open("d/file", O_RDONLY));
	RE(rump_sys_getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	RL(rump_sys_close(fd));
	RL(pfd = rump_sys_open("d", O_PATH));
	RE(rump_sys_getdents64(pfd, buf, sizeof(buf)), EBADF);
	RL(rump_sys_close(pfd));
	RE(rump_sys_getdents64(-1, buf, sizeof(buf)), EBADF);
}

ATF_TC(mkdir);
ATF_TC_HEAD(mkdir, tc)
{
	atf_tc_set_md_var(tc, "descr", "mkdir and mkdirat: modes and errors");
}
ATF_TC_BODY(mkdir, tc)
{
	struct stat st;
	int dfd;

	boot();
	mkfile("f", 0644, NULL);
	RL(rump_sys_symlink("nowhere", "dangling"));

	rump_sys_umask(0);
	RL(rump_sys_mkdir("all", 07777));
	ATF_CHECK_EQ(stat_of("all").st_mode, S_IFDIR | 01777);
	rump_sys_umask(022);
	RL(rump_sys_mkdir("d", 0777));
	ATF_CHECK_EQ(stat_of("d").st_mode, S_IFDIR | 0755);
	ATF_CHECK_EQ(stat_of(".").st_nlink, 4);
	RL(rump_sys_mkdir("slash/", 0755));
	RL(rump_sys_mkdir("slashes//", 0755));
	RL(dfd = rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdirat(dfd, "sub", 0700));
	RL(rump_sys_close(dfd));
	RL(rump_sys_stat("d/sub", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFDIR | 0700);

	RE(rump_sys_mkdir("/", 0755), EEXIST);
	RE(rump_sys_mkdir(".", 0755), EEXIST);
	RE(rump_sys_mkdir("..", 0755), EEXIST);
	RE(rump_sys_mkdir("d/.", 0755), EEXIST);
	RE(rump_sys_mkdir("d", 0755), EEXIST);
	RE(rump_sys_mkdir("f", 0755), EEXIST);
	RE(rump_sys_mkdir("f/", 0755), EEXIST);
	RE(rump_sys_mkdir("dangling", 0755), EEXIST);
	RE(rump_sys_mkdir("dangling/", 0755), EEXIST);
	RE(rump_sys_mkdir("no/x", 0755), ENOENT);
	RE(rump_sys_mkdir("f/x", 0755), ENOTDIR);
	RE(rump_sys_mkdir("", 0755), ENOENT);

	become_user();
	RL(rump_sys_mkdir("mine", 0755));
	ATF_CHECK_EQ(stat_of("mine").st_uid, USER_UID);
	RE(rump_sys_mkdir("d/x", 0755), EACCES);
}

ATF_TC(rmdir);
ATF_TC_HEAD(rmdir, tc)
{
	atf_tc_set_md_var(tc, "descr", "rmdir and unlinkat(AT_REMOVEDIR): "
	    "Linux's errors for ., .., /, mount points and non-directories");
}
ATF_TC_BODY(rmdir, tc)
{

	boot();
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_mkdir("full", 0755));
	mkfile("full/x", 0644, NULL);
	mkfile("f", 0644, NULL);
	RL(rump_sys_symlink("d", "sd"));

	RE(rump_sys_rmdir("."), EINVAL);
	RE(rump_sys_rmdir("d/."), EINVAL);
	RE(rump_sys_rmdir(".."), ENOTEMPTY);
	RE(rump_sys_rmdir("d/.."), ENOTEMPTY);
	RE(rump_sys_rmdir("/"), EBUSY);
	RE(rump_sys_rmdir("full"), ENOTEMPTY);
	RE(rump_sys_rmdir("f"), ENOTDIR);
	RE(rump_sys_rmdir("f/"), ENOTDIR);
	RE(rump_sys_rmdir("sd"), ENOTDIR);
	RE(rump_sys_rmdir("sd/"), ENOTDIR);
	RE(rump_sys_rmdir("missing"), ENOENT);
	RE(rump_sys_rmdir(""), ENOENT);
	RE(rump_sys_unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR);

	mount_second(0);
	RE(rump_sys_rmdir("mnt"), EBUSY);
	RL(rump_sys_umount("/w/mnt"));
	RL(rump_sys_rmdir("mnt"));

	RL(rump_sys_rmdir("d/"));
	RE(rump_sys_stat("d", &(struct stat){ 0 }), ENOENT);
	RL(rump_sys_unlink("full/x"));
	RL(rump_sys_unlinkat(AT_FDCWD, "full", AT_REMOVEDIR));
	ATF_CHECK_EQ(stat_of(".").st_nlink, 2);
}

ATF_TC(unlink);
ATF_TC_HEAD(unlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "unlink and unlinkat: errors, and an "
	    "unlinked file stays usable while open");
}
ATF_TC_BODY(unlink, tc)
{
	struct stat st;
	char buf[8];
	int fd;

	boot();
	RL(rump_sys_mkdir("d", 0755));
	mkfile("f", 0644, "kept");
	RL(rump_sys_symlink("d", "sd"));

	RE(rump_sys_unlink("d"), EISDIR);
	RE(rump_sys_unlink("d/"), EISDIR);
	RE(rump_sys_unlink("."), EISDIR);
	RE(rump_sys_unlink(".."), EISDIR);
	RE(rump_sys_unlink("/"), EISDIR);
	RE(rump_sys_unlink("f/"), ENOTDIR);
	RE(rump_sys_unlink("sd/"), ENOTDIR);
	RE(rump_sys_unlink("missing"), ENOENT);
	RE(rump_sys_unlinkat(AT_FDCWD, "f", 0x100), EINVAL);

	/* A symbolic link goes, not its target. */
	RL(rump_sys_unlink("sd"));
	RL(rump_sys_stat("d", &st));

	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_unlink("f"));
	RE(rump_sys_stat("f", &st), ENOENT);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_nlink, 0);
	RL(rump_sys_close(fd));
}

ATF_TC(sticky);
ATF_TC_HEAD(sticky, tc)
{
	atf_tc_set_md_var(tc, "descr", "Sticky directories: only the owner "
	    "of the entry or of the directory removes or renames it");
}
ATF_TC_BODY(sticky, tc)
{

	boot();
	RL(rump_sys_mkdir("t", 0777));
	RL(rump_sys_chmod("t", 01777));
	mkfile("t/rootf", 0666, NULL);
	RL(rump_sys_mkdir("t/rootd", 0777));
	RL(rump_sys_mkdir("u", 0777));
	RL(rump_sys_chmod("u", 01777));
	RL(rump_sys_chown("u", USER_UID, USER_GID));
	mkfile("u/rootf", 0666, NULL);

	become_user();
	mkfile("t/mine", 0644, NULL);
	RE(rump_sys_unlink("t/rootf"), EPERM);
	RE(rump_sys_rmdir("t/rootd"), EPERM);
	RE(rump_sys_rename("t/rootf", "t/x"), EPERM);
	RE(rump_sys_rename("t/mine", "t/rootf"), EPERM);
	RL(rump_sys_rename("t/mine", "t/mine2"));
	RL(rump_sys_unlink("t/mine2"));
	/* The owner of the directory may remove anything in it. */
	RL(rump_sys_unlink("u/rootf"));
}

ATF_TC(rename);
ATF_TC_HEAD(rename, tc)
{
	atf_tc_set_md_var(tc, "descr", "rename: files, directories, "
	    "replacement rules and Linux's errors");
}
ATF_TC_BODY(rename, tc)
{
	struct stat st, st2;
	char buf[8];
	int fd;

	boot();
	mkfile("f", 0644, "one");
	mkfile("g", 0644, "two");
	RL(rump_sys_mkdir("a", 0755));
	RL(rump_sys_mkdir("a/b", 0755));
	RL(rump_sys_mkdir("e", 0755));
	RL(rump_sys_mkdir("full", 0755));
	mkfile("full/x", 0644, NULL);

	/* A file replaces another. */
	RL(rump_sys_stat("f", &st));
	RL(rump_sys_rename("f", "g"));
	RE(rump_sys_stat("f", &st2), ENOENT);
	RL(rump_sys_stat("g", &st2));
	ATF_CHECK_EQ(st2.st_ino, st.st_ino);
	RL(fd = rump_sys_open("g", O_RDONLY));
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	ATF_CHECK(memcmp(buf, "one", 3) == 0);
	RL(rump_sys_close(fd));

	/* Two names of one file: success, both stay. */
	RL(rump_sys_link("g", "h"));
	RL(rump_sys_rename("g", "h"));
	RL(rump_sys_stat("g", &st));
	RL(rump_sys_stat("h", &st));
	ATF_CHECK_EQ(st.st_nlink, 2);
	RL(rump_sys_rename("g", "g"));

	/* Directories: into a new parent, over an empty one, ".." follows. */
	RL(rump_sys_rename("e", "a/e"));
	ATF_CHECK_EQ(stat_of("a").st_nlink, 4);
	RL(rump_sys_stat("a/e/..", &st));
	ATF_CHECK_EQ(st.st_ino, stat_of("a").st_ino);
	RL(rump_sys_mkdir("empty", 0755));
	RL(rump_sys_rename("a/e", "empty"));
	ATF_CHECK_EQ(stat_of("a").st_nlink, 3);
	RL(rump_sys_rename("empty", "renamed/"));

	/* Linux's errors. */
	RE(rump_sys_rename("a", "a/b/c"), EINVAL);
	RE(rump_sys_rename("a", "a/c"), EINVAL);
	RE(rump_sys_rename("a/b", "a"), ENOTEMPTY);
	RE(rump_sys_rename("g", "a"), EISDIR);
	RE(rump_sys_rename("a", "g"), ENOTDIR);
	RE(rump_sys_rename("renamed", "full"), ENOTEMPTY);
	RE(rump_sys_rename("missing", "x"), ENOENT);
	RE(rump_sys_rename("g", "nodir/x"), ENOENT);
	RE(rump_sys_rename("g/", "x"), ENOTDIR);
	RE(rump_sys_rename("g", "x/"), ENOTDIR);
	RE(rump_sys_rename(".", "x"), EBUSY);
	RE(rump_sys_rename("..", "x"), EBUSY);
	RE(rump_sys_rename("a/.", "x"), EBUSY);
	RE(rump_sys_rename("g", "."), EBUSY);
	RE(rump_sys_rename("a", ".."), EBUSY);
	RE(rump_sys_rename("", "x"), ENOENT);

	/* Across mounts, and mount points themselves. */
	mount_second(0);
	RE(rump_sys_rename("g", "mnt/g"), EXDEV);
	RE(rump_sys_rename("mnt", "mnt2"), EBUSY);
	RL(rump_sys_umount("/w/mnt"));
}

ATF_TC(renameat2);
ATF_TC_HEAD(renameat2, tc)
{
	atf_tc_set_md_var(tc, "descr", "renameat2: RENAME_NOREPLACE, "
	    "RENAME_EXCHANGE and flag errors");
}
ATF_TC_BODY(renameat2, tc)
{
	struct stat f, d;
	int dfd;

	boot();
	mkfile("f", 0644, "file");
	mkfile("g", 0644, NULL);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_mkdir("d/sub", 0755));
	RL(dfd = rump_sys_open("d", O_RDONLY | O_DIRECTORY));

	RE(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "g",
	    RENAME_NOREPLACE), EEXIST);
	RE(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "f",
	    RENAME_NOREPLACE), EEXIST);
	RL(rump_sys_renameat2(AT_FDCWD, "g", dfd, "g2", RENAME_NOREPLACE));
	RL(rump_sys_stat("d/g2", &f));

	RE(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "x",
	    RENAME_EXCHANGE), ENOENT);
	RE(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "d",
	    RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
	RE(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "d",
	    RENAME_WHITEOUT), EINVAL);
	RE(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "d", 8), EINVAL);
	RE(rump_sys_renameat2(AT_FDCWD, "d", AT_FDCWD, "d/sub",
	    RENAME_EXCHANGE), EINVAL);
	RE(rump_sys_renameat2(AT_FDCWD, "d/sub", AT_FDCWD, "d",
	    RENAME_EXCHANGE), EINVAL);
	RE(rump_sys_renameat2(AT_FDCWD, "d", AT_FDCWD, "f/",
	    RENAME_EXCHANGE), ENOTDIR);
	RE(rump_sys_renameat2(AT_FDCWD, "f/", AT_FDCWD, "d",
	    RENAME_EXCHANGE), ENOTDIR);

	/* Exchange a file and a directory. */
	f = stat_of("f");
	d = stat_of("d");
	RL(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "d", RENAME_EXCHANGE));
	ATF_CHECK_EQ(stat_of("f").st_ino, d.st_ino);
	ATF_CHECK_EQ(stat_of("d").st_ino, f.st_ino);
	ATF_CHECK(S_ISDIR(stat_of("f/sub").st_mode));
	RL(rump_sys_renameat2(AT_FDCWD, "f", AT_FDCWD, "f", RENAME_EXCHANGE));
	RL(rump_sys_close(dfd));
}

ATF_TC(link);
ATF_TC_HEAD(link, tc)
{
	atf_tc_set_md_var(tc, "descr", "link and linkat: link counts, "
	    "symbolic links, AT_EMPTY_PATH and errors");
}
ATF_TC_BODY(link, tc)
{
	struct stat st;
	int fd, rootfd;

	boot();
	mkfile("f", 0644, NULL);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_symlink("f", "s"));
	RL(rump_sys_symlink("nowhere", "dangling"));

	RL(rump_sys_link("f", "l"));
	ATF_CHECK_EQ(stat_of("f").st_nlink, 2);
	ATF_CHECK_EQ(stat_of("l").st_ino, stat_of("f").st_ino);
	/* Without AT_SYMLINK_FOLLOW the link itself is linked. */
	RL(rump_sys_link("s", "ls"));
	ATF_CHECK(S_ISLNK(stat_of("ls").st_mode));
	RL(rump_sys_linkat(AT_FDCWD, "s", AT_FDCWD, "lf", AT_SYMLINK_FOLLOW));
	ATF_CHECK(S_ISREG(stat_of("lf").st_mode));
	ATF_CHECK_EQ(stat_of("f").st_nlink, 3);
	RL(rump_sys_link("dangling", "ld"));
	RE(rump_sys_linkat(AT_FDCWD, "dangling", AT_FDCWD, "ld2",
	    AT_SYMLINK_FOLLOW), ENOENT);

	RE(rump_sys_link("f", "l"), EEXIST);
	RE(rump_sys_link("f", "d"), EEXIST);
	RE(rump_sys_link("f", "."), EEXIST);
	RE(rump_sys_link("d", "dl"), EPERM);
	RE(rump_sys_link("missing", "x"), ENOENT);
	RE(rump_sys_link("f", "new/"), ENOENT);
	RE(rump_sys_link("f", "nodir/x"), ENOENT);
	RE(rump_sys_linkat(AT_FDCWD, "f", AT_FDCWD, "x", 0x100), EINVAL);

	/* AT_EMPTY_PATH links the descriptor's file. */
	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_linkat(fd, "", AT_FDCWD, "byfd", AT_EMPTY_PATH));
	ATF_CHECK_EQ(stat_of("byfd").st_ino, stat_of("f").st_ino);
	RE(rump_sys_linkat(fd, "", AT_FDCWD, "byfd2", 0), ENOENT);
	RL(rump_sys_close(fd));

	mount_second(0);
	RE(rump_sys_link("f", "mnt/f"), EXDEV);
	RL(rump_sys_umount("/w/mnt"));

	/* Protected hard links: not to another user's file without rw. */
	mkfile("rootonly", 0644, NULL);
	mkfile("shared", 0666, NULL);
	RL(rootfd = rump_sys_open("shared", O_RDONLY));
	become_user();
	/* A descriptor opened with another credential: ENOENT. */
	RE(rump_sys_linkat(rootfd, "", AT_FDCWD, "viaroot", AT_EMPTY_PATH),
	    ENOENT);
	RE(rump_sys_link("rootonly", "mylink"), EPERM);
	RL(rump_sys_link("shared", "mylink"));
	mkfile("mine", 0600, NULL);
	RL(rump_sys_link("mine", "mylink2"));
	RL(fd = rump_sys_open("mine", O_RDONLY));
	RL(rump_sys_linkat(fd, "", AT_FDCWD, "mylink3", AT_EMPTY_PATH));
	RL(rump_sys_close(fd));
	RL(rump_sys_stat("mylink3", &st));
}

ATF_TC(symlink_readlink);
ATF_TC_HEAD(symlink_readlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "symlink, symlinkat, readlink and "
	    "readlinkat: contents, truncation and errors");
}
ATF_TC_BODY(symlink_readlink, tc)
{
	char buf[64];
	int dfd, pfd;

	boot();
	mkfile("f", 0644, NULL);
	RL(rump_sys_mkdir("d", 0755));
	RL(dfd = rump_sys_open("d", O_RDONLY | O_DIRECTORY));

	RL(rump_sys_symlink("some/target", "s"));
	RL(rump_sys_symlinkat("../f", dfd, "up"));
	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(rump_sys_readlink("s", buf, sizeof(buf)), 11);
	ATF_CHECK(memcmp(buf, "some/target", 11) == 0);
	ATF_CHECK_EQ(buf[11], 'x');
	ATF_CHECK_EQ(rump_sys_readlink("s", buf, 4), 4);
	ATF_CHECK(memcmp(buf, "some", 4) == 0);
	ATF_CHECK_EQ(rump_sys_readlinkat(dfd, "up", buf, sizeof(buf)), 4);
	RL(rump_sys_stat("d/up", &(struct stat){ 0 }));

	RE(rump_sys_symlink("", "empty"), ENOENT);
	RE(rump_sys_symlink("x", "f"), EEXIST);
	RE(rump_sys_symlink("x", "s"), EEXIST);
	RE(rump_sys_symlink("x", "new/"), ENOENT);
	RE(rump_sys_symlink("x", ""), ENOENT);
	RE(rump_sys_readlink("f", buf, sizeof(buf)), EINVAL);
	RE(rump_sys_readlink("s", buf, 0), EINVAL);
	RE(rump_sys_readlink("s", buf, (size_t)-1), EINVAL);
	RE(rump_sys_readlink("missing", buf, sizeof(buf)), ENOENT);
	RE(rump_sys_readlink("", buf, sizeof(buf)), ENOENT);

	/* An empty path reads the link an O_PATH descriptor is open on. */
	RL(pfd = rump_sys_open("s", O_PATH | O_NOFOLLOW));
	ATF_CHECK_EQ(rump_sys_readlinkat(pfd, "", buf, sizeof(buf)), 11);
	RL(rump_sys_close(pfd));
	RE(rump_sys_readlinkat(dfd, "", buf, sizeof(buf)), ENOENT);
	RL(rump_sys_close(dfd));
}

ATF_TC(chmod);
ATF_TC_HEAD(chmod, tc)
{
	atf_tc_set_md_var(tc, "descr", "chmod, fchmod and fchmodat: modes, "
	    "owners, S_ISGID and symbolic links");
}
ATF_TC_BODY(chmod, tc)
{
	int fd, p[2];

	boot();
	mkfile("f", 0644, NULL);
	RL(rump_sys_symlink("f", "s"));

	RL(rump_sys_chmod("f", 04755));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 04755);
	RL(rump_sys_chmod("s", 0600));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 0600);
	RL(rump_sys_chmod("f", 0177777));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 07777);
	RE(rump_sys_fchmodat(AT_FDCWD, "s", 0600, AT_SYMLINK_NOFOLLOW),
	    EOPNOTSUPP);
	RL(rump_sys_fchmodat(AT_FDCWD, "f", 0640, AT_SYMLINK_NOFOLLOW));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 0640);
	RE(rump_sys_fchmodat(AT_FDCWD, "f", 0640, 0x8), EINVAL);
	RE(rump_sys_chmod("missing", 0644), ENOENT);

	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fchmod(fd, 0604));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 0604);
	RL(rump_sys_close(fd));
	RE(rump_sys_fchmod(-1, 0644), EBADF);
	RL(rump_sys_pipe(p));
	RL(rump_sys_fchmod(p[0], 0600));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));

	mkfile("other", 0644, NULL);
	mkfile("foreign", 0644, NULL);
	RL(rump_sys_chown("foreign", USER_UID, OTHER_GID));
	become_user();
	RE(rump_sys_chmod("other", 0600), EPERM);
	mkfile("mine", 0644, NULL);
	RL(rump_sys_chmod("mine", 02644));
	ATF_CHECK_EQ(stat_of("mine").st_mode, S_IFREG | 02644);
	RL(rump_sys_chown("mine", -1, USER_GID2));
	RL(rump_sys_chmod("mine", 02644));
	ATF_CHECK_EQ(stat_of("mine").st_mode, S_IFREG | 02644);
	/* S_ISGID needs the file's group among the caller's. */
	RL(rump_sys_chmod("foreign", 02644));
	ATF_CHECK_EQ(stat_of("foreign").st_mode, S_IFREG | 0644);
}

ATF_TC(chown);
ATF_TC_HEAD(chown, tc)
{
	atf_tc_set_md_var(tc, "descr", "chown family: who may change what, "
	    "-1, lchown, and the set-id bits it clears");
}
ATF_TC_BODY(chown, tc)
{
	struct stat st;
	int fd;

	boot();
	mkfile("f", 0644, NULL);
	RL(rump_sys_symlink("f", "s"));
	RL(rump_sys_mkdir("d", 0755));

	RL(rump_sys_chown("f", 5, 6));
	st = stat_of("f");
	ATF_CHECK_EQ(st.st_uid, 5);
	ATF_CHECK_EQ(st.st_gid, 6);
	RL(rump_sys_chown("f", -1, 7));
	ATF_CHECK_EQ(stat_of("f").st_uid, 5);
	ATF_CHECK_EQ(stat_of("f").st_gid, 7);
	RL(rump_sys_lchown("s", 8, 8));
	ATF_CHECK_EQ(stat_of("s").st_uid, 8);
	ATF_CHECK_EQ(stat_of("f").st_uid, 5);
	RL(rump_sys_fchownat(AT_FDCWD, "s", 9, 9, 0));
	ATF_CHECK_EQ(stat_of("f").st_uid, 9);
	RE(rump_sys_fchownat(AT_FDCWD, "f", 1, 1, 0x8), EINVAL);

	/* Any chown of a file clears S_ISUID and executable S_ISGID. */
	RL(rump_sys_chmod("f", 06755));
	RL(rump_sys_chown("f", -1, -1));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 0755);
	RL(rump_sys_chmod("f", 02745));
	RL(rump_sys_chown("f", 0, 0));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 02745);
	RL(rump_sys_chmod("d", 06755));
	RL(rump_sys_chown("d", 1, 1));
	ATF_CHECK_EQ(stat_of("d").st_mode, S_IFDIR | 06755);
	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fchown(fd, 3, -1));
	ATF_CHECK_EQ(stat_of("f").st_uid, 3);
	RL(rump_sys_close(fd));

	mkfile("rootf", 0644, NULL);
	become_user();
	mkfile("mine", 0755, NULL);
	RL(rump_sys_chown("mine", USER_UID, -1));
	RE(rump_sys_chown("mine", 0, -1), EPERM);
	RL(rump_sys_chown("mine", -1, USER_GID2));
	ATF_CHECK_EQ(stat_of("mine").st_gid, USER_GID2);
	RE(rump_sys_chown("mine", -1, OTHER_GID), EPERM);
	RL(rump_sys_chown("rootf", -1, -1));
	RE(rump_sys_chown("rootf", 0, 0), EPERM);
	RE(rump_sys_chown("rootf", -1, USER_GID), EPERM);
	RL(rump_sys_chmod("mine", 02745));
	RL(rump_sys_chown("mine", -1, -1));
	ATF_CHECK_EQ(stat_of("mine").st_mode, S_IFREG | 02745);
}

ATF_TC(utimensat);
ATF_TC_HEAD(utimensat, tc)
{
	atf_tc_set_md_var(tc, "descr", "utimensat and futimens: explicit "
	    "times, UTIME_NOW, UTIME_OMIT, permissions and errors");
}
ATF_TC_BODY(utimensat, tc)
{
	struct timespec ts[2], before, omit[2], now[2];
	struct stat st;
	int fd;

	boot();
	mkfile("f", 0644, NULL);
	mkfile("w", 0666, NULL);
	RL(rump_sys_symlink("f", "s"));

	ts[0].tv_sec = 1000;
	ts[0].tv_nsec = 1;
	ts[1].tv_sec = 2000;
	ts[1].tv_nsec = 999999999;
	RL(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	st = stat_of("f");
	ATF_CHECK_EQ(st.st_atim.tv_sec, 1000);
	ATF_CHECK_EQ(st.st_atim.tv_nsec, 1);
	ATF_CHECK_EQ(st.st_mtim.tv_sec, 2000);
	ATF_CHECK_EQ(st.st_mtim.tv_nsec, 999999999);

	/* UTIME_OMIT keeps one time; UTIME_NOW and NULL take the clock. */
	clock_gettime(CLOCK_REALTIME, &before);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	RL(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	st = stat_of("f");
	ATF_CHECK_EQ(st.st_atim.tv_sec, 1000);
	ATF_CHECK(st.st_mtim.tv_sec >= before.tv_sec);
	ATF_CHECK(st.st_ctim.tv_sec >= before.tv_sec);
	RL(rump_sys_utimensat(AT_FDCWD, "f", NULL, 0));
	ATF_CHECK(stat_of("f").st_atim.tv_sec >= before.tv_sec);

	/* AT_SYMLINK_NOFOLLOW sets the link's own times. */
	ts[0].tv_sec = ts[1].tv_sec = 5;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	RL(rump_sys_utimensat(AT_FDCWD, "s", ts, AT_SYMLINK_NOFOLLOW));
	ATF_CHECK_EQ(stat_of("s").st_mtim.tv_sec, 5);
	ATF_CHECK(stat_of("f").st_mtim.tv_sec != 5);

	/* futimens, and utimensat with a NULL path, use the descriptor. */
	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_futimens(fd, ts));
	ATF_CHECK_EQ(stat_of("f").st_mtim.tv_sec, 5);
	ts[1].tv_sec = 6;
	RL(rump_sys_utimensat(fd, NULL, ts, 0));
	ATF_CHECK_EQ(stat_of("f").st_mtim.tv_sec, 6);
	RE(rump_sys_utimensat(fd, NULL, ts, AT_SYMLINK_NOFOLLOW), EINVAL);
	RL(rump_sys_close(fd));
	RE(rump_sys_futimens(-1, ts), EBADF);

	/* Errors: tv_nsec after the lookup, two OMITs before it. */
	ts[0].tv_nsec = 1000000000;
	RE(rump_sys_utimensat(AT_FDCWD, "f", ts, 0), EINVAL);
	RE(rump_sys_utimensat(AT_FDCWD, "missing", ts, 0), ENOENT);
	omit[0].tv_sec = omit[1].tv_sec = 0;
	omit[0].tv_nsec = omit[1].tv_nsec = UTIME_OMIT;
	RL(rump_sys_utimensat(AT_FDCWD, "missing", omit, 0));
	RE(rump_sys_utimensat(AT_FDCWD, "f", NULL, 0x8), EINVAL);

	/* Not the owner: "now" needs write access, explicit times EPERM. */
	now[0].tv_sec = now[1].tv_sec = 0;
	now[0].tv_nsec = now[1].tv_nsec = UTIME_NOW;
	ts[0].tv_nsec = 0;
	become_user();
	RL(rump_sys_utimensat(AT_FDCWD, "w", NULL, 0));
	RL(rump_sys_utimensat(AT_FDCWD, "w", now, 0));
	RE(rump_sys_utimensat(AT_FDCWD, "w", ts, 0), EPERM);
	RE(rump_sys_utimensat(AT_FDCWD, "f", NULL, 0), EACCES);
	RE(rump_sys_utimensat(AT_FDCWD, "f", ts, 0), EPERM);
	RL(rump_sys_utimensat(AT_FDCWD, "f", omit, 0));
}

ATF_TC(truncate);
ATF_TC_HEAD(truncate, tc)
{
	atf_tc_set_md_var(tc, "descr", "truncate and ftruncate: sizes, file "
	    "types, open modes and permissions");
}
ATF_TC_BODY(truncate, tc)
{
	int fd, p[2];

	boot();
	mkfile("f", 0644, "0123456789");
	RL(rump_sys_mkdir("d", 0755));
	mkfifo_r("fifo", 0666);
	RL(rump_sys_symlink("f", "s"));

	RL(rump_sys_truncate("f", 4));
	ATF_CHECK_EQ(stat_of("f").st_size, 4);
	RL(rump_sys_truncate("s", 100));
	ATF_CHECK_EQ(stat_of("f").st_size, 100);
	RE(rump_sys_truncate("f", -1), EINVAL);
	RE(rump_sys_truncate("d", 0), EISDIR);
	RE(rump_sys_truncate("fifo", 0), EINVAL);
	RE(rump_sys_truncate("missing", 0), ENOENT);

	RL(fd = rump_sys_open("f", O_RDWR));
	RL(rump_sys_ftruncate(fd, 3));
	ATF_CHECK_EQ(stat_of("f").st_size, 3);
	RE(rump_sys_ftruncate(fd, -1), EINVAL);
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open("f", O_RDONLY));
	RE(rump_sys_ftruncate(fd, 0), EINVAL);
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open("f", O_PATH));
	RE(rump_sys_ftruncate(fd, 0), EBADF);
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open("d", O_RDONLY));
	RE(rump_sys_ftruncate(fd, 0), EINVAL);
	RL(rump_sys_close(fd));
	RL(rump_sys_pipe(p));
	RE(rump_sys_ftruncate(p[1], 0), EINVAL);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	RE(rump_sys_ftruncate(-1, 0), EBADF);

	/* An unprivileged truncate or write clears the set-id bits. */
	RL(rump_sys_chmod("f", 04666));
	mkfile("w", 06676, NULL);
	become_user();
	RL(rump_sys_truncate("f", 0));
	ATF_CHECK_EQ(stat_of("f").st_mode, S_IFREG | 0666);
	RL(fd = rump_sys_open("w", O_WRONLY));
	ATF_CHECK_EQ(rump_sys_write(fd, "x", 1), 1);
	RL(rump_sys_close(fd));
	ATF_CHECK_EQ(stat_of("w").st_mode, S_IFREG | 0676);
	mkfile("mine", 0444, NULL);
	RE(rump_sys_truncate("mine", 0), EACCES);
}

ATF_TC(fallocate);
ATF_TC_HEAD(fallocate, tc)
{
	atf_tc_set_md_var(tc, "descr", "fallocate: mode 0 and KEEP_SIZE, "
	    "and the errors in Linux's order");
}
ATF_TC_BODY(fallocate, tc)
{
	struct stat st;
	int fd, ro, dfd, p[2];

	boot();
	mkfile("f", 0644, "abc");
	RL(rump_sys_mkdir("d", 0755));
	RL(fd = rump_sys_open("f", O_RDWR));
	RL(ro = rump_sys_open("f", O_RDONLY));
	RL(dfd = rump_sys_open("d", O_RDONLY));

	RL(rump_sys_fallocate(fd, 0, 0, 10000));
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_size, 10000);
	RL(rump_sys_fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 100000));
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_size, 10000);
	ATF_CHECK(st.st_blocks * 512 >= 100000);

	RE(rump_sys_fallocate(fd, 0, -1, 10), EINVAL);
	RE(rump_sys_fallocate(fd, 0, 0, 0), EINVAL);
	RE(rump_sys_fallocate(ro, 0, -1, 10), EINVAL);
	RE(rump_sys_fallocate(fd, 0x100, 0, 10), EOPNOTSUPP);
	RE(rump_sys_fallocate(ro, 0x100, 0, 10), EOPNOTSUPP);
	RE(rump_sys_fallocate(ro, 0, 0, 10), EBADF);
	RE(rump_sys_fallocate(dfd, 0, 0, 10), EBADF);
	RE(rump_sys_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10), EOPNOTSUPP);
	RE(rump_sys_fallocate(fd, 0, INT64_MAX, 10), EFBIG);
	RE(rump_sys_fallocate(-1, 0, 0, 10), EBADF);
	RL(rump_sys_pipe(p));
	RE(rump_sys_fallocate(p[1], 0, 0, 10), ESPIPE);
	RE(rump_sys_fallocate(p[0], 0, 0, 10), EBADF);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	RL(rump_sys_close(fd));
	RL(rump_sys_close(ro));
	RL(rump_sys_close(dfd));
}

ATF_TC(fsync);
ATF_TC_HEAD(fsync, tc)
{
	atf_tc_set_md_var(tc, "descr", "fsync and fdatasync on files, "
	    "directories, pipes and O_PATH descriptors");
}
ATF_TC_BODY(fsync, tc)
{
	int fd, p[2];

	boot();
	mkfile("f", 0644, "x");
	RL(fd = rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fsync(fd));
	RL(rump_sys_fdatasync(fd));
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open(".", O_RDONLY));
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open("f", O_PATH));
	RE(rump_sys_fsync(fd), EBADF);
	RL(rump_sys_close(fd));
	RL(rump_sys_pipe(p));
	RE(rump_sys_fsync(p[0]), EINVAL);
	RE(rump_sys_fdatasync(p[1]), EINVAL);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	mkfifo_r("fifo", 0644);
	RL(fd = rump_sys_open("fifo", O_RDWR));
	RE(rump_sys_fsync(fd), EINVAL);
	RL(rump_sys_close(fd));
	RE(rump_sys_fsync(-1), EBADF);
}

ATF_TC(access);
ATF_TC_HEAD(access, tc)
{
	atf_tc_set_md_var(tc, "descr", "access, faccessat and faccessat2: "
	    "modes, flags, real versus effective ids");
}
ATF_TC_BODY(access, tc)
{

	boot();
	mkfile("f", 0644, NULL);
	mkfile("rootonly", 0600, NULL);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_symlink("nowhere", "dangling"));

	RL(rump_sys_access("f", F_OK));
	RL(rump_sys_access("f", R_OK | W_OK));
	RE(rump_sys_access("f", X_OK), EACCES);
	RL(rump_sys_access("d", X_OK));
	RE(rump_sys_access("f", 8), EINVAL);
	RE(rump_sys_access("missing", F_OK), ENOENT);
	RE(rump_sys_access("dangling", F_OK), ENOENT);
	RL(rump_sys_faccessat(AT_FDCWD, "dangling", F_OK,
	    AT_SYMLINK_NOFOLLOW));
	RE(rump_sys_faccessat(AT_FDCWD, "f", F_OK, 0x8), EINVAL);
	RL(rump_sys_faccessat2(AT_FDCWD, "", F_OK, AT_EMPTY_PATH));
	RE(rump_sys_faccessat2(AT_FDCWD, "", F_OK, 0), ENOENT);

	/* Real uid 1000, effective root: access uses the real one. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	RL(rump_sys_setreuid(USER_UID, 0));
	RE(rump_sys_access("rootonly", R_OK), EACCES);
	RL(rump_sys_faccessat(AT_FDCWD, "rootonly", R_OK, AT_EACCESS));
	RL(rump_sys_access("f", R_OK));
	RE(rump_sys_access("f", W_OK), EACCES);
}

ATF_TC(mknod);
ATF_TC_HEAD(mknod, tc)
{
	atf_tc_set_md_var(tc, "descr", "mknod and mknodat: types, device "
	    "numbers, modes and privileges");
}
ATF_TC_BODY(mknod, tc)
{
	struct stat st;

	boot();
	RL(rump_sys_mknod("reg", 0640, 0));
	ATF_CHECK_EQ(stat_of("reg").st_mode, S_IFREG | 0640);
	RL(rump_sys_mknod("reg2", S_IFREG | 07777, 0));
	ATF_CHECK_EQ(stat_of("reg2").st_mode, S_IFREG | 07755);
	RL(rump_sys_mknod("fifo", S_IFIFO | 0666, 0));
	ATF_CHECK_EQ(stat_of("fifo").st_mode, S_IFIFO | 0644);
	RL(rump_sys_mknodat(AT_FDCWD, "sock", S_IFSOCK | 0777, 0));
	ATF_CHECK_EQ(stat_of("sock").st_mode, S_IFSOCK | 0755);
	RL(rump_sys_mknod("null", S_IFCHR | 0666, makedev(1, 3)));
	st = stat_of("null");
	ATF_CHECK_EQ(st.st_mode, S_IFCHR | 0644);
	ATF_CHECK_EQ(st.st_rdev, makedev(1, 3));
	RL(rump_sys_mknod("blk", S_IFBLK | 0600, makedev(7, 0)));
	ATF_CHECK_EQ(stat_of("blk").st_rdev, makedev(7, 0));

	RE(rump_sys_mknod("dir", S_IFDIR | 0755, 0), EPERM);
	RE(rump_sys_mknod("lnk", S_IFLNK | 0755, 0), EINVAL);
	RE(rump_sys_mknod("bad", 0170000 | 0755, 0), EINVAL);
	RE(rump_sys_mknod("reg", S_IFREG | 0644, 0), EEXIST);
	RE(rump_sys_mknod("new/", S_IFREG | 0644, 0), ENOENT);
	RE(rump_sys_mknod("no/x", S_IFREG | 0644, 0), ENOENT);

	become_user();
	RE(rump_sys_mknod("c", S_IFCHR | 0644, makedev(1, 3)), EPERM);
	RE(rump_sys_mknod("b", S_IFBLK | 0644, makedev(7, 0)), EPERM);
	RL(rump_sys_mknod("f", S_IFIFO | 0644, 0));
	RE(rump_sys_mknod("reg", S_IFCHR | 0644, makedev(1, 3)), EEXIST);
}

ATF_TC(readonly);
ATF_TC_HEAD(readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "EROFS from every call that changes "
	    "a read-only mount, and reads still working");
}
ATF_TC_BODY(readonly, tc)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	char buf[8];
	int fd;

	boot();
	mount_second(0);
	mkfile("mnt/f", 0666, "data");
	RL(rump_sys_mkdir("mnt/d", 0777));
	RL(rump_sys_mount("rumpfs", "/w/mnt", "rumpfs",
	    MS_REMOUNT | MS_RDONLY, NULL));

	RE(rump_sys_open("mnt/f", O_WRONLY), EROFS);
	RE(rump_sys_open("mnt/f", O_RDONLY | O_TRUNC), EROFS);
	RE(rump_sys_open("mnt/new", O_CREAT | O_WRONLY, 0644), EROFS);
	RL(fd = rump_sys_open("mnt/f", O_CREAT | O_RDONLY, 0644));
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 4);
	RL(rump_sys_close(fd));
	RE(rump_sys_mkdir("mnt/x", 0755), EROFS);
	RE(rump_sys_mkdir("mnt/d", 0755), EEXIST);
	RE(rump_sys_rmdir("mnt/d"), EROFS);
	RE(rump_sys_unlink("mnt/f"), EROFS);
	RE(rump_sys_unlink("mnt/missing"), EROFS);
	RE(rump_sys_rename("mnt/f", "mnt/g"), EROFS);
	RE(rump_sys_link("mnt/f", "mnt/g"), EROFS);
	RE(rump_sys_symlink("x", "mnt/g"), EROFS);
	RE(rump_sys_mknod("mnt/g", S_IFIFO | 0644, 0), EROFS);
	RE(rump_sys_chmod("mnt/f", 0600), EROFS);
	RE(rump_sys_chown("mnt/f", 1, 1), EROFS);
	RE(rump_sys_utimensat(AT_FDCWD, "mnt/f", ts, 0), EROFS);
	RE(rump_sys_truncate("mnt/f", 0), EROFS);
	RE(rump_sys_access("mnt/f", W_OK), EROFS);
	RL(rump_sys_access("mnt/f", R_OK));
	RL(rump_sys_umount("/w/mnt"));
}

ATF_TC(file_ops);
ATF_TC_HEAD(file_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "Vnode file operations: FIONREAD, "
	    "poll, O_APPEND, fstat blocks and FIFO opens");
}
ATF_TC_BODY(file_ops, tc)
{
	struct pollfd pfd;
	struct stat st;
	int fd, dfd, n;

	boot();
	mkfile("f", 0644, "0123456789");
	RL(fd = rump_sys_open("f", O_RDWR | O_APPEND));
	RL(rump_sys_lseek(fd, 3, SEEK_SET));
	RL(rump_sys_ioctl(fd, FIONREAD, &n));
	ATF_CHECK_EQ(n, 7);
	RE(rump_sys_ioctl(fd, TCGETS, &st), ENOTTY);

	/* O_APPEND writes at the end and leaves the offset there. */
	ATF_CHECK_EQ(rump_sys_write(fd, "ab", 2), 2);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 12);
	RL(rump_sys_fstat(fd, &st));
	ATF_CHECK_EQ(st.st_size, 12);
	ATF_CHECK(st.st_blocks > 0);

	pfd.fd = fd;
	pfd.events = POLLIN | POLLOUT | POLLPRI;
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd.revents, POLLIN | POLLOUT);
	RL(rump_sys_close(fd));

	RL(dfd = rump_sys_open(".", O_RDONLY));
	RE(rump_sys_ioctl(dfd, FIONREAD, &n), ENOTTY);
	RL(rump_sys_close(dfd));

	/* FIFOs: a non-blocking writer needs a reader. */
	mkfifo_r("fifo", 0644);
	RE(rump_sys_open("fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	RL(fd = rump_sys_open("fifo", O_RDONLY | O_NONBLOCK));
	RL(dfd = rump_sys_open("fifo", O_WRONLY | O_NONBLOCK));
	ATF_CHECK_EQ(rump_sys_write(dfd, "hi", 2), 2);
	ATF_CHECK_EQ(rump_sys_read(fd, &n, sizeof(n)), 2);
	RL(rump_sys_close(dfd));
	RL(rump_sys_close(fd));
}

/* A reader that opens a FIFO in its own thread. */
struct fifo_reader {
	atomic_bool	done;
	int		fd;
	int		error;
};

static void *
fifo_reader_main(void *arg)
{
	struct fifo_reader *r = arg;

	errno = 0;
	r->fd = rump_sys_open("/w/fifo", O_RDONLY);
	r->error = errno;
	atomic_store(&r->done, true);
	return NULL;
}

ATF_TC(fifo_open_waits);
ATF_TC_HEAD(fifo_open_waits, tc)
{
	atf_tc_set_md_var(tc, "descr", "A blocking FIFO open for reading "
	    "waits for a writer, which can open meanwhile");
}
ATF_TC_BODY(fifo_open_waits, tc)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	struct fifo_reader r;
	pthread_t thread;
	char buf[4];
	int fd, i;

	boot();
	mkfifo_r("fifo", 0666);
	atomic_store(&r.done, false);
	ATF_REQUIRE_EQ(pthread_create(&thread, NULL, fifo_reader_main, &r), 0);
	for (i = 0; i < 20; i++)
		nanosleep(&pause, NULL);
	ATF_REQUIRE_MSG(!atomic_load(&r.done), "open returned %d (%s) "
	    "without a writer", r.fd, strerror(r.error));

	RL(fd = rump_sys_open("fifo", O_WRONLY));
	for (i = 0; i < 1000 && !atomic_load(&r.done); i++)
		nanosleep(&pause, NULL);
	ATF_REQUIRE_MSG(atomic_load(&r.done),
	    "the reader's open did not return within 10 seconds");
	ATF_REQUIRE_EQ(pthread_join(thread, NULL), 0);
	ATF_REQUIRE_MSG(r.fd >= 0, "reader open: %s", strerror(r.error));
	ATF_CHECK_EQ(rump_sys_write(fd, "abc", 3), 3);
	ATF_CHECK_EQ(rump_sys_read(r.fd, buf, sizeof(buf)), 3);
	RL(rump_sys_close(fd));
	RL(rump_sys_close(r.fd));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, open_create);
	ATF_TP_ADD_TC(tp, ficlone);
	ATF_TP_ADD_TC(tp, open_flags);
	ATF_TP_ADD_TC(tp, open_perms);
	ATF_TP_ADD_TC(tp, lseek);
	ATF_TP_ADD_TC(tp, stat);
	ATF_TP_ADD_TC(tp, statx);
	ATF_TP_ADD_TC(tp, getdents64);
	ATF_TP_ADD_TC(tp, mkdir);
	ATF_TP_ADD_TC(tp, rmdir);
	ATF_TP_ADD_TC(tp, unlink);
	ATF_TP_ADD_TC(tp, sticky);
	ATF_TP_ADD_TC(tp, rename);
	ATF_TP_ADD_TC(tp, renameat2);
	ATF_TP_ADD_TC(tp, link);
	ATF_TP_ADD_TC(tp, symlink_readlink);
	ATF_TP_ADD_TC(tp, chmod);
	ATF_TP_ADD_TC(tp, chown);
	ATF_TP_ADD_TC(tp, utimensat);
	ATF_TP_ADD_TC(tp, truncate);
	ATF_TP_ADD_TC(tp, fallocate);
	ATF_TP_ADD_TC(tp, fsync);
	ATF_TP_ADD_TC(tp, access);
	ATF_TP_ADD_TC(tp, mknod);
	ATF_TP_ADD_TC(tp, readonly);
	ATF_TP_ADD_TC(tp, file_ops);
	ATF_TP_ADD_TC(tp, fifo_open_waits);
	return atf_no_error();
}
