/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs review cases: corners that the other ext2fs tests leave out.
 * They cover truncation to every block map boundary and running out of
 * blocks and inodes in the middle of name space changes.  They cover link
 * limits, files across 2 GiB and 4 GiB on revisions 0 and 1, time stamps
 * outside 1970..2038 and large owner ids.  They also cover fsync seen by
 * debugfs while mounted, rename over an open file, partitions, threads
 * sharing one file, and mke2fs layouts that the other cases do not make.
 *
 * Each case makes small images with mke2fs in its work directory and
 * mounts them on /mnt.  After the writes, `e2fsck -fn` must be clean and
 * the free counts must agree with dumpe2fs.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

#include "h_fsimage.h"

#define KEY	"/dk"
#define MNT	"/mnt"
#define IMG	"img"

/* Make img with mke2fs and the options opts, size a mke2fs size. */
static void
mkimg_at(const char *img, const char *opts, const char *size)
{

	img_require_e2fsprogs();
	IMG_RUN_OK("mke2fs -q -F %s '%s' %s", opts, img, size);
}

static void
mkimg(const char *opts, const char *size)
{

	mkimg_at(IMG, opts, size);
}

/* Boot, attach the image and mount it read-write on MNT. */
static void
start(void)
{

	img_boot();
	img_register(KEY, IMG);
	img_mount(KEY, MNT, "ext2fs", 0);
}

/* Write len bytes of pattern seed at off to path (created when missing). */
static void
put(const char *path, uint32_t seed, off_t off, size_t len)
{
	unsigned char buf[8192];
	size_t n;
	int fd;

	fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	while (len > 0) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		img_fill(buf, n, seed, off);
		ATF_REQUIRE_MSG(rump_sys_pwrite(fd, buf, n, off) == (ssize_t)n,
		    "pwrite %s at %lld: %s", path, (long long)off,
		    strerror(errno));
		off += (off_t)n;
		len -= n;
	}
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
}

/*
 * Check that the free block and inode counts of statfs equal those of
 * dumpe2fs once unmounted.  Call with the figures taken just before the
 * unmount.
 */
static void
check_counts(uint64_t bfree, uint64_t ffree)
{

	ATF_CHECK_EQ_MSG((long long)bfree, img_dumpe2fs_field(IMG,
	    "Free blocks"), "statfs free blocks %llu, dumpe2fs %lld",
	    (unsigned long long)bfree, img_dumpe2fs_field(IMG, "Free blocks"));
	ATF_CHECK_EQ_MSG((long long)ffree, img_dumpe2fs_field(IMG,
	    "Free inodes"), "statfs free inodes %llu, dumpe2fs %lld",
	    (unsigned long long)ffree, img_dumpe2fs_field(IMG, "Free inodes"));
}

/* Unmount, then check that e2fsck is clean and the counts match. */
static void
finish(void)
{
	struct statfs sf;

	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
	img_umount(MNT);
	img_fsck_clean(IMG);
	check_counts(sf.f_bfree, sf.f_ffree);
}

/* Run debugfs -R cmd on the image and store its output in out. */
static int
debugfs(char *out, size_t len, const char *cmd)
{

	return img_run(out, len, "debugfs -R '%s' '%s'", cmd, IMG);
}

/* ------------------------------------------------------------------ */

ATF_TC(truncate_boundaries_1k);
ATF_TC_HEAD(truncate_boundaries_1k, tc)
{
	atf_tc_set_md_var(tc, "descr", "Truncation to each block map "
	    "boundary with 1 KiB blocks frees the right blocks");
}
ATF_TC_BODY(truncate_boundaries_1k, tc)
{
	/* 12 direct, 256 single, 65536 double pointers of 1 KiB blocks. */
	static const off_t lim[] = { 12, 12 + 256, 12 + 256 + 65536 };
	off_t cuts[16], top = (lim[2] + 300) * 1024;
	struct stat st;
	int i, n = 0, k;

	for (i = 0; i < 3; i++) {
		cuts[n++] = lim[i] * 1024 + 1;
		cuts[n++] = lim[i] * 1024;
		cuts[n++] = lim[i] * 1024 - 1;
	}
	cuts[n++] = 1;
	cuts[n++] = 0;
	mkimg("-t ext2 -b 1024", "8M");
	start();
	for (i = 0; i < n; i++) {
		/* A block on each side of every boundary, then cut. */
		for (k = 0; k < 3; k++) {
			put(MNT "/t", 5, lim[k] * 1024 - 1024, 2048);
			put(MNT "/t", 5, lim[k] * 1024 + 4096, 10);
		}
		put(MNT "/t", 5, top, 100);
		ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/t", cuts[i]), 0);
		ATF_REQUIRE_EQ(rump_sys_stat(MNT "/t", &st), 0);
		ATF_CHECK_EQ(st.st_size, cuts[i]);
	}
	put(MNT "/t", 5, lim[1] * 1024 - 10, 20);
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/t", lim[1] * 1024 - 5), 0);
	finish();
	ATF_REQUIRE_EQ(rump_sys_unlink(MNT "/t") == 0 || errno == ENOENT,
	    true);
}

/* ------------------------------------------------------------------ */

