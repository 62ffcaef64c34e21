/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Random operations on an ext2 image, checked against the host.
 *
 * A generator seeded from RANDOM_SEED (or the clock) picks file system
 * operations on a small set of paths: create, write at an offset,
 * truncate, rename, link, unlink, mkdir, rmdir and symlink.  Reads and
 * operations on open descriptors come in between, and a descriptor may
 * outlive the unlink of its file.  Each operation runs twice, on a host directory through
 * the C library and on the image through rump_sys_*; the return values,
 * errno, read data and the lstat of the paths involved must agree.
 * Halfway the image is unmounted, checked with `e2fsck -fn` and mounted
 * again.  At the end the trees are compared (names, types, modes, sizes,
 * contents, link counts).  Then the image is checked once more, and a
 * remount compares it a last time.
 *
 * The run lasts RANDOM_SECONDS seconds (default 10).  Every failure
 * message starts with the seed; RANDOM_SEED=N repeats the same sequence.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "h_fsimage.h"

#define HOST		"host"
#define IMG		"img"
#define KEY		"/dev/img"
#define MNT		"/mnt"

#define NSLOTS		4	/* descriptors kept open across steps */
#define MAXWRITE	20000	/* bytes of one write */
#define HISTORY		16	/* steps printed after a mismatch */
#define LONGNAME	150	/* bytes of a long path component */
#define RELMAX		(8 + 3 * (LONGNAME + 1))	/* bytes of a path */

enum op {
	OP_CREATE, OP_WRITE, OP_TRUNCATE, OP_RENAME, OP_LINK, OP_UNLINK,
	OP_MKDIR, OP_RMDIR, OP_SYMLINK, OP_READ, OP_OPEN, OP_CLOSE,
	OP_FDWRITE, OP_FDREAD, OP_FTRUNCATE,
	OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"create", "write", "truncate", "rename", "link", "unlink", "mkdir",
	"rmdir", "symlink", "read", "open", "close", "fdwrite", "fdread",
	"ftruncate",
};

/* How often each operation is picked, relative to the others. */
static const unsigned op_weights[OP_COUNT] = {
	[OP_CREATE] = 10, [OP_WRITE] = 16, [OP_TRUNCATE] = 6,
	[OP_RENAME] = 8, [OP_LINK] = 5, [OP_UNLINK] = 7, [OP_MKDIR] = 5,
	[OP_RMDIR] = 5, [OP_SYMLINK] = 2, [OP_READ] = 8, [OP_OPEN] = 8,
	[OP_CLOSE] = 2, [OP_FDWRITE] = 6, [OP_FDREAD] = 3,
	[OP_FTRUNCATE] = 2,
};

struct slot {
	int	hfd, rfd;		/* -1 when closed */
};

struct run {
	uint64_t seed, rng;
	unsigned long step;
	int	blocksize;
	struct slot slots[NSLOTS];
	char	history[HISTORY][2 * RELMAX + 100];
	unsigned char *hbuf, *rbuf;
	bool	failed;
	enum op	op;			/* of the current step */
	unsigned long counts[OP_COUNT], okcounts[OP_COUNT + 1], errors;
};

/* ------------------------------------------------------------------ */
/* Choosing arguments. */

/*
 * A path below one of the three fixed directories d1, d2 and d3, with one
 * to three components from a small alphabet.  The fixed directories are
 * never operated on, so that a tree of files at the top cannot make
 * every deeper path fail with ENOTDIR.  A component is one letter or, one
 * time in four, that letter followed by LONGNAME - 1 x's: a directory
 * with several such entries needs more than one 1 KiB block.
 */
static void
rand_rel(struct run *r, char *buf, size_t len)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f" };
	char xs[LONGNAME];
	unsigned depth, i;
	uint64_t x;

	memset(xs, 'x', LONGNAME - 1);
	xs[LONGNAME - 1] = '\0';

	x = img_rand_below(&r->rng, 100);
	if (x < 40)
		depth = 1;
	else if (x < 75)
		depth = 2;
	else
		depth = 3;
	snprintf(buf, len, "d%u", 1 + (unsigned)img_rand_below(&r->rng, 3));
	for (i = 0; i < depth; i++) {
		strcat(buf, "/");
		strcat(buf, names[img_rand_below(&r->rng, 6)]);
		if (img_rand_below(&r->rng, 4) == 0)
			strcat(buf, xs);
	}
	(void)len;
}

/*
 * An offset or size: mostly small, sometimes in the single and double
 * indirect ranges, rarely in the triple indirect range of 1 KiB blocks.
 */
