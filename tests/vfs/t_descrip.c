/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Descriptor tables and the descriptor calls: dup, dup2, dup3, fcntl's
 * descriptor and file flags, close, the EMFILE limit, tables across
 * rump_pub_lwproc_rfork (copied, cleared, shared), exit, O_PATH
 * descriptors, ioctl's generic requests and generic I/O on files.
 * Expected values are Linux's (6.18, x86-64), observed with the same
 * calls on the host.
 */

#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <fcntl.h>
#include <poll.h>

#include "h_descrip.h"

#define MAXFILES	1024

/* A file in the rump kernel's root with the given contents. */
static int
make_file(const char *path, const char *data, int flags)
{
	int fd;

	fd = REQUIRE_OK(rump_sys_open(path, O_CREAT | O_TRUNC | flags, 0644));
	if (data != NULL)
		ATF_REQUIRE_EQ(rump_sys_write(fd, data, strlen(data)),
		    (ssize_t)strlen(data));
	return fd;
}

/* True when fd is open in the calling process. */
static bool
fd_is_open(int fd)
{

	errno = 0;
	if (rump_sys_fcntl(fd, F_GETFD) != -1)
		return true;
	ATF_REQUIRE_EQ_MSG(errno, EBADF, "fcntl(%d, F_GETFD): %s", fd,
	    strerror(errno));
	return false;
}

ATF_TC(dup_lowest);
ATF_TC_HEAD(dup_lowest, tc)
{
	atf_tc_set_md_var(tc, "descr", "dup returns the lowest free "
	    "descriptor, refers to the same file and clears FD_CLOEXEC");
}
ATF_TC_BODY(dup_lowest, tc)
{
	char buf[4];
	int p[2], fd;

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe2(p, O_CLOEXEC));
	ATF_CHECK_EQ(rump_sys_dup(p[1]), 2);
	ATF_CHECK_EQ(rump_sys_dup(p[1]), 3);
	ATF_CHECK_EQ(rump_sys_fcntl(2, F_GETFD), 0);
	REQUIRE_OK(rump_sys_close(2));
	ATF_CHECK_EQ(rump_sys_dup(p[0]), 2);

	/* The same open file: data written through 3 arrives at 2. */
	ATF_CHECK_EQ(rump_sys_write(3, "ab", 2), 2);
	ATF_CHECK_EQ(rump_sys_read(2, buf, sizeof(buf)), 2);

	CHECK_ERRNO(EBADF, rump_sys_dup(99));
	CHECK_ERRNO(EBADF, rump_sys_dup(-1));
	fd = REQUIRE_OK(rump_sys_dup(0));
	ATF_CHECK_EQ(fd, 4);
}

ATF_TC(dup2_rules);
ATF_TC_HEAD(dup2_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "dup2 replaces an open target, returns "
	    "fd for dup2(fd, fd) and EBADF for targets out of range");
}
ATF_TC_BODY(dup2_rules, tc)
{
	int p[2], q[2];

	boot_kernel();
	(void)proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	REQUIRE_OK(rump_sys_pipe2(q, O_CLOEXEC));

	ATF_CHECK_EQ(rump_sys_dup2(p[0], p[0]), p[0]);
	CHECK_ERRNO(EBADF, rump_sys_dup2(50, 50));
	CHECK_ERRNO(EBADF, rump_sys_dup2(-1, -1));
	CHECK_ERRNO(EBADF, rump_sys_dup2(p[0], -1));
	CHECK_ERRNO(EBADF, rump_sys_dup2(p[0], MAXFILES));
	CHECK_ERRNO(EBADF, rump_sys_dup2(50, 7));

	/* The table grows to take the highest descriptor. */
	ATF_CHECK_EQ(rump_sys_dup2(p[1], MAXFILES - 1), MAXFILES - 1);
	ATF_CHECK_EQ(rump_sys_write(MAXFILES - 1, "x", 1), 1);

	/*
	 * Replacing q[0], the only read end of q, closes it: a write to q
	 * fails with EPIPE.  The new descriptor is not close-on-exec.
	 */
	ATF_CHECK_EQ(rump_sys_dup2(p[0], q[0]), q[0]);
	ATF_CHECK_EQ(rump_sys_fcntl(q[0], F_GETFD), 0);
	CHECK_ERRNO(EPIPE, rump_sys_write(q[1], "x", 1));
	ATF_CHECK_EQ(rump_sys_fcntl(q[0], F_GETFL), O_RDONLY);
	/* Drop the SIGPIPE that the write posted. */
	CHECK_ERRNO(EINTR, rump_sys_poll(NULL, 0, 0));
}

