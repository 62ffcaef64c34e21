/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Asynchronous block I/O: rumpuser_bio().
 *
 * Requests go into a bounded queue served by BIO_NWORKERS host threads,
 * started on the first request.  Each worker becomes a kernel lwp of the
 * kernel process once, at start.  It then does the host I/O of each
 * request without a virtual CPU, because the I/O may block, and takes a
 * CPU only to run the completion callback, which is kernel code.
 *
 * With RUMP_THREADS set to a value starting with '0' the kernel runs
 * without threads of its own, so no workers are started: the caller does
 * the I/O itself without its CPU and runs the callback with the CPU held.
 */

#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rump/rumpuser.h>

#include "rumpuser_int.h"

/* Number of I/O threads. */
#define BIO_NWORKERS	2

/* Requests that may wait in the queue before submitters must wait. */
#define BIO_QUEUE_LEN	128

struct bio_request {
	int br_fd;
	int br_op;			/* RUMPUSER_BIO_* */
	void *br_data;
	size_t br_dlen;
	int64_t br_off;
	rump_biodone_fn br_biodone;
	void *br_donearg;
};

/* The request queue, a ring of BIO_QUEUE_LEN slots. */
static struct {
	pthread_mutex_t lock;		/* protects the fields below */
	pthread_cond_t nonempty;	/* workers wait here */
	pthread_cond_t nonfull;		/* submitters wait here */
	unsigned int head;		/* slot of the oldest request */
	unsigned int count;		/* number of queued requests */
	struct bio_request ring[BIO_QUEUE_LEN];
} bio_queue = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.nonempty = PTHREAD_COND_INITIALIZER,
	.nonfull = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t bio_once = PTHREAD_ONCE_INIT;
static bool bio_synchronous;	/* set once by bio_start() */

/*
 * Do the host I/O of req and store the byte count and error.  A read may
 * come up short at the end of the file.  A failed request reports 0
 * bytes.  An object that cannot be synced (EINVAL from fdatasync) counts
 * as synced, as in rumpuser_syncfd().
 */
static void
bio_perform(const struct bio_request *req, size_t *bytesp, int *errorp)
{
	char *data = req->br_data;
	size_t done;
	ssize_t n;
	bool write;

	write = (req->br_op & RUMPUSER_BIO_WRITE) != 0;
	if (write == ((req->br_op & RUMPUSER_BIO_READ) != 0) ||
	    req->br_off < 0) {
		*bytesp = 0;
		*errorp = EINVAL;
		return;
	}

	done = 0;
	while (done < req->br_dlen) {
		if (write)
			n = pwrite(req->br_fd, data + done,
			    req->br_dlen - done, (off_t)req->br_off +
			    (off_t)done);
		else
			n = pread(req->br_fd, data + done,
			    req->br_dlen - done, (off_t)req->br_off +
			    (off_t)done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0) {
			if (write) {
				/* A write that makes no progress would spin. */
				errno = EIO;
				goto fail;
			}
			break;
		}
		done += (size_t)n;
	}

	if (write && (req->br_op & RUMPUSER_BIO_SYNC) &&
	    fdatasync(req->br_fd) == -1 && errno != EINVAL)
		goto fail;

	*bytesp = done;
	*errorp = 0;
	return;

fail:
	*bytesp = 0;
	*errorp = errno;
}

/*
 * Body of an I/O thread.  It holds no CPU except around each completion
 * callback.
 */
static void *
bio_worker(void *arg)
{
	struct bio_request req;
	size_t bytes;
	int error, nlocks;

	(void)arg;
	(void)pthread_setname_np(pthread_self(), "rumpuser_bio");

	rumpuser__hyp.hyp_schedule();
	error = rumpuser__hyp.hyp_lwproc_newlwp(0);
	if (error != 0)
		rumpuser__fatal_error("creating the lwp of an I/O thread",
		    error);
	rumpuser__hyp.hyp_unschedule();

	for (;;) {
		RUMPUSER_NOFAIL(pthread_mutex_lock(&bio_queue.lock));
		while (bio_queue.count == 0)
			RUMPUSER_NOFAIL(pthread_cond_wait(&bio_queue.nonempty,
			    &bio_queue.lock));
		req = bio_queue.ring[bio_queue.head];
		bio_queue.head = (bio_queue.head + 1) % BIO_QUEUE_LEN;
		bio_queue.count--;
		RUMPUSER_NOFAIL(pthread_cond_signal(&bio_queue.nonfull));
		RUMPUSER_NOFAIL(pthread_mutex_unlock(&bio_queue.lock));

		bio_perform(&req, &bytes, &error);

		rumpuser__hyp.hyp_backend_schedule(0, NULL);
		req.br_biodone(req.br_donearg, bytes, error);
		rumpuser__hyp.hyp_backend_unschedule(0, &nlocks, NULL);
	}
	return NULL;
}