static off_t
rand_offset(struct run *r)
{
	uint64_t x = img_rand_below(&r->rng, 100);

	if (x < 50)
		return (off_t)img_rand_below(&r->rng, 20000);
	if (x < 80)
		return (off_t)img_rand_below(&r->rng, 400 * 1024);
	if (x < 97)
		return (off_t)img_rand_below(&r->rng, 8 << 20);
	return (off_t)(66 << 20) + (off_t)img_rand_below(&r->rng, 4 << 20);
}

static size_t
rand_len(struct run *r)
{

	if (img_rand_below(&r->rng, 4) == 0)
		return 1 + img_rand_below(&r->rng, 16);
	return 1 + img_rand_below(&r->rng, MAXWRITE);
}

static enum op
rand_op(struct run *r)
{
	unsigned total = 0, x, i;

	for (i = 0; i < OP_COUNT; i++)
		total += op_weights[i];
	x = (unsigned)img_rand_below(&r->rng, total);
	for (i = 0; i < OP_COUNT; i++) {
		if (x < op_weights[i])
			return (enum op)i;
		x -= op_weights[i];
	}
	return OP_CREATE;
}

/* ------------------------------------------------------------------ */
/* Checking results. */

static void
print_history(const struct run *r)
{
	unsigned long s, first;

	first = r->step >= HISTORY ? r->step - HISTORY + 1 : 0;
	fprintf(stderr, "seed %" PRIu64 ": the last steps were:\n", r->seed);
	for (s = first; s <= r->step; s++)
		fprintf(stderr, "  %s\n", r->history[s % HISTORY]);
}

static void
mismatch(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
mismatch(struct run *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!r->failed)
		print_history(r);
	r->failed = true;
	ATF_CHECK_MSG(false, "seed %" PRIu64 ", step %lu (%s): %s", r->seed,
	    r->step, r->history[r->step % HISTORY], msg);
}

/*
 * The results of one call on both sides agree: both failed with the same
 * errno, or both succeeded (with the same value when exact is set).
 */
static bool
agree(struct run *r, long hrv, int herr, long rrv, int rerr, bool exact)
{

	if (hrv < 0 && rrv < 0 && herr == rerr) {
		r->errors++;
		return true;
	}
	if (hrv >= 0 && rrv >= 0 && (!exact || hrv == rrv)) {
		r->okcounts[r->op]++;
		return true;
	}
	if (hrv < 0 && rrv < 0)
		mismatch(r, "errno %d (%s), the host %d (%s)", rerr,
		    strerror(rerr), herr, strerror(herr));
	else if (hrv < 0)
		mismatch(r, "returned %ld, the host failed with %s", rrv,
		    strerror(herr));
	else if (rrv < 0)
		mismatch(r, "failed with %s, the host returned %ld",
		    strerror(rerr), hrv);
	else
		mismatch(r, "returned %ld, the host %ld", rrv, hrv);
	return false;
}

#define AGREE(r, exact, hcall, rcall) __extension__ ({			\
	long hrv_, rrv_;						\
	int herr_, rerr_;						\
									\
	errno = 0;							\
	hrv_ = (long)(hcall);						\
	herr_ = errno;							\
	errno = 0;							\
	rrv_ = (long)(rcall);						\
	rerr_ = errno;							\
	agree((r), hrv_, herr_, rrv_, rerr_, (exact)) ? hrv_ : -2L;	\
})

/* The lstat of rel agrees on type, mode, size (not for directories), links. */
static void
check_lstat(struct run *r, const char *rel)
{
	char hp[PATH_MAX], rp[PATH_MAX];
	struct stat hs, rs;
	enum op op;
	long hrv;

	snprintf(hp, sizeof(hp), HOST "/%s", rel);
	snprintf(rp, sizeof(rp), MNT "/%s", rel);
	op = r->op;
	r->op = OP_COUNT;	/* not counted as a successful step */
	hrv = AGREE(r, false, lstat(hp, &hs), rump_sys_lstat(rp, &rs));
	r->op = op;
	if (hrv < 0)
		return;
	if ((hs.st_mode & (S_IFMT | 07777)) != (rs.st_mode & (S_IFMT | 07777)))
		mismatch(r, "%s: mode %06o, the host %06o", rel,
		    (unsigned)rs.st_mode, (unsigned)hs.st_mode);
	else if (!S_ISDIR(hs.st_mode) && hs.st_size != rs.st_size)
		mismatch(r, "%s: size %lld, the host %lld", rel,
		    (long long)rs.st_size, (long long)hs.st_size);
	else if (hs.st_nlink != rs.st_nlink)
		mismatch(r, "%s: %lu links, the host %lu", rel,
		    (unsigned long)rs.st_nlink, (unsigned long)hs.st_nlink);
}

