/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Booting and halting the rump kernel.
 *
 * rump_init() runs the boot phases in this order; each phase may rely on
 * everything before it:
 *
 *  1. hypervisor: rumpuser_init with the upcall table, then the parameters
 *     (RUMP_VERBOSE, RUMP_THREADS, CPUs, RUMP_MEMLIMIT, host memory,
 *     hostname);
 *  2. time and CPUs: boot time, the virtual CPUs, lwp0 on CPU 0;
 *  3. memory and the core: kmem, pools, proc0 with its credentials,
 *     sysctl, the hostname, callout data;
 *  4. threads: the clock thread and the softint threads (unless
 *     RUMP_THREADS=0);
 *  5. components, by type: KERN, then the VFS, NET and DEV factions (at
 *     most one of each), then KERN_VFS;
 *  6. the init process (pid 1), then POSTINIT and SYSCALL components;
 *  7. lwp0 leaves its CPU and the boot thread returns unbound.
 *
 * The kernel boots once per host process.  Halting (reboot(2) or
 * cpu_reboot) runs the shutdown hooks, which write file system data back
 * unless RB_NOSYNC is given, and stops the kernel threads.  From then on
 * system calls fail with ENXIO and rump_init() returns EALREADY.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/cpu.h>
#include <sys/filedesc.h>
#include <sys/intr.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/reboot.h>
#include <sys/sysctl.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>
#include <sys/utsname.h>
#include <sys/version.h>

#include <rump/rump.h>
#include <rump-sys/kern.h>

#include "rump_private.h"

volatile int rump_state = RUMP_STATE_DOWN;

static int
rump_hyp_syscall(int num, void *arg, long *retval)
{

	return syscall_dispatch(curlwp, num, arg, SIZE_MAX, retval);
}

/*
 * Make every lwp of the calling process leave the kernel, because the
 * server's client left or replaced its image.  Each interruptible sleep,
 * now or later, ends with EINTR, as SIGKILL would end it (see
 * lwp_pending_signal).  A sleep that cannot be interrupted or a blocking
 * hypercall is not cut short.
 */
static void
rump_hyp_lwpexit(void)
{
	struct proc *p = curproc;
	struct lwp *l;

	mutex_enter(&p->p_lock);
	atomic_store_relaxed(&p->p_flag, p->p_flag | PK_WEXIT);
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		lwp_signal_wakeup(l);
	mutex_exit(&p->p_lock);
}

/*
 * Prepare the process for the client's new image, after the lwps of the
 * old image have left the kernel: let it sleep again, close its
 * close-on-exec descriptors and take the new program's name.
 */
static void
rump_hyp_execnotify(const char *comm)
{
	struct proc *p = curproc;

	mutex_enter(&p->p_lock);
	atomic_store_relaxed(&p->p_flag, p->p_flag & ~PK_WEXIT);
	mutex_exit(&p->p_lock);

	fd_closeexec();

	mutex_enter(&p->p_lock);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
}

static pid_t
rump_hyp_getpid(void)
{

	return curproc->p_pid;
}

static const struct rumpuser_hyperup hyperup = {
	.hyp_schedule = rump_schedule,
	.hyp_unschedule = rump_unschedule,
	.hyp_backend_unschedule = rump_user_unschedule,
	.hyp_backend_schedule = rump_user_schedule,
	.hyp_lwproc_switch = rump_hyp_lwproc_switch,
	.hyp_lwproc_release = rump_hyp_lwproc_release,
	.hyp_lwproc_rfork = rump_hyp_lwproc_rfork,
	.hyp_lwproc_newlwp = rump_hyp_lwproc_newlwp,
	.hyp_lwproc_curlwp = rump_hyp_lwproc_curlwp,
	.hyp_syscall = rump_hyp_syscall,
	.hyp_lwpexit = rump_hyp_lwpexit,
	.hyp_execnotify = rump_hyp_execnotify,
	.hyp_getpid = rump_hyp_getpid,
};

/* Read a hypervisor parameter; false when it is not set. */
static bool
getparam(const char *name, char *buf, size_t len)
{

	return rumpuser_getparam(name, buf, len) == 0;
}

/*
 * Parse a byte count with an optional k, m or g suffix (powers of 1024).
 * Returns 0 for anything malformed or overflowing.
 */
