/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directory entries as getdents64(2) returns them: a packed sequence of
 * variable-length records in Linux's struct linux_dirent64 layout, the
 * same on every architecture.
 */

#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>
#include <sys/stat.h>

struct linux_dirent64 {
	uint64_t	d_ino;		/* inode number */
	int64_t		d_off;		/* cookie: lseek there to read on from
					   the next entry */
	uint16_t	d_reclen;	/* bytes in this record */
	uint8_t		d_type;		/* DT_* */
	char		d_name[];	/* NUL-terminated, then padding */
};
__CTASSERT(offsetof(struct linux_dirent64, d_off) == 8);
__CTASSERT(offsetof(struct linux_dirent64, d_reclen) == 16);
__CTASSERT(offsetof(struct linux_dirent64, d_type) == 18);
__CTASSERT(offsetof(struct linux_dirent64, d_name) == 19);

/*
 * Length of the record of a name of namlen bytes (without its NUL): the
 * header, the name and its NUL, rounded up to 8 bytes so the next record
 * is aligned.  Zero the padding, because it reaches the caller.
 */
#define LINUX_DIRENT64_RECLEN(namlen)					\
	((offsetof(struct linux_dirent64, d_name) + (size_t)(namlen) + 1 + \
	    7) & ~(size_t)7)

/* d_type values: the S_IFMT bits of the mode, shifted right by 12. */
#define DT_UNKNOWN	0	/* the file system does not say */
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14	/* whiteout */

/* Conversion between st_mode file types and d_type values. */
#define IFTODT(mode)	(((mode) & S_IFMT) >> 12)
#define DTTOIF(dtype)	((dtype) << 12)

#endif /* _SYS_DIRENT_H_ */
