/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpfs, the in-memory root file system: sparse file data, large
 * directories, readdir cookies under concurrent change, time stamps
 * against the host's tmpfs, statfs, running out of memory, mount
 * options, and the device nodes in /dev.  Expected values that are not
 * measured on the host in the test itself were observed on Linux 6.x
 * with tmpfs (/dev/shm).
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include <dirent.h>
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

#include <linux/falloc.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define RUMPFS_MAGIC	0x72756d70
#define PAGE		4096
#define GIB		(1024LL * 1024 * 1024)

static void
boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int
create_ok(const char *path)
{
	int fd;

	fd = rump_sys_open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	return fd;
}

static struct stat
fstat_ok(int fd)
{
	struct stat st;

	ATF_REQUIRE_EQ_MSG(rump_sys_fstat(fd, &st), 0, "fstat: %s",
	    strerror(errno));
	return st;
}

static struct stat
lstat_ok(const char *path)
{
	struct stat st;

	ATF_REQUIRE_EQ_MSG(rump_sys_lstat(path, &st), 0, "lstat %s: %s",
	    path, strerror(errno));
	return st;
}

static void
pwrite_ok(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	n = rump_sys_pwrite(fd, buf, len, off);
	ATF_REQUIRE_EQ_MSG(n, (ssize_t)len, "pwrite %zu at %lld: %zd (%s)",
	    len, (long long)off, n, n < 0 ? strerror(errno) : "short");
}

static bool
all_zero(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0)
			return false;
	return true;
}

/* lseek(SEEK_DATA or SEEK_HOLE) must give want (-1: fail with ENXIO). */
static void
check_seek(int fd, off_t off, int whence, off_t want)
{
	off_t got;

	errno = 0;
	got = rump_sys_lseek(fd, off, whence);
	if (want == -1) {
		ATF_CHECK_MSG(got == -1 && errno == ENXIO,
		    "%s at %lld: got %lld (%s), expected ENXIO",
		    whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE",
		    (long long)off, (long long)got, strerror(errno));
	} else {
		ATF_CHECK_MSG(got == want, "%s at %lld: got %lld (%s), "
		    "expected %lld",
		    whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE",
		    (long long)off, (long long)got,
		    got < 0 ? strerror(errno) : "ok", (long long)want);
	}
}

ATF_TC(sparse_5g);
ATF_TC_HEAD(sparse_5g, tc)
{
	atf_tc_set_md_var(tc, "descr", "a file with data at 4 KiB and 5 GiB "
	    "reads zeroes in its holes, which SEEK_DATA and SEEK_HOLE find");
}
ATF_TC_BODY(sparse_5g, tc)
{
	const off_t tail = 5 * GIB;
	char buf[65536];
	struct stat st;
	int fd;

	boot();
	fd = create_ok("/sparse");
	pwrite_ok(fd, "tail", 4, tail);
	pwrite_ok(fd, "x", 1, PAGE);

	st = fstat_ok(fd);
	ATF_CHECK_EQ(st.st_size, tail + 4);
	ATF_CHECK_MSG(st.st_blocks == 2 * PAGE / 512, "st_blocks %lld, "
	    "expected two pages", (long long)st.st_blocks);

	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, PAGE, 0), PAGE);
	ATF_CHECK(all_zero(buf, PAGE));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, PAGE, PAGE), PAGE);
	ATF_CHECK_EQ(buf[0], 'x');
	ATF_CHECK(all_zero(buf + 1, PAGE - 1));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 3 * GIB),
	    (ssize_t)sizeof(buf));
	ATF_CHECK(all_zero(buf, sizeof(buf)));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), tail - 10), 14);
	ATF_CHECK(all_zero(buf, 10));
	ATF_CHECK(memcmp(buf + 10, "tail", 4) == 0);
	ATF_CHECK_EQ(rump_sys_pread(fd, buf, 10, tail + 4), 0);

	/* The values tmpfs gives for the same file. */
	check_seek(fd, 0, SEEK_DATA, PAGE);
	check_seek(fd, 0, SEEK_HOLE, 0);
	check_seek(fd, PAGE - 1, SEEK_HOLE, PAGE - 1);
	check_seek(fd, PAGE, SEEK_DATA, PAGE);
	check_seek(fd, PAGE, SEEK_HOLE, 2 * PAGE);
	check_seek(fd, 2 * PAGE, SEEK_DATA, tail);
	check_seek(fd, 1 * GIB, SEEK_HOLE, 1 * GIB);
	check_seek(fd, tail, SEEK_DATA, tail);
	check_seek(fd, tail, SEEK_HOLE, tail + 4);
	check_seek(fd, tail + 4, SEEK_DATA, -1);
	check_seek(fd, tail + 4, SEEK_HOLE, -1);
	check_seek(fd, 6 * GIB, SEEK_DATA, -1);

	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(truncate_frees);
