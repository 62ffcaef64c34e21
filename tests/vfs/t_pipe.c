/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pipes and FIFOs: pipe(2) and pipe2(2), reads and writes with blocking,
 * non-blocking and packet mode, PIPE_BUF atomicity, EOF, EPIPE with
 * SIGPIPE, capacities (F_GETPIPE_SZ, F_SETPIPE_SZ), fstat, fchmod,
 * fchown and futimens, FIONREAD, poll events, interrupted sleeps, and the
 * FIFO open rules.  Expected values are Linux's (6.18, x86-64), observed
 * with the same calls on the host.  Signals use the RECORD model: a
 * posted signal stays pending in the rump process, and poll(NULL, 0, 0)
 * failing with EINTR shows it.
 */

#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>

#include "h_descrip.h"

#define DEFAULT_SIZE	65536
#define PAGE		4096

/* Pattern byte at stream offset i, for the streaming tests. */
static unsigned char
pattern(size_t i)
{

	return (unsigned char)(i * 7 + 3);
}

/* True when a signal is pending: poll with no descriptors fails with EINTR. */
static bool
signal_pending(void)
{

	errno = 0;
	if (rump_sys_poll(NULL, 0, 0) == 0)
		return false;
	ATF_REQUIRE_EQ_MSG(errno, EINTR, "poll(NULL, 0, 0): %s",
	    strerror(errno));
	return true;
}

static void
make_pipe(int p[2], int flags)
{

	REQUIRE_OK(rump_sys_pipe2(p, flags));
}

static void
read_fn(struct worker *w)
{

	errno = 0;
	w->w_rv = rump_sys_read(w->w_fd, w->w_buf, w->w_len);
	w->w_errno = errno;
}

static void
write_fn(struct worker *w)
{

	errno = 0;
	w->w_rv = rump_sys_write(w->w_fd, w->w_buf, w->w_len);
	w->w_errno = errno;
}

ATF_TC(pipe_basic);
ATF_TC_HEAD(pipe_basic, tc)
{
	atf_tc_set_md_var(tc, "descr", "pipe returns the two lowest free "
	    "descriptors, a read end and a write end");
}
ATF_TC_BODY(pipe_basic, tc)
{
	char buf[16];
	int p[2], q[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	ATF_CHECK_EQ(p[0], 0);
	ATF_CHECK_EQ(p[1], 1);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETFL), O_WRONLY);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), 0);

	ATF_CHECK_EQ(rump_sys_write(p[1], "hello", 5), 5);
	ATF_CHECK_EQ(rump_sys_write(p[1], " world", 6), 6);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 3), 3);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf + 3, sizeof(buf)), 8);
	ATF_CHECK_STREQ(buf, "hello world");

	/* Each end works one way only. */
	CHECK_ERRNO(EBADF, rump_sys_read(p[1], buf, 1));
	CHECK_ERRNO(EBADF, rump_sys_write(p[0], "x", 1));

	REQUIRE_OK(rump_sys_pipe(q));
	ATF_CHECK_EQ(q[0], 2);
	ATF_CHECK_EQ(q[1], 3);
	REQUIRE_OK(rump_sys_close(p[0]));
	REQUIRE_OK(rump_sys_pipe(q));
	ATF_CHECK_EQ(q[0], 0);
	ATF_CHECK_EQ(q[1], 4);
}

ATF_TC(pipe2_flags);
ATF_TC_HEAD(pipe2_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "pipe2 accepts O_CLOEXEC, O_NONBLOCK "
	    "and O_DIRECT and rejects other flags with EINVAL");
}
ATF_TC_BODY(pipe2_flags, tc)
{
	int p[2];

	boot_kernel();
	make_pipe(p, O_CLOEXEC | O_NONBLOCK);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_NONBLOCK);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETFL), O_WRONLY | O_NONBLOCK);

	make_pipe(p, O_DIRECT);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETFL), O_WRONLY | O_DIRECT);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETFD), 0);

	CHECK_ERRNO(EINVAL, rump_sys_pipe2(p, O_APPEND));
	CHECK_ERRNO(EINVAL, rump_sys_pipe2(p, O_NOATIME));
	CHECK_ERRNO(EINVAL, rump_sys_pipe2(p, (int)0x80000000));
	CHECK_ERRNO(EINVAL, rump_sys_pipe2(p, O_RDWR));
}

ATF_TC(pipe_bad_array);
ATF_TC_HEAD(pipe_bad_array, tc)
{
	atf_tc_set_md_var(tc, "descr", "pipe with a bad array fails with "
	    "EFAULT and leaves no descriptor behind");
}
ATF_TC_BODY(pipe_bad_array, tc)
{
	int p[2];

	boot_kernel();
	CHECK_ERRNO(EFAULT, rump_sys_pipe((int *)8));
	CHECK_ERRNO(EBADF, rump_sys_close(0));
	CHECK_ERRNO(EBADF, rump_sys_close(1));
	REQUIRE_OK(rump_sys_pipe(p));
	ATF_CHECK_EQ(p[0], 0);
	ATF_CHECK_EQ(p[1], 1);
}

ATF_TC(pipe_eof);
ATF_TC_HEAD(pipe_eof, tc)
{
	atf_tc_set_md_var(tc, "descr", "data written before the write end "
	    "closes is read, then read returns 0");
}
ATF_TC_BODY(pipe_eof, tc)
{
	char buf[8];
	int p[2];

	boot_kernel();
	make_pipe(p, 0);
	ATF_CHECK_EQ(rump_sys_write(p[1], "abc", 3), 3);
	REQUIRE_OK(rump_sys_close(p[1]));
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 3);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
}

