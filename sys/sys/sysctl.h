/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sysctl tree: named kernel variables that programs read and write
 * with __sysctl(2) and rump_sysctlbyname().
 *
 * Every node has a name and a MIB number, both unique among its siblings,
 * and a type.  A node of type CTLTYPE_NODE only has children; every other
 * node is a leaf with a value.  A path names a node by the dotted names or
 * numbers of its ancestors and itself ("kern.hostname", "kern.10"); a MIB
 * is the same path as an array of numbers ({ CTL_KERN, KERN_HOSTNAME }).
 *
 * A leaf's value lives in a kernel variable (data, size) that the generic
 * code copies under the tree lock, or is produced and stored by a handler
 * function.  Values are: CTLTYPE_INT an int, CTLTYPE_QUAD an int64_t or
 * uint64_t, CTLTYPE_BOOL a bool, CTLTYPE_STRUCT size bytes, CTLTYPE_STRING
 * a NUL-terminated string in a buffer of size bytes.  Reads return the
 * value's length: size for fixed-size types, the string's length plus one
 * for strings.
 *
 * Writes need CTLFLAG_READWRITE and a privileged caller (effective uid 0),
 * or CTLFLAG_ANYWRITE as well for unprivileged callers.  A new value
 * must have exactly the node's size for fixed-size types.  A new string
 * must fit in the node's buffer with its NUL, and a bool must be 0 or 1.
 *
 * Subsystems add their nodes at any time after sysctl_init(), typically
 * from their init functions:
 *
 *	error = sysctl_create("vfs", CTL_CREATE, "maxvnodes", CTLTYPE_INT,
 *	    CTLFLAG_READWRITE, &maxvnodes, sizeof(maxvnodes), NULL,
 *	    "Maximum number of vnodes");
 *
 * Locking: one reader/writer lock protects the tree's shape and every
 * node's value.  Reads of values take it as reader, writes and changes
 * to the tree as writer.  Handlers run with it held (reader for
 * SYSCTL_GET, writer for SYSCTL_SET): they may take their own locks after
 * it, but must not sleep for long or call sysctl_create or sysctl_destroy.
 */

#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include <sys/types.h>
#include <sys/queue.h>

#define CTL_MAXNAME	12	/* maximum MIB length */
#define SYSCTL_NAMELEN	32	/* node name buffer, NUL included */

/* Top-level nodes. */
#define CTL_KERN	1
#define CTL_VM		2
#define CTL_VFS		3
#define CTL_NET		4
#define CTL_DEBUG	5
#define CTL_HW		6

/*
 * Special MIB numbers.  CTL_QUERY as the last element of a MIB requests
 * from __sysctl the children of the node that the elements before it name.
 * CTL_CREATE as the number given to sysctl_create picks the lowest free
 * number from CTL_FIRSTDYN on.
 */
#define CTL_QUERY	(-2)
#define CTL_CREATE	(-3)
#define CTL_FIRSTDYN	100

/* kern.* */
#define KERN_OSTYPE	1	/* string: sysname of uname(2) */
#define KERN_OSRELEASE	2	/* string: release of uname(2) */
#define KERN_VERSION	4	/* string: version of uname(2) */
#define KERN_HOSTNAME	10	/* string, writable by the privileged */
#define KERN_BOOTTIME	21	/* struct timespec: wall time at boot */
#define KERN_DOMAINNAME	22	/* string, writable by the privileged */

/* hw.* */
#define HW_MACHINE	1	/* string: machine of uname(2) */
#define HW_NCPU		3	/* int: virtual CPUs */
#define HW_PAGESIZE	7	/* int: page size in bytes */
#define HW_PHYSMEM	5	/* int: hw.physmem64 up to INT_MAX */
#define HW_PHYSMEM64	13	/* quad: memory the kernel may use, bytes */

/*
 * Node types and flags, combined in one word.  The values are those of
 * RUMP_CTLTYPE_* and RUMP_CTLFLAG_* in <rump/rumpdefs.h>, because CTL_QUERY
 * replies pass them to programs unchanged.
 */
#define CTLTYPE_NODE		1
#define CTLTYPE_INT		2
#define CTLTYPE_STRING		3
#define CTLTYPE_QUAD		4
#define CTLTYPE_STRUCT		5
#define CTLTYPE_BOOL		6
#define CTLTYPE_MASK		0x0f
#define CTLFLAG_READONLY	0x00
#define CTLFLAG_READWRITE	0x10	/* writable by the privileged */
#define CTLFLAG_ANYWRITE	0x20	/* with READWRITE: by anyone */
#define CTLFLAG_MASK		0x30

