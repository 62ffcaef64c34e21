/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the remaining hypercalls: rumpuser_seterrno(),
 * rumpuser_getrandom(), the console (rumpuser_putchar() and
 * rumpuser_dprintf()), rumpuser_kill(), rumpuser_exit(), daemonisation,
 * the remote system call server stubs and rumpuser_dl_bootstrap().
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_hyperup.h"

/* Maximum wait for a child process, in milliseconds. */
#define CHILD_WAIT_MS	10000

/*
 * A kernel component and a module of this program, registered the way
 * kernel code registers them: a pointer in an ELF link set section.
 */
struct rump_component {
	int rc_magic;
};
struct modinfo {
	const char *mi_name;
};

static const struct rump_component test_component = { 0x72756d70 };
static const struct modinfo test_module = { "test_module" };

__attribute__((__section__("link_set_rump_components"), __used__))
static const struct rump_component *const test_component_entry =
    &test_component;
__attribute__((__section__("link_set_modules"), __used__))
static const struct modinfo *const test_module_entry = &test_module;

/* Wait for child for at most CHILD_WAIT_MS and return its wait status. */
static int
wait_child(pid_t child)
{
	int64_t deadline;
	pid_t rv;
	int status;

	deadline = h_now_ns() + (int64_t)CHILD_WAIT_MS * 1000000;
	for (;;) {
		rv = waitpid(child, &status, WNOHANG);
		ATF_REQUIRE(rv != -1);
		if (rv == child)
			return status;
		if (h_now_ns() > deadline) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			atf_tc_fail("child %d did not exit within %d ms",
			    (int)child, CHILD_WAIT_MS);
		}
		h_sleep_ms(5);
	}
}

ATF_TC(seterrno);
ATF_TC_HEAD(seterrno, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_seterrno sets the calling thread's errno");
}
ATF_TC_BODY(seterrno, tc)
{

	h_init();
	errno = 0;
	rumpuser_seterrno(ENOSPC);
	ATF_CHECK_EQ(errno, ENOSPC);
	rumpuser_seterrno(0);
	ATF_CHECK_EQ(errno, 0);
}

ATF_TC(getrandom);
ATF_TC_HEAD(getrandom, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_getrandom fills the whole buffer with fresh bytes");
}
ATF_TC_BODY(getrandom, tc)
{
	static unsigned char a[100000], b[100000];
	size_t n, i, same;

	h_init();
	n = 0;
	ATF_REQUIRE_EQ(rumpuser_getrandom(a, sizeof(a), 0, &n), 0);
	ATF_CHECK_EQ(n, sizeof(a));
	ATF_REQUIRE_EQ(rumpuser_getrandom(b, sizeof(b), RUMPUSER_RANDOM_HARD,
	    &n), 0);
	ATF_CHECK_EQ(n, sizeof(b));
	same = 0;
	for (i = 0; i < sizeof(a); i++)
		same += a[i] == b[i];
	/* Equal bytes at one position in 256 on average; allow 4 times. */
	ATF_CHECK_MSG(same < sizeof(a) / 64, "%zu equal bytes", same);

	ATF_REQUIRE_EQ(rumpuser_getrandom(a, 64, RUMPUSER_RANDOM_NOWAIT, &n),
	    0);
	ATF_CHECK_EQ(n, 64);
	ATF_REQUIRE_EQ(rumpuser_getrandom(a, 0, 0, &n), 0);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_EQ(rumpuser_getrandom(a, 16, 0x10, &n), EINVAL);
}

/*
 * Run fn with stderr sent to a file and return what it wrote there, in
 * out, NUL-terminated.
 */
static void
capture_stderr(void (*fn)(void), char *out, size_t outlen)
{
	ssize_t n;
	int fd, saved;

	fflush(stderr);
	fd = open("stderr.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd != -1);
	saved = dup(STDERR_FILENO);
	ATF_REQUIRE(saved != -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) != -1);
	fn();
	fflush(stderr);
	ATF_REQUIRE(dup2(saved, STDERR_FILENO) != -1);
	close(saved);

	n = pread(fd, out, outlen - 1, 0);
	ATF_REQUIRE(n >= 0);
	out[n] = '\0';
	close(fd);
}

