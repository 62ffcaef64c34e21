/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's name and version, as uname(2) and kern.osrelease give them. */

#ifndef _SYS_VERSION_H_
#define _SYS_VERSION_H_

#define RUMP_OSTYPE		"rump"
#define RUMP_VERSION_MAJOR	0
#define RUMP_VERSION_MINOR	1
#define RUMP_VERSION_PATCH	0
#define RUMP_OSRELEASE		"0.1.0"
/* MMmmpp00, as rump_getversion() returns it. */
#define RUMP_VERSION_NUMBER						\
	(RUMP_VERSION_MAJOR * 1000000 + RUMP_VERSION_MINOR * 10000 +	\
	RUMP_VERSION_PATCH * 100)

#if defined(__x86_64__)
#define RUMP_MACHINE		"x86_64"
#elif defined(__aarch64__)
#define RUMP_MACHINE		"aarch64"
#else
#error unsupported host architecture
#endif

#endif /* _SYS_VERSION_H_ */
