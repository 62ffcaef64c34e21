/* SPDX-License-Identifier: BSD-2-Clause */
/* struct utsname as Linux lays it out: six fields of 65 bytes. */

#ifndef _SYS_UTSNAME_H_
#define _SYS_UTSNAME_H_

#define _UTSNAME_LENGTH	65

struct utsname {
	char	sysname[_UTSNAME_LENGTH];
	char	nodename[_UTSNAME_LENGTH];
	char	release[_UTSNAME_LENGTH];
	char	version[_UTSNAME_LENGTH];
	char	machine[_UTSNAME_LENGTH];
	char	domainname[_UTSNAME_LENGTH];
};

/*
 * The names uname(2) returns.  hostname and hostnamelen (declared in
 * sys/systm.h) and domainname change at run time; read them through
 * uname(2) or sysctl, which copy them under their lock.
 */
extern const char ostype[];
extern const char osrelease[];
extern const char osversion[];
extern const char machine[];
extern char domainname[];

/*
 * Set the host name at boot, truncated to MAXHOSTNAMELEN bytes.  It takes
 * no lock, so it must run before other threads enter the kernel; it may
 * run before or after sysctl_init().
 */
void	hostname_set(const char *);

/*
 * Initialise the lock of the names and add their sysctl nodes
 * (kern.ostype, kern.osrelease, kern.version, kern.hostname,
 * kern.domainname, hw.machine).  sysctl_init() calls it.
 */
void	uname_init(void);

#endif /* _SYS_UTSNAME_H_ */