static void
print_console(void)
{
	const char *line = "console line\n";
	int i;

	for (; *line != '\0'; line++)
		rumpuser_putchar(*line);
	/* A line longer than the line buffer. */
	for (i = 0; i < 1000; i++)
		rumpuser_putchar('a' + i % 26);
	rumpuser_putchar('\n');
	rumpuser_dprintf("dprintf %d %s\n", 42, "works");
}

ATF_TC(console);
ATF_TC_HEAD(console, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "putchar prints whole lines on stderr and dprintf prints "
	    "formatted text there");
}
ATF_TC_BODY(console, tc)
{
	char out[4096], expected[1100];
	int i;

	h_init();
	capture_stderr(print_console, out, sizeof(out));
	for (i = 0; i < 1000; i++)
		expected[i] = (char)('a' + i % 26);
	expected[1000] = '\0';

	ATF_CHECK_MSG(strncmp(out, "console line\n", 13) == 0,
	    "stderr starts with \"%.20s\"", out);
	ATF_CHECK(strstr(out, expected) != NULL);
	ATF_CHECK(strstr(out, "dprintf 42 works\n") != NULL);
	h_check_upcalls();
}

static void
print_partial_and_exit(void)
{
	pid_t child;
	int status;

	child = fork();
	if (child == 0) {
		rumpuser_putchar('x');
		rumpuser_putchar('y');
		rumpuser_exit(0);
	}
	waitpid(child, &status, 0);
}

ATF_TC(console_flushed_at_exit);
ATF_TC_HEAD(console_flushed_at_exit, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An unfinished console line is printed by rumpuser_exit");
}
ATF_TC_BODY(console_flushed_at_exit, tc)
{
	char out[64];

	h_init();
	capture_stderr(print_partial_and_exit, out, sizeof(out));
	ATF_CHECK_STREQ(out, "xy");
}

static volatile sig_atomic_t sigusr1_count;

static void
on_sigusr1(int sig)
{

	(void)sig;
	sigusr1_count++;
}

ATF_TC(kill);
ATF_TC_HEAD(kill, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_kill raises the signal in this process whatever the pid");
}
ATF_TC_BODY(kill, tc)
{
	struct sigaction sa;

	h_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	ATF_REQUIRE_EQ(sigaction(SIGUSR1, &sa, NULL), 0);

	ATF_CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, 0), 0);
	ATF_CHECK_EQ(sigusr1_count, 0);
	ATF_CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, SIGUSR1), 0);
	ATF_CHECK_EQ(sigusr1_count, 1);
	ATF_CHECK_EQ(rumpuser_kill(12345, SIGUSR1), 0);
	ATF_CHECK_EQ(sigusr1_count, 2);

	ATF_CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, -1), EINVAL);
	ATF_CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, NSIG), EINVAL);
	ATF_CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, 1000), EINVAL);
	ATF_CHECK_EQ(sigusr1_count, 2);
}

ATF_TC(exit_panic);
ATF_TC_HEAD(exit_panic, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_exit(RUMPUSER_PANIC) aborts the process");
}
ATF_TC_BODY(exit_panic, tc)
{

	h_init();
	H_EXPECT_ABORT("rumpuser_exit(RUMPUSER_PANIC)",
	    rumpuser_exit(RUMPUSER_PANIC));
}

ATF_TC(exit_value);
ATF_TC_HEAD(exit_value, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_exit(n) exits the process with status n");
}
ATF_TC_BODY(exit_value, tc)
{
	pid_t child;
	int status;

	h_init();
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0)
		rumpuser_exit(3);
	status = wait_child(child);
	ATF_CHECK(WIFEXITED(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), 3);
}

ATF_TC(daemonize_done_without_begin);
ATF_TC_HEAD(daemonize_done_without_begin, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_daemonize_done without begin returns ENOENT");
}
ATF_TC_BODY(daemonize_done_without_begin, tc)
{

	h_init();
	ATF_CHECK_EQ(rumpuser_daemonize_done(0), ENOENT);
	ATF_CHECK_EQ(rumpuser_daemonize_done(EIO), ENOENT);
}

/* What the daemon process checked, sent to the test through a pipe. */
struct daemon_report {
	int second_begin;	/* rumpuser_daemonize_begin() again */
	int own_session;	/* the daemon leads its own session */
	int done;		/* rumpuser_daemonize_done() */
	int stdio_devnull;	/* fds 0-2 are /dev/null after done(0) */
	int done_again;		/* a second rumpuser_daemonize_done() */
};