/*
 * Choose the mode on the first request and start the workers if there are
 * to be any.  Workers block every signal, so that signals go to the
 * application's threads.  Failing to start one is fatal because
 * rumpuser_bio() cannot report it.
 */
static void
bio_start(void)
{
	sigset_t all, saved;
	pthread_attr_t attr;
	pthread_t thread;
	const char *threads;
	int i;

	threads = getenv("RUMP_THREADS");
	if (threads != NULL && threads[0] == '0') {
		bio_synchronous = true;
		return;
	}

	RUMPUSER_NOFAIL(pthread_attr_init(&attr));
	RUMPUSER_NOFAIL(pthread_attr_setdetachstate(&attr,
	    PTHREAD_CREATE_DETACHED));
	sigfillset(&all);
	RUMPUSER_NOFAIL(pthread_sigmask(SIG_SETMASK, &all, &saved));
	for (i = 0; i < BIO_NWORKERS; i++)
		RUMPUSER_NOFAIL(pthread_create(&thread, &attr, bio_worker,
		    NULL));
	RUMPUSER_NOFAIL(pthread_sigmask(SIG_SETMASK, &saved, NULL));
	pthread_attr_destroy(&attr);
}

/*
 * Start reading (RUMPUSER_BIO_READ) or writing (RUMPUSER_BIO_WRITE, with
 * RUMPUSER_BIO_SYNC to reach stable storage before completion) dlen bytes
 * of data at offset off of fd.  biodone(donearg, bytes, error) is called
 * exactly once, with a CPU held, possibly before this returns and possibly
 * on another thread.  On failure bytes is 0 and error a host errno value.
 * The caller holds a CPU.  It is released only while the queue is full or
 * while synchronous I/O runs.
 */
void
rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
    rump_biodone_fn biodone, void *donearg)
{
	struct bio_request req = {
		.br_fd = fd,
		.br_op = op,
		.br_data = data,
		.br_dlen = dlen,
		.br_off = off,
		.br_biodone = biodone,
		.br_donearg = donearg,
	};
	size_t bytes;
	int error, nlocks;
	bool unscheduled;

	RUMPUSER_NOFAIL(pthread_once(&bio_once, bio_start));

	if (bio_synchronous) {
		rumpuser__unschedule(&nlocks, NULL);
		bio_perform(&req, &bytes, &error);
		rumpuser__reschedule(nlocks, NULL);
		biodone(donearg, bytes, error);
		return;
	}

	/*
	 * The queue lock is held only briefly, so it is taken with the CPU.
	 * Waiting for a free slot is done without it.
	 */
	unscheduled = false;
	RUMPUSER_NOFAIL(pthread_mutex_lock(&bio_queue.lock));
	if (bio_queue.count == BIO_QUEUE_LEN) {
		RUMPUSER_NOFAIL(pthread_mutex_unlock(&bio_queue.lock));
		rumpuser__unschedule(&nlocks, NULL);
		unscheduled = true;
		RUMPUSER_NOFAIL(pthread_mutex_lock(&bio_queue.lock));
		while (bio_queue.count == BIO_QUEUE_LEN)
			RUMPUSER_NOFAIL(pthread_cond_wait(&bio_queue.nonfull,
			    &bio_queue.lock));
	}
	bio_queue.ring[(bio_queue.head + bio_queue.count) % BIO_QUEUE_LEN] =
	    req;
	bio_queue.count++;
	RUMPUSER_NOFAIL(pthread_cond_signal(&bio_queue.nonempty));
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&bio_queue.lock));
	if (unscheduled)
		rumpuser__reschedule(nlocks, NULL);
}