ATF_TC(dup3_rules);
ATF_TC_HEAD(dup3_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "dup3 takes O_CLOEXEC only and fails "
	    "with EINVAL when both descriptors are the same");
}
ATF_TC_BODY(dup3_rules, tc)
{
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	CHECK_ERRNO(EINVAL, rump_sys_dup3(p[0], p[0], 0));
	CHECK_ERRNO(EINVAL, rump_sys_dup3(99, 99, 0));
	CHECK_ERRNO(EINVAL, rump_sys_dup3(p[0], 5, O_NONBLOCK));
	CHECK_ERRNO(EINVAL, rump_sys_dup3(p[0], 5, 1));
	CHECK_ERRNO(EBADF, rump_sys_dup3(99, 5, 0));
	CHECK_ERRNO(EBADF, rump_sys_dup3(p[0], MAXFILES, 0));
	CHECK_ERRNO(EBADF, rump_sys_dup3(p[0], -2, 0));

	ATF_CHECK_EQ(rump_sys_dup3(p[0], 5, O_CLOEXEC), 5);
	ATF_CHECK_EQ(rump_sys_fcntl(5, F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_dup3(p[1], 5, 0), 5);
	ATF_CHECK_EQ(rump_sys_fcntl(5, F_GETFD), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(5, F_GETFL), O_WRONLY);
}

ATF_TC(fcntl_dupfd);
ATF_TC_HEAD(fcntl_dupfd, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_DUPFD and F_DUPFD_CLOEXEC return "
	    "the lowest free descriptor at or above the argument");
}
ATF_TC_BODY(fcntl_dupfd, tc)
{
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD, 0), 2);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD, 10), 10);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD, 10), 11);
	ATF_CHECK_EQ(rump_sys_fcntl(10, F_GETFD), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD_CLOEXEC, 10), 12);
	ATF_CHECK_EQ(rump_sys_fcntl(12, F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD, 200), 200);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD, MAXFILES - 1),
	    MAXFILES - 1);

	CHECK_ERRNO(EINVAL, rump_sys_fcntl(p[0], F_DUPFD, -1));
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(p[0], F_DUPFD, MAXFILES));
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(p[0], F_DUPFD_CLOEXEC, MAXFILES));
	/* Only MAXFILES - 1 is at or above MAXFILES - 1, and it is used. */
	CHECK_ERRNO(EMFILE, rump_sys_fcntl(p[0], F_DUPFD, MAXFILES - 1));
	/* Linux takes the argument as an unsigned int: 2^32 + 3 is 3. */
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_DUPFD, 0x100000003L), 3);
	CHECK_ERRNO(EBADF, rump_sys_fcntl(99, F_DUPFD, 0));
}

ATF_TC(fcntl_fd_flags);
ATF_TC_HEAD(fcntl_fd_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_GETFD, F_SETFD, FIOCLEX and "
	    "FIONCLEX handle FD_CLOEXEC per descriptor");
}
ATF_TC_BODY(fcntl_fd_flags, tc)
{
	int p[2], fd;

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	fd = REQUIRE_OK(rump_sys_dup(p[0]));
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETFD, 3), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), FD_CLOEXEC);
	/* Per descriptor, not per file. */
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFD), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_SETFD, 2), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), 0);

	ATF_CHECK_EQ(rump_sys_ioctl(fd, FIOCLEX), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_ioctl(fd, FIONCLEX), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFD), 0);

	CHECK_ERRNO(EBADF, rump_sys_fcntl(99, F_GETFD));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(99, F_SETFD, FD_CLOEXEC));
	CHECK_ERRNO(EBADF, rump_sys_ioctl(99, FIOCLEX));
}