/* Read len bytes at off through both descriptors and compare them. */
static void
compare_read(struct run *r, int hfd, int rfd, off_t off, size_t len)
{
	ssize_t n;

	n = AGREE(r, true, pread(hfd, r->hbuf, len, off),
	    rump_sys_pread(rfd, r->rbuf, len, off));
	if (n > 0 && memcmp(r->hbuf, r->rbuf, (size_t)n) != 0)
		mismatch(r, "the %zd bytes read at %lld differ", n,
		    (long long)off);
}

/* ------------------------------------------------------------------ */
/* One step. */

static void
close_slot(struct run *r, struct slot *s)
{

	if (s->hfd >= 0) {
		AGREE(r, true, close(s->hfd), rump_sys_close(s->rfd));
		s->hfd = s->rfd = -1;
	}
}

static void
close_slots(struct run *r)
{
	int i;

	for (i = 0; i < NSLOTS; i++)
		close_slot(r, &r->slots[i]);
}

/* Open rel on both sides with flags; returns false unless both did. */
static bool
open_both(struct run *r, const char *rel, int flags, int *hfd, int *rfd)
{
	char hp[PATH_MAX], rp[PATH_MAX];

	snprintf(hp, sizeof(hp), HOST "/%s", rel);
	snprintf(rp, sizeof(rp), MNT "/%s", rel);
	errno = 0;
	*hfd = open(hp, flags, 0644);
	int herr = errno;
	errno = 0;
	*rfd = rump_sys_open(rp, flags, 0644);
	int rerr = errno;

	if (!agree(r, *hfd, herr, *rfd, rerr, false)) {
		if (*hfd >= 0)
			close(*hfd);
		if (*rfd >= 0)
			rump_sys_close(*rfd);
		return false;
	}
	return *hfd >= 0;
}