ATF_TC(pipe_epipe_sigpipe);
ATF_TC_HEAD(pipe_epipe_sigpipe, tc)
{
	atf_tc_set_md_var(tc, "descr", "writing to a pipe without readers "
	    "fails with EPIPE and posts SIGPIPE to the writer's process");
}
ATF_TC_BODY(pipe_epipe_sigpipe, tc)
{
	int p[2];

	boot_kernel();
	(void)proc_create(RUMP_RFCFDG);
	make_pipe(p, 0);
	REQUIRE_OK(rump_sys_close(p[0]));
	ATF_REQUIRE(!signal_pending());

	/* A write of nothing succeeds without a signal, as on Linux. */
	ATF_CHECK_EQ(rump_sys_write(p[1], "x", 0), 0);
	ATF_CHECK(!signal_pending());

	CHECK_ERRNO(EPIPE, rump_sys_write(p[1], "x", 1));
	ATF_CHECK(signal_pending());
	ATF_CHECK(!signal_pending());

	/* Non-blocking writes too. */
	ATF_REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	CHECK_ERRNO(EPIPE, rump_sys_write(p[1], "xyz", 3));
	ATF_CHECK(signal_pending());
}

ATF_TC(pipe_zero_length);
ATF_TC_HEAD(pipe_zero_length, tc)
{
	atf_tc_set_md_var(tc, "descr", "reads and writes of 0 bytes return 0 "
	    "at once, even on an empty pipe");
}
ATF_TC_BODY(pipe_zero_length, tc)
{
	struct iovec iov;
	char buf[1];
	int p[2];

	boot_kernel();
	make_pipe(p, 0);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 0), 0);
	ATF_CHECK_EQ(rump_sys_write(p[1], buf, 0), 0);
	ATF_CHECK_EQ(rump_sys_readv(p[0], &iov, 0), 0);
	iov.iov_base = buf;
	iov.iov_len = 0;
	ATF_CHECK_EQ(rump_sys_readv(p[0], &iov, 1), 0);
	ATF_CHECK_EQ(rump_sys_writev(p[1], &iov, 1), 0);
	/* The mode is checked first. */
	CHECK_ERRNO(EBADF, rump_sys_read(p[1], buf, 0));
	CHECK_ERRNO(EBADF, rump_sys_write(p[0], buf, 0));
}

ATF_TC(pipe_nonblock_capacity);
ATF_TC_HEAD(pipe_nonblock_capacity, tc)
{
	atf_tc_set_md_var(tc, "descr", "non-blocking I/O: a 64 KiB pipe of "
	    "16 page slots, EAGAIN when full or empty, partial writes");
}
ATF_TC_BODY(pipe_nonblock_capacity, tc)
{
	static char buf[70000];
	int p[2], n;

	boot_kernel();
	make_pipe(p, O_NONBLOCK);
	CHECK_ERRNO(EAGAIN, rump_sys_read(p[0], buf, 1));

	ATF_CHECK_EQ(rump_sys_write(p[1], buf, sizeof(buf)), DEFAULT_SIZE);
	CHECK_ERRNO(EAGAIN, rump_sys_write(p[1], buf, 1));
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONREAD, &n), 0);
	ATF_CHECK_EQ(n, DEFAULT_SIZE);

	/* A slot is freed only when all its bytes are read. */
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 1), 1);
	CHECK_ERRNO(EAGAIN, rump_sys_write(p[1], buf, 1));
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, PAGE - 1), PAGE - 1);
	/* One free slot: a page of a larger write goes in, then EAGAIN. */
	ATF_CHECK_EQ(rump_sys_write(p[1], buf, 5000), PAGE);
	CHECK_ERRNO(EAGAIN, rump_sys_write(p[1], buf, 100));

	/* Drain and check that small writes merge into one slot. */
	while (rump_sys_read(p[0], buf, sizeof(buf)) > 0)
		continue;
	CHECK_ERRNO(EAGAIN, rump_sys_read(p[0], buf, 1));
	for (n = 0; n < 40; n++)
		ATF_REQUIRE_EQ(rump_sys_write(p[1], "0123456789", 10), 10);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 400);
}

/* Stream test: the writer writes STREAM_BYTES in chunks of many sizes. */
#define STREAM_BYTES	(4 * 1024 * 1024)

static const size_t stream_sizes[] = {
	1, 100, 4096, 4097, 65536, 70000, 3, 8191, 12288, 511
};

static void
stream_writer(struct worker *w)
{
	static unsigned char buf[70000];
	size_t off = 0, n, i;
	unsigned k = 0;
	ssize_t rv;

	while (off < STREAM_BYTES) {
		n = stream_sizes[k++ % __arraycount(stream_sizes)];
		if (n > STREAM_BYTES - off)
			n = STREAM_BYTES - off;
		for (i = 0; i < n; i++)
			buf[i] = pattern(off + i);
		rv = rump_sys_write(w->w_fd, buf, n);
		if (rv != (ssize_t)n) {
			w->w_rv = -1;
			w->w_errno = errno;
			return;
		}
		off += n;
	}
	w->w_rv = rump_sys_close(w->w_fd);
}

static void
stream_reader(struct worker *w)
{
	static unsigned char buf[70000];
	struct pollfd pfd;
	size_t off = 0, i;
	unsigned k = 0;
	ssize_t rv;

	w->w_rv = -1;
	for (;;) {
		pfd.fd = w->w_fd;
		pfd.events = POLLIN;
		if (rump_sys_poll(&pfd, 1, WORKER_TIMEOUT_S * 1000) != 1) {
			w->w_errno = errno;
			return;
		}
		rv = rump_sys_read(w->w_fd, buf,
		    stream_sizes[k++ % __arraycount(stream_sizes)]);
		if (rv < 0) {
			w->w_errno = errno;
			return;
		}
		if (rv == 0)
			break;
		for (i = 0; i < (size_t)rv; i++) {
			if (buf[i] != pattern(off + i)) {
				w->w_errno = EILSEQ;
				w->w_len = off + i;
				return;
			}
		}
		off += rv;
	}
	w->w_len = off;
	w->w_rv = 0;
}

