/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path name lookup: the rules of path_resolution(7) as Linux applies
 * them, each errno the lookup can return, mount crossing in both
 * directions, chroot, and the working directory calls (chdir, fchdir,
 * getcwd).  The expected values were observed on Linux 6.x with tmpfs.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

#define UNPRIV_ID	1000

static void
boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

static void
mkdir_ok(const char *path, mode_t mode)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_mkdir(path, mode), 0, "mkdir %s: %s",
	    path, strerror(errno));
	/* mkdir applies the umask: set the mode exactly. */
	ATF_REQUIRE_EQ_MSG(rump_sys_chmod(path, mode), 0, "chmod %s: %s",
	    path, strerror(errno));
}

static void
mkfile_ok(const char *path)
{
	int fd;

	fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
}

static void
symlink_ok(const char *target, const char *path)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_symlink(target, path), 0,
	    "symlink %s -> %s: %s", path, target, strerror(errno));
}

static struct stat
stat_ok(const char *path)
{
	struct stat st;

	ATF_REQUIRE_EQ_MSG(rump_sys_stat(path, &st), 0, "stat %s: %s", path,
	    strerror(errno));
	return st;
}

/* Check that stat (or lstat) of path fails with the given errno. */
static void
check_stat_errno(const char *path, bool follow, int expected)
{
	struct stat st;
	int rv;

	errno = 0;
	rv = follow ? rump_sys_stat(path, &st) : rump_sys_lstat(path, &st);
	ATF_CHECK_MSG(rv == -1 && errno == expected,
	    "%s \"%.40s%s\": expected %s, got %d (%s)",
	    follow ? "stat" : "lstat", path, strlen(path) > 40 ? "..." : "",
	    strerror(expected), rv, rv == 0 ? "success" : strerror(errno));
}

static bool
same_file(const struct stat *a, const struct stat *b)
{

	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Switch this thread to a new process running as uid and gid 1000. */
static void
become_unprivileged(void)
{

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE_EQ_MSG(rump_sys_setgid(UNPRIV_ID), 0, "setgid: %s",
	    strerror(errno));
	ATF_REQUIRE_EQ_MSG(rump_sys_setuid(UNPRIV_ID), 0, "setuid: %s",
	    strerror(errno));
}

static void
getcwd_is(const char *expected)
{
	char buf[PATH_MAX];
	char *rv;

	memset(buf, 0x5a, sizeof(buf));
	rv = rump_sys_getcwd(buf, sizeof(buf));
	ATF_REQUIRE_MSG(rv == buf, "getcwd: %s", strerror(errno));
	ATF_CHECK_STREQ(buf, expected);
}

static void
mount_rumpfs_ok(const char *target)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_mount("rumpfs", target, "rumpfs", 0,
	    NULL), 0, "mount rumpfs on %s: %s", target, strerror(errno));
}

ATF_TC(namei_slashes_dots);
ATF_TC_HEAD(namei_slashes_dots, tc)
{
	atf_tc_set_md_var(tc, "descr", "Repeated slashes, \".\" and \"..\" "
	    "resolve as on Linux, \"..\" stopping at the root");
}
ATF_TC_BODY(namei_slashes_dots, tc)
{
	struct stat root, a, b, st;

	boot();
	mkdir_ok("/a", 0755);
	mkdir_ok("/a/b", 0755);
	root = stat_ok("/");
	a = stat_ok("/a");
	b = stat_ok("/a/b");

	st = stat_ok("//a///b");
	ATF_CHECK(same_file(&st, &b));
	st = stat_ok("/a/./b/");
	ATF_CHECK(same_file(&st, &b));
	st = stat_ok("/a/b/..");
	ATF_CHECK(same_file(&st, &a));
	st = stat_ok("/a/b/../../..");
	ATF_CHECK(same_file(&st, &root));
	st = stat_ok("/..");
	ATF_CHECK(same_file(&st, &root));
	st = stat_ok("///");
	ATF_CHECK(same_file(&st, &root));

	ATF_REQUIRE_EQ(rump_sys_chdir("/a"), 0);
	st = stat_ok("b");
	ATF_CHECK(same_file(&st, &b));
	st = stat_ok(".");
	ATF_CHECK(same_file(&st, &a));
	st = stat_ok("../a/./b/.");
	ATF_CHECK(same_file(&st, &b));
}

