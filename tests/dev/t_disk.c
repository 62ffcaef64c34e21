/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the disk layer.  MBR and GPT partition tables made by sfdisk
 * on an etfs block device become block devices of their own (/dev/sda1,
 * or /dev/disk0p1 for a key ending in a digit).  Their sizes and bytes
 * match the partitions' part of the host file.  Damaged tables (bad CRC32s,
 * entries past the end, huge counts, EBR loops, random bytes) give no
 * partitions and no crash, and a damaged primary GPT falls back to the
 * backup.  The partitions go with the disk's key.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

#include "../vfs/h_hostimg.h"

#define IMG		"disk.img"
#define IMGSIZE		(16 * 1024 * 1024)

/* Byte i of a fresh image, so that every partition has its own bytes. */
static unsigned char
pattern(off_t i)
{

	return (unsigned char)((i * 31 + (i >> 9) * 7) & 0xff);
}

/* Run a shell command, and fail the case unless it exits 0. */
static void
run(const char *cmd)
{
	int status;

	status = system(cmd);
	ATF_REQUIRE_MSG(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "command failed: %s", cmd);
}

/* Partition the image with an sfdisk script. */
static void
sfdisk(const char *options, const char *script)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "printf '%s' | sfdisk -q %s " IMG
	    " >/dev/null", script, options);
	run(cmd);
}

static void
register_disk(const char *key)
{
	int error;

	error = rump_pub_etfs_register(key, IMG, RUMP_ETFS_BLK);
	ATF_REQUIRE_EQ_MSG(error, 0, "register %s: %s", key, strerror(error));
}

static bool
exists(const char *path)
{
	struct stat st;

	return rump_sys_stat(path, &st) == 0;
}

/*
 * Check that node is a block device of size bytes whose contents are the
 * host file's bytes at start, the whole of it as dd would copy it.  Also
 * check that a write lands there too.
 */
