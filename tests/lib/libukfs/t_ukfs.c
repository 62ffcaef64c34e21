/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libukfs: booting and its version check, component loading, mounting
 * and releasing handles with each flag, every file operation, per-handle
 * working directories, concurrent calls, partition suffixes and their
 * errors.
 *
 * Most cases mount rumpfs, which needs no image.  The ext2 cases load
 * librumpfs_ext2fs.so with ukfs_modload (this program does not link it),
 * mount images that mke2fs made in the work directory, and check the
 * result with e2fsck -fn and debugfs.  They are skipped when the
 * component is not built.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#define EXT2_LIB	"librumpfs_ext2fs.so"
#define IMG		"img"

/* Records of getdents64, as ukfs_getdents returns them. */
struct dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static void
init_ok(void)
{

	ATF_REQUIRE_EQ_MSG(ukfs_init(), 0, "ukfs_init: %s", strerror(errno));
}

static struct ukfs *
mount_rumpfs(const char *mountpath)
{
	struct ukfs *fs;

	fs = ukfs_mount("rumpfs", "rumpfs", mountpath, 0, NULL, 0);
	ATF_REQUIRE_MSG(fs != NULL, "ukfs_mount rumpfs at %s: %s", mountpath,
	    strerror(errno));
	return fs;
}

static void
release_ok(struct ukfs *fs, int flags)
{

	ATF_REQUIRE_EQ_MSG(ukfs_release(fs, flags), 0,
	    "ukfs_release 0x%x: %s", flags, strerror(errno));
}

/* Require call to have failed with -1 and errno expected. */
#define CHECK_ERRNO(call, expected)					\
do {									\
	long rv_;							\
									\
	errno = 0;							\
	rv_ = (long)(call);						\
	ATF_CHECK_MSG(rv_ == -1 && errno == (expected),			\
	    "%s: expected %s, got %ld (%s)", #call,			\
	    strerror(expected), rv_, strerror(errno));			\
} while (0)