ATF_TC(namei_empty_path);
ATF_TC_HEAD(namei_empty_path, tc)
{
	atf_tc_set_md_var(tc, "descr", "An empty path is ENOENT unless "
	    "AT_EMPTY_PATH, which names the descriptor or the cwd");
}
ATF_TC_BODY(namei_empty_path, tc)
{
	struct stat st, f, cwd;
	int fd;

	boot();
	mkfile_ok("/f");
	f = stat_ok("/f");
	cwd = stat_ok(".");

	check_stat_errno("", true, ENOENT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_open("", O_RDONLY), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	/* The empty path is checked before the descriptor. */
	errno = 0;
	ATF_CHECK_EQ(rump_sys_openat(-5, "", O_RDONLY), -1);
	ATF_CHECK_EQ(errno, ENOENT);

	fd = rump_sys_open("/f", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_fstatat(fd, "", &st, AT_EMPTY_PATH), 0);
	ATF_CHECK(same_file(&st, &f));
	ATF_REQUIRE_EQ(rump_sys_fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH), 0);
	ATF_CHECK(same_file(&st, &cwd));
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fstatat(-5, "", &st, AT_EMPTY_PATH), -1);
	ATF_CHECK_EQ(errno, EBADF);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(namei_trailing_slash);
ATF_TC_HEAD(namei_trailing_slash, tc)
{
	atf_tc_set_md_var(tc, "descr", "A trailing slash requires a "
	    "directory and follows a final symbolic link");
}
ATF_TC_BODY(namei_trailing_slash, tc)
{
	struct stat st;

	boot();
	mkdir_ok("/d", 0755);
	mkfile_ok("/f");
	symlink_ok("d", "/ld");
	symlink_ok("f", "/lf");
	symlink_ok("nowhere", "/dangling");

	check_stat_errno("/f/", true, ENOTDIR);
	check_stat_errno("/f/.", true, ENOTDIR);
	check_stat_errno("/f/..", true, ENOTDIR);
	check_stat_errno("/f/x", true, ENOTDIR);
	check_stat_errno("/nonexistent/", true, ENOENT);
	check_stat_errno("/nonexistent/..", true, ENOENT);
	check_stat_errno("/lf/", false, ENOTDIR);
	check_stat_errno("/dangling/", false, ENOENT);

	/* lstat of "link/" is the directory the link names. */
	ATF_REQUIRE_EQ(rump_sys_lstat("/ld/", &st), 0);
	ATF_CHECK(S_ISDIR(st.st_mode));
	ATF_REQUIRE_EQ(rump_sys_lstat("/ld", &st), 0);
	ATF_CHECK(S_ISLNK(st.st_mode));
	ATF_REQUIRE_EQ(rump_sys_stat("/d/", &st), 0);
	ATF_CHECK(S_ISDIR(st.st_mode));
}

ATF_TC(namei_symlink_limit);
ATF_TC_HEAD(namei_symlink_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "Lookups follow 40 symbolic links "
	    "and fail with ELOOP at the 41st");
}
ATF_TC_BODY(namei_symlink_limit, tc)
{
	char name[32], target[32];
	struct stat st, f;
	int i;

	boot();
	mkfile_ok("/f");
	f = stat_ok("/f");
	for (i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "/c%d", i);
		if (i == 1)
			snprintf(target, sizeof(target), "f");
		else
			snprintf(target, sizeof(target), "c%d", i - 1);
		symlink_ok(target, name);
	}
	st = stat_ok("/c40");
	ATF_CHECK(same_file(&st, &f));
	check_stat_errno("/c41", true, ELOOP);
	ATF_CHECK_EQ(rump_sys_lstat("/c41", &st), 0);

	symlink_ok("self", "/self");
	check_stat_errno("/self", true, ELOOP);
	ATF_CHECK_EQ(rump_sys_lstat("/self", &st), 0);
	check_stat_errno("/self/", false, ELOOP);
	check_stat_errno("/self/x", false, ELOOP);
}