ATF_TC_HEAD(truncate_frees, tc)
{
	atf_tc_set_md_var(tc, "descr", "truncation frees the pages past the "
	    "new size and a later extension reads zeroes there");
}
ATF_TC_BODY(truncate_frees, tc)
{
	char data[3 * PAGE], buf[3 * PAGE];
	struct stat st;
	int fd;

	boot();
	memset(data, 'a', sizeof(data));
	fd = create_ok("/trunc");
	pwrite_ok(fd, data, sizeof(data), 0);
	ATF_CHECK_EQ(fstat_ok(fd).st_blocks, 3 * PAGE / 512);

	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 5000), 0);
	st = fstat_ok(fd);
	ATF_CHECK_EQ(st.st_size, 5000);
	ATF_CHECK_EQ(st.st_blocks, 2 * PAGE / 512);

	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, sizeof(data)), 0);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0),
	    (ssize_t)sizeof(buf));
	ATF_CHECK(memcmp(buf, data, 5000) == 0);
	ATF_CHECK_MSG(all_zero(buf + 5000, sizeof(buf) - 5000),
	    "old data reappeared after truncating and extending");
	ATF_CHECK_EQ(fstat_ok(fd).st_blocks, 2 * PAGE / 512);
	check_seek(fd, 0, SEEK_HOLE, 2 * PAGE);

	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 0), 0);
	ATF_CHECK_EQ(fstat_ok(fd).st_blocks, 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(fallocate_modes);
ATF_TC_HEAD(fallocate_modes, tc)
{
	atf_tc_set_md_var(tc, "descr", "fallocate with FALLOC_FL_KEEP_SIZE "
	    "allocates without growing, mode 0 grows, others EOPNOTSUPP");
}
ATF_TC_BODY(fallocate_modes, tc)
{
	char buf[2 * PAGE];
	struct stat st;
	int fd;

	boot();
	fd = create_ok("/falloc");
	ATF_REQUIRE_EQ_MSG(rump_sys_fallocate(fd, FALLOC_FL_KEEP_SIZE, 0,
	    1024 * 1024), 0, "fallocate: %s", strerror(errno));
	st = fstat_ok(fd);
	ATF_CHECK_EQ(st.st_size, 0);
	ATF_CHECK_EQ(st.st_blocks, 1024 * 1024 / 512);
	check_seek(fd, 0, SEEK_DATA, -1);

	ATF_REQUIRE_EQ(rump_sys_fallocate(fd, 0, 0, 2 * PAGE), 0);
	st = fstat_ok(fd);
	ATF_CHECK_EQ(st.st_size, 2 * PAGE);
	ATF_CHECK_EQ(st.st_blocks, 1024 * 1024 / 512);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0),
	    (ssize_t)sizeof(buf));
	ATF_CHECK(all_zero(buf, sizeof(buf)));
	/* Allocated pages are data for SEEK_DATA, as on tmpfs. */
	check_seek(fd, 0, SEEK_DATA, 0);
	check_seek(fd, 0, SEEK_HOLE, 2 * PAGE);

	pwrite_ok(fd, "y", 1, PAGE + 100);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 1, PAGE + 100), 1);
	ATF_CHECK_EQ(buf[0], 'y');
	ATF_CHECK_EQ(fstat_ok(fd).st_blocks, 1024 * 1024 / 512);

	errno = 0;
	ATF_CHECK_EQ(rump_sys_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0,
	    PAGE), -1);
	ATF_CHECK_EQ(errno, EOPNOTSUPP);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_fallocate(fd, 0, 0, 0), -1);
	ATF_CHECK_EQ(errno, EINVAL);

	/* Truncation frees the allocation past the size too. */
	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 0), 0);
	ATF_CHECK_EQ(fstat_ok(fd).st_blocks, 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

/* One getdents64 pass over the open directory fd from its start. */
static void
list_dir(int fd, size_t bufsize, void (*visit)(const char *, unsigned char,
    void *), void *arg)
{
	char *buf;
	ssize_t n, off;
	struct dirent64 *d;

	buf = malloc(bufsize);
	ATF_REQUIRE(buf != NULL);
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	for (;;) {
		n = rump_sys_getdents64(fd, buf, bufsize);
		ATF_REQUIRE_MSG(n >= 0, "getdents64: %s", strerror(errno));
		if (n == 0)
			break;
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			visit(d->d_name, d->d_type, arg);
		}
	}
	free(buf);
}

#define BIGDIR_N	100000

struct bigdir_seen {
	unsigned char	*seen;
	int		 dots;
	int		 other;
	int		 dups;
};

static void
bigdir_visit(const char *name, unsigned char type, void *arg)
{
	struct bigdir_seen *s = arg;
	int i;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		s->dots++;
		return;
	}
	if (sscanf(name, "f%d", &i) != 1 || i < 0 || i >= BIGDIR_N ||
	    type != DT_REG) {
		s->other++;
		return;
	}
	if (s->seen[i]++)
		s->dups++;
}

ATF_TC(dir_100k);
ATF_TC_HEAD(dir_100k, tc)
{
	atf_tc_set_md_var(tc, "descr", "a directory of 100,000 entries is "
	    "created, looked up, listed and emptied in bounded time");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(dir_100k, tc)
{
	struct bigdir_seen s;
	char path[64];
	double t0, tcreate, tlookup, tlist, tremove;
	struct stat st;
	int i, fd, missing;

	boot();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/big", 0755), 0);

	t0 = now_seconds();
	for (i = 0; i < BIGDIR_N; i++) {
		snprintf(path, sizeof(path), "/big/f%d", i);
		fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path,
		    strerror(errno));
		ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	}
	tcreate = now_seconds() - t0;

	t0 = now_seconds();
	for (i = BIGDIR_N - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), "/big/f%d", i);
		ATF_REQUIRE_EQ_MSG(rump_sys_stat(path, &st), 0, "stat %s: %s",
		    path, strerror(errno));
	}
	tlookup = now_seconds() - t0;
	st = lstat_ok("/big");
	ATF_CHECK_EQ(st.st_size, 40 + 20LL * BIGDIR_N);

	memset(&s, 0, sizeof(s));
	s.seen = calloc(BIGDIR_N, 1);
	ATF_REQUIRE(s.seen != NULL);
	fd = rump_sys_open("/big", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	t0 = now_seconds();
	list_dir(fd, 32768, bigdir_visit, &s);
	tlist = now_seconds() - t0;
	for (missing = 0, i = 0; i < BIGDIR_N; i++)
		if (!s.seen[i])
			missing++;
	ATF_CHECK_EQ(s.dots, 2);
	ATF_CHECK_EQ(s.other, 0);
	ATF_CHECK_EQ(s.dups, 0);
	ATF_CHECK_EQ(missing, 0);

	t0 = now_seconds();
	for (i = 0; i < BIGDIR_N; i++) {
		snprintf(path, sizeof(path), "/big/f%d", i);
		ATF_REQUIRE_EQ_MSG(rump_sys_unlink(path), 0, "unlink %s: %s",
		    path, strerror(errno));
	}
	tremove = now_seconds() - t0;

	memset(s.seen, 0, BIGDIR_N);
	s.dots = s.other = s.dups = 0;
	list_dir(fd, 32768, bigdir_visit, &s);
	ATF_CHECK_EQ(s.dots, 2);
	ATF_CHECK_EQ(s.other, 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_sys_rmdir("/big"), 0);
	free(s.seen);

	printf("100000 entries: create %.2f s, stat %.2f s, list %.3f s, "
	    "unlink %.2f s\n", tcreate, tlookup, tlist, tremove);
	/* Linear work: far below what quadratic lookups would take. */
	ATF_CHECK_MSG(tlookup < 30 && tlist < 10, "lookups %.2f s, listing "
	    "%.2f s for %d entries", tlookup, tlist, BIGDIR_N);
}

