/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs core: mounting images that mke2fs made (revisions 0 and 1, block
 * sizes 1, 2 and 4 KiB, ext3, ext4) and statfs against dumpe2fs.  File
 * data: large sequential files, sparse files past 4 GiB, truncation and
 * fallocate.  Unlinked open files, a full file system, feature checks and
 * remounting.  After every change the image must pass `e2fsck -fn` and
 * debugfs must read the same data back.
 *
 * Each case makes its images with mke2fs in its work directory, hands
 * them to the kernel with etfs as block devices and mounts them on /mnt.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

#include "h_fsimage.h"

#define KEY		"/dk"
#define MNT		"/mnt"
#define IMG		"img"
#define EXT2_MAGIC	0xef53
#define ST_VALID	0x0020

/* Superblock fields that the feature tests patch (byte offsets). */
#define SB_OFFSET		1024
#define SB_FEATURE_COMPAT	0x5c
#define SB_FEATURE_INCOMPAT	0x60
#define SB_FEATURE_RO_COMPAT	0x64
#define SB_OVERHEAD_BLOCKS	0x248
#define SB_CHECKSUM		0x3fc
#define INCOMPAT_RECOVER	0x0004
#define RO_COMPAT_METADATA_CSUM	0x0400

/* ------------------------------------------------------------------ */
/* Host side: commands and images. */

static void
mkimg(const char *img, const char *opts, const char *size)
{
	char out[4096];
	int st;

	st = img_run(out, sizeof(out), "mke2fs -q -F %s '%s' %s", opts, img,
	    size);
	ATF_REQUIRE_MSG(st == 0, "mke2fs %s %s %s failed (%d): %s", opts, img,
	    size, st, out);
}

/* `e2fsck -fn img` must exit 0. */
static void
fsck_clean(const char *img)
{
	char out[8192];
	int st;

	st = img_run(out, sizeof(out), "e2fsck -fn '%s'", img);
	ATF_CHECK_MSG(st == 0, "e2fsck -fn %s exited %d:\n%s", img, st, out);
}

/* The number after "field:" in `dumpe2fs -h img`; -1 when missing. */
static long long
dumpe2fs_field(const char *img, const char *field)
{
	char out[16384], *p;
	size_t flen = strlen(field);

	if (img_run(out, sizeof(out), "dumpe2fs -h '%s'", img) != 0)
		return -1;
	for (p = out; p != NULL; p = strchr(p + 1, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, field, flen) == 0 && p[flen] == ':')
			return strtoll(p + flen + 1, NULL, 0);
	}
	return -1;
}

/* `debugfs -R "cat path"`: the file as debugfs reads it, malloc'ed. */
static char *
debugfs_cat(const char *img, const char *path, size_t *lenp)
{
	char cmd[1024];
	size_t len = 0, cap = 1 << 20, n;
	char *buf;
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'cat %s' '%s' 2>/dev/null",
	    path, img);
	fp = popen(cmd, "r");
	ATF_REQUIRE(fp != NULL);
	buf = malloc(cap);
	ATF_REQUIRE(buf != NULL);
	while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ATF_REQUIRE(buf != NULL);
		}
	}
	ATF_REQUIRE_EQ(pclose(fp), 0);
	*lenp = len;
	return buf;
}

/* Byte off of the test pattern of file seed. */
static unsigned char
pattern(unsigned seed, uint64_t off)
{

	return (unsigned char)((off * 31 + (off >> 12) * 7 + seed * 101) &
	    0xff);
}

static void
fill(unsigned seed, uint64_t off, unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(seed, off + i);
}

/* debugfs must see len bytes of pattern seed (zeros where zero is set). */
static void
debugfs_check(const char *img, const char *path, unsigned seed, size_t len)
{
	unsigned char *want;
	size_t got;
	char *buf;

	buf = debugfs_cat(img, path, &got);
	ATF_CHECK_EQ_MSG(got, len, "debugfs cat %s: %zu bytes, expected %zu",
	    path, got, len);
	want = malloc(len + 1);
	ATF_REQUIRE(want != NULL);
	fill(seed, 0, want, len);
	ATF_CHECK_MSG(got == len && memcmp(buf, want, len) == 0,
	    "debugfs cat %s: content differs", path);
	free(want);
	free(buf);
}

/* Read a 32-bit field of the primary superblock of img. */
static uint32_t
sb_read32(const char *img, off_t field)
{
	uint32_t v;
	int fd;

	fd = open(img, O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pread(fd, &v, 4, SB_OFFSET + field), 4);
	close(fd);
	return v;
}

/* CRC-32C as ext4 keeps it: from ~0, without the final inversion. */
static uint32_t
crc32c_raw(uint32_t crc, const unsigned char *p, size_t len)
{
	int k;

	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78U & -(crc & 1));
	}
	return crc;
}

/* Write a 32-bit field, updating the checksum with metadata_csum. */
static void
sb_write32(const char *img, off_t field, uint32_t v)
{
	unsigned char sb[1024];
	uint32_t csum;
	int fd;

	fd = open(img, O_RDWR);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pread(fd, sb, sizeof(sb), SB_OFFSET), sizeof(sb));
	memcpy(sb + field, &v, 4);
	memcpy(&v, sb + SB_FEATURE_RO_COMPAT, 4);
	if (v & RO_COMPAT_METADATA_CSUM) {
		csum = crc32c_raw(~0U, sb, SB_CHECKSUM);
		memcpy(sb + SB_CHECKSUM, &csum, 4);
	}
	ATF_REQUIRE_EQ(pwrite(fd, sb, sizeof(sb), SB_OFFSET), sizeof(sb));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Kernel side. */

