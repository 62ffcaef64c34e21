/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pool caches.  Covered: constructor and destructor calls; reuse of idle
 * objects; reclaim; alignment and PR_ZERO; a failing constructor;
 * PR_NOWAIT and the kmem reclaimer under RUMP_MEMLIMIT; gets and puts
 * from many threads; the DIAGNOSTIC check on destroying a cache with
 * objects out.  The cases
 * run in kcomp/pool_test.c; a non-zero result is the source line of the
 * check that failed there, which the kernel also prints.
 */

#include <sys/wait.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_kern.h"

int	rump_test_pool_ctor_dtor(void);
int	rump_test_pool_reuse(void);
int	rump_test_pool_reclaim(void);
int	rump_test_pool_align_zero(void);
int	rump_test_pool_ctor_fails(void);
int	rump_test_pool_memlimit(void);
void	rump_test_pool_many_setup(void);
int	rump_test_pool_many_run(int);
int	rump_test_pool_many_finish(void);
int	rump_test_pool_destroy_busy(void);
int	rump_test_is_diagnostic(void);

static void
run_case(const char *name, int (*fn)(void))
{
	int line;

	boot_kernel(2);
	rump_schedule();
	line = fn();
	rump_unschedule();
	ATF_REQUIRE_EQ_MSG(line, 0, "%s: check at kcomp/pool_test.c line %d "
	    "failed", name, line);
}

ATF_TC(ctor_dtor_counts);
ATF_TC_HEAD(ctor_dtor_counts, tc)
{
	atf_tc_set_md_var(tc, "descr", "objects are constructed once, kept "
	    "constructed while idle and destructed once");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(ctor_dtor_counts, tc)
{

	run_case("ctor_dtor", rump_test_pool_ctor_dtor);
}

ATF_TC(idle_reuse);
ATF_TC_HEAD(idle_reuse, tc)
{
	atf_tc_set_md_var(tc, "descr", "a get after a put on the same CPU "
	    "returns the object just put");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(idle_reuse, tc)
{

	run_case("reuse", rump_test_pool_reuse);
}

ATF_TC(reclaim_idle);
ATF_TC_HEAD(reclaim_idle, tc)
{
	atf_tc_set_md_var(tc, "descr", "pool_cache_reclaim destructs and "
	    "frees every idle object and reports the bytes");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(reclaim_idle, tc)
{

	run_case("reclaim", rump_test_pool_reclaim);
}

ATF_TC(align_and_zero);
ATF_TC_HEAD(align_and_zero, tc)
{
	atf_tc_set_md_var(tc, "descr", "objects have the requested alignment "
	    "and PR_ZERO clears reused objects");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(align_and_zero, tc)
{

	run_case("align_zero", rump_test_pool_align_zero);
}

ATF_TC(ctor_failure);
ATF_TC_HEAD(ctor_failure, tc)
{
	atf_tc_set_md_var(tc, "descr", "a get whose constructor fails returns "
	    "NULL and counts nothing");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(ctor_failure, tc)
{

	run_case("ctor_fails", rump_test_pool_ctor_fails);
}

ATF_TC(nowait_memlimit);
ATF_TC_HEAD(nowait_memlimit, tc)
{
	atf_tc_set_md_var(tc, "descr", "under RUMP_MEMLIMIT PR_NOWAIT gets "
	    "fail, and the reclaimer frees idle objects for kmem");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(nowait_memlimit, tc)
{

	setenv("RUMP_MEMLIMIT", "16m", 1);
	run_case("memlimit", rump_test_pool_memlimit);
}

#define MANY_THREADS	6
#define MANY_ROUNDS	2000

static void *
many_run(void *arg)
{
	int *line = arg;

	rump_schedule();
	*line = rump_test_pool_many_run(MANY_ROUNDS);
	rump_unschedule();
	return NULL;
}

ATF_TC(many_threads);
ATF_TC_HEAD(many_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "gets and puts from many threads on "
	    "many CPUs keep objects intact and all accounted for");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(many_threads, tc)
{
	pthread_t threads[MANY_THREADS];
	int lines[MANY_THREADS];
	int i, line;

	boot_kernel(4);
	rump_schedule();
	rump_test_pool_many_setup();
	rump_unschedule();

	for (i = 0; i < MANY_THREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&threads[i], NULL, many_run,
		    &lines[i]), 0);
	for (i = 0; i < MANY_THREADS; i++) {
		ATF_REQUIRE_EQ(pthread_join(threads[i], NULL), 0);
		ATF_CHECK_EQ_MSG(lines[i], 0, "thread %d: check at "
		    "kcomp/pool_test.c line %d failed", i, lines[i]);
	}

	rump_schedule();
	line = rump_test_pool_many_finish();
	rump_unschedule();
	ATF_REQUIRE_EQ_MSG(line, 0, "many: check at kcomp/pool_test.c line "
	    "%d failed", line);
}

ATF_TC(destroy_busy_panics);
ATF_TC_HEAD(destroy_busy_panics, tc)
{
	atf_tc_set_md_var(tc, "descr", "destroying a cache with an object "
	    "still out panics a DIAGNOSTIC kernel");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(destroy_busy_panics, tc)
{
	char out[4096];
	int fds[2], status;
	size_t len;
	ssize_t n;
	pid_t pid;

	/* A constant of the build: callable without a booted kernel. */
	if (!rump_test_is_diagnostic())
		atf_tc_skip("kernel built without DIAGNOSTIC");

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
		(void)rump_test_pool_destroy_busy();
		rump_unschedule();
		_exit(0);
	}

	close(fds[1]);
	len = 0;
	while (len + 1 < sizeof(out) &&
	    (n = read(fds[0], out + len, sizeof(out) - len - 1)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "child did not panic (status %#x); output: %s", status, out);
	ATF_REQUIRE_MSG(strstr(out, "objects still in use") != NULL,
	    "unexpected panic message: %s", out);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, ctor_dtor_counts);
	ATF_TP_ADD_TC(tp, idle_reuse);
	ATF_TP_ADD_TC(tp, reclaim_idle);
	ATF_TP_ADD_TC(tp, align_and_zero);
	ATF_TP_ADD_TC(tp, ctor_failure);
	ATF_TP_ADD_TC(tp, nowait_memlimit);
	ATF_TP_ADD_TC(tp, many_threads);
	ATF_TP_ADD_TC(tp, destroy_busy_panics);
	return atf_no_error();
}