/*
 * Readdir while another thread creates and removes entries: the entries
 * that exist throughout are listed exactly once per pass, and no entry
 * is listed twice.
 */
#define CONC_OLD	2000
#define CONC_PASSES	30	/* at least this many listings */
#define CONC_CREATES	5000	/* and until this many creates, */
#define CONC_SECONDS	20	/* but no longer than this */

struct conc_state {
	volatile bool	 stop;
	volatile int	 created;
	int		 error;
};

static void *
conc_creator(void *arg)
{
	struct conc_state *cs = arg;
	char path[64];
	int fd, i;

	for (i = 0; !cs->stop && i < 200000; i++) {
		snprintf(path, sizeof(path), "/conc/new%d", i);
		fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			cs->error = errno;
			break;
		}
		rump_sys_close(fd);
		cs->created = i + 1;
		/* Remove every other one again, after its successor came. */
		if (i > 0 && (i - 1) % 2 == 0) {
			snprintf(path, sizeof(path), "/conc/new%d", i - 1);
			if (rump_sys_unlink(path) != 0) {
				cs->error = errno;
				break;
			}
		}
	}
	return NULL;
}

struct conc_pass {
	unsigned char	 old[CONC_OLD];
	int		 dupnames;
	char		**names;
	size_t		 nnames;
	size_t		 capnames;
};

static void
conc_visit(const char *name, unsigned char type, void *arg)
{
	struct conc_pass *p = arg;
	int i;

	if (sscanf(name, "old%d", &i) == 1 && i >= 0 && i < CONC_OLD) {
		p->old[i]++;
		return;
	}
	if (strncmp(name, "new", 3) != 0)
		return;
	if (p->nnames == p->capnames) {
		p->capnames = p->capnames ? p->capnames * 2 : 1024;
		p->names = realloc(p->names, p->capnames * sizeof(char *));
		ATF_REQUIRE(p->names != NULL);
	}
	p->names[p->nnames++] = strdup(name);
}