ATF_TC(namei_symlink_targets);
ATF_TC_HEAD(namei_symlink_targets, tc)
{
	atf_tc_set_md_var(tc, "descr", "Relative targets resolve from the "
	    "link's directory, absolute ones from the process root");
}
ATF_TC_BODY(namei_symlink_targets, tc)
{
	struct stat st, f, g;

	boot();
	mkdir_ok("/d", 0755);
	mkdir_ok("/d/e", 0755);
	mkfile_ok("/d/f");
	mkfile_ok("/d/e/g");
	f = stat_ok("/d/f");
	g = stat_ok("/d/e/g");

	symlink_ok("../f", "/d/e/up");
	symlink_ok("/d/e", "/abs");
	symlink_ok("e/g", "/d/rel");

	st = stat_ok("/d/e/up");
	ATF_CHECK(same_file(&st, &f));
	st = stat_ok("/abs/g");
	ATF_CHECK(same_file(&st, &g));
	st = stat_ok("/abs/../f");
	ATF_CHECK(same_file(&st, &f));
	st = stat_ok("/d/rel");
	ATF_CHECK(same_file(&st, &g));

	/* After chroot, an absolute target starts at the new root. */
	mkdir_ok("/d/e/d", 0755);
	mkdir_ok("/d/e/d/e", 0755);
	mkfile_ok("/d/e/d/e/g");
	g = stat_ok("/d/e/d/e/g");
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_chroot("/d/e"), 0);
	ATF_REQUIRE_EQ(rump_sys_chdir("/"), 0);
	symlink_ok("/d/e", "/abs2");
	st = stat_ok("/abs2/g");
	ATF_CHECK(same_file(&st, &g));
}

ATF_TC(namei_name_too_long);
ATF_TC_HEAD(namei_name_too_long, tc)
{
	atf_tc_set_md_var(tc, "descr", "A component over NAME_MAX and a "
	    "path of PATH_MAX bytes are ENAMETOOLONG");
}
ATF_TC_BODY(namei_name_too_long, tc)
{
	char name[NAME_MAX + 2], *path;
	struct stat st;

	boot();
	memset(name, 'a', NAME_MAX + 1);
	name[NAME_MAX + 1] = '\0';
	path = malloc(PATH_MAX + 16);
	ATF_REQUIRE(path != NULL);

	snprintf(path, PATH_MAX + 16, "/%s", name);
	check_stat_errno(path, true, ENAMETOOLONG);
	/* A missing directory before the long name is found first. */
	snprintf(path, PATH_MAX + 16, "/nonexistent/%s", name);
	check_stat_errno(path, true, ENOENT);
	name[NAME_MAX] = '\0';
	snprintf(path, PATH_MAX + 16, "/%s", name);
	check_stat_errno(path, true, ENOENT);

	/* PATH_MAX - 1 bytes and a NUL fit; one byte more does not. */
	memset(path, '/', PATH_MAX - 1);
	path[PATH_MAX - 1] = '\0';
	ATF_CHECK_EQ_MSG(rump_sys_stat(path, &st), 0, "stat of 4095 "
	    "slashes: %s", strerror(errno));
	memset(path, '/', PATH_MAX);
	path[PATH_MAX] = '\0';
	check_stat_errno(path, true, ENAMETOOLONG);
	free(path);
}

ATF_TC(namei_search_permission);
ATF_TC_HEAD(namei_search_permission, tc)
{
	atf_tc_set_md_var(tc, "descr", "Every directory searched needs "
	    "execute permission, except for uid 0");
}
ATF_TC_BODY(namei_search_permission, tc)
{
	struct stat st;

	boot();
	mkdir_ok("/nox", 0666);
	mkfile_ok("/nox/x");
	mkdir_ok("/ok", 0711);
	mkfile_ok("/ok/x");

	/* Root passes. */
	ATF_CHECK_EQ(rump_sys_stat("/nox/x", &st), 0);

	become_unprivileged();
	check_stat_errno("/nox/x", true, EACCES);
	check_stat_errno("/nox/.", true, EACCES);
	check_stat_errno("/nox/..", true, EACCES);
	check_stat_errno("/nox/nonexistent/", true, EACCES);
	/* No component is looked up inside nox. */
	ATF_CHECK_EQ(rump_sys_stat("/nox/", &st), 0);
	ATF_CHECK_EQ(rump_sys_stat("/ok/x", &st), 0);
	/* The parent of a new name must be searchable too. */
	errno = 0;
	ATF_CHECK_EQ(rump_sys_mkdir("/nox/y", 0755), -1);
	ATF_CHECK_EQ(errno, EACCES);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_chdir("/nox"), -1);
	ATF_CHECK_EQ(errno, EACCES);
}

