/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sysctl tree and the __sysctl(2) system call.
 *
 * The tree, its interface for kernel code and its locking are described
 * in sys/sysctl.h.  This file contains the tree itself, the creation and
 * lookup functions, the base nodes made at boot, and the system call.
 *
 * __sysctl(name, namelen, oldp, oldlenp, newp, newlen) follows the
 * sysctl(3) protocol of the BSDs.  name is a MIB of 1 to CTL_MAXNAME
 * numbers.  When oldlenp is not NULL the call reads: it stores the
 * value's length in *oldlenp and, when oldp is not NULL, copies the value
 * to oldp; when *oldlenp was too small it copies what fits, stores the
 * length needed and fails with ENOMEM, without writing.  When newp is not
 * NULL the call writes the newlen bytes at newp as the new value, after
 * reading the old one.  A MIB ending in CTL_QUERY reads the list of the
 * children of the node named by the rest of the MIB, as an array of
 * struct sysctl_nodeinfo, with the same length protocol (only whole
 * entries are copied).
 *
 * Errors: EINVAL for a bad MIB length or a bad new value, ENOENT for a
 * MIB that names no node, ENOTDIR when it descends below a leaf, EISDIR
 * for a read or write of a node that has children, EPERM for a write the
 * node or the caller's privilege does not allow, ENOMEM as above, EFAULT
 * for bad pointers.
 *
 * The caller's buffers are copied in and out without the tree lock,
 * because copyin and copyout may sleep (for a remote client they are
 * messages).  A request therefore finds its node under the lock, drops
 * it to allocate and copy in, and takes it again to read and write the
 * value.  A generation number, bumped by every change to the tree,
 * tells whether the node it found may have gone meanwhile; then the
 * request starts again.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/rwlock.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/sysctl.h>
#include <sys/syscallargs.h>

#define INT_MAX		__INT_MAX__

static krwlock_t sysctl_treelock;
static struct sysctlnode sysctl_root;	/* (t) */
static uint64_t sysctl_generation;	/* (t) bumped by each tree change */
static bool sysctl_initialized;

/* hw.pagesize: a variable, because nodes point to their values. */
static int sysctl_pagesize = PAGE_SIZE;
static int physmem_int;		/* hw.physmem */

/* A __sysctl request, with its arguments copied in. */
struct sysctl_req {
	int		 sr_mib[CTL_MAXNAME];
	u_int		 sr_miblen;
	void		*sr_oldp;	/* caller's buffer, or NULL */
	size_t		*sr_oldlenp;	/* caller's length, or NULL: no read */
	size_t		 sr_oldlen;	/* *sr_oldlenp on entry */
	const void	*sr_newp;	/* caller's new value, or NULL */
	size_t		 sr_newlen;
	bool		 sr_privileged;
};

/* ------------------------------------------------------------------ */
/* The tree. */

static struct sysctlnode *
sysctl_child_bynum(struct sysctlnode *node, int num)
{
	struct sysctlnode *child;

	TAILQ_FOREACH(child, &node->sysctl_children, sysctl_sibling) {
		if (child->sysctl_num == num)
			return child;
		if (child->sysctl_num > num)
			break;
	}
	return NULL;
}

/*
 * Return the child of node named by the path component comp of len
 * bytes: a decimal MIB number or a name.  NULL when there is none.
 */
static struct sysctlnode *
sysctl_child_bycomponent(struct sysctlnode *node, const char *comp,
    size_t len)
{
	struct sysctlnode *child;
	long long num = 0;
	size_t i;

	if (isdigit((unsigned char)comp[0])) {
		for (i = 0; i < len; i++) {
			if (!isdigit((unsigned char)comp[i]))
				return NULL;
			num = num * 10 + (comp[i] - '0');
			if (num > INT_MAX)
				return NULL;
		}
		return sysctl_child_bynum(node, (int)num);
	}

	if (len >= SYSCTL_NAMELEN)
		return NULL;
	TAILQ_FOREACH(child, &node->sysctl_children, sysctl_sibling) {
		if (strncmp(child->sysctl_name, comp, len) == 0 &&
		    child->sysctl_name[len] == '\0')
			return child;
	}
	return NULL;
}

