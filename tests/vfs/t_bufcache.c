/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the buffer cache and the device calls of mounts, on an etfs
 * block device whose host file the test reads and writes with the C
 * library.  Reads and writes through the cache match the host, and
 * delayed writes reach the host after bflush, fsync and the syncer delay.
 * The size bound is kept, I/O errors come back as EIO, and concurrent
 * readers of one block all read the same data.  The kernel side is
 * kcomp/bufcache_test.c.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "h_hostimg.h"

int	rump_test_bufcache_open(const char *, int);
int	rump_test_bufcache_open_other(const char *);
int	rump_test_bufcache_close(void);
int	rump_test_bufcache_devsize(uint64_t *, unsigned int *);
int	rump_test_bufcache_setrw(int);
int	rump_test_bufcache_read(uint64_t, size_t, unsigned int, void *);
int	rump_test_bufcache_write(uint64_t, size_t, const void *, int, int);
int	rump_test_bufcache_flush(int);
void	rump_test_bufcache_invalall(void);
void	rump_test_bufcache_inval(uint64_t, size_t);
int	rump_test_bufcache_bio(int, uint64_t, void *, size_t);
int	rump_test_bufcache_reread_busy(uint64_t, size_t, unsigned int);

#define IMG		"img"
#define IMGSIZE		(8 * 1024 * 1024)
#define DEV		"/dev/bc"
#define BS		4096			/* block size of the cases */
#define SECT(off)	((uint64_t)(off) / 512)	/* byte offset to blkno */

enum { HOW_BDWRITE, HOW_BWRITE, HOW_BAWRITE };

/* Byte i of the image as made. */
static unsigned char
pattern(off_t i)
{

	return (unsigned char)((i * 13 + (i >> 12)) & 0xff);
}

/* Return true when the host file contains data at off. */
static bool
host_has(const void *data, size_t len, off_t off)
{
	unsigned char got[BS * 4];

	ATF_REQUIRE(len <= sizeof(got));
	himg_pread(IMG, got, len, off);
	return memcmp(got, data, len) == 0;
}

/* Return true when the host file still contains the pattern at off. */
static bool
host_is_pattern(size_t len, off_t off)
{
	unsigned char want[BS * 4];
	size_t i;

	ATF_REQUIRE(len <= sizeof(want));
	for (i = 0; i < len; i++)
		want[i] = pattern(off + (off_t)i);
	return host_has(want, len, off);
}

static void
sysctl_set_quad(const char *name, uint64_t value, uint64_t *oldp)
{
	uint64_t old;
	size_t oldlen = sizeof(old);

	ATF_REQUIRE_EQ_MSG(rump_sysctlbyname(name, &old, &oldlen, &value,
	    sizeof(value)), 0, "set %s: %s", name, strerror(errno));
	if (oldp != NULL)
		*oldp = old;
}

static uint64_t
sysctl_get_quad(const char *name)
{
	uint64_t value;
	size_t len = sizeof(value);

	ATF_REQUIRE_EQ_MSG(rump_sysctlbyname(name, &value, &len, NULL, 0), 0,
	    "get %s: %s", name, strerror(errno));
	ATF_REQUIRE_EQ(len, sizeof(value));
	return value;
}

static void
sysctl_set_int(const char *name, int value)
{

	ATF_REQUIRE_EQ_MSG(rump_sysctlbyname(name, NULL, NULL, &value,
	    sizeof(value)), 0, "set %s: %s", name, strerror(errno));
}

/* Boot, register the image as DEV and open it through vfs_opendev. */
static void
setup(off_t size)
{
	int error;

	himg_make(IMG, size, pattern);
	himg_boot();
	error = rump_pub_etfs_register(DEV, IMG, RUMP_ETFS_BLK);
	ATF_REQUIRE_EQ_MSG(error, 0, "register: %s", strerror(error));
	/* Delayed writes stay in memory unless a case shortens this. */
	sysctl_set_int("vfs.bufcache.delay", 3600);
	error = rump_test_bufcache_open(DEV, 0);
	ATF_REQUIRE_EQ_MSG(error, 0, "vfs_opendev: %s", strerror(error));
}

