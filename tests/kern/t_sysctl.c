/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sysctl tree through __sysctl and rump_sysctlbyname: the base nodes,
 * writes and their permissions, the ENOMEM length protocol, CTL_QUERY
 * listings and the errors of malformed requests.
 */

#include <sys/types.h>
#include <sys/utsname.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

#define BOOT_HOSTNAME	"sysctltest"
#define NODESIZE	sizeof(struct rump_sysctlnode)

static void
boot(void)
{
	int error;

	ATF_REQUIRE_EQ(setenv("RUMP_HOSTNAME", BOOT_HOSTNAME, 1), 0);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Read a node by name; returns its length. */
static size_t
read_ok(const char *name, void *buf, size_t size)
{
	size_t len = size;

	ATF_REQUIRE_EQ_MSG(rump_sysctlbyname(name, buf, &len, NULL, 0), 0,
	    "reading %s: %s", name, strerror(errno));
	return len;
}

static void
check_string(const char *name, const char *want)
{
	char buf[256];
	size_t len;

	memset(buf, 0x5a, sizeof(buf));
	len = read_ok(name, buf, sizeof(buf));
	ATF_CHECK_MSG(len == strlen(want) + 1, "%s: length %zu, expected %zu",
	    name, len, strlen(want) + 1);
	ATF_CHECK_MSG(strcmp(buf, want) == 0, "%s: \"%.*s\", expected \"%s\"",
	    name, (int)sizeof(buf), buf, want);
}

/* Check that a call failed with errno err. */
static void
check_fail(int rv, int err, const char *what)
{

	ATF_CHECK_MSG(rv == -1 && errno == err, "%s: returned %d, errno %d "
	    "(%s), expected %d (%s)", what, rv, errno, strerror(errno), err,
	    strerror(err));
}

#define CHECK_SYSCTL_FAIL(err, mib, oldp, oldlenp, newp, newlen) do {	\
	errno = 0;							\
	check_fail(rump_sys___sysctl((mib),				\
	    sizeof(mib) / sizeof((mib)[0]), (oldp), (oldlenp), (newp),	\
	    (newlen)), (err), #mib);					\
} while (0)

#define CHECK_BYNAME_FAIL(err, name) do {				\
	size_t len_ = 0;						\
	errno = 0;							\
	check_fail(rump_sysctlbyname((name), NULL, &len_, NULL, 0),	\
	    (err), (name) != NULL ? (name) : "NULL");			\
} while (0)

ATF_TC(read_strings);
ATF_TC_HEAD(read_strings, tc)
{
	atf_tc_set_md_var(tc, "descr", "the kern and hw name nodes read as "
	    "uname reports them, by name and by number");
}
ATF_TC_BODY(read_strings, tc)
{
	struct utsname host;
	static const int mib[] = { RUMP_CTL_KERN, 1 };
	char buf[64];
	size_t len;

	ATF_REQUIRE_EQ(uname(&host), 0);
	boot();
	check_string("kern.ostype", "rump");
	check_string("kern.osrelease", "0.1.0");
	check_string("kern.version", "rump 0.1.0");
	check_string("kern.hostname", BOOT_HOSTNAME);
	check_string("kern.domainname", "(none)");
	check_string("hw.machine", host.machine);

	/* Numeric components, alone or mixed with names. */
	check_string("kern.10", BOOT_HOSTNAME);
	check_string("1.1", "rump");
	check_string("6.1", host.machine);

	/* The raw system call with a MIB. */
	len = sizeof(buf);
	ATF_REQUIRE_EQ(rump_sys___sysctl(mib, 2, buf, &len, NULL, 0), 0);
	ATF_CHECK_EQ(len, 5);
	ATF_CHECK_STREQ(buf, "rump");
}

