/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VFS set-up at boot: the caches, the mount list and the halt hook.  The
 * VFS faction (sys/rump/librump/rumpvfs/rump_vfs.c) calls vfsinit first,
 * then lets the file system types register, mounts the root and gives
 * proc0 its directories; see vfsinit in sys/mount.h.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

void
vfsinit(void)
{

	vcache_init();
	cache_init();
	vfs_mount_sysinit();
}
