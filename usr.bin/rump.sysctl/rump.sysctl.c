/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump.sysctl: read and set sysctl nodes of the rump kernel served at
 * RUMP_SERVER (see rump.sysctl(8)).  Names are turned into MIB numbers
 * with the kernel's CTL_QUERY listings, which also give each node's type.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

/* The longest MIB the kernel takes. */
#define MIB_MAX		12

static bool valuesonly;

static void
usage(void)
{

	fprintf(stderr, "usage: rump.sysctl [-n] name[=value] ...\n"
	    "       rump.sysctl [-n] -a\n");
	exit(2);
}

/*
 * List the children of the node mib[0 .. depth - 1] into a malloc'd
 * array of *countp entries.  Returns 0 or an errno value.
 */
static int
list_children(int *mib, unsigned depth, struct rump_sysctlnode **nodesp,
    size_t *countp)
{
	struct rump_sysctlnode *nodes = NULL, *more;
	int query[MIB_MAX + 1];
	size_t size = 16 * sizeof(*nodes), len;

	memcpy(query, mib, depth * sizeof(*mib));
	query[depth] = RUMP_CTL_QUERY;
	for (;;) {
		if ((more = realloc(nodes, size)) == NULL) {
			free(nodes);
			return ENOMEM;
		}
		nodes = more;
		len = size;
		if (rump_sys___sysctl(query, depth + 1, nodes, &len, NULL,
		    0) == 0)
			break;
		if (errno != ENOMEM) {
			free(nodes);
			return errno;
		}
		size = len > size ? len + 4 * sizeof(*nodes) : 2 * size;
	}
	*nodesp = nodes;
	*countp = len / sizeof(*nodes);
	return 0;
}

/*
 * Resolve a dotted name into mib and *depthp, and the node's own entry
 * into *node.  Returns 0 or an errno value.
 */
static int
resolve(const char *name, int *mib, unsigned *depthp,
    struct rump_sysctlnode *node)
{
	struct rump_sysctlnode *nodes;
	const char *comp = name, *dot;
	size_t count, i, len;
	unsigned depth = 0;
	int error;

	for (;;) {
		dot = strchr(comp, '.');
		len = dot != NULL ? (size_t)(dot - comp) : strlen(comp);
		if (len == 0 || depth >= MIB_MAX)
			return ENOENT;
		if ((error = list_children(mib, depth, &nodes, &count)) != 0)
			return error;
		for (i = 0; i < count; i++) {
			if (strncmp(nodes[i].sn_name, comp, len) == 0 &&
			    nodes[i].sn_name[len] == '\0')
				break;
		}
		if (i == count) {
			free(nodes);
			return ENOENT;
		}
		*node = nodes[i];
		mib[depth++] = nodes[i].sn_num;
		free(nodes);
		if (dot == NULL)
			break;
		comp = dot + 1;
	}
	*depthp = depth;
	return 0;
}

/*
 * Print the value buf (len bytes) of a leaf of the given type, after
 * "name = " when showname is set, and then the text end.
 */
static void
print_value(const char *name, bool showname, unsigned type, const void *buf,
    size_t len, const char *end)
{
	const unsigned char *p = buf;
	int32_t i32;
	int64_t i64;
	size_t i;

	if (showname)
		printf("%s = ", name);
	switch (type) {
	case RUMP_CTLTYPE_STRING:
		printf("%.*s%s", (int)strnlen(buf, len), (const char *)buf,
		    end);
		return;
	case RUMP_CTLTYPE_INT:
	case RUMP_CTLTYPE_BOOL:
	case RUMP_CTLTYPE_QUAD:
		if (len == sizeof(i64)) {
			memcpy(&i64, buf, sizeof(i64));
			printf("%" PRId64 "%s", i64, end);
			return;
		}
		if (len == sizeof(i32)) {
			memcpy(&i32, buf, sizeof(i32));
			printf("%" PRId32 "%s", i32, end);
			return;
		}
		if (len == 1) {
			printf("%u%s", p[0], end);
			return;
		}
		break;
	}
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("%s", end);
}

