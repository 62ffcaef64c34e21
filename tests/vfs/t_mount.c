/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mount(2), umount2(2), statfs(2) and friends: mounting a second rumpfs
 * over a directory, the statfs values, busy and lazy and forced unmounts,
 * read-only remounts, and the errors of Linux (observed on Linux 6.x):
 * EPERM for the unprivileged, ENODEV for an unknown type, EINVAL for a
 * target that is not a mount's root.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#include <errno.h>
#include <fcntl.h>
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

/* statfs f_type of rumpfs: "rump" in ASCII. */
#define RUMPFS_MAGIC	0x72756d70
/* Linux sets it in every f_flags; glibc does not define it. */
#define ST_VALID	0x0020

#define UNPRIV_ID	1000

static void
boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

static void
mkdir_ok(const char *path)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_mkdir(path, 0755), 0, "mkdir %s: %s",
	    path, strerror(errno));
}

static void
mount_ok(const char *target, unsigned long flags)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_mount("rumpfs", target, "rumpfs", flags,
	    NULL), 0, "mount rumpfs on %s: %s", target, strerror(errno));
}

static void
umount_ok(const char *target, int flags)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_umount2(target, flags), 0,
	    "umount2 %s 0x%x: %s", target, flags, strerror(errno));
}

static void
check_umount_errno(const char *target, int flags, int expected)
{
	int rv;

	errno = 0;
	rv = rump_sys_umount2(target, flags);
	ATF_CHECK_MSG(rv == -1 && errno == expected,
	    "umount2 %s 0x%x: expected %s, got %d (%s)", target, flags,
	    strerror(expected), rv, rv == 0 ? "success" : strerror(errno));
}

static void
check_mount_errno(const char *source, const char *target,
    const char *fstype, unsigned long flags, int expected)
{
	int rv;

	errno = 0;
	rv = rump_sys_mount(source, target, fstype, flags, NULL);
	ATF_CHECK_MSG(rv == -1 && errno == expected,
	    "mount %s on %s flags 0x%lx: expected %s, got %d (%s)",
	    fstype != NULL ? fstype : "(null)", target, flags,
	    strerror(expected), rv, rv == 0 ? "success" : strerror(errno));
}

static int
create_ok(const char *path, int flags)
{
	int fd;

	fd = rump_sys_open(path, flags | O_CREAT, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	return fd;
}

static bool
exists(const char *path)
{
	struct stat st;

	return rump_sys_lstat(path, &st) == 0;
}

ATF_TC(mount_over_directory);
ATF_TC_HEAD(mount_over_directory, tc)
{
	atf_tc_set_md_var(tc, "descr", "A second rumpfs covers a directory "
	    "until it is unmounted");
}
ATF_TC_BODY(mount_over_directory, tc)
{
	struct stat st, root;
	int fd;

	boot();
	mkdir_ok("/mnt");
	fd = create_ok("/mnt/under", O_WRONLY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_stat("/", &root), 0);

	mount_ok("/mnt", 0);
	ATF_CHECK(!exists("/mnt/under"));
	ATF_REQUIRE_EQ(rump_sys_stat("/mnt", &st), 0);
	ATF_CHECK(st.st_dev != root.st_dev);
	/* A new rumpfs root is like tmpfs's: 1777. */
	ATF_CHECK_EQ(st.st_mode & 07777, 01777);
	fd = create_ok("/mnt/over", O_WRONLY);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "data", 4), 4);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_CHECK(exists("/mnt/over"));

	umount_ok("/mnt", 0);
	ATF_CHECK(exists("/mnt/under"));
	ATF_CHECK(!exists("/mnt/over"));
	/* The directory can take a new mount, which starts empty. */
	mount_ok("/mnt", 0);
	ATF_CHECK(!exists("/mnt/over"));
	umount_ok("/mnt", 0);
}