ATF_TC(fcntl_file_flags);
ATF_TC_HEAD(fcntl_file_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_SETFL changes only O_APPEND, "
	    "O_NONBLOCK, O_ASYNC, O_DIRECT and O_NOATIME, shared by dups");
}
ATF_TC_BODY(fcntl_file_flags, tc)
{
	int p[2], fd, on;

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	fd = REQUIRE_OK(rump_sys_dup(p[1]));
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_SETFL, O_APPEND | O_NONBLOCK |
	    O_ASYNC | O_NOATIME | O_DIRECT | O_RDWR | O_CREAT | O_TRUNC), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFL), O_WRONLY | O_APPEND |
	    O_NONBLOCK | O_ASYNC | O_NOATIME | O_DIRECT);
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_SETFL, 0), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFL), O_WRONLY);

	on = 1;
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONBIO, &on), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_NONBLOCK);
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIOASYNC, &on), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_NONBLOCK | O_ASYNC);
	on = 0;
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIONBIO, &on), 0);
	ATF_CHECK_EQ(rump_sys_ioctl(p[0], FIOASYNC, &on), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY);
	CHECK_ERRNO(EFAULT, rump_sys_ioctl(p[0], FIONBIO, (void *)8));

	CHECK_ERRNO(EBADF, rump_sys_fcntl(99, F_GETFL));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(99, F_SETFL, 0));
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(p[0], 9999));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(99, 9999));
}

ATF_TC(fcntl_file_flags_vnode);
ATF_TC_HEAD(fcntl_file_flags_vnode, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_GETFL of a file opened by path "
	    "reports O_LARGEFILE and none of the open-only flags");
}
ATF_TC_BODY(fcntl_file_flags_vnode, tc)
{
	int fd, on = 1;

	boot_kernel();
	fd = make_file("/f", NULL, O_RDWR | O_CLOEXEC | O_EXCL);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFL), O_RDWR | KERNEL_O_LARGEFILE);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_ioctl(fd, FIONBIO, &on), 0);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK |
	    KERNEL_O_LARGEFILE);
	/* Regular files have no O_ASYNC support: ENOTTY, as Linux. */
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(fd, FIOASYNC, &on));
	on = 0;
	ATF_CHECK_EQ(rump_sys_ioctl(fd, FIOASYNC, &on), 0);
}

ATF_TC(close_rules);
ATF_TC_HEAD(close_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "close fails with EBADF for "
	    "descriptors that are not open");
}
ATF_TC_BODY(close_rules, tc)
{
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	CHECK_ERRNO(EBADF, rump_sys_close(-1));
	CHECK_ERRNO(EBADF, rump_sys_close(MAXFILES));
	CHECK_ERRNO(EBADF, rump_sys_close(5));
	ATF_CHECK_EQ(rump_sys_close(p[0]), 0);
	CHECK_ERRNO(EBADF, rump_sys_close(p[0]));
	CHECK_ERRNO(EBADF, rump_sys_read(p[0], p, 1));
}