static void
boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
	if (rump_sys_mkdir(MNT, 0755) == -1)
		ATF_REQUIRE_EQ(errno, EEXIST);
}

static void
attach(const char *key, const char *img)
{
	int error;

	error = rump_pub_etfs_register(key, img, RUMP_ETFS_BLK);
	ATF_REQUIRE_EQ_MSG(error, 0, "etfs %s: %s", img, strerror(error));
}

/* Mount key on MNT: 0 or the errno. */
static int
try_mount(const char *key, const char *type, unsigned long flags,
    const char *opts)
{

	if (rump_sys_mount(key, MNT, type, flags, opts) == -1)
		return errno;
	return 0;
}

static void
mount_ok(const char *key, unsigned long flags, const char *opts)
{
	int error;

	error = try_mount(key, "ext2", flags, opts);
	ATF_REQUIRE_EQ_MSG(error, 0, "mount %s: %s", key, strerror(error));
}

static void
umount_ok(void)
{

	ATF_REQUIRE_EQ_MSG(rump_sys_umount2(MNT, 0), 0, "umount: %s",
	    strerror(errno));
}

/* Write len bytes of pattern seed at off of path (created as needed). */
static void
write_pattern(const char *path, unsigned seed, uint64_t off, size_t len)
{
	unsigned char *buf;
	size_t chunk = 1 << 20, n, done;
	ssize_t w;
	int fd;

	fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	buf = malloc(chunk);
	ATF_REQUIRE(buf != NULL);
	for (done = 0; done < len; done += n) {
		n = len - done < chunk ? len - done : chunk;
		fill(seed, off + done, buf, n);
		w = rump_sys_pwrite(fd, buf, n, (off_t)(off + done));
		ATF_REQUIRE_EQ_MSG(w, (ssize_t)n, "pwrite %s at %llu: %s",
		    path, (unsigned long long)(off + done), strerror(errno));
	}
	free(buf);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
}

/* The len bytes at off of path must be pattern seed (zeros: seed ~0U). */
static void
check_pattern(const char *path, unsigned seed, uint64_t off, size_t len)
{
	unsigned char *buf, *want;
	size_t chunk = 1 << 20, n, done;
	ssize_t r;
	int fd;

	fd = rump_sys_open(path, O_RDONLY);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	buf = malloc(chunk);
	want = malloc(chunk);
	ATF_REQUIRE(buf != NULL && want != NULL);
	for (done = 0; done < len; done += n) {
		n = len - done < chunk ? len - done : chunk;
		if (seed == ~0U)
			memset(want, 0, n);
		else
			fill(seed, off + done, want, n);
		r = rump_sys_pread(fd, buf, n, (off_t)(off + done));
		ATF_REQUIRE_EQ_MSG(r, (ssize_t)n, "pread %s at %llu: %zd (%s)",
		    path, (unsigned long long)(off + done), r, strerror(errno));
		ATF_REQUIRE_MSG(memcmp(buf, want, n) == 0, "%s: data differs "
		    "in %zu bytes at %llu", path, n,
		    (unsigned long long)(off + done));
	}
	free(buf);
	free(want);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */

/* Mount read-write, write a file, unmount: clean and readable by debugfs. */
static void
rw_roundtrip(const char *opts, const char *size)
{

	mkimg(IMG, opts, size);
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	write_pattern(MNT "/f", 1, 0, 100000);
	check_pattern(MNT "/f", 1, 0, 100000);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/f", 1, 100000);
	ATF_CHECK_EQ(dumpe2fs_field(IMG, "Mount count"), 1);

	/* And once more, on what we wrote. */
	mount_ok(KEY, 0, NULL);
	check_pattern(MNT "/f", 1, 0, 100000);
	write_pattern(MNT "/f", 1, 100000, 5000);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/f", 1, 105000);
}

ATF_TC(mount_rev0);
ATF_TC_HEAD(mount_rev0, tc)
{
	atf_tc_set_md_var(tc, "descr", "Revision 0 image, 1 KiB blocks");
}
ATF_TC_BODY(mount_rev0, tc)
{

	rw_roundtrip("-t ext2 -r 0 -b 1024", "4M");
}

ATF_TC(mount_rev1_1k);
ATF_TC_HEAD(mount_rev1_1k, tc)
{
	atf_tc_set_md_var(tc, "descr", "Revision 1 image, 1 KiB blocks, "
	    "128-byte inodes");
}
ATF_TC_BODY(mount_rev1_1k, tc)
{

	rw_roundtrip("-t ext2 -r 1 -b 1024 -I 128", "8M");
}

ATF_TC(mount_2k);
ATF_TC_HEAD(mount_2k, tc)
{
	atf_tc_set_md_var(tc, "descr", "2 KiB blocks, 256-byte inodes");
}
ATF_TC_BODY(mount_2k, tc)
{

	rw_roundtrip("-t ext2 -b 2048 -I 256", "16M");
}

ATF_TC(mount_4k);
ATF_TC_HEAD(mount_4k, tc)
{
	atf_tc_set_md_var(tc, "descr", "4 KiB blocks, without dir_index, "
	    "several groups");
}
ATF_TC_BODY(mount_4k, tc)
{

	rw_roundtrip("-t ext2 -b 4096 -O ^dir_index -g 8192", "64M");
}

ATF_TC(mount_meta_bg);
ATF_TC_HEAD(mount_meta_bg, tc)
{
	atf_tc_set_md_var(tc, "descr", "meta_bg descriptor layout");
}
ATF_TC_BODY(mount_meta_bg, tc)
{

	rw_roundtrip("-t ext2 -b 1024 -O meta_bg,^resize_inode", "40M");
}

ATF_TC(statfs_dumpe2fs);
ATF_TC_HEAD(statfs_dumpe2fs, tc)
{
	atf_tc_set_md_var(tc, "descr", "statfs agrees with dumpe2fs -h, also "
	    "when the superblock does not record the overhead");
}
ATF_TC_BODY(statfs_dumpe2fs, tc)
{
	static const char *const opts[] = {
		"-t ext2 -b 1024", "-t ext2 -b 4096 -g 4096", "-t ext2 -r 0",
		"-t ext3 -b 1024", "-t ext2 -b 1024 -O meta_bg,^resize_inode",
		"-t ext4 -b 4096",
	};
	long long blocks, freeb, resb, inodes, freei, bsize, overhead, resv;
	struct statfs sf;
	char img[32], key[16];
	size_t i;
	int pass;

	boot();
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(img, sizeof(img), "img%zu", i);
		snprintf(key, sizeof(key), "/dk%zu", i);
		mkimg(img, opts[i], "24M");
		attach(key, img);

		blocks = dumpe2fs_field(img, "Block count");
		freeb = dumpe2fs_field(img, "Free blocks");
		resb = dumpe2fs_field(img, "Reserved block count");
		inodes = dumpe2fs_field(img, "Inode count");
		freei = dumpe2fs_field(img, "Free inodes");
		bsize = dumpe2fs_field(img, "Block size");
		/* mke2fs records the overhead that Linux leaves out. */
		overhead = dumpe2fs_field(img, "Overhead clusters");
		ATF_REQUIRE_MSG(overhead > 0, "%s: no overhead recorded",
		    opts[i]);
		/* Linux keeps 2%, at most 4096, more with extents. */
		resv = strstr(opts[i], "ext4") != NULL ?
		    (blocks / 50 < 4096 ? blocks / 50 : 4096) : 0;

		/* Then without the recorded overhead: it is computed. */
		for (pass = 0; pass < 2; pass++) {
			if (pass == 1)
				sb_write32(img, SB_OVERHEAD_BLOCKS, 0);
			mount_ok(key, MS_RDONLY, NULL);
			ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
			umount_ok();

			ATF_CHECK_EQ(sf.f_type, EXT2_MAGIC);
			ATF_CHECK_EQ(sf.f_bsize, bsize);
			ATF_CHECK_EQ_MSG((long long)sf.f_blocks,
			    blocks - overhead, "%s, pass %d: f_blocks %llu, "
			    "expected %lld", opts[i], pass,
			    (unsigned long long)sf.f_blocks, blocks - overhead);
			ATF_CHECK_EQ((long long)sf.f_bfree, freeb);
			ATF_CHECK_EQ((long long)sf.f_bavail, freeb - resb - resv);
			ATF_CHECK_EQ((long long)sf.f_files, inodes);
			ATF_CHECK_EQ((long long)sf.f_ffree, freei);
			ATF_CHECK_EQ(sf.f_namelen, 255);
			ATF_CHECK((sf.f_flags & ST_RDONLY) != 0);
		}
	}
}

