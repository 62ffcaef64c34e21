/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Discovery of kernel components and modules linked into the program:
 * rumpuser_dl_bootstrap().
 *
 * A kernel component registers itself by putting a pointer to its
 * descriptor into the ELF section "link_set_rump_components", and a kernel
 * module a pointer to its modinfo into "link_set_modules".  The linker
 * gathers the section of every object (the program, each shared object)
 * and marks its bounds with the symbols __start_<section> and
 * __stop_<section>.  This file finds those bounds for every loaded object
 * and hands the entries to the kernel.
 *
 * GNU ld defines the bound symbols of an object only when something in the
 * same link refers to them.  This file refers to them weakly, so a program
 * linked against librumpuser exports the bounds of its own sets.  A
 * component shared object must refer to the bounds of its own sets itself,
 * or its entries are not found here.
 *
 * No kernel symbol table is built, so the symload callback is never
 * called, and event counters are not attached, so evcntattach is never
 * called either.
 */

#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpuser.h>

#include "rumpuser_int.h"

/*
 * Weak references that make the linker define and export the set bounds
 * of the program that links this library.  They resolve to the first
 * definition in the global scope, so they are checked against each object
 * like any other candidate.
 */
extern const void *const __start_link_set_rump_components[]
    __attribute__((__weak__));
extern const void *const __stop_link_set_rump_components[]
    __attribute__((__weak__));
extern const void *const __start_link_set_modules[] __attribute__((__weak__));
extern const void *const __stop_link_set_modules[] __attribute__((__weak__));

/* A loaded object as reported by dl_iterate_phdr(). */
struct dl_object {
	char *do_name;			/* "" for the main program */
	ElfW(Addr) do_base;		/* load bias */
	const ElfW(Phdr) *do_phdr;	/* its program headers, in memory */
	ElfW(Half) do_phnum;
};

struct dl_object_list {
	struct dl_object *objects;
	size_t count;
	size_t capacity;
};

static int
dl_collect_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct dl_object_list *list = arg;
	struct dl_object *objects;
	size_t capacity;
	char *name;

	(void)size;
	if (list->count == list->capacity) {
		capacity = list->capacity != 0 ? list->capacity * 2 : 16;
		objects = realloc(list->objects, capacity * sizeof(*objects));
		if (objects == NULL)
			rumpuser__fatal_error("listing the loaded objects",
			    ENOMEM);
		list->objects = objects;
		list->capacity = capacity;
	}
	name = strdup(info->dlpi_name != NULL ? info->dlpi_name : "");
	if (name == NULL)
		rumpuser__fatal_error("listing the loaded objects", ENOMEM);
	list->objects[list->count++] = (struct dl_object){
		.do_name = name,
		.do_base = info->dlpi_addr,
		.do_phdr = info->dlpi_phdr,
		.do_phnum = info->dlpi_phnum,
	};
	return 0;
}

/*
 * Return whether addr lies in a loaded segment of obj.  at_end allows the
 * address just past a segment, where a __stop_ symbol may point.
 */
static bool
dl_object_contains(const struct dl_object *obj, const void *addr,
    bool at_end)
{
	uintptr_t a, start, end;
	ElfW(Half) i;

	a = (uintptr_t)addr;
	for (i = 0; i < obj->do_phnum; i++) {
		if (obj->do_phdr[i].p_type != PT_LOAD)
			continue;
		start = obj->do_base + obj->do_phdr[i].p_vaddr;
		end = start + obj->do_phdr[i].p_memsz;
		if (a >= start && (a < end || (at_end && a == end)))
			return true;
	}
	return false;
}

/*
 * Find the bounds of a link set that belong to obj itself, looking first
 * for the symbols start_name and stop_name among obj's dynamic symbols
 * (through handle, which may be NULL), then at the weak references.  A
 * lookup through a handle also searches the object's dependencies, so
 * every candidate is checked to lie in obj.  Returns false if obj has no
 * such set or it is empty.
 */
static bool
dl_find_set(const struct dl_object *obj, void *handle,
    const char *start_name, const char *stop_name,
    const void *weak_start, const void *weak_stop,
    const void *const **startp, size_t *countp)
{
	const void *start, *stop;
	size_t bytes;

	start = stop = NULL;
	if (handle != NULL) {
		start = dlsym(handle, start_name);
		stop = dlsym(handle, stop_name);
	}
	if (start == NULL || stop == NULL ||
	    !dl_object_contains(obj, start, false) ||
	    !dl_object_contains(obj, stop, true)) {
		start = weak_start;
		stop = weak_stop;
		if (start == NULL || stop == NULL ||
		    !dl_object_contains(obj, start, false) ||
		    !dl_object_contains(obj, stop, true))
			return false;
	}

	if ((uintptr_t)stop < (uintptr_t)start)
		return false;
	bytes = (uintptr_t)stop - (uintptr_t)start;
	if (bytes == 0 || bytes % sizeof(void *) != 0)
		return false;
	*startp = start;
	*countp = bytes / sizeof(void *);
	return true;
}

static void
dl_load_object(const struct dl_object *obj, rump_modinit_fn modinit,
    rump_compload_fn compload)
{
	const void *const *entries;
	void *handle;
	size_t count, i;

	/* The main program's handle comes from dlopen(NULL). */
	handle = dlopen(obj->do_name[0] != '\0' ? obj->do_name : NULL,
	    RTLD_NOLOAD | RTLD_LAZY);

	if (compload != NULL &&
	    dl_find_set(obj, handle, "__start_link_set_rump_components",
	    "__stop_link_set_rump_components",
	    __start_link_set_rump_components, __stop_link_set_rump_components,
	    &entries, &count)) {
		for (i = 0; i < count; i++) {
			if (entries[i] != NULL)
				compload(entries[i]);
		}
	}

	if (modinit != NULL &&
	    dl_find_set(obj, handle, "__start_link_set_modules",
	    "__stop_link_set_modules",
	    __start_link_set_modules, __stop_link_set_modules,
	    &entries, &count))
		modinit((const struct modinfo *const *)entries, count);

	if (handle != NULL)
		dlclose(handle);
}

/*
 * Hand the kernel every component (compload, once per entry) and every
 * module set (modinit, once per object) found in the loaded objects, last
 * loaded first.  The kernel may also find the main program's entries
 * through its own static link sets, so it must accept a component that is
 * reported twice.  symload and evcntattach are not called (see above).  A
 * program without a dynamic linker has one object, itself, and works the
 * same way.
 */
void
rumpuser_dl_bootstrap(rump_modinit_fn modinit, rump_symload_fn symload,
    rump_compload_fn compload, rump_evcntattach_fn evcntattach)
{
	struct dl_object_list list = { NULL, 0, 0 };
	size_t i;

	(void)symload;
	(void)evcntattach;

	/*
	 * Collect the objects first, so that no kernel code runs while
	 * dl_iterate_phdr() holds the dynamic linker's lock.
	 */
	dl_iterate_phdr(dl_collect_object, &list);
	for (i = list.count; i > 0; i--)
		dl_load_object(&list.objects[i - 1], modinit, compload);

	for (i = 0; i < list.count; i++)
		free(list.objects[i].do_name);
	free(list.objects);
}