#define CHECK_OK(call)							\
	ATF_CHECK_MSG((long)(call) != -1, "%s: %s", #call, strerror(errno))

#define REQUIRE_OK(call)						\
	ATF_REQUIRE_MSG((long)(call) != -1, "%s: %s", #call, strerror(errno))

/* Run a shell command; its exit status. */
static int
run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	ATF_REQUIRE_MSG(status != -1, "system(%s): %s", cmd, strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Append s to the string out of outlen bytes, cutting it to fit. */
static void
append(char *out, size_t outlen, const char *s)
{
	size_t len = strlen(out);

	snprintf(out + len, outlen - len, "%s", s);
}

/* The names that ukfs_getdents lists in dir, joined with spaces. */
static void
list_dir(struct ukfs *fs, const char *dir, char *out, size_t outlen)
{
	uint8_t buf[512];	/* small: several calls for big directories */
	struct dirent64 *de;
	off_t off = 0;
	int n, i;

	out[0] = '\0';
	for (;;) {
		n = ukfs_getdents(fs, dir, &off, buf, sizeof(buf));
		ATF_REQUIRE_MSG(n >= 0, "ukfs_getdents %s: %s", dir,
		    strerror(errno));
		if (n == 0)
			break;
		for (i = 0; i < n; i += de->d_reclen) {
			de = (struct dirent64 *)(buf + i);
			ATF_REQUIRE(de->d_reclen > 0);
			if (out[0] != '\0')
				append(out, outlen, " ");
			append(out, outlen, de->d_name);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Booting and components. */

ATF_TC(init_version);
ATF_TC_HEAD(init_version, tc)
{
	atf_tc_set_md_var(tc, "descr", "a wrong interface version fails with "
	    "EPROGMISMATCH; the right one boots, also twice");
}
ATF_TC_BODY(init_version, tc)
{

	CHECK_ERRNO(_ukfs_init(UKFS_VERSION + 1), EPROGMISMATCH);
	CHECK_ERRNO(_ukfs_init(1), EPROGMISMATCH);
	ATF_CHECK_EQ(EPROGMISMATCH, EPROTONOSUPPORT);
	init_ok();
	init_ok();
	ATF_CHECK(rump_sys_getpid() > 0);
}

ATF_TC(mount_before_init);
ATF_TC_HEAD(mount_before_init, tc)
{
	atf_tc_set_md_var(tc, "descr", "mounting before ukfs_init fails with "
	    "ENXIO");
}
ATF_TC_BODY(mount_before_init, tc)
{
	char buf[64];

	errno = 0;
	ATF_CHECK(ukfs_mount("rumpfs", "rumpfs", UKFS_DEFAULTMP, 0, NULL, 0)
	    == NULL);
	ATF_CHECK_EQ(errno, ENXIO);
	CHECK_ERRNO(ukfs_vfstypes(buf, sizeof(buf)), ENXIO);
}

ATF_TC(vfstypes);
ATF_TC_HEAD(vfstypes, tc)
{
	atf_tc_set_md_var(tc, "descr", "ukfs_vfstypes lists rumpfs and cuts "
	    "the list at whole names");
}
ATF_TC_BODY(vfstypes, tc)
{
	char buf[256], small[4];
	ssize_t n;

	init_ok();
	n = ukfs_vfstypes(buf, sizeof(buf));
	ATF_REQUIRE_MSG(n > 0, "ukfs_vfstypes: %s", strerror(errno));
	ATF_CHECK_EQ((size_t)n, strlen(buf));
	ATF_CHECK_MSG(strstr(buf, "rumpfs") != NULL, "list: '%s'", buf);

	/* "rumpfs" does not fit in 3 bytes: nothing is returned. */
	memset(small, 'x', sizeof(small));
	n = ukfs_vfstypes(small, sizeof(small));
	ATF_CHECK_EQ(n, (ssize_t)strlen(small));
	ATF_CHECK_MSG(n == 0 || small[n - 1] != ' ', "cut name: '%s'", small);
	ATF_CHECK_MSG(n == 0 || strstr(buf, small) == buf, "'%s'", small);
	CHECK_ERRNO(ukfs_vfstypes(buf, 0), EINVAL);
}

/* The directory of the kernel libraries, seen from this test. */
static void
libdir(const atf_tc_t *tc, char *buf, size_t len)
{

	snprintf(buf, len, "%s/../../../lib",
	    atf_tc_get_config_var(tc, "srcdir"));
}

/* Load the ext2 component before ukfs_init, or skip the case. */
static void
load_ext2(const atf_tc_t *tc)
{
	char path[PATH_MAX + 64], dir[PATH_MAX];
	int rv;

	libdir(tc, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, EXT2_LIB);
	if (access(path, R_OK) == -1)
		atf_tc_skip("%s is not built", EXT2_LIB);
	rv = ukfs_modload(path);
	ATF_REQUIRE_EQ_MSG(rv, 1, "ukfs_modload %s: %d (%s)", path, rv,
	    strerror(errno));
}

ATF_TC(modload_errors);
ATF_TC_HEAD(modload_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "ukfs_modload and ukfs_modload_dir "
	    "fail for missing and broken files, and after ukfs_init");
}
ATF_TC_BODY(modload_errors, tc)
{
	int fd;

	CHECK_ERRNO(ukfs_modload("./librumpfs_missing.so"), ENOENT);
	fd = open("librumpfs_junk.so", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(write(fd, "not an ELF object", 17), 17);
	close(fd);
	CHECK_ERRNO(ukfs_modload("./librumpfs_junk.so"), ENOEXEC);
	CHECK_ERRNO(ukfs_modload(NULL), EINVAL);
	CHECK_ERRNO(ukfs_modload_dir("no-such-dir"), ENOENT);

	/* A directory of broken and unrelated files loads none of them. */
	ATF_REQUIRE_EQ(mkdir("mods", 0755), 0);
	ATF_REQUIRE_EQ(rename("librumpfs_junk.so", "mods/librumpfs_junk.so"),
	    0);
	fd = open("mods/libother.so", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd != -1);
	close(fd);
	ATF_CHECK_EQ(ukfs_modload_dir("mods"), 0);

	init_ok();
	CHECK_ERRNO(ukfs_modload("./mods/librumpfs_junk.so"), EBUSY);
	CHECK_ERRNO(ukfs_modload_dir("mods"), EBUSY);
}

ATF_TC(modload_ext2);
ATF_TC_HEAD(modload_ext2, tc)
{
	atf_tc_set_md_var(tc, "descr", "a component loaded before ukfs_init "
	    "registers its file system type");
}
ATF_TC_BODY(modload_ext2, tc)
{
	char path[PATH_MAX + 64], dir[PATH_MAX], types[256];

	load_ext2(tc);
	init_ok();
	ATF_REQUIRE(ukfs_vfstypes(types, sizeof(types)) > 0);
	ATF_CHECK_MSG(strstr(types, "ext2") != NULL, "types: '%s'", types);

	/* Loaded already: success, also after the boot. */
	libdir(tc, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, EXT2_LIB);
	ATF_CHECK_EQ(ukfs_modload(path), 1);
}

ATF_TC(modload_dir);
ATF_TC_HEAD(modload_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "ukfs_modload_dir loads the "
	    "librumpfs_*.so of the library directory");
}
ATF_TC_BODY(modload_dir, tc)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], types[256];
	int n;

	libdir(tc, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, EXT2_LIB);
	if (access(path, R_OK) == -1)
		atf_tc_skip("%s is not built", EXT2_LIB);
	n = ukfs_modload_dir(dir);
	ATF_REQUIRE_MSG(n >= 1, "ukfs_modload_dir %s: %d (%s)", dir, n,
	    strerror(errno));
	init_ok();
	ATF_REQUIRE(ukfs_vfstypes(types, sizeof(types)) > 0);
	ATF_CHECK_MSG(strstr(types, "ext2") != NULL, "types: '%s'", types);
}

/* ------------------------------------------------------------------ */
/* File operations on rumpfs. */

ATF_TC(file_ops);
ATF_TC_HEAD(file_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "create, read, write, open, links, "
	    "rename, remove and special files through a handle");
}
ATF_TC_BODY(file_ops, tc)
{
	uint8_t buf[64];
	struct stat st;
	struct ukfs *fs;
	int fd;

	init_ok();
	fs = mount_rumpfs(UKFS_DEFAULTMP);

	/* create truncates like creat(2); modes are used as given. */
	REQUIRE_OK(ukfs_create(fs, "/f", 0640));
	ATF_CHECK_EQ(ukfs_write(fs, "/f", 0, (uint8_t *)"hello world", 11),
	    11);
	ATF_CHECK_EQ(ukfs_write(fs, "f", 6, (uint8_t *)"WORLD", 5), 5);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(ukfs_read(fs, "/f", 0, buf, sizeof(buf)), 11);
	ATF_CHECK_STREQ((char *)buf, "hello WORLD");
	ATF_CHECK_EQ(ukfs_read(fs, "/f", 6, buf, 3), 3);
	ATF_CHECK_EQ(memcmp(buf, "WOR", 3), 0);
	ATF_CHECK_EQ(ukfs_read(fs, "/f", 100, buf, 3), 0);
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFREG | 0640);
	ATF_CHECK_EQ(st.st_size, 11);
	REQUIRE_OK(ukfs_create(fs, "/f", 0600));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_size, 0);

	/* Descriptors of the handle. */
	fd = ukfs_open(fs, "/f", O_RDWR);
	ATF_REQUIRE_MSG(fd >= 0, "ukfs_open: %s", strerror(errno));
	ATF_CHECK_EQ(ukfs_write_fd(fs, fd, 0, (uint8_t *)"abcdef", 6, 0), 6);
	ATF_CHECK_EQ(ukfs_write_fd(fs, fd, 6, (uint8_t *)"gh", 2, 1), 2);
	ATF_CHECK_EQ(ukfs_read_fd(fs, fd, 2, buf, 4), 4);
	ATF_CHECK_EQ(memcmp(buf, "cdef", 4), 0);
	CHECK_OK(ukfs_close(fs, fd));
	CHECK_ERRNO(ukfs_close(fs, fd), EBADF);
	CHECK_ERRNO(ukfs_read_fd(fs, fd, 0, buf, 1), EBADF);
	CHECK_ERRNO(ukfs_open(fs, "/missing", O_RDONLY), ENOENT);
	CHECK_ERRNO(ukfs_write(fs, "/missing", 0, buf, 1), ENOENT);
	CHECK_ERRNO(ukfs_read(fs, "/missing", 0, buf, 1), ENOENT);

	/* Links and names. */
	REQUIRE_OK(ukfs_link(fs, "/f", "/hard"));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_nlink, 2);
	REQUIRE_OK(ukfs_symlink(fs, "/f", "/sym"));
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(ukfs_readlink(fs, "/sym", (char *)buf, sizeof(buf)), 2);
	ATF_CHECK_STREQ((char *)buf, "/f");
	REQUIRE_OK(ukfs_lstat(fs, "/sym", &st));
	ATF_CHECK(S_ISLNK(st.st_mode));
	REQUIRE_OK(ukfs_stat(fs, "/sym", &st));
	ATF_CHECK(S_ISREG(st.st_mode));
	CHECK_ERRNO(ukfs_symlink(fs, "/x", "/f"), EEXIST);
	REQUIRE_OK(ukfs_rename(fs, "/hard", "/renamed"));
	CHECK_ERRNO(ukfs_stat(fs, "/hard", &st), ENOENT);
	REQUIRE_OK(ukfs_remove(fs, "/renamed"));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_nlink, 1);
	CHECK_ERRNO(ukfs_remove(fs, "/renamed"), ENOENT);

	/* Special files. */
	REQUIRE_OK(ukfs_mkfifo(fs, "/fifo", 0620));
	REQUIRE_OK(ukfs_lstat(fs, "/fifo", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFIFO | 0620);
	REQUIRE_OK(ukfs_mknod(fs, "/null", S_IFCHR | 0666, makedev(1, 3)));
	REQUIRE_OK(ukfs_lstat(fs, "/null", &st));
	ATF_CHECK(S_ISCHR(st.st_mode));
	ATF_CHECK_EQ(st.st_rdev, makedev(1, 3));
	ATF_CHECK_EQ(ukfs_write(fs, "/null", 0, (uint8_t *)"x", 1), 1);

	release_ok(fs, 0);
}