ATF_TC(big_sequential);
ATF_TC_HEAD(big_sequential, tc)
{
	atf_tc_set_md_var(tc, "descr", "256 MiB written, fsync'ed and read "
	    "back after a remount; throughput printed");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(big_sequential, tc)
{
	const size_t total = 256 << 20, chunk = 1 << 20;
	unsigned char *buf;
	double t0, tw, tr;
	size_t done;
	int fd;

	mkimg(IMG, "-t ext2 -b 4096", "300M");
	buf = malloc(chunk);
	ATF_REQUIRE(buf != NULL);
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);

	/* Only the system calls count, not making the pattern. */
	fd = rump_sys_open(MNT "/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd >= 0);
	tw = 0;
	for (done = 0; done < total; done += chunk) {
		fill(7, done, buf, chunk);
		t0 = now_seconds();
		ATF_REQUIRE_EQ(rump_sys_write(fd, buf, chunk), (ssize_t)chunk);
		tw += now_seconds() - t0;
	}
	t0 = now_seconds();
	ATF_REQUIRE_EQ(rump_sys_fsync(fd), 0);
	tw += now_seconds() - t0;
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	umount_ok();

	mount_ok(KEY, 0, NULL);
	fd = rump_sys_open(MNT "/big", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	t0 = now_seconds();
	for (done = 0; done < total; done += chunk)
		ATF_REQUIRE_EQ(rump_sys_read(fd, buf, chunk), (ssize_t)chunk);
	tr = now_seconds() - t0;
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	check_pattern(MNT "/big", 7, 0, total);
	umount_ok();
	printf("256 MiB: write+fsync %.0f MiB/s, read after remount "
	    "%.0f MiB/s (image %s)\n", 256 / tw, 256 / tr, IMG);

	fsck_clean(IMG);
	debugfs_check(IMG, "/big", 7, total);
	free(buf);
}

/*
 * Write a sparse file with data at 0, around 4 GiB and past it.  Holes
 * must read as zeros and SEEK_DATA/SEEK_HOLE must find them.  debugfs
 * must map the same file blocks to the same data.
 */
static void
sparse_case(const char *opts, uint64_t bsize)
{
	const uint64_t offs[] = {
		0, (1ULL << 32) - 3000, (5ULL << 30) + 12345,
	};
	const size_t len = 70000;
	struct stat st;
	char out[256];
	off_t pos;
	size_t i;
	int fd;

	mkimg(IMG, opts, "16M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	for (i = 0; i < 3; i++)
		write_pattern(MNT "/sparse", 3, offs[i], len);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/sparse", &st), 0);
	ATF_CHECK_EQ((uint64_t)st.st_size, offs[2] + len);
	/* Data blocks plus a few indirect blocks, far below the size. */
	ATF_CHECK((uint64_t)st.st_blocks * 512 < 3 * (len + 2 * bsize) +
	    16 * bsize);
	ATF_CHECK(st.st_blocks > 0);

	for (i = 0; i < 3; i++)
		check_pattern(MNT "/sparse", 3, offs[i], len);
	check_pattern(MNT "/sparse", ~0U, offs[0] + len + bsize, 100000);
	check_pattern(MNT "/sparse", ~0U, (3ULL << 30), 4096);

	fd = rump_sys_open(MNT "/sparse", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	pos = rump_sys_lseek(fd, (off_t)(offs[0] + len + bsize), SEEK_DATA);
	ATF_CHECK_EQ_MSG((uint64_t)pos, offs[1] / bsize * bsize,
	    "SEEK_DATA: %lld", (long long)pos);
	pos = rump_sys_lseek(fd, (off_t)offs[1], SEEK_HOLE);
	ATF_CHECK_EQ_MSG((uint64_t)pos, (offs[1] + len + bsize - 1) / bsize *
	    bsize, "SEEK_HOLE: %lld", (long long)pos);
	pos = rump_sys_lseek(fd, (off_t)offs[2] + 1, SEEK_HOLE);
	ATF_CHECK_EQ((uint64_t)pos, offs[2] + len);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	umount_ok();
	fsck_clean(IMG);

	/* debugfs finds the data at the same file blocks. */
	for (i = 0; i < 3; i++) {
		unsigned char blk[4096], want[4096];
		uint64_t lbn = (offs[i] + bsize) / bsize;
		long long pbn;
		int hfd;

		ATF_REQUIRE_EQ(img_run(out, sizeof(out),
		    "debugfs -R 'bmap /sparse %llu' %s 2>/dev/null",
		    (unsigned long long)lbn, IMG), 0);
		pbn = strtoll(out, NULL, 10);
		ATF_REQUIRE_MSG(pbn > 0, "debugfs bmap: %s", out);
		hfd = open(IMG, O_RDONLY);
		ATF_REQUIRE(hfd >= 0);
		ATF_REQUIRE_EQ(pread(hfd, blk, bsize, pbn * bsize),
		    (ssize_t)bsize);
		close(hfd);
		fill(3, lbn * bsize, want, bsize);
		ATF_CHECK_MSG(memcmp(blk, want, bsize) == 0,
		    "block %llu differs", (unsigned long long)lbn);
	}
	ATF_CHECK_EQ(dumpe2fs_field(IMG, "Filesystem revision #"), 1);

	/* Cutting into the double and triple indirect ranges, then all. */
	mount_ok(KEY, 0, NULL);
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/sparse", (off_t)offs[2] +
	    1000), 0);
	check_pattern(MNT "/sparse", 3, offs[2], 1000);
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/sparse", (off_t)offs[1] +
	    500), 0);
	check_pattern(MNT "/sparse", 3, offs[1], 500);
	check_pattern(MNT "/sparse", 3, offs[0], len);
	umount_ok();
	fsck_clean(IMG);
	mount_ok(KEY, 0, NULL);
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/sparse", 0), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/sparse", &st), 0);
	ATF_CHECK_EQ(st.st_blocks, 0);
	umount_ok();
	fsck_clean(IMG);
}