ATF_TC(mount_statfs_values);
ATF_TC_HEAD(mount_statfs_values, tc)
{
	atf_tc_set_md_var(tc, "descr", "statfs and fstatfs return rumpfs's "
	    "type and Linux's flags for the mount");
}
ATF_TC_BODY(mount_statfs_values, tc)
{
	struct statfs rootfs, mntfs, ffs;
	int fd, pfd[2];

	boot();
	mkdir_ok("/mnt");
	mount_ok("/mnt", MS_NOSUID | MS_NODEV);

	ATF_REQUIRE_EQ(rump_sys_statfs("/", &rootfs), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs("/mnt", &mntfs), 0);
	ATF_CHECK_EQ(mntfs.f_type, RUMPFS_MAGIC);
	ATF_CHECK_EQ(rootfs.f_type, RUMPFS_MAGIC);
	ATF_CHECK_EQ(mntfs.f_namelen, 255);
	ATF_CHECK(mntfs.f_bsize > 0);
	ATF_CHECK_EQ(mntfs.f_frsize, mntfs.f_bsize);
	ATF_CHECK(mntfs.f_bavail <= mntfs.f_bfree);
	ATF_CHECK(mntfs.f_bfree <= mntfs.f_blocks);
	/* Linux's default atime policy is relatime. */
	ATF_CHECK_EQ(rootfs.f_flags, ST_VALID | ST_RELATIME);
	ATF_CHECK_EQ(mntfs.f_flags,
	    ST_VALID | ST_RELATIME | ST_NOSUID | ST_NODEV);
	ATF_CHECK(memcmp(&rootfs.f_fsid, &mntfs.f_fsid,
	    sizeof(rootfs.f_fsid)) != 0);

	fd = create_ok("/mnt/f", O_RDWR);
	ATF_REQUIRE_EQ(rump_sys_fstatfs(fd, &ffs), 0);
	ATF_CHECK_EQ(ffs.f_type, RUMPFS_MAGIC);
	ATF_CHECK_EQ(ffs.f_flags, mntfs.f_flags);
	ATF_CHECK(memcmp(&ffs.f_fsid, &mntfs.f_fsid, sizeof(ffs.f_fsid)) == 0);
	ATF_CHECK_EQ(rump_sys_syncfs(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	/* A pipe reports pipefs, as on Linux. */
	ATF_REQUIRE_EQ(rump_sys_pipe(pfd), 0);
	ATF_REQUIRE_EQ(rump_sys_fstatfs(pfd[0], &ffs), 0);
	ATF_CHECK_EQ(ffs.f_type, 0x50495045);
	ATF_CHECK_EQ(rump_sys_syncfs(pfd[0]), 0);
	ATF_CHECK_EQ(rump_sys_close(pfd[0]), 0);
	ATF_CHECK_EQ(rump_sys_close(pfd[1]), 0);

	errno = 0;
	ATF_CHECK_EQ(rump_sys_fstatfs(-1, &ffs), -1);
	ATF_CHECK_EQ(errno, EBADF);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_syncfs(-1), -1);
	ATF_CHECK_EQ(errno, EBADF);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_statfs("/nonexistent", &ffs), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	rump_sys_sync();
	umount_ok("/mnt", 0);
}

ATF_TC(umount_busy);
ATF_TC_HEAD(umount_busy, tc)
{
	atf_tc_set_md_var(tc, "descr", "umount is EBUSY while a file is open "
	    "in the mount, a cwd is in it or a mount is below it");
}
ATF_TC_BODY(umount_busy, tc)
{
	int fd;

	boot();
	mkdir_ok("/mnt");
	mount_ok("/mnt", 0);

	fd = create_ok("/mnt/f", O_RDWR);
	check_umount_errno("/mnt", 0, EBUSY);
	ATF_CHECK(exists("/mnt/f"));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	ATF_REQUIRE_EQ(rump_sys_chdir("/mnt"), 0);
	check_umount_errno("/mnt", 0, EBUSY);
	ATF_REQUIRE_EQ(rump_sys_chdir("/"), 0);

	mkdir_ok("/mnt/sub");
	mount_ok("/mnt/sub", 0);
	check_umount_errno("/mnt", 0, EBUSY);
	check_umount_errno("/mnt", MNT_FORCE, EBUSY);
	umount_ok("/mnt/sub", 0);
	umount_ok("/mnt", 0);
	ATF_CHECK(!exists("/mnt/f"));
}

ATF_TC(umount_detach);
ATF_TC_HEAD(umount_detach, tc)
{
	atf_tc_set_md_var(tc, "descr", "MNT_DETACH hides the mount at once "
	    "and open files keep working until closed");
}
ATF_TC_BODY(umount_detach, tc)
{
	struct statfs sfs;
	char buf[8];
	int fd;

	boot();
	mkdir_ok("/mnt");
	mount_ok("/mnt", 0);
	fd = create_ok("/mnt/f", O_RDWR);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);

	umount_ok("/mnt", MNT_DETACH);
	ATF_CHECK(!exists("/mnt/f"));
	ATF_CHECK_EQ(rump_sys_pwrite(fd, "xyz", 3, 3), 3);
	ATF_CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 6);
	ATF_CHECK(memcmp(buf, "abcxyz", 6) == 0);
	ATF_CHECK_EQ(rump_sys_fstatfs(fd, &sfs), 0);
	ATF_CHECK_EQ(sfs.f_type, RUMPFS_MAGIC);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	/* The mount point is free again. */
	mount_ok("/mnt", 0);
	umount_ok("/mnt", 0);

	/* With submounts, the whole tree goes. */
	mount_ok("/mnt", 0);
	mkdir_ok("/mnt/sub");
	mount_ok("/mnt/sub", 0);
	fd = create_ok("/mnt/sub/g", O_RDWR);
	umount_ok("/mnt", MNT_DETACH);
	ATF_CHECK(!exists("/mnt/sub"));
	ATF_CHECK_EQ(rump_sys_write(fd, "q", 1), 1);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
}

