/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Callouts: firing after the delay, stop, reset, self re-arming, halt
 * waiting for a running function (with and without an interlock), halt
 * and destroy from the callout's own function, firing order, a kernel
 * without threads, and the DIAGNOSTIC checks against misuse.  The cases
 * run in kcomp/callout_test.c; a non-zero result is the source line of
 * the check that failed there, which the kernel also prints.
 */

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_kern.h"

int	rump_test_callout_fires(void);
int	rump_test_callout_stop(void);
int	rump_test_callout_reset(void);
int	rump_test_callout_rearm(int);
int	rump_test_callout_halt(void);
int	rump_test_callout_halt_interlock(void);
int	rump_test_callout_halt_self(void);
int	rump_test_callout_destroy_self(void);
int	rump_test_callout_order(int, unsigned);
int	rump_test_callout_nothreads(void);
int	rump_test_callout_destroy_pending(void);
int	rump_test_callout_use_destroyed(void);
int	rump_test_is_diagnostic(void);

/* Boot the kernel and run one kernel-side case; fail if it failed. */
static void
run_case(const char *name, int (*fn)(void))
{
	int line;

	boot_kernel(2);
	rump_schedule();
	line = fn();
	rump_unschedule();
	ATF_REQUIRE_EQ_MSG(line, 0, "%s: check at kcomp/callout_test.c line "
	    "%d failed", name, line);
}

/*
 * Boot a kernel in a child process and run fn there, expecting a panic.
 * Returns the child's wait status and stores what it printed in out.
 */
