/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's names: system name, release, version and machine, which
 * are fixed at build time, and the host and domain names, which the boot
 * code and privileged callers set.  uname(2), sethostname(2) and
 * setdomainname(2) behave as on Linux, and the sysctl nodes kern.ostype,
 * kern.osrelease, kern.version, kern.hostname, kern.domainname and
 * hw.machine show the same names.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mutex.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <sys/version.h>
#include <sys/syscallargs.h>

/*
 * uts_lock protects hostname, hostnamelen and domainname once other
 * threads run.  Lock order: the sysctl tree lock before uts_lock.
 */
static kmutex_t uts_lock;

char hostname[MAXHOSTNAMELEN + 1];
size_t hostnamelen;
/* Linux reports "(none)" for a domain name that was never set. */
char domainname[MAXHOSTNAMELEN + 1] = "(none)";

const char ostype[] = RUMP_OSTYPE;
const char osrelease[] = RUMP_OSRELEASE;
const char osversion[] = RUMP_OSTYPE " " RUMP_OSRELEASE;
const char machine[] = RUMP_MACHINE;

CTASSERT(MAXHOSTNAMELEN + 1 <= _UTSNAME_LENGTH);

void
hostname_set(const char *name)
{

	hostnamelen = strnlen(name, MAXHOSTNAMELEN);
	memcpy(hostname, name, hostnamelen);
	memset(hostname + hostnamelen, 0, sizeof(hostname) - hostnamelen);
}

int
sys_uname(struct lwp *l, const struct sys_uname_args *uap, register_t *retval)
{
	struct utsname uts;

	memset(&uts, 0, sizeof(uts));
	strlcpy(uts.sysname, ostype, sizeof(uts.sysname));
	strlcpy(uts.release, osrelease, sizeof(uts.release));
	strlcpy(uts.version, osversion, sizeof(uts.version));
	strlcpy(uts.machine, machine, sizeof(uts.machine));
	mutex_enter(&uts_lock);
	strlcpy(uts.nodename, hostname, sizeof(uts.nodename));
	strlcpy(uts.domainname, domainname, sizeof(uts.domainname));
	mutex_exit(&uts_lock);

	return copyout(&uts, SCARG(uap, buf), sizeof(uts));
}

/*
 * Set name (hostname or domainname) to the len bytes at the caller's
 * uname.  As on Linux, the bytes need no NUL and are stored as given,
 * with the rest of the buffer cleared, so an embedded NUL ends the name
 * early.  Stores the name's length in *lenp when lenp is not NULL.
 */
static int
uts_setname(struct lwp *l, const char *uname, size_t len, char *name,
    size_t *lenp)
{
	char buf[MAXHOSTNAMELEN];
	int error;

	/* Linux checks the privilege before the length. */
	if (!kauth_cred_privileged(l->l_cred))
		return EPERM;
	if (len > MAXHOSTNAMELEN)
		return EINVAL;
	if (len > 0) {
		error = copyin(uname, buf, len);
		if (error != 0)
			return error;
	}

	mutex_enter(&uts_lock);
	memcpy(name, buf, len);
	memset(name + len, 0, MAXHOSTNAMELEN + 1 - len);
	if (lenp != NULL)
		*lenp = strnlen(name, len);
	mutex_exit(&uts_lock);
	return 0;
}

int
sys_sethostname(struct lwp *l, const struct sys_sethostname_args *uap,
    register_t *retval)
{

	return uts_setname(l, SCARG(uap, name), SCARG(uap, len), hostname,
	    &hostnamelen);
}

int
sys_setdomainname(struct lwp *l, const struct sys_setdomainname_args *uap,
    register_t *retval)
{

	return uts_setname(l, SCARG(uap, name), SCARG(uap, len), domainname,
	    NULL);
}

/*
 * sysctl handler of kern.hostname and kern.domainname: copies the name
 * under uts_lock and keeps hostnamelen up to date.  The generic code has
 * already checked the length and privilege of a new name.
 */
static int
uts_sysctl_name(const struct sysctlnode *node, int op, void *buf,
    size_t *lenp)
{
	char *name = node->sysctl_data;
	size_t len;

	mutex_enter(&uts_lock);
	if (op == SYSCTL_GET) {
		len = strnlen(name, MAXHOSTNAMELEN);
		memcpy(buf, name, len);
		((char *)buf)[len] = '\0';
		*lenp = len + 1;
	} else {
		KASSERT(*lenp >= 1 && *lenp <= MAXHOSTNAMELEN + 1);
		len = *lenp - 1;
		memcpy(name, buf, len);
		memset(name + len, 0, MAXHOSTNAMELEN + 1 - len);
		if (name == hostname)
			hostnamelen = len;
	}
	mutex_exit(&uts_lock);
	return 0;
}

/* Add a node for one name; the names are needed, so panic on failure. */
static void
uts_sysctl_create(const char *parent, int num, const char *name,
    u_int flags, void *data, size_t size, sysctl_handler_t func,
    const char *desc)
{
	int error;

	error = sysctl_create(parent, num, name, CTLTYPE_STRING, flags,
	    data, size, func, desc);
	if (error != 0)
		panic("uname_init: cannot create %s.%s: error %d",
		    parent, name, error);
}

void
uname_init(void)
{

	mutex_init(&uts_lock, MUTEX_DEFAULT, IPL_NONE);

	/* The fixed names are never written, so casting const away is safe. */
	uts_sysctl_create("kern", KERN_OSTYPE, "ostype", CTLFLAG_READONLY,
	    (void *)(uintptr_t)ostype, sizeof(ostype), NULL,
	    "Operating system name");
	uts_sysctl_create("kern", KERN_OSRELEASE, "osrelease",
	    CTLFLAG_READONLY, (void *)(uintptr_t)osrelease,
	    sizeof(osrelease), NULL, "Operating system release");
	uts_sysctl_create("kern", KERN_VERSION, "version", CTLFLAG_READONLY,
	    (void *)(uintptr_t)osversion, sizeof(osversion), NULL,
	    "Kernel version");
	uts_sysctl_create("kern", KERN_HOSTNAME, "hostname",
	    CTLFLAG_READWRITE, hostname, sizeof(hostname), uts_sysctl_name,
	    "Host name");
	uts_sysctl_create("kern", KERN_DOMAINNAME, "domainname",
	    CTLFLAG_READWRITE, domainname, sizeof(domainname),
	    uts_sysctl_name, "Domain name");
	uts_sysctl_create("hw", HW_MACHINE, "machine", CTLFLAG_READONLY,
	    (void *)(uintptr_t)machine, sizeof(machine), NULL,
	    "Machine hardware name");
}