static int
cmp_names(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

ATF_TC(readdir_concurrent);
ATF_TC_HEAD(readdir_concurrent, tc)
{
	atf_tc_set_md_var(tc, "descr", "readdir during concurrent creates "
	    "and removes lists each surviving entry exactly once");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(readdir_concurrent, tc)
{
	struct conc_state cs;
	struct conc_pass pass;
	pthread_t thr;
	char path[64];
	double t0;
	size_t j;
	int fd, i, pass_no, bad;

	boot();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/conc", 0755), 0);
	for (i = 0; i < CONC_OLD; i++) {
		snprintf(path, sizeof(path), "/conc/old%d", i);
		fd = create_ok(path);
		ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	}

	memset(&cs, 0, sizeof(cs));
	ATF_REQUIRE_EQ(pthread_create(&thr, NULL, conc_creator, &cs), 0);
	fd = rump_sys_open("/conc", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);

	bad = 0;
	t0 = now_seconds();
	for (pass_no = 0; (pass_no < CONC_PASSES ||
	    cs.created < CONC_CREATES) &&
	    now_seconds() - t0 < CONC_SECONDS; pass_no++) {
		memset(&pass, 0, sizeof(pass));
		/* A small buffer: many getdents64 calls per pass. */
		list_dir(fd, 512, conc_visit, &pass);
		for (i = 0; i < CONC_OLD; i++) {
			if (pass.old[i] != 1) {
				if (bad++ < 5)
					fprintf(stderr, "pass %d: old%d listed "
					    "%d times\n", pass_no, i,
					    pass.old[i]);
			}
		}
		if (pass.nnames > 1)
			qsort(pass.names, pass.nnames, sizeof(char *),
			    cmp_names);
		for (j = 1; j < pass.nnames; j++) {
			if (strcmp(pass.names[j - 1], pass.names[j]) == 0 &&
			    bad++ < 5)
				fprintf(stderr, "pass %d: %s listed twice\n",
				    pass_no, pass.names[j]);
		}
		for (j = 0; j < pass.nnames; j++)
			free(pass.names[j]);
		free(pass.names);
	}
	cs.stop = true;
	ATF_REQUIRE_EQ(pthread_join(thr, NULL), 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ_MSG(cs.error, 0, "creator: %s", strerror(cs.error));
	ATF_CHECK_MSG(cs.created >= CONC_CREATES, "the creator made only %d "
	    "entries during %d listings", cs.created, pass_no);
	printf("%d listings while %d entries were created\n", pass_no,
	    cs.created);
	ATF_CHECK_EQ_MSG(bad, 0, "%d listing errors (see stderr)", bad);
}

/*
 * Time stamps against the host: the same steps run in a directory of
 * the host's tmpfs and of rumpfs, and after each step the set of
 * stamps that moved (a, m, c) of the watched file must be the same.
 * The steps are 20 ms apart so that the host's coarse clock moves too.
 */
struct fsops {
	int	(*open)(const char *, int, ...);
	int	(*close)(int);
	ssize_t	(*pread)(int, void *, size_t, off_t);
	ssize_t	(*pwrite)(int, const void *, size_t, off_t);
	int	(*ftruncate)(int, off_t);
	int	(*fallocate)(int, int, off_t, off_t);
	int	(*fchmod)(int, mode_t);
	int	(*mkdir)(const char *, mode_t);
	int	(*rmdir)(const char *);
	int	(*link)(const char *, const char *);
	int	(*unlink)(const char *);
	int	(*rename)(const char *, const char *);
	int	(*symlink)(const char *, const char *);
	ssize_t	(*readlink)(const char *, char *, size_t);
	int	(*lstat)(const char *, struct stat *);
	ssize_t	(*getdents)(int, void *, size_t);
	int	(*chdir)(const char *);
};

static int
rump_open_wrapper(const char *path, int flags, ...)
{

	return rump_sys_open(path, flags, 0644);
}

static int
host_open_wrapper(const char *path, int flags, ...)
{

	return open(path, flags, 0644);
}

static ssize_t
host_getdents(int fd, void *buf, size_t len)
{

	return getdents64(fd, buf, len);
}

static const struct fsops rump_fsops = {
	rump_open_wrapper, rump_sys_close, rump_sys_pread, rump_sys_pwrite,
	rump_sys_ftruncate, rump_sys_fallocate, rump_sys_fchmod,
	rump_sys_mkdir, rump_sys_rmdir, rump_sys_link, rump_sys_unlink,
	rump_sys_rename, rump_sys_symlink, rump_sys_readlink, rump_sys_lstat,
	rump_sys_getdents64, rump_sys_chdir,
};

static const struct fsops host_fsops = {
	host_open_wrapper, close, pread, pwrite, ftruncate, fallocate, fchmod,
	mkdir, rmdir, link, unlink, rename, symlink, readlink, lstat,
	host_getdents, chdir,
};

#define TS_NS(t)	((long long)(t).tv_sec * 1000000000LL + (t).tv_nsec)

/* Append "name:amc" for the stamps of path that moved since *last. */
static void
times_note(const struct fsops *ops, const char *step, const char *path,
    struct stat *last, char *log, size_t loglen)
{
	struct stat st;
	char line[128];

	if (ops->lstat(path, &st) != 0) {
		snprintf(line, sizeof(line), "%s %s: lstat %s\n", step, path,
		    strerror(errno));
	} else {
		snprintf(line, sizeof(line), "%s %s: a%c m%c c%c n%lu\n", step,
		    path,
		    TS_NS(st.st_atim) != TS_NS(last->st_atim) ? '+' : '=',
		    TS_NS(st.st_mtim) != TS_NS(last->st_mtim) ? '+' : '=',
		    TS_NS(st.st_ctim) != TS_NS(last->st_ctim) ? '+' : '=',
		    (unsigned long)st.st_nlink);
		*last = st;
	}
	strncat(log, line, loglen - strlen(log) - 1);
}

static void
times_sequence(const struct fsops *ops, const char *dir, char *log,
    size_t loglen)
{
	struct stat d, f, l;
	char buf[256];
	int fd;

	log[0] = '\0';
	ATF_REQUIRE_EQ_MSG(ops->mkdir(dir, 0755), 0, "mkdir %s: %s", dir,
	    strerror(errno));
	ATF_REQUIRE_EQ(ops->chdir(dir), 0);
	ATF_REQUIRE_EQ(ops->lstat(".", &d), 0);

#define STEP(name, call)	do { nap_ms(20); (void)(call); } while (0)
#define NOTE(name, path, st)	times_note(ops, name, path, &st, log, loglen)
	STEP("create", fd = ops->open("f", O_RDWR | O_CREAT | O_EXCL));
	ATF_REQUIRE(fd >= 0);
	NOTE("create", ".", d);
	ATF_REQUIRE_EQ(ops->lstat("f", &f), 0);
	STEP("read empty", ops->pread(fd, buf, 10, 0));
	NOTE("read empty", "f", f);
	STEP("write", ops->pwrite(fd, "hello", 5, 0));
	NOTE("write", "f", f);
	NOTE("write", ".", d);
	STEP("read 1", ops->pread(fd, buf, 5, 0));
	NOTE("read 1", "f", f);
	STEP("read 2", ops->pread(fd, buf, 5, 0));
	NOTE("read 2", "f", f);
	STEP("write 0", ops->pwrite(fd, "", 0, 0));
	NOTE("write 0", "f", f);
	STEP("truncate same", ops->ftruncate(fd, 5));
	NOTE("truncate same", "f", f);
	STEP("truncate grow", ops->ftruncate(fd, 10));
	NOTE("truncate grow", "f", f);
	STEP("fallocate keep", ops->fallocate(fd, FALLOC_FL_KEEP_SIZE, 0,
	    8192));
	NOTE("fallocate keep", "f", f);
	STEP("fallocate grow", ops->fallocate(fd, 0, 0, 20000));
	NOTE("fallocate grow", "f", f);
	STEP("chmod", ops->fchmod(fd, 0600));
	NOTE("chmod", "f", f);
	STEP("link", ops->link("f", "g"));
	NOTE("link", "f", f);
	NOTE("link", ".", d);
	STEP("unlink", ops->unlink("g"));
	NOTE("unlink", "f", f);
	NOTE("unlink", ".", d);
	STEP("mkdir", ops->mkdir("sub", 0755));
	NOTE("mkdir", ".", d);
	STEP("rename", ops->rename("f", "sub/f"));
	NOTE("rename", "sub/f", f);
	NOTE("rename", ".", d);
	STEP("rename back", ops->rename("sub/f", "f"));
	NOTE("rename back", ".", d);
	STEP("symlink", ops->symlink("target", "l"));
	NOTE("symlink", ".", d);
	ATF_REQUIRE_EQ(ops->lstat("l", &l), 0);
	STEP("readlink 1", ops->readlink("l", buf, sizeof(buf)));
	NOTE("readlink 1", "l", l);
	STEP("readlink 2", ops->readlink("l", buf, sizeof(buf)));
	NOTE("readlink 2", "l", l);
	STEP("rmdir", ops->rmdir("sub"));
	NOTE("rmdir", ".", d);
#undef STEP
#undef NOTE
	ATF_REQUIRE_EQ(ops->close(fd), 0);
}

/* getdents updates the directory's atime; checked apart from the rest. */
static void
times_readdir(const struct fsops *ops, char *log, size_t loglen)
{
	struct stat d;
	char buf[4096];
	int fd;

	fd = ops->open(".", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(ops->lstat(".", &d), 0);
	nap_ms(20);
	while (ops->getdents(fd, buf, sizeof(buf)) > 0)
		continue;
	times_note(ops, "readdir 1", ".", &d, log, loglen);
	ATF_REQUIRE_EQ(ops->close(fd), 0);
	fd = ops->open(".", O_RDONLY | O_DIRECTORY);
	nap_ms(20);
	while (ops->getdents(fd, buf, sizeof(buf)) > 0)
		continue;
	times_note(ops, "readdir 2", ".", &d, log, loglen);
	ATF_REQUIRE_EQ(ops->close(fd), 0);
}

ATF_TC(times_like_tmpfs);
ATF_TC_HEAD(times_like_tmpfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "each step updates the same time "
	    "stamps as on the host's tmpfs (relatime)");
}
ATF_TC_BODY(times_like_tmpfs, tc)
{
	char tmpdir[] = "/dev/shm/t_rumpfs.XXXXXX";
	char hostdir[64], hostlog[4096], rumplog[4096], cmd[128];
	char cwd[1024];

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		atf_tc_fail("getcwd: %s", strerror(errno));
	if (mkdtemp(tmpdir) == NULL)
		atf_tc_skip("no host tmpfs at /dev/shm: %s", strerror(errno));
	snprintf(hostdir, sizeof(hostdir), "%s/d", tmpdir);

	times_sequence(&host_fsops, hostdir, hostlog, sizeof(hostlog));
	times_readdir(&host_fsops, hostlog, sizeof(hostlog));
	ATF_REQUIRE_EQ(chdir(cwd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ATF_CHECK_EQ(system(cmd), 0);

	boot();
	times_sequence(&rump_fsops, "/d", rumplog, sizeof(rumplog));
	times_readdir(&rump_fsops, rumplog, sizeof(rumplog));

	if (strcmp(hostlog, rumplog) != 0) {
		fprintf(stderr, "host:\n%s\nrump:\n%s\n", hostlog, rumplog);
		atf_tc_fail("time stamps differ from the host's (see stderr)");
	}
}

ATF_TC(mount_atime_options);
ATF_TC_HEAD(mount_atime_options, tc)
{
	atf_tc_set_md_var(tc, "descr", "noatime never updates atime on "
	    "read, strictatime always does, unknown options are EINVAL");
}
ATF_TC_BODY(mount_atime_options, tc)
{
	struct stat before, after;
	char buf[8];
	int fd;

	boot();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/na", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/sa", 0755), 0);

	errno = 0;
	ATF_CHECK_EQ(rump_sys_mount("rumpfs", "/na", "rumpfs", 0, "bogus"),
	    -1);
	ATF_CHECK_EQ(errno, EINVAL);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_mount("rumpfs", "/na", "rumpfs", 0,
	    "size=12q"), -1);
	ATF_CHECK_EQ(errno, EINVAL);

	ATF_REQUIRE_EQ_MSG(rump_sys_mount("rumpfs", "/na", "rumpfs", 0,
	    "rw,noatime"), 0, "mount noatime: %s", strerror(errno));
	fd = create_ok("/na/f");
	pwrite_ok(fd, "abc", 3, 0);
	before = fstat_ok(fd);
	nap_ms(20);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 3, 0), 3);
	after = fstat_ok(fd);
	ATF_CHECK_EQ(TS_NS(before.st_atim), TS_NS(after.st_atim));
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	ATF_REQUIRE_EQ_MSG(rump_sys_mount("rumpfs", "/sa", "rumpfs", 0,
	    "strictatime"), 0, "mount strictatime: %s", strerror(errno));
	fd = create_ok("/sa/f");
	pwrite_ok(fd, "abc", 3, 0);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 3, 0), 3);
	before = fstat_ok(fd);
	nap_ms(20);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 3, 0), 3);
	after = fstat_ok(fd);
	ATF_CHECK_MSG(TS_NS(after.st_atim) > TS_NS(before.st_atim),
	    "strictatime: a second read left atime alone");
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	ATF_CHECK_EQ(rump_sys_umount("/na"), 0);
	ATF_CHECK_EQ(rump_sys_umount("/sa"), 0);
}

