/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Concurrent use of the VFS.
 *
 * Tree tests: several threads create, link, rename, exchange and remove
 * entries in four shared directories for a fixed time, each thread either
 * in its own rump process or all of them as lwps of one process (then
 * sharing one descriptor table, working directory and the directory
 * descriptors they use).  Every call may fail only with the errno that a
 * race explains (ENOENT, EEXIST, ENOTEMPTY).  Afterwards one thread checks
 * the tree: every listed name can be stat'ed and has the listed d_type
 * and d_ino, no directory lists a name twice, each file's link count is
 * the number of names found for it, and each directory's is 2 plus its
 * subdirectories.
 *
 * Reference test: threads look up one file and release it again, so its
 * vnode keeps losing its last reference while others take new ones.  The
 * test is probabilistic: with a known race of the release path put back,
 * 11 of 20 runs on a busy two-core host panicked.
 *
 * Pipe tests: a writer and a reader thread move a byte stream through a
 * pipe with poll(2) and non-blocking I/O, in one process or in two; the
 * reader checks every byte and both compare checksums.  A third test has
 * several writers whose writes of at most PIPE_BUF bytes must arrive
 * whole.
 *
 * Every wait is bounded: workers stop at a deadline, poll calls time out,
 * and joins give up after a fixed time and fail the test.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

#define NDIRS		4		/* shared directories /c/d0 .. d3 */
#define NFILES		16		/* file names f0 .. f15 per directory */
#define NSUBDIRS	8		/* directory names s0 .. s7 */
#define NSUBFILES	4		/* file names g0 .. g3 per subdirectory */
#define NWORKERS	4
#define RUN_SECONDS	3
#define JOIN_SECONDS	30		/* a worker still running then is stuck */
#define FILE_TAG	"file-ok\n"	/* what a created file contains */
#define FILE_TAGLEN	(sizeof(FILE_TAG) - 1)

/* ------------------------------------------------------------------ */
/* Helpers. */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: each worker its own stream. */
static uint32_t
rnd(uint64_t *s)
{

	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ull) >> 32);
}

static void
boot(void)
{
	int error;

	signal(SIGPIPE, SIG_IGN);
	setenv("RUMP_NCPU", "2", 0);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Join a thread, failing the test when it does not end in time. */
static void
join_bounded(pthread_t t, const char *what)
{
	struct timespec ts;
	int error;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += JOIN_SECONDS;
	error = pthread_timedjoin_np(t, NULL, &ts);
	if (error == ETIMEDOUT)
		atf_tc_fail("%s still running after %d s: the kernel is stuck",
		    what, JOIN_SECONDS);
	ATF_REQUIRE_EQ_MSG(error, 0, "pthread_join %s: %s", what,
	    strerror(error));
}

/* Failures found by worker threads, reported by the main thread. */
static atomic_int nfailures;
static char first_failure[256];
static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;

static void
worker_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
worker_fail(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "FAIL %s\n", msg);
	pthread_mutex_lock(&failure_lock);
	if (atomic_fetch_add(&nfailures, 1) == 0)
		snprintf(first_failure, sizeof(first_failure), "%s", msg);
	pthread_mutex_unlock(&failure_lock);
}

static void
check_worker_failures(void)
{

	if (atomic_load(&nfailures) > 0)
		atf_tc_fail("%d failures, first: %s", atomic_load(&nfailures),
		    first_failure);
}

/* ------------------------------------------------------------------ */
/* Tree workers. */

enum tree_mode { TREE_OWN_PROCS, TREE_SHARED_PROC };

struct tree_run {
	enum tree_mode	 mode;
	pid_t		 pid;			/* the shared process */
	int		 dirfd[NDIRS];		/* shared: opened by main */
	uint64_t	 deadline;
	atomic_long	 calls, successes;
};

struct tree_worker {
	struct tree_run	*run;
	int		 id;
	pthread_t	 thread;
};

/* A call's result: success, an errno that races explain, or a failure. */
static bool
tree_result(int rv, const char *call, const char *a, const char *b,
    int ok1, int ok2, int ok3)
{

	if (rv != -1)
		return true;
	if (errno == ok1 || errno == ok2 || errno == ok3)
		return false;
	worker_fail("%s(%s%s%s): unexpected errno %d (%s)", call, a,
	    b != NULL ? ", " : "", b != NULL ? b : "", errno,
	    strerror(errno));
	return false;
}

/* A created file holds FILE_TAG, or nothing while its creator writes. */
static void
tree_check_content(int fd, const char *name)
{
	char buf[64];
	ssize_t n;

	n = rump_sys_pread(fd, buf, sizeof(buf), 0);
	if (n == -1)
		worker_fail("pread(%s): %s", name, strerror(errno));
	else if (n != 0 && (n != (ssize_t)FILE_TAGLEN ||
	    memcmp(buf, FILE_TAG, FILE_TAGLEN) != 0))
		worker_fail("%s holds %zd unexpected bytes", name, n);
}

