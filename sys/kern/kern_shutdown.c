/* SPDX-License-Identifier: BSD-2-Clause */
/* Shutdown hooks, run when the kernel halts. */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct shutdownhook {
	LIST_ENTRY(shutdownhook) sh_entry;
	void	(*sh_func)(void *);
	void	*sh_arg;
};

int shutdown_howto;

/*
 * Hooks are added and removed while the kernel boots and by components;
 * callers serialise those changes, so the list has no lock.
 */
static LIST_HEAD(, shutdownhook) shutdownhooks =
    LIST_HEAD_INITIALIZER(shutdownhooks);

void *
shutdownhook_establish(void (*func)(void *), void *arg)
{
	struct shutdownhook *sh;

	sh = kmem_alloc(sizeof(*sh), KM_SLEEP);
	sh->sh_func = func;
	sh->sh_arg = arg;
	LIST_INSERT_HEAD(&shutdownhooks, sh, sh_entry);
	return sh;
}

void
shutdownhook_disestablish(void *cookie)
{
	struct shutdownhook *sh = cookie;

	LIST_REMOVE(sh, sh_entry);
	kmem_free(sh, sizeof(*sh));
}

void
doshutdownhooks(void)
{
	struct shutdownhook *sh;

	while ((sh = LIST_FIRST(&shutdownhooks)) != NULL) {
		LIST_REMOVE(sh, sh_entry);
		sh->sh_func(sh->sh_arg);
		kmem_free(sh, sizeof(*sh));
	}
}
