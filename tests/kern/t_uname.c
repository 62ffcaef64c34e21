/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uname, sethostname and setdomainname.  The results are compared with
 * the host's, whose calls run as root in a forked child with a private
 * UTS namespace, so the host's own names never change.
 */

#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

#define BOOT_HOSTNAME	"rumptest"

static void
boot(void)
{
	int error;

	ATF_REQUIRE_EQ(setenv("RUMP_HOSTNAME", BOOT_HOSTNAME, 1), 0);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

static void
rump_uname_ok(struct utsname *u)
{

	memset(u, 0x5a, sizeof(*u));
	ATF_REQUIRE_EQ_MSG(rump_sys_uname(u), 0, "uname: %s",
	    strerror(errno));
}

/* Read a string sysctl node through rump_sysctlbyname. */
static void
sysctl_string(const char *name, char *buf, size_t size)
{
	size_t len = size;

	ATF_REQUIRE_EQ_MSG(rump_sysctlbyname(name, buf, &len, NULL, 0), 0,
	    "%s: %s", name, strerror(errno));
	ATF_REQUIRE_MSG(len >= 1 && len <= size && buf[len - 1] == '\0',
	    "%s: length %zu", name, len);
}

ATF_TC(uname_fields);
ATF_TC_HEAD(uname_fields, tc)
{
	atf_tc_set_md_var(tc, "descr", "uname fills the Linux struct "
	    "utsname with the kernel's names");
}
ATF_TC_BODY(uname_fields, tc)
{
	struct utsname u, host;

	ATF_REQUIRE_EQ(uname(&host), 0);
	boot();
	rump_uname_ok(&u);
	ATF_CHECK_STREQ(u.sysname, "rump");
	ATF_CHECK_STREQ(u.nodename, BOOT_HOSTNAME);
	ATF_CHECK_STREQ(u.release, "0.1.0");
	ATF_CHECK_STREQ(u.version, "rump 0.1.0");
	ATF_CHECK_STREQ(u.machine, host.machine);
	/* Linux's name for a domain name that was never set. */
	ATF_CHECK_STREQ(u.domainname, "(none)");

	/* The field tails carry no stale bytes. */
	ATF_CHECK_EQ(u.sysname[sizeof(u.sysname) - 1], '\0');
	ATF_CHECK_EQ(u.nodename[strlen(u.nodename) + 1], '\0');

	errno = 0;
	ATF_CHECK_EQ(rump_sys_uname(NULL), -1);
	ATF_CHECK_EQ(errno, EFAULT);
}

/* One call of sethostname or setdomainname and its outcome. */
struct namecall {
	bool		 domain;	/* setdomainname, else sethostname */
	const char	*name;
	size_t		 len;
};

struct nameresult {
	int	rv;
	int	err;
	char	nodename[65];
	char	domainname[65];
};

static char name64[65], name65[66];

/* The sequence both the host and rump run, as root, then as uid 1000. */
static const struct namecall namecalls[] = {
	{ false, "testhost", 8 },
	{ false, "abcdefgh", 3 },
	{ false, "ab\0cd", 5 },
	{ false, name64, 64 },
	{ false, name65, 65 },
	{ false, name65, (size_t)-1 },
	{ false, "", 0 },
	{ false, NULL, 0 },
	{ false, NULL, 5 },
	{ false, "final", 5 },
	{ true, "example.org", 11 },
	{ true, "example.org", 7 },
	{ true, name64, 64 },
	{ true, name65, 65 },
	{ true, NULL, 3 },
	{ true, "", 0 },
	{ true, "dom", 3 },
};
#define NNAMECALLS	(sizeof(namecalls) / sizeof(namecalls[0]))

/* The unprivileged calls: all EPERM, even with a bad length. */
static const struct namecall namecalls_unpriv[] = {
	{ false, "other", 5 },
	{ false, name65, 65 },
	{ false, NULL, 5 },
	{ true, "other", 5 },
	{ true, name65, 65 },
};
#define NNAMECALLS_UNPRIV \
	(sizeof(namecalls_unpriv) / sizeof(namecalls_unpriv[0]))

static void
names_init(void)
{

	memset(name64, 'x', 64);
	memset(name65, 'y', 65);
}

struct nameops {
	int	(*sethostname)(const char *, size_t);
	int	(*setdomainname)(const char *, size_t);
	int	(*uname)(struct utsname *);
	int	(*setuid)(uid_t);
};

static const struct nameops host_ops = {
	sethostname, setdomainname, uname, setuid
};
static const struct nameops rump_ops = {
	rump_sys_sethostname, rump_sys_setdomainname, rump_sys_uname,
	rump_sys_setuid
};

static void
names_run(const struct nameops *ops, const struct namecall *calls, size_t n,
    struct nameresult *res)
{
	struct utsname u;
	size_t i;

	for (i = 0; i < n; i++) {
		errno = 0;
		if (calls[i].domain)
			res[i].rv = ops->setdomainname(calls[i].name,
			    calls[i].len);
		else
			res[i].rv = ops->sethostname(calls[i].name,
			    calls[i].len);
		res[i].err = res[i].rv == -1 ? errno : 0;
		memset(&u, 0, sizeof(u));
		ops->uname(&u);
		memcpy(res[i].nodename, u.nodename, sizeof(res[i].nodename));
		memcpy(res[i].domainname, u.domainname,
		    sizeof(res[i].domainname));
	}
}

/* Run both sequences on the host; false when it cannot. */
static bool
names_run_host(struct nameresult *res, struct nameresult *res_unpriv)
{
	struct nameresult all[NNAMECALLS + NNAMECALLS_UNPRIV];
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	if (geteuid() != 0) {
		printf("not root: no comparison with the host\n");
		return false;
	}
	ATF_REQUIRE_EQ(pipe(fds), 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		close(fds[0]);
		if (unshare(CLONE_NEWUTS) != 0)
			_exit(2);
		names_run(&host_ops, namecalls, NNAMECALLS, all);
		if (setuid(1000) != 0)
			_exit(1);
		names_run(&host_ops, namecalls_unpriv, NNAMECALLS_UNPRIV,
		    all + NNAMECALLS);
		_exit(write(fds[1], all, sizeof(all)) == sizeof(all) ? 0 : 1);
	}
	close(fds[1]);
	n = read(fds[0], all, sizeof(all));
	close(fds[0]);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		printf("no private UTS namespace: no comparison with the "
		    "host\n");
		return false;
	}
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ATF_REQUIRE_EQ(n, (ssize_t)sizeof(all));
	memcpy(res, all, NNAMECALLS * sizeof(*res));
	memcpy(res_unpriv, all + NNAMECALLS,
	    NNAMECALLS_UNPRIV * sizeof(*res_unpriv));
	return true;
}