ATF_TC(emfile_limit);
ATF_TC_HEAD(emfile_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process can have 1024 descriptors; "
	    "then dup and pipe fail with EMFILE without leaking");
}
ATF_TC_BODY(emfile_limit, tc)
{
	int p[2], fd, n;

	boot_kernel();
	(void)proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	for (n = 2; n < MAXFILES; n++) {
		fd = REQUIRE_OK(rump_sys_dup(p[0]));
		ATF_REQUIRE_EQ(fd, n);
	}
	CHECK_ERRNO(EMFILE, rump_sys_dup(p[0]));
	CHECK_ERRNO(EMFILE, rump_sys_fcntl(p[0], F_DUPFD, 0));
	CHECK_ERRNO(EMFILE, rump_sys_pipe(p));

	/* One free slot is not enough for a pipe, and the slot stays free. */
	REQUIRE_OK(rump_sys_close(500));
	CHECK_ERRNO(EMFILE, rump_sys_pipe(p));
	ATF_CHECK_EQ(rump_sys_dup(0), 500);
	REQUIRE_OK(rump_sys_close(500));
	REQUIRE_OK(rump_sys_close(7));
	REQUIRE_OK(rump_sys_pipe(p));
	ATF_CHECK_EQ(p[0], 7);
	ATF_CHECK_EQ(p[1], 500);
}

/*
 * The fork tests switch the main thread between a parent and a child
 * process.  The parent is created first, so that it has an lwp to switch
 * back to.
 */
struct family {
	struct lwp	*parent;
	struct lwp	*child;
	pid_t		 parent_pid;
	pid_t		 child_pid;
};

static void
family_create(struct family *fam, int flags)
{

	fam->parent_pid = proc_create(RUMP_RFCFDG);
	fam->parent = rump_pub_lwproc_curlwp();
	fam->child_pid = proc_create(flags);
	fam->child = rump_pub_lwproc_curlwp();
	ATF_REQUIRE(fam->parent_pid != fam->child_pid);
	rump_pub_lwproc_switch(fam->parent);
}

ATF_TC(rfork_copy);
ATF_TC_HEAD(rfork_copy, tc)
{
	atf_tc_set_md_var(tc, "descr", "RUMP_RFFDG gives the child a copy of "
	    "the table: the same files, independent descriptors");
}
ATF_TC_BODY(rfork_copy, tc)
{
	struct family fam;
	char buf[8];
	int p[2], q[2];

	boot_kernel();
	fam.parent_pid = proc_create(RUMP_RFCFDG);
	fam.parent = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_pipe(p));
	REQUIRE_OK(rump_sys_fcntl(p[1], F_SETFD, FD_CLOEXEC));
	fam.child_pid = proc_create(RUMP_RFFDG);
	fam.child = rump_pub_lwproc_curlwp();

	/* The child has both ends, with their descriptor flags. */
	ATF_CHECK_EQ(rump_sys_fcntl(p[1], F_GETFD), FD_CLOEXEC);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFD), 0);
	ATF_CHECK_EQ(rump_sys_write(p[1], "hi", 2), 2);
	REQUIRE_OK(rump_sys_close(p[0]));
	REQUIRE_OK(rump_sys_pipe(q));
	ATF_CHECK_EQ(q[0], p[0]);

	/* The parent still has its read end and does not see q. */
	rump_pub_lwproc_switch(fam.parent);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 2);
	ATF_CHECK_EQ(rump_sys_fcntl(q[1], F_GETFD), -1);
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETFL), O_RDONLY);
}

ATF_TC(rfork_clear);
ATF_TC_HEAD(rfork_clear, tc)
{
	atf_tc_set_md_var(tc, "descr", "RUMP_RFCFDG gives the child an empty "
	    "table");
}
ATF_TC_BODY(rfork_clear, tc)
{
	int p[2], q[2];

	boot_kernel();
	(void)proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	(void)proc_create(RUMP_RFCFDG);
	ATF_CHECK(!fd_is_open(p[0]));
	ATF_CHECK(!fd_is_open(p[1]));
	REQUIRE_OK(rump_sys_pipe(q));
	ATF_CHECK_EQ(q[0], 0);
	ATF_CHECK_EQ(q[1], 1);
}

