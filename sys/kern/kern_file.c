/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open files: allocation and reference counting of struct file (see
 * sys/file.h), and the default operations for what a file type does not
 * support.
 *
 * A file starts with one reference, which its creator hands to a
 * descriptor table with fd_affix.  Descriptors, calls in progress and
 * forked tables add references; the last file_release calls the type's
 * fo_close, drops the opener's credential and frees the file.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mutex.h>

struct file *
file_alloc(int type, const struct fileops *ops, void *data, int fflag,
    kauth_cred_t cred)
{
	struct file *f;

	KASSERT(ops != NULL);
	f = kmem_zalloc(sizeof(*f), KM_SLEEP);
	mutex_init(&f->f_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&f->f_poslock, MUTEX_DEFAULT, IPL_NONE);
	f->f_count = 1;
	f->f_flag = fflag;
	f->f_type = type;
	f->f_ops = ops;
	f->f_data = data;
	f->f_offset = 0;
	kauth_cred_hold(cred);
	f->f_cred = cred;
	return f;
}

void
file_hold(struct file *f)
{

	KASSERT(f->f_count > 0);
	atomic_inc_uint(&f->f_count);
}

int
file_release(struct file *f)
{
	int error = 0;

	KASSERT(f->f_count > 0);
	if (atomic_dec_uint_nv(&f->f_count) > 0)
		return 0;

	if (f->f_ops->fo_close != NULL)
		error = f->f_ops->fo_close(f);
	kauth_cred_free(f->f_cred);
	mutex_destroy(&f->f_poslock);
	mutex_destroy(&f->f_lock);
	kmem_free(f, sizeof(*f));
	return error;
}

int
file_getflags(struct file *f)
{
	int fflag;

	mutex_enter(&f->f_lock);
	fflag = f->f_flag;
	mutex_exit(&f->f_lock);
	return fflag;
}

int
fnullop_setflags(struct file *f, int fflag)
{

	return 0;
}

int
fbadop_advlock(struct file *f, int op, struct flock *fl, void *owner)
{

	return EINVAL;
}