static void
nameresult_compare(const char *what, size_t i, const struct nameresult *r,
    const struct nameresult *h)
{

	ATF_CHECK_MSG(r->rv == h->rv && r->err == h->err, "%s %zu: rump "
	    "%d/%d, host %d/%d", what, i, r->rv, r->err, h->rv, h->err);
	ATF_CHECK_MSG(strcmp(r->nodename, h->nodename) == 0, "%s %zu: rump "
	    "nodename \"%s\", host \"%s\"", what, i, r->nodename,
	    h->nodename);
	/* The host's domain name starts as "(none)" only without one set. */
	if (i > 0 || strcmp(h->domainname, "(none)") == 0)
		ATF_CHECK_MSG(strcmp(r->domainname, h->domainname) == 0,
		    "%s %zu: rump domainname \"%s\", host \"%s\"", what, i,
		    r->domainname, h->domainname);
}

ATF_TC(setnames_like_host);
ATF_TC_HEAD(setnames_like_host, tc)
{
	atf_tc_set_md_var(tc, "descr", "sethostname and setdomainname give "
	    "the host's results and names");
}
ATF_TC_BODY(setnames_like_host, tc)
{
	struct nameresult rump[NNAMECALLS], host[NNAMECALLS];
	struct nameresult rump_unpriv[NNAMECALLS_UNPRIV];
	struct nameresult host_unpriv[NNAMECALLS_UNPRIV];
	size_t i;

	names_init();
	boot();
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	names_run(&rump_ops, namecalls, NNAMECALLS, rump);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	names_run(&rump_ops, namecalls_unpriv, NNAMECALLS_UNPRIV,
	    rump_unpriv);
	rump_pub_lwproc_releaselwp();

	/* The expected outcome, independent of the host. */
	ATF_CHECK_EQ(rump[0].rv, 0);
	ATF_CHECK_STREQ(rump[0].nodename, "testhost");
	ATF_CHECK_STREQ(rump[1].nodename, "abc");
	ATF_CHECK_STREQ(rump[2].nodename, "ab");
	ATF_CHECK_EQ(strlen(rump[3].nodename), 64);
	ATF_CHECK(rump[4].rv == -1 && rump[4].err == EINVAL);
	ATF_CHECK_EQ(strlen(rump[4].nodename), 64);
	ATF_CHECK(rump[5].rv == -1 && rump[5].err == EINVAL);
	ATF_CHECK(rump[6].rv == 0 && rump[6].nodename[0] == '\0');
	ATF_CHECK_EQ(rump[7].rv, 0);
	ATF_CHECK(rump[8].rv == -1 && rump[8].err == EFAULT);
	ATF_CHECK_STREQ(rump[9].nodename, "final");
	ATF_CHECK_STREQ(rump[10].domainname, "example.org");
	ATF_CHECK_STREQ(rump[11].domainname, "example");
	ATF_CHECK_EQ(strlen(rump[12].domainname), 64);
	ATF_CHECK(rump[13].rv == -1 && rump[13].err == EINVAL);
	ATF_CHECK(rump[14].rv == -1 && rump[14].err == EFAULT);
	ATF_CHECK(rump[15].rv == 0 && rump[15].domainname[0] == '\0');
	ATF_CHECK_STREQ(rump[16].domainname, "dom");
	ATF_CHECK_STREQ(rump[16].nodename, "final");
	for (i = 0; i < NNAMECALLS_UNPRIV; i++) {
		ATF_CHECK_MSG(rump_unpriv[i].rv == -1 &&
		    rump_unpriv[i].err == EPERM, "unprivileged call %zu: "
		    "%d/%d", i, rump_unpriv[i].rv, rump_unpriv[i].err);
		ATF_CHECK_STREQ(rump_unpriv[i].nodename, "final");
		ATF_CHECK_STREQ(rump_unpriv[i].domainname, "dom");
	}

	if (!names_run_host(host, host_unpriv))
		return;
	for (i = 0; i < NNAMECALLS; i++)
		nameresult_compare("call", i, &rump[i], &host[i]);
	for (i = 0; i < NNAMECALLS_UNPRIV; i++)
		nameresult_compare("unprivileged call", i, &rump_unpriv[i],
		    &host_unpriv[i]);
}

