/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compiler helpers for kernel code.  Kernel sources are freestanding and
 * include no host header, so the few attributes they use are spelled here.
 */

#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __dead		__attribute__((__noreturn__))
#define __unused	__attribute__((__unused__))
#define __used		__attribute__((__used__))
#define __packed	__attribute__((__packed__))
#define __aligned(x)	__attribute__((__aligned__(x)))
#define __section(x)	__attribute__((__section__(x)))
#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define __predict_true(e)  __builtin_expect(((e) != 0), 1)
#define __predict_false(e) __builtin_expect(((e) != 0), 0)
#define __noinline	__attribute__((__noinline__))
#define __always_inline	__attribute__((__always_inline__))
#define __weak		__attribute__((__weak__))
#define __constructor	__attribute__((__constructor__))

#define __CONCAT1(a, b)	a ## b
#define __CONCAT(a, b)	__CONCAT1(a, b)
#define __STRING(x)	#x
#define __XSTRING(x)	__STRING(x)

#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))

#define __BEGIN_DECLS
#define __END_DECLS

#define __CTASSERT(x)	_Static_assert((x), #x)

#endif /* _SYS_CDEFS_H_ */
