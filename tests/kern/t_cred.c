/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Process identity: pids, user and group ids, supplementary groups, the
 * file creation mask and kill(2).  Where the host can run the same calls
 * (as root, in a forked child), the results are compared with Linux's.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

#define KEEP	0xffffffffu	/* (uid_t)-1: leave the id unchanged */

static void
boot(int sigmodel)
{
	int error;

	if (sigmodel >= 0)
		rump_boot_setsigmodel(sigmodel);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Enter a new rump process, a child of the current one. */
static pid_t
enter_new_process(void)
{

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	return rump_sys_getpid();
}

/* Run one host fork of fn and return its exit status, or -1. */
static int
run_in_host_child(int (*fn)(void *), void *arg)
{
	pid_t pid;
	int status;

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0)
		_exit(fn(arg));
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* ------------------------------------------------------------------ */
/* Tables of id changes, run in rump and, as root, on the host. */

enum idop { SETUID, SETEUID, SETREUID, SETGID, SETEGID, SETREGID };

static const char *const idop_names[] = {
	"setuid", "seteuid", "setreuid", "setgid", "setegid", "setregid"
};

/* One call and what it must produce. */
struct idstep {
	enum idop	op;
	unsigned	a, b;
	int		err;		/* expected errno, 0 for success */
	unsigned	ruid, euid, rgid, egid;	/* expected ids after */
};

struct idresult {
	int		rv;
	int		err;
	unsigned	ruid, euid, rgid, egid;
};

static int
idop_host(enum idop op, unsigned a, unsigned b)
{

	switch (op) {
	case SETUID:	return setuid(a);
	case SETEUID:	return seteuid(a);
	case SETREUID:	return setreuid(a, b);
	case SETGID:	return setgid(a);
	case SETEGID:	return setegid(a);
	case SETREGID:	return setregid(a, b);
	}
	abort();
}

static int
idop_rump(enum idop op, unsigned a, unsigned b)
{

	switch (op) {
	case SETUID:	return rump_sys_setuid(a);
	case SETEUID:	return rump_sys_seteuid(a);
	case SETREUID:	return rump_sys_setreuid(a, b);
	case SETGID:	return rump_sys_setgid(a);
	case SETEGID:	return rump_sys_setegid(a);
	case SETREGID:	return rump_sys_setregid(a, b);
	}
	abort();
}

struct idrun {
	const struct idstep *steps;
	size_t		 nsteps;
	struct idresult	*results;
	int		 fd;
};

static int
idsteps_host_child(void *arg)
{
	struct idrun *run = arg;
	struct idresult r;
	size_t i;

	for (i = 0; i < run->nsteps; i++) {
		errno = 0;
		r.rv = idop_host(run->steps[i].op, run->steps[i].a,
		    run->steps[i].b);
		r.err = r.rv == -1 ? errno : 0;
		r.ruid = getuid();
		r.euid = geteuid();
		r.rgid = getgid();
		r.egid = getegid();
		if (write(run->fd, &r, sizeof(r)) != sizeof(r))
			return 1;
	}
	return 0;
}

/* Run the steps on the host as root; false when the host cannot. */
static bool
idsteps_run_host(const struct idstep *steps, size_t n, struct idresult *res)
{
	struct idrun run = { steps, n, res, -1 };
	int fds[2];
	size_t got = 0;
	ssize_t nread;

	if (geteuid() != 0) {
		printf("not root: no comparison with the host\n");
		return false;
	}
	ATF_REQUIRE_EQ(pipe(fds), 0);
	run.fd = fds[1];
	ATF_REQUIRE_EQ(run_in_host_child(idsteps_host_child, &run), 0);
	close(fds[1]);
	while (got < n * sizeof(*res) &&
	    (nread = read(fds[0], (char *)res + got, n * sizeof(*res) - got)) > 0)
		got += (size_t)nread;
	close(fds[0]);
	ATF_REQUIRE_EQ(got, n * sizeof(*res));
	return true;
}

/* Run the steps in a new rump process, which starts as root. */
static void
idsteps_run_rump(const struct idstep *steps, size_t n, struct idresult *res)
{
	size_t i;

	enter_new_process();
	for (i = 0; i < n; i++) {
		errno = 0;
		res[i].rv = idop_rump(steps[i].op, steps[i].a, steps[i].b);
		res[i].err = res[i].rv == -1 ? errno : 0;
		res[i].ruid = rump_sys_getuid();
		res[i].euid = rump_sys_geteuid();
		res[i].rgid = rump_sys_getgid();
		res[i].egid = rump_sys_getegid();
	}
	rump_pub_lwproc_releaselwp();
}

static void
idresult_check(const char *what, size_t i, const struct idstep *s,
    const struct idresult *got, const struct idresult *want)
{
	const char *name = idop_names[s->op];

	ATF_CHECK_EQ_MSG(got->rv, want->rv, "%s: step %zu %s(%d, %d): "
	    "returned %d, expected %d", what, i, name, (int)s->a, (int)s->b,
	    got->rv, want->rv);
	ATF_CHECK_EQ_MSG(got->err, want->err, "%s: step %zu %s(%d, %d): "
	    "errno %d, expected %d", what, i, name, (int)s->a, (int)s->b,
	    got->err, want->err);
	ATF_CHECK_MSG(got->ruid == want->ruid && got->euid == want->euid,
	    "%s: step %zu %s: uids %u/%u, expected %u/%u", what, i, name,
	    got->ruid, got->euid, want->ruid, want->euid);
	ATF_CHECK_MSG(got->rgid == want->rgid && got->egid == want->egid,
	    "%s: step %zu %s: gids %u/%u, expected %u/%u", what, i, name,
	    got->rgid, got->egid, want->rgid, want->egid);
}

/*
 * Run a table in rump and check every step against the table and, when
 * the host ran it too, against the host.
 */
static void
idsteps_check(const struct idstep *steps, size_t n)
{
	struct idresult *host, *rump;
	struct idresult want;
	bool have_host;
	size_t i;

	host = calloc(n, sizeof(*host));
	rump = calloc(n, sizeof(*rump));
	ATF_REQUIRE(host != NULL && rump != NULL);
	have_host = idsteps_run_host(steps, n, host);
	idsteps_run_rump(steps, n, rump);

	for (i = 0; i < n; i++) {
		want.rv = steps[i].err == 0 ? 0 : -1;
		want.err = steps[i].err;
		want.ruid = steps[i].ruid;
		want.euid = steps[i].euid;
		want.rgid = steps[i].rgid;
		want.egid = steps[i].egid;
		idresult_check("rump vs table", i, &steps[i], &rump[i], &want);
		if (have_host)
			idresult_check("rump vs host", i, &steps[i], &rump[i],
			    &host[i]);
	}
	free(host);
	free(rump);
}

#define CHECK_IDSTEPS(table) idsteps_check((table), sizeof(table) / sizeof((table)[0]))

/* ------------------------------------------------------------------ */

ATF_TC(pids);
ATF_TC_HEAD(pids, tc)
{
	atf_tc_set_md_var(tc, "descr", "getpid and getppid follow the "
	    "process tree");
}
ATF_TC_BODY(pids, tc)
{
	struct lwp *lchild;
	pid_t child, grandchild;

	boot(-1);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
	ATF_CHECK_EQ(rump_sys_getppid(), 0);

	child = enter_new_process();
	lchild = rump_pub_lwproc_curlwp();
	ATF_CHECK(child > 1);
	ATF_CHECK_EQ(rump_sys_getppid(), 1);
	grandchild = enter_new_process();
	ATF_CHECK(grandchild > 1 && grandchild != child);
	ATF_CHECK_EQ(rump_sys_getppid(), child);

	/* Releasing a process's last lwp leaves the implicit context. */
	rump_pub_lwproc_releaselwp();
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
	rump_pub_lwproc_switch(lchild);
	ATF_CHECK_EQ(rump_sys_getpid(), child);
	rump_pub_lwproc_releaselwp();
}

ATF_TC(ids_initial);
ATF_TC_HEAD(ids_initial, tc)
{
	atf_tc_set_md_var(tc, "descr", "processes start as root with no "
	    "supplementary groups");
}
ATF_TC_BODY(ids_initial, tc)
{

	boot(-1);
	ATF_CHECK_EQ(rump_sys_getuid(), 0);
	ATF_CHECK_EQ(rump_sys_geteuid(), 0);
	ATF_CHECK_EQ(rump_sys_getgid(), 0);
	ATF_CHECK_EQ(rump_sys_getegid(), 0);
	ATF_CHECK_EQ(rump_sys_getgroups(0, NULL), 0);
	enter_new_process();
	ATF_CHECK_EQ(rump_sys_getuid(), 0);
	ATF_CHECK_EQ(rump_sys_geteuid(), 0);
	rump_pub_lwproc_releaselwp();
}

ATF_TC(setuid_unprivileged);
ATF_TC_HEAD(setuid_unprivileged, tc)
{
	atf_tc_set_md_var(tc, "descr", "after setuid(1000) as root no call "
	    "gets uid 0 back");
}
ATF_TC_BODY(setuid_unprivileged, tc)
{
	static const struct idstep steps[] = {
		{ SETUID, 1000, 0, 0, 1000, 1000, 0, 0 },
		{ SETUID, 0, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETEUID, 0, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETREUID, 0, KEEP, EPERM, 1000, 1000, 0, 0 },
		{ SETREUID, KEEP, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETUID, 1000, 0, 0, 1000, 1000, 0, 0 },
		{ SETEUID, 1000, 0, 0, 1000, 1000, 0, 0 },
		{ SETREUID, KEEP, KEEP, 0, 1000, 1000, 0, 0 },
		{ SETUID, 2000, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETGID, 5, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETEGID, 5, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETREGID, 5, 5, EPERM, 1000, 1000, 0, 0 },
	};

	boot(-1);
	CHECK_IDSTEPS(steps);
}

ATF_TC(seteuid_and_back);
ATF_TC_HEAD(seteuid_and_back, tc)
{
	atf_tc_set_md_var(tc, "descr", "root drops its effective uid and "
	    "takes it back from the real and saved uid");
}
ATF_TC_BODY(seteuid_and_back, tc)
{
	static const struct idstep steps[] = {
		{ SETEUID, 1000, 0, 0, 0, 1000, 0, 0 },
		{ SETEUID, 0, 0, 0, 0, 0, 0, 0 },
		{ SETEUID, 2000, 0, 0, 0, 2000, 0, 0 },
		/* Unprivileged: only real (0) or saved (0) allowed. */
		{ SETUID, 3000, 0, EPERM, 0, 2000, 0, 0 },
		{ SETEUID, 3000, 0, EPERM, 0, 2000, 0, 0 },
		{ SETUID, 0, 0, 0, 0, 0, 0, 0 },
		/* Privileged again: setuid sets all three. */
		{ SETUID, 4000, 0, 0, 4000, 4000, 0, 0 },
		{ SETEUID, 0, 0, EPERM, 4000, 4000, 0, 0 },
	};

	boot(-1);
	CHECK_IDSTEPS(steps);
}

ATF_TC(setreuid_rules);
ATF_TC_HEAD(setreuid_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "setreuid allows the old real, "
	    "effective or saved uid and updates the saved uid");
}
ATF_TC_BODY(setreuid_rules, tc)
{
	static const struct idstep steps[] = {
		/* Root sets real 1000, effective 2000, saved 2000. */
		{ SETREUID, 1000, 2000, 0, 1000, 2000, 0, 0 },
		/* Effective back to real: saved stays 2000. */
		{ SETREUID, KEEP, 1000, 0, 1000, 1000, 0, 0 },
		/* Effective to saved. */
		{ SETREUID, KEEP, 2000, 0, 1000, 2000, 0, 0 },
		/* Real to the effective: saved becomes 2000. */
		{ SETREUID, 2000, KEEP, 0, 2000, 2000, 0, 0 },
		/* 1000 is no longer real, effective or saved. */
		{ SETREUID, 1000, KEEP, EPERM, 2000, 2000, 0, 0 },
		{ SETREUID, KEEP, 1000, EPERM, 2000, 2000, 0, 0 },
		{ SETEUID, 1000, 0, EPERM, 2000, 2000, 0, 0 },
		{ SETUID, 1000, 0, EPERM, 2000, 2000, 0, 0 },
	};

	boot(-1);
	CHECK_IDSTEPS(steps);
}