ATF_TC(statfs_counts);
ATF_TC_HEAD(statfs_counts, tc)
{
	atf_tc_set_md_var(tc, "descr", "statfs reports RUMPFS_MAGIC, 4 KiB "
	    "blocks from the memory limit or size=, and what is in use");
}
ATF_TC_BODY(statfs_counts, tc)
{
	static char data[1024 * 1024];
	struct statfs a, b;
	int fd;

	setenv("RUMP_MEMLIMIT", "64m", 1);
	boot();
	ATF_REQUIRE_EQ(rump_sys_statfs("/", &a), 0);
	ATF_CHECK_EQ(a.f_type, RUMPFS_MAGIC);
	ATF_CHECK_EQ(a.f_bsize, PAGE);
	ATF_CHECK_EQ(a.f_frsize, PAGE);
	ATF_CHECK_EQ(a.f_blocks, 64 * 1024 * 1024 / PAGE);
	ATF_CHECK(a.f_bfree <= a.f_blocks && a.f_bfree > 0);
	ATF_CHECK_EQ(a.f_bavail, a.f_bfree);
	ATF_CHECK_EQ(a.f_namelen, 255);
	ATF_CHECK(a.f_files > a.f_ffree);

	fd = create_ok("/data");
	memset(data, 'd', sizeof(data));
	pwrite_ok(fd, data, sizeof(data), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs("/", &b), 0);
	ATF_CHECK_MSG(a.f_bfree - b.f_bfree >= sizeof(data) / PAGE,
	    "1 MiB written, free blocks went from %llu to %llu",
	    (unsigned long long)a.f_bfree, (unsigned long long)b.f_bfree);
	ATF_CHECK_EQ(b.f_ffree, a.f_ffree - 1);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	ATF_REQUIRE_EQ(rump_sys_mkdir("/small", 0755), 0);
	ATF_REQUIRE_EQ_MSG(rump_sys_mount("rumpfs", "/small", "rumpfs", 0,
	    "size=1m"), 0, "mount size=1m: %s", strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_statfs("/small", &a), 0);
	ATF_CHECK_EQ(a.f_blocks, 256);
	ATF_CHECK_EQ(a.f_bfree, 256);
	fd = create_ok("/small/f");
	pwrite_ok(fd, data, 2 * PAGE, 0);
	ATF_REQUIRE_EQ(rump_sys_statfs("/small", &b), 0);
	ATF_CHECK_EQ(b.f_bfree, 254);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(rump_sys_unlink("/small/f"), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs("/small", &b), 0);
	ATF_CHECK_EQ(b.f_bfree, 256);
	ATF_CHECK_EQ(rump_sys_umount("/small"), 0);
}