ATF_TC(rfork_share);
ATF_TC_HEAD(rfork_share, tc)
{
	atf_tc_set_md_var(tc, "descr", "RUMP_RFFD_SHARE makes parent and child "
	    "use one table: opens and closes show in both");
}
ATF_TC_BODY(rfork_share, tc)
{
	struct family fam;
	int p[2], q[2];

	boot_kernel();
	fam.parent_pid = proc_create(RUMP_RFCFDG);
	fam.parent = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_pipe(p));
	fam.child_pid = proc_create(RUMP_RFFD_SHARE);
	fam.child = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_pipe(q));
	REQUIRE_OK(rump_sys_close(p[0]));

	rump_pub_lwproc_switch(fam.parent);
	ATF_CHECK(fd_is_open(q[0]));
	ATF_CHECK(fd_is_open(q[1]));
	ATF_CHECK(!fd_is_open(p[0]));

	/* The child's exit leaves the shared table to the parent. */
	rump_pub_lwproc_switch(fam.child);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(fam.parent);
	ATF_CHECK(fd_is_open(q[0]));
	ATF_CHECK_EQ(rump_sys_write(q[1], "x", 1), 1);
}

ATF_TC(exit_closes_files);
ATF_TC_HEAD(exit_closes_files, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process's exit closes its "
	    "descriptors: the parent's read sees end of file");
}
ATF_TC_BODY(exit_closes_files, tc)
{
	struct family fam;
	char buf[8];
	int p[2];

	boot_kernel();
	fam.parent_pid = proc_create(RUMP_RFCFDG);
	fam.parent = rump_pub_lwproc_curlwp();
	REQUIRE_OK(rump_sys_pipe2(p, O_NONBLOCK));
	fam.child_pid = proc_create(RUMP_RFFDG);
	fam.child = rump_pub_lwproc_curlwp();

	rump_pub_lwproc_switch(fam.parent);
	REQUIRE_OK(rump_sys_close(p[1]));
	/* The child still has a write end. */
	CHECK_ERRNO(EAGAIN, rump_sys_read(p[0], buf, sizeof(buf)));

	rump_pub_lwproc_switch(fam.child);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(fam.parent);
	ATF_CHECK_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
}

static void
blocked_read_fn(struct worker *w)
{

	errno = 0;
	w->w_rv = rump_sys_read(w->w_fd, w->w_buf, w->w_len);
	w->w_errno = errno;
}

ATF_TC(close_during_blocked_read);
ATF_TC_HEAD(close_during_blocked_read, tc)
{
	atf_tc_set_md_var(tc, "descr", "closing a descriptor that another "
	    "thread is reading returns at once; the read keeps its file");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(close_during_blocked_read, tc)
{
	struct worker w;
	char buf[8];
	pid_t pid;
	int p[2], q[2];
	int64_t start;

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	w.w_buf = buf;
	w.w_len = sizeof(buf);
	worker_start(&w, pid, blocked_read_fn);
	sleep_ms(200);
	ATF_REQUIRE(!worker_done(&w));

	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_close(p[0]), 0);
	ATF_CHECK_MSG(host_now_ns() - start < 2000000000LL, "close took "
	    "%lld ns", (long long)(host_now_ns() - start));
	ATF_CHECK(!fd_is_open(p[0]));

	/* The descriptor is free again, the read still waits. */
	REQUIRE_OK(rump_sys_pipe(q));
	ATF_CHECK_EQ(q[0], p[0]);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));

	/* The reader's file is still the pipe's read end. */
	ATF_CHECK_EQ(rump_sys_write(p[1], "late", 4), 4);
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, 4);
}