/* One random operation on the shared directories. */
static void
tree_step(struct tree_run *run, const int *dirfd, uint64_t *seed)
{
	char a[32], b[32];
	int da = (int)(rnd(seed) % NDIRS), db = (int)(rnd(seed) % NDIRS);
	int fa = (int)(rnd(seed) % NFILES), fb = (int)(rnd(seed) % NFILES);
	int sa = (int)(rnd(seed) % NSUBDIRS), sb = (int)(rnd(seed) % NSUBDIRS);
	int g = (int)(rnd(seed) % NSUBFILES);
	struct stat st;
	bool ok = false;
	int fd, rv;

	atomic_fetch_add(&run->calls, 1);
	switch (rnd(seed) % 13) {
	case 0:		/* create a file */
	case 1:
		snprintf(a, sizeof(a), "f%d", fa);
		fd = rump_sys_openat(dirfd[da], a, O_CREAT | O_EXCL | O_WRONLY,
		    0644);
		ok = tree_result(fd, "openat O_EXCL", a, NULL, EEXIST, 0, 0);
		if (ok) {
			if (rump_sys_write(fd, FILE_TAG, FILE_TAGLEN) !=
			    (ssize_t)FILE_TAGLEN)
				worker_fail("write %s: %s", a, strerror(errno));
			rump_sys_close(fd);
		}
		break;
	case 2:		/* create a file in a subdirectory */
		snprintf(a, sizeof(a), "s%d/g%d", sa, g);
		fd = rump_sys_openat(dirfd[da], a, O_CREAT | O_EXCL | O_WRONLY,
		    0644);
		ok = tree_result(fd, "openat O_EXCL", a, NULL, EEXIST, ENOENT,
		    0);
		if (ok)
			rump_sys_close(fd);
		break;
	case 3:		/* make a directory */
		snprintf(a, sizeof(a), "s%d", sa);
		rv = rump_sys_mkdirat(dirfd[da], a, 0755);
		ok = tree_result(rv, "mkdirat", a, NULL, EEXIST, 0, 0);
		break;
	case 4:		/* remove a directory */
		snprintf(a, sizeof(a), "s%d", sa);
		rv = rump_sys_unlinkat(dirfd[da], a, AT_REMOVEDIR);
		ok = tree_result(rv, "unlinkat AT_REMOVEDIR", a, NULL, ENOENT,
		    ENOTEMPTY, 0);
		break;
	case 5:		/* remove a file */
		if (rnd(seed) % 2)
			snprintf(a, sizeof(a), "f%d", fa);
		else
			snprintf(a, sizeof(a), "s%d/g%d", sa, g);
		rv = rump_sys_unlinkat(dirfd[da], a, 0);
		ok = tree_result(rv, "unlinkat", a, NULL, ENOENT, 0, 0);
		break;
	case 6:		/* link a file into another directory */
		snprintf(a, sizeof(a), "f%d", fa);
		snprintf(b, sizeof(b), "f%d", fb);
		rv = rump_sys_linkat(dirfd[da], a, dirfd[db], b, 0);
		ok = tree_result(rv, "linkat", a, b, ENOENT, EEXIST, 0);
		break;
	case 7:		/* rename a file, maybe over another */
	case 8:
		snprintf(a, sizeof(a), "f%d", fa);
		snprintf(b, sizeof(b), "f%d", fb);
		rv = rump_sys_renameat(dirfd[da], a, dirfd[db], b);
		ok = tree_result(rv, "renameat", a, b, ENOENT, 0, 0);
		break;
	case 9:		/* rename a directory, maybe over an empty one */
		snprintf(a, sizeof(a), "s%d", sa);
		snprintf(b, sizeof(b), "s%d", sb);
		rv = rump_sys_renameat(dirfd[da], a, dirfd[db], b);
		ok = tree_result(rv, "renameat", a, b, ENOENT, ENOTEMPTY,
		    EEXIST);
		break;
	case 10:	/* exchange two files */
		snprintf(a, sizeof(a), "f%d", fa);
		snprintf(b, sizeof(b), "f%d", fb);
		rv = rump_sys_renameat2(dirfd[da], a, dirfd[db], b,
		    RENAME_EXCHANGE);
		ok = tree_result(rv, "renameat2 RENAME_EXCHANGE", a, b, ENOENT,
		    0, 0);
		break;
	case 11:	/* stat and read a file */
		snprintf(a, sizeof(a), "f%d", fa);
		fd = rump_sys_openat(dirfd[da], a, O_RDONLY, 0);
		ok = tree_result(fd, "openat", a, NULL, ENOENT, 0, 0);
		if (ok) {
			if (rump_sys_fstat(fd, &st) == -1)
				worker_fail("fstat %s: %s", a, strerror(errno));
			else if (!S_ISREG(st.st_mode))
				worker_fail("%s has mode %#o", a, st.st_mode);
			tree_check_content(fd, a);
			rump_sys_close(fd);
		}
		break;
	case 12:	/* list a directory and stat what it lists */
		fd = rump_sys_openat(dirfd[da], ".", O_RDONLY | O_DIRECTORY, 0);
		ok = tree_result(fd, "openat", ".", NULL, 0, 0, 0);
		if (ok) {
			char buf[4096];
			ssize_t n;
			long off;

			while ((n = rump_sys_getdents64(fd, buf,
			    sizeof(buf))) > 0) {
				for (off = 0; off < n; ) {
					struct {
						uint64_t ino;
						int64_t off;
						unsigned short reclen;
						unsigned char type;
						char name[];
					} *de = (void *)(buf + off);

					if (de->reclen == 0)
						break;
					if (rump_sys_fstatat(fd, de->name, &st,
					    AT_SYMLINK_NOFOLLOW) == -1 &&
					    errno != ENOENT)
						worker_fail("fstatat %s: %s",
						    de->name, strerror(errno));
					off += de->reclen;
				}
			}
			if (n == -1)
				worker_fail("getdents64 d%d: %s", da,
				    strerror(errno));
			rump_sys_close(fd);
		}
		break;
	}
	if (ok)
		atomic_fetch_add(&run->successes, 1);
}