ATF_TC(setreuid_saved);
ATF_TC_HEAD(setreuid_saved, tc)
{
	atf_tc_set_md_var(tc, "descr", "setting the real uid saves the "
	    "effective uid, so root cannot come back");
}
ATF_TC_BODY(setreuid_saved, tc)
{
	static const struct idstep steps[] = {
		/* Effective 1000 != real 0: saved becomes 1000. */
		{ SETREUID, KEEP, 1000, 0, 0, 1000, 0, 0 },
		/* Back through the real uid, which is still 0. */
		{ SETEUID, 0, 0, 0, 0, 0, 0, 0 },
		/* seteuid keeps saved 0... */
		{ SETEUID, 1000, 0, 0, 0, 1000, 0, 0 },
		/* ...but setting the real uid saves effective 1000. */
		{ SETREUID, 1000, KEEP, 0, 1000, 1000, 0, 0 },
		{ SETEUID, 0, 0, EPERM, 1000, 1000, 0, 0 },
		{ SETREUID, 0, 0, EPERM, 1000, 1000, 0, 0 },
	};

	boot(-1);
	CHECK_IDSTEPS(steps);
}

ATF_TC(setgid_family);
ATF_TC_HEAD(setgid_family, tc)
{
	atf_tc_set_md_var(tc, "descr", "setgid, setegid and setregid follow "
	    "the uid rules, with privilege from the effective uid");
}
ATF_TC_BODY(setgid_family, tc)
{
	static const struct idstep steps[] = {
		{ SETGID, 100, 0, 0, 0, 0, 100, 100 },
		{ SETEGID, 200, 0, 0, 0, 0, 100, 200 },
		/* Real set: saved becomes the new effective 400. */
		{ SETREGID, 300, 400, 0, 0, 0, 300, 400 },
		{ SETUID, 1000, 0, 0, 1000, 1000, 300, 400 },
		/* Unprivileged now. */
		{ SETGID, 300, 0, 0, 1000, 1000, 300, 300 },
		{ SETGID, 500, 0, EPERM, 1000, 1000, 300, 300 },
		{ SETEGID, 400, 0, 0, 1000, 1000, 300, 400 },
		{ SETEGID, 100, 0, EPERM, 1000, 1000, 300, 400 },
		/* Effective back to real 300: saved stays 400. */
		{ SETREGID, KEEP, 300, 0, 1000, 1000, 300, 300 },
		/* The real gid may only become the real or effective one. */
		{ SETREGID, 400, KEEP, EPERM, 1000, 1000, 300, 300 },
		{ SETREGID, 300, 400, 0, 1000, 1000, 300, 400 },
		{ SETREGID, 400, KEEP, 0, 1000, 1000, 400, 400 },
		/* Real set: saved is now 400, so 300 is gone. */
		{ SETREGID, 500, KEEP, EPERM, 1000, 1000, 400, 400 },
		{ SETREGID, KEEP, 300, EPERM, 1000, 1000, 400, 400 },
	};

	boot(-1);
	CHECK_IDSTEPS(steps);
}

