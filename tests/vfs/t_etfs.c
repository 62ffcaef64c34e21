/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * etfs: host files registered in the kernel's namespace as regular
 * files, block and character devices and directories.  What the kernel
 * reads and writes is compared with what the host sees in the same file
 * through the C library.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/fs.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "h_hostimg.h"

#define IMG		"img"
#define IMGSIZE		(1024 * 1024)

/* Byte i of the host image. */
static unsigned char
pattern(off_t i)
{

	return (unsigned char)((i * 7 + (i >> 9)) & 0xff);
}

static void
register_ok(const char *key, const char *hostpath, enum rump_etfs_type type,
    uint64_t begin, uint64_t size)
{
	int error;

	error = rump_pub_etfs_register_withsize(key, hostpath, type, begin,
	    size);
	ATF_REQUIRE_EQ_MSG(error, 0, "register %s: %s", key, strerror(error));
}

static struct stat
stat_ok(const char *path)
{
	struct stat st;

	ATF_REQUIRE_EQ_MSG(rump_sys_stat(path, &st), 0, "stat %s: %s", path,
	    strerror(errno));
	return st;
}

/* True when name is an entry of the rump directory dir. */
static bool
listed(const char *dir, const char *name)
{
	char buf[8192];
	struct dirent64 *d;
	ssize_t n, off;
	bool found = false;
	int fd;

	fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", dir, strerror(errno));
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			if (strcmp(d->d_name, name) == 0)
				found = true;
		}
	}
	ATF_REQUIRE_MSG(n == 0, "getdents64 %s: %s", dir, strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	return found;
}

/* Reads through fd at several offsets must match the host at base + off. */
static void
check_reads(int fd, off_t base, off_t size)
{
	static const struct {
		off_t	off;
		size_t	len;
	} reads[] = {
		{ 0, 512 }, { 1, 100 }, { 1000, 3000 }, { 4095, 2 },
		{ 65536 - 7, 70000 },
	};
	unsigned char got[70000], want[70000];
	size_t i, len;
	ssize_t n;

	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		if (reads[i].off >= size)
			continue;
		len = reads[i].len;
		if (reads[i].off + (off_t)len > size)
			len = size - reads[i].off;
		n = rump_sys_pread(fd, got, reads[i].len, reads[i].off);
		ATF_CHECK_EQ_MSG(n, (ssize_t)len, "pread %zu at %lld: %zd (%s)",
		    reads[i].len, (long long)reads[i].off, n,
		    n < 0 ? strerror(errno) : "ok");
		if (n != (ssize_t)len)
			continue;
		himg_pread(IMG, want, len, base + reads[i].off);
		ATF_CHECK_MSG(memcmp(got, want, len) == 0, "bytes at %lld "
		    "differ from the host's", (long long)reads[i].off);
	}
	ATF_CHECK_EQ(rump_sys_pread(fd, got, 10, size), 0);
}

/* A write through fd at off must reach the host at base + off. */
static void
check_write(int fd, off_t base, off_t off, const char *data)
{
	size_t len = strlen(data);
	char want[64];

	ATF_REQUIRE(len < sizeof(want));
	ATF_CHECK_EQ_MSG(rump_sys_pwrite(fd, data, len, off), (ssize_t)len,
	    "pwrite at %lld: %s", (long long)off, strerror(errno));
	himg_pread(IMG, want, len, base + off);
	ATF_CHECK_MSG(memcmp(want, data, len) == 0, "the host does not see "
	    "the write at %lld", (long long)off);
}