ATF_TC(dir_ops);
ATF_TC_HEAD(dir_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "mkdir, rmdir, getdents in pieces, "
	    "directory cookies and ukfs_chdir");
}
ATF_TC_BODY(dir_ops, tc)
{
	struct ukfs_dircookie *dc;
	struct dirent64 *de;
	char names[4096], path[64];
	uint8_t buf[256];
	struct stat st;
	struct ukfs *fs;
	off_t off;
	int i, n, total;

	init_ok();
	fs = mount_rumpfs(UKFS_DEFAULTMP);
	REQUIRE_OK(ukfs_mkdir(fs, "/d", 0750));
	REQUIRE_OK(ukfs_stat(fs, "/d", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFDIR | 0750);
	CHECK_ERRNO(ukfs_mkdir(fs, "/d", 0750), EEXIST);
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/d/file%02d", i);
		REQUIRE_OK(ukfs_create(fs, path, 0644));
	}

	/* 256-byte buffers: the listing takes several calls. */
	list_dir(fs, "/d", names, sizeof(names));
	ATF_CHECK_MSG(strncmp(names, ". .. file00 file01", 18) == 0, "%s",
	    names);
	ATF_CHECK_MSG(strstr(names, "file39") != NULL, "%s", names);

	REQUIRE_OK(ukfs_opendir(fs, "/d", &dc));
	off = 0;
	total = 0;
	while ((n = ukfs_getdents_cookie(fs, dc, &off, buf, sizeof(buf))) >
	    0) {
		for (i = 0; i < n; i += de->d_reclen) {
			de = (struct dirent64 *)(buf + i);
			total++;
		}
	}
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_EQ(total, 42);
	CHECK_OK(ukfs_closedir(fs, dc));
	CHECK_ERRNO(ukfs_opendir(fs, "/d/file00", &dc), ENOTDIR);
	off = 0;
	CHECK_ERRNO(ukfs_getdents(fs, "/missing", &off, buf, sizeof(buf)),
	    ENOENT);

	/* ukfs_chdir: relative paths follow it, absolute ones do not. */
	REQUIRE_OK(ukfs_chdir(fs, "/d"));
	REQUIRE_OK(ukfs_stat(fs, "file07", &st));
	REQUIRE_OK(ukfs_mkdir(fs, "sub", 0755));
	REQUIRE_OK(ukfs_stat(fs, "/d/sub", &st));
	REQUIRE_OK(ukfs_chdir(fs, "sub"));
	REQUIRE_OK(ukfs_create(fs, "../made-from-sub", 0644));
	REQUIRE_OK(ukfs_stat(fs, "/d/made-from-sub", &st));
	/* ".." of the root stays in the image. */
	REQUIRE_OK(ukfs_chdir(fs, "../../../.."));
	REQUIRE_OK(ukfs_stat(fs, "d/file00", &st));
	CHECK_ERRNO(ukfs_chdir(fs, "/d/file00"), ENOTDIR);
	CHECK_ERRNO(ukfs_chdir(fs, "/nope"), ENOENT);

	CHECK_ERRNO(ukfs_rmdir(fs, "/d"), ENOTEMPTY);
	REQUIRE_OK(ukfs_rmdir(fs, "/d/sub"));
	CHECK_ERRNO(ukfs_rmdir(fs, "/d/sub"), ENOENT);
	release_ok(fs, 0);
}