ATF_TC(sparse_4g_1k);
ATF_TC_HEAD(sparse_4g_1k, tc)
{
	atf_tc_set_md_var(tc, "descr", "Sparse file past 4 GiB, 1 KiB "
	    "blocks (triple indirect)");
}
ATF_TC_BODY(sparse_4g_1k, tc)
{

	sparse_case("-t ext2 -b 1024", 1024);
}

ATF_TC(sparse_4g_4k);
ATF_TC_HEAD(sparse_4g_4k, tc)
{
	atf_tc_set_md_var(tc, "descr", "Sparse file past 4 GiB, 4 KiB "
	    "blocks, large_file set on the way");
}
ATF_TC_BODY(sparse_4g_4k, tc)
{

	sparse_case("-t ext2 -b 4096 -O ^large_file", 4096);
	ATF_CHECK_EQ(img_run(NULL, 0,
	    "dumpe2fs -h %s 2>/dev/null | grep -q large_file", IMG), 0);
}

ATF_TC(rev0_limit);
ATF_TC_HEAD(rev0_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "Revision 0: no file past 2 GiB");
}
ATF_TC_BODY(rev0_limit, tc)
{
	char c = 'x';
	int fd;

	mkimg(IMG, "-t ext2 -r 0", "4M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	fd = rump_sys_open(MNT "/f", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_pwrite(fd, &c, 1, 0x7ffffffe), 1);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_pwrite(fd, &c, 1, 0x7fffffff), -1);
	ATF_CHECK_EQ(errno, EFBIG);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	umount_ok();
	fsck_clean(IMG);
}

ATF_TC(truncate_down_up);
ATF_TC_HEAD(truncate_down_up, tc)
{
	atf_tc_set_md_var(tc, "descr", "Truncating frees blocks and zeroes "
	    "the tail; growing again reads zeros");
}
ATF_TC_BODY(truncate_down_up, tc)
{
	const size_t len = 3 << 20;
	struct statfs before, after;
	struct stat st;

	mkimg(IMG, "-t ext2 -b 1024", "16M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &before), 0);
	write_pattern(MNT "/t", 5, 0, len);

	/* Down into the middle of a block, of an indirect range. */
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/t", 300000 + 77), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/t", &st), 0);
	ATF_CHECK_EQ(st.st_size, 300077);
	check_pattern(MNT "/t", 5, 0, 300077);

	/* Up again: the old bytes must not come back. */
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/t", 2 << 20), 0);
	check_pattern(MNT "/t", 5, 0, 300077);
	check_pattern(MNT "/t", ~0U, 300077, (2 << 20) - 300077);

	/* To 0: every block is back. */
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/t", 0), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/t", &st), 0);
	ATF_CHECK_EQ(st.st_blocks, 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &after), 0);
	ATF_CHECK_EQ(after.f_bfree, before.f_bfree);

	write_pattern(MNT "/t", 6, 0, 5000);
	ATF_REQUIRE_EQ(rump_sys_truncate(MNT "/t", 2000), 0);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/t", 6, 2000);
}