/* Compare size bytes at byte offset off, read through the cache. */
static void
check_read(off_t off, size_t size, unsigned int nahead)
{
	unsigned char got[BS * 4], want[BS * 4];
	int error;

	ATF_REQUIRE(size <= sizeof(got));
	error = rump_test_bufcache_read(SECT(off), size, nahead, got);
	ATF_REQUIRE_EQ_MSG(error, 0, "read at %lld: %s", (long long)off,
	    strerror(error));
	himg_pread(IMG, want, size, off);
	ATF_CHECK_MSG(memcmp(got, want, size) == 0, "block at %lld differs "
	    "from the host's", (long long)off);
}

ATF_TC(read_matches_host);
ATF_TC_HEAD(read_matches_host, tc)
{
	atf_tc_set_md_var(tc, "descr", "bread and bread_ahead return the "
	    "host file's bytes, cached or not");
}
ATF_TC_BODY(read_matches_host, tc)
{
	off_t off;

	setup(IMGSIZE);
	check_read(0, BS, 0);
	check_read(BS * 3, BS, 0);
	check_read(BS * 3, BS, 0);		/* cached now */
	check_read(512 * 7, 1024, 0);		/* another size, elsewhere */

	/* A sequential reader with read-ahead runs of various lengths. */
	for (off = BS * 16; off < BS * 600; off += BS)
		check_read(off, BS, 300);
	for (off = BS * 700; off < BS * 720; off += BS)
		check_read(off, BS, 3);
	/* The run stops at the end of the device and still reads. */
	check_read(IMGSIZE - 2 * BS, BS, 50);
	check_read(IMGSIZE - BS, BS, 50);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(sequential_clusters);
ATF_TC_HEAD(sequential_clusters, tc)
{
	atf_tc_set_md_var(tc, "descr", "a sequential reader with a long run "
	    "gets its blocks in transfers of 1 MiB, read ahead, and a "
	    "sequential writer's blocks go out in transfers of 1 MiB");
}
ATF_TC_BODY(sequential_clusters, tc)
{
	unsigned char data[BS];
	uint64_t reads, writes, bytes;
	off_t off;
	int i;

	setup(IMGSIZE);
	reads = sysctl_get_quad("vfs.bufcache.reads");
	for (off = 0; off < 4 * 1024 * 1024; off += BS)
		check_read(off, BS, (unsigned int)((4 * 1024 * 1024 - off) /
		    BS - 1));
	reads = sysctl_get_quad("vfs.bufcache.reads") - reads;
	ATF_CHECK_MSG(reads >= 4 && reads <= 6, "4 MiB read in %llu "
	    "transfers, expected 4 of 1 MiB", (unsigned long long)reads);

	rump_test_bufcache_invalall();
	writes = sysctl_get_quad("vfs.bufcache.writes");
	bytes = sysctl_get_quad("vfs.bufcache.writebytes");
	for (i = 0; i < 512; i++) {
		memset(data, i & 0xff, sizeof(data));
		ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * i), BS,
		    data, HOW_BDWRITE, 0), 0);
	}
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);
	writes = sysctl_get_quad("vfs.bufcache.writes") - writes;
	bytes = sysctl_get_quad("vfs.bufcache.writebytes") - bytes;
	ATF_CHECK_EQ(bytes, 512 * BS);
	ATF_CHECK_MSG(writes == 2, "2 MiB written in %llu transfers, "
	    "expected 2 of 1 MiB", (unsigned long long)writes);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(write_paths);