static bool
fd_is_devnull(int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat("/dev/null", &b) == 0 &&
	    S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

/*
 * Fork a child that daemonises, reports through report_fd and finishes
 * with done(error).  Returns the child, whose exit status must be the
 * daemon's error.
 */
static pid_t
start_daemon(int report_fd, int error)
{
	struct daemon_report report;
	pid_t child;
	int fd;

	child = fork();
	ATF_REQUIRE(child != -1);
	if (child != 0)
		return child;

	if (rumpuser_daemonize_begin() != 0)
		_exit(100);
	/* Only the daemon gets here. */
	memset(&report, 0, sizeof(report));
	report.second_begin = rumpuser_daemonize_begin();
	report.own_session = getsid(0) == getpid();
	report.done = rumpuser_daemonize_done(error);
	report.stdio_devnull = 1;
	for (fd = 0; fd <= 2; fd++)
		report.stdio_devnull &= fd_is_devnull(fd);
	report.done_again = rumpuser_daemonize_done(0);
	if (write(report_fd, &report, sizeof(report)) != sizeof(report))
		_exit(101);
	_exit(0);
}

static void
read_report(int fd, struct daemon_report *report)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	ATF_REQUIRE_EQ_MSG(poll(&pfd, 1, CHILD_WAIT_MS), 1,
	    "the daemon sent no report within %d ms", CHILD_WAIT_MS);
	ATF_REQUIRE_EQ(read(fd, report, sizeof(*report)),
	    (ssize_t)sizeof(*report));
}

ATF_TC(daemonize_success);
ATF_TC_HEAD(daemonize_success, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A daemon reporting success makes the foreground process exit 0 "
	    "and loses its stdio");
}
ATF_TC_BODY(daemonize_success, tc)
{
	struct daemon_report report;
	int status, pipefd[2];
	pid_t child;

	h_init();
	ATF_REQUIRE_EQ(pipe(pipefd), 0);
	child = start_daemon(pipefd[1], 0);
	close(pipefd[1]);
	status = wait_child(child);
	ATF_CHECK(WIFEXITED(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), 0);

	read_report(pipefd[0], &report);
	ATF_CHECK_EQ(report.second_begin, EINPROGRESS);
	ATF_CHECK_EQ(report.own_session, 1);
	ATF_CHECK_EQ(report.done, 0);
	ATF_CHECK_EQ(report.stdio_devnull, 1);
	ATF_CHECK_EQ(report.done_again, EALREADY);
	close(pipefd[0]);
}

ATF_TC(daemonize_failure);
ATF_TC_HEAD(daemonize_failure, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A daemon reporting an error makes the foreground process exit "
	    "with it");
}
ATF_TC_BODY(daemonize_failure, tc)
{
	struct daemon_report report;
	int status, pipefd[2];
	pid_t child;

	h_init();
	ATF_REQUIRE_EQ(pipe(pipefd), 0);
	child = start_daemon(pipefd[1], EADDRINUSE);
	close(pipefd[1]);
	status = wait_child(child);
	ATF_CHECK(WIFEXITED(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), EADDRINUSE);

	read_report(pipefd[0], &report);
	ATF_CHECK_EQ(report.done, 0);
	ATF_CHECK_EQ(report.stdio_devnull, 0);
	close(pipefd[0]);
}

ATF_TC(daemonize_crash);
ATF_TC_HEAD(daemonize_crash, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A daemon that dies before reporting makes the foreground process "
	    "exit with 128 plus the signal");
}
ATF_TC_BODY(daemonize_crash, tc)
{
	pid_t child;
	int status;

	h_init();
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (rumpuser_daemonize_begin() != 0)
			_exit(100);
		raise(SIGKILL);
		_exit(101);
	}
	status = wait_child(child);
	ATF_CHECK(WIFEXITED(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), 128 + SIGKILL);
}

