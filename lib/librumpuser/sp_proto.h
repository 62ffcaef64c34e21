/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Wire format of the remote system call protocol, shared by the server
 * (rumpuser_sp.c) and librumpclient.  doc/rump_sp.7 describes it.  All
 * fields are little-endian; the hosts we build for are little-endian, so
 * the structures are sent as they are laid out in memory.
 */

#ifndef _LIB_LIBRUMPUSER_SP_PROTO_H_
#define _LIB_LIBRUMPUSER_SP_PROTO_H_

#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the remote system call protocol is little-endian only"
#endif

#define RSP_MAGIC	0x31505352u	/* "RSP1" */
#define RSP_VMAJOR	1
#define RSP_VMINOR	1		/* 1 added PREFORK, FORK, EXEC */

/* Largest data part of a copy message, and of any whole message. */
#define RSP_MAXDATA	(256 * 1024)
#define RSP_MAXMSG	(RSP_MAXDATA + 64)
/* Largest system call argument block. */
#define RSP_MAXARGS	256
/* System call requests one client may have outstanding at once. */
#define RSP_MAXREQS	64
/* Length of the banner text, and of the process name sent by the client. */
#define RSP_BANNERLEN	128
#define RSP_COMMLEN	16
#define RSP_COOKIELEN	16

enum rsp_type {
	RSP_BANNER = 1,		/* s->c: greeting text */
	RSP_HANDSHAKE = 2,	/* c->s: struct rsp_handshake */
	RSP_HANDSHAKE_REPLY = 3, /* s->c: struct rsp_handshake_reply */
	RSP_SYSCALL = 4,	/* c->s: struct rsp_syscall + argument block */
	RSP_SYSCALL_REPLY = 5,	/* s->c: struct rsp_syscall_reply */
	RSP_COPYIN = 6,		/* s->c: struct rsp_copyreq */
	RSP_COPYINSTR = 7,	/* s->c: struct rsp_copyreq */
	RSP_COPYIN_REPLY = 8,	/* c->s: struct rsp_copyin_reply + data */
	RSP_COPYOUT = 9,	/* s->c: struct rsp_copyout + data, no reply */
	RSP_ANONMMAP = 10,	/* s->c: struct rsp_copyreq (len only) */
	RSP_ANONMMAP_REPLY = 11, /* c->s: struct rsp_anonmmap_reply */
	RSP_RAISE = 12,		/* s->c: struct rsp_raise, no reply */
	RSP_PREFORK = 13,	/* c->s: struct rsp_prefork */
	RSP_PREFORK_REPLY = 14,	/* s->c: struct rsp_prefork_reply */
};

enum rsp_kind {
	RSP_KIND_NEW = 1,	/* a new process */
	RSP_KIND_FORK = 2,	/* a forked child presenting its parent's cookie */
	RSP_KIND_EXEC = 3,	/* a process that replaced its image; sent
				   on its established connection */
};

enum rsp_prefork_op {
	RSP_PREFORK_CREATE = 1,	/* copy the client's process */
	RSP_PREFORK_CANCEL = 2,	/* release the copy named by the cookie */
};

struct rsp_hdr {
	uint32_t	rh_len;		/* whole message, header included */
	uint16_t	rh_type;	/* enum rsp_type */
	uint16_t	rh_reserved;	/* 0 */
	uint64_t	rh_id;		/* request id, echoed in the reply */
};

struct rsp_handshake {
	uint32_t	hs_magic;	/* RSP_MAGIC */
	uint16_t	hs_vmajor;
	uint16_t	hs_vminor;
	uint32_t	hs_kind;	/* enum rsp_kind */
	uint32_t	hs_hostpid;	/* for the server's log */
	uint8_t		hs_cookie[RSP_COOKIELEN]; /* RSP_KIND_FORK only */
	char		hs_comm[RSP_COMMLEN];	/* need not end in NUL */
};

struct rsp_handshake_reply {
	int32_t		hr_error;	/* 0 or an errno value */
	int32_t		hr_pid;		/* the client's pid in the kernel */
};

struct rsp_syscall {
	int32_t		sc_num;
	uint32_t	sc_reserved;	/* 0 */
	/* followed by the argument block, at most RSP_MAXARGS bytes */
};