ATF_TC(umount_force);
ATF_TC_HEAD(umount_force, tc)
{
	atf_tc_set_md_var(tc, "descr", "MNT_FORCE unmounts a busy mount and "
	    "its open files fail from then on");
}
ATF_TC_BODY(umount_force, tc)
{
	char buf[4];
	int fd;

	boot();
	mkdir_ok("/mnt");
	mount_ok("/mnt", 0);
	fd = create_ok("/mnt/f", O_RDWR);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);

	umount_ok("/mnt", MNT_FORCE);
	ATF_CHECK(!exists("/mnt/f"));
	errno = 0;
	ATF_CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), -1);
	ATF_CHECK_EQ(errno, EBADF);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	mount_ok("/mnt", 0);
	umount_ok("/mnt", 0);
}

ATF_TC(mount_remount_readonly);
ATF_TC_HEAD(mount_remount_readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "MS_REMOUNT | MS_RDONLY makes changes "
	    "fail with EROFS until remounted read-write");
}
ATF_TC_BODY(mount_remount_readonly, tc)
{
	struct statfs sfs;
	char buf[4];
	int fd;

	boot();
	mkdir_ok("/mnt");
	mount_ok("/mnt", 0);
	fd = create_ok("/mnt/f", O_RDWR);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);

	/* A file open for writing keeps the mount writable. */
	check_mount_errno("rumpfs", "/mnt", "rumpfs", MS_REMOUNT | MS_RDONLY,
	    EBUSY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	mount_ok("/mnt", MS_REMOUNT | MS_RDONLY);

	ATF_REQUIRE_EQ(rump_sys_statfs("/mnt", &sfs), 0);
	ATF_CHECK(sfs.f_flags & ST_RDONLY);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_open("/mnt/f", O_WRONLY), -1);
	ATF_CHECK_EQ(errno, EROFS);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_open("/mnt/new", O_WRONLY | O_CREAT, 0644), -1);
	ATF_CHECK_EQ(errno, EROFS);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_mkdir("/mnt/d", 0755), -1);
	ATF_CHECK_EQ(errno, EROFS);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_unlink("/mnt/f"), -1);
	ATF_CHECK_EQ(errno, EROFS);
	fd = rump_sys_open("/mnt/f", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	mount_ok("/mnt", MS_REMOUNT);
	ATF_REQUIRE_EQ(rump_sys_statfs("/mnt", &sfs), 0);
	ATF_CHECK(!(sfs.f_flags & ST_RDONLY));
	ATF_CHECK_EQ(rump_sys_unlink("/mnt/f"), 0);

	/* A remount needs the root of a mount. */
	mkdir_ok("/mnt/d");
	check_mount_errno("rumpfs", "/mnt/d", "rumpfs", MS_REMOUNT, EINVAL);
	umount_ok("/mnt", 0);

	/* A read-only mount from the start. */
	mount_ok("/mnt", MS_RDONLY);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_mkdir("/mnt/d", 0755), -1);
	ATF_CHECK_EQ(errno, EROFS);
	umount_ok("/mnt", 0);

	/* The "ro" and "rw" options work like MS_RDONLY on a remount. */
	mount_ok("/mnt", 0);
	ATF_REQUIRE_EQ(rump_sys_mount("rumpfs", "/mnt", "rumpfs", MS_REMOUNT,
	    "ro"), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_mkdir("/mnt/d", 0755), -1);
	ATF_CHECK_EQ(errno, EROFS);
	ATF_REQUIRE_EQ(rump_sys_mount("rumpfs", "/mnt", "rumpfs", MS_REMOUNT,
	    "ro,rw"), 0);
	ATF_CHECK_EQ(rump_sys_mkdir("/mnt/d", 0755), 0);
	umount_ok("/mnt", 0);
}