ATF_TC(flock_rules);
ATF_TC_HEAD(flock_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "flock checks the operation before the "
	    "descriptor; LOCK_NB conflicts fail with EWOULDBLOCK");
}
ATF_TC_BODY(flock_rules, tc)
{
	int fd1, fd2;

	boot_kernel();
	CHECK_ERRNO(EINVAL, rump_sys_flock(99, LOCK_SH | LOCK_EX));
	CHECK_ERRNO(EINVAL, rump_sys_flock(99, 0));
	CHECK_ERRNO(EINVAL, rump_sys_flock(99, LOCK_NB));
	CHECK_ERRNO(EBADF, rump_sys_flock(99, LOCK_SH));
	CHECK_ERRNO(EBADF, rump_sys_flock(99, LOCK_UN));

	fd1 = make_file("/lock", NULL, O_RDWR);
	fd2 = REQUIRE_OK(rump_sys_open("/lock", O_RDONLY));
	ATF_CHECK_EQ(rump_sys_flock(fd1, LOCK_EX), 0);
	CHECK_ERRNO(EWOULDBLOCK, rump_sys_flock(fd2, LOCK_SH | LOCK_NB));
	ATF_CHECK_EQ(rump_sys_flock(fd1, LOCK_UN), 0);
	ATF_CHECK_EQ(rump_sys_flock(fd2, LOCK_SH | LOCK_NB), 0);
	/* The last close of the open file drops its lock. */
	REQUIRE_OK(rump_sys_close(fd2));
	ATF_CHECK_EQ(rump_sys_flock(fd1, LOCK_EX | LOCK_NB), 0);
}

ATF_TC(posix_lock_close_any);
ATF_TC_HEAD(posix_lock_close_any, tc)
{
	atf_tc_set_md_var(tc, "descr", "closing any descriptor of a file "
	    "releases the process's POSIX locks on it, as Linux does");
}
ATF_TC_BODY(posix_lock_close_any, tc)
{
	struct family fam;
	struct flock fl;
	int fd, other, fdb;

	boot_kernel();
	family_create(&fam, RUMP_RFCFDG);
	fd = make_file("/plock", "data", O_RDWR);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	ATF_REQUIRE_EQ(rump_sys_fcntl(fd, F_SETLK, &fl), 0);

	rump_pub_lwproc_switch(fam.child);
	fdb = REQUIRE_OK(rump_sys_open("/plock", O_RDWR));
	CHECK_ERRNO(EAGAIN, rump_sys_fcntl(fdb, F_SETLK, &fl));

	/* The parent opens the file again and closes that descriptor. */
	rump_pub_lwproc_switch(fam.parent);
	other = REQUIRE_OK(rump_sys_open("/plock", O_RDONLY));
	REQUIRE_OK(rump_sys_close(other));

	rump_pub_lwproc_switch(fam.child);
	ATF_CHECK_EQ(rump_sys_fcntl(fdb, F_SETLK, &fl), 0);
}

ATF_TC(fcntl_lock_args);
ATF_TC_HEAD(fcntl_lock_args, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_SETLK and F_GETLK reject bad types "
	    "and whence with EINVAL and locks the mode forbids with EBADF");
}
ATF_TC_BODY(fcntl_lock_args, tc)
{
	struct flock fl;
	int ro, wo;

	boot_kernel();
	wo = make_file("/l", "data", O_WRONLY);
	ro = REQUIRE_OK(rump_sys_open("/l", O_RDONLY));
	memset(&fl, 0, sizeof(fl));
	fl.l_whence = SEEK_SET;

	fl.l_type = F_RDLCK;
	CHECK_ERRNO(EBADF, rump_sys_fcntl(wo, F_SETLK, &fl));
	fl.l_type = F_WRLCK;
	CHECK_ERRNO(EBADF, rump_sys_fcntl(ro, F_SETLK, &fl));
	fl.l_type = 7;
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(ro, F_SETLK, &fl));
	fl.l_type = F_UNLCK;
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(ro, F_GETLK, &fl));
	ATF_CHECK_EQ(rump_sys_fcntl(ro, F_SETLK, &fl), 0);
	fl.l_type = F_RDLCK;
	fl.l_whence = 3;
	CHECK_ERRNO(EINVAL, rump_sys_fcntl(ro, F_SETLK, &fl));
	CHECK_ERRNO(EFAULT, rump_sys_fcntl(ro, F_SETLK, (void *)8));

	/* F_GETLK reports no conflict with the caller's own lock. */
	fl.l_whence = SEEK_SET;
	ATF_REQUIRE_EQ(rump_sys_fcntl(ro, F_SETLK, &fl), 0);
	fl.l_type = F_WRLCK;
	ATF_CHECK_EQ(rump_sys_fcntl(ro, F_GETLK, &fl), 0);
	ATF_CHECK_EQ(fl.l_type, F_UNLCK);
}

