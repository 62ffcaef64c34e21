/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Machine-dependent services of the kernel base on the hypercalls: the
 * console, time, and copying between the kernel and the calling process.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/time.h>

#include "rump_private.h"

int boothowto;
int ncpu;
uint64_t physmem_bytes;

void
cnwrite(const char *buf, size_t len)
{

	rumpuser_dprintf("%.*s", (int)len, buf);
}

void
cpu_panic_halt(void)
{

	rumpuser_exit(RUMPUSER_PANIC);
}

int
enosys(void)
{

	return ENOSYS;
}

int
nullop(void *arg)
{

	return 0;
}

/*
 * Time.  Both clocks are read from the host on every call; the vDSO
 * makes that cheaper than keeping a clock of our own up to date.
 */
struct timespec boottime;
static uint64_t boot_mono_ns;

uint64_t
mono_ns(void)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec) != 0)
		panic("cannot read the host's monotonic clock");
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

void
nanotime(struct timespec *ts)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec) != 0)
		panic("cannot read the host's wall clock");
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

void
rump_clock_init(void)
{

	nanotime(&boottime);
	boot_mono_ns = mono_ns();
}

void
getnanotime(struct timespec *ts)
{

	nanotime(ts);
}

void
microtime(struct timeval *tv)
{
	struct timespec ts;

	nanotime(&ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
}

uint64_t
uptime_ns(void)
{

	return mono_ns() - boot_mono_ns;
}

void
nanouptime(struct timespec *ts)
{
	uint64_t ns = uptime_ns();

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

time_t
time_second_get(void)
{
	struct timespec ts;

	nanotime(&ts);
	return ts.tv_sec;
}

int
getticks(void)
{

	return (int)(uptime_ns() / NSEC_PER_TICK);
}

int
mstohz(int ms)
{

	if (ms <= 0)
		return 0;
	return (int)(((int64_t)ms * HZ + 999) / 1000);
}

int
tstohz(const struct timespec *ts)
{
	int64_t ticks;

	if (ts->tv_sec < 0 || (ts->tv_sec == 0 && ts->tv_nsec <= 0))
		return 0;
	if (ts->tv_sec > 0x7fffffff / HZ - 1)
		return 0x7fffffff;
	ticks = ts->tv_sec * HZ + (ts->tv_nsec + NSEC_PER_TICK - 1) /
	    NSEC_PER_TICK;
	return (int)ticks;
}

/*
 * Copying from and to the calling process.  A local caller shares our
 * address space, so a copy is memcpy; a NULL or low address (the first
 * page) is reported as EFAULT, like the host kernel does, but other bad
 * pointers of a local caller fault in the host.  A remote client's memory
 * is reached through the system call proxy.
 */
#define USER_ADDR_BAD(a)	((uintptr_t)(a) < PAGE_SIZE)

static inline void *
remote_cookie(void)
{
	struct lwp *l = curlwp;

	return l != NULL ? l->l_proc->p_vmspace : NULL;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	void *client = remote_cookie();

	if (len == 0)
		return 0;
	if (client != NULL)
		return rumpuser_sp_copyin(client, uaddr, kaddr, len) ? EFAULT : 0;
	if (USER_ADDR_BAD(uaddr))
		return EFAULT;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	void *client = remote_cookie();

	if (len == 0)
		return 0;
	if (client != NULL)
		return rumpuser_sp_copyout(client, kaddr, uaddr, len) ?
		    EFAULT : 0;
	if (USER_ADDR_BAD(uaddr))
		return EFAULT;
	memcpy(uaddr, kaddr, len);
	return 0;
}

int
copystr(const void *from, void *to, size_t len, size_t *done)
{
	const char *src = from;
	char *dst = to;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((dst[i] = src[i]) == '\0') {
			if (done != NULL)
				*done = i + 1;
			return 0;
		}
	}
	if (done != NULL)
		*done = len;
	return ENAMETOOLONG;
}

int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	void *client = remote_cookie();
	size_t n;
	int error;

	if (client != NULL) {
		n = len;
		error = rumpuser_sp_copyinstr(client, uaddr, kaddr, &n);
		if (error)
			return error == ENAMETOOLONG ? error : EFAULT;
		if (done != NULL)
			*done = n;
		return 0;
	}
	if (USER_ADDR_BAD(uaddr))
		return EFAULT;
	return copystr(uaddr, kaddr, len, done);
}

int
copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done)
{
	void *client = remote_cookie();
	size_t n;
	int error;

	if (client != NULL) {
		n = len;
		error = rumpuser_sp_copyoutstr(client, kaddr, uaddr, &n);
		if (error)
			return error == ENAMETOOLONG ? error : EFAULT;
		if (done != NULL)
			*done = n;
		return 0;
	}
	if (USER_ADDR_BAD(uaddr))
		return EFAULT;
	return copystr(kaddr, uaddr, len, done);
}
