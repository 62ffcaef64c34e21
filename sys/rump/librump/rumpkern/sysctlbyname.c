/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump_sysctlbyname: sysctlbyname(3) for a rump kernel.
 *
 * The dotted name is turned into a MIB one component at a time: a
 * decimal component is taken as the MIB number itself, and a name is
 * looked up in the CTL_QUERY listing of its parent.  Then one __sysctl
 * call reads and writes the node.
 *
 * The file uses nothing of the kernel but the __sysctl system call, made
 * through rsys_syscall as the rump_sys_* stubs make it, so it can also
 * be built into the remote client library.  It cannot call
 * rump_sys___sysctl itself, because kernel code has no access to the
 * host errno that the stub would report the error in.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <lib/libkern/libkern.h>

#include <rump/rumpdefs.h>
#include <rump/rumpuser.h>
#include <rump-sys/rsys.h>

int	rump_sysctlbyname(const char *, void *, size_t *, const void *, size_t);

/* The kernel's CTL_MAXNAME: the longest MIB __sysctl accepts. */
#define MIB_MAXLEN	12

/* Maximum length of a node name, without the NUL. */
#define NODE_NAMEMAX	(sizeof(((struct rump_sysctlnode *)0)->sn_name) - 1)

/* CTL_QUERY replies of up to this many entries need no heap buffer. */
#define QUERY_STACKENTRIES 32

#define INT_MAX		__INT_MAX__

/*
 * NOTE: the heap buffer for long CTL_QUERY replies comes from the
 * hypervisor; a build into the remote client library must use malloc.
 */
static void *
sysctlbyname_alloc(size_t size)
{
	void *mem;

	if (rumpuser_malloc(size, 0, &mem) != 0)
		return NULL;
	return mem;
}

static void
sysctlbyname_free(void *mem, size_t size)
{

	rumpuser_free(mem, size);
}

/* Make a __sysctl call; returns 0 or an errno value. */
static int
sysctlbyname_call(const int *mib, u_int miblen, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct sys___sysctl_args args;
	register_t retval[2] = { 0, 0 };

	memset(&args, 0, sizeof(args));
	SCARG(&args, name) = mib;
	SCARG(&args, namelen) = miblen;
	SCARG(&args, oldp) = oldp;
	SCARG(&args, oldlenp) = oldlenp;
	SCARG(&args, newp) = newp;
	SCARG(&args, newlen) = newlen;
	return rsys_syscall(SYS___sysctl, &args, sizeof(args), retval);
}

/*
 * Find the MIB number of the child named comp (len bytes) of the node
 * whose MIB is mib[0 .. depth - 1], which must leave room for one more
 * element.  Returns 0, ENOENT, or the error of the CTL_QUERY call.
 */
static int
sysctlbyname_child(int *mib, u_int depth, const char *comp, size_t len,
    int *nump)
{
	struct rump_sysctlnode stackbuf[QUERY_STACKENTRIES];
	struct rump_sysctlnode *nodes = stackbuf;
	size_t bufsize = sizeof(stackbuf), heapsize = 0, replylen, i;
	int error;

	if (len > NODE_NAMEMAX)
		return ENOENT;

	/* Ask for the listing; when it has grown past the buffer, retry. */
	mib[depth] = RUMP_CTL_QUERY;
	for (;;) {
		replylen = bufsize;
		error = sysctlbyname_call(mib, depth + 1, nodes, &replylen,
		    NULL, 0);
		if (error != ENOMEM)
			break;
		if (heapsize > 0)
			sysctlbyname_free(nodes, heapsize);
		heapsize = replylen + 4 * sizeof(*nodes);
		nodes = sysctlbyname_alloc(heapsize);
		if (nodes == NULL)
			return ENOMEM;
		bufsize = heapsize;
	}

	if (error == 0) {
		error = ENOENT;
		for (i = 0; i < replylen / sizeof(*nodes); i++) {
			if (strncmp(nodes[i].sn_name, comp, len) == 0 &&
			    nodes[i].sn_name[len] == '\0') {
				*nump = nodes[i].sn_num;
				error = 0;
				break;
			}
		}
	}
	if (heapsize > 0)
		sysctlbyname_free(nodes, heapsize);
	return error;
}

/*
 * Parse a decimal component of len bytes into *nump.  Returns 0, EINVAL
 * when it is not a number, or ENOENT when it is too large to be a MIB
 * number.
 */
static int
sysctlbyname_number(const char *comp, size_t len, int *nump)
{
	long long num = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (comp[i] < '0' || comp[i] > '9')
			return EINVAL;
		num = num * 10 + (comp[i] - '0');
		if (num > INT_MAX)
			return ENOENT;
	}
	*nump = (int)num;
	return 0;
}

/* Translate the dotted name into mib[0 .. *miblenp - 1]. */
static int
sysctlbyname_resolve(const char *name, int *mib, u_int *miblenp)
{
	const char *comp, *dot;
	u_int depth = 0;
	size_t len;
	int error;

	if (name == NULL)
		return EFAULT;
	if (name[0] == '\0')
		return EINVAL;

	for (comp = name;; comp = dot + 1) {
		dot = strchr(comp, '.');
		len = dot != NULL ? (size_t)(dot - comp) : strlen(comp);
		if (len == 0)
			return EINVAL;

		/*
		 * A MIB of depth + 1 elements: the node's own, or its
		 * parent's followed by CTL_QUERY to look its name up.
		 */
		if (depth >= MIB_MAXLEN)
			return EINVAL;

		if (comp[0] >= '0' && comp[0] <= '9')
			error = sysctlbyname_number(comp, len, &mib[depth]);
		else
			error = sysctlbyname_child(mib, depth, comp, len,
			    &mib[depth]);
		if (error != 0)
			return error;
		depth++;
		if (dot == NULL)
			break;
	}
	*miblenp = depth;
	return 0;
}

int
rump_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	int mib[MIB_MAXLEN];
	u_int miblen;
	int error;

	error = sysctlbyname_resolve(name, mib, &miblen);
	if (error == 0)
		error = sysctlbyname_call(mib, miblen, oldp, oldlenp, newp,
		    newlen);
	if (error != 0) {
		rsys_seterrno(error);
		return -1;
	}
	return 0;
}