ATF_TC(attr_ops);
ATF_TC_HEAD(attr_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "stat, chmod, chown, utimes and their "
	    "l variants; chflags is not supported");
}
ATF_TC_BODY(attr_ops, tc)
{
	struct timeval tv[2];
	struct stat st, lst;
	struct ukfs *fs;

	init_ok();
	fs = mount_rumpfs(UKFS_DEFAULTMP);
	REQUIRE_OK(ukfs_create(fs, "/f", 0644));
	REQUIRE_OK(ukfs_symlink(fs, "f", "/l"));

	REQUIRE_OK(ukfs_chmod(fs, "/l", 04711));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_mode & 07777, 04711);
	CHECK_ERRNO(ukfs_lchmod(fs, "/l", 0600), EOPNOTSUPP);
	REQUIRE_OK(ukfs_lchmod(fs, "/f", 0600));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_mode & 07777, 0600);

	REQUIRE_OK(ukfs_chown(fs, "/l", 1234, 5678));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_uid, 1234);
	ATF_CHECK_EQ(st.st_gid, 5678);
	REQUIRE_OK(ukfs_lchown(fs, "/l", 42, 43));
	REQUIRE_OK(ukfs_lstat(fs, "/l", &lst));
	ATF_CHECK_EQ(lst.st_uid, 42);
	ATF_CHECK_EQ(lst.st_gid, 43);
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_uid, 1234);

	tv[0].tv_sec = 1000000000;
	tv[0].tv_usec = 250000;
	tv[1].tv_sec = 1200000000;
	tv[1].tv_usec = 999999;
	REQUIRE_OK(ukfs_utimes(fs, "/l", tv));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_atim.tv_sec, 1000000000);
	ATF_CHECK_EQ(st.st_atim.tv_nsec, 250000000);
	ATF_CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
	ATF_CHECK_EQ(st.st_mtim.tv_nsec, 999999000);
	tv[1].tv_sec = 1300000000;
	REQUIRE_OK(ukfs_lutimes(fs, "/l", tv));
	REQUIRE_OK(ukfs_lstat(fs, "/l", &lst));
	ATF_CHECK_EQ(lst.st_mtim.tv_sec, 1300000000);
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
	REQUIRE_OK(ukfs_utimes(fs, "/f", NULL));
	REQUIRE_OK(ukfs_stat(fs, "/f", &st));
	ATF_CHECK(st.st_mtim.tv_sec > 1600000000);
	tv[0].tv_usec = 1000000;
	CHECK_ERRNO(ukfs_utimes(fs, "/f", tv), EINVAL);

	CHECK_ERRNO(ukfs_chflags(fs, "/f", 0), EOPNOTSUPP);
	CHECK_ERRNO(ukfs_lchflags(fs, "/l", 0), EOPNOTSUPP);
	CHECK_ERRNO(ukfs_chflags(fs, "/missing", 0), ENOENT);
	CHECK_ERRNO(ukfs_stat(fs, "/missing", &st), ENOENT);
	CHECK_ERRNO(ukfs_chmod(fs, "/missing", 0), ENOENT);

	errno = 0;
	ATF_CHECK(ukfs_getmp(fs) == NULL);
	ATF_CHECK(ukfs_getrvp(fs) == NULL);
	ATF_CHECK(ukfs_getspecific(fs) == NULL);
	ukfs_setspecific(fs, &st);
	ATF_CHECK(ukfs_getspecific(fs) == &st);
	release_ok(fs, 0);
}

ATF_TC(builddirs);
ATF_TC_HEAD(builddirs, tc)
{
	atf_tc_set_md_var(tc, "descr", "ukfs_util_builddirs makes missing "
	    "parents and accepts existing directories");
}
ATF_TC_BODY(builddirs, tc)
{
	struct stat st;
	struct ukfs *fs;

	init_ok();
	fs = mount_rumpfs(UKFS_DEFAULTMP);
	REQUIRE_OK(ukfs_util_builddirs(fs, "/a/b//c/d/", 0711));
	REQUIRE_OK(ukfs_stat(fs, "/a/b/c/d", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFDIR | 0711);
	REQUIRE_OK(ukfs_stat(fs, "/a", &st));
	ATF_CHECK_EQ(st.st_mode, S_IFDIR | 0711);
	REQUIRE_OK(ukfs_util_builddirs(fs, "/a/b", 0700));
	REQUIRE_OK(ukfs_util_builddirs(fs, "/", 0700));
	REQUIRE_OK(ukfs_chdir(fs, "/a"));
	REQUIRE_OK(ukfs_util_builddirs(fs, "rel/x", 0755));
	REQUIRE_OK(ukfs_stat(fs, "/a/rel/x", &st));

	REQUIRE_OK(ukfs_create(fs, "/a/file", 0644));
	CHECK_ERRNO(ukfs_util_builddirs(fs, "/a/file/x", 0755), ENOTDIR);
	CHECK_ERRNO(ukfs_util_builddirs(fs, "/a/file", 0755), EEXIST);
	CHECK_ERRNO(ukfs_util_builddirs(fs, "", 0755), ENOENT);
	release_ok(fs, 0);
}

/* ------------------------------------------------------------------ */
/* Handles. */

ATF_TC(release_flags);
ATF_TC_HEAD(release_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "a busy handle stays valid; FORCE "
	    "unmounts it anyway, NOUNMOUNT keeps the mount");
}
ATF_TC_BODY(release_flags, tc)
{
	struct stat st;
	struct ukfs *fs;
	int fd;

	init_ok();
	fs = mount_rumpfs("/m1");
	REQUIRE_OK(ukfs_create(fs, "/f", 0644));
	REQUIRE_OK(ukfs_chdir(fs, "/"));
	fd = ukfs_open(fs, "/f", O_RDONLY);
	REQUIRE_OK(fd);
	ATF_REQUIRE(rump_sys_stat("/m1/f", &st) == 0);

	/* An open file keeps the mount; the handle still works after. */
	CHECK_ERRNO(ukfs_release(fs, 0), EBUSY);
	REQUIRE_OK(ukfs_mkdir(fs, "/d", 0755));
	REQUIRE_OK(ukfs_chdir(fs, "/d"));
	REQUIRE_OK(ukfs_create(fs, "in-d", 0644));
	REQUIRE_OK(ukfs_stat(fs, "/d/in-d", &st));
	CHECK_ERRNO(ukfs_release(fs, 0x10), EINVAL);
	CHECK_ERRNO(ukfs_release(NULL, 0), EINVAL);
	CHECK_OK(ukfs_close(fs, fd));
	release_ok(fs, 0);
	ATF_CHECK_MSG(rump_sys_stat("/m1/f", &st) == -1 && errno == ENOENT,
	    "the mount is still there");

	/* FORCE with an open file. */
	fs = mount_rumpfs("/m2");
	REQUIRE_OK(ukfs_create(fs, "/f", 0644));
	REQUIRE_OK(ukfs_open(fs, "/f", O_RDONLY));
	release_ok(fs, UKFS_RELFLAG_FORCE);
	ATF_CHECK(rump_sys_stat("/m2/f", &st) == -1 && errno == ENOENT);

	/* NOUNMOUNT: the files stay visible in the kernel. */
	fs = mount_rumpfs("/m3");
	REQUIRE_OK(ukfs_create(fs, "/kept", 0644));
	release_ok(fs, UKFS_RELFLAG_NOUNMOUNT);
	ATF_CHECK_MSG(rump_sys_stat("/m3/kept", &st) == 0, "stat: %s",
	    strerror(errno));
	ATF_CHECK_EQ(rump_sys_umount("/m3"), 0);
}