ATF_TC(namei_dirfd);
ATF_TC_HEAD(namei_dirfd, tc)
{
	atf_tc_set_md_var(tc, "descr", "Relative paths start at dirfd, "
	    "which must be an open directory; absolute ones ignore it");
}
ATF_TC_BODY(namei_dirfd, tc)
{
	struct stat st, x;
	int dfd, ffd, fd;

	boot();
	mkdir_ok("/d", 0755);
	mkfile_ok("/d/x");
	mkfile_ok("/f");
	x = stat_ok("/d/x");

	dfd = rump_sys_open("/d", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(dfd >= 0);
	ffd = rump_sys_open("/f", O_RDONLY);
	ATF_REQUIRE(ffd >= 0);

	ATF_REQUIRE_EQ(rump_sys_fstatat(dfd, "x", &st, 0), 0);
	ATF_CHECK(same_file(&st, &x));
	ATF_REQUIRE_EQ(rump_sys_fstatat(-5, "/d/x", &st, 0), 0);
	ATF_CHECK(same_file(&st, &x));

	errno = 0;
	ATF_CHECK_EQ(rump_sys_fstatat(ffd, "x", &st, 0), -1);
	ATF_CHECK_EQ(errno, ENOTDIR);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_openat(ffd, ".", O_RDONLY), -1);
	ATF_CHECK_EQ(errno, ENOTDIR);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fstatat(-5, "x", &st, 0), -1);
	ATF_CHECK_EQ(errno, EBADF);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fstatat(1000, "x", &st, 0), -1);
	ATF_CHECK_EQ(errno, EBADF);

	fd = rump_sys_openat(dfd, "x", O_RDONLY);
	ATF_CHECK(fd >= 0);
	if (fd >= 0)
		ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_sys_close(ffd), 0);
	ATF_CHECK_EQ(rump_sys_close(dfd), 0);
}

ATF_TC(namei_negative_cache);
ATF_TC_HEAD(namei_negative_cache, tc)
{
	atf_tc_set_md_var(tc, "descr", "A remembered miss does not hide a "
	    "name created later, nor a hit a removed one");
}
ATF_TC_BODY(namei_negative_cache, tc)
{
	struct stat st;
	int i;

	boot();
	mkdir_ok("/d", 0755);
	for (i = 0; i < 3; i++) {
		check_stat_errno("/d/n", true, ENOENT);
		check_stat_errno("/d/n", true, ENOENT);
		mkfile_ok("/d/n");
		ATF_CHECK_EQ(rump_sys_stat("/d/n", &st), 0);
		ATF_CHECK(S_ISREG(st.st_mode));
		ATF_REQUIRE_EQ(rump_sys_rename("/d/n", "/d/m"), 0);
		check_stat_errno("/d/n", true, ENOENT);
		ATF_CHECK_EQ(rump_sys_stat("/d/m", &st), 0);
		ATF_REQUIRE_EQ(rump_sys_unlink("/d/m"), 0);
		check_stat_errno("/d/m", true, ENOENT);
		ATF_REQUIRE_EQ(rump_sys_mkdir("/d/n", 0755), 0);
		ATF_CHECK_EQ(rump_sys_stat("/d/n", &st), 0);
		ATF_CHECK(S_ISDIR(st.st_mode));
		ATF_REQUIRE_EQ(rump_sys_rmdir("/d/n"), 0);
	}
}