/* Write len bytes in 1 MiB steps until an error; return what went in. */
static long long
write_until_full(int fd, long long len, int *errp)
{
	static char data[1024 * 1024];
	long long total = 0;
	ssize_t n;

	memset(data, 'w', sizeof(data));
	*errp = 0;
	while (total < len) {
		n = rump_sys_write(fd, data, sizeof(data));
		if (n < 0) {
			*errp = errno;
			break;
		}
		total += n;
		if (n < (ssize_t)sizeof(data)) {
			/* A short write: the next one reports the error. */
			continue;
		}
	}
	return total;
}

ATF_TC(enospc_memlimit);
ATF_TC_HEAD(enospc_memlimit, tc)
{
	atf_tc_set_md_var(tc, "descr", "writing past RUMP_MEMLIMIT fails "
	    "with ENOSPC without hanging, and freed memory is usable again");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(enospc_memlimit, tc)
{
	long long total;
	double t0;
	int fd, err;

	setenv("RUMP_MEMLIMIT", "32m", 1);
	boot();
	fd = create_ok("/fill");
	t0 = now_seconds();
	total = write_until_full(fd, 128LL * 1024 * 1024, &err);
	ATF_CHECK_EQ_MSG(err, ENOSPC, "the write that failed: %s",
	    strerror(err));
	ATF_CHECK_MSG(total > 8 * 1024 * 1024 && total < 32 * 1024 * 1024,
	    "%lld bytes written under a 32 MiB limit", total);
	ATF_CHECK_MSG(now_seconds() - t0 < 20, "filling took %.1f s",
	    now_seconds() - t0);
	ATF_CHECK_EQ(fstat_ok(fd).st_size, total);

	/* The rest of the kernel still has memory: no waiting here. */
	t0 = now_seconds();
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_unlink("/fill"), 0);
	fd = create_ok("/again");
	total = write_until_full(fd, 4 * 1024 * 1024, &err);
	ATF_CHECK_EQ_MSG(err, 0, "writing after the unlink: %s",
	    strerror(err));
	ATF_CHECK_EQ(total, 4 * 1024 * 1024);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_MSG(now_seconds() - t0 < 1, "unlinking and writing 4 MiB "
	    "took %.1f s", now_seconds() - t0);
}

ATF_TC(enospc_size_option);
ATF_TC_HEAD(enospc_size_option, tc)
{
	atf_tc_set_md_var(tc, "descr", "a mount with size=1m takes exactly "
	    "1 MiB of file data, then ENOSPC");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(enospc_size_option, tc)
{
	long long total;
	int fd, err;

	boot();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/lim", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mount("rumpfs", "/lim", "rumpfs", 0,
	    "size=1m"), 0);
	fd = create_ok("/lim/f");
	total = write_until_full(fd, 4 * 1024 * 1024, &err);
	ATF_CHECK_EQ(err, ENOSPC);
	ATF_CHECK_EQ(total, 1024 * 1024);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(unlinked_open_file);
ATF_TC_HEAD(unlinked_open_file, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unlinked file stays readable "
	    "while open and its memory goes at the last close");
}
ATF_TC_BODY(unlinked_open_file, tc)
{
	static char data[1024 * 1024], buf[1024 * 1024];
	struct statfs open_sb, closed_sb;
	struct stat st;
	int fd;

	setenv("RUMP_MEMLIMIT", "64m", 1);
	boot();
	fd = create_ok("/gone");
	memset(data, 'g', sizeof(data));
	pwrite_ok(fd, data, sizeof(data), 0);
	ATF_REQUIRE_EQ(rump_sys_unlink("/gone"), 0);
	st = fstat_ok(fd);
	ATF_CHECK_EQ(st.st_nlink, 0);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0),
	    (ssize_t)sizeof(buf));
	ATF_CHECK(memcmp(buf, data, sizeof(buf)) == 0);
	ATF_REQUIRE_EQ(rump_sys_statfs("/", &open_sb), 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_statfs("/", &closed_sb), 0);
	ATF_CHECK_MSG(closed_sb.f_bfree >= open_sb.f_bfree + 256,
	    "free blocks %llu while open, %llu after the close",
	    (unsigned long long)open_sb.f_bfree,
	    (unsigned long long)closed_sb.f_bfree);
}

ATF_TC(node_types);
ATF_TC_HEAD(node_types, tc)
{
	atf_tc_set_md_var(tc, "descr", "symbolic links keep their target, "
	    "FIFOs and sockets their type, hard links count, inode numbers "
	    "are unique");
}
ATF_TC_BODY(node_types, tc)
{
	struct stat st, st2;
	ino_t inos[64];
	char buf[64], path[32];
	ssize_t n;
	int i, j, fd;

	boot();
	ATF_REQUIRE_EQ(rump_sys_symlink("some/target", "/l"), 0);
	st = lstat_ok("/l");
	ATF_CHECK(S_ISLNK(st.st_mode));
	ATF_CHECK_EQ(st.st_size, 11);
	n = rump_sys_readlink("/l", buf, sizeof(buf));
	ATF_REQUIRE_EQ(n, 11);
	ATF_CHECK(memcmp(buf, "some/target", 11) == 0);

	ATF_REQUIRE_EQ(rump_sys_mknod("/fifo", S_IFIFO | 0644, 0), 0);
	ATF_CHECK(S_ISFIFO(lstat_ok("/fifo").st_mode));
	ATF_REQUIRE_EQ(rump_sys_mknod("/sock", S_IFSOCK | 0644, 0), 0);
	ATF_CHECK(S_ISSOCK(lstat_ok("/sock").st_mode));
	errno = 0;
	ATF_CHECK_EQ(rump_sys_open("/sock", O_RDONLY), -1);
	ATF_CHECK_EQ(errno, ENXIO);

	fd = create_ok("/h1");
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_link("/h1", "/h2"), 0);
	st = lstat_ok("/h1");
	st2 = lstat_ok("/h2");
	ATF_CHECK_EQ(st.st_nlink, 2);
	ATF_CHECK_EQ(st.st_ino, st2.st_ino);
	ATF_REQUIRE_EQ(rump_sys_unlink("/h1"), 0);
	ATF_CHECK_EQ(lstat_ok("/h2").st_nlink, 1);

	ATF_REQUIRE_EQ(rump_sys_mkdir("/inos", 0755), 0);
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/inos/%d", i);
		if (i % 2)
			ATF_REQUIRE_EQ(rump_sys_mkdir(path, 0755), 0);
		else
			ATF_REQUIRE_EQ(rump_sys_close(create_ok(path)), 0);
		inos[i] = lstat_ok(path).st_ino;
		for (j = 0; j < i; j++)
			ATF_CHECK_MSG(inos[j] != inos[i], "inode %lu twice",
			    (unsigned long)inos[i]);
	}
	ATF_CHECK_EQ(lstat_ok("/inos").st_nlink, 2 + 32);
}