ATF_TC(o_path_descriptors);
ATF_TC_HEAD(o_path_descriptors, tc)
{
	atf_tc_set_md_var(tc, "descr", "an O_PATH descriptor allows only "
	    "dup, close, fstat and the descriptor fcntls; I/O gets EBADF");
}
ATF_TC_BODY(o_path_descriptors, tc)
{
	struct flock fl;
	struct stat st;
	char buf[4];
	int fd, on = 1;

	boot_kernel();
	(void)make_file("/pf", "data", O_RDWR);
	fd = REQUIRE_OK(rump_sys_open("/pf", O_PATH));
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_GETFL), O_PATH);
	ATF_CHECK_EQ(rump_sys_fstat(fd, &st), 0);
	ATF_CHECK(S_ISREG(st.st_mode));
	ATF_CHECK(REQUIRE_OK(rump_sys_dup(fd)) > fd);
	ATF_CHECK_EQ(rump_sys_fcntl(fd, F_SETFD, FD_CLOEXEC), 0);

	CHECK_ERRNO(EBADF, rump_sys_read(fd, buf, 0));
	CHECK_ERRNO(EBADF, rump_sys_write(fd, buf, 1));
	CHECK_ERRNO(EBADF, rump_sys_pread(fd, buf, 1, 0));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(fd, F_SETFL, 0));
	memset(&fl, 0, sizeof(fl));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(fd, F_GETLK, &fl));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(fd, F_GETPIPE_SZ));
	CHECK_ERRNO(EBADF, rump_sys_fcntl(fd, 9999));
	CHECK_ERRNO(EBADF, rump_sys_ioctl(fd, FIOCLEX));
	CHECK_ERRNO(EBADF, rump_sys_ioctl(fd, FIONBIO, &on));
	CHECK_ERRNO(EBADF, rump_sys_flock(fd, LOCK_UN));
	ATF_CHECK_EQ(rump_sys_close(fd), 0);
}

ATF_TC(ioctl_generic);
ATF_TC_HEAD(ioctl_generic, tc)
{
	atf_tc_set_md_var(tc, "descr", "ioctl fails with ENOTTY for requests "
	    "the file does not know, including the kernel's private ones");
}
ATF_TC_BODY(ioctl_generic, tc)
{
	char buf[64];
	int p[2], size = 4096;

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(p[0], 0x1234));
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(p[0], 0x5401, buf));	/* TCGETS */
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(p[0], 0x80045430, buf));
	/* The requests behind F_GETPIPE_SZ and F_SETPIPE_SZ. */
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(p[0], 0x800400f0, &size));
	CHECK_ERRNO(ENOTTY, rump_sys_ioctl(p[0], 0xc00400f1, &size));
	ATF_CHECK_EQ(rump_sys_fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_ERRNO(EBADF, rump_sys_ioctl(99, 0x1234));
}

