/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Basic kernel types.  The widths and signedness of the types that cross
 * the system call boundary (pid_t, uid_t, mode_t, off_t, time_t, ...) are
 * those of Linux on the host architecture, so a Linux program's own values
 * pass through unchanged.  Only LP64 hosts (x86-64, AArch64) are supported.
 */

#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <sys/cdefs.h>

#if !defined(__LP64__)
#error the rump kernel supports LP64 hosts only
#endif

typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTMAX_TYPE__		intmax_t;
typedef __UINTMAX_TYPE__	uintmax_t;
typedef __SIZE_TYPE__		size_t;
typedef long			ssize_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;

typedef uint8_t			u_int8_t;
typedef uint16_t		u_int16_t;
typedef uint32_t		u_int32_t;
typedef uint64_t		u_int64_t;
typedef unsigned char		u_char;
typedef unsigned short		u_short;
typedef unsigned int		u_int;
typedef unsigned long		u_long;

typedef _Bool			bool;
#define true	1
#define false	0

#define NULL	((void *)0)

#define offsetof(type, member)	__builtin_offsetof(type, member)

/* Linux ABI types. */
typedef int			pid_t;
typedef int			lwpid_t;
typedef unsigned int		uid_t;
typedef unsigned int		gid_t;
typedef unsigned int		mode_t;
typedef long			off_t;
typedef long			time_t;
typedef long			suseconds_t;
typedef int			clockid_t;
typedef unsigned long		dev_t;
typedef unsigned long		ino_t;
typedef unsigned long		rlim_t;
#if defined(__aarch64__)
typedef unsigned int		nlink_t;
typedef int			blksize_t;
#else
typedef unsigned long		nlink_t;
typedef long			blksize_t;
#endif
typedef long			blkcnt_t;
typedef unsigned int		socklen_t;

/* Kernel types. */
typedef long			register_t;
typedef unsigned long		vaddr_t;
typedef unsigned long		vsize_t;
typedef unsigned long		paddr_t;
typedef uint64_t		daddr_t;
typedef char *			caddr_t;

#define NBBY	8

#define SIZE_MAX	__SIZE_MAX__
#define UINT64_MAX	__UINT64_MAX__
#define INT64_MAX	__INT64_MAX__
#define INT_MAX		__INT_MAX__
#define UINT_MAX	(__INT_MAX__ * 2U + 1U)
#define LONG_MAX	__LONG_MAX__

#endif /* _SYS_TYPES_H_ */