ATF_TC_HEAD(write_paths, tc)
{
	atf_tc_set_md_var(tc, "descr", "bdwrite reaches the host only after "
	    "bflush, bwrite at once, bawrite after a waiting bflush");
}
ATF_TC_BODY(write_paths, tc)
{
	unsigned char data[BS], part[512];
	int i;

	setup(IMGSIZE);
	memset(data, 0xa1, sizeof(data));

	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 10), BS, data,
	    HOW_BDWRITE, 0), 0);
	ATF_CHECK_MSG(host_is_pattern(BS, BS * 10),
	    "a delayed write reached the host before any flush");
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);
	ATF_CHECK_MSG(host_has(data, BS, BS * 10),
	    "bflush did not write the delayed write");

	memset(data, 0xb2, sizeof(data));
	ATF_CHECK_EQ(rump_test_bufcache_write(SECT(BS * 11), BS, data,
	    HOW_BWRITE, 0), 0);
	ATF_CHECK_MSG(host_has(data, BS, BS * 11), "bwrite did not write");

	memset(data, 0xc3, sizeof(data));
	rump_test_bufcache_write(SECT(BS * 12), BS, data, HOW_BAWRITE, 0);
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);
	ATF_CHECK_MSG(host_has(data, BS, BS * 12), "bawrite did not write");

	/* Rewriting part of a block keeps the rest of it. */
	memset(part, 0xd4, sizeof(part));
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 20), BS, part,
	    HOW_BDWRITE, 1), 0);
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);
	ATF_CHECK(host_has(part, sizeof(part), BS * 20));
	ATF_CHECK(host_is_pattern(BS - 512, BS * 20 + 512));

	/* A long run of delayed writes comes back intact after a flush. */
	for (i = 0; i < 700; i++) {
		memset(data, i & 0xff, sizeof(data));
		ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * (100 + i)),
		    BS, data, HOW_BDWRITE, 0), 0);
	}
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
	for (i = 0; i < 700; i++) {
		memset(data, i & 0xff, sizeof(data));
		ATF_CHECK_MSG(host_has(data, BS, BS * (100 + i)),
		    "block %d of the run is wrong on the host", i);
	}
}

ATF_TC(fsync_device);
ATF_TC_HEAD(fsync_device, tc)
{
	atf_tc_set_md_var(tc, "descr", "fsync of the block device node "
	    "writes the delayed writes of the device");
}
ATF_TC_BODY(fsync_device, tc)
{
	unsigned char data[BS];
	int fd;

	setup(IMGSIZE);
	memset(data, 0x5e, sizeof(data));
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 5), BS, data,
	    HOW_BDWRITE, 0), 0);
	ATF_CHECK(host_is_pattern(BS, BS * 5));

	fd = rump_sys_open(DEV, O_RDWR);
	ATF_REQUIRE_MSG(fd >= 0, "open: %s", strerror(errno));
	ATF_CHECK_EQ_MSG(rump_sys_fsync(fd), 0, "fsync: %s", strerror(errno));
	ATF_CHECK_MSG(host_has(data, BS, BS * 5), "fsync did not write");
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(syncer_delay);
ATF_TC_HEAD(syncer_delay, tc)
{
	atf_tc_set_md_var(tc, "descr", "the syncer writes a delayed write "
	    "once vfs.bufcache.delay seconds have passed");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(syncer_delay, tc)
{
	unsigned char data[BS];
	struct timespec start, now;
	bool written = false;

	setup(IMGSIZE);
	sysctl_set_int("vfs.bufcache.delay", 1);
	memset(data, 0x77, sizeof(data));
	clock_gettime(CLOCK_MONOTONIC, &start);
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 30), BS, data,
	    HOW_BDWRITE, 0), 0);
	do {
		usleep(100 * 1000);
		written = host_has(data, BS, BS * 30);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (!written && now.tv_sec - start.tv_sec < 20);
	ATF_CHECK_MSG(written, "the syncer did not write within 20 s");
	ATF_CHECK_MSG(now.tv_sec - start.tv_sec >= 1 || now.tv_nsec >=
	    start.tv_nsec, "written before the delay");
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(bounded_size);
ATF_TC_HEAD(bounded_size, tc)
{
	atf_tc_set_md_var(tc, "descr", "the cache holds at most "
	    "vfs.bufcache.max bytes and still reads correctly past it");
}
ATF_TC_BODY(bounded_size, tc)
{
	uint64_t max = 1024 * 1024, old, bytes;
	unsigned char data[BS];
	off_t off;
	int i;

	setup(IMGSIZE);
	sysctl_set_quad("vfs.bufcache.max", max, &old);
	ATF_CHECK_MSG(old >= 4 * 1024 * 1024, "default max %llu is below "
	    "4 MiB", (unsigned long long)old);
	ATF_CHECK_EQ(rump_sysctlbyname("vfs.bufcache.max", NULL, NULL,
	    &(uint64_t){ 1000 }, sizeof(uint64_t)), -1);
	ATF_CHECK_EQ(errno, EINVAL);

	for (off = 0; off < IMGSIZE; off += BS) {
		check_read(off, BS, 0);
		bytes = sysctl_get_quad("vfs.bufcache.bytes");
		ATF_REQUIRE_MSG(bytes <= max, "%llu bytes cached after block "
		    "%lld, max %llu", (unsigned long long)bytes,
		    (long long)(off / BS), (unsigned long long)max);
	}
	/* Dirty data is bounded by the same maximum. */
	for (i = 0; i < 1024; i++) {
		memset(data, (i * 3) & 0xff, sizeof(data));
		ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * i), BS,
		    data, HOW_BDWRITE, 0), 0);
		ATF_REQUIRE(sysctl_get_quad("vfs.bufcache.dirty") <= max);
	}
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
	for (i = 0; i < 1024; i++) {
		memset(data, (i * 3) & 0xff, sizeof(data));
		ATF_CHECK_MSG(host_has(data, BS, BS * i), "block %d wrong", i);
	}
	ATF_CHECK_EQ(sysctl_get_quad("vfs.bufcache.bytes"), 0);
}