ATF_TC(two_handles);
ATF_TC_HEAD(two_handles, tc)
{
	atf_tc_set_md_var(tc, "descr", "handles on the default mount point "
	    "are separate; other mount points are exclusive");
}
ATF_TC_BODY(two_handles, tc)
{
	struct ukfs *a, *b, *c;
	struct stat st;

	init_ok();
	a = mount_rumpfs(UKFS_DEFAULTMP);
	b = mount_rumpfs(UKFS_DEFAULTMP);
	REQUIRE_OK(ukfs_create(a, "/in-a", 0644));
	REQUIRE_OK(ukfs_create(b, "/in-b", 0644));
	CHECK_ERRNO(ukfs_stat(a, "/in-b", &st), ENOENT);
	CHECK_ERRNO(ukfs_stat(b, "/in-a", &st), ENOENT);
	REQUIRE_OK(ukfs_chdir(a, "/"));
	REQUIRE_OK(ukfs_mkdir(b, "/dir", 0755));
	REQUIRE_OK(ukfs_chdir(b, "/dir"));
	REQUIRE_OK(ukfs_stat(a, "in-a", &st));

	c = mount_rumpfs("/other");
	errno = 0;
	ATF_CHECK(ukfs_mount("rumpfs", "rumpfs", "/other", 0, NULL, 0) ==
	    NULL);
	ATF_CHECK_EQ(errno, EBUSY);
	release_ok(c, 0);
	c = mount_rumpfs("/other");
	release_ok(c, 0);
	release_ok(a, 0);
	release_ok(b, 0);
}

/* Threads that work on one handle at once. */
#define NTHREADS	4
#define NROUNDS		200

static struct ukfs *thread_fs;

static void *
thread_work(void *arg)
{
	int id = (int)(intptr_t)arg, i;
	char path[64];
	uint8_t buf[16], out[16];
	struct stat st;

	for (i = 0; i < NROUNDS; i++) {
		snprintf(path, sizeof(path), "/t%d-%d", id, i % 8);
		snprintf((char *)buf, sizeof(buf), "%d:%d", id, i);
		if (ukfs_create(thread_fs, path, 0644) == -1 ||
		    ukfs_write(thread_fs, path, 0, buf, sizeof(buf)) !=
		    sizeof(buf) ||
		    ukfs_read(thread_fs, path, 0, out, sizeof(out)) !=
		    sizeof(out) || memcmp(buf, out, sizeof(buf)) != 0 ||
		    ukfs_stat(thread_fs, path, &st) == -1)
			return (void *)(intptr_t)(i + 1);
		if (i % 8 == 7 && ukfs_remove(thread_fs, path) == -1)
			return (void *)(intptr_t)(i + 1);
	}
	return NULL;
}

ATF_TC(threads);
ATF_TC_HEAD(threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "concurrent calls on one handle from "
	    "several host threads");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(threads, tc)
{
	pthread_t t[NTHREADS];
	void *rv;
	int i;

	init_ok();
	thread_fs = mount_rumpfs(UKFS_DEFAULTMP);
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, thread_work,
		    (void *)(intptr_t)i), 0);
	for (i = 0; i < NTHREADS; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], &rv), 0);
		ATF_CHECK_MSG(rv == NULL, "thread %d failed in round %ld: %s",
		    i, (long)(intptr_t)rv - 1, strerror(errno));
	}
	release_ok(thread_fs, 0);
}

/* ------------------------------------------------------------------ */
/* Partitions. */

ATF_TC(part_probe);
ATF_TC_HEAD(part_probe, tc)
{
	atf_tc_set_md_var(tc, "descr", "ukfs_part_probe parses %%OFFSET and "
	    "%%PARTITION suffixes and rejects the others");
}
ATF_TC_BODY(part_probe, tc)
{
	static const char *const bad[] = {
		"img%OFFSET:10%", "img%OFFSET:10,5%", "img%OFFSET:5,5%",
		"img%OFFSET:a,5%", "img%OFFSET:1,5", "img%OFFSET:1,5%x",
		"img%OFFSET:1,99999999999999999999999%", "%OFFSET:0,512%",
		"img%PARTITION:0%", "img%PARTITION:257%", "img%PARTITION:%",
		"img%PARTITION:1x%",
	};
	struct ukfs_part *part;
	char path[64], str[64];
	size_t i;

	strcpy(path, "img");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	ATF_CHECK(part == ukfs_part_none);
	ATF_CHECK_STREQ(path, "img");
	ATF_CHECK_EQ(ukfs_part_tostring(part, str, sizeof(str)), 11);
	ATF_CHECK_STREQ(str, "whole image");
	ukfs_part_release(part);

	strcpy(path, "dir/img%OFFSET:512,1049088%");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	ATF_CHECK_STREQ(path, "dir/img");
	ukfs_part_tostring(part, str, sizeof(str));
	ATF_CHECK_STREQ(str, "%OFFSET:512,1049088%");
	/* Cut like snprintf: the length of the whole text. */
	ATF_CHECK_EQ(ukfs_part_tostring(part, str, 4), 20);
	ATF_CHECK_STREQ(str, "%OF");
	ukfs_part_release(part);

	strcpy(path, "img%PARTITION:3%");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	ATF_CHECK_STREQ(path, "img");
	ukfs_part_tostring(part, str, sizeof(str));
	ATF_CHECK_STREQ(str, "%PARTITION:3%");
	ukfs_part_release(part);

	strcpy(path, "img%PART:a%");
	CHECK_ERRNO(ukfs_part_probe(path, &part), ENODEV);
	strcpy(path, "img%DISKLABEL:a%");
	CHECK_ERRNO(ukfs_part_probe(path, &part), EOPNOTSUPP);
	ATF_CHECK_STREQ(path, "img%DISKLABEL:a%");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(path, bad[i]);
		errno = 0;
		ATF_CHECK_MSG(ukfs_part_probe(path, &part) == -1 &&
		    errno == EINVAL, "%s: expected EINVAL, got %s", bad[i],
		    strerror(errno));
		ATF_CHECK_STREQ(path, bad[i]);
	}
	CHECK_ERRNO(ukfs_part_probe(NULL, &part), EINVAL);
	CHECK_ERRNO(ukfs_part_tostring(NULL, str, sizeof(str)), EINVAL);
	ATF_CHECK_EQ(ukfs_part_tostring(ukfs_part_na, str, sizeof(str)), 10);
}