static void *
tree_worker_main(void *arg)
{
	struct tree_worker *w = arg;
	struct tree_run *run = w->run;
	uint64_t seed = 0x9e3779b97f4a7c15ull * (uint64_t)(w->id + 1);
	int dirfd[NDIRS];
	char path[32];
	int error, i;

	/* Bind: a process of our own, or an lwp in the shared process. */
	if (run->mode == TREE_OWN_PROCS)
		error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	else
		error = rump_pub_lwproc_newlwp(run->pid);
	if (error != 0) {
		worker_fail("worker %d: binding an lwp: %s", w->id,
		    strerror(error));
		return NULL;
	}
	for (i = 0; i < NDIRS; i++) {
		if (run->mode == TREE_SHARED_PROC) {
			dirfd[i] = run->dirfd[i];
			continue;
		}
		snprintf(path, sizeof(path), "/c/d%d", i);
		dirfd[i] = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
		if (dirfd[i] == -1)
			worker_fail("worker %d: open %s: %s", w->id, path,
			    strerror(errno));
	}

	while (now_ns() < run->deadline && atomic_load(&nfailures) < 20)
		tree_step(run, dirfd, &seed);

	if (run->mode == TREE_OWN_PROCS)
		for (i = 0; i < NDIRS; i++)
			rump_sys_close(dirfd[i]);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Checking the tree afterwards. */

struct seen_file {
	uint64_t	 ino;
	uint64_t	 nlink;		/* as stat reported it */
	unsigned	 names;		/* names found for it */
	char		 first[128];
};

struct tree_check {
	struct seen_file files[NDIRS * (NFILES + NSUBDIRS * NSUBFILES)];
	size_t		 nfiles;
	int		 problems;
};

static void
tree_problem(struct tree_check *tc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
tree_problem(struct tree_check *tc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "TREE %s\n", msg);
	if (tc->problems++ == 0)
		snprintf(first_failure, sizeof(first_failure), "%s", msg);
}

static int
name_cmp(const void *a, const void *b)
{

	return strcmp((const char *)a, (const char *)b);
}

/* Count a regular file's name. */
static void
tree_count_file(struct tree_check *tc, const char *path,
    const struct stat *st)
{
	size_t i;

	for (i = 0; i < tc->nfiles; i++) {
		if (tc->files[i].ino == st->st_ino) {
			tc->files[i].names++;
			if (tc->files[i].nlink != st->st_nlink)
				tree_problem(tc, "%s: link count %ju, but %s "
				    "(same inode) has %ju", path,
				    (uintmax_t)st->st_nlink,
				    tc->files[i].first,
				    (uintmax_t)tc->files[i].nlink);
			return;
		}
	}
	if (tc->nfiles == sizeof(tc->files) / sizeof(tc->files[0])) {
		tree_problem(tc, "%s: more files than names exist", path);
		return;
	}
	tc->files[tc->nfiles].ino = st->st_ino;
	tc->files[tc->nfiles].nlink = st->st_nlink;
	tc->files[tc->nfiles].names = 1;
	snprintf(tc->files[tc->nfiles].first,
	    sizeof(tc->files[tc->nfiles].first), "%s", path);
	tc->nfiles++;
}

/*
 * List directory path and check each entry; returns the number of
 * subdirectories, recursing into them when depth is 0.
 */
static int
tree_check_dir(struct tree_check *tc, const char *path, int depth)
{
	static char names[4][256][64];
	char buf[8192], child[128];
	struct stat st, dst;
	int fd, nsub = 0, nnames = 0, i, expect;
	ssize_t n;
	long off;

	fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
	if (fd == -1) {
		tree_problem(tc, "open %s: %s", path, strerror(errno));
		return 0;
	}
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; ) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *de = (void *)(buf + off);

			if (de->reclen == 0) {
				tree_problem(tc, "%s: record of length 0",
				    path);
				break;
			}
			off += de->reclen;
			if (strcmp(de->name, ".") == 0 ||
			    strcmp(de->name, "..") == 0)
				continue;
			if (nnames == 256) {
				tree_problem(tc, "%s: more than 256 entries",
				    path);
				continue;
			}
			snprintf(names[depth][nnames++], 64, "%s", de->name);
			snprintf(child, sizeof(child), "%s/%s", path,
			    de->name);
			if (rump_sys_lstat(child, &st) == -1) {
				tree_problem(tc, "%s is listed but lstat "
				    "fails: %s", child, strerror(errno));
				continue;
			}
			if (st.st_ino != de->ino)
				tree_problem(tc, "%s: d_ino %ju, st_ino %ju",
				    child, (uintmax_t)de->ino,
				    (uintmax_t)st.st_ino);
			if ((S_ISDIR(st.st_mode) && de->type != DT_DIR) ||
			    (S_ISREG(st.st_mode) && de->type != DT_REG))
				tree_problem(tc, "%s: d_type %u, mode %#o",
				    child, de->type, st.st_mode);
			if (S_ISDIR(st.st_mode)) {
				nsub++;
				if (depth == 0 && de->name[0] != 's')
					tree_problem(tc, "%s: a directory "
					    "under a file's name", child);
				if (depth == 0)
					(void)tree_check_dir(tc, child, 1);
				else
					tree_problem(tc, "%s: a directory "
					    "too deep", child);
			} else if (S_ISREG(st.st_mode)) {
				if (de->name[0] == 's')
					tree_problem(tc, "%s: a file under a "
					    "directory's name", child);
				tree_count_file(tc, child, &st);
			} else
				tree_problem(tc, "%s: unexpected mode %#o",
				    child, st.st_mode);
		}
	}
	if (n == -1)
		tree_problem(tc, "getdents64 %s: %s", path, strerror(errno));

	/* No name twice. */
	qsort(names[depth], (size_t)nnames, sizeof(names[depth][0]),
	    name_cmp);
	for (i = 1; i < nnames; i++)
		if (strcmp(names[depth][i - 1], names[depth][i]) == 0)
			tree_problem(tc, "%s lists %s twice", path,
			    names[depth][i]);

	/* A directory's link count: itself, its "." and its subdirectories. */
	if (rump_sys_fstat(fd, &dst) == -1)
		tree_problem(tc, "fstat %s: %s", path, strerror(errno));
	else {
		expect = 2 + nsub;
		if (dst.st_nlink != (nlink_t)expect)
			tree_problem(tc, "%s: link count %ju, expected %d "
			    "(2 + %d subdirectories)", path,
			    (uintmax_t)dst.st_nlink, expect, nsub);
	}
	rump_sys_close(fd);
	return nsub;
}