ATF_TC(read_numbers);
ATF_TC_HEAD(read_numbers, tc)
{
	atf_tc_set_md_var(tc, "descr", "hw.ncpu equals RUMP_NCPU; pagesize, "
	    "physmem64 and boottime are sane");
}
ATF_TC_BODY(read_numbers, tc)
{
	struct timespec boottime, now;
	uint64_t physmem;
	int ncpu, pagesize;

	ATF_REQUIRE_EQ(setenv("RUMP_NCPU", "3", 1), 0);
	boot();

	ATF_CHECK_EQ(read_ok("hw.ncpu", &ncpu, sizeof(ncpu)), sizeof(int));
	ATF_CHECK_EQ(ncpu, 3);
	ATF_CHECK_EQ(read_ok("hw.pagesize", &pagesize, sizeof(pagesize)),
	    sizeof(int));
	ATF_CHECK_EQ(pagesize, 4096);
	ATF_CHECK_EQ(read_ok("hw.physmem64", &physmem, sizeof(physmem)),
	    sizeof(physmem));
	ATF_CHECK(physmem > 0);
	ATF_CHECK_EQ(read_ok("hw.physmem", &ncpu, sizeof(ncpu)), sizeof(int));
	ATF_CHECK(ncpu > 0);
	ATF_CHECK((uint64_t)ncpu == (physmem > INT_MAX ? INT_MAX : physmem));

	ATF_CHECK_EQ(read_ok("kern.boottime", &boottime, sizeof(boottime)),
	    sizeof(boottime));
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_REALTIME, &now), 0);
	ATF_CHECK(boottime.tv_nsec >= 0 && boottime.tv_nsec < 1000000000);
	ATF_CHECK_MSG(boottime.tv_sec <= now.tv_sec &&
	    boottime.tv_sec >= now.tv_sec - 600, "boot time %lld, now %lld",
	    (long long)boottime.tv_sec, (long long)now.tv_sec);
}

ATF_TC(write_hostname);
ATF_TC_HEAD(write_hostname, tc)
{
	atf_tc_set_md_var(tc, "descr", "root writes kern.hostname, reading "
	    "the old value in the same call; bad lengths are EINVAL");
}
ATF_TC_BODY(write_hostname, tc)
{
	char old[128], name[80];
	struct utsname u;
	size_t len;

	boot();

	/* Read the old name and write a new one in one call. */
	len = sizeof(old);
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.hostname", old, &len,
	    "newname", 8), 0);
	ATF_CHECK_EQ(len, strlen(BOOT_HOSTNAME) + 1);
	ATF_CHECK_STREQ(old, BOOT_HOSTNAME);
	check_string("kern.hostname", "newname");
	ATF_REQUIRE_EQ(rump_sys_uname(&u), 0);
	ATF_CHECK_STREQ(u.nodename, "newname");

	/* The NUL is optional, and an embedded one ends the name. */
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.hostname", NULL, NULL,
	    "abc", 3), 0);
	check_string("kern.hostname", "abc");
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.hostname", NULL, NULL,
	    "ab\0cd", 5), 0);
	check_string("kern.hostname", "ab");
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.hostname", NULL, NULL,
	    "", 0), 0);
	check_string("kern.hostname", "");

	/* 64 characters fit, with or without the NUL; 65 do not. */
	memset(name, 'h', sizeof(name));
	name[64] = '\0';
	ATF_CHECK_EQ(rump_sysctlbyname("kern.hostname", NULL, NULL, name,
	    64), 0);
	check_string("kern.hostname", name);
	ATF_CHECK_EQ(rump_sysctlbyname("kern.hostname", NULL, NULL, name,
	    65), 0);
	check_string("kern.hostname", name);
	name[64] = 'h';
	errno = 0;
	check_fail(rump_sysctlbyname("kern.hostname", NULL, NULL, name, 65),
	    EINVAL, "65 characters");
	errno = 0;
	check_fail(rump_sysctlbyname("kern.hostname", NULL, NULL, name, 66),
	    EINVAL, "66 bytes");
	name[64] = '\0';
	check_string("kern.hostname", name);

	/* kern.domainname likewise. */
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.domainname", NULL, NULL,
	    "example.org", 12), 0);
	check_string("kern.domainname", "example.org");
	ATF_REQUIRE_EQ(rump_sys_uname(&u), 0);
	ATF_CHECK_STREQ(u.domainname, "example.org");

	/* A bad new value pointer. */
	errno = 0;
	check_fail(rump_sysctlbyname("kern.hostname", NULL, NULL, (void *)8,
	    4), EFAULT, "newp 8");
}

