/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel memory accounting against RUMP_MEMLIMIT. */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_kern.h"

#define CHUNK	(256 * 1024)

ATF_TC(nosleep_fails_at_limit);
ATF_TC_HEAD(nosleep_fails_at_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "KM_NOSLEEP allocations fail at the "
	    "limit and succeed again after a free");
}
ATF_TC_BODY(nosleep_fails_at_limit, tc)
{
	void *blocks[256];
	int n, i;

	setenv("RUMP_MEMLIMIT", "16m", 1);
	boot_kernel(1);
	rump_schedule();
	for (n = 0; n < 256; n++) {
		blocks[n] = rump_test_kmem_alloc(CHUNK, 1);
		if (blocks[n] == NULL)
			break;
	}
	ATF_CHECK_MSG(n > 0 && n < 64, "%d chunks of 256 KiB under 16 MiB", n);
	ATF_CHECK(rump_test_kmem_inuse() <= 16 * 1024 * 1024);
	ATF_CHECK(rump_test_reclaim_calls() == 0 || n < 64);
	if (n > 0) {
		rump_test_kmem_free(blocks[--n], CHUNK);
		blocks[n] = rump_test_kmem_alloc(CHUNK, 1);
		ATF_CHECK(blocks[n] != NULL);
		if (blocks[n] != NULL)
			n++;
	}
	for (i = 0; i < n; i++)
		rump_test_kmem_free(blocks[i], CHUNK);
	rump_unschedule();
}

ATF_TC(reclaim_hook);
ATF_TC_HEAD(reclaim_hook, tc)
{
	atf_tc_set_md_var(tc, "descr", "at the limit the allocator asks the "
	    "reclaim hooks for memory");
}
ATF_TC_BODY(reclaim_hook, tc)
{
	void *blocks[256], *p;
	int n, i;

	setenv("RUMP_MEMLIMIT", "8m", 1);
	boot_kernel(1);
	rump_schedule();
	for (n = 0; n < 256; n++) {
		blocks[n] = rump_test_kmem_alloc(CHUNK, 1);
		if (blocks[n] == NULL)
			break;
	}
	ATF_REQUIRE(n > 1);
	/* Park one block with the hook: the next allocation gets its room. */
	rump_test_reclaim_park(blocks[--n], CHUNK);
	i = (int)rump_test_reclaim_calls();
	p = rump_test_kmem_alloc(CHUNK, 1);
	ATF_CHECK(p != NULL);
	ATF_CHECK((int)rump_test_reclaim_calls() > i);
	if (p != NULL)
		rump_test_kmem_free(p, CHUNK);
	for (i = 0; i < n; i++)
		rump_test_kmem_free(blocks[i], CHUNK);
	rump_unschedule();
}

struct freer {
	void	*block;
	volatile int done;
};

static void *
free_later(void *arg)
{
	struct freer *f = arg;

	usleep(200 * 1000);
	/* Marked first: the waiting allocation may return at the free. */
	f->done = 1;
	rump_schedule();
	rump_test_kmem_free(f->block, CHUNK);
	rump_unschedule();
	return NULL;
}

ATF_TC(sleep_waits_for_free);
ATF_TC_HEAD(sleep_waits_for_free, tc)
{
	atf_tc_set_md_var(tc, "descr", "a KM_SLEEP allocation at the limit "
	    "waits until another thread frees memory");
}
ATF_TC_BODY(sleep_waits_for_free, tc)
{
	void *blocks[256], *p;
	struct freer f;
	pthread_t t;
	int n, i;

	setenv("RUMP_MEMLIMIT", "8m", 1);
	boot_kernel(2);
	rump_schedule();
	for (n = 0; n < 256; n++) {
		blocks[n] = rump_test_kmem_alloc(CHUNK, 1);
		if (blocks[n] == NULL)
			break;
	}
	rump_unschedule();
	ATF_REQUIRE(n > 1);
	f.block = blocks[--n];
	f.done = 0;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, free_later, &f), 0);
	rump_schedule();
	p = rump_test_kmem_alloc(CHUNK, 0);
	rump_unschedule();
	ATF_CHECK(p != NULL);
	ATF_CHECK_EQ(f.done, 1);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	rump_schedule();
	rump_test_kmem_free(p, CHUNK);
	for (i = 0; i < n; i++)
		rump_test_kmem_free(blocks[i], CHUNK);
	rump_unschedule();
}

ATF_TC(sleep_over_limit);
ATF_TC_HEAD(sleep_over_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "a KM_SLEEP allocation that can never "
	    "fit goes over the limit instead of hanging");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(sleep_over_limit, tc)
{
	void *p;

	setenv("RUMP_MEMLIMIT", "4m", 1);
	boot_kernel(1);
	rump_schedule();
	p = rump_test_kmem_alloc(8 * 1024 * 1024, 0);
	ATF_CHECK(p != NULL);
	ATF_CHECK(rump_test_kmem_inuse() > 4 * 1024 * 1024);
	if (p != NULL)
		rump_test_kmem_free(p, 8 * 1024 * 1024);
	rump_unschedule();
}

ATF_TC(tiny_limit_boots);
ATF_TC_HEAD(tiny_limit_boots, tc)
{
	atf_tc_set_md_var(tc, "descr", "a limit too small for the kernel "
	    "itself still boots, going over it");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(tiny_limit_boots, tc)
{

	setenv("RUMP_MEMLIMIT", "1k", 1);
	boot_kernel(1);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, sleep_over_limit);
	ATF_TP_ADD_TC(tp, tiny_limit_boots);
	ATF_TP_ADD_TC(tp, nosleep_fails_at_limit);
	ATF_TP_ADD_TC(tp, reclaim_hook);
	ATF_TP_ADD_TC(tp, sleep_waits_for_free);
	return atf_no_error();
}