static uint64_t
parse_bytes(const char *s)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;
	int error = 0;

	v = strtoull_err(s, &end, 10, &error);
	if (error || end == s)
		return 0;
	switch (*end) {
	case 'k': case 'K':
		mult = 1024;
		end++;
		break;
	case 'm': case 'M':
		mult = 1024 * 1024;
		end++;
		break;
	case 'g': case 'G':
		mult = 1024 * 1024 * 1024;
		end++;
		break;
	}
	if (*end != '\0' || v > UINT64_MAX / mult)
		return 0;
	return v * mult;
}

struct boot_params {
	bool		verbose;
	bool		threads;
	int		ncpu;
	uint64_t	memlimit;
	uint64_t	physmem;
	char		hostname[MAXHOSTNAMELEN + 1];
};

static int
boot_read_params(struct boot_params *bp)
{
	char buf[256], longname[MAXPATHLEN];
	unsigned long long v;
	char *end;
	int error = 0;

	bp->verbose = getparam("RUMP_VERBOSE", buf, sizeof(buf)) &&
	    buf[0] != '\0' && buf[0] != '0';
	bp->threads = !(getparam("RUMP_THREADS", buf, sizeof(buf)) &&
	    buf[0] == '0');

	error = rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf));
	if (error) {
		printf("rump_init: cannot read %s from the hypervisor: "
		    "error %d\n", RUMPUSER_PARAM_NCPU, error);
		return EINVAL;
	}
	v = strtoull_err(buf, &end, 10, &error);
	if (error || *end != '\0' || v < 1 || v > MAXCPUS) {
		printf("rump_init: invalid number of CPUs \"%s\": expected "
		    "1 to %d\n", buf, MAXCPUS);
		return EINVAL;
	}
	bp->ncpu = (int)v;

	bp->memlimit = 0;
	error = rumpuser_getparam("RUMP_MEMLIMIT", buf, sizeof(buf));
	if (error != 0 && error != ENOENT) {
		printf("rump_init: the hypervisor rejects RUMP_MEMLIMIT: "
		    "error %d\n", error);
		return EINVAL;
	}
	if (error == 0) {
		bp->memlimit = parse_bytes(buf);
		if (bp->memlimit == 0) {
			printf("rump_init: invalid RUMP_MEMLIMIT \"%s\": "
			    "expected a positive byte count with an optional "
			    "k, m or g suffix\n", buf);
			return EINVAL;
		}
	}
	bp->physmem = 0;
	if (getparam("_RUMPUSER_PHYSMEM", buf, sizeof(buf)))
		bp->physmem = parse_bytes(buf);
	if (bp->physmem == 0)
		bp->physmem = 1ULL << 30;	/* a guess: the host did not say */
	if (bp->memlimit != 0 && bp->memlimit < bp->physmem)
		bp->physmem = bp->memlimit;

	/* A longer host name is cut to MAXHOSTNAMELEN, as the kernel keeps it. */
	error = rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, longname,
	    sizeof(longname));
	if (error) {
		printf("rump_init: cannot read %s from the hypervisor: "
		    "error %d\n", RUMPUSER_PARAM_HOSTNAME, error);
		return EINVAL;
	}
	strlcpy(bp->hostname, longname, sizeof(bp->hostname));
	return 0;
}

static void
boot_components(void)
{
	static const enum rump_component_type factions[] = {
		RUMP__FACTION_VFS, RUMP__FACTION_NET, RUMP__FACTION_DEV
	};
	size_t i;

	rump_component_bootstrap();
	rump_component_init(RUMP_COMPONENT_KERN);
	for (i = 0; i < __arraycount(factions); i++) {
		if (rump_component_count(factions[i]) > 1)
			panic("more than one faction of type %d is linked in",
			    factions[i]);
		rump_component_init(factions[i]);
	}
	rump_component_init(RUMP_COMPONENT_KERN_VFS);
}