ATF_TC(memory_pressure);
ATF_TC_HEAD(memory_pressure, tc)
{
	atf_tc_set_md_var(tc, "descr", "under RUMP_MEMLIMIT the cache gives "
	    "memory back even when vfs.bufcache.max would allow more");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(memory_pressure, tc)
{
	const off_t size = 48 * 1024 * 1024;
	uint64_t bytes;
	off_t off;

	ATF_REQUIRE_EQ(setenv("RUMP_MEMLIMIT", "32m", 1), 0);
	setup(size);
	sysctl_set_quad("vfs.bufcache.max", 1024ULL * 1024 * 1024, NULL);
	for (off = 0; off < size; off += BS)
		check_read(off, BS, 0);
	bytes = sysctl_get_quad("vfs.bufcache.bytes");
	ATF_CHECK_MSG(bytes < 32 * 1024 * 1024, "%llu bytes cached under a "
	    "32 MiB memory limit", (unsigned long long)bytes);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(io_errors);
ATF_TC_HEAD(io_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "reads and writes past the end of "
	    "the device fail with EIO; failed delayed writes are reported "
	    "by bflush");
}
ATF_TC_BODY(io_errors, tc)
{
	unsigned char data[BS];
	int fd;

	setup(1024 * 1024);
	ATF_CHECK_EQ(rump_test_bufcache_read(SECT(1024 * 1024), BS, 0, data),
	    EIO);
	ATF_CHECK_EQ(rump_test_bufcache_read(SECT(1024 * 1024 - 512), BS, 4,
	    data), EIO);
	ATF_CHECK_EQ(rump_test_bufcache_write(SECT(2 * 1024 * 1024), BS,
	    data, HOW_BWRITE, 0), EIO);

	/* The failed delayed write stays dirty and fails again. */
	ATF_CHECK_EQ(rump_test_bufcache_write(SECT(4 * 1024 * 1024), BS,
	    data, HOW_BDWRITE, 0), 0);
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), EIO);
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), EIO);
	rump_test_bufcache_invalall();
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);

	/* A host file that shrank under the device: short reads are EIO. */
	fd = open(IMG, O_RDWR);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(ftruncate(fd, 512 * 1024), 0);
	ATF_REQUIRE_EQ(close(fd), 0);
	ATF_CHECK_EQ(rump_test_bufcache_read(SECT(600 * 1024), BS, 0, data),
	    EIO);
	check_read(0, BS, 0);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

/* Concurrent readers: each thread reads the blocks and compares. */
#define NREADERS	6
#define NROUNDS		200

static void *
reader(void *arg)
{
	unsigned char got[BS], want[BS];
	intptr_t bad = 0;
	int round, error;
	off_t off;

	(void)arg;
	for (round = 0; round < NROUNDS; round++) {
		off = BS * (round % 4);
		error = rump_test_bufcache_read(SECT(off), BS, round % 3,
		    got);
		if (error != 0) {
			bad++;
			continue;
		}
		himg_pread(IMG, want, BS, off);
		if (memcmp(got, want, BS) != 0)
			bad++;
		/* Now and then drop the blocks, so readers race to fill. */
		if (round % 10 == 0)
			rump_test_bufcache_inval(SECT(off), BS);
	}
	return (void *)bad;
}