ATF_TC(write_permission);
ATF_TC_HEAD(write_permission, tc)
{
	atf_tc_set_md_var(tc, "descr", "writes need a writable node and, "
	    "for kern.hostname, privilege");
}
ATF_TC_BODY(write_permission, tc)
{
	static const int kern[] = { RUMP_CTL_KERN };
	int ncpu = 1;
	struct timespec ts = { 0, 0 };

	boot();

	/* Read-only nodes refuse even root. */
	errno = 0;
	check_fail(rump_sysctlbyname("kern.ostype", NULL, NULL, "linux", 6),
	    EPERM, "kern.ostype");
	errno = 0;
	check_fail(rump_sysctlbyname("hw.ncpu", NULL, NULL, &ncpu,
	    sizeof(ncpu)), EPERM, "hw.ncpu");
	errno = 0;
	check_fail(rump_sysctlbyname("hw.ncpu", NULL, NULL, &ncpu, 1),
	    EPERM, "hw.ncpu, 1 byte");
	errno = 0;
	check_fail(rump_sysctlbyname("kern.boottime", NULL, NULL, &ts,
	    sizeof(ts)), EPERM, "kern.boottime");
	CHECK_SYSCTL_FAIL(EISDIR, kern, NULL, NULL, "x", 1);

	/* uid 1000 may read but not write. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	check_string("kern.hostname", BOOT_HOSTNAME);
	errno = 0;
	check_fail(rump_sysctlbyname("kern.hostname", NULL, NULL, "user", 5),
	    EPERM, "kern.hostname as uid 1000");
	errno = 0;
	check_fail(rump_sysctlbyname("kern.domainname", NULL, NULL, "user",
	    5), EPERM, "kern.domainname as uid 1000");
	/* Privilege is checked before the value. */
	errno = 0;
	check_fail(rump_sysctlbyname("kern.hostname", NULL, NULL, (void *)8,
	    500), EPERM, "kern.hostname as uid 1000, bad value");
	rump_pub_lwproc_releaselwp();
	check_string("kern.hostname", BOOT_HOSTNAME);
}

ATF_TC(enomem_protocol);
ATF_TC_HEAD(enomem_protocol, tc)
{
	atf_tc_set_md_var(tc, "descr", "a short buffer gets what fits, the "
	    "length needed and ENOMEM, and no write happens");
}
ATF_TC_BODY(enomem_protocol, tc)
{
	char buf[16];
	uint64_t quad;
	size_t len;

	boot();

	/* Size only. */
	len = 0;
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.ostype", NULL, &len, NULL, 0),
	    0);
	ATF_CHECK_EQ(len, 5);
	len = 12345;
	ATF_REQUIRE_EQ(rump_sysctlbyname("hw.physmem64", NULL, &len, NULL, 0),
	    0);
	ATF_CHECK_EQ(len, 8);

	/* Too small: a partial copy. */
	memset(buf, 0x5a, sizeof(buf));
	len = 2;
	errno = 0;
	check_fail(rump_sysctlbyname("kern.ostype", buf, &len, NULL, 0),
	    ENOMEM, "kern.ostype in 2 bytes");
	ATF_CHECK_EQ(len, 5);
	ATF_CHECK(buf[0] == 'r' && buf[1] == 'u' && buf[2] == 0x5a);
	len = 0;
	errno = 0;
	check_fail(rump_sysctlbyname("kern.ostype", buf, &len, NULL, 0),
	    ENOMEM, "kern.ostype in 0 bytes");
	ATF_CHECK_EQ(len, 5);

	quad = 0x5a5a5a5a5a5a5a5aULL;
	len = 4;
	errno = 0;
	check_fail(rump_sysctlbyname("hw.physmem64", &quad, &len, NULL, 0),
	    ENOMEM, "hw.physmem64 in 4 bytes");
	ATF_CHECK_EQ(len, 8);

	/* Exactly enough, and more than enough. */
	len = 5;
	ATF_CHECK_EQ(rump_sysctlbyname("kern.ostype", buf, &len, NULL, 0), 0);
	ATF_CHECK_EQ(len, 5);
	len = sizeof(buf);
	ATF_CHECK_EQ(rump_sysctlbyname("kern.ostype", buf, &len, NULL, 0), 0);
	ATF_CHECK_EQ(len, 5);

	/* A write whose old value does not fit is not made. */
	len = 3;
	errno = 0;
	check_fail(rump_sysctlbyname("kern.hostname", buf, &len, "changed",
	    8), ENOMEM, "write with a short old buffer");
	ATF_CHECK_EQ(len, strlen(BOOT_HOSTNAME) + 1);
	check_string("kern.hostname", BOOT_HOSTNAME);

	/* Bad pointers for the old value and its length. */
	len = sizeof(buf);
	errno = 0;
	check_fail(rump_sysctlbyname("kern.ostype", (void *)8, &len, NULL, 0),
	    EFAULT, "oldp 8");
	errno = 0;
	check_fail(rump_sysctlbyname("kern.ostype", buf, (void *)8, NULL, 0),
	    EFAULT, "oldlenp 8");
}