#define SYSCTL_TYPE(flags)	((flags) & CTLTYPE_MASK)

/*
 * One entry of a CTL_QUERY reply.  The layout is that of struct
 * rump_sysctlnode in <rump/rumpdefs.h>, which programs use to read it.
 */
struct sysctl_nodeinfo {
	uint32_t	sni_flags;	/* CTLTYPE_* | CTLFLAG_* */
	int32_t		sni_num;	/* MIB number */
	uint64_t	sni_size;	/* value size in bytes, 0 for nodes */
	char		sni_name[SYSCTL_NAMELEN]; /* NUL-terminated */
};
_Static_assert(sizeof(struct sysctl_nodeinfo) == 48,
    "struct sysctl_nodeinfo must match struct rump_sysctlnode");

struct sysctlnode;

/*
 * A handler's operations.  SYSCTL_GET: store the current value in buf,
 * which has room for the node's size in bytes, and its length in *lenp
 * (for a string, the length plus one, the NUL stored).  SYSCTL_SET: buf
 * contains the new value, *lenp bytes, already checked against the node's
 * type and size (a string is NUL-terminated and *lenp counts the NUL);
 * validate and store it.  A handler returns 0 or an errno value, which
 * __sysctl returns to the caller.
 */
#define SYSCTL_GET	0
#define SYSCTL_SET	1
typedef int (*sysctl_handler_t)(const struct sysctlnode *, int, void *,
    size_t *);

/* Locking legend: (t) the tree lock, (c) fixed at creation. */
struct sysctlnode {
	char		 sysctl_name[SYSCTL_NAMELEN]; /* (c) */
	int		 sysctl_num;	/* (c) */
	u_int		 sysctl_flags;	/* (c) CTLTYPE_* | CTLFLAG_* */
	size_t		 sysctl_size;	/* (c) value size, 0 for nodes */
	void		*sysctl_data;	/* (c) the variable, or NULL */
	sysctl_handler_t sysctl_func;	/* (c) handler, or NULL */
	const char	*sysctl_desc;	/* (c) one-line description */
	struct sysctlnode *sysctl_parent; /* (c) */
	TAILQ_HEAD(, sysctlnode) sysctl_children; /* (t) by ascending num */
	TAILQ_ENTRY(sysctlnode) sysctl_sibling;	/* (t) */
	u_int		 sysctl_nchildren; /* (t) */
};

/*
 * Create the tree with its top-level nodes and the base nodes (kern.*,
 * hw.*).  Called once at boot, before any other sysctl function.
 */
void	sysctl_init(void);

/*
 * Add a node under the node named by the dotted path parent ("" or NULL
 * for the top level).  num is the MIB number, or CTL_CREATE for a free
 * one.  name is 1 to SYSCTL_NAMELEN - 1 letters, digits, '_' and '-',
 * not starting with a digit.  type is a CTLTYPE_*, flags CTLFLAG_* bits.
 * A CTLTYPE_NODE takes no data, size or handler and no flags.  A leaf
 * needs a size that suits its type, and data, func or both.  data and
 * desc must stay valid as long as the node exists, but name is copied.
 *
 * Returns 0, ENOENT or ENOTDIR for a bad parent, EEXIST when a sibling
 * has the name or number, EINVAL for bad arguments.
 */
int	sysctl_create(const char *parent, int num, const char *name,
	    u_int type, u_int flags, void *data, size_t size,
	    sysctl_handler_t func, const char *desc);

/*
 * Remove the node at path: a leaf or a node without children.  Returns
 * 0, ENOENT, ENOTEMPTY or EINVAL (for the empty path).  After the call
 * the tree no longer refers to the node's data.
 */
int	sysctl_destroy(const char *path);

/*
 * Translate a dotted path into a MIB.  *miblenp is the room in mib on
 * entry and the MIB's length on return.  Returns 0, ENOENT or ENOTDIR
 * for a path that does not exist, EINVAL for a malformed path or one
 * longer than the room.
 */
int	sysctl_lookup_byname(const char *path, int *mib, u_int *miblenp);

#endif /* _SYS_SYSCTL_H_ */