ATF_TC(pipe_threads_stream);
ATF_TC_HEAD(pipe_threads_stream, tc)
{
	atf_tc_set_md_var(tc, "descr", "a writer thread and a polling reader "
	    "thread move 4 MiB through a pipe without loss or reordering");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(pipe_threads_stream, tc)
{
	struct worker r, w;
	int p[2];

	boot_kernel();
	make_pipe(p, 0);
	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	r.w_fd = p[0];
	w.w_fd = p[1];
	worker_start(&r, 0, stream_reader);
	worker_start(&w, 0, stream_writer);
	worker_join(&w);
	worker_join(&r);
	ATF_CHECK_EQ_MSG(w.w_rv, 0, "writer: %s", strerror(w.w_errno));
	ATF_CHECK_EQ_MSG(r.w_rv, 0, "reader: %s at offset %zu",
	    strerror(r.w_errno), r.w_len);
	ATF_CHECK_EQ(r.w_len, (size_t)STREAM_BYTES);
}

/*
 * Atomicity: NWRITERS threads write NRECORDS records of one size each;
 * a record is its writer's number in every byte but the last two, which
 * hold the record's sequence number.
 */
#define NWRITERS	8
#define NRECORDS	300

struct atomic_writer {
	struct worker	aw_worker;
	int		aw_id;
	size_t		aw_size;
};

static void
atomic_writer_fn(struct worker *w)
{
	struct atomic_writer *aw = (struct atomic_writer *)w;
	unsigned char rec[PAGE];
	int i;

	w->w_rv = 0;
	for (i = 0; i < NRECORDS; i++) {
		memset(rec, aw->aw_id, aw->aw_size);
		rec[aw->aw_size - 2] = (unsigned char)(i >> 8);
		rec[aw->aw_size - 1] = (unsigned char)i;
		if (rump_sys_write(w->w_fd, rec, aw->aw_size) !=
		    (ssize_t)aw->aw_size) {
			w->w_rv = -1;
			w->w_errno = errno;
			return;
		}
	}
}

static void
check_atomic_writes(size_t size)
{
	struct atomic_writer aw[NWRITERS];
	unsigned char *stream, *rec;
	size_t total = (size_t)NWRITERS * NRECORDS * size, off = 0, j;
	int next[NWRITERS], p[2], i, id, seq;
	struct pollfd pfd;
	ssize_t rv;

	boot_kernel();
	make_pipe(p, 0);
	stream = malloc(total);
	ATF_REQUIRE(stream != NULL);
	for (i = 0; i < NWRITERS; i++) {
		memset(&aw[i], 0, sizeof(aw[i]));
		aw[i].aw_id = i + 1;
		aw[i].aw_size = size;
		aw[i].aw_worker.w_fd = p[1];
		worker_start(&aw[i].aw_worker, 0, atomic_writer_fn);
	}

	/* Read in odd sizes, so reads do not follow record boundaries. */
	while (off < total) {
		pfd.fd = p[0];
		pfd.events = POLLIN;
		ATF_REQUIRE_EQ_MSG(rump_sys_poll(&pfd, 1,
		    WORKER_TIMEOUT_S * 1000), 1, "poll: %s", strerror(errno));
		rv = rump_sys_read(p[0], stream + off, MIN(total - off, 777));
		ATF_REQUIRE_MSG(rv > 0, "read: %s", strerror(errno));
		off += rv;
	}
	for (i = 0; i < NWRITERS; i++) {
		worker_join(&aw[i].aw_worker);
		ATF_CHECK_EQ_MSG(aw[i].aw_worker.w_rv, 0, "writer %d: %s", i,
		    strerror(aw[i].aw_worker.w_errno));
	}

	for (i = 0; i < NWRITERS; i++)
		next[i] = 0;
	for (off = 0; off < total; off += size) {
		rec = stream + off;
		id = rec[0];
		ATF_REQUIRE_MSG(id >= 1 && id <= NWRITERS, "record at %zu: "
		    "writer %d", off, id);
		for (j = 1; j < size - 2; j++)
			ATF_REQUIRE_MSG(rec[j] == id, "record at %zu mixes "
			    "writers %d and %d", off, id, rec[j]);
		seq = rec[size - 2] << 8 | rec[size - 1];
		ATF_REQUIRE_EQ_MSG(seq, next[id - 1], "writer %d: record %d "
		    "where %d was expected", id, seq, next[id - 1]);
		next[id - 1]++;
	}
	free(stream);
}

ATF_TC(pipe_atomic_pipe_buf);
ATF_TC_HEAD(pipe_atomic_pipe_buf, tc)
{
	atf_tc_set_md_var(tc, "descr", "writes of PIPE_BUF bytes from many "
	    "threads are never interleaved");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(pipe_atomic_pipe_buf, tc)
{

	check_atomic_writes(PIPE_BUF);
}

ATF_TC(pipe_atomic_small);
ATF_TC_HEAD(pipe_atomic_small, tc)
{
	atf_tc_set_md_var(tc, "descr", "small writes from many threads, "
	    "merged into shared slots, are never interleaved");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(pipe_atomic_small, tc)
{

	check_atomic_writes(100);
}

ATF_TC(pipe_sizes);
ATF_TC_HEAD(pipe_sizes, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_SETPIPE_SZ rounds to a power of two "
	    "of pages, rejects sizes above 2 GiB and shrinking below the data");
}
ATF_TC_BODY(pipe_sizes, tc)
{
	static char buf[3 * PAGE];
	int p[2], fd;

	boot_kernel();
	make_pipe(p, O_NONBLOCK);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETPIPE_SZ), DEFAULT_SIZE);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETPIPE_SZ), DEFAULT_SIZE);

	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, 0), PAGE);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETPIPE_SZ), PAGE);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, 3 * PAGE), 4 * PAGE);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, 5000), 2 * PAGE);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(p[0], F_SETPIPE_SZ, -1));
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(p[0], F_SETPIPE_SZ,
	    (1UL << 31) + 1));
	/* Privileged callers may go beyond the 1 MiB limit. */
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, 2 << 20), 2 << 20);

	/* The capacity is what a non-blocking write can fill. */
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_SETPIPE_SZ, PAGE), PAGE);
	ATF_CHECK_EQ(rump_sys_write(p[1], buf, sizeof(buf)), PAGE);
	CHECK_ERRNO(EAGAIN, rump_sys_write(p[1], buf, 1));
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_SETPIPE_SZ, 2 * PAGE), 2 * PAGE);
	ATF_CHECK_EQ(rump_sys_write(p[1], buf, sizeof(buf)), PAGE);
	/* Two slots hold data: one slot is too small. */
	CHECK_ERRNO(EBUSY, rump_sys_fcntl(p[1], F_SETPIPE_SZ, PAGE));
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETPIPE_SZ), 2 * PAGE);

	/* Data survives a resize. */
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_SETPIPE_SZ, 8 * PAGE), 8 * PAGE);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 2 * PAGE);

	/* Not a pipe: EBADF, as Linux. */
	fd = REQUIRE_OK(rump_sys_open("/", O_RDONLY | O_DIRECTORY));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(fd, F_GETPIPE_SZ));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(fd, F_SETPIPE_SZ, PAGE));
}