static void
tree_check_all(struct tree_check *tc)
{
	char path[32];
	size_t i;
	int d;

	struct stat st;

	memset(tc, 0, sizeof(*tc));
	for (d = 0; d < NDIRS; d++) {
		snprintf(path, sizeof(path), "/c/d%d", d);
		(void)tree_check_dir(tc, path, 0);
	}
	if (rump_sys_stat("/c", &st) == -1)
		tree_problem(tc, "stat /c: %s", strerror(errno));
	else if (st.st_nlink != 2 + NDIRS)
		tree_problem(tc, "/c: link count %ju, expected %d",
		    (uintmax_t)st.st_nlink, 2 + NDIRS);
	for (i = 0; i < tc->nfiles; i++)
		if (tc->files[i].nlink != tc->files[i].names)
			tree_problem(tc, "%s: link count %ju, but %u names "
			    "found", tc->files[i].first,
			    (uintmax_t)tc->files[i].nlink,
			    tc->files[i].names);
}

/* Remove everything below /c/dN; false when something is left. */
static bool
tree_remove_all(void)
{
	char path[64];
	int d, f, s, g;

	for (d = 0; d < NDIRS; d++) {
		for (f = 0; f < NFILES; f++) {
			snprintf(path, sizeof(path), "/c/d%d/f%d", d, f);
			(void)rump_sys_unlink(path);
		}
		for (s = 0; s < NSUBDIRS; s++) {
			for (g = 0; g < NSUBFILES; g++) {
				snprintf(path, sizeof(path), "/c/d%d/s%d/g%d",
				    d, s, g);
				(void)rump_sys_unlink(path);
			}
			snprintf(path, sizeof(path), "/c/d%d/s%d", d, s);
			(void)rump_sys_rmdir(path);
		}
		snprintf(path, sizeof(path), "/c/d%d", d);
		if (rump_sys_rmdir(path) == -1) {
			fprintf(stderr, "rmdir %s: %s\n", path,
			    strerror(errno));
			return false;
		}
	}
	return rump_sys_rmdir("/c") == 0;
}

