/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of rumpuser_init() and rumpuser_getparam(): the version check,
 * the number of virtual CPUs, the host name, the memory limit and plain
 * environment parameters.
 */

#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_hyperup.h"

/* Host physical memory in bytes, computed as librumpuser documents it. */
static uint64_t
physmem(void)
{

	return (uint64_t)sysconf(_SC_PHYS_PAGES) *
	    (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Set or unset (value NULL) an environment variable. */
static void
set_env(const char *name, const char *value)
{

	if (value == NULL)
		ATF_REQUIRE_EQ(unsetenv(name), 0);
	else
		ATF_REQUIRE_EQ(setenv(name, value, 1), 0);
}

/* Fetch parameter name, which must succeed, as an unsigned number. */
static uint64_t
param_u64(const char *name)
{
	char buf[64], *end;
	uint64_t value;

	ATF_REQUIRE_EQ(rumpuser_getparam(name, buf, sizeof(buf)), 0);
	ATF_REQUIRE_MSG(buf[0] >= '0' && buf[0] <= '9',
	    "%s is \"%s\", not a number", name, buf);
	value = strtoull(buf, &end, 10);
	ATF_REQUIRE_MSG(*end == '\0', "%s is \"%s\", not a number", name, buf);
	return value;
}

ATF_TC(init_version);
ATF_TC_HEAD(init_version, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_init accepts version 17 only and a complete table");
}
ATF_TC_BODY(init_version, tc)
{
	struct rumpuser_hyperup partial = h_hyperup;

	ATF_CHECK(rumpuser_init(RUMPUSER_VERSION - 1, &h_hyperup) != 0);
	ATF_CHECK(rumpuser_init(RUMPUSER_VERSION + 1, &h_hyperup) != 0);
	ATF_CHECK(rumpuser_init(RUMPUSER_VERSION, NULL) != 0);
	partial.hyp_backend_schedule = NULL;
	ATF_CHECK(rumpuser_init(RUMPUSER_VERSION, &partial) != 0);
	ATF_CHECK_EQ(rumpuser_init(RUMPUSER_VERSION, &h_hyperup), 0);
}

ATF_TC(ncpu_default);
ATF_TC_HEAD(ncpu_default, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "_RUMPUSER_NCPU is the host CPU count when RUMP_NCPU is unset "
	    "or \"host\"");
}
ATF_TC_BODY(ncpu_default, tc)
{
	long host;

	h_init();
	host = sysconf(_SC_NPROCESSORS_ONLN);
	ATF_REQUIRE(host >= 1);
	if (host > 256)
		host = 256;

	set_env("RUMP_NCPU", NULL);
	ATF_CHECK_EQ(param_u64(RUMPUSER_PARAM_NCPU), (uint64_t)host);
	set_env("RUMP_NCPU", "host");
	ATF_CHECK_EQ(param_u64(RUMPUSER_PARAM_NCPU), (uint64_t)host);
}

ATF_TC(ncpu_number);
ATF_TC_HEAD(ncpu_number, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "_RUMPUSER_NCPU takes RUMP_NCPU values from 1 to 256");
}
ATF_TC_BODY(ncpu_number, tc)
{

	h_init();
	set_env("RUMP_NCPU", "1");
	ATF_CHECK_EQ(param_u64(RUMPUSER_PARAM_NCPU), 1);
	set_env("RUMP_NCPU", "4");
	ATF_CHECK_EQ(param_u64(RUMPUSER_PARAM_NCPU), 4);
	set_env("RUMP_NCPU", "256");
	ATF_CHECK_EQ(param_u64(RUMPUSER_PARAM_NCPU), 256);
}