/* Fill the host file path with size bytes of a position pattern. */
static void
make_pattern_file(const char *path, size_t size)
{
	uint8_t *buf;
	size_t i;
	int fd;

	buf = malloc(size);
	ATF_REQUIRE(buf != NULL);
	for (i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 13 + (i >> 10));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(write(fd, buf, size), (ssize_t)size);
	close(fd);
	free(buf);
}

ATF_TC(offset_window);
ATF_TC_HEAD(offset_window, tc)
{
	atf_tc_set_md_var(tc, "descr", "an %%OFFSET part becomes a block "
	    "device of just that window, removed at release");
}
ATF_TC_BODY(offset_window, tc)
{
	struct ukfs_part *part;
	char path[64];
	uint8_t buf[1024];
	struct ukfs *fs;
	struct stat st;
	size_t i;
	int fd;

	make_pattern_file(IMG, 64 * 1024);
	init_ok();
	strcpy(path, IMG "%OFFSET:4096,12288%");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	fs = ukfs_mount_disk("rumpfs", path, part, UKFS_DEFAULTMP, 0, NULL,
	    0);
	ATF_REQUIRE_MSG(fs != NULL, "ukfs_mount_disk: %s", strerror(errno));
	ukfs_part_release(part);

	/* The first handle's device, as ukfs(3) names it. */
	fd = rump_sys_open("/dev/ukfs0", O_RDONLY);
	ATF_REQUIRE_MSG(fd != -1, "open /dev/ukfs0: %s", strerror(errno));
	REQUIRE_OK(rump_sys_fstat(fd, &st));
	ATF_CHECK(S_ISBLK(st.st_mode));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 1024);
	for (i = 0; i < sizeof(buf); i++)
		if (buf[i] != (uint8_t)((i + 4096) * 13 + ((i + 4096) >> 10)))
			break;
	ATF_CHECK_EQ_MSG(i, sizeof(buf), "byte %zu differs", i);
	ATF_CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 8192), 0);
	rump_sys_close(fd);

	release_ok(fs, 0);
	ATF_CHECK(rump_sys_stat("/dev/ukfs0", &st) == -1 && errno == ENOENT);

	/* A window beyond the end of the file cannot be registered. */
	strcpy(path, IMG "%OFFSET:0,1048576%");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	errno = 0;
	ATF_CHECK(ukfs_mount_disk("rumpfs", path, part, UKFS_DEFAULTMP, 0,
	    NULL, 0) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	/* A part needs a host file. */
	errno = 0;
	ATF_CHECK(ukfs_mount_disk("rumpfs", "missing", part, UKFS_DEFAULTMP,
	    0, NULL, 0) == NULL);
	ATF_CHECK_EQ(errno, ENOENT);
	ukfs_part_release(part);
}