ATF_TC(enospc_namespace);
ATF_TC_HEAD(enospc_namespace, tc)
{
	atf_tc_set_md_var(tc, "descr", "mkdir, symlink, link, rename and "
	    "write that run out of blocks leave a clean image");
}
ATF_TC_BODY(enospc_namespace, tc)
{
	char name[64], target[900];
	unsigned char buf[4096];
	struct statfs sf;
	int fd, i, errs = 0;

	mkimg("-t ext2 -b 1024 -N 64 -m 0", "300K");
	start();
	/* A directory whose block is full, so that the next name needs one. */
	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/d", 0755), 0);
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), MNT "/d/%s%02d", "name_long_"
		    "enough_to_fill_the_block", i);
		fd = rump_sys_open(name, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			break;
		rump_sys_close(fd);
	}
	/* Use every block. */
	fd = rump_sys_open(MNT "/fill", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	while (rump_sys_write(fd, buf, sizeof(buf)) > 0)
		continue;
	while (rump_sys_write(fd, buf, 1) > 0)
		continue;
	ATF_CHECK_EQ(errno, ENOSPC);
	rump_sys_close(fd);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
	ATF_CHECK_EQ(sf.f_bfree, 0);

	memset(target, 's', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), MNT "/d/%s%02d", "another_name_"
		    "that_needs_room_too", i);
		if (rump_sys_mkdir(name, 0755) == -1)
			errs += errno == ENOSPC;
		snprintf(name, sizeof(name), MNT "/sl%02d", i);
		if (rump_sys_symlink(target, name) == -1)
			errs += errno == ENOSPC;
		snprintf(name, sizeof(name), MNT "/d/%s%02d", "a_hard_link_"
		    "with_a_long_long_name", i);
		if (rump_sys_link(MNT "/fill", name) == -1)
			errs += errno == ENOSPC;
		snprintf(name, sizeof(name), MNT "/d/%s%02d", "renamed_with_"
		    "a_long_long_long_name", i);
		if (rump_sys_rename(MNT "/fill", name) == 0)
			ATF_REQUIRE_EQ(rump_sys_rename(name, MNT "/fill"), 0);
		else
			errs += errno == ENOSPC;
	}
	ATF_CHECK_MSG(errs > 0, "no ENOSPC at all");
	finish();
}

ATF_TC(inode_exhaustion);
ATF_TC_HEAD(inode_exhaustion, tc)
{
	atf_tc_set_md_var(tc, "descr", "Running out of inodes in create, "
	    "mkdir and symlink gives ENOSPC and a clean image");
}
ATF_TC_BODY(inode_exhaustion, tc)
{
	char name[64];
	int i, fd, made = 0;

	mkimg("-t ext2 -b 1024 -N 32", "1M");
	start();
	for (i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), MNT "/n%d", i);
		switch (i % 3) {
		case 0:
			fd = rump_sys_open(name, O_WRONLY | O_CREAT, 0644);
			if (fd >= 0)
				rump_sys_close(fd);
			break;
		case 1:
			fd = rump_sys_mkdir(name, 0755);
			break;
		default:
			fd = rump_sys_symlink("target", name);
			break;
		}
		if (fd == -1)
			ATF_CHECK_EQ_MSG(errno, ENOSPC, "%s: %s", name,
			    strerror(errno));
		else
			made++;
	}
	ATF_CHECK(made > 0 && made < 60);
	finish();
}

/* ------------------------------------------------------------------ */