static void
tree_test(enum tree_mode mode)
{
	static struct tree_run run;
	static struct tree_worker workers[NWORKERS];
	static struct tree_check tc;
	struct stat st;
	char path[32];
	int i;

	boot();
	ATF_REQUIRE_EQ_MSG(rump_sys_mkdir("/c", 0755), 0, "mkdir /c: %s",
	    strerror(errno));
	for (i = 0; i < NDIRS; i++) {
		snprintf(path, sizeof(path), "/c/d%d", i);
		ATF_REQUIRE_EQ_MSG(rump_sys_mkdir(path, 0755), 0,
		    "mkdir %s: %s", path, strerror(errno));
	}

	memset(&run, 0, sizeof(run));
	run.mode = mode;
	if (mode == TREE_SHARED_PROC) {
		/* The shared process, which also holds the directory fds. */
		ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
		run.pid = rump_sys_getpid();
		for (i = 0; i < NDIRS; i++) {
			snprintf(path, sizeof(path), "/c/d%d", i);
			run.dirfd[i] = rump_sys_open(path,
			    O_RDONLY | O_DIRECTORY);
			ATF_REQUIRE_MSG(run.dirfd[i] != -1, "open %s: %s",
			    path, strerror(errno));
		}
	}
	run.deadline = now_ns() + RUN_SECONDS * 1000000000ull;
	for (i = 0; i < NWORKERS; i++) {
		workers[i].run = &run;
		workers[i].id = i;
		ATF_REQUIRE_EQ(pthread_create(&workers[i].thread, NULL,
		    tree_worker_main, &workers[i]), 0);
	}
	for (i = 0; i < NWORKERS; i++)
		join_bounded(workers[i].thread, "a tree worker");
	if (mode == TREE_SHARED_PROC) {
		for (i = 0; i < NDIRS; i++)
			ATF_CHECK_EQ(rump_sys_close(run.dirfd[i]), 0);
		rump_pub_lwproc_releaselwp();
	}
	printf("%ld calls, %ld succeeded\n", atomic_load(&run.calls),
	    atomic_load(&run.successes));
	check_worker_failures();
	ATF_CHECK_MSG(atomic_load(&run.successes) > 100, "only %ld calls "
	    "succeeded", atomic_load(&run.successes));

	tree_check_all(&tc);
	if (tc.problems > 0)
		atf_tc_fail("%d problems in the tree, first: %s", tc.problems,
		    first_failure);
	printf("%zu files checked\n", tc.nfiles);

	/* Everything removable, and the parent's link count back to 2. */
	ATF_REQUIRE_EQ(rump_sys_stat("/", &st), 0);
	ATF_CHECK_MSG(tree_remove_all(), "the tree could not be removed");
	{
		struct stat after;

		ATF_REQUIRE_EQ(rump_sys_stat("/", &after), 0);
		ATF_CHECK_EQ_MSG(after.st_nlink, st.st_nlink - 1,
		    "/ has link count %ju after removing /c, %ju before",
		    (uintmax_t)after.st_nlink, (uintmax_t)st.st_nlink);
	}
}