ATF_TC(mount_unprivileged);
ATF_TC_HEAD(mount_unprivileged, tc)
{
	atf_tc_set_md_var(tc, "descr", "mount and umount2 fail with EPERM "
	    "for an unprivileged process, after the lookup");
}
ATF_TC_BODY(mount_unprivileged, tc)
{

	boot();
	mkdir_ok("/mnt");
	mkdir_ok("/mnt2");
	mount_ok("/mnt2", 0);

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(UNPRIV_ID), 0);
	check_mount_errno("rumpfs", "/mnt", "rumpfs", 0, EPERM);
	check_mount_errno("rumpfs", "/mnt", "nosuchfs", 0, EPERM);
	check_mount_errno("rumpfs", "/nonexistent", "rumpfs", 0, ENOENT);
	check_umount_errno("/mnt2", 0, EPERM);
	check_umount_errno("/mnt", 0, EPERM);
	check_umount_errno("/nonexistent", 0, ENOENT);
	check_umount_errno("/mnt2", 0x10, EINVAL);
	ATF_CHECK(exists("/mnt2"));
	rump_pub_lwproc_releaselwp();
	umount_ok("/mnt2", 0);
}

ATF_TC(mount_errors);
ATF_TC_HEAD(mount_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "mount fails with ENODEV, EINVAL, "
	    "ENOTDIR, ENOENT and EBUSY as on Linux");
}
ATF_TC_BODY(mount_errors, tc)
{
	int fd;

	boot();
	mkdir_ok("/mnt");
	fd = create_ok("/file", O_WRONLY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	check_mount_errno("x", "/mnt", "nosuchfs", 0, ENODEV);
	check_mount_errno("x", "/mnt", NULL, 0, EINVAL);
	check_mount_errno("x", "/file", "rumpfs", 0, ENOTDIR);
	check_mount_errno("x", "/nonexistent", "rumpfs", 0, ENOENT);
	check_mount_errno("x", "/nonexistent", "nosuchfs", 0, ENOENT);
	/* NOTE: bind and move mounts are not implemented. */
	check_mount_errno("/mnt", "/mnt", NULL, MS_BIND, EINVAL);
	check_mount_errno("/mnt", "/mnt", NULL, MS_MOVE, EINVAL);
	/* The global root cannot be covered here. */
	check_mount_errno("x", "/", "rumpfs", 0, EBUSY);
	/* The old magic number in the top bits is ignored. */
	ATF_CHECK_EQ(rump_sys_mount("x", "/mnt", "rumpfs",
	    0xc0ed0000UL, NULL), 0);
	umount_ok("/mnt", 0);
}

ATF_TC(umount_errors);
ATF_TC_HEAD(umount_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "umount2 checks its flags and target "
	    "as Linux does, and MNT_EXPIRE needs two calls");
}
ATF_TC_BODY(umount_errors, tc)
{

	boot();
	mkdir_ok("/mnt");
	mkdir_ok("/dir");
	mount_ok("/mnt", 0);
	mkdir_ok("/mnt/sub");

	check_umount_errno("/dir", 0, EINVAL);
	check_umount_errno("/mnt/sub", 0, EINVAL);
	check_umount_errno("/nonexistent", 0x10, EINVAL);
	check_umount_errno("/nonexistent", MNT_EXPIRE | MNT_FORCE, ENOENT);
	check_umount_errno("/mnt", MNT_EXPIRE | MNT_FORCE, EINVAL);
	check_umount_errno("/mnt", MNT_EXPIRE | MNT_DETACH, EINVAL);
	check_umount_errno("/", 0, EBUSY);

	check_umount_errno("/mnt", MNT_EXPIRE, EAGAIN);
	ATF_CHECK(exists("/mnt/sub"));
	umount_ok("/mnt", MNT_EXPIRE);
	ATF_CHECK(!exists("/mnt/sub"));
	check_umount_errno("/mnt", 0, EINVAL);

	/* umount(2) is umount2 without flags. */
	mount_ok("/mnt", 0);
	ATF_CHECK_EQ(rump_sys_umount("/mnt"), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_umount("/mnt"), -1);
	ATF_CHECK_EQ(errno, EINVAL);
}