ATF_TC(fallocate_modes);
ATF_TC_HEAD(fallocate_modes, tc)
{
	atf_tc_set_md_var(tc, "descr", "fallocate allocates zeroed blocks, "
	    "with and without FALLOC_FL_KEEP_SIZE");
}
ATF_TC_BODY(fallocate_modes, tc)
{
	struct stat st;
	int fd;

	mkimg(IMG, "-t ext2 -b 4096", "16M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	fd = rump_sys_open(MNT "/fa", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_fallocate(fd, 0, 0, 1 << 20), 0);
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	ATF_CHECK_EQ(st.st_size, 1 << 20);
	/* The data and one indirect block. */
	ATF_CHECK_EQ(st.st_blocks, (1 << 20) / 512 + 4096 / 512);
	/* A hole inside the size is filled with FALLOC_FL_KEEP_SIZE. */
	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 2 << 20), 0);
	ATF_REQUIRE_EQ(rump_sys_fallocate(fd, FALLOC_FL_KEEP_SIZE, 1 << 20,
	    1 << 20), 0);
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	ATF_CHECK_EQ(st.st_size, 2 << 20);
	ATF_CHECK_EQ(st.st_blocks, (2 << 20) / 512 + 4096 / 512);
	/* Past the size a block map cannot keep blocks. */
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fallocate(fd, FALLOC_FL_KEEP_SIZE, 3 << 20,
	    4096), -1);
	ATF_CHECK_EQ(errno, EOPNOTSUPP);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	check_pattern(MNT "/fa", ~0U, 0, 2 << 20);
	umount_ok();
	fsck_clean(IMG);
}

ATF_TC(unlinked_open);
ATF_TC_HEAD(unlinked_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "A removed file stays readable while "
	    "open and is freed at the last close");
}
ATF_TC_BODY(unlinked_open, tc)
{
	struct statfs before, during, after;
	unsigned char buf[4096], want[4096];
	int fd;

	mkimg(IMG, "-t ext2 -b 1024", "8M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &before), 0);
	write_pattern(MNT "/u", 9, 0, 1 << 20);
	fd = rump_sys_open(MNT "/u", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_unlink(MNT "/u"), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &during), 0);
	ATF_CHECK(during.f_bfree < before.f_bfree);
	ATF_CHECK_EQ(during.f_ffree, before.f_ffree - 1);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 500000),
	    (ssize_t)sizeof(buf));
	fill(9, 500000, want, sizeof(want));
	ATF_CHECK(memcmp(buf, want, sizeof(buf)) == 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &after), 0);
	ATF_CHECK_EQ(after.f_bfree, before.f_bfree);
	ATF_CHECK_EQ(after.f_ffree, before.f_ffree);
	umount_ok();
	fsck_clean(IMG);
}

ATF_TC(xattr_block_freed);
ATF_TC_HEAD(xattr_block_freed, tc)
{
	atf_tc_set_md_var(tc, "descr", "Removing a file frees its extended "
	    "attribute block");
}
ATF_TC_BODY(xattr_block_freed, tc)
{
	struct statfs before, after;
	int fd;

	mkimg(IMG, "-t ext2 -b 1024 -I 128", "8M");
	fd = open("hello", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(write(fd, "hello\n", 6), 6);
	close(fd);
	ATF_REQUIRE_EQ(img_run(NULL, 0,
	    "debugfs -w -R 'write hello f' %s", IMG), 0);
	ATF_REQUIRE_EQ(img_run(NULL, 0,
	    "debugfs -w -R 'ea_set /f user.test v' %s", IMG), 0);
	ATF_REQUIRE(dumpe2fs_field(IMG, "Free blocks") > 0);

	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &before), 0);
	ATF_REQUIRE_EQ(rump_sys_unlink(MNT "/f"), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &after), 0);
	/* The data block and the attribute block. */
	ATF_CHECK_EQ(after.f_bfree, before.f_bfree + 2);
	umount_ok();
	fsck_clean(IMG);
}

