/* SPDX-License-Identifier: BSD-2-Clause */
/* Booting and halting the kernel, and the boot-time parameters. */

#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_kern.h"

ATF_TC(boot_and_halt);
ATF_TC_HEAD(boot_and_halt, tc)
{
	atf_tc_set_md_var(tc, "descr", "rump_init boots, reboot halts, later "
	    "calls fail with ENXIO");
}
ATF_TC_BODY(boot_and_halt, tc)
{

	boot_kernel(0);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
	ATF_REQUIRE_EQ(rump_sys_reboot(RUMP_REBOOT_CMD_HALT), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_getpid(), -1);
	ATF_CHECK_EQ(errno, ENXIO);
	ATF_CHECK_EQ(rump_init(), EALREADY);
}

ATF_TC(init_twice);
ATF_TC_HEAD(init_twice, tc)
{
	atf_tc_set_md_var(tc, "descr", "a second rump_init is harmless");
}
ATF_TC_BODY(init_twice, tc)
{

	boot_kernel(0);
	ATF_CHECK_EQ(rump_init(), 0);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
}

ATF_TC(before_init);
ATF_TC_HEAD(before_init, tc)
{
	atf_tc_set_md_var(tc, "descr", "system calls before rump_init fail "
	    "with ENXIO");
}
ATF_TC_BODY(before_init, tc)
{

	errno = 0;
	ATF_CHECK_EQ(rump_sys_getpid(), -1);
	ATF_CHECK_EQ(errno, ENXIO);
}

ATF_TC(lwproc_before_init);
ATF_TC_HEAD(lwproc_before_init, tc)
{
	atf_tc_set_md_var(tc, "descr", "rfork and newlwp before rump_init "
	    "fail with ENXIO");
}
ATF_TC_BODY(lwproc_before_init, tc)
{

	ATF_CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), ENXIO);
	ATF_CHECK_EQ(rump_pub_lwproc_newlwp(1), ENXIO);
	ATF_CHECK(rump_pub_lwproc_curlwp() == NULL);
}

ATF_TC(long_hostname);
ATF_TC_HEAD(long_hostname, tc)
{
	atf_tc_set_md_var(tc, "descr", "a host name over 64 bytes is cut to "
	    "64 and the kernel boots");
}
ATF_TC_BODY(long_hostname, tc)
{
	struct utsname un;
	char name[200];

	memset(name, 'h', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	setenv("RUMP_HOSTNAME", name, 1);
	boot_kernel(0);
	ATF_REQUIRE_EQ(rump_sys_uname(&un), 0);
	ATF_CHECK_EQ(strlen(un.nodename), 64);
	ATF_CHECK_EQ(strncmp(un.nodename, name, 64), 0);
}

ATF_TC(reboot_errors);
ATF_TC_HEAD(reboot_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "reboot rejects unknown commands and "
	    "unprivileged callers");
}
ATF_TC_BODY(reboot_errors, tc)
{

	boot_kernel(0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_reboot(0x12345678), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(rump_sys_reboot(RB_DISABLE_CAD), 0);

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_reboot(RUMP_REBOOT_CMD_HALT), -1);
	ATF_CHECK_EQ(errno, EPERM);
	rump_pub_lwproc_releaselwp();
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
}

ATF_TC(version);
ATF_TC_HEAD(version, tc)
{
	atf_tc_set_md_var(tc, "descr", "getversion matches uname's release");
}
ATF_TC_BODY(version, tc)
{
	struct utsname un;
	int major, minor, patch;

	boot_kernel(0);
	ATF_REQUIRE_EQ(rump_sys_uname(&un), 0);
	ATF_REQUIRE_EQ(sscanf(un.release, "%d.%d.%d", &major, &minor,
	    &patch), 3);
	ATF_CHECK_EQ(rump_pub_getversion(),
	    major * 1000000 + minor * 10000 + patch * 100);
	ATF_CHECK_EQ(rump_getversion(), rump_pub_getversion());
	ATF_CHECK_EQ(rump_nativeabi_p(), 0);
}

ATF_TC(bad_ncpu);
ATF_TC_HEAD(bad_ncpu, tc)
{
	atf_tc_set_md_var(tc, "descr", "an invalid RUMP_NCPU fails the boot "
	    "with EINVAL");
}
ATF_TC_BODY(bad_ncpu, tc)
{

	setenv("RUMP_NCPU", "zero", 1);
	ATF_CHECK_EQ(rump_init(), EINVAL);
	setenv("RUMP_NCPU", "0", 1);
	ATF_CHECK_EQ(rump_init(), EINVAL);
	setenv("RUMP_NCPU", "host", 1);
	ATF_CHECK_EQ(rump_init(), 0);
}

ATF_TC(bad_memlimit);
ATF_TC_HEAD(bad_memlimit, tc)
{
	atf_tc_set_md_var(tc, "descr", "an invalid RUMP_MEMLIMIT fails the "
	    "boot with EINVAL");
}
ATF_TC_BODY(bad_memlimit, tc)
{

	setenv("RUMP_MEMLIMIT", "12q", 1);
	ATF_CHECK_EQ(rump_init(), EINVAL);
	setenv("RUMP_MEMLIMIT", "64m", 1);
	ATF_CHECK_EQ(rump_init(), 0);
}

ATF_TC(verbose_boot);
ATF_TC_HEAD(verbose_boot, tc)
{
	atf_tc_set_md_var(tc, "descr", "RUMP_VERBOSE=1 prints a boot line on "
	    "the console, the default prints nothing");
}
ATF_TC_BODY(verbose_boot, tc)
{
	int status;
	pid_t pid;

	/* Child processes: each boots once, with stderr to a file. */
	for (int verbose = 0; verbose <= 1; verbose++) {
		pid = fork();
		ATF_REQUIRE(pid != -1);
		if (pid == 0) {
			if (freopen(verbose ? "verbose.txt" : "quiet.txt", "w",
			    stderr) == NULL)
				_exit(2);
			if (verbose)
				setenv("RUMP_VERBOSE", "1", 1);
			_exit(rump_init() == 0 ? 0 : 1);
		}
		ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
		ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ATF_CHECK(atf_utils_grep_file("rump 0\\..*CPU", "verbose.txt"));
	ATF_CHECK(!atf_utils_grep_file(".", "quiet.txt"));
}

ATF_TC(no_threads);
ATF_TC_HEAD(no_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "RUMP_THREADS=0 boots without kernel "
	    "threads; system calls still work");
}
ATF_TC_BODY(no_threads, tc)
{

	setenv("RUMP_THREADS", "0", 1);
	boot_kernel(1);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
	rump_schedule();
	ATF_CHECK_EQ(rump_test_kthread(), EOPNOTSUPP);
	rump_unschedule();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, boot_and_halt);
	ATF_TP_ADD_TC(tp, init_twice);
	ATF_TP_ADD_TC(tp, before_init);
	ATF_TP_ADD_TC(tp, lwproc_before_init);
	ATF_TP_ADD_TC(tp, long_hostname);
	ATF_TP_ADD_TC(tp, reboot_errors);
	ATF_TP_ADD_TC(tp, version);
	ATF_TP_ADD_TC(tp, bad_ncpu);
	ATF_TP_ADD_TC(tp, bad_memlimit);
	ATF_TP_ADD_TC(tp, verbose_boot);
	ATF_TP_ADD_TC(tp, no_threads);
	return atf_no_error();
}