ATF_TC(id_minus_one);
ATF_TC_HEAD(id_minus_one, tc)
{
	atf_tc_set_md_var(tc, "descr", "-1 is EINVAL for setuid and seteuid, "
	    "'unchanged' for setreuid");
}
ATF_TC_BODY(id_minus_one, tc)
{
	static const struct idstep steps[] = {
		{ SETUID, KEEP, 0, EINVAL, 0, 0, 0, 0 },
		{ SETEUID, KEEP, 0, EINVAL, 0, 0, 0, 0 },
		{ SETGID, KEEP, 0, EINVAL, 0, 0, 0, 0 },
		{ SETEGID, KEEP, 0, EINVAL, 0, 0, 0, 0 },
		{ SETREUID, KEEP, KEEP, 0, 0, 0, 0, 0 },
		{ SETREGID, KEEP, KEEP, 0, 0, 0, 0, 0 },
		/* Large ids other than -1 are valid. */
		{ SETREGID, 0xfffffffeu, KEEP, 0, 0, 0, 0xfffffffeu, 0 },
		{ SETUID, 0xfffffffeu, 0, 0, 0xfffffffeu, 0xfffffffeu,
		    0xfffffffeu, 0 },
		{ SETUID, KEEP, 0, EINVAL, 0xfffffffeu, 0xfffffffeu,
		    0xfffffffeu, 0 },
	};

	boot(-1);
	CHECK_IDSTEPS(steps);
}