ATF_TC(concurrent_readers);
ATF_TC_HEAD(concurrent_readers, tc)
{
	atf_tc_set_md_var(tc, "descr", "threads reading the same blocks at "
	    "once, while they are dropped and read again, all see the data");
}
ATF_TC_BODY(concurrent_readers, tc)
{
	pthread_t threads[NREADERS];
	void *bad;
	int i;

	setup(IMGSIZE);
	for (i = 0; i < NREADERS; i++)
		ATF_REQUIRE_EQ(pthread_create(&threads[i], NULL, reader, NULL),
		    0);
	for (i = 0; i < NREADERS; i++) {
		ATF_REQUIRE_EQ(pthread_join(threads[i], &bad), 0);
		ATF_CHECK_EQ_MSG((intptr_t)bad, 0, "reader %d saw %ld bad "
		    "reads", i, (long)(intptr_t)bad);
	}
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

/*
 * Mixed load: each thread writes blocks of its own (delayed, synchronous
 * and asynchronous writes), rereads and checks them, reads a shared
 * region and drops blocks, while the cache is small enough that buffers
 * are reused all the time.
 */
#define NMIXED		4
#define MIXED_BLOCKS	64		/* a thread's own blocks */
#define MIXED_ROUNDS	20000

struct mixed {
	int		 id;
	unsigned int	 seed;
	long		 bad;
	unsigned char	 last[MIXED_BLOCKS];	/* fill byte written last */
};

static void *
mixed_worker(void *arg)
{
	struct mixed *m = arg;
	unsigned char data[BS], got[BS], want[BS];
	uint64_t blk;
	int round, i, how, error;

	for (round = 0; round < MIXED_ROUNDS; round++) {
		i = rand_r(&m->seed) % MIXED_BLOCKS;
		blk = SECT(BS * (1024 + m->id * MIXED_BLOCKS + i));
		switch (rand_r(&m->seed) % 5) {
		case 0:
		case 1:
			m->last[i] = (unsigned char)rand_r(&m->seed) | 1;
			memset(data, m->last[i], sizeof(data));
			how = rand_r(&m->seed) % 3;
			error = rump_test_bufcache_write(blk, BS, data, how, 0);
			if (error != 0)
				m->bad++;
			break;
		case 2:
			if (m->last[i] == 0)
				break;
			error = rump_test_bufcache_read(blk, BS,
			    rand_r(&m->seed) % 4, got);
			memset(want, m->last[i], sizeof(want));
			if (error != 0 || memcmp(got, want, BS) != 0)
				m->bad++;
			break;
		case 3:
			blk = SECT(BS * (rand_r(&m->seed) % 256));
			error = rump_test_bufcache_read(blk, BS,
			    rand_r(&m->seed) % 8, got);
			if (error != 0 || got[7] != pattern(blk * 512 + 7))
				m->bad++;
			break;
		default:
			rump_test_bufcache_inval(SECT(BS *
			    (rand_r(&m->seed) % 256)), BS);
			if (rand_r(&m->seed) % 8 == 0)
				(void)rump_test_bufcache_flush(
				    rand_r(&m->seed) % 2);
			break;
		}
	}
	return NULL;
}

ATF_TC(concurrent_mixed);
ATF_TC_HEAD(concurrent_mixed, tc)
{
	atf_tc_set_md_var(tc, "descr", "threads writing, reading, dropping "
	    "and flushing at once in a small cache keep every block right");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(concurrent_mixed, tc)
{
	static struct mixed m[NMIXED];
	pthread_t threads[NMIXED];
	unsigned char want[BS];
	int t, i;

	setup(IMGSIZE);
	sysctl_set_quad("vfs.bufcache.max", 256 * 1024, NULL);
	for (t = 0; t < NMIXED; t++) {
		memset(&m[t], 0, sizeof(m[t]));
		m[t].id = t;
		m[t].seed = 1000 + t;
		ATF_REQUIRE_EQ(pthread_create(&threads[t], NULL, mixed_worker,
		    &m[t]), 0);
	}
	for (t = 0; t < NMIXED; t++) {
		ATF_REQUIRE_EQ(pthread_join(threads[t], NULL), 0);
		ATF_CHECK_EQ_MSG(m[t].bad, 0, "thread %d saw %ld bad results",
		    t, m[t].bad);
	}
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
	for (t = 0; t < NMIXED; t++) {
		for (i = 0; i < MIXED_BLOCKS; i++) {
			if (m[t].last[i] == 0)
				continue;
			memset(want, m[t].last[i], sizeof(want));
			ATF_CHECK_MSG(host_has(want, BS,
			    BS * (1024 + t * MIXED_BLOCKS + i)),
			    "thread %d block %d is wrong on the host", t, i);
		}
	}
}

ATF_TC(uncached_coherent);
ATF_TC_HEAD(uncached_coherent, tc)
{
	atf_tc_set_md_var(tc, "descr", "bio_read sees dirty cached blocks, "
	    "bio_write updates cached ones, binval drops one, and reads of "
	    "the device node see the cache");
}
ATF_TC_BODY(uncached_coherent, tc)
{
	unsigned char data[BS * 2], got[BS * 2], raw[BS];
	int fd;

	setup(IMGSIZE);

	/* A dirty block shows through an uncached read spanning it. */
	memset(data, 0x3c, BS);
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 40), BS, data,
	    HOW_BDWRITE, 0), 0);
	ATF_REQUIRE_EQ(rump_test_bufcache_bio(0, SECT(BS * 40 - 512), got,
	    BS * 2), 0);
	ATF_CHECK(host_is_pattern(512, BS * 40 - 512));
	ATF_CHECK_MSG(memcmp(got + 512, data, BS) == 0,
	    "bio_read missed the dirty block");
	fd = rump_sys_open(DEV, O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_pread(fd, raw, BS, BS * 40), BS);
	ATF_CHECK_MSG(memcmp(raw, data, BS) == 0,
	    "a read of the device node missed the dirty block");
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	/* An uncached write updates a cached clean block. */
	check_read(BS * 41, BS, 0);
	memset(data, 0x4d, sizeof(data));
	ATF_REQUIRE_EQ(rump_test_bufcache_bio(1, SECT(BS * 41), data, 1024),
	    0);
	ATF_REQUIRE_EQ(rump_test_bufcache_read(SECT(BS * 41), BS, 0, got),
	    0);
	ATF_CHECK(memcmp(got, data, 1024) == 0);
	check_read(BS * 41, BS, 0);

	/* binval drops a dirty block unwritten. */
	memset(data, 0x5d, BS);
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 42), BS, data,
	    HOW_BDWRITE, 0), 0);
	rump_test_bufcache_inval(SECT(BS * 42 + 1024), 512);
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);
	ATF_CHECK(host_is_pattern(BS, BS * 42));
	check_read(BS * 42, BS, 0);

	/* The same block in another size replaces the cached buffer. */
	memset(data, 0x6e, BS);
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 43), BS, data,
	    HOW_BDWRITE, 0), 0);
	check_read(BS * 43, 1024, 0);
	ATF_CHECK(host_has(data, BS, BS * 43));
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(halt_writes_dirty);
ATF_TC_HEAD(halt_writes_dirty, tc)
{
	atf_tc_set_md_var(tc, "descr", "a halt writes the delayed writes "
	    "of a device that no file system has mounted");
}
ATF_TC_BODY(halt_writes_dirty, tc)
{
	unsigned char data[BS];

	setup(IMGSIZE);
	memset(data, 0x91, sizeof(data));
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 50), BS, data,
	    HOW_BDWRITE, 0), 0);
	ATF_REQUIRE(host_is_pattern(BS, BS * 50));
	ATF_REQUIRE_EQ(rump_sys_reboot(RUMP_REBOOT_CMD_HALT), 0);
	ATF_CHECK_MSG(host_has(data, BS, BS * 50),
	    "the halt did not write the delayed write");
}

