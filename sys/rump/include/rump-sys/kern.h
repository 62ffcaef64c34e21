/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Rump kernel components: how a library of kernel code registers itself.
 *
 * A component is an init function with a type.  RUMP_COMPONENT(type) puts
 * a pointer to one in the link set rump_components, an ELF section that the
 * linker delimits with __start_link_set_rump_components and
 * __stop_link_set_rump_components.  rump_init() collects the components of
 * the program and of every shared object loaded into it, and runs the init
 * functions type by type in the boot order (see rump.c).  Only glue code
 * under sys/rump includes this header.
 */

#ifndef _RUMP_SYS_KERN_H_
#define _RUMP_SYS_KERN_H_

#include <sys/types.h>
#include <sys/queue.h>

enum rump_component_type {
	RUMP_COMPONENT_DEV,
	RUMP_COMPONENT_DEV_AFTERMAINBUS,
	RUMP_COMPONENT_NET,
	RUMP_COMPONENT_NET_ROUTE,
	RUMP_COMPONENT_NET_IF,
	RUMP_COMPONENT_NET_IFCFG,
	RUMP_COMPONENT_VFS,
	RUMP_COMPONENT_KERN,
	RUMP_COMPONENT_KERN_VFS,
	RUMP_COMPONENT_POSTINIT,
	RUMP_COMPONENT_SYSCALL,
	RUMP__FACTION_DEV,
	RUMP__FACTION_VFS,
	RUMP__FACTION_NET,
	RUMP_COMPONENT_MAX
};

struct rump_component {
	enum rump_component_type rc_type;
	void	(*rc_init)(void);
	LIST_ENTRY(rump_component) rc_entries;	/* kernel's: loaded list */
};

#define RUMP_COMPONENT(type)						\
static void __CONCAT(rumpcompinit, type)(void);				\
static struct rump_component __CONCAT(rumpcomp, type) = {		\
	.rc_type = (type),						\
	.rc_init = __CONCAT(rumpcompinit, type),			\
};									\
static struct rump_component *const __CONCAT(rumpcompptr, type)	\
    __section("link_set_rump_components") __used			\
    __aligned(sizeof(void *)) = &__CONCAT(rumpcomp, type);		\
static void __CONCAT(rumpcompinit, type)(void)

/* Add a component found at run time; duplicates are ignored. */
void	rump_component_load(const struct rump_component *);
/* Number of loaded components of a type. */
int	rump_component_count(enum rump_component_type);
/* Run the init functions of every loaded component of a type, once. */
void	rump_component_init(enum rump_component_type);

#endif /* _RUMP_SYS_KERN_H_ */