ATF_TC(tree_own_procs);
ATF_TC_HEAD(tree_own_procs, tc)
{
	atf_tc_set_md_var(tc, "descr", "Racing directory changes from "
	    "separate processes leave a consistent tree");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(tree_own_procs, tc)
{

	tree_test(TREE_OWN_PROCS);
}

ATF_TC(tree_shared_proc);
ATF_TC_HEAD(tree_shared_proc, tc)
{
	atf_tc_set_md_var(tc, "descr", "Racing directory changes from lwps "
	    "of one process leave a consistent tree");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(tree_shared_proc, tc)
{

	tree_test(TREE_SHARED_PROC);
}

/* ------------------------------------------------------------------ */
/* Vnode references. */

#define REF_WORKERS	8
#define REF_SECONDS	3

struct ref_run {
	uint64_t	 deadline;
	atomic_long	 lookups;
};

/*
 * Look up "/r/f/" over and over.  The trailing slash makes namei fail
 * with ENOTDIR after it took a reference to the regular file f, and it
 * drops that reference without locking the vnode.  Nothing else holds
 * f, so its count keeps going between 0 and a few, and the last release
 * of one worker (VOP_INACTIVE, then the free list) races with name cache
 * hits and lock-free releases of the others.  A count that reaches 0
 * without the vnode on the free list panics the next lookup.
 */
static void *
ref_worker_main(void *arg)
{
	struct ref_run *run = arg;
	struct stat st;
	int error;

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error != 0) {
		worker_fail("binding an lwp: %s", strerror(error));
		return NULL;
	}
	while (now_ns() < run->deadline && atomic_load(&nfailures) < 20) {
		if (rump_sys_stat("/r/f/", &st) == 0)
			worker_fail("stat /r/f/ succeeded, expected ENOTDIR");
		else if (errno != ENOTDIR)
			worker_fail("stat /r/f/: %s, expected ENOTDIR",
			    strerror(errno));
		atomic_fetch_add(&run->lookups, 1);
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(vnode_last_reference);
ATF_TC_HEAD(vnode_last_reference, tc)
{
	atf_tc_set_md_var(tc, "descr", "Threads that keep taking and "
	    "dropping the only references to a file leave its vnode cached "
	    "and usable");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(vnode_last_reference, tc)
{
	static struct ref_run run;
	pthread_t workers[REF_WORKERS];
	struct stat st;
	int fd, i;

	boot();
	ATF_REQUIRE_EQ_MSG(rump_sys_mkdir("/r", 0755), 0, "mkdir /r: %s",
	    strerror(errno));
	fd = rump_sys_open("/r/f", O_CREAT | O_WRONLY, 0644);
	ATF_REQUIRE_MSG(fd != -1, "create /r/f: %s", strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	memset(&run, 0, sizeof(run));
	run.deadline = now_ns() + REF_SECONDS * 1000000000ull;
	for (i = 0; i < REF_WORKERS; i++)
		ATF_REQUIRE_EQ(pthread_create(&workers[i], NULL,
		    ref_worker_main, &run), 0);
	for (i = 0; i < REF_WORKERS; i++)
		join_bounded(workers[i], "a lookup worker");
	printf("%ld lookups\n", atomic_load(&run.lookups));
	check_worker_failures();

	/* The vnodes went back to the free list and are found again. */
	ATF_CHECK_EQ_MSG(rump_sys_stat("/r/f", &st), 0, "stat /r/f: %s",
	    strerror(errno));
	ATF_CHECK_EQ_MSG(rump_sys_unlink("/r/f"), 0, "unlink /r/f: %s",
	    strerror(errno));
	ATF_CHECK_EQ_MSG(rump_sys_rmdir("/r"), 0, "rmdir /r: %s",
	    strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Pipes. */

#define PIPE_BYTES	(16u << 20)
#define POLL_MS		2000		/* longest wait for the other end */
#define PIPE_SECONDS	20

/* Byte i of the stream. */
static unsigned char
stream_byte(uint64_t i)
{

	return (unsigned char)((i * 131) ^ (i >> 9) ^ (i >> 17));
}

struct pipe_end {
	struct lwp	*lwp;		/* bound by the thread (two processes) */
	pid_t		 pid;		/* lwp to make here (one process) */
	int		 fd;
	uint64_t	 bytes;
	uint32_t	 sum;
	uint64_t	 deadline;
	pthread_t	 thread;
	int		 seed;
};

static uint32_t
sum_add(uint32_t h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static bool
pipe_bind(struct pipe_end *e, const char *who)
{
	int error;

	if (e->lwp != NULL) {
		rump_pub_lwproc_switch(e->lwp);
		return true;
	}
	error = rump_pub_lwproc_newlwp(e->pid);
	if (error != 0)
		worker_fail("%s: rump_pub_lwproc_newlwp: %s", who,
		    strerror(error));
	return error == 0;
}

/* Wait for events on fd; false (and a failure) on timeout or error. */
static bool
pipe_wait(int fd, short events, const char *who)
{
	struct pollfd p;
	int rv;

	for (;;) {
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		rv = rump_sys_poll(&p, 1, POLL_MS);
		if (rv == 1)
			return true;
		if (rv == -1 && errno == EINTR)
			continue;
		if (rv == -1)
			worker_fail("%s: poll: %s", who, strerror(errno));
		else if (rv == 0)
			worker_fail("%s: poll timed out after %d ms", who,
			    POLL_MS);
		else
			worker_fail("%s: poll returned %d", who, rv);
		return false;
	}
}

static void *
pipe_writer(void *arg)
{
	struct pipe_end *e = arg;
	static unsigned char buf[65536];
	uint64_t seed = 12345, off = 0;
	ssize_t n;
	size_t len, i;

	if (!pipe_bind(e, "writer"))
		return NULL;
	while (off < PIPE_BYTES) {
		if (now_ns() > e->deadline) {
			worker_fail("writer: %ju of %u bytes written in %d s",
			    (uintmax_t)off, PIPE_BYTES, PIPE_SECONDS);
			break;
		}
		if (!pipe_wait(e->fd, POLLOUT, "writer"))
			break;
		len = 1 + rnd(&seed) % sizeof(buf);
		if (len > PIPE_BYTES - off)
			len = PIPE_BYTES - off;
		for (i = 0; i < len; i++)
			buf[i] = stream_byte(off + i);
		n = rump_sys_write(e->fd, buf, len);
		if (n == -1 && errno == EAGAIN)
			continue;
		if (n <= 0) {
			worker_fail("writer: write returned %zd: %s", n,
			    strerror(errno));
			break;
		}
		e->sum = sum_add(e->sum, buf, (size_t)n);
		off += (uint64_t)n;
	}
	e->bytes = off;
	/* The reader sees end of file when this last write end closes. */
	if (rump_sys_close(e->fd) == -1)
		worker_fail("writer: close: %s", strerror(errno));
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void *
pipe_reader(void *arg)
{
	struct pipe_end *e = arg;
	static unsigned char buf[65536];
	uint64_t seed = 777, off = 0;
	ssize_t n, i;
	size_t len;

	if (!pipe_bind(e, "reader"))
		return NULL;
	for (;;) {
		if (now_ns() > e->deadline) {
			worker_fail("reader: %ju bytes read in %d s",
			    (uintmax_t)off, PIPE_SECONDS);
			break;
		}
		if (!pipe_wait(e->fd, POLLIN, "reader"))
			break;
		len = 1 + rnd(&seed) % sizeof(buf);
		n = rump_sys_read(e->fd, buf, len);
		if (n == -1 && errno == EAGAIN)
			continue;
		if (n == -1) {
			worker_fail("reader: read: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != stream_byte(off + (uint64_t)i)) {
				worker_fail("reader: byte %ju is %#x, "
				    "expected %#x", (uintmax_t)(off +
				    (uint64_t)i), buf[i],
				    stream_byte(off + (uint64_t)i));
				goto out;
			}
		e->sum = sum_add(e->sum, buf, (size_t)n);
		off += (uint64_t)n;
	}
out:
	e->bytes = off;
	rump_sys_close(e->fd);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
pipe_test(bool two_procs)
{
	struct pipe_end w, r;
	struct lwp *parent;
	uint64_t start;
	int fds[2];

	boot();
	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	w.sum = r.sum = 2166136261u;

	/* The parent process makes the pipe. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ_MSG(rump_sys_pipe2(fds, O_NONBLOCK), 0, "pipe2: %s",
	    strerror(errno));
	r.fd = fds[0];
	w.fd = fds[1];
	if (two_procs) {
		/* Each end in a child with a copy of the table. */
		ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
		r.lwp = rump_pub_lwproc_curlwp();
		ATF_REQUIRE_EQ(rump_sys_close(fds[1]), 0);
		rump_pub_lwproc_switch(parent);
		ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
		w.lwp = rump_pub_lwproc_curlwp();
		ATF_REQUIRE_EQ(rump_sys_close(fds[0]), 0);
		rump_pub_lwproc_switch(parent);
		ATF_REQUIRE_EQ(rump_sys_close(fds[0]), 0);
		ATF_REQUIRE_EQ(rump_sys_close(fds[1]), 0);
	} else {
		r.pid = w.pid = rump_sys_getpid();
	}

	start = now_ns();
	w.deadline = r.deadline = start + PIPE_SECONDS * 1000000000ull;
	ATF_REQUIRE_EQ(pthread_create(&r.thread, NULL, pipe_reader, &r), 0);
	ATF_REQUIRE_EQ(pthread_create(&w.thread, NULL, pipe_writer, &w), 0);
	join_bounded(w.thread, "the pipe writer");
	join_bounded(r.thread, "the pipe reader");
	printf("%ju bytes in %.3f s\n", (uintmax_t)r.bytes,
	    (double)(now_ns() - start) / 1e9);
	rump_pub_lwproc_releaselwp();

	check_worker_failures();
	ATF_CHECK_EQ_MSG(w.bytes, PIPE_BYTES, "writer wrote %ju bytes",
	    (uintmax_t)w.bytes);
	ATF_CHECK_EQ_MSG(r.bytes, w.bytes, "reader read %ju bytes, writer "
	    "wrote %ju", (uintmax_t)r.bytes, (uintmax_t)w.bytes);
	ATF_CHECK_EQ_MSG(r.sum, w.sum, "checksum %#x read, %#x written",
	    r.sum, w.sum);
}

ATF_TC(pipe_poll_one_proc);
ATF_TC_HEAD(pipe_poll_one_proc, tc)
{
	atf_tc_set_md_var(tc, "descr", "A pipe between two lwps of one "
	    "process moves 16 MiB intact with poll");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(pipe_poll_one_proc, tc)
{

	pipe_test(false);
}

ATF_TC(pipe_poll_two_procs);
ATF_TC_HEAD(pipe_poll_two_procs, tc)
{
	atf_tc_set_md_var(tc, "descr", "A pipe between two processes moves "
	    "16 MiB intact with poll");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(pipe_poll_two_procs, tc)
{

	pipe_test(true);
}

/* Several writers: each write of PIPE_BUF or less arrives whole. */
#define NWRITERS	3
#define RECORD		512
#define RECORDS		4000

struct atomic_writer {
	pid_t		 pid;
	int		 fd;
	int		 id;
	pthread_t	 thread;
};

static void *
atomic_writer_main(void *arg)
{
	struct atomic_writer *a = arg;
	unsigned char rec[RECORD];
	uint64_t deadline = now_ns() + PIPE_SECONDS * 1000000000ull;
	uint32_t seq;
	ssize_t n;
	int error;

	error = rump_pub_lwproc_newlwp(a->pid);
	if (error != 0) {
		worker_fail("writer %d: newlwp: %s", a->id, strerror(error));
		return NULL;
	}
	for (seq = 0; seq < RECORDS && now_ns() < deadline; seq++) {
		/* id, sequence number, then the id repeated. */
		memset(rec, 'A' + a->id, sizeof(rec));
		memcpy(rec + 1, &seq, sizeof(seq));
		if (!pipe_wait(a->fd, POLLOUT, "atomic writer"))
			break;
		n = rump_sys_write(a->fd, rec, sizeof(rec));
		if (n == -1 && errno == EAGAIN) {
			seq--;
			continue;
		}
		if (n != RECORD) {
			worker_fail("writer %d: write of %d bytes returned "
			    "%zd (%s)", a->id, RECORD, n,
			    n == -1 ? strerror(errno) : "partial");
			break;
		}
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(pipe_atomic_writes);
ATF_TC_HEAD(pipe_atomic_writes, tc)
{
	atf_tc_set_md_var(tc, "descr", "Concurrent pipe writes of at most "
	    "PIPE_BUF bytes are not interleaved");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(pipe_atomic_writes, tc)
{
	static unsigned char stream[NWRITERS * RECORDS * RECORD];
	struct atomic_writer writers[NWRITERS];
	uint32_t next[NWRITERS] = { 0 }, seq;
	uint64_t deadline;
	size_t got = 0, i;
	ssize_t n;
	int fds[2], k, id;
	pid_t pid;

	boot();
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	pid = rump_sys_getpid();
	ATF_REQUIRE_EQ(rump_sys_pipe2(fds, O_NONBLOCK), 0);
	for (k = 0; k < NWRITERS; k++) {
		writers[k].pid = pid;
		writers[k].fd = fds[1];
		writers[k].id = k;
		ATF_REQUIRE_EQ(pthread_create(&writers[k].thread, NULL,
		    atomic_writer_main, &writers[k]), 0);
	}

	/* Read everything the writers send, as the main thread. */
	deadline = now_ns() + PIPE_SECONDS * 1000000000ull;
	while (got < sizeof(stream) && now_ns() < deadline &&
	    atomic_load(&nfailures) == 0) {
		if (!pipe_wait(fds[0], POLLIN, "reader"))
			break;
		n = rump_sys_read(fds[0], stream + got, sizeof(stream) - got);
		if (n == -1 && errno == EAGAIN)
			continue;
		ATF_REQUIRE_MSG(n > 0, "read returned %zd: %s", n,
		    strerror(errno));
		got += (size_t)n;
	}
	for (k = 0; k < NWRITERS; k++)
		join_bounded(writers[k].thread, "a pipe writer");
	rump_sys_close(fds[0]);
	rump_sys_close(fds[1]);
	rump_pub_lwproc_releaselwp();
	check_worker_failures();
	ATF_REQUIRE_EQ_MSG(got, sizeof(stream), "read %zu of %zu bytes", got,
	    sizeof(stream));

	/* Every record whole, and each writer's in order. */
	for (i = 0; i < got; i += RECORD) {
		id = stream[i] - 'A';
		ATF_REQUIRE_MSG(id >= 0 && id < NWRITERS, "record at %zu "
		    "starts with %#x", i, stream[i]);
		memcpy(&seq, stream + i + 1, sizeof(seq));
		ATF_REQUIRE_EQ_MSG(seq, next[id], "writer %d: record %u after "
		    "%u", id, seq, next[id] - 1);
		next[id]++;
		for (k = 1 + (int)sizeof(seq); k < RECORD; k++)
			ATF_REQUIRE_MSG(stream[i + (size_t)k] == 'A' + id,
			    "record at %zu (writer %d) has %#x at byte %d: "
			    "writes were interleaved", i, id,
			    stream[i + (size_t)k], k);
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, tree_own_procs);
	ATF_TP_ADD_TC(tp, tree_shared_proc);
	ATF_TP_ADD_TC(tp, vnode_last_reference);
	ATF_TP_ADD_TC(tp, pipe_poll_one_proc);
	ATF_TP_ADD_TC(tp, pipe_poll_two_procs);
	ATF_TP_ADD_TC(tp, pipe_atomic_writes);
	return atf_no_error();
}
