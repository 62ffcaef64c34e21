/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VFS faction: makes the kernel's file system layer a library.
 *
 * At boot, after the kern components (rump.c, phase 5), it sets up the
 * vnode and name caches and the mount list, runs the file system
 * components (RUMP_COMPONENT_VFS: each registers its vfsops), mounts
 * rumpfs as the root file system, gives proc0 the root as working and
 * root directory (every later process, init included, copies its
 * parent's).  rumpfs fills /dev itself when it is mounted as the root.
 *
 * RUMP_NVNODES, when set, is the default of kern.maxvnodes: the number of
 * vnodes, unused ones included, the kernel keeps cached.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

#define ROOT_FSTYPE	"rumpfs"

/* RUMP_NVNODES as a positive count; anything else keeps the default. */
static void
rump_vfs_read_nvnodes(void)
{
	char buf[32];
	unsigned long long v;
	char *end;
	int error = 0;

	if (rumpuser_getparam("RUMP_NVNODES", buf, sizeof(buf)) != 0)
		return;
	v = strtoull_err(buf, &end, 10, &error);
	if (error || end == buf || *end != '\0' || v == 0 || v > INT_MAX) {
		printf("rump_vfs: invalid RUMP_NVNODES \"%s\": expected a "
		    "count from 1 to %d; using %u\n", buf, INT_MAX,
		    maxvnodes_default);
		return;
	}
	maxvnodes_default = (u_int)v;
}

RUMP_COMPONENT(RUMP__FACTION_VFS)
{
	int error;

	rump_vfs_read_nvnodes();
	vfsinit();
	/*
	 * After vfsinit, so that the buffer cache's halt hook runs before
	 * the VFS's: it writes the delayed writes of devices that no file
	 * system has mounted while their device vnodes still work.
	 */
	bufinit();
	rump_component_init(RUMP_COMPONENT_VFS);

	error = vfs_mountroot(ROOT_FSTYPE);
	if (error)
		panic("rump_vfs: cannot mount the root file system (%s): "
		    "error %d", ROOT_FSTYPE, error);
	cwd_sys_init();
}
