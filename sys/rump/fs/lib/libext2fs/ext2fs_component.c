/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ext2fs component (librumpfs_ext2fs): registers the ext2fs file
 * system type, also known as ext2, ext3 and ext4, when the VFS faction
 * boots.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mount.h>

#include <rump-sys/kern.h>

#include <fs/ext2fs/ext2fs.h>

RUMP_COMPONENT(RUMP_COMPONENT_VFS)
{
	int error;

	error = vfs_register(&ext2fs_vfsops);
	if (error != 0)
		panic("ext2fs: cannot register the file system type: error %d",
		    error);
}