ATF_TC(pipe_size_unprivileged);
ATF_TC_HEAD(pipe_size_unprivileged, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unprivileged process may grow a "
	    "pipe to 1 MiB only, and may always shrink it");
}
ATF_TC_BODY(pipe_size_unprivileged, tc)
{
	int p[2];

	boot_kernel();
	(void)proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_setuid(1000));
	make_pipe(p, 0);
	CHECK_ERRNO(EPERM, rump_sys_fcntl(p[0], F_SETPIPE_SZ, (1 << 20) + 1));
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	CHECK_ERRNO(EPERM, rump_sys_fcntl(p[0], F_SETPIPE_SZ, 2 << 20));
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETPIPE_SZ, PAGE), PAGE);
}

ATF_TC(pipe_fstat);
ATF_TC_HEAD(pipe_fstat, tc)
{
	atf_tc_set_md_var(tc, "descr", "fstat of a pipe end: a FIFO of mode "
	    "0600, one inode for both ends, block size 4096, size 0");
}
ATF_TC_BODY(pipe_fstat, tc)
{
	struct stat st0, st1, st2;
	int p[2], q[2];

	boot_kernel();
	make_pipe(p, 0);
	make_pipe(q, 0);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "abc", 3), 3);
	REQUIRE_OK(rump_sys_fstat(p[0], &st0));
	REQUIRE_OK(rump_sys_fstat(p[1], &st1));
	REQUIRE_OK(rump_sys_fstat(q[0], &st2));

	ATF_CHECK_EQ(st0.st_mode, S_IFIFO | 0600);
	ATF_CHECK_EQ(st0.st_nlink, 1);
	ATF_CHECK_EQ(st0.st_size, 0);
	ATF_CHECK_EQ(st0.st_blksize, 4096);
	ATF_CHECK_EQ(st0.st_blocks, 0);
	ATF_CHECK_EQ(st0.st_rdev, 0);
	ATF_CHECK_EQ(st0.st_uid, 0);
	ATF_CHECK_EQ(st0.st_gid, 0);
	ATF_CHECK(st0.st_mtim.tv_sec > 0);
	ATF_CHECK_EQ(st0.st_ino, st1.st_ino);
	ATF_CHECK_EQ(st0.st_dev, st1.st_dev);
	ATF_CHECK(st0.st_ino != st2.st_ino);
	ATF_CHECK_EQ(st0.st_dev, st2.st_dev);

	CHECK_ERRNO(EBADF, rump_sys_fstat(99, &st0));
	CHECK_ERRNO(EFAULT, rump_sys_fstat(p[0], (void *)8));
}

/* True when timespec a is not earlier than b. */
static bool
ts_not_before(const struct timespec *a, const struct timespec *b)
{

	return a->tv_sec > b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

ATF_TC(pipe_setattr);
ATF_TC_HEAD(pipe_setattr, tc)
{
	atf_tc_set_md_var(tc, "descr", "fchmod, fchown, futimens and the "
	    "AT_EMPTY_PATH and NULL-path variants change the pipe's inode");
}
ATF_TC_BODY(pipe_setattr, tc)
{
	const struct timespec set[2] = { { 1000, 1 }, { 2000, 2 } };
	const struct timespec set2[2] = { { 3000, 3 }, { 4000, 4 } };
	struct stat before, st;
	int p[2];

	boot_kernel();
	make_pipe(p, 0);
	REQUIRE_OK(rump_sys_fstat(p[0], &before));

	REQUIRE_OK(rump_sys_fchmod(p[0], 0640));
	REQUIRE_OK(rump_sys_fstat(p[1], &st));
	ATF_CHECK_EQ(st.st_mode, S_IFIFO | 0640);
	REQUIRE_OK(rump_sys_fchmodat(p[1], "", 0604, AT_EMPTY_PATH));
	REQUIRE_OK(rump_sys_fstat(p[0], &st));
	ATF_CHECK_EQ(st.st_mode, S_IFIFO | 0604);

	REQUIRE_OK(rump_sys_fchown(p[1], 1000, 2000));
	REQUIRE_OK(rump_sys_fstat(p[0], &st));
	ATF_CHECK_EQ(st.st_uid, 1000);
	ATF_CHECK_EQ(st.st_gid, 2000);
	REQUIRE_OK(rump_sys_fchownat(p[0], "", 3000, -1, AT_EMPTY_PATH));
	REQUIRE_OK(rump_sys_fstat(p[1], &st));
	ATF_CHECK_EQ(st.st_uid, 3000);
	ATF_CHECK_EQ(st.st_gid, 2000);
	ATF_CHECK(ts_not_before(&st.st_ctim, &before.st_ctim));

	REQUIRE_OK(rump_sys_futimens(p[0], set));
	REQUIRE_OK(rump_sys_fstat(p[1], &st));
	ATF_CHECK_EQ(st.st_atim.tv_sec, 1000);
	ATF_CHECK_EQ(st.st_atim.tv_nsec, 1);
	ATF_CHECK_EQ(st.st_mtim.tv_sec, 2000);
	ATF_CHECK_EQ(st.st_mtim.tv_nsec, 2);
	ATF_CHECK(ts_not_before(&st.st_ctim, &before.st_ctim));

	/* utimensat with a NULL path names the descriptor, as on Linux. */
	REQUIRE_OK(rump_sys_utimensat(p[1], NULL, set2, 0));
	REQUIRE_OK(rump_sys_fstat(p[0], &st));
	ATF_CHECK_EQ(st.st_atim.tv_sec, 3000);
	ATF_CHECK_EQ(st.st_mtim.tv_sec, 4000);
	REQUIRE_OK(rump_sys_utimensat(p[0], "", set, AT_EMPTY_PATH));
	REQUIRE_OK(rump_sys_fstat(p[1], &st));
	ATF_CHECK_EQ(st.st_atim.tv_sec, 1000);
	ATF_CHECK_EQ(st.st_mtim.tv_sec, 2000);

	/*
	 * "Now" for both.  Linux gives ctime the same value; this kernel's
	 * pipes take a second clock reading for it.
	 */
	REQUIRE_OK(rump_sys_futimens(p[1], NULL));
	REQUIRE_OK(rump_sys_fstat(p[0], &st));
	ATF_CHECK_EQ(st.st_atim.tv_sec, st.st_mtim.tv_sec);
	ATF_CHECK_EQ(st.st_atim.tv_nsec, st.st_mtim.tv_nsec);
	ATF_CHECK(ts_not_before(&st.st_mtim, &before.st_ctim));
	ATF_CHECK(ts_not_before(&st.st_ctim, &st.st_mtim));
}

ATF_TC(pipe_fionread);
ATF_TC_HEAD(pipe_fionread, tc)
{
	atf_tc_set_md_var(tc, "descr", "FIONREAD counts the buffered bytes "
	    "on both ends");
}
ATF_TC_BODY(pipe_fionread, tc)
{
	char buf[8];
	int p[2], n;

	boot_kernel();
	make_pipe(p, 0);
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONREAD, &n), 0);
	ATF_CHECK_EQ(n, 0);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "hello", 5), 5);
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONREAD, &n), 0);
	ATF_CHECK_EQ(n, 5);
	ATF_CHECK_EQ(rump_sys_ioctl(p[1], FIONREAD, &n), 0);
	ATF_CHECK_EQ(n, 5);
	ATF_REQUIRE_EQ(rump_sys_read(p[0], buf, 2), 2);
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONREAD, &n), 0);
	ATF_CHECK_EQ(n, 3);
	CHECK_ERRNO(EFAULT, rump_sys_ioctl(p[0], FIONREAD, (void *)8));
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(p[0], FIOQSIZE, &n));
}