static void
check_partition(const char *node, off_t start, off_t size)
{
	static unsigned char got[1024 * 1024], want[1024 * 1024];
	struct stat st;
	uint64_t devsize;
	off_t off;
	size_t len;
	int fd;

	ATF_REQUIRE_MSG(rump_sys_stat(node, &st) == 0, "stat %s: %s", node,
	    strerror(errno));
	ATF_CHECK_MSG(S_ISBLK(st.st_mode), "%s is not a block device", node);
	fd = rump_sys_open(node, O_RDWR);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", node, strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_ioctl(fd, BLKGETSIZE64, &devsize), 0);
	ATF_CHECK_EQ_MSG(devsize, (uint64_t)size, "%s: size %llu, expected "
	    "%lld", node, (unsigned long long)devsize, (long long)size);

	for (off = 0; off < size; off += len) {
		len = size - off < (off_t)sizeof(got) ? size - off :
		    sizeof(got);
		ATF_REQUIRE_EQ(rump_sys_pread(fd, got, len, off),
		    (ssize_t)len);
		himg_pread(IMG, want, len, start + off);
		ATF_REQUIRE_MSG(memcmp(got, want, len) == 0, "%s: bytes at "
		    "%lld differ from the host's", node, (long long)off);
	}
	ATF_CHECK_EQ(rump_sys_pread(fd, got, 512, size), 0);

	memcpy(got, "partition write", 15);
	ATF_CHECK_EQ(rump_sys_pwrite(fd, got, 15, size - 100), 15);
	ATF_CHECK_EQ(rump_sys_fsync(fd), 0);
	himg_pread(IMG, want, 15, start + size - 100);
	ATF_CHECK_MSG(memcmp(want, "partition write", 15) == 0,
	    "%s: the write did not land in its partition", node);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

/* Little-endian stores for patching tables. */
static void
put32(unsigned char *p, uint32_t v)
{

	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t
get32(const unsigned char *p)
{

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
get64(const unsigned char *p)
{

	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void
put64(unsigned char *p, uint64_t v)
{

	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* CRC32 as GPT computes it, bit by bit: the test's own reference. */
static uint32_t
crc32(const unsigned char *p, size_t len)
{
	uint32_t crc = 0xffffffff;
	int k;

	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

/*
 * Change the GPT header at byte offset hdroff with fn, then recompute
 * its entry array CRC and its own CRC so that only fn's change is wrong.
 */
static void
gpt_patch(off_t hdroff, off_t secsize,
    void (*fn)(unsigned char *hdr, unsigned char *array, void *), void *arg)
{
	unsigned char hdr[512], *array;
	uint64_t arraylba;
	uint32_t nentries, entsize;
	size_t arraylen;

	himg_pread(IMG, hdr, sizeof(hdr), hdroff);
	ATF_REQUIRE(memcmp(hdr, "EFI PART", 8) == 0);
	arraylba = get64(hdr + 72);
	nentries = get32(hdr + 80);
	entsize = get32(hdr + 84);
	arraylen = (size_t)nentries * entsize;
	array = malloc(arraylen);
	ATF_REQUIRE(array != NULL);
	himg_pread(IMG, array, arraylen, arraylba * secsize);

	fn(hdr, array, arg);

	himg_pwrite(IMG, array, arraylen, arraylba * secsize);
	put32(hdr + 88, crc32(array, arraylen));
	put32(hdr + 16, 0);
	put32(hdr + 16, crc32(hdr, get32(hdr + 12)));
	himg_pwrite(IMG, hdr, sizeof(hdr), hdroff);
	free(array);
}

static const char gpt_script[] =
    "label: gpt\\n"
    "start=2048, size=4096, name=one\\n"
    "start=8192, size=8192, name=two\\n"
    "start=20480, size=2048, name=three\\n";

ATF_TC(mbr_primary);
ATF_TC_HEAD(mbr_primary, tc)
{
	atf_tc_set_md_var(tc, "descr", "the primary partitions of an MBR "
	    "become /dev/sdaN with the host's bytes");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
}
ATF_TC_BODY(mbr_primary, tc)
{

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", "label: dos\\n"
	    "start=2048, size=4096, type=83\\n"
	    "start=8192, size=8192, type=c\\n"
	    "start=20480, type=83\\n");
	himg_boot();
	register_disk("/dev/sda");
	check_partition("/dev/sda1", 2048 * 512, 4096 * 512);
	check_partition("/dev/sda2", 8192 * 512, 8192 * 512);
	check_partition("/dev/sda3", 20480 * 512, IMGSIZE - 20480 * 512);
	ATF_CHECK(!exists("/dev/sda4"));
	ATF_CHECK(!exists("/dev/sda0"));
}

ATF_TC(mbr_logical);
ATF_TC_HEAD(mbr_logical, tc)
{
	atf_tc_set_md_var(tc, "descr", "logical partitions of an extended "
	    "partition are numbered from 5");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
}
ATF_TC_BODY(mbr_logical, tc)
{

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", "label: dos\\n"
	    "start=2048, size=2048, type=83\\n"
	    "start=4096, size=20480, type=5\\n"
	    "start=6144, size=2048, type=83\\n"
	    "start=10240, size=4096, type=83\\n"
	    "start=16384, size=1024, type=83\\n");
	himg_boot();
	register_disk("/dev/sdb");
	check_partition("/dev/sdb1", 2048 * 512, 2048 * 512);
	check_partition("/dev/sdb5", 6144 * 512, 2048 * 512);
	check_partition("/dev/sdb6", 10240 * 512, 4096 * 512);
	check_partition("/dev/sdb7", 16384 * 512, 1024 * 512);
	ATF_CHECK(!exists("/dev/sdb2"));
	ATF_CHECK(!exists("/dev/sdb8"));
}

ATF_TC(gpt_partitions);
ATF_TC_HEAD(gpt_partitions, tc)
{
	atf_tc_set_md_var(tc, "descr", "GPT partitions of a key ending in a "
	    "digit become /dev/disk0pN");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
}
ATF_TC_BODY(gpt_partitions, tc)
{
	int fd, secsize;

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	himg_boot();
	register_disk("/dev/disk0");
	check_partition("/dev/disk0p1", 2048 * 512, 4096 * 512);
	check_partition("/dev/disk0p2", 8192 * 512, 8192 * 512);
	check_partition("/dev/disk0p3", 20480 * 512, 2048 * 512);
	ATF_CHECK(!exists("/dev/disk0p4"));
	ATF_CHECK(!exists("/dev/disk01"));

	fd = rump_sys_open("/dev/disk0", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_ioctl(fd, BLKSSZGET, &secsize), 0);
	ATF_CHECK_EQ(secsize, 512);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(gpt_4k_sectors);
ATF_TC_HEAD(gpt_4k_sectors, tc)
{
	atf_tc_set_md_var(tc, "descr", "a GPT written for 4096-byte sectors "
	    "gives its partitions and a sector size of 4096");
	atf_tc_set_md_var(tc, "require.progs", "fdisk");
}
ATF_TC_BODY(gpt_4k_sectors, tc)
{
	int fd, secsize;

	/* sfdisk of util-linux 2.38 cannot choose the sector size. */
	himg_make(IMG, IMGSIZE, pattern);
	run("printf 'g\\nn\\n1\\n256\\n767\\nn\\n2\\n1024\\n2047\\nw\\n' | "
	    "fdisk -b 4096 " IMG " >/dev/null 2>&1");
	himg_boot();
	register_disk("/dev/sdc");
	check_partition("/dev/sdc1", 256 * 4096, 512 * 4096);
	check_partition("/dev/sdc2", 1024 * 4096, 1024 * 4096);
	fd = rump_sys_open("/dev/sdc1", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_ioctl(fd, BLKSSZGET, &secsize), 0);
	ATF_CHECK_EQ(secsize, 4096);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(gpt_backup);
ATF_TC_HEAD(gpt_backup, tc)
{
	atf_tc_set_md_var(tc, "descr", "a damaged primary GPT header or "
	    "entry array falls back to the backup GPT");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
}
ATF_TC_BODY(gpt_backup, tc)
{
	unsigned char junk[512];

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	/* A byte of the primary header changes: its CRC32 fails. */
	himg_pread(IMG, junk, 1, 512 + 60);
	junk[0] ^= 0xff;
	himg_pwrite(IMG, junk, 1, 512 + 60);
	himg_boot();
	register_disk("/dev/sdd");
	check_partition("/dev/sdd1", 2048 * 512, 4096 * 512);
	check_partition("/dev/sdd3", 20480 * 512, 2048 * 512);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/dev/sdd"), 0);

	/* Now a byte of the primary entry array instead. */
	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	himg_pread(IMG, junk, 1, 1024 + 130);
	junk[0] ^= 0xff;
	himg_pwrite(IMG, junk, 1, 1024 + 130);
	register_disk("/dev/sdd");
	check_partition("/dev/sdd2", 8192 * 512, 8192 * 512);
}

/* Patches of the damaged-table cases. */
static void
patch_huge_count(unsigned char *hdr, unsigned char *array, void *arg)
{

	put32(hdr + 80, 0x7fffffff);
}

static void
patch_entry_past_end(unsigned char *hdr, unsigned char *array, void *arg)
{

	/* Entry 2's last LBA far beyond the disk. */
	put64(array + 128 + 40, (uint64_t)1 << 40);
}

static void
patch_entry_size(unsigned char *hdr, unsigned char *array, void *arg)
{

	put32(hdr + 84, 7);
}

static void
patch_array_lba(unsigned char *hdr, unsigned char *array, void *arg)
{

	put64(hdr + 72, (uint64_t)-2);
}

/*
 * Register the image as key and check that nothing crashes and that no
 * partition node appears.
 */
static void
check_no_partitions(const char *key, const char *what)
{
	char node[64];
	int i;

	register_disk(key);
	for (i = 1; i <= 8; i++) {
		snprintf(node, sizeof(node), "%s%d", key, i);
		ATF_CHECK_MSG(!exists(node), "%s: %s exists", what, node);
	}
	ATF_CHECK_MSG(exists(key), "%s: the disk itself is missing", what);
	ATF_CHECK_EQ(rump_pub_etfs_remove(key), 0);
}

/* Apply one GPT patch to both copies of the table. */
static void
gpt_patch_both(void (*fn)(unsigned char *, unsigned char *, void *))
{

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	gpt_patch(512, 512, fn, NULL);
	gpt_patch(IMGSIZE - 512, 512, fn, NULL);
}

ATF_TC(damaged_tables);
ATF_TC_HEAD(damaged_tables, tc)
{
	atf_tc_set_md_var(tc, "descr", "damaged MBRs and GPTs give no "
	    "partitions, with the disk itself still usable");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
}
ATF_TC_BODY(damaged_tables, tc)
{
	unsigned char sect[512];

	himg_boot();

	/* An MBR partition past the end of the disk. */
	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", "label: dos\\nstart=2048, size=4096, type=83\\n"
	    "start=8192, size=4096, type=83\\n");
	himg_pread(IMG, sect, 512, 0);
	put32(sect + 446 + 16 + 12, 0x7fffffff);
	himg_pwrite(IMG, sect, 512, 0);
	check_no_partitions("/dev/sde", "MBR entry past the end");

	/* An EBR whose link points back at itself. */
	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", "label: dos\\nstart=4096, size=20480, type=5\\n"
	    "start=6144, size=2048, type=83\\n"
	    "start=10240, size=2048, type=83\\n");
	himg_pread(IMG, sect, 512, 4096 * 512);
	ATF_REQUIRE_EQ(sect[446 + 16 + 4], 5);
	put32(sect + 446 + 16 + 8, 0);		/* the next EBR: itself */
	himg_pwrite(IMG, sect, 512, 4096 * 512);
	check_no_partitions("/dev/sdf", "EBR loop");
	/* A chain that never ends: a link to an EBR linking back. */
	himg_pread(IMG, sect, 512, 4096 * 512);
	put32(sect + 446 + 16 + 8, 4096);
	himg_pwrite(IMG, sect, 512, 4096 * 512);
	himg_pwrite(IMG, sect, 512, (4096 + 4096) * 512);
	check_no_partitions("/dev/sdf", "EBR cycle");

	/* Both GPT headers: bad CRC32s. */
	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	himg_pread(IMG, sect, 1, 512 + 60);
	sect[0] ^= 1;
	himg_pwrite(IMG, sect, 1, 512 + 60);
	himg_pread(IMG, sect, 1, IMGSIZE - 512 + 60);
	sect[0] ^= 1;
	himg_pwrite(IMG, sect, 1, IMGSIZE - 512 + 60);
	check_no_partitions("/dev/sdg", "both GPT header CRCs bad");

	/* Both entry arrays: bad CRC32s. */
	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	himg_pread(IMG, sect, 1, 1024 + 200);
	sect[0] ^= 1;
	himg_pwrite(IMG, sect, 1, 1024 + 200);
	himg_pread(IMG, sect, 1, IMGSIZE - 33 * 512 + 200);
	sect[0] ^= 1;
	himg_pwrite(IMG, sect, 1, IMGSIZE - 33 * 512 + 200);
	check_no_partitions("/dev/sdh", "both GPT array CRCs bad");

	/* Valid CRC32s around wrong values. */
	gpt_patch_both(patch_huge_count);
	check_no_partitions("/dev/sdi", "huge GPT entry count");
	gpt_patch_both(patch_entry_past_end);
	check_no_partitions("/dev/sdj", "GPT entry past the end");
	gpt_patch_both(patch_entry_size);
	check_no_partitions("/dev/sdk", "bad GPT entry size");
	gpt_patch_both(patch_array_lba);
	check_no_partitions("/dev/sdl", "GPT array outside the disk");

	/* A protective MBR with no GPT behind it. */
	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	memset(sect, 0, sizeof(sect));
	himg_pwrite(IMG, sect, 512, 512);
	himg_pwrite(IMG, sect, 512, IMGSIZE - 512);
	check_no_partitions("/dev/sdm", "protective MBR without GPT");
}

ATF_TC(random_tables);
ATF_TC_HEAD(random_tables, tc)
{
	atf_tc_set_md_var(tc, "descr", "random changes to the bytes of MBR "
	    "and GPT tables never crash the reader, and partitions found "
	    "lie inside the disk");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(random_tables, tc)
{
	static const off_t size = 1024 * 1024;
	unsigned char *orig, *img, byte;
	char node[64];
	uint64_t devsize;
	unsigned int seed = 12345;
	off_t where;
	int round, k, i, fd;

	orig = malloc(size);
	img = malloc(size);
	ATF_REQUIRE(orig != NULL && img != NULL);
	himg_boot();
	for (round = 0; round < 300; round++) {
		if (round % 100 == 0) {
			/* A fresh table every 100 rounds: MBR, logical, GPT. */
			himg_make(IMG, size, pattern);
			if (round == 0)
				sfdisk("", "label: gpt\\nstart=64, size=256\\n"
				    "start=512, size=512\\n");
			else if (round == 100)
				sfdisk("", "label: dos\\n"
				    "start=64, size=1800, type=5\\n"
				    "start=128, size=256, type=83\\n"
				    "start=512, size=256, type=83\\n");
			else
				sfdisk("", "label: dos\\n"
				    "start=64, size=256, type=83\\n"
				    "start=512, size=512, type=83\\n");
			himg_pread(IMG, orig, size, 0);
		}
		memcpy(img, orig, size);
		for (k = 0; k < 8; k++) {
			/* The table areas: MBR, GPT header, array, backup. */
			switch (rand_r(&seed) % 4) {
			case 0:
				where = rand_r(&seed) % 512;
				break;
			case 1:
				where = 512 + rand_r(&seed) % 512;
				break;
			case 2:
				where = 64 * 512 + rand_r(&seed) % 512;
				break;
			default:
				where = size - 33 * 512 + rand_r(&seed) %
				    (33 * 512);
				break;
			}
			byte = (unsigned char)rand_r(&seed);
			img[where] = byte;
		}
		himg_pwrite(IMG, img, size, 0);
		register_disk("/dev/rnd");
		for (i = 1; i <= 8; i++) {
			snprintf(node, sizeof(node), "/dev/rnd%d", i);
			fd = rump_sys_open(node, O_RDONLY);
			if (fd < 0)
				continue;
			ATF_CHECK_EQ(rump_sys_ioctl(fd, BLKGETSIZE64, &devsize),
			    0);
			ATF_CHECK_MSG(devsize <= (uint64_t)size, "round %d: %s "
			    "has %llu bytes", round, node,
			    (unsigned long long)devsize);
			ATF_CHECK_EQ(rump_sys_close(fd), 0);
		}
		ATF_REQUIRE_EQ(rump_pub_etfs_remove("/dev/rnd"), 0);
	}
	free(orig);
	free(img);
}

ATF_TC(partition_lifetime);
ATF_TC_HEAD(partition_lifetime, tc)
{
	atf_tc_set_md_var(tc, "descr", "partitions go with the disk's key, "
	    "which cannot go while a partition is open");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk");
}
ATF_TC_BODY(partition_lifetime, tc)
{
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", gpt_script);
	himg_boot();
	register_disk("/dev/vda");
	ATF_REQUIRE(exists("/dev/vda2"));
	fd = rump_sys_open("/dev/vda2", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove("/dev/vda"), EBUSY);
	ATF_CHECK(exists("/dev/vda1"));
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	/* A partition key can go alone. */
	ATF_CHECK_EQ(rump_pub_etfs_remove("/dev/vda3"), 0);
	ATF_CHECK(!exists("/dev/vda3"));
	ATF_CHECK_EQ(rump_pub_etfs_remove("/dev/vda"), 0);
	ATF_CHECK(!exists("/dev/vda"));
	ATF_CHECK(!exists("/dev/vda1"));
	ATF_CHECK(!exists("/dev/vda2"));

	/* Registered again, they come back. */
	register_disk("/dev/vda");
	ATF_CHECK(exists("/dev/vda1"));
	ATF_CHECK(exists("/dev/vda3"));
	ATF_CHECK_EQ(rump_pub_etfs_remove("/dev/vda"), 0);
}

ATF_TC(ext2_in_partition);
ATF_TC_HEAD(ext2_in_partition, tc)
{
	atf_tc_set_md_var(tc, "descr", "an ext2 file system made by mke2fs "
	    "in an MBR partition shows through the partition node");
	atf_tc_set_md_var(tc, "require.progs", "sfdisk mke2fs");
}
ATF_TC_BODY(ext2_in_partition, tc)
{
	unsigned char sb[1024], want[1024];
	int fd;

	himg_make(IMG, IMGSIZE, pattern);
	sfdisk("", "label: dos\\nstart=2048, size=4096, type=83\\n"
	    "start=8192, size=16384, type=83\\n");
	run("mke2fs -q -F -t ext2 -b 1024 fs.img 8192 >/dev/null");
	run("dd if=fs.img of=" IMG " bs=512 seek=8192 conv=notrunc "
	    "status=none");
	himg_boot();
	register_disk("/dev/sdx");
	check_partition("/dev/sdx2", 8192 * 512, 16384 * 512);

	fd = rump_sys_open("/dev/sdx2", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, sb, sizeof(sb), 1024), 1024);
	ATF_CHECK_MSG(sb[56] == 0x53 && sb[57] == 0xef,
	    "no ext2 magic in the partition's superblock");
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	himg_pread(IMG, want, sizeof(want), 8192 * 512 + 1024);
	ATF_CHECK(memcmp(sb, want, sizeof(sb)) == 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mbr_primary);
	ATF_TP_ADD_TC(tp, mbr_logical);
	ATF_TP_ADD_TC(tp, gpt_partitions);
	ATF_TP_ADD_TC(tp, gpt_4k_sectors);
	ATF_TP_ADD_TC(tp, gpt_backup);
	ATF_TP_ADD_TC(tp, damaged_tables);
	ATF_TP_ADD_TC(tp, random_tables);
	ATF_TP_ADD_TC(tp, partition_lifetime);
	ATF_TP_ADD_TC(tp, ext2_in_partition);
	return atf_no_error();
}
