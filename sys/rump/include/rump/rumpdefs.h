/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Constants of the rump kernel interface.  System call values (O_*, errno,
 * AF_*) are the host's Linux values and are not repeated here.
 */

#ifndef _RUMP_RUMPDEFS_H_
#define _RUMP_RUMPDEFS_H_

/* rump_pub_lwproc_rfork flags. */
#define RUMP_RFFDG	0x01		/* copy the descriptor table */
#define RUMP_RFCFDG	0x02		/* start with an empty table */
#define RUMP_RFFD_SHARE	0x00
#define RUMP_RFFD_COPY	RUMP_RFFDG
#define RUMP_RFFD_CLEAR	RUMP_RFCFDG

/* Boot flags for rump_boot_sethowto. */
#define RUMP_AB_NORMAL	0x00000
#define RUMP_AB_QUIET	0x10000
#define RUMP_AB_VERBOSE	0x20000
#define RUMP_AB_SILENT	0x40000
#define RUMP_AB_DEBUG	0x80000

/*
 * rump_sys_reboot commands: the Linux values, and one of this kernel's own
 * that halts without syncing file systems.
 */
#define RUMP_REBOOT_CMD_HALT		((int)0xcdef0123)
#define RUMP_REBOOT_CMD_POWER_OFF	((int)0x4321fedc)
#define RUMP_REBOOT_CMD_HALT_NOSYNC	((int)0x6e6f7379)

enum rump_sigmodel {
	RUMP_SIGMODEL_PANIC,		/* panic, but ignore SIGSYS and SIGPIPE */
	RUMP_SIGMODEL_IGNORE,		/* drop */
	RUMP_SIGMODEL__HOST_NOTANYMORE,	/* same as RAISE */
	RUMP_SIGMODEL_RAISE,		/* raise in the host process (default) */
	RUMP_SIGMODEL_RECORD		/* record as pending in the process */
};

enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR,
	RUMP_ETFS_DIR,
	RUMP_ETFS_DIR_SUBDIRS
};
#define RUMP_ETFS_SIZE_ENDOFF	((uint64_t)-1)

/*
 * sysctl: top-level names and the CTL_QUERY request, whose reply is an
 * array of struct rump_sysctlnode describing the children of a node.
 */
#define RUMP_CTL_KERN		1
#define RUMP_CTL_VM		2
#define RUMP_CTL_VFS		3
#define RUMP_CTL_NET		4
#define RUMP_CTL_DEBUG		5
#define RUMP_CTL_HW		6
#define RUMP_CTL_QUERY		(-2)

#define RUMP_CTLTYPE_NODE	1
#define RUMP_CTLTYPE_INT	2
#define RUMP_CTLTYPE_STRING	3
#define RUMP_CTLTYPE_QUAD	4
#define RUMP_CTLTYPE_STRUCT	5
#define RUMP_CTLTYPE_BOOL	6
#define RUMP_CTLTYPE_MASK	0x0f
#define RUMP_CTLFLAG_READWRITE	0x10	/* writable */
#define RUMP_CTLFLAG_ANYWRITE	0x20	/* writable without privilege */

struct rump_sysctlnode {
	uint32_t	sn_flags;	/* RUMP_CTLTYPE_* | RUMP_CTLFLAG_* */
	int32_t		sn_num;		/* MIB number of this node */
	uint64_t	sn_size;	/* value size in bytes, 0 for nodes */
	char		sn_name[32];	/* NUL-terminated */
};

#endif /* _RUMP_RUMPDEFS_H_ */