struct rsp_syscall_reply {
	int32_t		sr_error;
	uint32_t	sr_reserved;
	int64_t		sr_retval[2];
};

struct rsp_copyreq {
	uint64_t	cr_addr;	/* client address (0 for anonmmap) */
	uint64_t	cr_len;		/* bytes, or string limit incl. NUL */
};

struct rsp_copyin_reply {
	int32_t		ci_error;
	uint32_t	ci_reserved;
	/* followed by the data when ci_error is 0 */
};

struct rsp_copyout {
	uint64_t	co_addr;
	/* followed by the data */
};

struct rsp_anonmmap_reply {
	int32_t		am_error;
	uint32_t	am_reserved;
	uint64_t	am_addr;
};

struct rsp_raise {
	int32_t		ra_signo;
	uint32_t	ra_reserved;
};

struct rsp_prefork {
	uint32_t	pf_op;		/* enum rsp_prefork_op */
	uint32_t	pf_reserved;
	uint8_t		pf_cookie[RSP_COOKIELEN]; /* for CANCEL, else 0 */
};

struct rsp_prefork_reply {
	int32_t		pr_error;	/* 0 or an errno value */
	uint32_t	pr_reserved;
	uint8_t		pr_cookie[RSP_COOKIELEN]; /* set by CREATE */
};

_Static_assert(sizeof(struct rsp_hdr) == 16, "rsp_hdr");
_Static_assert(sizeof(struct rsp_handshake) == 48, "rsp_handshake");
_Static_assert(sizeof(struct rsp_handshake_reply) == 8, "rsp_handshake_reply");
_Static_assert(sizeof(struct rsp_syscall_reply) == 24, "rsp_syscall_reply");
_Static_assert(sizeof(struct rsp_prefork) == 24, "rsp_prefork");
_Static_assert(sizeof(struct rsp_prefork_reply) == 24, "rsp_prefork_reply");

/*
 * The system calls that rsp_send makes.  librumpclient replaces them with
 * calls that an LD_PRELOAD library such as librumphijack cannot intercept.
 */
#ifndef RSP_SENDMSG
#define RSP_SENDMSG(fd, msg, flags)	sendmsg((fd), (msg), (flags))
#define RSP_SHUTDOWN(fd, how)		shutdown((fd), (how))
#endif

/*
 * Send one message on fd: the header, a fixed part and optional data,
 * whole.  The caller holds the lock that keeps the messages of several
 * threads from mixing.  Returns 0 or the errno of sendmsg.  After an error
 * the connection is shut down, so that its reader notices.
 */
static inline int
rsp_send_locked(int fd, int type, uint64_t id, const void *fixed,
    size_t flen, const void *data, size_t dlen)
{
	struct rsp_hdr h;
	struct iovec iov[3];
	struct msghdr msg;
	size_t total = sizeof(h) + flen + dlen, take;
	ssize_t n;
	int error = 0, i;

	memset(&h, 0, sizeof(h));
	h.rh_len = (uint32_t)total;
	h.rh_type = (uint16_t)type;
	h.rh_id = id;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)(uintptr_t)fixed;
	iov[1].iov_len = flen;
	iov[2].iov_base = (void *)(uintptr_t)data;
	iov[2].iov_len = dlen;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 3;

	while (total > 0) {
		n = RSP_SENDMSG(fd, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = errno;
			break;
		}
		total -= (size_t)n;
		for (i = 0; n > 0; i++) {
			take = (size_t)n < iov[i].iov_len ?
			    (size_t)n : iov[i].iov_len;
			iov[i].iov_base = (char *)iov[i].iov_base + take;
			iov[i].iov_len -= take;
			n -= (ssize_t)take;
		}
	}
	if (error != 0)
		(void)RSP_SHUTDOWN(fd, SHUT_RDWR);
	return error;
}

/* Send one message as rsp_send_locked does, holding mtx around it. */
static inline int
rsp_send(int fd, pthread_mutex_t *mtx, int type, uint64_t id,
    const void *fixed, size_t flen, const void *data, size_t dlen)
{
	int error;

	pthread_mutex_lock(mtx);
	error = rsp_send_locked(fd, type, id, fixed, flen, data, dlen);
	pthread_mutex_unlock(mtx);
	return error;
}

#endif /* _LIB_LIBRUMPUSER_SP_PROTO_H_ */
