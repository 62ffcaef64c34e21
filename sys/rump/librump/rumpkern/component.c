/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The component registry.  Components arrive from the link set of the
 * program (a static link merges every library's set into the program's)
 * and from the link sets of shared objects, which the hypervisor finds
 * with rumpuser_dl_bootstrap.  The same component may be reported by
 * both routes; it is registered once.
 */

#include <sys/types.h>
#include <sys/systm.h>

#include <rump-sys/kern.h>

#include "rump_private.h"

/* Components the kernel can hold; more is a build mistake, so panic. */
#define RUMP_MAXCOMPONENTS	512

static const struct rump_component *components[RUMP_MAXCOMPONENTS];
static int ncomponents;
static bool component_inited[RUMP_COMPONENT_MAX];

/* The delimiters of our own link set; weak, since it may be empty. */
extern struct rump_component *const __start_link_set_rump_components[]
    __attribute__((__weak__));
extern struct rump_component *const __stop_link_set_rump_components[]
    __attribute__((__weak__));

void
rump_component_load(const struct rump_component *rc)
{
	int i;

	for (i = 0; i < ncomponents; i++)
		if (components[i] == rc)
			return;
	if ((u_int)rc->rc_type >= RUMP_COMPONENT_MAX)
		panic("component %p has an invalid type %d", rc, rc->rc_type);
	if (ncomponents == RUMP_MAXCOMPONENTS)
		panic("more than %d kernel components", RUMP_MAXCOMPONENTS);
	components[ncomponents++] = rc;
}

int
rump_component_count(enum rump_component_type type)
{
	int i, n = 0;

	for (i = 0; i < ncomponents; i++)
		if (components[i]->rc_type == type)
			n++;
	return n;
}

void
rump_component_init(enum rump_component_type type)
{
	int i;

	KASSERT((u_int)type < RUMP_COMPONENT_MAX);
	if (component_inited[type])
		panic("components of type %d initialised twice", type);
	component_inited[type] = true;
	for (i = 0; i < ncomponents; i++)
		if (components[i]->rc_type == type)
			components[i]->rc_init();
}

static void
modinit_ignore(const struct modinfo *const *mi, size_t n)
{

	if (n > 0)
		aprint_verbose("ignoring %zu kernel modules: no module "
		    "support\n", n);
}

static int
symload_ignore(void *symtab, uint64_t symsize, char *strtab,
    uint64_t strsize)
{

	return 0;
}

/* Collect every component of the program and its shared objects. */
void
rump_component_bootstrap(void)
{
	struct rump_component *const *rcp;

	if (__start_link_set_rump_components != NULL) {
		for (rcp = __start_link_set_rump_components;
		    rcp < __stop_link_set_rump_components; rcp++)
			rump_component_load(*rcp);
	}
	rumpuser_dl_bootstrap(modinit_ignore, symload_ignore,
	    rump_component_load, NULL);
}