/* ------------------------------------------------------------------ */
/* Supplementary groups. */

struct groups_result {
	int	set_rv, set_err;
	int	count;
	int	get_rv, get_err;
	gid_t	groups[8];
	int	small_rv, small_err;
	int	neg_rv, neg_err;
	int	big_rv, big_err;
	int	efault_rv, efault_err;
	int	unpriv_rv, unpriv_err;
	int	unpriv_big_rv, unpriv_big_err;
	int	unpriv_count;
};

static const gid_t groups_in[] = { 30, 10, 20, 10, 0 };

/* The same sequence of calls through either the host or the rump kernel. */
struct groups_ops {
	int	(*setgroups)(size_t, const gid_t *);
	int	(*getgroups)(int, gid_t *);
	int	(*setuid)(uid_t);
};

static int
host_setgroups(size_t n, const gid_t *list)
{

	return setgroups(n, list);
}

static const struct groups_ops groups_host_ops = {
	host_setgroups, getgroups, setuid
};
static const struct groups_ops groups_rump_ops = {
	rump_sys_setgroups, rump_sys_getgroups, rump_sys_setuid
};

static void
groups_sequence(const struct groups_ops *ops, struct groups_result *r)
{
	gid_t buf[8];

	memset(r, 0, sizeof(*r));
#define CALL(rv, err, call) do {					\
	errno = 0;							\
	(rv) = (call);							\
	(err) = (rv) == -1 ? errno : 0;					\
} while (0)
	CALL(r->set_rv, r->set_err, ops->setgroups(5, groups_in));
	r->count = ops->getgroups(0, NULL);
	CALL(r->get_rv, r->get_err, ops->getgroups(8, r->groups));
	CALL(r->small_rv, r->small_err, ops->getgroups(2, buf));
	CALL(r->neg_rv, r->neg_err, ops->getgroups(-1, buf));
	CALL(r->big_rv, r->big_err,
	    ops->setgroups((size_t)NGROUPS_MAX + 1, groups_in));
	CALL(r->efault_rv, r->efault_err, ops->setgroups(2, NULL));
	ops->setuid(1000);
	CALL(r->unpriv_rv, r->unpriv_err, ops->setgroups(1, groups_in));
	CALL(r->unpriv_big_rv, r->unpriv_big_err,
	    ops->setgroups((size_t)NGROUPS_MAX + 1, groups_in));
	r->unpriv_count = ops->getgroups(0, NULL);
#undef CALL
}