ATF_TC(halt_nosync);
ATF_TC_HEAD(halt_nosync, tc)
{
	atf_tc_set_md_var(tc, "descr", "a halt without sync leaves delayed "
	    "writes unwritten");
}
ATF_TC_BODY(halt_nosync, tc)
{
	unsigned char data[BS];

	setup(IMGSIZE);
	memset(data, 0x92, sizeof(data));
	ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * 51), BS, data,
	    HOW_BDWRITE, 0), 0);
	ATF_REQUIRE_EQ(rump_sys_reboot(RUMP_REBOOT_CMD_HALT_NOSYNC), 0);
	ATF_CHECK_MSG(host_is_pattern(BS, BS * 51),
	    "a halt without sync wrote the delayed write");
}

ATF_TC(no_threads);
ATF_TC_HEAD(no_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "without kernel threads (no syncer, "
	    "synchronous host I/O) reads, writes and flushes still work");
}
ATF_TC_BODY(no_threads, tc)
{
	unsigned char data[BS];
	off_t off;
	int i;

	ATF_REQUIRE_EQ(setenv("RUMP_THREADS", "0", 1), 0);
	setup(IMGSIZE);
	for (off = 0; off < BS * 300; off += BS)
		check_read(off, BS, 64);
	for (i = 0; i < 300; i++) {
		memset(data, i & 0xff, sizeof(data));
		ATF_REQUIRE_EQ(rump_test_bufcache_write(SECT(BS * (400 + i)),
		    BS, data, i % 3 == 2 ? HOW_BAWRITE : HOW_BDWRITE, 0), 0);
	}
	ATF_CHECK_EQ(rump_test_bufcache_flush(1), 0);
	for (i = 0; i < 300; i++) {
		memset(data, i & 0xff, sizeof(data));
		ATF_CHECK_MSG(host_has(data, BS, BS * (400 + i)),
		    "block %d wrong", i);
	}
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(reread_busy_block);
ATF_TC_HEAD(reread_busy_block, tc)
{
	atf_tc_set_md_var(tc, "descr", "reading a block that the same "
	    "thread has busy fails with EDEADLK instead of hanging");
	atf_tc_set_md_var(tc, "timeout", "30");
}
ATF_TC_BODY(reread_busy_block, tc)
{

	setup(IMGSIZE);
	ATF_CHECK_EQ(rump_test_bufcache_reread_busy(SECT(BS * 7), BS, 0),
	    EDEADLK);
	ATF_CHECK_EQ(rump_test_bufcache_reread_busy(SECT(BS * 7), BS, 4),
	    EDEADLK);
	/* The block is usable afterwards. */
	check_read(BS * 7, BS, 0);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);
}