ATF_TC(pipe_packet_mode);
ATF_TC_HEAD(pipe_packet_mode, tc)
{
	atf_tc_set_md_var(tc, "descr", "O_DIRECT pipes keep write boundaries: "
	    "one read takes one packet of at most a page");
}
ATF_TC_BODY(pipe_packet_mode, tc)
{
	static char buf[10000];
	int p[2], i, n;

	boot_kernel();
	make_pipe(p, O_DIRECT | O_NONBLOCK);
	ATF_CHECK_EQ(rump_sys_write(p[1], "hello", 5), 5);
	ATF_CHECK_EQ(rump_sys_write(p[1], "world", 5), 5);
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONREAD, &n), 0);
	ATF_CHECK_EQ(n, 10);
	/* A short read drops the rest of its packet. */
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 3), 3);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 100), 5);
	ATF_CHECK(memcmp(buf, "world", 5) == 0);
	CHECK_ERRNO(EAGAIN, rump_sys_read(p[0], buf, 100));

	/* A long write becomes packets of a page. */
	ATF_CHECK_EQ(rump_sys_write(p[1], buf, 5000), 5000);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), PAGE);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 5000 - PAGE);

	/* Each packet takes a slot: 16 fit. */
	for (i = 0; i < 16; i++)
		ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	CHECK_ERRNO(EAGAIN, rump_sys_write(p[1], "x", 1));

	/*
	 * Linux merges a packet write into a normal newest slot; a normal
	 * write never merges into a packet.
	 */
	make_pipe(p, O_NONBLOCK);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "aa", 2), 2);
	ATF_REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETFL, O_DIRECT | O_NONBLOCK),
	    0);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "bb", 2), 2);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 1), 1);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 100), 3);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "cc", 2), 2);
	ATF_REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "dd", 2), 2);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 100), 2);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, 100), 2);
}

ATF_TC(pipe_flock);
ATF_TC_HEAD(pipe_flock, tc)
{
	atf_tc_set_md_var(tc, "descr", "flock on pipe ends: both ends lock "
	    "one inode, a failed conversion drops the old lock");
}
ATF_TC_BODY(pipe_flock, tc)
{
	int p[2], q[2], d;

	boot_kernel();
	make_pipe(p, 0);
	d = REQUIRE_OK(rump_sys_dup(p[0]));
	ATF_CHECK_EQ(rump_sys_flock(p[0], LOCK_EX), 0);
	CHECK_ERRNO(EWOULDBLOCK, rump_sys_flock(p[1], LOCK_SH | LOCK_NB));
	/* A dup shares the open file, and so its lock. */
	ATF_CHECK_EQ(rump_sys_flock(d, LOCK_SH), 0);
	ATF_CHECK_EQ(rump_sys_flock(p[1], LOCK_SH | LOCK_NB), 0);
	CHECK_ERRNO(EWOULDBLOCK, rump_sys_flock(p[1], LOCK_EX | LOCK_NB));
	/* p[1] lost its shared lock in the failed conversion. */
	ATF_CHECK_EQ(rump_sys_flock(p[0], LOCK_EX | LOCK_NB), 0);
	ATF_CHECK_EQ(rump_sys_flock(p[0], LOCK_UN), 0);

	/* The last close of an end drops its lock. */
	make_pipe(q, 0);
	ATF_CHECK_EQ(rump_sys_flock(q[0], LOCK_EX | LOCK_NB), 0);
	CHECK_ERRNO(EWOULDBLOCK, rump_sys_flock(q[1], LOCK_EX | LOCK_NB));
	REQUIRE_OK(rump_sys_close(q[0]));
	ATF_CHECK_EQ(rump_sys_flock(q[1], LOCK_EX | LOCK_NB), 0);
}