ATF_TC(request_errors);
ATF_TC_HEAD(request_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "__sysctl rejects bad MIB lengths, "
	    "unknown names, leaves as parents and nodes as values");
}
ATF_TC_BODY(request_errors, tc)
{
	static const int kern[] = { RUMP_CTL_KERN };
	static const int unknown_top[] = { 99 };
	static const int unknown_kern[] = { RUMP_CTL_KERN, 9999 };
	static const int below_leaf[] = { RUMP_CTL_KERN, 10, 1 };
	static const int negative[] = { RUMP_CTL_KERN, -7 };
	static const int hostname[] = { RUMP_CTL_KERN, 10 };
	int mib13[13];
	char buf[64];
	size_t len = sizeof(buf);

	boot();
	memset(mib13, 0, sizeof(mib13));
	mib13[0] = RUMP_CTL_KERN;

	errno = 0;
	check_fail(rump_sys___sysctl(kern, 0, buf, &len, NULL, 0), EINVAL,
	    "namelen 0");
	CHECK_SYSCTL_FAIL(EINVAL, mib13, buf, &len, NULL, 0);
	errno = 0;
	check_fail(rump_sys___sysctl(NULL, 2, buf, &len, NULL, 0), EFAULT,
	    "name NULL");
	CHECK_SYSCTL_FAIL(ENOENT, unknown_top, buf, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(ENOENT, unknown_kern, buf, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(ENOENT, negative, buf, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(ENOTDIR, below_leaf, buf, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(EISDIR, kern, buf, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(EISDIR, kern, NULL, &len, NULL, 0);

	/* A buffer without a length. */
	CHECK_SYSCTL_FAIL(EINVAL, hostname, buf, NULL, NULL, 0);

	/* Neither read nor write: a valid no-op. */
	ATF_CHECK_EQ(rump_sys___sysctl(hostname, 2, NULL, NULL, NULL, 0), 0);
}

/* Read the CTL_QUERY listing of the node at mib; returns the count. */
static size_t
query(const int *mib, u_int miblen, struct rump_sysctlnode *nodes,
    size_t max)
{
	int qmib[13];
	size_t len = max * NODESIZE;

	if (miblen > 0)
		memcpy(qmib, mib, miblen * sizeof(int));
	qmib[miblen] = RUMP_CTL_QUERY;
	ATF_REQUIRE_EQ_MSG(rump_sys___sysctl(qmib, miblen + 1, nodes, &len,
	    NULL, 0), 0, "query: %s", strerror(errno));
	ATF_REQUIRE_EQ(len % NODESIZE, 0);
	return len / NODESIZE;
}

static const struct rump_sysctlnode *
find_node(const struct rump_sysctlnode *nodes, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(nodes[i].sn_name, name) == 0)
			return &nodes[i];
	return NULL;
}

static void
check_node(const struct rump_sysctlnode *nodes, size_t n, const char *name,
    int num, uint32_t flags, uint64_t size)
{
	const struct rump_sysctlnode *node;

	node = find_node(nodes, n, name);
	ATF_REQUIRE_MSG(node != NULL, "no node %s", name);
	ATF_CHECK_EQ_MSG(node->sn_num, num, "%s: number %d, expected %d",
	    name, node->sn_num, num);
	ATF_CHECK_EQ_MSG(node->sn_flags, flags, "%s: flags %#x, expected %#x",
	    name, node->sn_flags, flags);
	ATF_CHECK_EQ_MSG(node->sn_size, size, "%s: size %llu, expected %llu",
	    name, (unsigned long long)node->sn_size,
	    (unsigned long long)size);
}

static void
check_sorted(const struct rump_sysctlnode *nodes, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		ATF_CHECK_MSG(nodes[i - 1].sn_num < nodes[i].sn_num,
		    "entries %zu and %zu out of order: %d, %d", i - 1, i,
		    nodes[i - 1].sn_num, nodes[i].sn_num);
}

ATF_TC(query);
ATF_TC_HEAD(query, tc)
{
	atf_tc_set_md_var(tc, "descr", "CTL_QUERY lists the children of the "
	    "top level and of kern, sorted by number");
}
ATF_TC_BODY(query, tc)
{
	static const int top[] = { RUMP_CTL_QUERY };
	static const int kern[] = { RUMP_CTL_KERN };
	static const int hw[] = { RUMP_CTL_HW };
	struct rump_sysctlnode nodes[64];
	size_t n, len;

	ATF_REQUIRE_EQ(sizeof(struct rump_sysctlnode), 48);
	boot();

	n = query(NULL, 0, nodes, 64);
	check_sorted(nodes, n);
	check_node(nodes, n, "kern", RUMP_CTL_KERN, RUMP_CTLTYPE_NODE, 0);
	check_node(nodes, n, "vm", RUMP_CTL_VM, RUMP_CTLTYPE_NODE, 0);
	check_node(nodes, n, "vfs", RUMP_CTL_VFS, RUMP_CTLTYPE_NODE, 0);
	check_node(nodes, n, "net", RUMP_CTL_NET, RUMP_CTLTYPE_NODE, 0);
	check_node(nodes, n, "debug", RUMP_CTL_DEBUG, RUMP_CTLTYPE_NODE, 0);
	check_node(nodes, n, "hw", RUMP_CTL_HW, RUMP_CTLTYPE_NODE, 0);

	/* The raw form: the query element alone. */
	len = sizeof(nodes);
	ATF_REQUIRE_EQ(rump_sys___sysctl(top, 1, nodes, &len, NULL, 0), 0);
	ATF_CHECK_EQ(len, n * NODESIZE);

	n = query(kern, 1, nodes, 64);
	check_sorted(nodes, n);
	check_node(nodes, n, "ostype", 1, RUMP_CTLTYPE_STRING, 5);
	check_node(nodes, n, "osrelease", 2, RUMP_CTLTYPE_STRING, 6);
	check_node(nodes, n, "version", 4, RUMP_CTLTYPE_STRING, 11);
	check_node(nodes, n, "hostname", 10,
	    RUMP_CTLTYPE_STRING | RUMP_CTLFLAG_READWRITE, 65);
	check_node(nodes, n, "boottime", 21, RUMP_CTLTYPE_STRUCT,
	    sizeof(struct timespec));
	check_node(nodes, n, "domainname", 22,
	    RUMP_CTLTYPE_STRING | RUMP_CTLFLAG_READWRITE, 65);

	n = query(hw, 1, nodes, 64);
	check_sorted(nodes, n);
	check_node(nodes, n, "ncpu", 3, RUMP_CTLTYPE_INT, sizeof(int));
	check_node(nodes, n, "pagesize", 7, RUMP_CTLTYPE_INT, sizeof(int));
	check_node(nodes, n, "physmem64", 13, RUMP_CTLTYPE_QUAD, 8);
	ATF_CHECK(find_node(nodes, n, "machine") != NULL);
}

ATF_TC(query_protocol);
ATF_TC_HEAD(query_protocol, tc)
{
	atf_tc_set_md_var(tc, "descr", "CTL_QUERY follows the ENOMEM length "
	    "protocol in whole entries and rejects bad targets");
}
ATF_TC_BODY(query_protocol, tc)
{
	static const int kernq[] = { RUMP_CTL_KERN, RUMP_CTL_QUERY };
	static const int leafq[] = { RUMP_CTL_KERN, 10, RUMP_CTL_QUERY };
	static const int unknownq[] = { 77, RUMP_CTL_QUERY };
	static const int midq[] = { RUMP_CTL_QUERY, RUMP_CTL_KERN };
	struct rump_sysctlnode nodes[64];
	unsigned char *bytes = (unsigned char *)nodes;
	size_t len, needed;

	boot();

	len = 0;
	ATF_REQUIRE_EQ(rump_sys___sysctl(kernq, 2, NULL, &len, NULL, 0), 0);
	needed = len;
	ATF_REQUIRE(needed >= 6 * NODESIZE);
	ATF_CHECK_EQ(needed % NODESIZE, 0);

	/* Room for two entries: two are copied. */
	memset(nodes, 0x5a, sizeof(nodes));
	len = 2 * NODESIZE;
	errno = 0;
	check_fail(rump_sys___sysctl(kernq, 2, nodes, &len, NULL, 0),
	    ENOMEM, "query in 2 entries");
	ATF_CHECK_EQ(len, needed);
	ATF_CHECK_EQ(nodes[0].sn_num, 1);
	ATF_CHECK_STREQ(nodes[1].sn_name, "osrelease");
	ATF_CHECK_EQ(bytes[2 * NODESIZE], 0x5a);

	/* Room for one and a half: one is copied. */
	memset(nodes, 0x5a, sizeof(nodes));
	len = NODESIZE + NODESIZE / 2;
	errno = 0;
	check_fail(rump_sys___sysctl(kernq, 2, nodes, &len, NULL, 0),
	    ENOMEM, "query in 1.5 entries");
	ATF_CHECK_EQ(len, needed);
	ATF_CHECK_STREQ(nodes[0].sn_name, "ostype");
	ATF_CHECK_EQ(bytes[NODESIZE], 0x5a);

	/* Names are NUL-padded, so no stale bytes leave the kernel. */
	len = sizeof(nodes);
	ATF_REQUIRE_EQ(rump_sys___sysctl(kernq, 2, nodes, &len, NULL, 0), 0);
	ATF_CHECK_EQ(nodes[0].sn_name[sizeof(nodes[0].sn_name) - 1], '\0');
	ATF_CHECK_EQ(nodes[0].sn_name[strlen("ostype") + 1], '\0');

	len = sizeof(nodes);
	CHECK_SYSCTL_FAIL(ENOTDIR, leafq, nodes, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(ENOENT, unknownq, nodes, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(ENOENT, midq, nodes, &len, NULL, 0);
	CHECK_SYSCTL_FAIL(EINVAL, kernq, nodes, &len, "x", 1);
	CHECK_SYSCTL_FAIL(EFAULT, kernq, (void *)8, &len, NULL, 0);
}

ATF_TC(byname_errors);
ATF_TC_HEAD(byname_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "rump_sysctlbyname: ENOENT for unknown "
	    "names, EINVAL for malformed ones");
}
ATF_TC_BODY(byname_errors, tc)
{
	char longname[64];

	boot();
	CHECK_BYNAME_FAIL(ENOENT, "kern.nosuch");
	CHECK_BYNAME_FAIL(ENOENT, "nosuch");
	CHECK_BYNAME_FAIL(ENOENT, "nosuch.hostname");
	CHECK_BYNAME_FAIL(ENOENT, "kern.9999");
	CHECK_BYNAME_FAIL(ENOENT, "kern.99999999999999999999");
	CHECK_BYNAME_FAIL(ENOENT, "kern.HOSTNAME");
	CHECK_BYNAME_FAIL(ENOENT, "kern.host name");
	CHECK_BYNAME_FAIL(ENOTDIR, "kern.hostname.x");
	CHECK_BYNAME_FAIL(ENOTDIR, "kern.10.1");
	CHECK_BYNAME_FAIL(EISDIR, "kern");
	CHECK_BYNAME_FAIL(EINVAL, "");
	CHECK_BYNAME_FAIL(EINVAL, ".");
	CHECK_BYNAME_FAIL(EINVAL, ".kern");
	CHECK_BYNAME_FAIL(EINVAL, "kern.");
	CHECK_BYNAME_FAIL(EINVAL, "kern..hostname");
	CHECK_BYNAME_FAIL(EINVAL, "kern.1x");
	CHECK_BYNAME_FAIL(EINVAL, "1.1.1.1.1.1.1.1.1.1.1.1.1");
	CHECK_BYNAME_FAIL(EFAULT, NULL);

	memset(longname, 'a', sizeof(longname) - 1);
	memcpy(longname, "kern.", 5);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_BYNAME_FAIL(ENOENT, longname);
}

/*
 * Readers must always see a whole host name while a writer changes it.
 * Some threads run as their own process, the others unbound.
 */
struct hammer {
	bool	writer;
	bool	own_process;	/* else the implicit context */
	int	iterations;
	int	torn;
	int	errors;
};

static const char *const hammer_names[] = { "aaaa", "bbbbbbbbbbbbbbbb" };

static void *
hammer_main(void *arg)
{
	struct hammer *h = arg;
	char buf[80];
	size_t len;
	int i;

	if (h->own_process && rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		h->errors++;
		return NULL;
	}
	for (i = 0; i < h->iterations; i++) {
		if (h->writer) {
			const char *name = hammer_names[i % 2];

			if (rump_sysctlbyname("kern.hostname", NULL, NULL,
			    name, strlen(name)) != 0)
				h->errors++;
			continue;
		}
		len = sizeof(buf);
		if (rump_sysctlbyname("kern.hostname", buf, &len, NULL,
		    0) != 0) {
			h->errors++;
			continue;
		}
		if (strcmp(buf, hammer_names[0]) != 0 &&
		    strcmp(buf, hammer_names[1]) != 0 &&
		    strcmp(buf, BOOT_HOSTNAME) != 0)
			h->torn++;
		else if (len != strlen(buf) + 1)
			h->torn++;
	}
	if (h->own_process)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(concurrent_access);
ATF_TC_HEAD(concurrent_access, tc)
{
	atf_tc_set_md_var(tc, "descr", "readers see whole values while "
	    "another thread writes kern.hostname");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(concurrent_access, tc)
{
	struct hammer h[4];
	pthread_t t[4];
	int i;

	boot();
	for (i = 0; i < 4; i++) {
		h[i].writer = i == 0;
		h[i].own_process = i % 2 == 0;
		h[i].iterations = 2000;
		h[i].torn = h[i].errors = 0;
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, hammer_main,
		    &h[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
		ATF_CHECK_EQ_MSG(h[i].errors, 0, "thread %d: %d errors", i,
		    h[i].errors);
		ATF_CHECK_EQ_MSG(h[i].torn, 0, "thread %d: %d torn reads", i,
		    h[i].torn);
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, read_strings);
	ATF_TP_ADD_TC(tp, read_numbers);
	ATF_TP_ADD_TC(tp, write_hostname);
	ATF_TP_ADD_TC(tp, write_permission);
	ATF_TP_ADD_TC(tp, enomem_protocol);
	ATF_TP_ADD_TC(tp, request_errors);
	ATF_TP_ADD_TC(tp, query);
	ATF_TP_ADD_TC(tp, query_protocol);
	ATF_TP_ADD_TC(tp, byname_errors);
	ATF_TP_ADD_TC(tp, concurrent_access);
	return atf_no_error();
}
