/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File system speed and memory of rumpfs, beside the host's tmpfs
 * (/dev/shm) in the same run: open+close, stat and create+unlink per
 * second; read and write throughput with 1-byte, 4 KiB and 1 MiB calls;
 * and the memory that a 256 MiB file costs.
 *
 * The rump side runs on a thread bound to its own process
 * (rump_pub_lwproc_rfork), so no call pays for an implicit lwp.  Each
 * small-call figure is measured for a fixed time (0.25 s by default).
 * Memory: for rumpfs, the growth of the process's resident set while the
 * 256 MiB file is written (file data lives in the process); for tmpfs,
 * the growth of Shmem in /proc/meminfo (file data lives in the host's
 * page cache).  Either way the figure is growth / 256 MiB.
 *
 * The bench programs are linked with librump alone, so the VFS faction
 * is loaded at run time, before rump_init(), the way rump_server -l loads
 * components; rump_init() registers the components of loaded objects.
 *
 * usage: bench_vfs [seconds per figure]
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#define MIB		(1024.0 * 1024.0)
#define GIB		(1024.0 * MIB)
#define BIGFILE		(256u << 20)	/* the file whose memory is measured */
#define SMALLFILE	(16u << 20)	/* the file the small reads cycle over */
#define NAMES		1000		/* files for open/stat loops */

enum side { HOST, RUMP };

static const char *side_names[] = { "host tmpfs", "rumpfs" };

/* Base directory of each side. */
static char bases[2][PATH_MAX];

static double seconds = 0.25;		/* per small-call figure */
static char iobuf[1 << 20];

/* The same call on either side. */
#define SYS(side, name, ...) ((side) == HOST ? (long)name(__VA_ARGS__) : \
	(long)rump_sys_##name(__VA_ARGS__))

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
path_of(enum side s, char *buf, size_t len, const char *fmt, int i)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, i);
	snprintf(buf, len, "%s/%s", bases[s], name);
}

/* ------------------------------------------------------------------ */
/* Metadata operations per second. */

static void
make_names(enum side s)
{
	char p[PATH_MAX];
	long fd;
	int i;

	for (i = 0; i < NAMES; i++) {
		path_of(s, p, sizeof(p), "n%d", i);
		fd = SYS(s, open, p, O_CREAT | O_WRONLY, 0644);
		if (fd == -1)
			err(1, "%s: create %s", side_names[s], p);
		SYS(s, close, (int)fd);
	}
}

/* Run op on names in turn for the measuring time; returns calls per s. */
static double
rate_of(enum side s, void (*op)(enum side, int))
{
	double t0, t;
	long n = 0;
	int i;

	t0 = now_s();
	do {
		for (i = 0; i < 100; i++, n++)
			op(s, (int)(n % NAMES));
		t = now_s();
	} while (t - t0 < seconds);
	return (double)n / (t - t0);
}

static char opath[2][NAMES][64];

static void
prepare_paths(enum side s)
{
	char p[PATH_MAX];
	int i;

	for (i = 0; i < NAMES; i++) {
		path_of(s, p, sizeof(p), "n%d", i);
		if (strlen(p) >= sizeof(opath[s][i]))
			errx(1, "base directory name too long: %s", p);
		memcpy(opath[s][i], p, strlen(p) + 1);
	}
}

static void
op_open_close(enum side s, int i)
{
	long fd;

	fd = SYS(s, open, opath[s][i], O_RDONLY);
	if (fd == -1)
		err(1, "%s: open %s", side_names[s], opath[s][i]);
	SYS(s, close, (int)fd);
}

static void
op_stat(enum side s, int i)
{
	struct stat st;

	if (SYS(s, stat, opath[s][i], &st) == -1)
		err(1, "%s: stat %s", side_names[s], opath[s][i]);
}

static void
op_create_unlink(enum side s, int i)
{
	char p[PATH_MAX];
	long fd;

	snprintf(p, sizeof(p), "%s.new", opath[s][i]);
	fd = SYS(s, open, p, O_CREAT | O_EXCL | O_WRONLY, 0644);
	if (fd == -1)
		err(1, "%s: create %s", side_names[s], p);
	SYS(s, close, (int)fd);
	if (SYS(s, unlink, p) == -1)
		err(1, "%s: unlink %s", side_names[s], p);
}

/* ------------------------------------------------------------------ */
/* Throughput. */