static void
step(struct run *r)
{
	char rel1[RELMAX], rel2[RELMAX], hp1[PATH_MAX], rp1[PATH_MAX];
	char hp2[PATH_MAX], rp2[PATH_MAX], *desc;
	struct slot *s;
	enum op op;
	off_t off;
	size_t len;
	int hfd, rfd, flags;

	op = rand_op(r);
	r->op = op;
	r->counts[op]++;
	rand_rel(r, rel1, sizeof(rel1));
	rand_rel(r, rel2, sizeof(rel2));
	snprintf(hp1, sizeof(hp1), HOST "/%s", rel1);
	snprintf(rp1, sizeof(rp1), MNT "/%s", rel1);
	snprintf(hp2, sizeof(hp2), HOST "/%s", rel2);
	snprintf(rp2, sizeof(rp2), MNT "/%s", rel2);
	s = &r->slots[img_rand_below(&r->rng, NSLOTS)];
	off = rand_offset(r);
	len = rand_len(r);
	desc = r->history[r->step % HISTORY];
	snprintf(desc, sizeof(r->history[0]), "%lu %s", r->step, op_names[op]);
#define DESC(...) snprintf(desc + strlen(desc),				\
	    sizeof(r->history[0]) - strlen(desc), __VA_ARGS__)

	switch (op) {
	case OP_CREATE:
		flags = O_CREAT | O_WRONLY;
		if (img_rand_below(&r->rng, 3) == 0)
			flags |= O_EXCL;
		if (img_rand_below(&r->rng, 3) == 0)
			flags |= O_TRUNC;
		DESC(" %s flags %#o", rel1, flags);
		if (open_both(r, rel1, flags, &hfd, &rfd)) {
			close(hfd);
			rump_sys_close(rfd);
		}
		check_lstat(r, rel1);
		break;

	case OP_WRITE:
		DESC(" %s %zu bytes at %lld", rel1, len, (long long)off);
		if (!open_both(r, rel1, O_WRONLY, &hfd, &rfd))
			break;
		img_fill(r->hbuf, len, (uint32_t)(r->seed + r->step), off);
		AGREE(r, true, pwrite(hfd, r->hbuf, len, off),
		    rump_sys_pwrite(rfd, r->hbuf, len, off));
		close(hfd);
		rump_sys_close(rfd);
		check_lstat(r, rel1);
		break;

	case OP_TRUNCATE:
		DESC(" %s to %lld", rel1, (long long)off);
		AGREE(r, true, truncate(hp1, off), rump_sys_truncate(rp1, off));
		check_lstat(r, rel1);
		break;

	case OP_RENAME:
		DESC(" %s to %s", rel1, rel2);
		AGREE(r, true, rename(hp1, hp2), rump_sys_rename(rp1, rp2));
		check_lstat(r, rel1);
		check_lstat(r, rel2);
		break;

	case OP_LINK:
		DESC(" %s to %s", rel1, rel2);
		AGREE(r, true, link(hp1, hp2), rump_sys_link(rp1, rp2));
		check_lstat(r, rel1);
		check_lstat(r, rel2);
		break;

	case OP_UNLINK:
		DESC(" %s", rel1);
		AGREE(r, true, unlink(hp1), rump_sys_unlink(rp1));
		check_lstat(r, rel1);
		break;

	case OP_MKDIR:
		DESC(" %s", rel1);
		AGREE(r, true, mkdir(hp1, 0755), rump_sys_mkdir(rp1, 0755));
		check_lstat(r, rel1);
		break;

	case OP_RMDIR:
		DESC(" %s", rel1);
		AGREE(r, true, rmdir(hp1), rump_sys_rmdir(rp1));
		check_lstat(r, rel1);
		break;

	case OP_SYMLINK:
		/* Targets stay below the top directory: no "..", no "/". */
		DESC(" %s -> %s", rel2, rel1);
		AGREE(r, true, symlink(rel1, hp2), rump_sys_symlink(rel1, rp2));
		check_lstat(r, rel2);
		break;

	case OP_READ:
		DESC(" %s %zu bytes at %lld", rel1, len, (long long)off);
		if (!open_both(r, rel1, O_RDONLY, &hfd, &rfd))
			break;
		compare_read(r, hfd, rfd, off, len);
		compare_read(r, hfd, rfd, 0, MAXWRITE);
		close(hfd);
		rump_sys_close(rfd);
		break;

	case OP_OPEN:
		DESC(" %s into slot %td", rel1, s - r->slots);
		close_slot(r, s);
		if (open_both(r, rel1, O_RDWR, &hfd, &rfd)) {
			s->hfd = hfd;
			s->rfd = rfd;
		}
		break;

	case OP_CLOSE:
		DESC(" slot %td", s - r->slots);
		close_slot(r, s);
		break;

	case OP_FDWRITE:
		DESC(" slot %td: %zu bytes at %lld", s - r->slots, len,
		    (long long)off);
		if (s->hfd < 0)
			break;
		img_fill(r->hbuf, len, (uint32_t)(r->seed + r->step), off);
		AGREE(r, true, pwrite(s->hfd, r->hbuf, len, off),
		    rump_sys_pwrite(s->rfd, r->hbuf, len, off));
		break;

	case OP_FDREAD:
		DESC(" slot %td: %zu bytes at %lld", s - r->slots, len,
		    (long long)off);
		if (s->hfd >= 0)
			compare_read(r, s->hfd, s->rfd, off, len);
		break;

	case OP_FTRUNCATE:
		DESC(" slot %td to %lld", s - r->slots, (long long)off);
		if (s->hfd >= 0)
			AGREE(r, true, ftruncate(s->hfd, off),
			    rump_sys_ftruncate(s->rfd, off));
		break;

	case OP_COUNT:
		break;
	}
#undef DESC
}

/* ------------------------------------------------------------------ */

static double
elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Unmount, check the image with e2fsck and mount it again. */
static void
remount(struct run *r)
{

	close_slots(r);
	img_umount(MNT);
	if (!img_fsck_clean(IMG))
		r->failed = true;
	img_mount(KEY, MNT, "ext2", 0);
}