int
rump_init(void)
{
	struct boot_params bp;
	int error;

	switch (atomic_cas_uint((volatile u_int *)&rump_state,
	    RUMP_STATE_DOWN, RUMP_STATE_BOOTING)) {
	case RUMP_STATE_DOWN:
		break;
	case RUMP_STATE_UP:
		return 0;
	case RUMP_STATE_BOOTING:
		return EBUSY;
	default:
		return EALREADY;
	}

	/* 1. The hypervisor. */
	if (rumpuser_init(RUMPUSER_VERSION, &hyperup) != 0) {
		rumpuser_dprintf("rump_init: the hypervisor does not accept "
		    "interface version %d\n", RUMPUSER_VERSION);
		rump_state = RUMP_STATE_DOWN;
		return EINVAL;
	}
	memset(&bp, 0, sizeof(bp));
	error = boot_read_params(&bp);
	if (error) {
		rump_state = RUMP_STATE_DOWN;
		return error;
	}
	physmem_bytes = bp.physmem;
	if (bp.verbose)
		boothowto |= AB_VERBOSE;
	kthreads_enabled = bp.threads;

	/* 2. Time, CPUs, and the boot thread as lwp0 on a CPU. */
	rump_clock_init();
	rump_scheduler_init(bp.ncpu);
	rump_lwp0_init();
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &lwp0);
	lwp0.l_bound = 1;
	rump_schedule_cpu(&lwp0);

	/* 3. Memory and the core subsystems. */
	rump_kmem_init(bp.memlimit);
	rump_lwproc_init();
	pool_init_subsystem();
	proc_init();
	lwp0.l_cred = proc0.p_cred;
	kauth_cred_hold(lwp0.l_cred);
	sysctl_init();
	hostname_set(bp.hostname);
	callout_startup();

	/* 4. Kernel threads. */
	if (kthreads_enabled)
		callout_startthread();
	softint_init();

	aprint_normal("%s %s (%s), %d CPU%s%s\n", ostype, osrelease, machine,
	    ncpu, ncpu == 1 ? "" : "s",
	    kthreads_enabled ? "" : ", no kernel threads");

	/* 5. Components. */
	boot_components();

	/* 6. The init process, then late components. */
	initproc_create();
	rump_component_init(RUMP_COMPONENT_POSTINIT);
	rump_component_init(RUMP_COMPONENT_SYSCALL);

	/* 7. Done: the boot thread leaves the kernel unbound. */
	rump_state = RUMP_STATE_UP;
	rump_unschedule_cpu(&lwp0);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &lwp0);
	lwp0.l_bound = 0;
	return 0;
}

int
rump_getversion(void)
{

	return RUMP_VERSION_NUMBER;
}

int
rump_pub_getversion(void)
{

	return rump_getversion();
}

int
rump_nativeabi_p(void)
{

	return 0;
}

void
rump_boot_sethowto(int howto)
{

	boothowto = howto;
}

int
rump_boot_gethowto(void)
{

	return boothowto;
}

void
rump_boot_setsigmodel(enum rump_sigmodel model)
{

	rump_sigmodel = model;
}

int
rump_daemonize_begin(void)
{

	if (rump_state != RUMP_STATE_DOWN)
		return EALREADY;
	return rumpuser_daemonize_begin();
}

int
rump_daemonize_done(int error)
{

	return rumpuser_daemonize_done(error);
}

int
rump_init_server(const char *url)
{

	if (rump_state != RUMP_STATE_UP)
		return ENXIO;
	return rumpuser_sp_init(url, ostype, osrelease, machine);
}

int
rump_syscall(int num, void *data, size_t dlen, long *retval)
{
	long rvdummy[2];
	int error;

	if (__predict_false(atomic_load_relaxed(&rump_state) !=
	    RUMP_STATE_UP))
		return ENXIO;
	if (retval == NULL)
		retval = rvdummy;
	rump_schedule();
	error = syscall_dispatch(curlwp, num, data, dlen, retval);
	rump_unschedule();
	return error;
}

/*
 * Halt the kernel.  The calling thread runs the shutdown hooks, stops the
 * kernel threads and returns; other threads still in the kernel finish
 * their calls, and new calls fail with ENXIO.
 */
void
cpu_reboot(int howto, char *bootstr)
{

	if (atomic_cas_uint((volatile u_int *)&rump_state, RUMP_STATE_UP,
	    RUMP_STATE_HALTED) != RUMP_STATE_UP)
		return;
	if (howto & RB_DUMP)
		panic("cpu_reboot: dump requested");

	shutdown_howto = howto;
	doshutdownhooks();
	softint_shutdown();
	if (kthreads_enabled)
		callout_shutdown();
	aprint_normal("rump kernel halted%s\n",
	    (howto & RB_NOSYNC) ? " without syncing" : "");
}

int
sys_reboot(struct lwp *l, const struct sys_reboot_args *uap,
    register_t *retval)
{
	unsigned int cmd = (unsigned int)SCARG(uap, cmd);
	int howto;

	if (!kauth_cred_privileged(l->l_cred))
		return EPERM;
	switch (cmd) {
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_RESTART:
		/* A rump kernel cannot restart in place: it halts. */
		howto = RB_HALT;
		break;
	case REBOOT_CMD_HALT_NOSYNC:
		howto = RB_HALT | RB_NOSYNC;
		break;
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return EINVAL;
	}
	cpu_reboot(howto, NULL);
	return 0;
}