ATF_TC(forced_unmount_unlinked);
ATF_TC_HEAD(forced_unmount_unlinked, tc)
{
	atf_tc_set_md_var(tc, "descr", "A forced unmount frees a removed file "
	    "that is still open");
}
ATF_TC_BODY(forced_unmount_unlinked, tc)
{
	int fd;

	mkimg(IMG, "-t ext2 -b 1024", "8M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	write_pattern(MNT "/u", 9, 0, 300000);
	fd = rump_sys_open(MNT "/u", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_unlink(MNT "/u"), 0);
	ATF_REQUIRE_EQ(rump_sys_umount2(MNT, MNT_FORCE), 0);
	fsck_clean(IMG);
	(void)rump_sys_close(fd);
}

/* One writer thread of the concurrency case. */
struct writer {
	char		path[32];
	unsigned	seed;
	int		error;
};

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	unsigned char buf[8192], back[8192];
	int fd, i;

	rump_pub_lwproc_newlwp(1);
	fd = rump_sys_open(w->path, O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		w->error = errno;
		return NULL;
	}
	for (i = 0; i < 200 && w->error == 0; i++) {
		fill(w->seed, (uint64_t)i * sizeof(buf), buf, sizeof(buf));
		if (rump_sys_write(fd, buf, sizeof(buf)) != sizeof(buf))
			w->error = errno;
		else if (rump_sys_pread(fd, back, sizeof(back),
		    (off_t)i * sizeof(buf)) != sizeof(back) ||
		    memcmp(buf, back, sizeof(buf)) != 0)
			w->error = EIO;
		if (i % 50 == 49 && rump_sys_ftruncate(fd,
		    (off_t)(i + 1) * sizeof(buf)) != 0)
			w->error = errno;
	}
	rump_sys_close(fd);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(concurrent_writers);
ATF_TC_HEAD(concurrent_writers, tc)
{
	atf_tc_set_md_var(tc, "descr", "Four threads write, read and truncate "
	    "their own files at once");
}
ATF_TC_BODY(concurrent_writers, tc)
{
	struct writer w[4];
	pthread_t th[4];
	char path[40];
	int i;

	mkimg(IMG, "-t ext2 -b 1024", "32M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	for (i = 0; i < 4; i++) {
		snprintf(w[i].path, sizeof(w[i].path), MNT "/w%d", i);
		w[i].seed = 20 + (unsigned)i;
		w[i].error = 0;
		ATF_REQUIRE_EQ(pthread_create(&th[i], NULL, writer_main, &w[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(pthread_join(th[i], NULL), 0);
		ATF_CHECK_EQ_MSG(w[i].error, 0, "%s: %s", w[i].path,
		    strerror(w[i].error));
	}
	umount_ok();
	fsck_clean(IMG);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/w%d", i);
		debugfs_check(IMG, path, 20 + (unsigned)i, 200 * 8192);
	}
}

ATF_TC(enospc_full);
ATF_TC_HEAD(enospc_full, tc)
{
	atf_tc_set_md_var(tc, "descr", "Filling the file system ends in "
	    "ENOSPC and leaves it clean");
}
ATF_TC_BODY(enospc_full, tc)
{
	unsigned char buf[65536];
	struct statfs sf;
	ssize_t w;
	off_t off = 0;
	int fd, i;

	mkimg(IMG, "-t ext2 -b 1024", "4M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	fd = rump_sys_open(MNT "/full", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	for (i = 0; i < 1000; i++) {
		fill(11, (uint64_t)off, buf, sizeof(buf));
		w = rump_sys_write(fd, buf, sizeof(buf));
		if (w == -1)
			break;
		off += w;
	}
	ATF_CHECK_EQ_MSG(errno, ENOSPC, "write ended with %s",
	    strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
	ATF_CHECK_EQ(sf.f_bfree, 0);
	check_pattern(MNT "/full", 11, 0, (size_t)off);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/full", 11, (size_t)off);
	ATF_CHECK_EQ(dumpe2fs_field(IMG, "Free blocks"), 0);
}

ATF_TC(ext3_rw);
ATF_TC_HEAD(ext3_rw, tc)
{
	atf_tc_set_md_var(tc, "descr", "ext3 without recovery mounts "
	    "read-write; the journal stays valid");
}
ATF_TC_BODY(ext3_rw, tc)
{
	char before[4096], after[4096];

	mkimg(IMG, "-t ext3 -b 1024", "16M");
	ATF_REQUIRE_EQ(img_run(before, sizeof(before),
	    "debugfs -R 'logdump' %s", IMG), 0);
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	write_pattern(MNT "/j", 4, 0, 200000);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/j", 4, 200000);
	ATF_REQUIRE_EQ(img_run(after, sizeof(after),
	    "debugfs -R 'logdump' %s", IMG), 0);
	ATF_CHECK_STREQ(before, after);
}

ATF_TC(ext3_recover);
ATF_TC_HEAD(ext3_recover, tc)
{
	atf_tc_set_md_var(tc, "descr", "ext3 whose journal needs recovery: "
	    "read-write refused, read-only allowed");
}
ATF_TC_BODY(ext3_recover, tc)
{

	mkimg(IMG, "-t ext3 -b 1024", "16M");
	sb_write32(IMG, SB_FEATURE_INCOMPAT,
	    sb_read32(IMG, SB_FEATURE_INCOMPAT) | INCOMPAT_RECOVER);
	boot();
	attach(KEY, IMG);
	ATF_CHECK_EQ(try_mount(KEY, "ext3", 0, NULL), EROFS);
	ATF_REQUIRE_EQ(try_mount(KEY, "ext3", MS_RDONLY, NULL), 0);
	/* Remounting read-write is refused too. */
	ATF_CHECK_EQ(try_mount(NULL, NULL, MS_REMOUNT, NULL), EROFS);
	umount_ok();
}

/* Files for the ext4 image: sizes around block and extent boundaries. */
static const size_t ext4_sizes[] = {
	0, 1, 4095, 4096, 4097, 70000, (1 << 20) + 3, 3 << 20,
};

ATF_TC(ext4_readonly);
ATF_TC_HEAD(ext4_readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "ext4 (extents, flex_bg, 64bit, "
	    "metadata_csum) mounts read-only and reads back");
}
ATF_TC_BODY(ext4_readonly, tc)
{
	char path[64], hpath[64];
	unsigned char *buf;
	struct statfs sf;
	struct stat st;
	size_t i;
	int fd;

	ATF_REQUIRE_EQ(mkdir("tree", 0755), 0);
	ATF_REQUIRE_EQ(mkdir("tree/sub", 0755), 0);
	buf = malloc(3 << 20);
	ATF_REQUIRE(buf != NULL);
	for (i = 0; i < sizeof(ext4_sizes) / sizeof(ext4_sizes[0]); i++) {
		snprintf(hpath, sizeof(hpath), "tree/%sf%zu", i % 2 ? "sub/" :
		    "", i);
		fill((unsigned)i, 0, buf, ext4_sizes[i]);
		fd = open(hpath, O_WRONLY | O_CREAT, 0644);
		ATF_REQUIRE(fd >= 0);
		ATF_REQUIRE_EQ(write(fd, buf, ext4_sizes[i]),
		    (ssize_t)ext4_sizes[i]);
		close(fd);
	}
	/* A sparse one: data, a hole, data. */
	fd = open("tree/sparse", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	fill(50, 0, buf, 8192);
	ATF_REQUIRE_EQ(pwrite(fd, buf, 8192, 0), 8192);
	fill(50, 1 << 20, buf, 8192);
	ATF_REQUIRE_EQ(pwrite(fd, buf, 8192, 1 << 20), 8192);
	close(fd);
	/* Twenty islands of data: more extents than the inode holds. */
	fd = open("tree/islands", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	for (i = 0; i < 20; i++) {
		fill(60, i * 65536, buf, 4096);
		ATF_REQUIRE_EQ(pwrite(fd, buf, 4096, (off_t)i * 65536), 4096);
	}
	close(fd);
	mkimg(IMG, "-t ext4 -d tree", "32M");
	/* The tree has an index level (depth 1). */
	ATF_REQUIRE_EQ(img_run(NULL, 0,
	    "debugfs -R 'ex /islands' %s 2>/dev/null | grep -q '^ 0/ 1 '", IMG),
	    0);

	boot();
	attach(KEY, IMG);
	ATF_REQUIRE_EQ(try_mount(KEY, "ext4", 0, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
	ATF_CHECK(sf.f_flags & ST_RDONLY);
	for (i = 0; i < sizeof(ext4_sizes) / sizeof(ext4_sizes[0]); i++) {
		snprintf(path, sizeof(path), MNT "/%sf%zu", i % 2 ? "sub/" :
		    "", i);
		ATF_REQUIRE_EQ_MSG(rump_sys_stat(path, &st), 0, "stat %s: %s",
		    path, strerror(errno));
		ATF_CHECK_EQ((size_t)st.st_size, ext4_sizes[i]);
		check_pattern(path, (unsigned)i, 0, ext4_sizes[i]);
	}
	check_pattern(MNT "/sparse", 50, 0, 8192);
	check_pattern(MNT "/sparse", ~0U, 8192, (1 << 20) - 8192);
	check_pattern(MNT "/sparse", 50, 1 << 20, 8192);
	for (i = 0; i < 20; i++) {
		check_pattern(MNT "/islands", 60, i * 65536, 4096);
		if (i < 19)
			check_pattern(MNT "/islands", ~0U, i * 65536 + 4096,
			    65536 - 4096);
	}

	errno = 0;
	ATF_CHECK_EQ(rump_sys_open(MNT "/new", O_WRONLY | O_CREAT, 0644), -1);
	ATF_CHECK_EQ(errno, EROFS);
	ATF_CHECK_EQ(try_mount(NULL, NULL, MS_REMOUNT, NULL), EROFS);
	umount_ok();
	fsck_clean(IMG);
	free(buf);
}

ATF_TC(unknown_incompat);
ATF_TC_HEAD(unknown_incompat, tc)
{
	atf_tc_set_md_var(tc, "descr", "An unknown incompat feature refuses "
	    "the mount, also with metadata_csum; unknown ro_compat forces "
	    "read-only");
}
ATF_TC_BODY(unknown_incompat, tc)
{
	struct statfs sf;

	mkimg("img2", "-t ext2", "8M");
	mkimg("img4", "-t ext4", "8M");
	mkimg("imgro", "-t ext2", "8M");
	sb_write32("img2", SB_FEATURE_INCOMPAT,
	    sb_read32("img2", SB_FEATURE_INCOMPAT) | 0x40000000);
	sb_write32("img4", SB_FEATURE_INCOMPAT,
	    sb_read32("img4", SB_FEATURE_INCOMPAT) | 0x40000000);
	sb_write32("imgro", SB_FEATURE_RO_COMPAT,
	    sb_read32("imgro", SB_FEATURE_RO_COMPAT) | 0x40000000);

	boot();
	attach("/dk2", "img2");
	attach("/dk4", "img4");
	attach("/dkro", "imgro");
	ATF_CHECK_EQ(try_mount("/dk2", "ext2", MS_RDONLY, NULL), EINVAL);
	ATF_CHECK_EQ(try_mount("/dk4", "ext4", MS_RDONLY, NULL), EINVAL);
	ATF_REQUIRE_EQ(try_mount("/dkro", "ext2", 0, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
	ATF_CHECK(sf.f_flags & ST_RDONLY);
	umount_ok();

	/* A damaged checksum is caught too. */
	sb_write32("img4", SB_FEATURE_INCOMPAT,
	    sb_read32("img4", SB_FEATURE_INCOMPAT) & ~0x40000000U);
	ATF_CHECK_EQ(try_mount("/dk4", "ext4", MS_RDONLY, NULL), 0);
	if (rump_sys_umount2(MNT, 0) != 0)
		atf_tc_fail("umount: %s", strerror(errno));
	{
		uint32_t v = sb_read32("img4", 0x20);	/* blocks per group */
		int hfd = open("img4", O_RDWR);

		ATF_REQUIRE(hfd >= 0);
		v ^= 0x100;
		ATF_REQUIRE_EQ(pwrite(hfd, &v, 4, SB_OFFSET + 0x20), 4);
		close(hfd);
	}
	ATF_CHECK_EQ(try_mount("/dk4", "ext4", MS_RDONLY, NULL), EUCLEAN);
}

ATF_TC(mount_options);
ATF_TC_HEAD(mount_options, tc)
{
	atf_tc_set_md_var(tc, "descr", "ro, rw, noatime and sync work; "
	    "other options are EINVAL; all type names work");
}
ATF_TC_BODY(mount_options, tc)
{
	static const char *const types[] = { "ext2fs", "ext2", "ext3",
	    "ext4" };
	struct statfs sf;
	struct stat st1, st2;
	char buf[10];
	size_t i;
	int fd;

	mkimg(IMG, "-t ext2 -b 1024", "8M");
	boot();
	attach(KEY, IMG);
	for (i = 0; i < 4; i++) {
		ATF_CHECK_EQ_MSG(try_mount(KEY, types[i], MS_RDONLY, NULL), 0,
		    "type %s", types[i]);
		umount_ok();
	}
	ATF_CHECK_EQ(try_mount(KEY, "ext2", 0, "nosuchoption"), EINVAL);
	ATF_CHECK_EQ(try_mount(KEY, "ext2", 0, "data=journal"), EINVAL);

	ATF_REQUIRE_EQ(try_mount(KEY, "ext2", 0, "ro"), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
	ATF_CHECK(sf.f_flags & ST_RDONLY);
	umount_ok();

	ATF_REQUIRE_EQ(try_mount(KEY, "ext2", 0, "rw,noatime,sync"), 0);
	write_pattern(MNT "/a", 2, 0, 10);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/a", &st1), 0);
	sleep(1);
	fd = rump_sys_open(MNT "/a", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 10);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/a", &st2), 0);
	ATF_CHECK_EQ(st1.st_atime, st2.st_atime);
	umount_ok();

	/* Without noatime a read after a write sets atime (relatime). */
	ATF_REQUIRE_EQ(try_mount(KEY, "ext2", 0, NULL), 0);
	sleep(1);
	fd = rump_sys_open(MNT "/a", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 10);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(MNT "/a", &st2), 0);
	ATF_CHECK(st2.st_atime > st1.st_atime);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/a", 2, 10);
}

ATF_TC(remount_ro_rw);
ATF_TC_HEAD(remount_ro_rw, tc)
{
	atf_tc_set_md_var(tc, "descr", "Remounting read-only writes a clean "
	    "image; back to read-write allows writes again");
}
ATF_TC_BODY(remount_ro_rw, tc)
{
	int fd;

	mkimg(IMG, "-t ext2 -b 1024", "8M");
	boot();
	attach(KEY, IMG);
	mount_ok(KEY, 0, NULL);
	write_pattern(MNT "/r", 8, 0, 50000);
	ATF_CHECK_EQ(img_run(NULL, 0,
	    "dumpe2fs -h %s 2>/dev/null | grep -q 'state: *clean$'", IMG), 1);

	/* Busy while open for writing. */
	fd = rump_sys_open(MNT "/r", O_WRONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(try_mount(NULL, NULL, MS_REMOUNT | MS_RDONLY, NULL),
	    EBUSY);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	ATF_REQUIRE_EQ(try_mount(NULL, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	fsck_clean(IMG);
	debugfs_check(IMG, "/r", 8, 50000);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_open(MNT "/r", O_WRONLY), -1);
	ATF_CHECK_EQ(errno, EROFS);

	ATF_REQUIRE_EQ(try_mount(NULL, NULL, MS_REMOUNT, NULL), 0);
	write_pattern(MNT "/r", 8, 50000, 50000);
	umount_ok();
	fsck_clean(IMG);
	debugfs_check(IMG, "/r", 8, 100000);
	ATF_CHECK_EQ(dumpe2fs_field(IMG, "Mount count"), 2);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mount_rev0);
	ATF_TP_ADD_TC(tp, mount_rev1_1k);
	ATF_TP_ADD_TC(tp, mount_2k);
	ATF_TP_ADD_TC(tp, mount_4k);
	ATF_TP_ADD_TC(tp, mount_meta_bg);
	ATF_TP_ADD_TC(tp, statfs_dumpe2fs);
	ATF_TP_ADD_TC(tp, big_sequential);
	ATF_TP_ADD_TC(tp, sparse_4g_1k);
	ATF_TP_ADD_TC(tp, sparse_4g_4k);
	ATF_TP_ADD_TC(tp, rev0_limit);
	ATF_TP_ADD_TC(tp, truncate_down_up);
	ATF_TP_ADD_TC(tp, fallocate_modes);
	ATF_TP_ADD_TC(tp, unlinked_open);
	ATF_TP_ADD_TC(tp, xattr_block_freed);
	ATF_TP_ADD_TC(tp, forced_unmount_unlinked);
	ATF_TP_ADD_TC(tp, concurrent_writers);
	ATF_TP_ADD_TC(tp, enospc_full);
	ATF_TP_ADD_TC(tp, ext3_rw);
	ATF_TP_ADD_TC(tp, ext3_recover);
	ATF_TP_ADD_TC(tp, ext4_readonly);
	ATF_TP_ADD_TC(tp, unknown_incompat);
	ATF_TP_ADD_TC(tp, mount_options);
	ATF_TP_ADD_TC(tp, remount_ro_rw);
	return atf_no_error();
}