ATF_TC(rename_links);
ATF_TC_HEAD(rename_links, tc)
{
	atf_tc_set_md_var(tc, "descr", "rename, RENAME_NOREPLACE and "
	    "RENAME_EXCHANGE keep the link counts of the directories");
}
ATF_TC_BODY(rename_links, tc)
{
	struct stat st;
	int fd;

	boot();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/a", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/b", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/a/d", 0755), 0);
	fd = create_ok("/b/f");
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(lstat_ok("/a").st_nlink, 3);
	ATF_CHECK_EQ(lstat_ok("/b").st_nlink, 2);

	errno = 0;
	ATF_CHECK_EQ(rump_sys_renameat2(AT_FDCWD, "/a/d", AT_FDCWD, "/b/f",
	    RENAME_NOREPLACE), -1);
	ATF_CHECK_EQ(errno, EEXIST);

	ATF_REQUIRE_EQ_MSG(rump_sys_renameat2(AT_FDCWD, "/a/d", AT_FDCWD,
	    "/b/f", RENAME_EXCHANGE), 0, "exchange: %s", strerror(errno));
	ATF_CHECK(S_ISREG(lstat_ok("/a/d").st_mode));
	ATF_CHECK(S_ISDIR(lstat_ok("/b/f").st_mode));
	ATF_CHECK_EQ(lstat_ok("/a").st_nlink, 2);
	ATF_CHECK_EQ(lstat_ok("/b").st_nlink, 3);
	/* ".." of the moved directory is its new parent. */
	ATF_CHECK_EQ(lstat_ok("/b/f/..").st_ino, lstat_ok("/b").st_ino);

	ATF_REQUIRE_EQ(rump_sys_rename("/b/f", "/a/x"), 0);
	ATF_CHECK_EQ(lstat_ok("/a").st_nlink, 3);
	ATF_CHECK_EQ(lstat_ok("/b").st_nlink, 2);

	/* Replacing an empty directory drops its link from the parent. */
	ATF_REQUIRE_EQ(rump_sys_mkdir("/b/y", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_rename("/a/x", "/b/y"), 0);
	ATF_CHECK_EQ(lstat_ok("/a").st_nlink, 2);
	ATF_CHECK_EQ(lstat_ok("/b").st_nlink, 3);

	/* A file over a file: the target's inode goes. */
	fd = create_ok("/a/z");
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	st = lstat_ok("/a/d");
	ATF_REQUIRE_EQ(rump_sys_rename("/a/d", "/a/z"), 0);
	ATF_CHECK_EQ(lstat_ok("/a/z").st_ino, st.st_ino);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_lstat("/a/d", &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);
}

ATF_TC(setgid_inherit);
ATF_TC_HEAD(setgid_inherit, tc)
{
	atf_tc_set_md_var(tc, "descr", "new files take the group of a "
	    "set-group-id directory, new directories its S_ISGID too");
}
ATF_TC_BODY(setgid_inherit, tc)
{
	struct stat st;
	int fd;

	boot();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/g", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_chown("/g", 0, 1234), 0);
	ATF_REQUIRE_EQ(rump_sys_chmod("/g", 02775), 0);
	fd = create_ok("/g/f");
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	st = lstat_ok("/g/f");
	ATF_CHECK_EQ(st.st_gid, 1234);
	ATF_CHECK_EQ(st.st_uid, 0);
	ATF_CHECK((st.st_mode & S_ISGID) == 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/g/s", 0755), 0);
	st = lstat_ok("/g/s");
	ATF_CHECK_EQ(st.st_gid, 1234);
	ATF_CHECK(st.st_mode & S_ISGID);

	ATF_REQUIRE_EQ(rump_sys_mkdir("/p", 0755), 0);
	fd = create_ok("/p/f");
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_CHECK_EQ(lstat_ok("/p/f").st_gid, (gid_t)rump_sys_getegid());
}

ATF_TC(removed_dir_parent);
ATF_TC_HEAD(removed_dir_parent, tc)
{
	atf_tc_set_md_var(tc, "descr", "a removed directory lists with "
	    "ENOENT but keeps \"..\", even after its parent is removed too");
}
ATF_TC_BODY(removed_dir_parent, tc)
{
	char buf[4096];
	struct stat st;
	int fd, i;

	boot();
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE_EQ(rump_sys_mkdir("/p", 0755), 0);
		ATF_REQUIRE_EQ(rump_sys_mkdir("/p/q", 0755), 0);
		fd = rump_sys_open("/p/q", O_RDONLY | O_DIRECTORY);
		ATF_REQUIRE(fd >= 0);
		ATF_REQUIRE_EQ(rump_sys_rmdir("/p/q"), 0);
		ATF_REQUIRE_EQ(rump_sys_rmdir("/p"), 0);

		errno = 0;
		ATF_CHECK_EQ(rump_sys_getdents64(fd, buf, sizeof(buf)), -1);
		ATF_CHECK_EQ(errno, ENOENT);
		errno = 0;
		ATF_CHECK_EQ(rump_sys_fstatat(fd, "x", &st, 0), -1);
		ATF_CHECK_EQ(errno, ENOENT);
		ATF_REQUIRE_EQ_MSG(rump_sys_fstatat(fd, "..", &st, 0), 0,
		    "\"..\" of a removed directory: %s", strerror(errno));
		ATF_CHECK(S_ISDIR(st.st_mode));
		ATF_CHECK_EQ(st.st_nlink, 0);
		ATF_REQUIRE_EQ(rump_sys_fstatat(fd, ".", &st, 0), 0);
		ATF_CHECK_EQ(st.st_nlink, 0);

		/* The first time the parent goes first, then the child. */
		if (i == 0) {
			ATF_CHECK_EQ(rump_sys_close(fd), 0);
		} else {
			ATF_REQUIRE_EQ(rump_sys_fchdir(fd), 0);
			ATF_CHECK_EQ(rump_sys_close(fd), 0);
			ATF_REQUIRE_EQ(rump_sys_chdir(".."), 0);
			ATF_REQUIRE_EQ(rump_sys_chdir("/"), 0);
		}
	}
}

struct devnode {
	const char	*path;
	unsigned	 major;
	unsigned	 minor;
	mode_t		 mode;
};

static const struct devnode devnodes[] = {
	{ "/dev/null", 1, 3, 0666 },
	{ "/dev/zero", 1, 5, 0666 },
	{ "/dev/full", 1, 7, 0666 },
	{ "/dev/random", 1, 8, 0666 },
	{ "/dev/urandom", 1, 9, 0666 },
	{ "/dev/console", 5, 1, 0600 },
};

static void
dev_visit(const char *name, unsigned char type, void *arg)
{
	int *seen = arg;
	size_t i;

	for (i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++)
		if (strcmp(devnodes[i].path + 5, name) == 0 && type == DT_CHR)
			seen[i]++;
}

ATF_TC(dev_nodes);
ATF_TC_HEAD(dev_nodes, tc)
{
	atf_tc_set_md_var(tc, "descr", "/dev has null, zero, full, random, "
	    "urandom and console with Linux's numbers, and they work");
}
ATF_TC_BODY(dev_nodes, tc)
{
	char buf[8192], buf2[64];
	struct stat st;
	int seen[6] = { 0 };
	size_t i;
	int fd;

	boot();
	for (i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++) {
		st = lstat_ok(devnodes[i].path);
		ATF_CHECK_MSG(S_ISCHR(st.st_mode), "%s is not a character "
		    "device", devnodes[i].path);
		ATF_CHECK_MSG(st.st_rdev == makedev(devnodes[i].major,
		    devnodes[i].minor), "%s: rdev %u,%u", devnodes[i].path,
		    major(st.st_rdev), minor(st.st_rdev));
		ATF_CHECK_EQ(st.st_mode & 07777, devnodes[i].mode);
		ATF_CHECK_EQ(st.st_uid, 0);
	}
	fd = rump_sys_open("/dev", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	list_dir(fd, 4096, dev_visit, seen);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
	for (i = 0; i < 6; i++)
		ATF_CHECK_MSG(seen[i] == 1, "%s listed %d times",
		    devnodes[i].path, seen[i]);

	fd = rump_sys_open("/dev/zero", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	ATF_CHECK(all_zero(buf, sizeof(buf)));
	ATF_CHECK_EQ(rump_sys_write(fd, buf, 100), 100);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	fd = rump_sys_open("/dev/null", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	ATF_CHECK_EQ(rump_sys_write(fd, buf, sizeof(buf)),
	    (ssize_t)sizeof(buf));
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	fd = rump_sys_open("/dev/full", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_write(fd, buf, 10), -1);
	ATF_CHECK_EQ(errno, ENOSPC);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, 16), 16);
	ATF_CHECK(all_zero(buf, 16));
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	fd = rump_sys_open("/dev/urandom", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, 64), 64);
	ATF_CHECK_EQ(rump_sys_read(fd, buf2, 64), 64);
	ATF_CHECK_MSG(memcmp(buf, buf2, 64) != 0, "two reads of "
	    "/dev/urandom returned the same 64 bytes");
	ATF_CHECK(!all_zero(buf, 64));
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	fd = rump_sys_open("/dev/console", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_write(fd, "t_rumpfs: console\n", 18), 18);
	ATF_CHECK_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);

	/* A node of a device without a driver opens with ENXIO. */
	ATF_REQUIRE_EQ(rump_sys_mknod("/nodriver", S_IFCHR | 0600,
	    makedev(200, 0)), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_open("/nodriver", O_RDONLY), -1);
	ATF_CHECK_EQ(errno, ENXIO);
	/* Another node of a known device is that device. */
	ATF_REQUIRE_EQ(rump_sys_mknod("/mynull", S_IFCHR | 0666,
	    makedev(1, 3)), 0);
	fd = rump_sys_open("/mynull", O_WRONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_CHECK_EQ(rump_sys_write(fd, buf, 5), 5);
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, sparse_5g);
	ATF_TP_ADD_TC(tp, truncate_frees);
	ATF_TP_ADD_TC(tp, fallocate_modes);
	ATF_TP_ADD_TC(tp, dir_100k);
	ATF_TP_ADD_TC(tp, readdir_concurrent);
	ATF_TP_ADD_TC(tp, times_like_tmpfs);
	ATF_TP_ADD_TC(tp, mount_atime_options);
	ATF_TP_ADD_TC(tp, statfs_counts);
	ATF_TP_ADD_TC(tp, enospc_memlimit);
	ATF_TP_ADD_TC(tp, enospc_size_option);
	ATF_TP_ADD_TC(tp, unlinked_open_file);
	ATF_TP_ADD_TC(tp, node_types);
	ATF_TP_ADD_TC(tp, rename_links);
	ATF_TP_ADD_TC(tp, setgid_inherit);
	ATF_TP_ADD_TC(tp, removed_dir_parent);
	ATF_TP_ADD_TC(tp, dev_nodes);
	return atf_no_error();
}