ATF_TC(link_max);
ATF_TC_HEAD(link_max, tc)
{
	atf_tc_set_md_var(tc, "descr", "A file takes at most 65000 links");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(link_max, tc)
{
	char name[64];
	struct stat st;
	int i, fd;

	mkimg("-t ext2 -b 4096", "8M");
	start();
	fd = rump_sys_open(MNT "/f", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	rump_sys_close(fd);
	/* Several directories keep each one short. */
	for (i = 0; i < 13; i++) {
		snprintf(name, sizeof(name), MNT "/l%d", i);
		ATF_REQUIRE_EQ(rump_sys_mkdir(name, 0755), 0);
	}
	for (i = 1; i < 65000; i++) {
		snprintf(name, sizeof(name), MNT "/l%d/%d", i % 13, i);
		ATF_REQUIRE_MSG(rump_sys_link(MNT "/f", name) == 0,
		    "link %d: %s", i, strerror(errno));
	}
	ATF_REQUIRE_EQ(rump_sys_link(MNT "/f", MNT "/l0/x"), -1);
	ATF_CHECK_EQ(errno, EMLINK);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/f", &st), 0);
	ATF_CHECK_EQ(st.st_nlink, 65000);
	finish();
}

ATF_TC(subdir_max);
ATF_TC_HEAD(subdir_max, tc)
{
	atf_tc_set_md_var(tc, "descr", "Without dir_nlink a directory takes "
	    "at most 31998 subdirectories");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(subdir_max, tc)
{
	char name[64];
	struct stat st;
	int i;

	mkimg("-t ext2 -b 1024 -N 32100 -I 128", "48M");
	start();
	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/p", 0755), 0);
	for (i = 0; i < 31998; i++) {
		snprintf(name, sizeof(name), MNT "/p/%x", i);
		ATF_REQUIRE_MSG(rump_sys_mkdir(name, 0755) == 0,
		    "mkdir %d: %s", i, strerror(errno));
	}
	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/p/x", 0755), -1);
	ATF_CHECK_EQ(errno, EMLINK);
	/* A rename into it is rejected too, but a file still fits. */
	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/y", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_rename(MNT "/y", MNT "/p/y"), -1);
	ATF_CHECK_EQ(errno, EMLINK);
	put(MNT "/p/file", 1, 0, 10);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/p", &st), 0);
	ATF_CHECK_EQ(st.st_nlink, 32000);
	ATF_REQUIRE_EQ(rump_sys_rmdir(MNT "/p/0"), 0);
	ATF_REQUIRE_EQ(rump_sys_rename(MNT "/y", MNT "/p/y"), 0);
	finish();
}

/* ------------------------------------------------------------------ */

/* Make a sparse file with a byte just below and above 2 and 4 GiB. */
static int
big_file(void)
{
	static const off_t offs[] = { 0x7fffffffLL, 0x80000000LL,
	    0xffffffffLL, 0x100000000LL };
	unsigned i;
	int fd;

	fd = rump_sys_open(MNT "/big", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	for (i = 0; i < 4; i++) {
		if (rump_sys_pwrite(fd, "x", 1, offs[i]) != 1) {
			int error = errno;

			rump_sys_close(fd);
			return error;
		}
	}
	rump_sys_close(fd);
	return 0;
}

ATF_TC(large_file_rev1);
ATF_TC_HEAD(large_file_rev1, tc)
{
	atf_tc_set_md_var(tc, "descr", "Revision 1 without large_file gets "
	    "it when a file passes 2 GiB and 4 GiB");
}
ATF_TC_BODY(large_file_rev1, tc)
{
	char out[8192];
	struct stat st;

	mkimg("-t ext2 -r 1 -b 4096 -O ^large_file", "16M");
	start();
	ATF_REQUIRE_EQ(big_file(), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/big", &st), 0);
	ATF_CHECK_EQ(st.st_size, 0x100000001LL);
	finish();
	debugfs(out, sizeof(out), "stat /big");
	ATF_CHECK_MSG(strstr(out, "Size: 4294967297") != NULL, "%s", out);
	img_run(out, sizeof(out), "dumpe2fs -h %s | grep -i features", IMG);
	ATF_CHECK_MSG(strstr(out, "large_file") != NULL, "%s", out);
}

ATF_TC(large_file_rev0);
ATF_TC_HEAD(large_file_rev0, tc)
{
	atf_tc_set_md_var(tc, "descr", "Revision 0 keeps files below 2 GiB: "
	    "EFBIG past it, a clean image");
}
ATF_TC_BODY(large_file_rev0, tc)
{
	struct stat st;

	mkimg("-t ext2 -r 0 -b 1024", "16M");
	start();
	/* The largest size is 2 GiB - 1. */
	ATF_CHECK_EQ(big_file(), EFBIG);
	put(MNT "/big", 1, 0x7ffffffeLL, 1);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/big", &st), 0);
	ATF_CHECK_EQ_MSG(st.st_size, 0x7fffffffLL, "size %lld",
	    (long long)st.st_size);
	ATF_CHECK_EQ(rump_sys_truncate(MNT "/big", 0x80000000LL), -1);
	ATF_CHECK_EQ(errno, EFBIG);
	finish();
}

/* ------------------------------------------------------------------ */

/* Set the modification time of path to sec and return stat's st_mtime. */
static time_t
mtime_roundtrip(const char *path, time_t sec)
{
	struct timespec ts[2];
	struct stat st;

	ts[0].tv_sec = ts[1].tv_sec = sec;
	ts[0].tv_nsec = ts[1].tv_nsec = 5000;
	ATF_REQUIRE_EQ(rump_sys_utimensat(AT_FDCWD, path, ts, 0), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(path, &st), 0);
	return st.st_mtime;
}

ATF_TC(times_wide);
ATF_TC_HEAD(times_wide, tc)
{
	atf_tc_set_md_var(tc, "descr", "Time stamps before 1970 and after "
	    "2038 on 256-byte inodes survive a remount; 128-byte inodes "
	    "clamp them");
}
ATF_TC_BODY(times_wide, tc)
{
	static const time_t when[] = { -1000000000LL, -2, 0x7fffffffLL,
	    0x80000000LL, 0x100000000LL, 0x37fffffffLL };
	struct stat st;
	char out[8192];
	unsigned i;

	mkimg("-t ext2 -I 256", "2M");
	start();
	put(MNT "/f", 1, 0, 10);
	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++)
		ATF_CHECK_EQ_MSG(mtime_roundtrip(MNT "/f", when[i]), when[i],
		    "time %lld", (long long)when[i]);
	finish();
	ATF_CHECK_EQ(debugfs(out, sizeof(out), "stat /f"), 0);
	img_mount(KEY, MNT, "ext2fs", 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/f", &st), 0);
	ATF_CHECK_EQ(st.st_mtime, when[5]);
	ATF_CHECK_EQ(st.st_mtim.tv_nsec, 5000);
	img_umount(MNT);

	/* 128-byte inodes store signed 32-bit seconds only. */
	mkimg_at("img2", "-t ext2 -I 128", "2M");
	img_register("/dk2", "img2");
	img_mount("/dk2", "/mnt2", "ext2fs", 0);
	put("/mnt2/f", 1, 0, 10);
	ATF_CHECK_EQ(mtime_roundtrip("/mnt2/f", -1000000000LL),
	    -1000000000LL);
	ATF_CHECK_EQ(mtime_roundtrip("/mnt2/f", 0x7fffffffLL), 0x7fffffffLL);
	ATF_CHECK_EQ(mtime_roundtrip("/mnt2/f", 0x100000000LL),
	    0x7fffffffLL);
	ATF_CHECK_EQ(mtime_roundtrip("/mnt2/f", -0x100000000LL),
	    -0x80000000LL);
	img_umount("/mnt2");
	img_fsck_clean("img2");
}

ATF_TC(owner_32bit);
ATF_TC_HEAD(owner_32bit, tc)
{
	atf_tc_set_md_var(tc, "descr", "Owner and group ids above 65535 "
	    "are kept in the high halves");
}
ATF_TC_BODY(owner_32bit, tc)
{
	struct stat st;
	char out[8192];

	mkimg("-t ext2", "2M");
	start();
	put(MNT "/f", 1, 0, 10);
	ATF_REQUIRE_EQ(rump_sys_chown(MNT "/f", 100000, 2000000000U), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/f", &st), 0);
	ATF_CHECK_EQ(st.st_uid, 100000);
	ATF_CHECK_EQ(st.st_gid, 2000000000U);
	finish();
	debugfs(out, sizeof(out), "stat /f");
	ATF_CHECK_MSG(strstr(out, "User: 100000") != NULL &&
	    strstr(out, "Group: 2000000000") != NULL, "%s", out);
}

/* ------------------------------------------------------------------ */

ATF_TC(fsync_visible);
ATF_TC_HEAD(fsync_visible, tc)
{
	atf_tc_set_md_var(tc, "descr", "After fsync, debugfs reads the data "
	    "from the image while it is still mounted");
}
ATF_TC_BODY(fsync_visible, tc)
{
	unsigned char buf[50000];
	size_t len;
	char *got;
	int fd;

	mkimg("-t ext2 -b 1024", "4M");
	start();
	img_fill(buf, sizeof(buf), 9, 0);
	fd = rump_sys_open(MNT "/s", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, buf, sizeof(buf)),
	    (ssize_t)sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_fsync(fd), 0);
	got = img_debugfs_cat(IMG, "s", &len);
	ATF_REQUIRE(got != NULL);
	ATF_CHECK_EQ(len, sizeof(buf));
	ATF_CHECK(len == sizeof(buf) && memcmp(got, buf, len) == 0);
	free(got);

	/* O_SYNC | O_APPEND: each write is on the image when it returns. */
	rump_sys_close(fd);
	put(MNT "/a", 1, 0, 0);
	rump_sys_sync();
	fd = rump_sys_open(MNT "/a", O_WRONLY | O_APPEND | O_SYNC);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, buf, 3000), 3000);
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, buf + 3000, 3000, 0), 3000);
	got = img_debugfs_cat(IMG, "a", &len);
	ATF_REQUIRE(got != NULL);
	ATF_CHECK_EQ_MSG(len, 6000, "debugfs read %zu bytes", len);
	ATF_CHECK(len == 6000 && memcmp(got, buf, len) == 0);
	free(got);
	rump_sys_close(fd);
	finish();
}

/* ------------------------------------------------------------------ */

ATF_TC(rename_over_open);
ATF_TC_HEAD(rename_over_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "A file replaced by rename while open "
	    "stays readable and is freed at its last close");
}
ATF_TC_BODY(rename_over_open, tc)
{
	struct statfs before, mid, after;
	unsigned char buf[100];
	int fd;

	mkimg("-t ext2 -b 1024", "4M");
	start();
	put(MNT "/new", 2, 0, 10);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &before), 0);
	put(MNT "/old", 3, 0, 200000);
	fd = rump_sys_open(MNT "/old", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_rename(MNT "/new", MNT "/old"), 0);
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, "yy", 2, 300000), 2);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 100, 1000), 100);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &mid), 0);
	ATF_CHECK(mid.f_bfree < before.f_bfree);
	/* Busy with an open removed file: a plain unmount must wait. */
	ATF_CHECK_EQ(rump_sys_umount(MNT), -1);
	ATF_CHECK_EQ(errno, EBUSY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &after), 0);
	/* The 10-byte file kept its block; the old one is gone. */
	ATF_CHECK_EQ(after.f_bfree, before.f_bfree);
	ATF_CHECK_EQ(after.f_ffree, before.f_ffree);
	finish();
}