ATF_TC(ncpu_invalid);
ATF_TC_HEAD(ncpu_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "_RUMPUSER_NCPU is EINVAL for a malformed or out-of-range "
	    "RUMP_NCPU");
}
ATF_TC_BODY(ncpu_invalid, tc)
{
	static const char *const bad[] = {
		"0", "257", "-1", "", "abc", "4x", " 4", "4 ", "+4", "0x4",
		"99999999999999999999999", "Host",
	};
	char buf[64];
	size_t i;

	h_init();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set_env("RUMP_NCPU", bad[i]);
		ATF_CHECK_EQ_MSG(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf,
		    sizeof(buf)), EINVAL, "RUMP_NCPU=\"%s\" was accepted",
		    bad[i]);
	}
}

ATF_TC(hostname_default);
ATF_TC_HEAD(hostname_default, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "_RUMPUSER_HOSTNAME is rump-<pid>.<host name> by default");
}
ATF_TC_BODY(hostname_default, tc)
{
	char host[256], expected[512], buf[512];

	h_init();
	set_env("RUMP_HOSTNAME", NULL);
	ATF_REQUIRE_EQ(gethostname(host, sizeof(host)), 0);
	host[sizeof(host) - 1] = '\0';
	snprintf(expected, sizeof(expected), "rump-%05d.%s", (int)getpid(),
	    host);

	ATF_REQUIRE_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf,
	    sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, expected);
}

ATF_TC(hostname_env);
ATF_TC_HEAD(hostname_env, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "_RUMPUSER_HOSTNAME is RUMP_HOSTNAME when that is set");
}
ATF_TC_BODY(hostname_env, tc)
{
	char buf[64];

	h_init();
	set_env("RUMP_HOSTNAME", "testhost.example");
	ATF_REQUIRE_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf,
	    sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "testhost.example");
}

ATF_TC(buffer_too_small);
ATF_TC_HEAD(buffer_too_small, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "getparam returns ENOMEM and leaves the buffer alone if the value "
	    "and its NUL do not fit");
}
ATF_TC_BODY(buffer_too_small, tc)
{
	char buf[8];

	h_init();
	set_env("RUMP_HOSTNAME", "1234567");
	ATF_CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf,
	    sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "1234567");

	set_env("RUMP_HOSTNAME", "12345678");
	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf,
	    sizeof(buf)), ENOMEM);
	ATF_CHECK_EQ(buf[0], 'x');
	ATF_CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf, 0),
	    ENOMEM);
}

ATF_TC(memlimit_bytes);
ATF_TC_HEAD(memlimit_bytes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "RUMP_MEMLIMIT takes bytes with k, m and g suffixes of 1024");
}
ATF_TC_BODY(memlimit_bytes, tc)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} cases[] = {
		{ "1", 1 },
		{ "1000", 1000 },
		{ "4k", 4096 },
		{ "4K", 4096 },
		{ "3m", 3 * 1024 * 1024 },
		{ "3M", 3 * 1024 * 1024 },
		{ "2g", (uint64_t)2 << 30 },
		{ "2G", (uint64_t)2 << 30 },
		{ "18446744073709551615", UINT64_MAX },
		{ "17179869183g", (uint64_t)17179869183 << 30 },
	};
	size_t i;

	h_init();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_env("RUMP_MEMLIMIT", cases[i].text);
		ATF_CHECK_EQ_MSG(param_u64("RUMP_MEMLIMIT"), cases[i].bytes,
		    "RUMP_MEMLIMIT=\"%s\"", cases[i].text);
	}
}

ATF_TC(memlimit_percent);
ATF_TC_HEAD(memlimit_percent, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "RUMP_MEMLIMIT takes a percentage of host physical memory");
}
ATF_TC_BODY(memlimit_percent, tc)
{
	uint64_t mem, bytes;

	h_init();
	mem = physmem();
	ATF_REQUIRE(mem > 0);

	set_env("RUMP_MEMLIMIT", "100%");
	ATF_CHECK_EQ(param_u64("RUMP_MEMLIMIT"), mem);

	set_env("RUMP_MEMLIMIT", "50%");
	bytes = param_u64("RUMP_MEMLIMIT");
	ATF_CHECK_MSG(bytes >= mem / 2 - 1 && bytes <= mem / 2 + 1,
	    "50%% of %" PRIu64 " gave %" PRIu64, mem, bytes);

	set_env("RUMP_MEMLIMIT", "1%");
	bytes = param_u64("RUMP_MEMLIMIT");
	ATF_CHECK_MSG(bytes >= mem / 100 && bytes <= mem / 100 + 1,
	    "1%% of %" PRIu64 " gave %" PRIu64, mem, bytes);
}