/*
 * Find the node at a dotted path; the empty path or NULL is the root.
 * When mib is not NULL, store the path's MIB there, failing with EINVAL
 * when it needs more than *depthp elements.  Store the node's depth
 * (its MIB length) in *depthp.  Called with the tree lock held.
 */
static int
sysctl_resolve_path(const char *path, struct sysctlnode **nodep, int *mib,
    u_int *depthp)
{
	struct sysctlnode *node = &sysctl_root, *child;
	u_int room = *depthp, depth = 0;
	const char *comp, *dot;
	size_t len;

	KASSERT(rw_lock_held(&sysctl_treelock));
	if (path != NULL && path[0] != '\0') {
		for (comp = path;; comp = dot + 1) {
			dot = strchr(comp, '.');
			len = dot != NULL ? (size_t)(dot - comp) : strlen(comp);
			if (len == 0)
				return EINVAL;
			if (SYSCTL_TYPE(node->sysctl_flags) != CTLTYPE_NODE)
				return ENOTDIR;
			child = sysctl_child_bycomponent(node, comp, len);
			if (child == NULL)
				return ENOENT;
			if (mib != NULL) {
				if (depth >= room)
					return EINVAL;
				mib[depth] = child->sysctl_num;
			}
			depth++;
			node = child;
			if (dot == NULL)
				break;
		}
	}
	*nodep = node;
	*depthp = depth;
	return 0;
}

/* Find the node a MIB names.  Called with the tree lock held. */
static int
sysctl_resolve_mib(const int *mib, u_int miblen, struct sysctlnode **nodep)
{
	struct sysctlnode *node = &sysctl_root;
	u_int i;

	KASSERT(rw_lock_held(&sysctl_treelock));
	for (i = 0; i < miblen; i++) {
		if (SYSCTL_TYPE(node->sysctl_flags) != CTLTYPE_NODE)
			return ENOTDIR;
		node = sysctl_child_bynum(node, mib[i]);
		if (node == NULL)
			return ENOENT;
	}
	*nodep = node;
	return 0;
}