static int
run_panic_case(int (*fn)(void), char *out, size_t outlen)
{
	int fds[2], status;
	size_t len;
	ssize_t n;
	pid_t pid;

	ATF_REQUIRE_EQ(pipe(fds), 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		alarm(30);
		if (rump_init() != 0)
			_exit(2);
		rump_schedule();
		(void)fn();
		rump_unschedule();
		_exit(0);
	}

	close(fds[1]);
	len = 0;
	while (len + 1 < outlen &&
	    (n = read(fds[0], out + len, outlen - len - 1)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

static void
require_panic(int (*fn)(void), const char *message)
{
	char out[4096];
	int status;

	status = run_panic_case(fn, out, sizeof(out));
	ATF_REQUIRE_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "child did not panic (status %#x); output: %s", status, out);
	ATF_REQUIRE_MSG(strstr(out, message) != NULL,
	    "panic message does not contain \"%s\"; output: %s", message,
	    out);
}

ATF_TC(fires_after_delay);
ATF_TC_HEAD(fires_after_delay, tc)
{
	atf_tc_set_md_var(tc, "descr", "a callout fires once, no earlier "
	    "than its delay, and its state bits follow");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(fires_after_delay, tc)
{

	run_case("fires", rump_test_callout_fires);
}

ATF_TC(stop_before_firing);
ATF_TC_HEAD(stop_before_firing, tc)
{
	atf_tc_set_md_var(tc, "descr", "callout_stop and callout_halt on a "
	    "pending callout keep it from firing");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(stop_before_firing, tc)
{

	run_case("stop", rump_test_callout_stop);
}

ATF_TC(reset_rearms);
ATF_TC_HEAD(reset_rearms, tc)
{
	atf_tc_set_md_var(tc, "descr", "callout_reset and callout_schedule "
	    "replace the due time of an armed callout");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(reset_rearms, tc)
{

	run_case("reset", rump_test_callout_reset);
}

static int
rearm_100(void)
{

	return rump_test_callout_rearm(100);
}

ATF_TC(self_rearm);
ATF_TC_HEAD(self_rearm, tc)
{
	atf_tc_set_md_var(tc, "descr", "a callout that re-arms itself from "
	    "its function fires exactly N times");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(self_rearm, tc)
{

	run_case("rearm", rearm_100);
}

ATF_TC(halt_waits);
ATF_TC_HEAD(halt_waits, tc)
{
	atf_tc_set_md_var(tc, "descr", "callout_halt returns only after a "
	    "running function that sleeps has returned");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(halt_waits, tc)
{

	run_case("halt", rump_test_callout_halt);
}

ATF_TC(halt_interlock);
ATF_TC_HEAD(halt_interlock, tc)
{
	atf_tc_set_md_var(tc, "descr", "callout_halt releases its interlock "
	    "while it waits and holds it again on return");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(halt_interlock, tc)
{

	run_case("halt_interlock", rump_test_callout_halt_interlock);
}

ATF_TC(halt_from_own_function);
ATF_TC_HEAD(halt_from_own_function, tc)
{
	atf_tc_set_md_var(tc, "descr", "callout_halt called by the callout's "
	    "own function returns without waiting and disarms it");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(halt_from_own_function, tc)
{

	run_case("halt_self", rump_test_callout_halt_self);
}

ATF_TC(destroy_from_own_function);
ATF_TC_HEAD(destroy_from_own_function, tc)
{
	atf_tc_set_md_var(tc, "descr", "a function may destroy and free its "
	    "own callout, and later callouts still fire");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(destroy_from_own_function, tc)
{

	run_case("destroy_self", rump_test_callout_destroy_self);
}

ATF_TC(due_order);
ATF_TC_HEAD(due_order, tc)
{
	atf_tc_set_md_var(tc, "descr", "many callouts with random delays "
	    "fire in order of due time, none early");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(due_order, tc)
{
	unsigned seed;
	int line;

	seed = (unsigned)time(NULL);
	boot_kernel(2);
	rump_schedule();
	line = rump_test_callout_order(200, seed);
	rump_unschedule();
	ATF_REQUIRE_EQ_MSG(line, 0, "order: check at kcomp/callout_test.c "
	    "line %d failed with seed %u", line, seed);
}

ATF_TC(no_threads_no_firing);
ATF_TC_HEAD(no_threads_no_firing, tc)
{
	atf_tc_set_md_var(tc, "descr", "with RUMP_THREADS=0 a callout stays "
	    "pending and can still be stopped");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(no_threads_no_firing, tc)
{

	setenv("RUMP_THREADS", "0", 1);
	run_case("nothreads", rump_test_callout_nothreads);
}

ATF_TC(destroy_pending_panics);
ATF_TC_HEAD(destroy_pending_panics, tc)
{
	atf_tc_set_md_var(tc, "descr", "destroying a pending callout panics "
	    "a DIAGNOSTIC kernel");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(destroy_pending_panics, tc)
{

	/* A constant of the build: callable without a booted kernel. */
	if (!rump_test_is_diagnostic())
		atf_tc_skip("kernel built without DIAGNOSTIC");
	require_panic(rump_test_callout_destroy_pending,
	    "callout_destroy: callout");
}

ATF_TC(use_after_destroy_panics);
ATF_TC_HEAD(use_after_destroy_panics, tc)
{
	atf_tc_set_md_var(tc, "descr", "arming a destroyed callout panics a "
	    "DIAGNOSTIC kernel");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(use_after_destroy_panics, tc)
{

	/* A constant of the build: callable without a booted kernel. */
	if (!rump_test_is_diagnostic())
		atf_tc_skip("kernel built without DIAGNOSTIC");
	require_panic(rump_test_callout_use_destroyed,
	    "is not initialised or was destroyed");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, fires_after_delay);
	ATF_TP_ADD_TC(tp, stop_before_firing);
	ATF_TP_ADD_TC(tp, reset_rearms);
	ATF_TP_ADD_TC(tp, self_rearm);
	ATF_TP_ADD_TC(tp, halt_waits);
	ATF_TP_ADD_TC(tp, halt_interlock);
	ATF_TP_ADD_TC(tp, halt_from_own_function);
	ATF_TP_ADD_TC(tp, destroy_from_own_function);
	ATF_TP_ADD_TC(tp, due_order);
	ATF_TP_ADD_TC(tp, no_threads_no_firing);
	ATF_TP_ADD_TC(tp, destroy_pending_panics);
	ATF_TP_ADD_TC(tp, use_after_destroy_panics);
	return atf_no_error();
}