ATF_TC(pipe_read_interrupted);
ATF_TC_HEAD(pipe_read_interrupted, tc)
{
	atf_tc_set_md_var(tc, "descr", "a read blocked on an empty pipe ends "
	    "with EINTR when a signal is posted to its process");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pipe_read_interrupted, tc)
{
	struct worker w;
	char buf[8];
	pid_t pid;
	int p[2];

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	make_pipe(p, 0);
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	w.w_buf = buf;
	w.w_len = sizeof(buf);
	worker_start(&w, pid, read_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, -1);
	ATF_CHECK_EQ(w.w_errno, EINTR);
}

ATF_TC(pipe_write_interrupted);
ATF_TC_HEAD(pipe_write_interrupted, tc)
{
	atf_tc_set_md_var(tc, "descr", "a write blocked on a full pipe ends "
	    "with the bytes written so far when a signal is posted");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pipe_write_interrupted, tc)
{
	static char buf[100000];
	struct worker w;
	pid_t pid;
	int p[2];

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	make_pipe(p, 0);

	/* Nothing written yet: EINTR. */
	ATF_REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETPIPE_SZ, PAGE), PAGE);
	ATF_REQUIRE_EQ(rump_sys_write(p[1], buf, PAGE), PAGE);
	memset(&w, 0, sizeof(w));
	w.w_fd = p[1];
	w.w_buf = buf;
	w.w_len = 10;
	worker_start(&w, pid, write_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, -1);
	ATF_CHECK_EQ(w.w_errno, EINTR);

	/* Part written: the count. */
	ATF_REQUIRE_EQ(rump_sys_read(p[0], buf, PAGE), PAGE);
	ATF_REQUIRE_EQ(rump_sys_fcntl(p[1], F_SETPIPE_SZ, DEFAULT_SIZE),
	    DEFAULT_SIZE);
	w.w_len = sizeof(buf);
	worker_start(&w, pid, write_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, DEFAULT_SIZE);
}

ATF_TC(pipe_reader_close_wakes_writer);
ATF_TC_HEAD(pipe_reader_close_wakes_writer, tc)
{
	atf_tc_set_md_var(tc, "descr", "closing the read end wakes a blocked "
	    "writer, which returns its count and gets SIGPIPE");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pipe_reader_close_wakes_writer, tc)
{
	static char buf[100000];
	struct worker w;
	pid_t pid;
	int p[2];

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	make_pipe(p, 0);
	memset(&w, 0, sizeof(w));
	w.w_fd = p[1];
	w.w_buf = buf;
	w.w_len = sizeof(buf);
	worker_start(&w, pid, write_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_close(p[0]));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, DEFAULT_SIZE);
	ATF_CHECK(signal_pending());
}

ATF_TC(pipe_writer_close_wakes_reader);
ATF_TC_HEAD(pipe_writer_close_wakes_reader, tc)
{
	atf_tc_set_md_var(tc, "descr", "closing the last write end wakes a "
	    "blocked reader with end of file");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pipe_writer_close_wakes_reader, tc)
{
	struct worker w;
	char buf[8];
	int p[2], wfd2;

	boot_kernel();
	make_pipe(p, 0);
	wfd2 = REQUIRE_OK(rump_sys_dup(p[1]));
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	w.w_buf = buf;
	w.w_len = sizeof(buf);
	worker_start(&w, 0, read_fn);
	sleep_ms(100);
	REQUIRE_OK(rump_sys_close(p[1]));
	sleep_ms(100);
	/* A dup of the write end still keeps the pipe open. */
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_close(wfd2));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, 0);
}

ATF_TC(pipe_poll_events);
ATF_TC_HEAD(pipe_poll_events, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll reports POLLIN, POLLOUT, POLLHUP "
	    "and POLLERR on pipe ends as Linux does");
}
ATF_TC_BODY(pipe_poll_events, tc)
{
	static char buf[DEFAULT_SIZE];
	struct pollfd pfd[2];
	int p[2];

	boot_kernel();
	make_pipe(p, O_NONBLOCK);
	pfd[0].fd = p[0];
	pfd[1].fd = p[1];
	pfd[0].events = pfd[1].events = POLLIN | POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 2, 0), 1);
	ATF_CHECK_EQ(pfd[0].revents, 0);
	ATF_CHECK_EQ(pfd[1].revents, POLLOUT);

	ATF_REQUIRE_EQ(rump_sys_write(p[1], "y", 1), 1);
	pfd[0].events = pfd[1].events = POLLIN | POLLOUT | POLLRDNORM |
	    POLLWRNORM;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 2, 0), 2);
	ATF_CHECK_EQ(pfd[0].revents, POLLIN | POLLRDNORM);
	ATF_CHECK_EQ(pfd[1].revents, POLLOUT | POLLWRNORM);

	/* Nothing requested, nothing reported. */
	pfd[0].events = pfd[1].events = 0;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 2, 0), 0);

	/* A full pipe is not writable. */
	ATF_REQUIRE_EQ(rump_sys_write(p[1], buf, sizeof(buf)),
	    DEFAULT_SIZE - PAGE);
	pfd[1].events = POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(&pfd[1], 1, 0), 0);

	/* Without writers: POLLHUP, even when not requested. */
	REQUIRE_OK(rump_sys_close(p[1]));
	pfd[0].events = POLLIN | POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd[0].revents, POLLIN | POLLHUP);
	pfd[0].events = 0;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd[0].revents, POLLHUP);

	/* Without readers: POLLERR, and the write end stays writable. */
	make_pipe(p, 0);
	REQUIRE_OK(rump_sys_close(p[0]));
	pfd[1].fd = p[1];
	pfd[1].events = POLLIN | POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(&pfd[1], 1, 0), 1);
	ATF_CHECK_EQ(pfd[1].revents, POLLOUT | POLLERR);
	pfd[1].events = 0;
	ATF_CHECK_EQ(rump_sys_poll(&pfd[1], 1, 0), 1);
	ATF_CHECK_EQ(pfd[1].revents, POLLERR);
}