static int
groups_host_child(void *arg)
{
	int fd = *(int *)arg;
	struct groups_result r;

	groups_sequence(&groups_host_ops, &r);
	return write(fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
}

ATF_TC(groups);
ATF_TC_HEAD(groups, tc)
{
	atf_tc_set_md_var(tc, "descr", "setgroups and getgroups: sorted "
	    "list, counts, EINVAL, EFAULT and EPERM as on Linux");
}
ATF_TC_BODY(groups, tc)
{
	static const gid_t sorted[] = { 0, 10, 10, 20, 30 };
	struct groups_result host, rump;
	int fds[2];
	size_t i;

	boot(-1);
	enter_new_process();
	groups_sequence(&groups_rump_ops, &rump);
	rump_pub_lwproc_releaselwp();

	ATF_CHECK_EQ(rump.set_rv, 0);
	ATF_CHECK_EQ(rump.count, 5);
	ATF_CHECK_EQ(rump.get_rv, 5);
	for (i = 0; i < 5; i++)
		ATF_CHECK_EQ_MSG(rump.groups[i], sorted[i],
		    "group %zu: %u, expected %u", i, rump.groups[i],
		    sorted[i]);
	ATF_CHECK_EQ(rump.small_rv, -1);
	ATF_CHECK_EQ(rump.small_err, EINVAL);
	ATF_CHECK_EQ(rump.neg_rv, -1);
	ATF_CHECK_EQ(rump.neg_err, EINVAL);
	ATF_CHECK_EQ(rump.big_rv, -1);
	ATF_CHECK_EQ(rump.big_err, EINVAL);
	ATF_CHECK_EQ(rump.efault_rv, -1);
	ATF_CHECK_EQ(rump.efault_err, EFAULT);
	ATF_CHECK_EQ(rump.unpriv_rv, -1);
	ATF_CHECK_EQ(rump.unpriv_err, EPERM);
	ATF_CHECK_EQ(rump.unpriv_big_rv, -1);
	ATF_CHECK_EQ(rump.unpriv_big_err, EPERM);
	ATF_CHECK_EQ(rump.unpriv_count, 5);

	if (geteuid() != 0) {
		printf("not root: no comparison with the host\n");
		return;
	}
	ATF_REQUIRE_EQ(pipe(fds), 0);
	ATF_REQUIRE_EQ(run_in_host_child(groups_host_child, &fds[1]), 0);
	close(fds[1]);
	ATF_REQUIRE_EQ(read(fds[0], &host, sizeof(host)), sizeof(host));
	close(fds[0]);
	ATF_CHECK_MSG(memcmp(&host, &rump, sizeof(host)) == 0,
	    "setgroups/getgroups results differ from the host's");
}

ATF_TC(groups_max);
ATF_TC_HEAD(groups_max, tc)
{
	atf_tc_set_md_var(tc, "descr", "NGROUPS_MAX groups round-trip, "
	    "sorted, and one more is EINVAL");
}
ATF_TC_BODY(groups_max, tc)
{
	gid_t *in, *out;
	size_t i, n = NGROUPS_MAX;

	in = calloc(n + 1, sizeof(*in));
	out = calloc(n + 1, sizeof(*out));
	ATF_REQUIRE(in != NULL && out != NULL);
	for (i = 0; i <= n; i++)
		in[i] = (gid_t)(3 * (n - i));

	boot(-1);
	ATF_CHECK_EQ(rump_sys_setgroups(n, in), 0);
	ATF_CHECK_EQ(rump_sys_getgroups(0, NULL), (int)n);
	ATF_CHECK_EQ(rump_sys_getgroups((int)n, out), (int)n);
	for (i = 0; i < n; i++) {
		if (out[i] != 3 * (i + 1)) {
			atf_tc_fail("group %zu is %u, expected %zu", i,
			    out[i], 3 * (i + 1));
			break;
		}
	}

	errno = 0;
	ATF_CHECK_EQ(rump_sys_setgroups(n + 1, in), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(rump_sys_getgroups(0, NULL), (int)n);

	/* An empty list. */
	ATF_CHECK_EQ(rump_sys_setgroups(0, NULL), 0);
	ATF_CHECK_EQ(rump_sys_getgroups(0, NULL), 0);
	ATF_CHECK_EQ(rump_sys_getgroups(4, NULL), 0);
	free(in);
	free(out);
}

ATF_TC(cred_per_process);
ATF_TC_HEAD(cred_per_process, tc)
{
	atf_tc_set_md_var(tc, "descr", "a child inherits its parent's "
	    "credential and changes only its own");
}
ATF_TC_BODY(cred_per_process, tc)
{
	static const gid_t groups[] = { 7, 8 };
	gid_t out[4];
	struct lwp *parent;

	boot(-1);
	enter_new_process();
	parent = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_sys_setgroups(2, groups), 0);
	ATF_REQUIRE_EQ(rump_sys_setgid(50), 0);
	ATF_REQUIRE_EQ(rump_sys_seteuid(500), 0);

	/* The child starts with the parent's identity. */
	enter_new_process();
	ATF_CHECK_EQ(rump_sys_getuid(), 0);
	ATF_CHECK_EQ(rump_sys_geteuid(), 500);
	ATF_CHECK_EQ(rump_sys_getgid(), 50);
	ATF_CHECK_EQ(rump_sys_getgroups(4, out), 2);
	ATF_CHECK(out[0] == 7 && out[1] == 8);

	/* Its changes stay its own. */
	ATF_CHECK_EQ(rump_sys_seteuid(0), 0);
	ATF_CHECK_EQ(rump_sys_setuid(900), 0);
	ATF_CHECK_EQ(rump_sys_getuid(), 900);
	rump_pub_lwproc_releaselwp();

	rump_pub_lwproc_switch(parent);
	ATF_CHECK_EQ(rump_sys_getuid(), 0);
	ATF_CHECK_EQ(rump_sys_geteuid(), 500);
	rump_pub_lwproc_releaselwp();

	/* The init process is untouched. */
	ATF_CHECK_EQ(rump_sys_geteuid(), 0);
	ATF_CHECK_EQ(rump_sys_getgroups(0, NULL), 0);
}

ATF_TC(cred_shared_by_lwps);
ATF_TC_HEAD(cred_shared_by_lwps, tc)
{
	atf_tc_set_md_var(tc, "descr", "an id change by one lwp reaches the "
	    "other lwps of the process at their next call");
}
ATF_TC_BODY(cred_shared_by_lwps, tc)
{
	struct lwp *l1, *l2;
	pid_t pid;

	boot(-1);
	pid = enter_new_process();
	l1 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), 0);
	l2 = rump_pub_lwproc_curlwp();
	ATF_CHECK_EQ(rump_sys_geteuid(), 0);

	rump_pub_lwproc_switch(l1);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	ATF_CHECK_EQ(rump_sys_getuid(), 1000);

	rump_pub_lwproc_switch(l2);
	ATF_CHECK_EQ(rump_sys_getuid(), 1000);
	ATF_CHECK_EQ(rump_sys_geteuid(), 1000);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_setuid(0), -1);
	ATF_CHECK_EQ(errno, EPERM);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(l1);
	rump_pub_lwproc_releaselwp();
}