/* Read a leaf into a malloc'd buffer.  Returns 0 or an errno value. */
static int
read_leaf(const int *mib, unsigned depth, void **bufp, size_t *lenp)
{
	void *buf;
	size_t len = 0;

	if (rump_sys___sysctl(mib, depth, NULL, &len, NULL, 0) == -1)
		return errno;
	len += 64;
	if ((buf = calloc(1, len + 1)) == NULL)
		return ENOMEM;
	if (rump_sys___sysctl(mib, depth, buf, &len, NULL, 0) == -1) {
		free(buf);
		return errno;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/*
 * Print the node mib[0 .. depth - 1] called name: its value, or all the
 * leaves under it.  Returns 0 or the first errno value met.
 */
static int
show(char *name, int *mib, unsigned depth, const struct rump_sysctlnode *node)
{
	struct rump_sysctlnode *nodes;
	unsigned type = node->sn_flags & RUMP_CTLTYPE_MASK;
	size_t count, i, len, namelen;
	char *child;
	void *buf;
	int error, first = 0;

	if (type != RUMP_CTLTYPE_NODE) {
		if ((error = read_leaf(mib, depth, &buf, &len)) != 0) {
			fprintf(stderr, "rump.sysctl: %s: %s\n", name,
			    strerror(error));
			return error;
		}
		print_value(name, !valuesonly, type, buf, len, "\n");
		free(buf);
		return 0;
	}
	if (depth >= MIB_MAX)
		return 0;
	if ((error = list_children(mib, depth, &nodes, &count)) != 0) {
		fprintf(stderr, "rump.sysctl: %s: %s\n",
		    depth > 0 ? name : "listing", strerror(error));
		return error;
	}
	namelen = strlen(name);
	for (i = 0; i < count; i++) {
		child = malloc(namelen + sizeof(nodes[i].sn_name) + 2);
		if (child == NULL) {
			free(nodes);
			return ENOMEM;
		}
		nodes[i].sn_name[sizeof(nodes[i].sn_name) - 1] = '\0';
		sprintf(child, "%s%s%s", name, namelen > 0 ? "." : "",
		    nodes[i].sn_name);
		mib[depth] = nodes[i].sn_num;
		error = show(child, mib, depth + 1, &nodes[i]);
		if (error != 0 && first == 0)
			first = error;
		free(child);
	}
	free(nodes);
	return first;
}

/* Set the leaf called name to the text value.  Returns 0 or an errno. */
static int
set(char *name, const int *mib, unsigned depth,
    const struct rump_sysctlnode *node, const char *value)
{
	unsigned type = node->sn_flags & RUMP_CTLTYPE_MASK;
	union { int32_t i32; int64_t i64; uint8_t u8; } num;
	const void *newp;
	size_t newlen, oldlen;
	void *old;
	char *end;
	long long v;
	int error;

	if (type == RUMP_CTLTYPE_STRING) {
		newp = value;
		newlen = strlen(value) + 1;
	} else if (type == RUMP_CTLTYPE_INT || type == RUMP_CTLTYPE_QUAD ||
	    type == RUMP_CTLTYPE_BOOL) {
		errno = 0;
		v = strtoll(value, &end, 0);
		if (*value == '\0' || *end != '\0' || errno != 0) {
			fprintf(stderr, "rump.sysctl: %s: invalid number "
			    "'%s'\n", name, value);
			return EINVAL;
		}
		newp = &num;
		newlen = node->sn_size;
		if (newlen == sizeof(num.i64))
			num.i64 = v;
		else if (newlen == 1)
			num.u8 = (uint8_t)v;
		else {
			newlen = sizeof(num.i32);
			num.i32 = (int32_t)v;
		}
	} else {
		fprintf(stderr, "rump.sysctl: %s: cannot set a value of "
		    "this type, only strings and integers\n", name);
		return EINVAL;
	}

	if ((error = read_leaf(mib, depth, &old, &oldlen)) != 0) {
		fprintf(stderr, "rump.sysctl: %s: %s\n", name,
		    strerror(error));
		return error;
	}
	if (rump_sys___sysctl(mib, depth, NULL, NULL, newp, newlen) == -1) {
		error = errno;
		fprintf(stderr, "rump.sysctl: %s: %s\n", name,
		    strerror(error));
		free(old);
		return error;
	}
	if (!valuesonly) {
		printf("%s: ", name);
		print_value(name, false, type, old, oldlen, " -> ");
	}
	free(old);

	if ((error = read_leaf(mib, depth, &old, &oldlen)) != 0) {
		fprintf(stderr, "rump.sysctl: %s: %s\n", name,
		    strerror(error));
		return error;
	}
	print_value(name, false, type, old, oldlen, "\n");
	free(old);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rump_sysctlnode node;
	const char *server;
	int mib[MIB_MAX + 1];
	unsigned depth;
	bool all = false;
	char *name, *eq, root[1] = "";
	int ch, error, status = 0;

	while ((ch = getopt(argc, argv, "an")) != -1) {
		switch (ch) {
		case 'a':
			all = true;
			break;
		case 'n':
			valuesonly = true;
			break;
		default:
			usage();
		}
	}
	if (all == (optind < argc))
		usage();

	server = getenv("RUMP_SERVER");
	if (server == NULL || *server == '\0') {
		fprintf(stderr, "rump.sysctl: RUMP_SERVER is not set: set it to "
		    "the server's address, such as unix:///tmp/sock\n");
		return 1;
	}
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.sysctl: cannot connect to the rump kernel "
		    "at %s: %s\n", server, strerror(errno));
		return 1;
	}

	if (all) {
		memset(&node, 0, sizeof(node));
		node.sn_flags = RUMP_CTLTYPE_NODE;
		return show(root, mib, 0, &node) != 0;
	}
	for (; optind < argc; optind++) {
		name = argv[optind];
		if ((eq = strchr(name, '=')) != NULL)
			*eq = '\0';
		if ((error = resolve(name, mib, &depth, &node)) != 0) {
			fprintf(stderr, "rump.sysctl: %s: %s\n", name,
			    strerror(error));
			status = 1;
			continue;
		}
		if (eq != NULL)
			error = set(name, mib, depth, &node, eq + 1);
		else
			error = show(name, mib, depth, &node);
		if (error != 0)
			status = 1;
	}
	return status;
}