ATF_TC(pipe_no_seek);
ATF_TC_HEAD(pipe_no_seek, tc)
{
	atf_tc_set_md_var(tc, "descr", "pread, pwrite, preadv and pwritev on "
	    "a pipe fail with ESPIPE, after the offset and descriptor checks");
}
ATF_TC_BODY(pipe_no_seek, tc)
{
	struct iovec iov;
	char buf[4];
	int p[2];

	boot_kernel();
	make_pipe(p, 0);
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	CHECK_ERRNO(ESPIPE, rump_sys_pread(p[0], buf, 1, 0));
	CHECK_ERRNO(ESPIPE, rump_sys_pwrite(p[1], buf, 1, 0));
	CHECK_ERRNO(ESPIPE, rump_sys_preadv(p[0], &iov, 1, 0));
	CHECK_ERRNO(ESPIPE, rump_sys_pwritev(p[1], &iov, 1, 0));
	/* The wrong end is ESPIPE too: that check comes first. */
	CHECK_ERRNO(ESPIPE, rump_sys_pread(p[1], buf, 1, 0));
	/* A negative offset is EINVAL before anything else. */
	CHECK_ERRNO(EINVAL, rump_sys_pread(p[0], buf, 1, -1));
	CHECK_ERRNO(EINVAL, rump_sys_pread(99, buf, 1, -1));
	CHECK_ERRNO(EINVAL, rump_sys_pwritev(99, &iov, 1, -1));
	CHECK_ERRNO(EBADF, rump_sys_pread(99, buf, 1, 0));
}

ATF_TC(pipe_readv_writev);
ATF_TC_HEAD(pipe_readv_writev, tc)
{
	atf_tc_set_md_var(tc, "descr", "readv and writev gather and scatter, "
	    "and reject bad vectors with EINVAL or EFAULT");
}
ATF_TC_BODY(pipe_readv_writev, tc)
{
	static struct iovec many[1025];
	struct iovec iov[3];
	char a[3], b[5], c[8];
	int p[2], i;

	boot_kernel();
	make_pipe(p, O_NONBLOCK);
	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = "";
	iov[1].iov_len = 0;
	iov[2].iov_base = "defgh";
	iov[2].iov_len = 5;
	ATF_CHECK_EQ(rump_sys_writev(p[1], iov, 3), 8);

	iov[0].iov_base = a;
	iov[0].iov_len = sizeof(a);
	iov[1].iov_base = b;
	iov[1].iov_len = sizeof(b);
	iov[2].iov_base = c;
	iov[2].iov_len = sizeof(c);
	ATF_CHECK_EQ(rump_sys_readv(p[0], iov, 3), 8);
	ATF_CHECK(memcmp(a, "abc", 3) == 0);
	ATF_CHECK(memcmp(b, "defgh", 5) == 0);
	CHECK_ERRNO(EAGAIN, rump_sys_readv(p[0], iov, 3));

	CHECK_ERRNO(EINVAL, rump_sys_readv(p[0], iov, -1));
	CHECK_ERRNO(EINVAL, rump_sys_writev(p[1], many, 1025));
	CHECK_ERRNO(EFAULT, rump_sys_writev(p[1], (void *)8, 2));
	iov[0].iov_len = (size_t)SSIZE_MAX + 1;
	CHECK_ERRNO(EINVAL, rump_sys_writev(p[1], iov, 1));
	/* The descriptor is checked before the vector. */
	CHECK_ERRNO(EBADF, rump_sys_readv(99, iov, -1));
	CHECK_ERRNO(EBADF, rump_sys_readv(p[1], iov, -1));

	/* 1024 entries are allowed. */
	for (i = 0; i < 1024; i++) {
		many[i].iov_base = a;
		many[i].iov_len = 1;
	}
	ATF_CHECK_EQ(rump_sys_writev(p[1], many, 1024), 1024);
}

/* FIFOs: the same buffer behind a file system node. */

#define FIFO_PATH	"/fifo"

static void
open_fn(struct worker *w)
{

	errno = 0;
	w->w_rv = rump_sys_open(FIFO_PATH, (int)w->w_len);
	w->w_errno = errno;
}

ATF_TC(fifo_open_rules);
ATF_TC_HEAD(fifo_open_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "FIFO opens: a non-blocking writer "
	    "without readers gets ENXIO, readers and O_RDWR do not wait");
}
ATF_TC_BODY(fifo_open_rules, tc)
{
	char buf[8];
	int r, w, rw;

	boot_kernel();
	REQUIRE_OK(rump_sys_mknod(FIFO_PATH, S_IFIFO | 0600, 0));
	CHECK_ERRNO(ENXIO, rump_sys_open(FIFO_PATH, O_WRONLY | O_NONBLOCK));
	r = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_RDONLY | O_NONBLOCK));
	/* No writer ever: end of file, not EAGAIN. */
	ATF_CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 0);
	w = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_WRONLY | O_NONBLOCK));
	CHECK_ERRNO(EAGAIN, rump_sys_read(r, buf, sizeof(buf)));
	ATF_CHECK_EQ(rump_sys_write(w, "fifo", 4), 4);
	ATF_CHECK_EQ(rump_sys_read(r, buf, sizeof(buf)), 4);
	ATF_CHECK(memcmp(buf, "fifo", 4) == 0);

	ATF_CHECK_EQ(rump_sys_fcntl(r, F_GETFL), O_RDONLY | O_NONBLOCK |
	    KERNEL_O_LARGEFILE);
	ATF_CHECK_EQ(rump_sys_fcntl(w, F_GETPIPE_SZ), DEFAULT_SIZE);
	CHECK_ERRNO(ESPIPE, rump_sys_pread(r, buf, 1, 0));
	CHECK_ERRNO(ESPIPE, rump_sys_pwrite(w, buf, 1, 0));

	REQUIRE_OK(rump_sys_close(r));
	REQUIRE_OK(rump_sys_close(w));
	rw = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_RDWR));
	ATF_CHECK_EQ(rump_sys_write(rw, "x", 1), 1);
	ATF_CHECK_EQ(rump_sys_read(rw, buf, sizeof(buf)), 1);
	REQUIRE_OK(rump_sys_close(rw));
}