/* Concurrent id changes by the lwps of one process lose no update. */
struct idchanger {
	struct lwp	*l;
	gid_t		 gid;
	int		 failures;
};

static void *
idchanger_main(void *arg)
{
	struct idchanger *c = arg;
	int i;

	rump_pub_lwproc_switch(c->l);
	for (i = 0; i < 200; i++) {
		if (rump_sys_setegid(c->gid) != 0)
			c->failures++;
		if (rump_sys_setegid(0) != 0)
			c->failures++;
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(cred_concurrent);
ATF_TC_HEAD(cred_concurrent, tc)
{
	atf_tc_set_md_var(tc, "descr", "lwps of one process change ids at "
	    "the same time without losing the process's identity");
}
ATF_TC_BODY(cred_concurrent, tc)
{
	struct idchanger c[4];
	pthread_t t[4];
	pid_t pid;
	int i;

	boot(-1);
	pid = enter_new_process();
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), 0);
		c[i].l = rump_pub_lwproc_curlwp();
		c[i].gid = 100 + i;
		c[i].failures = 0;
	}
	rump_pub_lwproc_switch(NULL);
	for (i = 0; i < 4; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, idchanger_main,
		    &c[i]), 0);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
		ATF_CHECK_EQ_MSG(c[i].failures, 0, "lwp %d: %d failed calls",
		    i, c[i].failures);
	}

	/* The process is still root, with every lwp's last change made. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), 0);
	ATF_CHECK_EQ(rump_sys_getuid(), 0);
	ATF_CHECK_EQ(rump_sys_geteuid(), 0);
	ATF_CHECK_EQ(rump_sys_getegid(), 0);
	rump_pub_lwproc_releaselwp();
}

/* ------------------------------------------------------------------ */
/* umask */

struct umask_result {
	mode_t	first, second, third, fourth;
};

static int
umask_host_child(void *arg)
{
	int fd = *(int *)arg;
	struct umask_result r;

	umask(022);
	r.first = umask(027);
	r.second = umask(07777);
	r.third = umask(0);
	r.fourth = umask(022);
	return write(fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
}

ATF_TC(umask);
ATF_TC_HEAD(umask, tc)
{
	atf_tc_set_md_var(tc, "descr", "umask returns the old mask, keeps "
	    "the permission bits and is inherited");
}
ATF_TC_BODY(umask, tc)
{
	struct umask_result host, rump;
	struct lwp *parent;
	int fds[2];

	boot(-1);
	enter_new_process();
	parent = rump_pub_lwproc_curlwp();
	ATF_CHECK_EQ(rump_sys_umask(022), 022);
	rump.first = rump_sys_umask(027);
	rump.second = rump_sys_umask(07777);
	rump.third = rump_sys_umask(0);
	rump.fourth = rump_sys_umask(022);
	ATF_CHECK_EQ(rump.first, 022);
	ATF_CHECK_EQ(rump.second, 027);
	ATF_CHECK_EQ(rump.third, 0777);
	ATF_CHECK_EQ(rump.fourth, 0);

	/* Inherited by a child, which changes only its own. */
	ATF_CHECK_EQ(rump_sys_umask(077), 022);
	enter_new_process();
	ATF_CHECK_EQ(rump_sys_umask(0), 077);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	ATF_CHECK_EQ(rump_sys_umask(022), 077);

	ATF_REQUIRE_EQ(pipe(fds), 0);
	ATF_REQUIRE_EQ(run_in_host_child(umask_host_child, &fds[1]), 0);
	close(fds[1]);
	ATF_REQUIRE_EQ(read(fds[0], &host, sizeof(host)), sizeof(host));
	close(fds[0]);
	ATF_CHECK_EQ(rump.first, host.first);
	ATF_CHECK_EQ(rump.second, host.second);
	ATF_CHECK_EQ(rump.third, host.third);
	ATF_CHECK_EQ(rump.fourth, host.fourth);
	rump_pub_lwproc_releaselwp();
}

/* ------------------------------------------------------------------ */
/* kill */

static void
check_kill(pid_t pid, int sig, int err, int line)
{
	int rv;

	errno = 0;
	rv = rump_sys_kill(pid, sig);
	if (err == 0)
		ATF_CHECK_MSG(rv == 0, "line %d: kill(%d, %d) failed: %s",
		    line, pid, sig, strerror(errno));
	else
		ATF_CHECK_MSG(rv == -1 && errno == err, "line %d: kill(%d, "
		    "%d) returned %d, errno %d (%s), expected errno %d (%s)",
		    line, pid, sig, rv, errno, strerror(errno), err,
		    strerror(err));
}
#define CHECK_KILL(pid, sig, err) check_kill((pid), (sig), (err), __LINE__)

ATF_TC(kill_errors);
ATF_TC_HEAD(kill_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "kill checks the signal number and "
	    "finds processes by pid");
}
ATF_TC_BODY(kill_errors, tc)
{
	struct lwp *lself;
	pid_t self;

	boot(RUMP_SIGMODEL_RECORD);
	self = enter_new_process();
	CHECK_KILL(self, 0, 0);
	CHECK_KILL(0, 0, 0);
	CHECK_KILL(1, 0, 0);
	CHECK_KILL(self, 65, EINVAL);
	CHECK_KILL(self, -1, EINVAL);
	CHECK_KILL(0, 65, EINVAL);
	CHECK_KILL(1, INT_MAX, EINVAL);
	CHECK_KILL(30000, 0, ESRCH);
	CHECK_KILL(99999, 0, ESRCH);
	CHECK_KILL(-2, 0, ESRCH);
	CHECK_KILL(-self, 0, ESRCH);
	CHECK_KILL(INT_MIN, 0, ESRCH);

	/* As on Linux, a missing target comes before a bad signal. */
	CHECK_KILL(99999, 65, ESRCH);
	CHECK_KILL(99999, -1, ESRCH);
	CHECK_KILL(-2, 65, ESRCH);
	/* kill(-1) with no target is ESRCH, with one EINVAL. */
	CHECK_KILL(-1, 65, ESRCH);
	lself = rump_pub_lwproc_curlwp();
	enter_new_process();
	CHECK_KILL(-1, 65, EINVAL);
	CHECK_KILL(-1, -1, EINVAL);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lself);

	/* Signals are posted; with the record model they stay pending. */
	CHECK_KILL(self, SIGUSR1, 0);
	CHECK_KILL(0, 64, 0);
	rump_pub_lwproc_releaselwp();

	/* The host agrees on the signal range. */
	errno = 0;
	ATF_CHECK_EQ(kill(getpid(), 65), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	errno = 0;
	ATF_CHECK_EQ(kill(getpid(), -1), -1);
	ATF_CHECK_EQ(errno, EINVAL);
}