static bool
sysctl_name_valid(const char *name)
{
	size_t len, i;

	if (name == NULL)
		return false;
	len = strnlen(name, SYSCTL_NAMELEN);
	if (len == 0 || len >= SYSCTL_NAMELEN)
		return false;

	/* A leading digit would make the name read as a number in a path. */
	if (isdigit((unsigned char)name[0]))
		return false;
	for (i = 0; i < len; i++) {
		if (!isalpha((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) &&
		    name[i] != '_' && name[i] != '-')
			return false;
	}
	return true;
}

/* Check the arguments of sysctl_create that do not depend on the tree. */
static int
sysctl_create_check(int num, const char *name, u_int type, u_int flags,
    void *data, size_t size, sysctl_handler_t func)
{

	if (num < 0 && num != CTL_CREATE)
		return EINVAL;
	if (!sysctl_name_valid(name))
		return EINVAL;
	if ((flags & ~CTLFLAG_MASK) != 0)
		return EINVAL;
	if ((flags & CTLFLAG_ANYWRITE) != 0 &&
	    (flags & CTLFLAG_READWRITE) == 0)
		return EINVAL;

	switch (type) {
	case CTLTYPE_NODE:
		if (data != NULL || size != 0 || func != NULL || flags != 0)
			return EINVAL;
		return 0;
	case CTLTYPE_INT:
		if (size != sizeof(int))
			return EINVAL;
		break;
	case CTLTYPE_QUAD:
		if (size != sizeof(int64_t))
			return EINVAL;
		break;
	case CTLTYPE_BOOL:
		if (size != sizeof(bool))
			return EINVAL;
		break;
	case CTLTYPE_STRING:
	case CTLTYPE_STRUCT:
		if (size == 0)
			return EINVAL;
		break;
	default:
		return EINVAL;
	}

	/* A leaf's value must come from somewhere. */
	if (data == NULL && func == NULL)
		return EINVAL;
	return 0;
}

/*
 * Link node under parent with number num (CTL_CREATE: the lowest free
 * one from CTL_FIRSTDYN on), keeping the children sorted by number.
 * Called with the tree lock held as writer.
 */
static int
sysctl_insert(struct sysctlnode *parent, struct sysctlnode *node, int num)
{
	struct sysctlnode *child;

	KASSERT(rw_write_held(&sysctl_treelock));
	TAILQ_FOREACH(child, &parent->sysctl_children, sysctl_sibling) {
		if (strcmp(child->sysctl_name, node->sysctl_name) == 0)
			return EEXIST;
	}

	if (num == CTL_CREATE) {
		num = CTL_FIRSTDYN;
		TAILQ_FOREACH(child, &parent->sysctl_children, sysctl_sibling) {
			if (child->sysctl_num == num)
				num++;
		}
	} else if (sysctl_child_bynum(parent, num) != NULL)
		return EEXIST;
	node->sysctl_num = num;
	node->sysctl_parent = parent;

	TAILQ_FOREACH(child, &parent->sysctl_children, sysctl_sibling) {
		if (child->sysctl_num > num)
			break;
	}
	if (child != NULL)
		TAILQ_INSERT_BEFORE(child, node, sysctl_sibling);
	else
		TAILQ_INSERT_TAIL(&parent->sysctl_children, node,
		    sysctl_sibling);
	parent->sysctl_nchildren++;
	return 0;
}

int
sysctl_create(const char *parent, int num, const char *name, u_int type,
    u_int flags, void *data, size_t size, sysctl_handler_t func,
    const char *desc)
{
	struct sysctlnode *node, *pnode;
	u_int depth = CTL_MAXNAME;
	int error;

	KASSERTMSG(sysctl_initialized, "sysctl_create before sysctl_init");
	error = sysctl_create_check(num, name, type, flags, data, size, func);
	if (error != 0)
		return error;

	node = kmem_zalloc(sizeof(*node), KM_SLEEP);
	strlcpy(node->sysctl_name, name, sizeof(node->sysctl_name));
	node->sysctl_flags = type | flags;
	node->sysctl_size = size;
	node->sysctl_data = data;
	node->sysctl_func = func;
	node->sysctl_desc = desc;
	TAILQ_INIT(&node->sysctl_children);

	rw_enter(&sysctl_treelock, RW_WRITER);
	error = sysctl_resolve_path(parent, &pnode, NULL, &depth);
	if (error == 0 && SYSCTL_TYPE(pnode->sysctl_flags) != CTLTYPE_NODE)
		error = ENOTDIR;
	if (error == 0 && depth >= CTL_MAXNAME)
		error = EINVAL;
	if (error == 0)
		error = sysctl_insert(pnode, node, num);
	if (error == 0)
		sysctl_generation++;
	rw_exit(&sysctl_treelock);

	if (error != 0)
		kmem_free(node, sizeof(*node));
	return error;
}

int
sysctl_destroy(const char *path)
{
	struct sysctlnode *node, *parent;
	u_int depth = CTL_MAXNAME;
	int error;

	if (path == NULL || path[0] == '\0')
		return EINVAL;

	rw_enter(&sysctl_treelock, RW_WRITER);
	error = sysctl_resolve_path(path, &node, NULL, &depth);
	if (error == 0 && node->sysctl_nchildren > 0)
		error = ENOTEMPTY;
	if (error == 0) {
		parent = node->sysctl_parent;
		TAILQ_REMOVE(&parent->sysctl_children, node, sysctl_sibling);
		parent->sysctl_nchildren--;
		sysctl_generation++;
	}
	rw_exit(&sysctl_treelock);

	if (error == 0)
		kmem_free(node, sizeof(*node));
	return error;
}

int
sysctl_lookup_byname(const char *path, int *mib, u_int *miblenp)
{
	struct sysctlnode *node;
	u_int depth = *miblenp;
	int error;

	if (path == NULL || path[0] == '\0')
		return EINVAL;

	rw_enter(&sysctl_treelock, RW_READER);
	error = sysctl_resolve_path(path, &node, mib, &depth);
	rw_exit(&sysctl_treelock);
	if (error == 0)
		*miblenp = depth;
	return error;
}

/* ------------------------------------------------------------------ */
/* Reading and writing values. */

/*
 * Check a value request against node: the node must be a leaf, and a
 * write must be permitted and have a size that suits the node.  Called
 * with the tree lock held.
 */
static int
sysctl_check_access(const struct sysctl_req *req,
    const struct sysctlnode *node)
{
	u_int flags = node->sysctl_flags;

	if (SYSCTL_TYPE(flags) == CTLTYPE_NODE)
		return EISDIR;
	if (req->sr_newp == NULL)
		return 0;

	if ((flags & CTLFLAG_READWRITE) == 0)
		return EPERM;
	if ((flags & CTLFLAG_ANYWRITE) == 0 && !req->sr_privileged)
		return EPERM;
	if (SYSCTL_TYPE(flags) == CTLTYPE_STRING) {
		if (req->sr_newlen > node->sysctl_size)
			return EINVAL;
	} else if (req->sr_newlen != node->sysctl_size)
		return EINVAL;
	return 0;
}

/*
 * Copy the new value of a request into buf, which has room for size
 * bytes, and check it for a node of type type.  Store its length in
 * *lenp: for a string, the length up to the first NUL plus one, with the
 * NUL stored.
 */
static int
sysctl_copyin_value(const struct sysctl_req *req, u_int type, size_t size,
    char *buf, size_t *lenp)
{
	size_t len;
	int error;

	KASSERT(req->sr_newlen <= size);
	if (req->sr_newlen > 0) {
		error = copyin(req->sr_newp, buf, req->sr_newlen);
		if (error != 0)
			return error;
	}

	switch (type) {
	case CTLTYPE_STRING:
		/* The string and its NUL must fit in the node's buffer. */
		len = strnlen(buf, req->sr_newlen);
		if (len >= size)
			return EINVAL;
		buf[len] = '\0';
		*lenp = len + 1;
		return 0;
	case CTLTYPE_BOOL:
		if ((uint8_t)buf[0] > 1)
			return EINVAL;
		break;
	}
	*lenp = req->sr_newlen;
	return 0;
}

/* Read node's value into buf.  Called with the tree lock held. */
static int
sysctl_value_get(const struct sysctlnode *node, char *buf, size_t *lenp)
{
	size_t len;
	int error;

	KASSERT(rw_lock_held(&sysctl_treelock));
	if (node->sysctl_func != NULL) {
		error = node->sysctl_func(node, SYSCTL_GET, buf, lenp);
		KASSERTMSG(error != 0 || *lenp <= node->sysctl_size,
		    "sysctl handler of %s returned %zu bytes",
		    node->sysctl_name, *lenp);
		return error;
	}

	if (SYSCTL_TYPE(node->sysctl_flags) == CTLTYPE_STRING) {
		len = strnlen(node->sysctl_data, node->sysctl_size - 1);
		memcpy(buf, node->sysctl_data, len);
		buf[len] = '\0';
		*lenp = len + 1;
		return 0;
	}
	memcpy(buf, node->sysctl_data, node->sysctl_size);
	*lenp = node->sysctl_size;
	return 0;
}

/*
 * Store a checked new value of len bytes into node.  Called with the
 * tree lock held as writer.
 */
static int
sysctl_value_set(const struct sysctlnode *node, char *buf, size_t len)
{

	KASSERT(rw_write_held(&sysctl_treelock));
	if (node->sysctl_func != NULL)
		return node->sysctl_func(node, SYSCTL_SET, buf, &len);
	memcpy(node->sysctl_data, buf, len);
	return 0;
}

/*
 * Return a reply of needed bytes in kbuf to the caller: store needed in
 * *oldlenp and copy to oldp whatever fits of it in whole units of unit
 * bytes.  Returns ENOMEM when not all of it fitted.
 */
static int
sysctl_reply(const struct sysctl_req *req, const void *kbuf, size_t needed,
    size_t unit)
{
	size_t ncopy;
	int error;

	if (req->sr_oldlenp == NULL)
		return 0;
	if (req->sr_oldp != NULL) {
		ncopy = MIN(needed, req->sr_oldlen);
		ncopy -= ncopy % unit;
		if (ncopy > 0) {
			error = copyout(kbuf, req->sr_oldp, ncopy);
			if (error != 0)
				return error;
		}
	}
	error = copyout(&needed, req->sr_oldlenp, sizeof(needed));
	if (error != 0)
		return error;
	if (req->sr_oldp != NULL && req->sr_oldlen < needed)
		return ENOMEM;
	return 0;
}

/* Read and write the value of a leaf. */
static int
sysctl_access(const struct sysctl_req *req)
{
	bool reading = req->sr_oldlenp != NULL;
	bool writing = req->sr_newp != NULL;
	struct sysctlnode *node;
	char *oldbuf, *newbuf;
	size_t size, needed, newlen;
	uint64_t generation;
	u_int type;
	int error;

again:
	oldbuf = newbuf = NULL;
	needed = newlen = 0;

	/* Find the node and check the request against it. */
	rw_enter(&sysctl_treelock, RW_READER);
	error = sysctl_resolve_mib(req->sr_mib, req->sr_miblen, &node);
	if (error == 0)
		error = sysctl_check_access(req, node);
	if (error == 0) {
		size = node->sysctl_size;
		type = SYSCTL_TYPE(node->sysctl_flags);
		generation = sysctl_generation;
	}
	rw_exit(&sysctl_treelock);
	if (error != 0)
		return error;

	/* Allocate and copy in without the lock. */
	if (writing) {
		newbuf = kmem_alloc(size, KM_SLEEP);
		error = sysctl_copyin_value(req, type, size, newbuf, &newlen);
		if (error != 0)
			goto out;
	}
	if (reading)
		oldbuf = kmem_alloc(size, KM_SLEEP);

	/* Read the old value, and write the new one if the old fitted. */
	rw_enter(&sysctl_treelock, writing ? RW_WRITER : RW_READER);
	if (sysctl_generation != generation) {
		/* The tree changed: node may be gone. */
		rw_exit(&sysctl_treelock);
		if (newbuf != NULL)
			kmem_free(newbuf, size);
		if (oldbuf != NULL)
			kmem_free(oldbuf, size);
		goto again;
	}
	if (reading)
		error = sysctl_value_get(node, oldbuf, &needed);
	if (error == 0 && writing &&
	    (req->sr_oldp == NULL || req->sr_oldlen >= needed))
		error = sysctl_value_set(node, newbuf, newlen);
	rw_exit(&sysctl_treelock);

	if (error == 0 && reading)
		error = sysctl_reply(req, oldbuf, needed, 1);

out:
	if (newbuf != NULL)
		kmem_free(newbuf, size);
	if (oldbuf != NULL)
		kmem_free(oldbuf, size);
	return error;
}

/* List the children of the node named by all but the last MIB element. */
static int
sysctl_query(const struct sysctl_req *req)
{
	struct sysctl_nodeinfo *info;
	struct sysctlnode *node, *child;
	uint64_t generation;
	size_t n, i;
	int error;

	/* No query takes arguments. */
	if (req->sr_newp != NULL)
		return EINVAL;

again:
	info = NULL;
	rw_enter(&sysctl_treelock, RW_READER);
	error = sysctl_resolve_mib(req->sr_mib, req->sr_miblen - 1, &node);
	if (error == 0 && SYSCTL_TYPE(node->sysctl_flags) != CTLTYPE_NODE)
		error = ENOTDIR;
	n = error == 0 ? node->sysctl_nchildren : 0;
	generation = sysctl_generation;
	rw_exit(&sysctl_treelock);
	if (error != 0 || req->sr_oldlenp == NULL)
		return error;

	/* Zeroed, so padding and name tails carry no kernel memory. */
	if (n > 0)
		info = kmem_zalloc(n * sizeof(*info), KM_SLEEP);

	rw_enter(&sysctl_treelock, RW_READER);
	if (sysctl_generation != generation) {
		rw_exit(&sysctl_treelock);
		if (info != NULL)
			kmem_free(info, n * sizeof(*info));
		goto again;
	}
	i = 0;
	TAILQ_FOREACH(child, &node->sysctl_children, sysctl_sibling) {
		KASSERT(i < n);
		info[i].sni_flags = child->sysctl_flags;
		info[i].sni_num = child->sysctl_num;
		info[i].sni_size = child->sysctl_size;
		strlcpy(info[i].sni_name, child->sysctl_name,
		    sizeof(info[i].sni_name));
		i++;
	}
	rw_exit(&sysctl_treelock);

	error = sysctl_reply(req, info, n * sizeof(*info), sizeof(*info));
	if (info != NULL)
		kmem_free(info, n * sizeof(*info));
	return error;
}

int
sys___sysctl(struct lwp *l, const struct sys___sysctl_args *uap,
    register_t *retval)
{
	struct sysctl_req req;
	int error;

	memset(&req, 0, sizeof(req));
	req.sr_miblen = SCARG(uap, namelen);
	if (req.sr_miblen < 1 || req.sr_miblen > CTL_MAXNAME)
		return EINVAL;
	error = copyin(SCARG(uap, name), req.sr_mib,
	    req.sr_miblen * sizeof(req.sr_mib[0]));
	if (error != 0)
		return error;

	/* A buffer without a length to go with it is a caller's mistake. */
	req.sr_oldp = SCARG(uap, oldp);
	req.sr_oldlenp = SCARG(uap, oldlenp);
	if (req.sr_oldlenp != NULL) {
		error = copyin(req.sr_oldlenp, &req.sr_oldlen,
		    sizeof(req.sr_oldlen));
		if (error != 0)
			return error;
	} else if (req.sr_oldp != NULL)
		return EINVAL;
	req.sr_newp = SCARG(uap, newp);
	req.sr_newlen = SCARG(uap, newlen);
	req.sr_privileged = kauth_cred_privileged(kauth_cred_get());

	retval[0] = 0;
	if (req.sr_mib[req.sr_miblen - 1] == CTL_QUERY)
		return sysctl_query(&req);
	return sysctl_access(&req);
}

/* ------------------------------------------------------------------ */
/* Boot. */

/* Create a node that the kernel cannot run without; panic on failure. */
static void
sysctl_create_base(const char *parent, int num, const char *name,
    u_int type, void *data, size_t size, const char *desc)
{
	int error;

	error = sysctl_create(parent, num, name, type, CTLFLAG_READONLY,
	    data, size, NULL, desc);
	if (error != 0)
		panic("sysctl_init: cannot create %s%s%s: error %d",
		    parent, parent[0] != '\0' ? "." : "", name, error);
}

void
sysctl_init(void)
{

	KASSERTMSG(!sysctl_initialized, "sysctl_init called twice");
	rw_init(&sysctl_treelock);
	sysctl_root.sysctl_flags = CTLTYPE_NODE;
	TAILQ_INIT(&sysctl_root.sysctl_children);
	sysctl_initialized = true;

	sysctl_create_base("", CTL_KERN, "kern", CTLTYPE_NODE, NULL, 0,
	    "General kernel state");
	sysctl_create_base("", CTL_VM, "vm", CTLTYPE_NODE, NULL, 0,
	    "Memory management");
	sysctl_create_base("", CTL_VFS, "vfs", CTLTYPE_NODE, NULL, 0,
	    "File systems");
	sysctl_create_base("", CTL_NET, "net", CTLTYPE_NODE, NULL, 0,
	    "Networking");
	sysctl_create_base("", CTL_DEBUG, "debug", CTLTYPE_NODE, NULL, 0,
	    "Debugging");
	sysctl_create_base("", CTL_HW, "hw", CTLTYPE_NODE, NULL, 0,
	    "Hardware");

	sysctl_create_base("kern", KERN_BOOTTIME, "boottime", CTLTYPE_STRUCT,
	    &boottime, sizeof(boottime), "Wall clock time at boot");
	sysctl_create_base("hw", HW_NCPU, "ncpu", CTLTYPE_INT,
	    &ncpu, sizeof(ncpu), "Number of virtual CPUs");
	sysctl_create_base("hw", HW_PAGESIZE, "pagesize", CTLTYPE_INT,
	    &sysctl_pagesize, sizeof(sysctl_pagesize), "Page size in bytes");
	sysctl_create_base("hw", HW_PHYSMEM64, "physmem64", CTLTYPE_QUAD,
	    &physmem_bytes, sizeof(physmem_bytes),
	    "Memory the kernel may use, in bytes");
	/* As an int, saturated at INT_MAX, as the BSDs give it. */
	physmem_int = physmem_bytes > INT_MAX ? INT_MAX : (int)physmem_bytes;
	sysctl_create_base("hw", HW_PHYSMEM, "physmem", CTLTYPE_INT,
	    &physmem_int, sizeof(physmem_int),
	    "Memory the kernel may use, in bytes, at most INT_MAX");

	/* kern.ostype, kern.hostname, hw.machine and the like. */
	uname_init();
}