/* ------------------------------------------------------------------ */

ATF_TC(mount_twice);
ATF_TC_HEAD(mount_twice, tc)
{
	atf_tc_set_md_var(tc, "descr", "The same device cannot be mounted "
	    "twice");
}
ATF_TC_BODY(mount_twice, tc)
{

	mkimg("-t ext2", "2M");
	start();
	ATF_CHECK_EQ(img_try_mount(KEY, "/mnt2", "ext2fs", 0), EBUSY);
	ATF_CHECK_EQ(img_try_mount(KEY, "/mnt2", "ext2fs", MS_RDONLY), EBUSY);
	put(MNT "/f", 1, 0, 100);
	finish();
}

/* ------------------------------------------------------------------ */

/* A workload of names, data and removal on the mounted image. */
static void
workload(void)
{
	char name[80];
	int i;

	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/w", 0755), 0);
	for (i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), MNT "/w/file_%d", i);
		put(name, (uint32_t)i, 0, (size_t)(i * 997) % 70000);
		if (i % 10 == 0) {
			snprintf(name, sizeof(name), MNT "/w/d%d", i);
			ATF_REQUIRE_EQ(rump_sys_mkdir(name, 0755), 0);
		}
	}
	for (i = 0; i < 150; i += 3) {
		snprintf(name, sizeof(name), MNT "/w/file_%d", i);
		ATF_REQUIRE_EQ(rump_sys_unlink(name), 0);
	}
	put(MNT "/big", 7, 0, 900000);
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/big", 30000), 0);
	ATF_REQUIRE_EQ(rump_sys_symlink("/w/file_1", MNT "/ln"), 0);
}