static void
run_random(int blocksize)
{
	struct timespec start;
	struct statfs sf;
	const char *env;
	double seconds = 10, half;
	bool remounted = false;
	struct run *r;
	int i;

	r = calloc(1, sizeof(*r));
	ATF_REQUIRE(r != NULL);
	r->hbuf = malloc(MAXWRITE * 2);
	r->rbuf = malloc(MAXWRITE * 2);
	ATF_REQUIRE(r->hbuf != NULL && r->rbuf != NULL);
	r->blocksize = blocksize;
	for (i = 0; i < NSLOTS; i++)
		r->slots[i].hfd = r->slots[i].rfd = -1;

	env = getenv("RANDOM_SEED");
	if (env != NULL && *env != '\0')
		r->seed = strtoull(env, NULL, 0);
	else
		r->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	env = getenv("RANDOM_SECONDS");
	if (env != NULL && atof(env) > 0)
		seconds = atof(env);
	r->rng = r->seed * 0x9e3779b97f4a7c15ULL + 1;
	snprintf(img_prefix, sizeof(img_prefix), "seed %" PRIu64 ": ",
	    r->seed);
	printf("seed %" PRIu64 " (RANDOM_SEED=%" PRIu64 " repeats this run), "
	    "%d-byte blocks, %.0f s\n", r->seed, r->seed, blocksize, seconds);

	img_require_e2fsprogs();
	img_tmpfs_dir(HOST);
	IMG_RUN_OK("mke2fs -q -F -t ext2 -b %d %s 256M", blocksize, IMG);
	img_boot();
	img_register(KEY, IMG);
	img_mount(KEY, MNT, "ext2", 0);
	/* Both sides start with the same empty directory. */
	ATF_REQUIRE_EQ(rump_sys_rmdir(MNT "/lost+found"), 0);
	ATF_REQUIRE_EQ(rump_sys_chmod(MNT, 0755), 0);
	ATF_REQUIRE_EQ(chmod(HOST, 0755), 0);
	rump_sys_umask(022);
	umask(022);
	for (i = 1; i <= 3; i++) {
		char hp[32], rp[32];

		snprintf(hp, sizeof(hp), HOST "/d%d", i);
		snprintf(rp, sizeof(rp), MNT "/d%d", i);
		ATF_REQUIRE_EQ(mkdir(hp, 0755), 0);
		ATF_REQUIRE_EQ(rump_sys_mkdir(rp, 0755), 0);
	}

	half = seconds / 2;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (r->step = 0; !r->failed; r->step++) {
		step(r);
		if (r->step % 256 == 0) {
			double t = elapsed(&start);

			if (t >= seconds)
				break;
			/* Stay far from ENOSPC, where the host may differ. */
			ATF_REQUIRE_EQ(rump_sys_statfs(MNT, &sf), 0);
			if (sf.f_bfree < sf.f_blocks / 4) {
				printf("stopping early: the image is 75%% "
				    "full\n");
				break;
			}
			if (!remounted && t >= half) {
				remount(r);
				remounted = true;
			}
		}
	}
	printf("%lu steps in %.1f s; %lu calls failed with the same errno on "
	    "both sides\n", r->step, elapsed(&start), r->errors);
	printf("  operation  steps  successful calls\n");
	for (i = 0; i < OP_COUNT; i++)
		printf("  %-10s %6lu %6lu\n", op_names[i], r->counts[i],
		    r->okcounts[i]);

	close_slots(r);
	if (!r->failed) {
		if (img_compare_trees(HOST, MNT, IMG_CMP_OWNERS) != 0)
			r->failed = true;
	}
	img_umount(MNT);
	if (!img_fsck_clean(IMG))
		r->failed = true;
	if (!r->failed) {
		img_mount(KEY, MNT, "ext2", MS_RDONLY);
		if (img_compare_trees(HOST, MNT, IMG_CMP_OWNERS) != 0)
			r->failed = true;
		img_umount(MNT);
	}
	if (r->failed)
		atf_tc_fail("seed %" PRIu64 ": the image and the host differ "
		    "(RANDOM_SEED=%" PRIu64 " repeats this run)", r->seed,
		    r->seed);
	img_tmpfs_cleanup(HOST);
	free(r->hbuf);
	free(r->rbuf);
	free(r);
}

ATF_TC_WITH_CLEANUP(random_1k);
ATF_TC_HEAD(random_1k, tc)
{
	atf_tc_set_md_var(tc, "descr", "random operations on a 1 KiB-block "
	    "image agree with the host; e2fsck clean");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(random_1k, tc)
{

	run_random(1024);
}
ATF_TC_CLEANUP(random_1k, tc)
{

	img_tmpfs_cleanup(HOST);
}

ATF_TC_WITH_CLEANUP(random_4k);
ATF_TC_HEAD(random_4k, tc)
{
	atf_tc_set_md_var(tc, "descr", "random operations on a 4 KiB-block "
	    "image agree with the host; e2fsck clean");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(random_4k, tc)
{

	run_random(4096);
}
ATF_TC_CLEANUP(random_4k, tc)
{

	img_tmpfs_cleanup(HOST);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, random_1k);
	ATF_TP_ADD_TC(tp, random_4k);
	return atf_no_error();
}