/* Write calls of size bytes to a new file for the measuring time. */
static double
write_ns(enum side s, size_t size, const char *name, size_t maxbytes)
{
	char p[PATH_MAX];
	double t0, t;
	long fd, n = 0;

	snprintf(p, sizeof(p), "%s/%s", bases[s], name);
	fd = SYS(s, open, p, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd == -1)
		err(1, "%s: create %s", side_names[s], p);
	t0 = now_s();
	do {
		int i;

		for (i = 0; i < 64; i++, n++)
			if (SYS(s, write, (int)fd, iobuf, size) != (long)size)
				err(1, "%s: write", side_names[s]);
		t = now_s();
	} while (t - t0 < seconds && (size_t)n * size < maxbytes);
	SYS(s, close, (int)fd);
	SYS(s, unlink, p);
	return (t - t0) * 1e9 / (double)n;
}

/* Read calls of size bytes from a file of SMALLFILE bytes, cycling. */
static double
read_ns(enum side s, size_t size)
{
	char p[PATH_MAX];
	double t0, t;
	long fd, n = 0, got;
	size_t done;

	snprintf(p, sizeof(p), "%s/small", bases[s]);
	fd = SYS(s, open, p, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd == -1)
		err(1, "%s: create %s", side_names[s], p);
	for (done = 0; done < SMALLFILE; done += sizeof(iobuf))
		if (SYS(s, write, (int)fd, iobuf, sizeof(iobuf)) !=
		    (long)sizeof(iobuf))
			err(1, "%s: write", side_names[s]);
	SYS(s, lseek, (int)fd, 0, SEEK_SET);

	t0 = now_s();
	do {
		int i;

		for (i = 0; i < 64; i++, n++) {
			got = SYS(s, read, (int)fd, iobuf, size);
			if (got == 0) {
				SYS(s, lseek, (int)fd, 0, SEEK_SET);
				got = SYS(s, read, (int)fd, iobuf, size);
			}
			if (got <= 0)
				err(1, "%s: read", side_names[s]);
		}
		t = now_s();
	} while (t - t0 < seconds);
	SYS(s, close, (int)fd);
	SYS(s, unlink, p);
	return (t - t0) * 1e9 / (double)n;
}

/* ------------------------------------------------------------------ */
/* The 256 MiB file: write and read speed, and memory. */