static void
layout_case(const char *opts, const char *size)
{
	char out[8192];

	mkimg(opts, size);
	start();
	workload();
	finish();
	ATF_CHECK_EQ(debugfs(out, sizeof(out), "ls -l /w"), 0);
	ATF_CHECK_MSG(strstr(out, "file_149") != NULL, "%s", out);
}

#define LAYOUT(name, opts, size, what)					\
ATF_TC(name);								\
ATF_TC_HEAD(name, tc)							\
{									\
	atf_tc_set_md_var(tc, "descr", "Writes on an image made with "	\
	    what " stay clean");					\
}									\
ATF_TC_BODY(name, tc)							\
{									\
	layout_case(opts, size);					\
}

LAYOUT(layout_nofiletype, "-t ext2 -b 1024 -O ^filetype", "8M",
    "-O ^filetype")
LAYOUT(layout_nosparse, "-t ext2 -b 1024 -O ^sparse_super,^resize_inode",
    "8M",
    "-O ^sparse_super")
LAYOUT(layout_sparse2, "-t ext2 -b 1024 -O sparse_super2", "8M",
    "-O sparse_super2")
LAYOUT(layout_metabg, "-t ext2 -b 1024 -O meta_bg,^resize_inode", "16M",
    "-O meta_bg")
LAYOUT(layout_small_groups, "-t ext2 -b 1024 -g 256", "8M",
    "-g 256 (many small groups)")
LAYOUT(layout_many_inodes, "-t ext2 -b 1024 -N 40000", "16M",
    "-N 40000")
LAYOUT(layout_one_group, "-t ext2 -b 4096", "12M",
    "4 KiB blocks, one group")
LAYOUT(layout_stride, "-t ext2 -b 4096 -E stride=16,stripe_width=64",
    "16M", "-E stride")
LAYOUT(layout_rev0_2k, "-t ext2 -r 0 -b 2048", "8M",
    "-r 0 -b 2048")

/* ------------------------------------------------------------------ */

ATF_TC(ext3_journal_clean);
ATF_TC_HEAD(ext3_journal_clean, tc)
{
	atf_tc_set_md_var(tc, "descr", "After a read-write mount of ext3, "
	    "debugfs logdump shows an empty journal");
}
ATF_TC_BODY(ext3_journal_clean, tc)
{
	char out[8192];

	mkimg("-t ext3 -b 1024", "8M");
	start();
	workload();
	finish();
	debugfs(out, sizeof(out), "logdump");
	ATF_CHECK_MSG(strstr(out, "Journal starts at block 0,") != NULL,
	    "%s", out);
	img_run(out, sizeof(out), "dumpe2fs -h %s | grep -i features", IMG);
	ATF_CHECK_MSG(strstr(out, "needs_recovery") == NULL, "%s", out);
}

/* ------------------------------------------------------------------ */

ATF_TC(fallocate_truncate);
ATF_TC_HEAD(fallocate_truncate, tc)
{
	atf_tc_set_md_var(tc, "descr", "Blocks reserved past the end by "
	    "fallocate are freed by truncate and unlink");
}
ATF_TC_BODY(fallocate_truncate, tc)
{
	struct statfs before, after;
	struct stat st;
	int fd;

	mkimg("-t ext2 -b 1024", "4M");
	start();
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &before), 0);
	fd = rump_sys_open(MNT "/f", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	ATF_REQUIRE_EQ(rump_sys_fallocate(fd, 0, 0, 500000), 0);
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	ATF_CHECK_EQ(st.st_size, 500000);
	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 100000), 0);
	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 1), 0);
	ATF_REQUIRE_EQ(rump_sys_fallocate(fd, 0, 2000, 300000), 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	img_umount(MNT);
	img_fsck_clean(IMG);
	img_mount(KEY, MNT, "ext2fs", 0);
	ATF_REQUIRE_EQ(rump_sys_unlink(MNT "/f"), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &after), 0);
	ATF_CHECK_EQ(after.f_bfree, before.f_bfree);
	finish();
}