ATF_TC(mount_stacked);
ATF_TC_HEAD(mount_stacked, tc)
{
	atf_tc_set_md_var(tc, "descr", "A mount on a mount's root covers it "
	    "and unmounting uncovers the one below");
}
ATF_TC_BODY(mount_stacked, tc)
{
	struct stat root, st;
	int fd;

	boot();
	mkdir_ok("/mnt");
	ATF_REQUIRE_EQ(rump_sys_stat("/", &root), 0);
	mount_ok("/mnt", 0);
	fd = create_ok("/mnt/lower", O_WRONLY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	mount_ok("/mnt", 0);
	ATF_CHECK(!exists("/mnt/lower"));
	fd = create_ok("/mnt/upper", O_WRONLY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_stat("/mnt/..", &st), 0);
	ATF_CHECK(st.st_dev == root.st_dev && st.st_ino == root.st_ino);

	umount_ok("/mnt", 0);
	ATF_CHECK(exists("/mnt/lower"));
	ATF_CHECK(!exists("/mnt/upper"));
	umount_ok("/mnt", 0);
	ATF_CHECK(!exists("/mnt/lower"));
}

ATF_TC(maxvnodes_sysctl);
ATF_TC_HEAD(maxvnodes_sysctl, tc)
{
	atf_tc_set_md_var(tc, "descr", "kern.maxvnodes defaults to 8192, "
	    "can be lowered, and lookups work with a tiny cache");
}
ATF_TC_BODY(maxvnodes_sysctl, tc)
{
	char path[32];
	struct stat st;
	size_t len;
	int value, i, fd;

	boot();
	len = sizeof(value);
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.maxvnodes", &value, &len, NULL,
	    0), 0);
	ATF_CHECK_EQ(len, sizeof(value));
	ATF_CHECK_EQ(value, 8192);

	value = 0;
	errno = 0;
	ATF_CHECK_EQ(rump_sysctlbyname("kern.maxvnodes", NULL, NULL, &value,
	    sizeof(value)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	value = 16;
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.maxvnodes", NULL, NULL, &value,
	    sizeof(value)), 0);

	/* Many more files than vnodes: each is found again by name. */
	mkdir_ok("/d");
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/d/f%d", i);
		fd = create_ok(path, O_WRONLY);
		ATF_REQUIRE_EQ(rump_sys_write(fd, &i, sizeof(i)), sizeof(i));
		ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	}
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/d/f%d", i);
		ATF_REQUIRE_EQ_MSG(rump_sys_stat(path, &st), 0, "stat %s: %s",
		    path, strerror(errno));
		ATF_CHECK_EQ(st.st_size, sizeof(i));
	}
}