ATF_TC(sp_listen);
ATF_TC_HEAD(sp_listen, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_sp_init checks the URL, creates the unix socket with "
	    "mode 0600 and rumpuser_sp_fini removes it");
}
ATF_TC_BODY(sp_listen, tc)
{
	char cwd[256], url[320], path[300];
	struct stat st;

	h_init();
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(path, sizeof(path), "%s/sock", cwd);
	snprintf(url, sizeof(url), "unix://%s", path);
	ATF_CHECK_EQ(rumpuser_sp_init("bogus", "Linux", "1.0", "x86_64"),
	    EINVAL);
	ATF_CHECK_EQ(rumpuser_sp_init("unix://", "Linux", "1.0", "x86_64"),
	    EINVAL);
	ATF_CHECK_EQ(rumpuser_sp_init("tcp://127.0.0.1:x", "Linux", "1.0",
	    "x86_64"), EINVAL);
	ATF_CHECK_EQ(rumpuser_sp_init("tcp://127.0.0.1:70000", "Linux",
	    "1.0", "x86_64"), EINVAL);
	ATF_CHECK_EQ(rumpuser_sp_init("tcp6://[::1]:1", "Linux", "1.0",
	    "x86_64"), EOPNOTSUPP);
	ATF_CHECK_EQ(rumpuser_sp_init("unix:///nonexistent/dir/sock", "Linux",
	    "1.0", "x86_64"), ENOENT);

	ATF_REQUIRE_EQ(rumpuser_sp_init(url, "Linux", "1.0", "x86_64"), 0);
	ATF_REQUIRE_EQ(stat(path, &st), 0);
	ATF_CHECK(S_ISSOCK(st.st_mode));
	ATF_CHECK_EQ(st.st_mode & 0777, 0600);
	ATF_CHECK_EQ(rumpuser_sp_init(url, "Linux", "1.0", "x86_64"), EBUSY);
	rumpuser_sp_fini(NULL);
	ATF_CHECK_EQ(stat(path, &st), -1);
	ATF_CHECK_EQ(errno, ENOENT);
	rumpuser_sp_fini(NULL);		/* a second stop does nothing */
}

/* What rumpuser_dl_bootstrap() reported. */
static struct {
	int components;			/* compload calls */
	int test_component_seen;
	int modinit_calls;
	int test_module_seen;
	int symload_calls;
	int evcnt_calls;
} dl_seen;

static void
dl_modinit(const struct modinfo *const *mi, size_t count)
{
	size_t i;

	dl_seen.modinit_calls++;
	for (i = 0; i < count; i++) {
		if (mi[i] == &test_module)
			dl_seen.test_module_seen++;
	}
}

static int
dl_symload(void *symtab, uint64_t symsize, char *strtab, uint64_t strsize)
{

	(void)symtab;
	(void)symsize;
	(void)strtab;
	(void)strsize;
	dl_seen.symload_calls++;
	return 0;
}

static void
dl_compload(const struct rump_component *rc)
{

	dl_seen.components++;
	if (rc == &test_component && rc->rc_magic == 0x72756d70)
		dl_seen.test_component_seen++;
}

static void
dl_evcntattach(struct evcnt *ev)
{

	(void)ev;
	dl_seen.evcnt_calls++;
}

ATF_TC(dl_bootstrap);
ATF_TC_HEAD(dl_bootstrap, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "dl_bootstrap reports the component and module in this program's "
	    "link sets");
}
ATF_TC_BODY(dl_bootstrap, tc)
{

	h_init();
	rumpuser_dl_bootstrap(dl_modinit, dl_symload, dl_compload,
	    dl_evcntattach);
	ATF_CHECK_EQ(dl_seen.test_component_seen, 1);
	ATF_CHECK_EQ(dl_seen.components, 1);
	ATF_CHECK_EQ(dl_seen.test_module_seen, 1);
	ATF_CHECK_EQ(dl_seen.modinit_calls, 1);
	ATF_CHECK_EQ(dl_seen.symload_calls, 0);
	ATF_CHECK_EQ(dl_seen.evcnt_calls, 0);

	/* Absent callbacks are skipped. */
	rumpuser_dl_bootstrap(NULL, NULL, NULL, NULL);
	h_check_upcalls();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, seterrno);
	ATF_TP_ADD_TC(tp, getrandom);
	ATF_TP_ADD_TC(tp, console);
	ATF_TP_ADD_TC(tp, console_flushed_at_exit);
	ATF_TP_ADD_TC(tp, kill);
	ATF_TP_ADD_TC(tp, exit_panic);
	ATF_TP_ADD_TC(tp, exit_value);
	ATF_TP_ADD_TC(tp, daemonize_done_without_begin);
	ATF_TP_ADD_TC(tp, daemonize_success);
	ATF_TP_ADD_TC(tp, daemonize_failure);
	ATF_TP_ADD_TC(tp, daemonize_crash);
	ATF_TP_ADD_TC(tp, sp_listen);
	ATF_TP_ADD_TC(tp, dl_bootstrap);
	return atf_no_error();
}