/* ------------------------------------------------------------------ */

struct renamer {
	int	id;
	int	error;
};

static void *
renamer_main(void *arg)
{
	struct renamer *r = arg;
	char a[64], b[64], d[64];
	int i, fd;

	rump_pub_lwproc_newlwp(1);
	snprintf(d, sizeof(d), MNT "/d%d", r->id);
	for (i = 0; i < 300 && r->error == 0; i++) {
		snprintf(a, sizeof(a), MNT "/d%d/f%d", r->id % 2, i % 17);
		snprintf(b, sizeof(b), MNT "/d%d/g%d", (r->id + 1) % 2, i % 13);
		fd = rump_sys_open(a, O_WRONLY | O_CREAT, 0644);
		if (fd >= 0) {
			rump_sys_write(fd, a, (size_t)(i % 60));
			rump_sys_close(fd);
		}
		if (rump_sys_rename(a, b) == -1 && errno != ENOENT)
			r->error = errno;
		if (i % 5 == 0 && rump_sys_unlink(b) == -1 && errno != ENOENT)
			r->error = errno;
		if (i % 7 == 0) {
			snprintf(a, sizeof(a), MNT "/d%d/sub%d", r->id % 2,
			    i % 3);
			snprintf(b, sizeof(b), MNT "/d%d/sub%d",
			    (r->id + 1) % 2, i % 3);
			if (rump_sys_mkdir(a, 0755) == -1 && errno != EEXIST)
				r->error = errno;
			if (rump_sys_rename(a, b) == -1 && errno != ENOENT &&
			    errno != ENOTEMPTY && errno != EEXIST)
				r->error = errno;
		}
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(concurrent_renamers);
ATF_TC_HEAD(concurrent_renamers, tc)
{
	atf_tc_set_md_var(tc, "descr", "Four threads create, rename across "
	    "two directories and remove at once");
}
ATF_TC_BODY(concurrent_renamers, tc)
{
	struct renamer r[4];
	pthread_t th[4];
	int i;

	mkimg("-t ext2 -b 1024", "8M");
	start();
	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/d0", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir(MNT "/d1", 0755), 0);
	for (i = 0; i < 4; i++) {
		r[i].id = i;
		r[i].error = 0;
		ATF_REQUIRE_EQ(pthread_create(&th[i], NULL, renamer_main,
		    &r[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(pthread_join(th[i], NULL), 0);
		ATF_CHECK_EQ_MSG(r[i].error, 0, "thread %d: %s", i,
		    strerror(r[i].error));
	}
	finish();
}

ATF_TC(busy_unmount_remount);
ATF_TC_HEAD(busy_unmount_remount, tc)
{
	atf_tc_set_md_var(tc, "descr", "Unmount and remount read-only are "
	    "refused while a file is open for writing; MNT_FORCE works");
}
ATF_TC_BODY(busy_unmount_remount, tc)
{
	int fd;

	mkimg("-t ext2 -b 1024", "4M");
	start();
	put(MNT "/f", 1, 0, 5000);
	fd = rump_sys_open(MNT "/f", O_WRONLY | O_APPEND);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	ATF_CHECK_EQ(rump_sys_mount(KEY, MNT, "ext2fs",
	    MS_REMOUNT | MS_RDONLY, NULL), -1);
	ATF_CHECK_EQ(errno, EBUSY);
	ATF_CHECK_EQ(rump_sys_umount(MNT), -1);
	ATF_CHECK_EQ(errno, EBUSY);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "def", 3), 3);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	/* Read-only now: the image is clean while mounted. */
	ATF_REQUIRE_EQ(rump_sys_mount(KEY, MNT, "ext2fs",
	    MS_REMOUNT | MS_RDONLY, NULL), 0);
	img_fsck_clean(IMG);
	ATF_CHECK_EQ(rump_sys_open(MNT "/g", O_WRONLY | O_CREAT, 0644), -1);
	ATF_CHECK_EQ(errno, EROFS);
	ATF_REQUIRE_EQ(rump_sys_mount(KEY, MNT, "ext2fs", MS_REMOUNT, NULL),
	    0);
	fd = rump_sys_open(MNT "/g", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	ATF_REQUIRE_EQ(rump_sys_umount2(MNT, MNT_FORCE), 0);
	img_fsck_clean(IMG);
	(void)rump_sys_close(fd);
}

ATF_TC(sync_consistent);
ATF_TC_HEAD(sync_consistent, tc)
{
	atf_tc_set_md_var(tc, "descr", "After sync(2) the image of a mounted "
	    "file system passes e2fsck and debugfs reads the data");
}
ATF_TC_BODY(sync_consistent, tc)
{
	char out[8192];
	size_t len;
	char *got;

	mkimg("-t ext2 -b 1024", "8M");
	start();
	workload();
	rump_sys_sync();
	ATF_CHECK_EQ(img_run(out, sizeof(out), "e2fsck -fn %s", IMG), 0);
	ATF_CHECK_MSG(strstr(out, "Free blocks count wrong") == NULL &&
	    strstr(out, "Free inodes count wrong") == NULL, "%s", out);
	got = img_debugfs_cat(IMG, "w/file_100", &len);
	ATF_REQUIRE(got != NULL);
	ATF_CHECK_EQ(len, (size_t)(100 * 997) % 70000);
	free(got);
	finish();
}

/*
 * The bitmap of group 0 marks its inode table free.  Allocating must
 * reject those blocks (an error and a log line) and never write over the
 * inode table.
 */
ATF_TC(bitmap_frees_metadata);
ATF_TC_HEAD(bitmap_frees_metadata, tc)
{
	atf_tc_set_md_var(tc, "descr", "A block bitmap that marks the inode "
	    "table free gives errors, not a file over the inodes");
}
ATF_TC_BODY(bitmap_frees_metadata, tc)
{
	char out[8192];
	long long itab;
	unsigned i;
	int fd, err = 0;

	mkimg("-t ext2 -b 1024 -N 512 -O ^resize_inode", "2M");
	IMG_RUN_OK("dumpe2fs %s 2>/dev/null | grep -m1 'Inode table at' | "
	    "sed 's/.*at \\([0-9]*\\).*/\\1/' > itab", IMG);
	fd = open("itab", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	memset(out, 0, sizeof(out));
	ATF_REQUIRE(read(fd, out, sizeof(out) - 1) > 0);
	close(fd);
	itab = atoll(out);
	ATF_REQUIRE(itab > 2);
	/* Mark the first 20 blocks of the inode table free. */
	for (i = 0; i < 20; i++)
		IMG_RUN_OK("debugfs -w -R 'freeb %lld' %s", itab + i, IMG);
	/* lost+found (inode 11) sits in the table and stays untouched. */
	IMG_RUN_OK("debugfs -R 'stat <11>' %s > before", IMG);
	start();
	for (i = 0; i < 30; i++) {
		char name[32];

		snprintf(name, sizeof(name), MNT "/f%u", i);
		fd = rump_sys_open(name, O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (rump_sys_write(fd, out, 1024) != 1024)
			err = errno;
		rump_sys_close(fd);
	}
	ATF_CHECK_EQ_MSG(err, EUCLEAN, "%s", strerror(err));
	(void)rump_sys_umount2(MNT, MNT_FORCE);
	IMG_RUN_OK("debugfs -R 'stat <11>' %s > after", IMG);
	IMG_RUN_OK("cmp before after");
}

/*
 * A disk with two partitions, an ext2 file system in each, the first
 * one claiming more blocks than its partition contains.  That one must
 * not mount, because it would write into the second.  The second takes
 * writes and the first partition's bytes stay as they were.
 */
ATF_TC(partitions);
ATF_TC_HEAD(partitions, tc)
{
	atf_tc_set_md_var(tc, "descr", "File systems in partitions stay "
	    "inside them");
}
ATF_TC_BODY(partitions, tc)
{
	img_require_e2fsprogs();
	IMG_RUN_OK("command -v sfdisk || exit 0");
	if (img_run(NULL, 0, "command -v sfdisk") != 0)
		atf_tc_skip("sfdisk is missing");
	IMG_RUN_OK("truncate -s 12M disk && printf 'label: dos\\n"
	    "start=2048, size=8192, type=83\\nstart=10240, size=12288, "
	    "type=83\\n' | sfdisk -q disk");
	/* 5 MiB of file system in a 4 MiB partition; 6 MiB in the second. */
	IMG_RUN_OK("mke2fs -q -F -t ext2 -b 1024 -E offset=1048576 disk 5M");
	IMG_RUN_OK("mke2fs -q -F -t ext2 -b 1024 -E offset=5242880 disk 6M");
	IMG_RUN_OK("dd if=disk of=p1 bs=1M skip=1 count=4 status=none");
	img_boot();
	img_register("/dk", "disk");
	ATF_CHECK(img_try_mount("/dk1", MNT, "ext2fs", 0) != 0);
	img_mount("/dk2", "/mnt2", "ext2fs", 0);
	put("/mnt2/f", 1, 0, 3000000);
	img_umount("/mnt2");
	IMG_RUN_OK("dd if=disk of=p2 bs=1M skip=5 count=6 status=none");
	IMG_RUN_OK("dd if=disk bs=1M skip=1 count=4 status=none | cmp - p1");
	img_fsck_clean("p2");
}

/*
 * A write into a hole of a sparse file that needs new indirect blocks
 * when no block is left: ENOSPC, and the image stays clean.
 */
ATF_TC(enospc_in_hole);
ATF_TC_HEAD(enospc_in_hole, tc)
{
	atf_tc_set_md_var(tc, "descr", "Running out of blocks while filling "
	    "holes that need indirect blocks leaves a clean image");
}
ATF_TC_BODY(enospc_in_hole, tc)
{
	unsigned char buf[65536];
	off_t off;
	int fd, i;

	mkimg("-t ext2 -b 1024 -m 0", "2M");
	start();
	fd = rump_sys_open(MNT "/sparse", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 200LL << 20), 0);
	img_fill(buf, sizeof(buf), 4, 0);
	/* Leave only a few blocks: less than a run needs. */
	put(MNT "/fill", 2, 0, 1 << 20);
	for (i = 0; i < 2000; i++) {
		if (rump_sys_write(fd, buf, 1024) == -1)
			break;
	}
	/* Scattered writes, each needing a new indirect block or two. */
	for (i = 0, off = 70LL << 20; i < 40; i++, off += 3LL << 20) {
		if (rump_sys_pwrite(fd, buf, sizeof(buf), off) == -1)
			ATF_CHECK_EQ(errno, ENOSPC);
	}
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	finish();
	img_mount(KEY, MNT, "ext2fs", 0);
	ATF_REQUIRE_EQ(rump_sys_unlink(MNT "/fill"), 0);
	fd = rump_sys_open(MNT "/sparse", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	for (i = 0, off = 70LL << 20; i < 40; i++, off += 3LL << 20)
		ATF_CHECK(rump_sys_pwrite(fd, buf, 3000, off + 1000) == 3000);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	finish();
}

struct sharer {
	int	id;
	int	error;
};

/* Thread of shared_file: write and truncate, or read, one file. */
static void *
sharer_main(void *arg)
{
	struct sharer *sh = arg;
	unsigned char buf[5000];
	int fd, i;

	rump_pub_lwproc_newlwp(1);
	fd = rump_sys_open(MNT "/shared", O_RDWR);
	if (fd < 0) {
		sh->error = errno;
		goto out;
	}
	for (i = 0; i < 400 && sh->error == 0; i++) {
		off_t off = (off_t)((i * 7919 + sh->id * 104729) % 300000);

		switch (sh->id) {
		case 0:
			img_fill(buf, sizeof(buf), 8, off);
			if (rump_sys_pwrite(fd, buf, sizeof(buf), off) == -1)
				sh->error = errno;
			break;
		case 1:
			if (i % 10 == 0 && rump_sys_ftruncate(fd, off) == -1)
				sh->error = errno;
			else if (rump_sys_fsync(fd) == -1)
				sh->error = errno;
			break;
		default:
			if (rump_sys_pread(fd, buf, sizeof(buf), off) == -1)
				sh->error = errno;
			break;
		}
	}
	rump_sys_close(fd);
out:
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(shared_file);
ATF_TC_HEAD(shared_file, tc)
{
	atf_tc_set_md_var(tc, "descr", "Threads write, truncate, fsync and "
	    "read one file at once");
}
ATF_TC_BODY(shared_file, tc)
{
	struct sharer sh[4];
	pthread_t th[4];
	int i;

	mkimg("-t ext2 -b 1024", "4M");
	start();
	put(MNT "/shared", 1, 0, 1);
	for (i = 0; i < 4; i++) {
		sh[i].id = i;
		sh[i].error = 0;
		ATF_REQUIRE_EQ(pthread_create(&th[i], NULL, sharer_main,
		    &sh[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(pthread_join(th[i], NULL), 0);
		ATF_CHECK_EQ_MSG(sh[i].error, 0, "thread %d: %s", i,
		    strerror(sh[i].error));
	}
	finish();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, truncate_boundaries_1k);
	ATF_TP_ADD_TC(tp, enospc_namespace);
	ATF_TP_ADD_TC(tp, inode_exhaustion);
	ATF_TP_ADD_TC(tp, link_max);
	ATF_TP_ADD_TC(tp, subdir_max);
	ATF_TP_ADD_TC(tp, busy_unmount_remount);
	ATF_TP_ADD_TC(tp, sync_consistent);
	ATF_TP_ADD_TC(tp, bitmap_frees_metadata);
	ATF_TP_ADD_TC(tp, partitions);
	ATF_TP_ADD_TC(tp, enospc_in_hole);
	ATF_TP_ADD_TC(tp, shared_file);
	ATF_TP_ADD_TC(tp, large_file_rev1);
	ATF_TP_ADD_TC(tp, large_file_rev0);
	ATF_TP_ADD_TC(tp, times_wide);
	ATF_TP_ADD_TC(tp, owner_32bit);
	ATF_TP_ADD_TC(tp, fsync_visible);
	ATF_TP_ADD_TC(tp, rename_over_open);
	ATF_TP_ADD_TC(tp, mount_twice);
	ATF_TP_ADD_TC(tp, layout_nofiletype);
	ATF_TP_ADD_TC(tp, layout_nosparse);
	ATF_TP_ADD_TC(tp, layout_sparse2);
	ATF_TP_ADD_TC(tp, layout_metabg);
	ATF_TP_ADD_TC(tp, layout_small_groups);
	ATF_TP_ADD_TC(tp, layout_many_inodes);
	ATF_TP_ADD_TC(tp, layout_one_group);
	ATF_TP_ADD_TC(tp, layout_stride);
	ATF_TP_ADD_TC(tp, layout_rev0_2k);
	ATF_TP_ADD_TC(tp, ext3_journal_clean);
	ATF_TP_ADD_TC(tp, fallocate_truncate);
	ATF_TP_ADD_TC(tp, concurrent_renamers);
	return atf_no_error();
}