/* Lookups and opens inside /mnt while the main thread unmounts it. */
static volatile int force_stop;

/*
 * A forced unmount may revoke a file between its lookup and its use, so
 * the calls may also fail with EBADF, the error of a revoked vnode.
 */
static bool
revoked_or_gone(int error)
{

	return error == ENOENT || error == EBADF;
}

static void *
force_worker(void *arg)
{
	struct stat st;
	char buf[4];
	int fd;

	while (!force_stop) {
		if (rump_sys_stat("/mnt/f", &st) != 0 &&
		    !revoked_or_gone(errno))
			return (void *)"stat failed other than ENOENT, EBADF";
		fd = rump_sys_open("/mnt/f", O_RDONLY);
		if (fd < 0) {
			if (!revoked_or_gone(errno))
				return (void *)"open failed other than "
				    "ENOENT, EBADF";
			continue;
		}
		if (rump_sys_read(fd, buf, sizeof(buf)) < 0 && errno != EBADF)
			return (void *)"read failed other than EBADF";
		if (rump_sys_close(fd) != 0)
			return (void *)"close failed";
	}
	return NULL;
}

ATF_TC(umount_force_concurrent);
ATF_TC_HEAD(umount_force_concurrent, tc)
{
	atf_tc_set_md_var(tc, "descr", "Forced and lazy unmounts race with "
	    "threads that look up and read files in the mount");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(umount_force_concurrent, tc)
{
	pthread_t threads[3];
	void *result;
	int i, fd;

	boot();
	mkdir_ok("/mnt");
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(pthread_create(&threads[i], NULL, force_worker,
		    NULL), 0);
	for (i = 0; i < 300; i++) {
		mount_ok("/mnt", 0);
		fd = create_ok("/mnt/f", O_WRONLY);
		ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
		ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
		umount_ok("/mnt", (i % 2) ? MNT_FORCE : MNT_DETACH);
	}
	force_stop = 1;
	for (i = 0; i < 3; i++) {
		ATF_REQUIRE_EQ(pthread_join(threads[i], &result), 0);
		ATF_CHECK_MSG(result == NULL, "thread %d: %s", i,
		    (const char *)result);
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mount_over_directory);
	ATF_TP_ADD_TC(tp, mount_statfs_values);
	ATF_TP_ADD_TC(tp, umount_busy);
	ATF_TP_ADD_TC(tp, umount_detach);
	ATF_TP_ADD_TC(tp, umount_force);
	ATF_TP_ADD_TC(tp, mount_remount_readonly);
	ATF_TP_ADD_TC(tp, mount_unprivileged);
	ATF_TP_ADD_TC(tp, mount_errors);
	ATF_TP_ADD_TC(tp, umount_errors);
	ATF_TP_ADD_TC(tp, mount_stacked);
	ATF_TP_ADD_TC(tp, maxvnodes_sysctl);
	ATF_TP_ADD_TC(tp, umount_force_concurrent);
	return atf_no_error();
}