ATF_TC(kill_permission);
ATF_TC_HEAD(kill_permission, tc)
{
	atf_tc_set_md_var(tc, "descr", "kill needs privilege or a real or "
	    "effective uid equal to the target's real or saved uid");
}
ATF_TC_BODY(kill_permission, tc)
{
	struct lwp *lu1000, *lu2000, *lroot;
	pid_t u1000, u2000, eonly, ronly;

	boot(RUMP_SIGMODEL_RECORD);

	/* A process that only has effective uid 1000: real and saved 0. */
	eonly = enter_new_process();
	ATF_REQUIRE_EQ(rump_sys_seteuid(1000), 0);
	/* One with real uid 1000 and effective and saved 0. */
	rump_pub_lwproc_switch(NULL);
	ronly = enter_new_process();
	ATF_REQUIRE_EQ(rump_sys_setreuid(1000, 0), 0);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 1000);

	rump_pub_lwproc_switch(NULL);
	u2000 = enter_new_process();
	lu2000 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_sys_setuid(2000), 0);

	rump_pub_lwproc_switch(NULL);
	u1000 = enter_new_process();
	lu1000 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);

	rump_pub_lwproc_switch(NULL);
	enter_new_process();
	lroot = rump_pub_lwproc_curlwp();

	/* uid 1000 may signal itself and real uid 1000. */
	rump_pub_lwproc_switch(lu1000);
	CHECK_KILL(u1000, 0, 0);
	CHECK_KILL(ronly, 0, 0);
	CHECK_KILL(ronly, SIGUSR1, 0);
	/* Not a process that has 1000 only as effective uid. */
	CHECK_KILL(eonly, 0, EPERM);
	CHECK_KILL(eonly, SIGUSR1, EPERM);
	CHECK_KILL(u2000, 0, EPERM);
	CHECK_KILL(1, 0, EPERM);
	CHECK_KILL(99999, 0, ESRCH);
	/* Linux reports success for -1 even when every target refused. */
	CHECK_KILL(-1, 0, 0);
	CHECK_KILL(-1, SIGUSR1, 0);

	/* Root may signal anyone. */
	rump_pub_lwproc_switch(lroot);
	CHECK_KILL(u1000, 0, 0);
	CHECK_KILL(u2000, SIGUSR2, 0);
	CHECK_KILL(1, 0, 0);

	rump_pub_lwproc_switch(lu2000);
	CHECK_KILL(u1000, 0, EPERM);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lu1000);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lroot);
	rump_pub_lwproc_releaselwp();
}

static int
kill_all_host_child(void *arg)
{

	(void)arg;
	if (setuid(4242) != 0)
		return 2;
	/* Every host process refuses uid 4242, yet the call succeeds. */
	return kill(-1, 0) == 0 ? 0 : 1;
}