ATF_TC(mount_errors);
ATF_TC_HEAD(mount_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "bad arguments and unknown types fail "
	    "with an errno and leave nothing behind");
}
ATF_TC_BODY(mount_errors, tc)
{
	struct stat st;

	make_pattern_file(IMG, 8192);
	init_ok();
	errno = 0;
	ATF_CHECK(ukfs_mount("nosuchfs", IMG, UKFS_DEFAULTMP, 0, NULL, 0) ==
	    NULL);
	ATF_CHECK_EQ(errno, ENODEV);
	ATF_CHECK(rump_sys_stat("/dev/ukfs0", &st) == -1 && errno == ENOENT);
	ATF_CHECK(rump_sys_stat(UKFS_DEFAULTMP, &st) == -1 &&
	    errno == ENOENT);
	errno = 0;
	ATF_CHECK(ukfs_mount("rumpfs", "rumpfs", "relative", 0, NULL, 0) ==
	    NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	errno = 0;
	ATF_CHECK(ukfs_mount(NULL, "rumpfs", UKFS_DEFAULTMP, 0, NULL, 0) ==
	    NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	errno = 0;
	ATF_CHECK(ukfs_mount_disk("rumpfs", "rumpfs", NULL, UKFS_DEFAULTMP, 0,
	    NULL, 0) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	/* Unknown options of rumpfs. */
	errno = 0;
	ATF_CHECK(ukfs_mount("rumpfs", "rumpfs", UKFS_DEFAULTMP, 0,
	    "bogus=1", 8) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	/* The mount point must be a directory. */
	ATF_REQUIRE_EQ(rump_sys_mkdir("/x", 0755), 0);
	ATF_REQUIRE(rump_sys_open("/x/file", O_CREAT | O_WRONLY, 0644) != -1);
	errno = 0;
	ATF_CHECK(ukfs_mount("rumpfs", "rumpfs", "/x/file", 0, NULL, 0) ==
	    NULL);
	ATF_CHECK_EQ(errno, ENOTDIR);
}

/* ------------------------------------------------------------------ */
/* ext2 images. */

/* Make an ext2 image of 8 MiB from the host tree "tree". */
static void
make_ext2_image(const char *img, const char *extra)
{
	ATF_REQUIRE_EQ(run("mkdir -p tree/dir && echo 'first file' > "
	    "tree/file && printf 'x%%.0s' $(seq 1 5000) > tree/dir/big && "
	    "ln -s file tree/link"), 0);
	ATF_REQUIRE_EQ(run("mke2fs -q -F -t ext2 -b 1024 %s -d tree %s 8M "
	    ">mke2fs.log 2>&1", extra, img), 0);
}

static void
check_fsck(const char *img)
{

	ATF_CHECK_EQ_MSG(run("e2fsck -fn %s >fsck.log 2>&1", img), 0,
	    "e2fsck -fn %s failed; see fsck.log", img);
}

ATF_TC(ext2_ops);
ATF_TC_HEAD(ext2_ops, tc)
{
	atf_tc_set_md_var(tc, "descr", "every operation on an ext2 image; "
	    "e2fsck -fn is clean and debugfs reads the result");
	atf_tc_set_md_var(tc, "require.progs", "mke2fs e2fsck debugfs");
}
ATF_TC_BODY(ext2_ops, tc)
{
	char names[1024];
	uint8_t buf[8192];
	struct timeval tv[2];
	struct stat st;
	struct ukfs *fs;
	size_t i;

	load_ext2(tc);
	make_ext2_image(IMG, "");
	init_ok();
	fs = ukfs_mount("ext2", IMG, UKFS_DEFAULTMP, 0, NULL, 0);
	ATF_REQUIRE_MSG(fs != NULL, "ukfs_mount ext2: %s", strerror(errno));

	/* What mke2fs -d put there. */
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(ukfs_read(fs, "/file", 0, buf, sizeof(buf)), 11);
	ATF_CHECK_STREQ((char *)buf, "first file\n");
	ATF_CHECK_EQ(ukfs_read(fs, "/dir/big", 0, buf, sizeof(buf)), 5000);
	ATF_CHECK_EQ(ukfs_readlink(fs, "/link", (char *)buf, sizeof(buf)), 4);
	list_dir(fs, "/", names, sizeof(names));
	ATF_CHECK_MSG(strstr(names, "lost+found") != NULL &&
	    strstr(names, "dir") != NULL, "%s", names);

	/* Changes. */
	REQUIRE_OK(ukfs_util_builddirs(fs, "/new/deep/er", 0755));
	REQUIRE_OK(ukfs_chdir(fs, "/new/deep"));
	REQUIRE_OK(ukfs_create(fs, "data", 0600));
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)('a' + i % 26);
	ATF_CHECK_EQ(ukfs_write(fs, "data", 0, buf, sizeof(buf)),
	    (ssize_t)sizeof(buf));
	REQUIRE_OK(ukfs_link(fs, "/new/deep/data", "/new/hardlink"));
	REQUIRE_OK(ukfs_symlink(fs, "deep/data", "/new/symlink"));
	REQUIRE_OK(ukfs_rename(fs, "/file", "/new/moved"));
	REQUIRE_OK(ukfs_remove(fs, "/link"));
	REQUIRE_OK(ukfs_rmdir(fs, "/new/deep/er"));
	REQUIRE_OK(ukfs_mkfifo(fs, "/new/fifo", 0644));
	REQUIRE_OK(ukfs_mknod(fs, "/new/null", S_IFCHR | 0666,
	    makedev(1, 3)));
	REQUIRE_OK(ukfs_chmod(fs, "/new/moved", 0604));
	REQUIRE_OK(ukfs_chown(fs, "/new/moved", 1000, 100));
	tv[0].tv_sec = tv[1].tv_sec = 1234567890;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	REQUIRE_OK(ukfs_utimes(fs, "/new/moved", tv));
	REQUIRE_OK(ukfs_stat(fs, "/new/hardlink", &st));
	ATF_CHECK_EQ(st.st_nlink, 2);
	ATF_CHECK_EQ(st.st_size, (off_t)sizeof(buf));
	CHECK_ERRNO(ukfs_rmdir(fs, "/new"), ENOTEMPTY);
	release_ok(fs, 0);

	check_fsck(IMG);
	ATF_CHECK_EQ(run("debugfs -R 'cat /new/moved' %s 2>/dev/null | "
	    "grep -qx 'first file'", IMG), 0);
	ATF_CHECK_EQ(run("debugfs -R 'cat /new/hardlink' %s 2>/dev/null | "
	    "head -c 26 | grep -qx abcdefghijklmnopqrstuvwxyz", IMG), 0);
	ATF_CHECK_EQ(run("debugfs -R 'stat /new/moved' %s 2>/dev/null | "
	    "grep -q 'Mode:  0604'", IMG), 0);
	ATF_CHECK_EQ(run("debugfs -R 'stat /new/moved' %s 2>/dev/null | "
	    "grep -q 'User:  1000   Group:   100'", IMG), 0);
	ATF_CHECK_EQ(run("debugfs -R 'ls -l /new' %s 2>/dev/null | "
	    "grep -q symlink", IMG), 0);
	ATF_CHECK_EQ(run("debugfs -R 'stat /link' %s 2>&1 | "
	    "grep -q 'File not found'", IMG), 0);
}

ATF_TC(ext2_readonly);
ATF_TC_HEAD(ext2_readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "a read-only mount refuses writes and "
	    "leaves the image byte-identical");
	atf_tc_set_md_var(tc, "require.progs", "mke2fs cmp");
}
ATF_TC_BODY(ext2_readonly, tc)
{
	uint8_t buf[64];
	struct ukfs *fs;

	load_ext2(tc);
	make_ext2_image(IMG, "");
	ATF_REQUIRE_EQ(run("cp %s %s.orig", IMG, IMG), 0);
	init_ok();
	fs = ukfs_mount("ext2", IMG, UKFS_DEFAULTMP, MS_RDONLY, NULL, 0);
	ATF_REQUIRE_MSG(fs != NULL, "ukfs_mount ext2: %s", strerror(errno));
	ATF_CHECK_EQ(ukfs_read(fs, "/file", 0, buf, sizeof(buf)), 11);
	CHECK_ERRNO(ukfs_create(fs, "/new", 0644), EROFS);
	CHECK_ERRNO(ukfs_mkdir(fs, "/newdir", 0755), EROFS);
	CHECK_ERRNO(ukfs_write(fs, "/file", 0, buf, 1), EROFS);
	release_ok(fs, 0);
	ATF_CHECK_EQ_MSG(run("cmp -s %s %s.orig", IMG, IMG), 0,
	    "the image changed");
}

ATF_TC(ext2_offset);
ATF_TC_HEAD(ext2_offset, tc)
{
	atf_tc_set_md_var(tc, "descr", "an ext2 image 1 MiB into a bigger "
	    "file, mounted through %%OFFSET, changed and checked");
	atf_tc_set_md_var(tc, "require.progs", "mke2fs e2fsck dd");
}
ATF_TC_BODY(ext2_offset, tc)
{
	struct ukfs_part *part;
	char path[128];
	uint8_t buf[64];
	struct ukfs *fs;

	load_ext2(tc);
	make_ext2_image("fs.img", "");
	/* 1 MiB of pattern, the image (8 MiB), 1 MiB of pattern. */
	make_pattern_file("outer.img", 10 << 20);
	ATF_REQUIRE_EQ(run("dd if=fs.img of=outer.img bs=1M seek=1 "
	    "conv=notrunc status=none"), 0);
	ATF_REQUIRE_EQ(run("dd if=outer.img of=head.orig bs=1M count=1 "
	    "status=none && dd if=outer.img of=tail.orig bs=1M skip=9 "
	    "status=none"), 0);

	init_ok();
	snprintf(path, sizeof(path), "outer.img%%OFFSET:%d,%d%%", 1 << 20,
	    9 << 20);
	REQUIRE_OK(ukfs_part_probe(path, &part));
	fs = ukfs_mount_disk("ext2", path, part, UKFS_DEFAULTMP, 0, NULL, 0);
	ATF_REQUIRE_MSG(fs != NULL, "ukfs_mount_disk: %s", strerror(errno));
	ukfs_part_release(part);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(ukfs_read(fs, "/file", 0, buf, sizeof(buf)), 11);
	ATF_CHECK_STREQ((char *)buf, "first file\n");
	REQUIRE_OK(ukfs_create(fs, "/added", 0644));
	ATF_CHECK_EQ(ukfs_write(fs, "/added", 0, (uint8_t *)"windowed\n", 9),
	    9);
	release_ok(fs, 0);

	/* Only the window changed, and it is a clean file system. */
	ATF_REQUIRE_EQ(run("dd if=outer.img of=head.now bs=1M count=1 "
	    "status=none && dd if=outer.img of=tail.now bs=1M skip=9 "
	    "status=none && dd if=outer.img of=fs.now bs=1M skip=1 count=8 "
	    "status=none"), 0);
	ATF_CHECK_EQ(run("cmp -s head.orig head.now"), 0);
	ATF_CHECK_EQ(run("cmp -s tail.orig tail.now"), 0);
	check_fsck("fs.now");
	ATF_CHECK_EQ(run("debugfs -R 'cat /added' fs.now 2>/dev/null | "
	    "grep -qx windowed"), 0);
}

ATF_TC(ext2_partition);
ATF_TC_HEAD(ext2_partition, tc)
{
	atf_tc_set_md_var(tc, "descr", "%%PARTITION:2%% mounts the second "
	    "partition of an MBR-partitioned image");
	atf_tc_set_md_var(tc, "require.progs", "mke2fs e2fsck sfdisk dd");
}
ATF_TC_BODY(ext2_partition, tc)
{
	struct ukfs_part *part;
	char path[64];
	uint8_t buf[64];
	struct ukfs *fs;
	struct stat st;

	load_ext2(tc);
	make_ext2_image("p2.img", "");
	/* Partition 1: 1 MiB at 1 MiB, partition 2: 8 MiB at 2 MiB. */
	ATF_REQUIRE_EQ(run("truncate -s 12M disk.img && printf "
	    "'label: dos\\nstart=2048, size=2048, type=83\\n"
	    "start=4096, size=16384, type=83\\n' | sfdisk -q disk.img "
	    ">sfdisk.log 2>&1"), 0);
	ATF_REQUIRE_EQ(run("dd if=p2.img of=disk.img bs=1M seek=2 "
	    "conv=notrunc status=none"), 0);

	init_ok();
	/* Without the disk layer there are no partition nodes. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/probe", "disk.img",
	    RUMP_ETFS_BLK), 0);
	if (rump_sys_stat("/dev/probe2", &st) == -1)
		atf_tc_skip("the kernel makes no partition nodes");
	ATF_REQUIRE_EQ(rump_pub_etfs_remove("/dev/probe"), 0);

	strcpy(path, "disk.img%PARTITION:2%");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	fs = ukfs_mount_disk("ext2", path, part, UKFS_DEFAULTMP, 0, NULL, 0);
	ATF_REQUIRE_MSG(fs != NULL, "ukfs_mount_disk: %s", strerror(errno));
	ukfs_part_release(part);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(ukfs_read(fs, "/file", 0, buf, sizeof(buf)), 11);
	REQUIRE_OK(ukfs_create(fs, "/in-part2", 0644));
	release_ok(fs, 0);
	ATF_REQUIRE_EQ(run("dd if=disk.img of=p2.now bs=1M skip=2 count=8 "
	    "status=none"), 0);
	check_fsck("p2.now");
	ATF_CHECK_EQ(run("debugfs -R 'stat /in-part2' p2.now 2>/dev/null | "
	    "grep -q 'Type: regular'"), 0);

	/* A partition that is not in the table. */
	strcpy(path, "disk.img%PARTITION:4%");
	REQUIRE_OK(ukfs_part_probe(path, &part));
	errno = 0;
	ATF_CHECK(ukfs_mount_disk("ext2", path, part, UKFS_DEFAULTMP, 0, NULL,
	    0) == NULL);
	ATF_CHECK_EQ(errno, ENXIO);
	ukfs_part_release(part);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, init_version);
	ATF_TP_ADD_TC(tp, mount_before_init);
	ATF_TP_ADD_TC(tp, vfstypes);
	ATF_TP_ADD_TC(tp, modload_errors);
	ATF_TP_ADD_TC(tp, modload_ext2);
	ATF_TP_ADD_TC(tp, modload_dir);
	ATF_TP_ADD_TC(tp, file_ops);
	ATF_TP_ADD_TC(tp, dir_ops);
	ATF_TP_ADD_TC(tp, attr_ops);
	ATF_TP_ADD_TC(tp, builddirs);
	ATF_TP_ADD_TC(tp, release_flags);
	ATF_TP_ADD_TC(tp, two_handles);
	ATF_TP_ADD_TC(tp, threads);
	ATF_TP_ADD_TC(tp, part_probe);
	ATF_TP_ADD_TC(tp, offset_window);
	ATF_TP_ADD_TC(tp, mount_errors);
	ATF_TP_ADD_TC(tp, ext2_ops);
	ATF_TP_ADD_TC(tp, ext2_readonly);
	ATF_TP_ADD_TC(tp, ext2_offset);
	ATF_TP_ADD_TC(tp, ext2_partition);
	return atf_no_error();
}