static long
status_kib(const char *file, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f;

	f = fopen(file, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, klen) == 0) {
			v = strtol(line + klen, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Memory the side's file data uses now, in KiB. */
static long
file_memory_kib(enum side s)
{

	if (s == RUMP)
		return status_kib("/proc/self/status", "VmRSS:");
	return status_kib("/proc/meminfo", "Shmem:");
}

struct bigresult {
	double	 write_bps, read_bps;	/* bytes per second */
	double	 mem_ratio;		/* memory growth / BIGFILE */
	long	 fd;
};

static void
big_file(enum side s, struct bigresult *r)
{
	char p[PATH_MAX];
	long before, after;
	double t0, t1;
	size_t done;
	int pass;
	long fd;

	snprintf(p, sizeof(p), "%s/big", bases[s]);
	before = file_memory_kib(s);
	fd = SYS(s, open, p, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd == -1)
		err(1, "%s: create %s", side_names[s], p);
	t0 = now_s();
	for (done = 0; done < BIGFILE; done += sizeof(iobuf))
		if (SYS(s, write, (int)fd, iobuf, sizeof(iobuf)) !=
		    (long)sizeof(iobuf))
			err(1, "%s: write %s", side_names[s], p);
	t1 = now_s();
	r->write_bps = BIGFILE / (t1 - t0);
	after = file_memory_kib(s);
	r->mem_ratio = (double)(after - before) * 1024.0 / BIGFILE;

	/* Two passes of 1 MiB reads; the second is the one measured. */
	for (pass = 0; pass < 2; pass++) {
		SYS(s, lseek, (int)fd, 0, SEEK_SET);
		t0 = now_s();
		for (done = 0; done < BIGFILE; done += sizeof(iobuf))
			if (SYS(s, read, (int)fd, iobuf, sizeof(iobuf)) !=
			    (long)sizeof(iobuf))
				err(1, "%s: read %s", side_names[s], p);
		t1 = now_s();
	}
	r->read_bps = BIGFILE / (t1 - t0);
	SYS(s, close, (int)fd);
	if (SYS(s, unlink, p) == -1)
		err(1, "%s: unlink %s", side_names[s], p);
}

/* ------------------------------------------------------------------ */

static int
rm_one(const char *p, const struct stat *sb, int type, struct FTW *f)
{

	(void)sb;
	(void)f;
	if (type == FTW_DP)
		(void)rmdir(p);
	else
		(void)unlink(p);
	return 0;
}

static void
row(const char *what, double rump, double host, const char *unit,
    const char *target)
{

	printf("%-22s %12.4g %12.4g %-6s %7.2f   %s\n", what, rump, host,
	    unit, host != 0 ? rump / host : 0.0, target);
}

int
main(int argc, char **argv)
{
	struct bigresult big[2];
	double wr[2][3], rd[2][3], opens[2], stats[2], creates[2];
	static const size_t sizes[3] = { 1, 4096, 1 << 20 };
	long rss_peak;
	int error, s;

	if (argc > 1)
		seconds = atof(argv[1]);
	if (seconds <= 0 || seconds > 5)
		errx(1, "usage: bench_vfs [seconds per figure, 0 < s <= 5]");
	memset(iobuf, 'x', sizeof(iobuf));

	error = rump_init();
	if (error != 0)
		errx(1, "rump_init: %s", strerror(error));
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error != 0)
		errx(1, "rump_pub_lwproc_rfork: %s", strerror(error));
	snprintf(bases[RUMP], sizeof(bases[RUMP]), "/bench");
	if (rump_sys_mkdir(bases[RUMP], 0755) == -1)
		err(1, "rump: mkdir /bench");
	snprintf(bases[HOST], sizeof(bases[HOST]), "/dev/shm/bench_vfs.XXXXXX");
	if (mkdtemp(bases[HOST]) == NULL)
		err(1, "mkdtemp %s", bases[HOST]);

	/*
	 * The big file first, while the process is small, so the resident
	 * set's growth is the file's.
	 */
	for (s = RUMP; s >= HOST; s--)
		big_file((enum side)s, &big[s]);

	for (s = HOST; s <= RUMP; s++) {
		int i;

		make_names((enum side)s);
		prepare_paths((enum side)s);
		opens[s] = rate_of((enum side)s, op_open_close);
		stats[s] = rate_of((enum side)s, op_stat);
		creates[s] = rate_of((enum side)s, op_create_unlink);
		for (i = 0; i < 3; i++) {
			wr[s][i] = write_ns((enum side)s, sizes[i], "w",
			    64u << 20);
			rd[s][i] = read_ns((enum side)s, sizes[i]);
		}
	}
	rss_peak = status_kib("/proc/self/status", "VmHWM:");

	printf("ratio is rumpfs / host: above 1 is better for rates (k/s, "
	    "GiB/s), below 1 is better for times (ns, us)\n");
	printf("%-22s %12s %12s %-6s %7s   %s\n", "figure", "rumpfs",
	    "host tmpfs", "unit", "ratio", "target");
	row("open+close", opens[RUMP] / 1e3, opens[HOST] / 1e3, "k/s", "");
	row("stat", stats[RUMP] / 1e3, stats[HOST] / 1e3, "k/s", "");
	row("create+unlink", creates[RUMP] / 1e3, creates[HOST] / 1e3, "k/s",
	    "");
	row("write 1 B", wr[RUMP][0], wr[HOST][0], "ns", "");
	row("write 4 KiB", wr[RUMP][1], wr[HOST][1], "ns", "");
	row("write 1 MiB", wr[RUMP][2] / 1e3, wr[HOST][2] / 1e3, "us", "");
	row("read 1 B", rd[RUMP][0], rd[HOST][0], "ns", "< 150 ns");
	row("read 4 KiB", rd[RUMP][1], rd[HOST][1], "ns", "");
	row("read 1 MiB", rd[RUMP][2] / 1e3, rd[HOST][2] / 1e3, "us", "");
	row("write 256 MiB file", big[RUMP].write_bps / GIB,
	    big[HOST].write_bps / GIB, "GiB/s", ">= 2 GiB/s");
	row("read 256 MiB file", big[RUMP].read_bps / GIB,
	    big[HOST].read_bps / GIB, "GiB/s", ">= host");
	row("memory / file size", big[RUMP].mem_ratio, big[HOST].mem_ratio,
	    "", "<= 1.10");
	printf("peak RSS of this process: %.1f MiB (rumpfs held the 256 MiB "
	    "file in it)\n", rss_peak / 1024.0);
	printf("NetBSD rump kernel, quoted, not measured here: 682 MiB/s "
	    "write, 6.8 GiB/s read, 220 ns 1-byte read, 543 ns 4 KiB read, "
	    "533 MiB peak RSS for 256 MiB\n");

	(void)nftw(bases[HOST], rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
