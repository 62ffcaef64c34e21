/* SPDX-License-Identifier: BSD-2-Clause */
/* Components register by being linked in and start in boot order. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "h_kern.h"

ATF_TC(init_order);
ATF_TC_HEAD(init_order, tc)
{
	atf_tc_set_md_var(tc, "descr", "components run once each, in the "
	    "documented type order");
}
ATF_TC_BODY(init_order, tc)
{
	char log[128];

	boot_kernel(0);
	rump_schedule();
	rump_test_complog(log, sizeof(log));
	rump_unschedule();
	ATF_CHECK_STREQ(log, "kern kern_vfs postinit syscall ");
}

ATF_TC(syscall_component);
ATF_TC_HEAD(syscall_component, tc)
{
	atf_tc_set_md_var(tc, "descr", "the kern faction's system calls are "
	    "installed; unknown numbers fail with ENOSYS");
}
ATF_TC_BODY(syscall_component, tc)
{
	long rv[2];

	boot_kernel(0);
	ATF_CHECK_EQ(rump_syscall(RUMP_SYS_getpid, NULL, 0, rv), 0);
	ATF_CHECK_EQ(rv[0], 1);
	ATF_CHECK_EQ(rump_syscall(0, NULL, 0, rv), ENOSYS);
	ATF_CHECK_EQ(rump_syscall(100000, NULL, 0, rv), ENOSYS);
	ATF_CHECK_EQ(rump_syscall(-5, NULL, 0, rv), ENOSYS);
	/* An argument block shorter than the call's is rejected. */
	ATF_CHECK_EQ(rump_syscall(RUMP_SYS_setuid, rv, 4, rv), EINVAL);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, init_order);
	ATF_TP_ADD_TC(tp, syscall_component);
	return atf_no_error();
}