ATF_TC(kill_all);
ATF_TC_HEAD(kill_all, tc)
{
	atf_tc_set_md_var(tc, "descr", "kill(-1) skips pids 0 and 1 and the "
	    "caller, and is ESRCH only with no other process");
}
ATF_TC_BODY(kill_all, tc)
{
	struct lwp *first;

	boot(RUMP_SIGMODEL_RECORD);

	/* From init (pid 1): proc0 and init itself do not count. */
	CHECK_KILL(-1, 0, ESRCH);

	enter_new_process();
	first = rump_pub_lwproc_curlwp();
	CHECK_KILL(-1, 0, ESRCH);
	CHECK_KILL(-1, SIGUSR1, ESRCH);

	/* With a second process there is a target. */
	enter_new_process();
	ATF_REQUIRE_EQ(rump_sys_setuid(3000), 0);
	CHECK_KILL(-1, 0, 0);
	rump_pub_lwproc_switch(first);
	CHECK_KILL(-1, 0, 0);
	CHECK_KILL(-1, SIGUSR1, 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(2000), 0);
	/* Only the uid 3000 process is a target, and it refuses. */
	CHECK_KILL(-1, 0, 0);
	rump_pub_lwproc_releaselwp();

	if (geteuid() == 0)
		ATF_CHECK_EQ_MSG(run_in_host_child(kill_all_host_child, NULL),
		    0, "the host's kill(-1, 0) as uid 4242 failed");
}

/* An lwp that sleeps in nanosleep in its own thread. */
struct sleeper {
	struct lwp	*l;
	long		 msec;
	int		 rv;
	int		 err;
	double		 elapsed;
};

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	struct timespec req;
	double start;

	req.tv_sec = s->msec / 1000;
	req.tv_nsec = (s->msec % 1000) * 1000000;
	rump_pub_lwproc_switch(s->l);
	start = now_sec();
	errno = 0;
	s->rv = rump_sys_nanosleep(&req, NULL);
	s->err = errno;
	s->elapsed = now_sec() - start;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

ATF_TC(kill_delivers);
ATF_TC_HEAD(kill_delivers, tc)
{
	atf_tc_set_md_var(tc, "descr", "a permitted kill interrupts a "
	    "sleeping process, a refused one does not");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(kill_delivers, tc)
{
	struct sleeper victim, bystander;
	pthread_t tv, tb;
	pid_t pv, pb;

	boot(RUMP_SIGMODEL_RECORD);

	pv = enter_new_process();
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	victim.l = rump_pub_lwproc_curlwp();
	victim.msec = 20000;
	rump_pub_lwproc_switch(NULL);
	pb = enter_new_process();
	ATF_REQUIRE_EQ(rump_sys_setuid(2000), 0);
	bystander.l = rump_pub_lwproc_curlwp();
	bystander.msec = 500;
	rump_pub_lwproc_switch(NULL);

	ATF_REQUIRE_EQ(pthread_create(&tv, NULL, sleeper_main, &victim), 0);
	ATF_REQUIRE_EQ(pthread_create(&tb, NULL, sleeper_main, &bystander),
	    0);
	usleep(100000);

	/* A uid 1000 process may signal the victim, not the bystander. */
	enter_new_process();
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	CHECK_KILL(pv, SIGUSR1, 0);
	CHECK_KILL(pb, SIGUSR1, EPERM);
	rump_pub_lwproc_releaselwp();

	ATF_REQUIRE_EQ(pthread_join(tv, NULL), 0);
	ATF_REQUIRE_EQ(pthread_join(tb, NULL), 0);
	ATF_CHECK_EQ(victim.rv, -1);
	ATF_CHECK_EQ(victim.err, EINTR);
	ATF_CHECK_MSG(victim.elapsed < 15, "victim slept %.3f s",
	    victim.elapsed);
	ATF_CHECK_EQ(bystander.rv, 0);
	ATF_CHECK_MSG(bystander.elapsed >= 0.5, "bystander slept %.3f s",
	    bystander.elapsed);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, pids);
	ATF_TP_ADD_TC(tp, ids_initial);
	ATF_TP_ADD_TC(tp, setuid_unprivileged);
	ATF_TP_ADD_TC(tp, seteuid_and_back);
	ATF_TP_ADD_TC(tp, setreuid_rules);
	ATF_TP_ADD_TC(tp, setreuid_saved);
	ATF_TP_ADD_TC(tp, setgid_family);
	ATF_TP_ADD_TC(tp, id_minus_one);
	ATF_TP_ADD_TC(tp, groups);
	ATF_TP_ADD_TC(tp, groups_max);
	ATF_TP_ADD_TC(tp, cred_per_process);
	ATF_TP_ADD_TC(tp, cred_shared_by_lwps);
	ATF_TP_ADD_TC(tp, cred_concurrent);
	ATF_TP_ADD_TC(tp, umask);
	ATF_TP_ADD_TC(tp, kill_errors);
	ATF_TP_ADD_TC(tp, kill_permission);
	ATF_TP_ADD_TC(tp, kill_all);
	ATF_TP_ADD_TC(tp, kill_delivers);
	return atf_no_error();
}