ATF_TC(sethostname_visible);
ATF_TC_HEAD(sethostname_visible, tc)
{
	atf_tc_set_md_var(tc, "descr", "a new host or domain name shows in "
	    "uname and sysctl, in every process");
}
ATF_TC_BODY(sethostname_visible, tc)
{
	struct utsname u;
	char buf[128];

	boot();
	sysctl_string("kern.hostname", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, BOOT_HOSTNAME);
	sysctl_string("kern.domainname", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "(none)");

	ATF_REQUIRE_EQ(rump_sys_sethostname("visible", 7), 0);
	ATF_REQUIRE_EQ(rump_sys_setdomainname("dom.example", 11), 0);
	rump_uname_ok(&u);
	ATF_CHECK_STREQ(u.nodename, "visible");
	ATF_CHECK_STREQ(u.domainname, "dom.example");
	sysctl_string("kern.hostname", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "visible");
	sysctl_string("kern.domainname", buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "dom.example");

	/* The names are the kernel's, not the process's. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_sethostname("fromchild", 9), 0);
	rump_pub_lwproc_releaselwp();
	rump_uname_ok(&u);
	ATF_CHECK_STREQ(u.nodename, "fromchild");

	/* A name written through sysctl shows in uname. */
	ATF_REQUIRE_EQ(rump_sysctlbyname("kern.hostname", NULL, NULL,
	    "bysysctl", 9), 0);
	rump_uname_ok(&u);
	ATF_CHECK_STREQ(u.nodename, "bysysctl");
}

ATF_TC(setnames_euid);
ATF_TC_HEAD(setnames_euid, tc)
{
	atf_tc_set_md_var(tc, "descr", "privilege comes from the effective "
	    "uid: root with euid 1000 gets EPERM");
}
ATF_TC_BODY(setnames_euid, tc)
{
	struct utsname u;

	boot();
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_seteuid(1000), 0);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_sethostname("x", 1), -1);
	ATF_CHECK_EQ(errno, EPERM);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_setdomainname("x", 1), -1);
	ATF_CHECK_EQ(errno, EPERM);

	/* Back to euid 0: allowed again. */
	ATF_REQUIRE_EQ(rump_sys_seteuid(0), 0);
	ATF_CHECK_EQ(rump_sys_sethostname("x", 1), 0);
	rump_uname_ok(&u);
	ATF_CHECK_STREQ(u.nodename, "x");
	rump_pub_lwproc_releaselwp();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, uname_fields);
	ATF_TP_ADD_TC(tp, setnames_like_host);
	ATF_TP_ADD_TC(tp, sethostname_visible);
	ATF_TP_ADD_TC(tp, setnames_euid);
	return atf_no_error();
}