ATF_TC(namei_mount_crossing);
ATF_TC_HEAD(namei_mount_crossing, tc)
{
	atf_tc_set_md_var(tc, "descr", "Lookups enter a mount at its "
	    "mount point and \"..\" at its root leaves it");
}
ATF_TC_BODY(namei_mount_crossing, tc)
{
	struct stat root, mnt, under, st;

	boot();
	mkdir_ok("/mnt", 0755);
	mkfile_ok("/mnt/under");
	under = stat_ok("/mnt/under");
	root = stat_ok("/");
	mount_rumpfs_ok("/mnt");

	mnt = stat_ok("/mnt");
	ATF_CHECK(mnt.st_dev != root.st_dev);
	check_stat_errno("/mnt/under", true, ENOENT);
	mkdir_ok("/mnt/sub", 0755);
	st = stat_ok("/mnt/sub");
	ATF_CHECK_EQ(st.st_dev, mnt.st_dev);
	st = stat_ok("/mnt/..");
	ATF_CHECK(same_file(&st, &root));
	st = stat_ok("/mnt/sub/../..");
	ATF_CHECK(same_file(&st, &root));
	st = stat_ok("/mnt/sub/../../mnt");
	ATF_CHECK(same_file(&st, &mnt));

	ATF_REQUIRE_EQ(rump_sys_chdir("/mnt/sub"), 0);
	getcwd_is("/mnt/sub");
	st = stat_ok("../..");
	ATF_CHECK(same_file(&st, &root));
	ATF_REQUIRE_EQ(rump_sys_chdir("/"), 0);

	ATF_REQUIRE_EQ_MSG(rump_sys_umount2("/mnt", 0), 0, "umount: %s",
	    strerror(errno));
	st = stat_ok("/mnt/under");
	ATF_CHECK(same_file(&st, &under));
}

ATF_TC(namei_chroot);
ATF_TC_HEAD(namei_chroot, tc)
{
	atf_tc_set_md_var(tc, "descr", "chroot confines absolute paths and "
	    "\"..\", needs privilege and a searchable directory");
}
ATF_TC_BODY(namei_chroot, tc)
{
	struct stat jail, st, f;
	char buf[64];

	boot();
	mkdir_ok("/jail", 0755);
	mkdir_ok("/jail/sub", 0755);
	mkfile_ok("/jail/f");
	mkfile_ok("/outside");
	jail = stat_ok("/jail");
	f = stat_ok("/jail/f");

	errno = 0;
	ATF_CHECK_EQ(rump_sys_chroot("/outside"), -1);
	ATF_CHECK_EQ(errno, ENOTDIR);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_chroot("/nonexistent"), -1);
	ATF_CHECK_EQ(errno, ENOENT);

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_chroot("/jail"), 0);
	/*
	 * The working directory stays outside until chdir.  Linux returns
	 * "(unreachable)/" for it, which glibc turns into ENOENT.
	 */
	errno = 0;
	ATF_CHECK(rump_sys_getcwd(buf, sizeof(buf)) == NULL);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_REQUIRE_EQ(rump_sys_chdir("/"), 0);
	getcwd_is("/");
	st = stat_ok("/f");
	ATF_CHECK(same_file(&st, &f));
	st = stat_ok("/..");
	ATF_CHECK(same_file(&st, &jail));
	st = stat_ok("/sub/../..");
	ATF_CHECK(same_file(&st, &jail));
	check_stat_errno("/outside", true, ENOENT);
	ATF_REQUIRE_EQ(rump_sys_chdir("/sub"), 0);
	getcwd_is("/sub");

	/* A chrooted process's children inherit the root. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	getcwd_is("/sub");
	st = stat_ok("/..");
	ATF_CHECK(same_file(&st, &jail));

	/* Unprivileged: lookup errors first, then EPERM. */
	ATF_REQUIRE_EQ(rump_sys_setuid(UNPRIV_ID), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_chroot("/nonexistent"), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_chroot("/sub"), -1);
	ATF_CHECK_EQ(errno, EPERM);
}