ATF_TC(file_io_offsets);
ATF_TC_HEAD(file_io_offsets, tc)
{
	atf_tc_set_md_var(tc, "descr", "dups share the file offset; pread, "
	    "pwrite and their vector forms leave it alone");
}
ATF_TC_BODY(file_io_offsets, tc)
{
	struct iovec iov[2];
	char a[4], b[4], buf[16];
	int fd, fd2;

	boot_kernel();
	fd = make_file("/io", "0123456789", O_RDWR);
	fd2 = REQUIRE_OK(rump_sys_dup(fd));
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 2, SEEK_SET), 2);
	ATF_CHECK_EQ(rump_sys_read(fd2, buf, 3), 3);
	ATF_CHECK(memcmp(buf, "234", 3) == 0);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 5);

	ATF_CHECK_EQ(rump_sys_pread(fd, buf, 2, 8), 2);
	ATF_CHECK(memcmp(buf, "89", 2) == 0);
	ATF_CHECK_EQ(rump_sys_pwrite(fd, "ab", 2, 0), 2);
	iov[0].iov_base = a;
	iov[0].iov_len = 2;
	iov[1].iov_base = b;
	iov[1].iov_len = 3;
	ATF_CHECK_EQ(rump_sys_preadv(fd, iov, 2, 0), 5);
	ATF_CHECK(memcmp(a, "ab", 2) == 0);
	ATF_CHECK(memcmp(b, "234", 3) == 0);
	iov[0].iov_base = "XY";
	ATF_CHECK_EQ(rump_sys_pwritev(fd, iov, 1, 9), 2);
	ATF_CHECK_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	ATF_CHECK_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 11);
	ATF_CHECK(memcmp(buf, "ab2345678XY", 11) == 0);

	/* Reading past the end returns 0; a huge offset is fine for pread. */
	ATF_CHECK_EQ(rump_sys_pread(fd, buf, 4, 1000), 0);
	/* Offset and count must not overflow together. */
	CHECK_ERRNO(EINVAL, rump_sys_pread(fd, buf, 4, INT64_MAX - 1));
}

ATF_TC(dir_read_zero);
ATF_TC_HEAD(dir_read_zero, tc)
{
	atf_tc_set_md_var(tc, "descr", "read of 0 bytes from a directory is "
	    "EISDIR, readv of 0 bytes is 0, as on Linux");
}
ATF_TC_BODY(dir_read_zero, tc)
{
	char buf[4];
	int fd;

	boot_kernel();
	fd = REQUIRE_OK(rump_sys_open("/", O_RDONLY | O_DIRECTORY));
	CHECK_ERRNO(EISDIR, rump_sys_read(fd, buf, 0));
	CHECK_ERRNO(EISDIR, rump_sys_read(fd, buf, 1));
	ATF_CHECK_EQ(rump_sys_readv(fd, NULL, 0), 0);
	CHECK_ERRNO(EBADF, rump_sys_write(fd, buf, 0));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, dup_lowest);
	ATF_TP_ADD_TC(tp, dup2_rules);
	ATF_TP_ADD_TC(tp, dup3_rules);
	ATF_TP_ADD_TC(tp, fcntl_dupfd);
	ATF_TP_ADD_TC(tp, fcntl_fd_flags);
	ATF_TP_ADD_TC(tp, fcntl_file_flags);
	ATF_TP_ADD_TC(tp, fcntl_file_flags_vnode);
	ATF_TP_ADD_TC(tp, close_rules);
	ATF_TP_ADD_TC(tp, emfile_limit);
	ATF_TP_ADD_TC(tp, rfork_copy);
	ATF_TP_ADD_TC(tp, rfork_clear);
	ATF_TP_ADD_TC(tp, rfork_share);
	ATF_TP_ADD_TC(tp, exit_closes_files);
	ATF_TP_ADD_TC(tp, close_during_blocked_read);
	ATF_TP_ADD_TC(tp, flock_rules);
	ATF_TP_ADD_TC(tp, posix_lock_close_any);
	ATF_TP_ADD_TC(tp, fcntl_lock_args);
	ATF_TP_ADD_TC(tp, o_path_descriptors);
	ATF_TP_ADD_TC(tp, ioctl_generic);
	ATF_TP_ADD_TC(tp, file_io_offsets);
	ATF_TP_ADD_TC(tp, dir_read_zero);
	return 0;
}