ATF_TC(memlimit_invalid);
ATF_TC_HEAD(memlimit_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "RUMP_MEMLIMIT is EINVAL when malformed, zero or overflowing, "
	    "ENOENT when unset");
}
ATF_TC_BODY(memlimit_invalid, tc)
{
	static const char *const bad[] = {
		"", "k", "0", "0k", "10x", "10kb", "10 k", "-5", "+5", " 5",
		"1.5g", "0%", "101%", "50%%", "%", "18446744073709551616",
		"17179869184g", "99999999999999999999999k",
	};
	char buf[64];
	size_t i;

	h_init();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set_env("RUMP_MEMLIMIT", bad[i]);
		ATF_CHECK_EQ_MSG(rumpuser_getparam("RUMP_MEMLIMIT", buf,
		    sizeof(buf)), EINVAL, "RUMP_MEMLIMIT=\"%s\" was accepted",
		    bad[i]);
	}

	set_env("RUMP_MEMLIMIT", NULL);
	ATF_CHECK_EQ(rumpuser_getparam("RUMP_MEMLIMIT", buf, sizeof(buf)),
	    ENOENT);
}

ATF_TC(physmem);
ATF_TC_HEAD(physmem, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "_RUMPUSER_PHYSMEM is the host's physical memory in bytes");
}
ATF_TC_BODY(physmem, tc)
{

	h_init();
	ATF_CHECK_EQ(param_u64("_RUMPUSER_PHYSMEM"), physmem());
}

ATF_TC(env_params);
ATF_TC_HEAD(env_params, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Other names are environment variables; unknown '_' names are "
	    "EINVAL");
}
ATF_TC_BODY(env_params, tc)
{
	char buf[64];

	h_init();
	set_env("RUMP_VERBOSE", "1");
	ATF_REQUIRE_EQ(rumpuser_getparam("RUMP_VERBOSE", buf, sizeof(buf)),
	    0);
	ATF_CHECK_STREQ(buf, "1");

	set_env("RUMP_THREADS", "");
	ATF_REQUIRE_EQ(rumpuser_getparam("RUMP_THREADS", buf, sizeof(buf)),
	    0);
	ATF_CHECK_STREQ(buf, "");

	set_env("RUMP_NVNODES", NULL);
	ATF_CHECK_EQ(rumpuser_getparam("RUMP_NVNODES", buf, sizeof(buf)),
	    ENOENT);

	set_env("_RUMPUSER_UNKNOWN", "1");
	ATF_CHECK_EQ(rumpuser_getparam("_RUMPUSER_UNKNOWN", buf, sizeof(buf)),
	    EINVAL);
	ATF_CHECK_EQ(rumpuser_getparam("_", buf, sizeof(buf)), EINVAL);
	ATF_CHECK_EQ(rumpuser_getparam(NULL, buf, sizeof(buf)), EINVAL);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, init_version);
	ATF_TP_ADD_TC(tp, ncpu_default);
	ATF_TP_ADD_TC(tp, ncpu_number);
	ATF_TP_ADD_TC(tp, ncpu_invalid);
	ATF_TP_ADD_TC(tp, hostname_default);
	ATF_TP_ADD_TC(tp, hostname_env);
	ATF_TP_ADD_TC(tp, buffer_too_small);
	ATF_TP_ADD_TC(tp, memlimit_bytes);
	ATF_TP_ADD_TC(tp, memlimit_percent);
	ATF_TP_ADD_TC(tp, memlimit_invalid);
	ATF_TP_ADD_TC(tp, physmem);
	ATF_TP_ADD_TC(tp, env_params);
	return atf_no_error();
}