ATF_TC(chdir_fchdir);
ATF_TC_HEAD(chdir_fchdir, tc)
{
	atf_tc_set_md_var(tc, "descr", "chdir and fchdir need a directory "
	    "and an open descriptor; children inherit the cwd");
}
ATF_TC_BODY(chdir_fchdir, tc)
{
	int dfd, ffd;

	boot();
	mkdir_ok("/d", 0755);
	mkdir_ok("/d/e", 0755);
	mkfile_ok("/f");

	errno = 0;
	ATF_CHECK_EQ(rump_sys_chdir("/f"), -1);
	ATF_CHECK_EQ(errno, ENOTDIR);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_chdir("/nonexistent"), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_chdir(""), -1);
	ATF_CHECK_EQ(errno, ENOENT);

	dfd = rump_sys_open("/d/e", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(dfd >= 0);
	ffd = rump_sys_open("/f", O_RDONLY);
	ATF_REQUIRE(ffd >= 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fchdir(ffd), -1);
	ATF_CHECK_EQ(errno, ENOTDIR);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fchdir(-1), -1);
	ATF_CHECK_EQ(errno, EBADF);
	ATF_REQUIRE_EQ(rump_sys_fchdir(dfd), 0);
	getcwd_is("/d/e");

	ATF_REQUIRE_EQ(rump_sys_chdir(".."), 0);
	getcwd_is("/d");
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	getcwd_is("/d");
	ATF_REQUIRE_EQ(rump_sys_chdir("e"), 0);
	getcwd_is("/d/e");
}