ATF_TC(fifo_blocking_open);
ATF_TC_HEAD(fifo_blocking_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "a blocking FIFO open waits for the "
	    "other end and ends with EINTR when interrupted");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(fifo_blocking_open, tc)
{
	struct worker w;
	char buf[8];
	pid_t pid;
	int fd;

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_mknod(FIFO_PATH, S_IFIFO | 0600, 0));

	/* A reader waits for a writer. */
	memset(&w, 0, sizeof(w));
	w.w_len = O_RDONLY;
	worker_start(&w, pid, open_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	fd = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_WRONLY));
	worker_join(&w);
	ATF_REQUIRE_MSG(w.w_rv >= 0, "reader open: %s", strerror(w.w_errno));
	ATF_CHECK_EQ(rump_sys_write(fd, "ab", 2), 2);
	ATF_CHECK_EQ(rump_sys_read((int)w.w_rv, buf, sizeof(buf)), 2);
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_close((int)w.w_rv));

	/* A writer waits for a reader. */
	w.w_len = O_WRONLY;
	worker_start(&w, pid, open_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	fd = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_RDONLY));
	worker_join(&w);
	ATF_REQUIRE_MSG(w.w_rv >= 0, "writer open: %s", strerror(w.w_errno));
	REQUIRE_OK(rump_sys_close(fd));
	REQUIRE_OK(rump_sys_close((int)w.w_rv));

	/* A signal ends the wait, and the FIFO is left without readers. */
	w.w_len = O_RDONLY;
	worker_start(&w, pid, open_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, -1);
	ATF_CHECK_EQ(w.w_errno, EINTR);
	CHECK_ERRNO(ENXIO, rump_sys_open(FIFO_PATH, O_WRONLY | O_NONBLOCK));
}

ATF_TC(fifo_poll);
ATF_TC_HEAD(fifo_poll, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll on FIFO ends: no POLLHUP before "
	    "the first writer, no POLLIN on a write-only end");
}
ATF_TC_BODY(fifo_poll, tc)
{
	struct pollfd pfd;
	int r, w;

	boot_kernel();
	REQUIRE_OK(rump_sys_mknod(FIFO_PATH, S_IFIFO | 0600, 0));
	r = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_RDONLY | O_NONBLOCK));
	pfd.fd = r;
	pfd.events = POLLIN;
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 0);

	w = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_WRONLY | O_NONBLOCK));
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	ATF_REQUIRE_EQ(rump_sys_write(w, "abc", 3), 3);
	pfd.fd = w;
	pfd.events = POLLIN | POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd.revents, POLLOUT);
	pfd.fd = r;
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd.revents, POLLIN);

	/* The writer came and went: now POLLHUP. */
	REQUIRE_OK(rump_sys_close(w));
	pfd.events = POLLIN;
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd.revents, POLLIN | POLLHUP);
}

ATF_TC(fifo_reset);
ATF_TC_HEAD(fifo_reset, tc)
{
	atf_tc_set_md_var(tc, "descr", "when the last opener of a FIFO closes, "
	    "its data and capacity are dropped");
}
ATF_TC_BODY(fifo_reset, tc)
{
	char buf[8];
	int rw;

	boot_kernel();
	REQUIRE_OK(rump_sys_mknod(FIFO_PATH, S_IFIFO | 0600, 0));
	rw = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_RDWR));
	ATF_CHECK_EQ(rump_sys_write(rw, "xyz", 3), 3);
	ATF_CHECK_EQ(rump_sys_fcntl(rw, F_SETPIPE_SZ, 8192), 8192);
	REQUIRE_OK(rump_sys_close(rw));

	rw = REQUIRE_OK(rump_sys_open(FIFO_PATH, O_RDWR | O_NONBLOCK));
	CHECK_ERRNO(EAGAIN, rump_sys_read(rw, buf, sizeof(buf)));
	ATF_CHECK_EQ(rump_sys_fcntl(rw, F_GETPIPE_SZ), DEFAULT_SIZE);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, pipe_basic);
	ATF_TP_ADD_TC(tp, pipe2_flags);
	ATF_TP_ADD_TC(tp, pipe_bad_array);
	ATF_TP_ADD_TC(tp, pipe_eof);
	ATF_TP_ADD_TC(tp, pipe_epipe_sigpipe);
	ATF_TP_ADD_TC(tp, pipe_zero_length);
	ATF_TP_ADD_TC(tp, pipe_nonblock_capacity);
	ATF_TP_ADD_TC(tp, pipe_threads_stream);
	ATF_TP_ADD_TC(tp, pipe_atomic_pipe_buf);
	ATF_TP_ADD_TC(tp, pipe_atomic_small);
	ATF_TP_ADD_TC(tp, pipe_sizes);
	ATF_TP_ADD_TC(tp, pipe_size_unprivileged);
	ATF_TP_ADD_TC(tp, pipe_fstat);
	ATF_TP_ADD_TC(tp, pipe_setattr);
	ATF_TP_ADD_TC(tp, pipe_fionread);
	ATF_TP_ADD_TC(tp, pipe_packet_mode);
	ATF_TP_ADD_TC(tp, pipe_flock);
	ATF_TP_ADD_TC(tp, pipe_read_interrupted);
	ATF_TP_ADD_TC(tp, pipe_write_interrupted);
	ATF_TP_ADD_TC(tp, pipe_reader_close_wakes_writer);
	ATF_TP_ADD_TC(tp, pipe_writer_close_wakes_reader);
	ATF_TP_ADD_TC(tp, pipe_poll_events);
	ATF_TP_ADD_TC(tp, pipe_no_seek);
	ATF_TP_ADD_TC(tp, pipe_readv_writev);
	ATF_TP_ADD_TC(tp, fifo_open_rules);
	ATF_TP_ADD_TC(tp, fifo_blocking_open);
	ATF_TP_ADD_TC(tp, fifo_poll);
	ATF_TP_ADD_TC(tp, fifo_reset);
	return 0;
}