ATF_TC(opendev);
ATF_TC_HEAD(opendev, tc)
{
	atf_tc_set_md_var(tc, "descr", "vfs_opendev opens block devices "
	    "only, once per device; vfs_devsize and vfs_devsetrw work");
}
ATF_TC_BODY(opendev, tc)
{
	uint64_t size;
	unsigned int secsize;
	int fd;

	setup(IMGSIZE);
	ATF_CHECK_EQ(rump_test_bufcache_open_other(DEV), EBUSY);
	ATF_CHECK_EQ(rump_test_bufcache_open_other("/dev/nonexistent"),
	    ENOENT);
	ATF_CHECK_EQ(rump_test_bufcache_open_other("/dev/null"), ENOTBLK);
	ATF_CHECK_EQ(rump_test_bufcache_devsize(&size, &secsize), 0);
	ATF_CHECK_EQ(size, IMGSIZE);
	ATF_CHECK_EQ(secsize, 512);
	ATF_CHECK_EQ(rump_test_bufcache_setrw(0), 0);
	ATF_CHECK_EQ(rump_test_bufcache_setrw(1), 0);
	ATF_CHECK_EQ(rump_test_bufcache_close(), 0);

	/* Released: another open works, and the key can go. */
	ATF_CHECK_EQ(rump_test_bufcache_open_other(DEV), 0);
	fd = rump_sys_open(DEV, O_RDONLY);
	ATF_CHECK(fd >= 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_pub_etfs_remove(DEV), 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, read_matches_host);
	ATF_TP_ADD_TC(tp, sequential_clusters);
	ATF_TP_ADD_TC(tp, write_paths);
	ATF_TP_ADD_TC(tp, fsync_device);
	ATF_TP_ADD_TC(tp, syncer_delay);
	ATF_TP_ADD_TC(tp, bounded_size);
	ATF_TP_ADD_TC(tp, memory_pressure);
	ATF_TP_ADD_TC(tp, io_errors);
	ATF_TP_ADD_TC(tp, concurrent_readers);
	ATF_TP_ADD_TC(tp, concurrent_mixed);
	ATF_TP_ADD_TC(tp, uncached_coherent);
	ATF_TP_ADD_TC(tp, halt_writes_dirty);
	ATF_TP_ADD_TC(tp, halt_nosync);
	ATF_TP_ADD_TC(tp, no_threads);
	ATF_TP_ADD_TC(tp, reread_busy_block);
	ATF_TP_ADD_TC(tp, opendev);
	return atf_no_error();
}