ATF_TC(getcwd_errors);
ATF_TC_HEAD(getcwd_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "getcwd fails with EINVAL, ERANGE, "
	    "EFAULT and ENOENT as glibc over Linux does");
}
ATF_TC_BODY(getcwd_errors, tc)
{
	char buf[64];

	boot();
	mkdir_ok("/abcdef", 0755);
	mkdir_ok("/abcdef/gone", 0755);
	ATF_REQUIRE_EQ(rump_sys_chdir("/abcdef"), 0);

	errno = 0;
	ATF_CHECK(rump_sys_getcwd(buf, 0) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	/* "/abcdef" and its NUL are 8 bytes. */
	errno = 0;
	ATF_CHECK(rump_sys_getcwd(buf, 7) == NULL);
	ATF_CHECK_EQ(errno, ERANGE);
	ATF_CHECK(rump_sys_getcwd(buf, 8) == buf);
	ATF_CHECK_STREQ(buf, "/abcdef");
	errno = 0;
	ATF_CHECK(rump_sys_getcwd(NULL, 64) == NULL);
	ATF_CHECK_EQ(errno, EFAULT);

	ATF_REQUIRE_EQ(rump_sys_chdir("gone"), 0);
	ATF_REQUIRE_EQ(rump_sys_rmdir("/abcdef/gone"), 0);
	errno = 0;
	ATF_CHECK(rump_sys_getcwd(buf, sizeof(buf)) == NULL);
	ATF_CHECK_EQ(errno, ENOENT);
}

ATF_TC(getcwd_long_path);
ATF_TC_HEAD(getcwd_long_path, tc)
{
	atf_tc_set_md_var(tc, "descr", "getcwd builds a path of many long "
	    "components");
}
ATF_TC_BODY(getcwd_long_path, tc)
{
	char name[NAME_MAX + 1], expected[PATH_MAX];
	size_t len = 0;
	int i;

	boot();
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	ATF_REQUIRE_EQ(rump_sys_chdir("/"), 0);
	for (i = 0; i < 10; i++) {
		name[0] = 'a' + i;
		ATF_REQUIRE_EQ(rump_sys_mkdir(name, 0755), 0);
		ATF_REQUIRE_EQ(rump_sys_chdir(name), 0);
		expected[len++] = '/';
		memcpy(expected + len, name, NAME_MAX);
		len += NAME_MAX;
	}
	expected[len] = '\0';
	getcwd_is(expected);
}

/* One worker of namei_concurrent_recycle: its own names in /d. */
#define RECYCLE_THREADS		4
#define RECYCLE_ROUNDS		1500

static void *
recycle_worker(void *arg)
{
	int id = (int)(intptr_t)arg, i, fd;
	char a[64], b[64], shared[64];
	struct stat st;

	for (i = 0; i < RECYCLE_ROUNDS; i++) {
		snprintf(a, sizeof(a), "/d/t%d_%d", id, i);
		snprintf(b, sizeof(b), "/d/t%d_%d.renamed", id, i);
		snprintf(shared, sizeof(shared), "/d/shared%d", i % 16);
		fd = rump_sys_open(a, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return (void *)"create failed";
		if (rump_sys_close(fd) != 0)
			return (void *)"close failed";
		if (rump_sys_stat(a, &st) != 0 || !S_ISREG(st.st_mode))
			return (void *)"stat of a new file failed";
		if (rump_sys_stat(b, &st) != -1 || errno != ENOENT)
			return (void *)"stat of a missing name did not fail";
		if (rump_sys_rename(a, b) != 0)
			return (void *)"rename failed";
		if (rump_sys_stat(a, &st) != -1 || errno != ENOENT)
			return (void *)"old name still found after rename";
		if (rump_sys_stat(b, &st) != 0)
			return (void *)"new name not found after rename";
		if (i % 3 != 0 && rump_sys_unlink(b) != 0)
			return (void *)"unlink failed";
		/* Names that all threads look up; some exist, some not. */
		if (rump_sys_stat(shared, &st) != 0 &&
		    errno != ENOENT)
			return (void *)"stat of a shared name failed";
		if (rump_sys_stat("/d/../d/./", &st) != 0)
			return (void *)"stat of the directory failed";
	}
	return NULL;
}

ATF_TC(namei_concurrent_recycle);
ATF_TC_HEAD(namei_concurrent_recycle, tc)
{
	atf_tc_set_md_var(tc, "descr", "Threads create, rename and look up "
	    "names while a tiny kern.maxvnodes recycles vnodes");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(namei_concurrent_recycle, tc)
{
	pthread_t threads[RECYCLE_THREADS];
	char path[64];
	void *result;
	int value = 8, numvnodes = -1, i, fd;
	size_t len;

	boot();
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.maxvnodes", NULL, NULL, &value,
	    sizeof(value)), 0);
	mkdir_ok("/d", 0755);
	for (i = 0; i < 16; i += 2) {
		snprintf(path, sizeof(path), "/d/shared%d", i);
		fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644);
		ATF_REQUIRE(fd >= 0);
		ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	}

	for (i = 0; i < RECYCLE_THREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&threads[i], NULL,
		    recycle_worker, (void *)(intptr_t)i), 0);
	for (i = 0; i < RECYCLE_THREADS; i++) {
		ATF_REQUIRE_EQ(pthread_join(threads[i], &result), 0);
		ATF_CHECK_MSG(result == NULL, "thread %d: %s", i,
		    (const char *)result);
	}
	/* Every third file of each thread was kept. */
	for (i = 0; i < RECYCLE_ROUNDS; i += 3) {
		snprintf(path, sizeof(path), "/d/t%d_%d.renamed",
		    RECYCLE_THREADS - 1, i);
		(void)stat_ok(path);
	}

	/*
	 * The vdrain thread trims the cache to the limit (plus the vnodes
	 * in use: the cwd and /d of each process) within a few seconds.
	 */
	for (i = 0; i < 500; i++) {
		len = sizeof(numvnodes);
		ATF_REQUIRE_EQ(rump_sysctlbyname("vfs.numvnodes", &numvnodes,
		    &len, NULL, 0), 0);
		if (numvnodes <= 16)
			break;
		usleep(10000);
	}
	ATF_CHECK_MSG(numvnodes <= 16, "vfs.numvnodes is %d with "
	    "kern.maxvnodes 8", numvnodes);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, namei_slashes_dots);
	ATF_TP_ADD_TC(tp, namei_empty_path);
	ATF_TP_ADD_TC(tp, namei_trailing_slash);
	ATF_TP_ADD_TC(tp, namei_symlink_limit);
	ATF_TP_ADD_TC(tp, namei_symlink_targets);
	ATF_TP_ADD_TC(tp, namei_name_too_long);
	ATF_TP_ADD_TC(tp, namei_search_permission);
	ATF_TP_ADD_TC(tp, namei_dirfd);
	ATF_TP_ADD_TC(tp, namei_negative_cache);
	ATF_TP_ADD_TC(tp, namei_mount_crossing);
	ATF_TP_ADD_TC(tp, namei_chroot);
	ATF_TP_ADD_TC(tp, chdir_fchdir);
	ATF_TP_ADD_TC(tp, getcwd_errors);
	ATF_TP_ADD_TC(tp, getcwd_long_path);
	ATF_TP_ADD_TC(tp, namei_concurrent_recycle);
	return atf_no_error();
}