ATF_TC(reg_file);
ATF_TC_HEAD(reg_file, tc)
{
	atf_tc_set_md_var(tc, "descr", "a REG key reads and writes the host "
	    "file's bytes and is not listed in its directory");
}
ATF_TC_BODY(reg_file, tc)
{
	struct stat st;
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	himg_boot();
	register_ok("/reg", IMG, RUMP_ETFS_REG, 0, RUMP_ETFS_SIZE_ENDOFF);
	st = stat_ok("/reg");
	ATF_CHECK(S_ISREG(st.st_mode));
	ATF_CHECK_EQ(st.st_size, IMGSIZE);
	ATF_CHECK(!listed("/", "reg"));

	fd = rump_sys_open("/reg", O_RDWR);
	ATF_REQUIRE_MSG(fd >= 0, "open: %s", strerror(errno));
	check_reads(fd, 0, IMGSIZE);
	check_write(fd, 0, 12345, "written by the kernel");
	check_write(fd, 0, IMGSIZE - 3, "end");
	/* The host file grows with a window up to its end. */
	check_write(fd, 0, IMGSIZE, "more");
	ATF_CHECK_EQ(stat_ok("/reg").st_size, IMGSIZE + 4);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(reg_window);
ATF_TC_HEAD(reg_window, tc)
{
	atf_tc_set_md_var(tc, "descr", "register_withsize shows only the "
	    "window [begin, begin + size) of the host file");
}
ATF_TC_BODY(reg_window, tc)
{
	const off_t begin = 4096 + 17, size = 8192;
	unsigned char before[4], after[4];
	struct stat st;
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	himg_boot();
	register_ok("/win", IMG, RUMP_ETFS_REG, begin, size);
	st = stat_ok("/win");
	ATF_CHECK_EQ(st.st_size, size);

	fd = rump_sys_open("/win", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	check_reads(fd, begin, size);
	check_write(fd, begin, 0, "start");
	himg_pread(IMG, before, 4, begin - 4);
	ATF_CHECK(before[3] == pattern(begin - 1));

	/* A write across the end is cut; one at the end is ENOSPC. */
	ATF_CHECK_EQ(rump_sys_pwrite(fd, "abcd", 4, size - 2), 2);
	himg_pread(IMG, after, 4, begin + size - 2);
	ATF_CHECK(memcmp(after, "ab", 2) == 0);
	ATF_CHECK(after[2] == pattern(begin + size));
	errno = 0;
	ATF_CHECK_EQ(rump_sys_pwrite(fd, "x", 1, size), -1);
	ATF_CHECK_EQ(errno, ENOSPC);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	/* Up to the end of the host file from begin. */
	register_ok("/tail", IMG, RUMP_ETFS_REG, 1000, RUMP_ETFS_SIZE_ENDOFF);
	ATF_CHECK_EQ(stat_ok("/tail").st_size, IMGSIZE - 1000);
	fd = rump_sys_open("/tail", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	check_reads(fd, 1000, IMGSIZE - 1000);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(blk_device);
ATF_TC_HEAD(blk_device, tc)
{
	atf_tc_set_md_var(tc, "descr", "a BLK key is a block device whose "
	    "reads and writes at any offset reach the host file");
}
ATF_TC_BODY(blk_device, tc)
{
	uint64_t size;
	struct stat st;
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	himg_boot();
	register_ok("/dev/img", IMG, RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF);
	st = stat_ok("/dev/img");
	ATF_CHECK(S_ISBLK(st.st_mode));
	ATF_CHECK(major(st.st_rdev) != 0);
	ATF_CHECK(!listed("/dev", "img"));

	fd = rump_sys_open("/dev/img", O_RDWR);
	ATF_REQUIRE_MSG(fd >= 0, "open: %s", strerror(errno));
	ATF_REQUIRE_EQ_MSG(rump_sys_ioctl(fd, BLKGETSIZE64, &size), 0,
	    "BLKGETSIZE64: %s", strerror(errno));
	ATF_CHECK_EQ(size, IMGSIZE);
	check_reads(fd, 0, IMGSIZE);
	check_write(fd, 0, 512, "aligned");
	check_write(fd, 0, 777, "not aligned, across nothing");
	check_write(fd, 0, 1020, "across a block boundary");
	check_write(fd, 0, IMGSIZE - 5, "end!!");
	/* The writes kept the bytes around them. */
	check_reads(fd, 0, IMGSIZE);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_pwrite(fd, "x", 1, IMGSIZE), -1);
	ATF_CHECK_EQ(errno, ENOSPC);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	/* A window: 10 blocks from block 3. */
	register_ok("/dev/part", IMG, RUMP_ETFS_BLK, 3 * 512, 10 * 512);
	fd = rump_sys_open("/dev/part", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(fd, BLKGETSIZE64, &size), 0);
	ATF_CHECK_EQ(size, 10 * 512);
	check_reads(fd, 3 * 512, 10 * 512);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	/* A block device cannot reach past its host file. */
	ATF_CHECK_EQ(rump_pub_etfs_register_withsize("/dev/big", IMG,
	    RUMP_ETFS_BLK, 0, 2 * IMGSIZE), EINVAL);
}

ATF_TC(chr_device);
ATF_TC_HEAD(chr_device, tc)
{
	atf_tc_set_md_var(tc, "descr", "a CHR key is a character device "
	    "that reads and writes the host file");
}
ATF_TC_BODY(chr_device, tc)
{
	struct stat st;
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	himg_boot();
	register_ok("/dev/chr", IMG, RUMP_ETFS_CHR, 512, 4096);
	st = stat_ok("/dev/chr");
	ATF_CHECK(S_ISCHR(st.st_mode));
	fd = rump_sys_open("/dev/chr", O_RDWR);
	ATF_REQUIRE_MSG(fd >= 0, "open: %s", strerror(errno));
	check_reads(fd, 512, 4096);
	check_write(fd, 512, 100, "through the character device");
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(remove_rules);
ATF_TC_HEAD(remove_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "remove fails with EBUSY while the "
	    "key is open and ENOENT for an unknown key; unlink cannot remove "
	    "a key");
}
ATF_TC_BODY(remove_rules, tc)
{
	struct stat st;
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	himg_boot();
	register_ok("/k", IMG, RUMP_ETFS_REG, 0, RUMP_ETFS_SIZE_ENDOFF);
	fd = rump_sys_open("/k", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/k"), EBUSY);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_unlink("/k"), -1);
	ATF_CHECK_EQ(errno, EBUSY);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/k"), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_stat("/k", &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/k"), ENOENT);
	/* The name is free again. */
	register_ok("/k", IMG, RUMP_ETFS_REG, 0, RUMP_ETFS_SIZE_ENDOFF);

	/* Devices count their opens too. */
	register_ok("/b", IMG, RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF);
	fd = rump_sys_open("/b", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/b"), EBUSY);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/b"), 0);

	/* Leading slashes collapse: "//k" is the key "/k". */
	ATF_CHECK_EQ(rump_pub_etfs_remove("//k"), 0);
}

ATF_TC(key_paths);
ATF_TC_HEAD(key_paths, tc)
{
	atf_tc_set_md_var(tc, "descr", "missing directories of a key are "
	    "made unlisted and go with the key; bad keys are rejected");
}
ATF_TC_BODY(key_paths, tc)
{
	struct stat st;
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	himg_boot();
	register_ok("/x/y/z", IMG, RUMP_ETFS_REG, 0, RUMP_ETFS_SIZE_ENDOFF);
	ATF_CHECK(S_ISDIR(stat_ok("/x/y").st_mode));
	ATF_CHECK_EQ(stat_ok("/x/y/z").st_size, IMGSIZE);
	ATF_CHECK(!listed("/", "x"));
	ATF_CHECK(!listed("/x", "y"));
	ATF_CHECK(!listed("/x/y", "z"));
	ATF_CHECK_EQ(rump_pub_etfs_register("/x/y/z", IMG, RUMP_ETFS_REG),
	    EEXIST);
	/* A key's directory cannot be removed while it contains the key. */
	errno = 0;
	ATF_CHECK_EQ(rump_sys_rmdir("/x/y"), -1);
	ATF_CHECK(errno == ENOTEMPTY || errno == EBUSY);

	ATF_CHECK_EQ(rump_pub_etfs_remove("/x/y/z"), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_stat("/x", &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);

	/* A directory that got other files stays. */
	register_ok("/keep/k", IMG, RUMP_ETFS_REG, 0, RUMP_ETFS_SIZE_ENDOFF);
	fd = rump_sys_open("/keep/mine", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/keep/k"), 0);
	ATF_CHECK(S_ISREG(stat_ok("/keep/mine").st_mode));

	/* A key in an existing directory leaves the directory alone. */
	ATF_REQUIRE_EQ(rump_sys_mkdir("/d", 0755), 0);
	register_ok("/d/k", IMG, RUMP_ETFS_REG, 0, RUMP_ETFS_SIZE_ENDOFF);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/d/k"), 0);
	ATF_CHECK(S_ISDIR(stat_ok("/d").st_mode));
	ATF_CHECK(listed("/", "d"));

	ATF_CHECK_EQ(rump_pub_etfs_register("rel", IMG, RUMP_ETFS_REG),
	    EINVAL);
	ATF_CHECK_EQ(rump_pub_etfs_register("/", IMG, RUMP_ETFS_REG), EINVAL);
	ATF_CHECK_EQ(rump_pub_etfs_register("/a//b", IMG, RUMP_ETFS_REG),
	    EINVAL);
	ATF_CHECK_EQ(rump_pub_etfs_register("/a/./b", IMG, RUMP_ETFS_REG),
	    EINVAL);
	ATF_CHECK_EQ(rump_pub_etfs_register("/a/../b", IMG, RUMP_ETFS_REG),
	    EINVAL);
	ATF_CHECK_EQ(rump_pub_etfs_register("/a/", IMG, RUMP_ETFS_REG),
	    EINVAL);
	ATF_CHECK_EQ(rump_pub_etfs_register("/missing", "no-such-host-file",
	    RUMP_ETFS_REG), ENOENT);
	ATF_CHECK_EQ(rump_pub_etfs_register("/notdir", IMG, RUMP_ETFS_DIR),
	    ENOTDIR);
	ATF_CHECK_EQ(rump_pub_etfs_register("/isdir", ".", RUMP_ETFS_REG),
	    EISDIR);
	ATF_CHECK_EQ(rump_pub_etfs_register("/dev/null", IMG, RUMP_ETFS_REG),
	    EEXIST);
	ATF_CHECK_EQ(rump_pub_etfs_register("/dev/null/k", IMG,
	    RUMP_ETFS_REG), ENOTDIR);
	ATF_CHECK_EQ(rump_pub_etfs_register_withsize("/late", IMG,
	    RUMP_ETFS_REG, IMGSIZE + 1, RUMP_ETFS_SIZE_ENDOFF), EINVAL);
}

/* Host tree: hd/a (3 bytes), hd/b (empty), hd/s/c (5 bytes). */
static void
make_host_tree(void)
{
	int fd;

	ATF_REQUIRE_EQ(mkdir("hd", 0755), 0);
	ATF_REQUIRE_EQ(mkdir("hd/s", 0755), 0);
	fd = open("hd/a", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(write(fd, "aaa", 3), 3);
	ATF_REQUIRE_EQ(close(fd), 0);
	fd = open("hd/b", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(close(fd), 0);
	fd = open("hd/s/c", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(write(fd, "ccccc", 5), 5);
	ATF_REQUIRE_EQ(close(fd), 0);
}

ATF_TC(dir_keys);
ATF_TC_HEAD(dir_keys, tc)
{
	atf_tc_set_md_var(tc, "descr", "DIR shows a host directory's files, "
	    "DIR_SUBDIRS its whole tree; listings show what was looked up");
}
ATF_TC_BODY(dir_keys, tc)
{
	struct stat st;
	char buf[16];
	int fd;

	make_host_tree();
	himg_boot();
	register_ok("/hd", "hd", RUMP_ETFS_DIR, 0, RUMP_ETFS_SIZE_ENDOFF);
	register_ok("/tree", "hd", RUMP_ETFS_DIR_SUBDIRS, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
	ATF_CHECK(S_ISDIR(stat_ok("/hd").st_mode));
	ATF_CHECK(!listed("/", "hd"));

	st = stat_ok("/hd/a");
	ATF_CHECK(S_ISREG(st.st_mode));
	ATF_CHECK_EQ(st.st_size, 3);
	fd = rump_sys_open("/hd/a", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	ATF_CHECK(memcmp(buf, "aaa", 3) == 0);
	/* Open below the key: the key is busy. */
	ATF_CHECK_EQ(rump_pub_etfs_remove("/hd"), EBUSY);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(stat_ok("/hd/b").st_size, 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_stat("/hd/s", &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_stat("/hd/nothing", &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK(listed("/hd", "a"));
	ATF_CHECK(listed("/hd", "b"));
	ATF_CHECK(!listed("/hd", "s"));

	ATF_CHECK(S_ISDIR(stat_ok("/tree/s").st_mode));
	st = stat_ok("/tree/s/c");
	ATF_CHECK_EQ(st.st_size, 5);
	fd = rump_sys_open("/tree/s/c", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 5);
	ATF_CHECK(memcmp(buf, "ccccc", 5) == 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK(listed("/tree", "s"));
	ATF_CHECK(listed("/tree/s", "c"));
	ATF_CHECK_EQ(stat_ok("/tree/s/..").st_ino, stat_ok("/tree").st_ino);

	/* The host's namespace cannot be changed through the key. */
	errno = 0;
	ATF_CHECK_EQ(rump_sys_mkdir("/hd/new", 0755), -1);
	ATF_CHECK_EQ(errno, EOPNOTSUPP);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_unlink("/hd/a"), -1);
	ATF_CHECK_EQ(errno, EOPNOTSUPP);

	ATF_CHECK_EQ(rump_pub_etfs_remove("/hd"), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_stat("/hd/a", &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/tree"), 0);
}

ATF_TC(boot_registration);
ATF_TC_HEAD(boot_registration, tc)
{
	atf_tc_set_md_var(tc, "descr", "keys registered before rump_init "
	    "exist when it returns; the calls fail with ENXIO before boot");
}
ATF_TC_BODY(boot_registration, tc)
{
	struct rump_boot_etfs good = {
		.eb_key = "/boot/img",
		.eb_hostpath = IMG,
		.eb_type = RUMP_ETFS_REG,
		.eb_begin = 0,
		.eb_size = RUMP_ETFS_SIZE_ENDOFF,
	};
	struct rump_boot_etfs bad = {
		.eb_key = "/boot/none",
		.eb_hostpath = "no-such-host-file",
		.eb_type = RUMP_ETFS_REG,
		.eb_begin = 0,
		.eb_size = RUMP_ETFS_SIZE_ENDOFF,
	};

	himg_make(IMG, IMGSIZE, pattern);
	ATF_CHECK_EQ(rump_pub_etfs_register("/early", IMG, RUMP_ETFS_REG),
	    ENXIO);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/early"), ENXIO);
	rump_boot_etfs_register(&good);
	rump_boot_etfs_register(&bad);
	ATF_CHECK_EQ(good.eb_status, -1);
	himg_boot();
	ATF_CHECK_EQ(good.eb_status, 0);
	ATF_CHECK_EQ(bad.eb_status, ENOENT);
	ATF_CHECK_EQ(stat_ok("/boot/img").st_size, IMGSIZE);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/boot/img"), 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, reg_file);
	ATF_TP_ADD_TC(tp, reg_window);
	ATF_TP_ADD_TC(tp, blk_device);
	ATF_TP_ADD_TC(tp, chr_device);
	ATF_TP_ADD_TC(tp, remove_rules);
	ATF_TP_ADD_TC(tp, key_paths);
	ATF_TP_ADD_TC(tp, dir_keys);
	ATF_TP_ADD_TC(tp, boot_registration);
	return atf_no_error();
}
