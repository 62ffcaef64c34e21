/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: the remote system call server's decoding of what
 * clients send (lib/librumpuser/rumpuser_sp.c; the protocol is in
 * doc/rump_sp.7).
 *
 * LLVMFuzzerInitialize boots a kernel with the VFS faction and serves it
 * on a unix socket in a temporary directory.  Each input is one client
 * connection, laid out as follows:
 *
 *   byte 0     Flags.  FL_HANDSHAKE sends a valid NEW handshake before
 *              the rest.  FL_SERVE replies to the server's requests
 *              (below).
 *   byte 1     With FL_SERVE only: the number of control bytes at the end
 *              of the input.  Each control byte chooses how the harness
 *              replies to one request.
 *   the rest   Written to the server as it is, except that the call
 *              number of each SYSCALL message that can be framed is
 *              mapped onto the calls of safe_calls[].
 *
 * The harness reads the banner, writes the input while it reads what the
 * server sends, shuts its side down for writing and reads until the
 * server closes the connection.  Without FL_SERVE it shuts down as soon
 * as the input is written.  With FL_SERVE it first replies to each COPYIN,
 * COPYINSTR and ANONMMAP request from a 4 KiB fake client memory at
 * FAKE_BASE, where COPYOUT data lands too.  The next control byte chooses
 * the reply: a correct one or one of the malformed ones of enum
 * reply_mode, and a correct one when no control byte is left.  It shuts
 * down once every call it framed has had its reply,
 * a request has been left without reply on purpose, or REPLY_WAIT_MS have
 * passed.  After the close the harness waits until the server has
 * released the connection, then removes what the input made in the root
 * file system, so that every input starts from the same tree.
 *
 * Besides crashes, sanitizer reports and leaks, each of these is a
 * finding that stops the run:
 *  - a message from the server that breaks the protocol: an unknown type,
 *    a length that its type does not allow, a nonzero reserved field, a
 *    reply to a call that was never sent;
 *  - the server keeping the connection open CLOSE_WAIT_MS after our
 *    shutdown, or keeping its socket RELEASE_WAIT_MS after our close;
 *  - a valid handshake that the server rejects.
 *
 * Why call numbers are mapped: a call that sleeps in the kernel (a
 * nanosleep, a poll, a read from an empty pipe) keeps its connection until
 * it returns, so it would look like a server that never lets go.  That is
 * the kernel's business rather than the decoder's, so the harness lets
 * through only calls on files and directories that cannot sleep for long,
 * plus a few numbers that no call has.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "../../lib/librumpuser/sp_proto.h"

int LLVMFuzzerInitialize(int *argcp, char ***argvp);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FL_HANDSHAKE	0x01
#define FL_SERVE	0x02

#define FAKE_BASE	0x10000u	/* the fake client memory */
#define FAKE_SIZE	4096u
#define INPUT_MAX	(1u << 20)	/* longer inputs are ignored */
#define MAX_CALLS	4096		/* SYSCALL ids remembered per input */
#define MAX_TREE_DEPTH	64		/* levels the cleanup goes down */
#define BANNER_WAIT_MS	5000
#define REPLY_WAIT_MS	1000		/* FL_SERVE: for the replies to all calls */
#define CLOSE_WAIT_MS	5000
#define RELEASE_WAIT_MS	5000

/* How the harness replies to a request, chosen by a control byte. */
enum reply_mode {
	REPLY_RIGHT,		/* as a client would */
	REPLY_EFAULT,		/* an error instead of the data */
	REPLY_TOOLONG,		/* ENAMETOOLONG */
	REPLY_SHORT,		/* a byte too few, or a string without NUL */
	REPLY_LONG,		/* a byte too many */
	REPLY_WRONGID,		/* the id of no request */
	REPLY_RESERVED,		/* a nonzero reserved field */
	REPLY_NONE,		/* no reply: the call waits until the end */
	NREPLY_MODES
};

/*
 * The calls that SYSCALL messages may make: identity for these, and any
 * other number is mapped onto one of them.  0, 100000 and -1 are numbers
 * of no call.
 */
static const int safe_calls[] = {
	RUMP_SYS_getpid, RUMP_SYS_getppid, RUMP_SYS_getuid, RUMP_SYS_uname,
	RUMP_SYS_clock_gettime, RUMP_SYS_umask, RUMP_SYS_read, RUMP_SYS_write,
	RUMP_SYS_close, RUMP_SYS_pread, RUMP_SYS_pwrite, RUMP_SYS_readv,
	RUMP_SYS_writev, RUMP_SYS_dup, RUMP_SYS_dup2, RUMP_SYS_dup3,
	RUMP_SYS_fstat, RUMP_SYS_open, RUMP_SYS_openat, RUMP_SYS_creat,
	RUMP_SYS_lseek, RUMP_SYS_stat, RUMP_SYS_lstat, RUMP_SYS_statx,
	RUMP_SYS_getdents64, RUMP_SYS_mkdir, RUMP_SYS_rmdir, RUMP_SYS_unlink,
	RUMP_SYS_rename, RUMP_SYS_link, RUMP_SYS_symlink, RUMP_SYS_readlink,
	RUMP_SYS_chmod, RUMP_SYS_truncate, RUMP_SYS_ftruncate, RUMP_SYS_fsync,
	RUMP_SYS_access, RUMP_SYS_chdir, RUMP_SYS_fchdir, RUMP_SYS_getcwd,
	0, 100000, -1,
};
#define NSAFE	(sizeof(safe_calls) / sizeof(safe_calls[0]))

/*
 * The start of the fake client memory: NUL-terminated names at 16-byte
 * steps, for the path arguments of the seeds.  The rest is zeros.
 */
static const char fake_names[][16] = {
	"/fz0", "/fz1", "/fzd", "/fzd/f", "/", ".", "..", "fz2", "/fzd/../fz3",
};

static char sockpath[108];
static char tmpdir[] = "/tmp/fuzz_sp.XXXXXX";
static int base_sockets;		/* open sockets between inputs */
static char boot_names[64][256];	/* the root directory after boot */
static int nboot_names;
static bool verbose;			/* FUZZ_VERBOSE is set */

/* The state of one input's connection. */
struct conn {
	int		fd;
	bool		serve;
	const uint8_t	*ctl;		/* control bytes still unused */
	size_t		nctl;
	uint8_t		*out;		/* bytes to write: input, then replies */
	size_t		outlen, outcap, outdone;
	uint8_t		*in;		/* bytes read, not yet a whole message */
	size_t		inlen, incap;
	uint64_t	callids[MAX_CALLS];
	int		ncalls;		/* SYSCALL messages framed */
	int		nreplies;	/* SYSCALL_REPLY messages read */
	bool		noreply;	/* a request left without reply */
	bool		wrshut;		/* our side is shut down for writing */
	uint8_t		fake[FAKE_SIZE];
};

static void __attribute__((noreturn, format(printf, 1, 2)))
finding(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_sp: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void __attribute__((noreturn))
die(const char *what, int error)
{

	fprintf(stderr, "fuzz_sp: %s: %s\n", what, strerror(error));
	abort();
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * The number of open sockets of this process.  Other descriptors come and
 * go outside the harness's control: the sanitizers keep pipes to a
 * symbolizer process, for one.
 */
static int
count_sockets(void)
{
	char path[64], target[64];
	struct dirent *d;
	ssize_t len;
	DIR *dir;
	int n = 0;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		die("opendir /proc/self/fd", errno);
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strncmp(target, "socket:", 7) == 0)
			n++;
	}
	closedir(dir);
	return n;
}

/* ------------------------------------------------------------------ */
/* The root file system between inputs. */

/* Call fn for each entry of the directory at path but . and .. */
static void
for_each_entry(const char *path, void (*fn)(const char *, const char *,
    int), int depth)
{
	char buf[4096];
	long n, off;
	int fd;

	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY)) == -1)
		return;
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			uint16_t reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (reclen == 0)
				break;
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
				fn(path, name, depth);
			off += reclen;
		}
	}
	rump_sys_close(fd);
}

static void
remove_entry(const char *dir, const char *name, int depth)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "",
	    name);
	if (rump_sys_unlink(path) == 0 || depth >= MAX_TREE_DEPTH)
		return;
	(void)rump_sys_chmod(path, 0755);
	for_each_entry(path, remove_entry, depth + 1);
	if (rump_sys_rmdir(path) != 0)
		finding("removing %s, which the input made, failed: %s", path,
		    strerror(errno));
}

/* Remove an entry of the root directory unless it was there at boot. */
static void
remove_new_root_entry(const char *dir, const char *name, int depth)
{
	int i;

	for (i = 0; i < nboot_names; i++)
		if (strcmp(boot_names[i], name) == 0)
			return;
	remove_entry(dir, name, depth);
}

static void
remember_root_entry(const char *dir, const char *name, int depth)
{

	if (nboot_names == (int)(sizeof(boot_names) / sizeof(boot_names[0])) ||
	    strlen(name) >= sizeof(boot_names[0]))
		finding("the root directory after boot is too large to keep");
	strcpy(boot_names[nboot_names++], name);
}

/* ------------------------------------------------------------------ */
/* Setup. */

static int
connect_server(void)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sockpath);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket", errno);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		die("connect to the server", errno);
	return fd;
}

/* Wait until the server has closed every connection it accepted. */
static void
wait_released(int sockets)
{
	long deadline = now_ms() + RELEASE_WAIT_MS;

	while (count_sockets() > sockets) {
		if (now_ms() > deadline)
			finding("the server still has a connection open %d ms after "
			    "the client closed it (%d sockets, %d before)",
			    RELEASE_WAIT_MS, count_sockets(), sockets);
		usleep(100);
	}
}

static void
remove_tmpdir(void)
{

	(void)unlink(sockpath);
	(void)rmdir(tmpdir);
}

int
LLVMFuzzerInitialize(int *argcp, char ***argvp)
{
	char url[128];
	int error, sockets, fd;

	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if ((error = rump_init()) != 0)
		die("rump_init", error);
	if (mkdtemp(tmpdir) == NULL)
		die("mkdtemp", errno);
	snprintf(sockpath, sizeof(sockpath), "%s/sock", tmpdir);
	snprintf(url, sizeof(url), "unix://%s", sockpath);
	if ((error = rump_init_server(url)) != 0)
		die("rump_init_server", error);
	atexit(remove_tmpdir);
	for_each_entry("/", remember_root_entry, 0);

	/* One connection first, so that the server's first-use setup is done. */
	sockets = count_sockets();
	fd = connect_server();
	close(fd);
	wait_released(sockets);
	base_sockets = count_sockets();
	return 0;
}

/* ------------------------------------------------------------------ */
/* One connection. */

static void
out_append(struct conn *cn, const void *p, size_t len)
{

	if (len == 0)
		return;
	if (cn->outlen + len > cn->outcap) {
		size_t cap = cn->outcap * 2 + len;

		if ((cn->out = realloc(cn->out, cap)) == NULL)
			die("realloc", ENOMEM);
		cn->outcap = cap;
	}
	memcpy(cn->out + cn->outlen, p, len);
	cn->outlen += len;
}

static void
out_message(struct conn *cn, int type, uint64_t id, const void *fixed,
    size_t flen, const void *data, size_t dlen)
{
	struct rsp_hdr h;

	memset(&h, 0, sizeof(h));
	h.rh_len = (uint32_t)(sizeof(h) + flen + dlen);
	h.rh_type = (uint16_t)type;
	h.rh_id = id;
	out_append(cn, &h, sizeof(h));
	out_append(cn, fixed, flen);
	if (dlen > 0)
		out_append(cn, data, dlen);
}

/*
 * Read len bytes from the blocking socket, going on after signals (the
 * fuzzer's timers).  Returns false at end of file, an error or a timeout.
 */
static bool
recv_all(int fd, void *p, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = recv(fd, (char *)p + got, len - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* Read the banner and, with FL_HANDSHAKE, make the handshake. */
static void
greet(struct conn *cn, bool handshake)
{
	struct {
		struct rsp_hdr h;
		struct rsp_handshake hs;
	} m;
	struct {
		struct rsp_hdr h;
		struct rsp_handshake_reply hr;
	} r;
	char banner[RSP_BANNERLEN];
	struct rsp_hdr h;
	struct timeval tv = { .tv_sec = BANNER_WAIT_MS / 1000 };
	ssize_t n;

	(void)setsockopt(cn->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!recv_all(cn->fd, &h, sizeof(h)))
		finding("no banner header: %s", strerror(errno));
	if (h.rh_type != RSP_BANNER || h.rh_len <= sizeof(h) ||
	    h.rh_len - sizeof(h) > sizeof(banner) || h.rh_reserved != 0)
		finding("invalid banner header: type %u, length %u",
		    h.rh_type, h.rh_len);
	if (!recv_all(cn->fd, banner, h.rh_len - sizeof(h)))
		finding("banner cut short");
	if (!handshake)
		return;

	memset(&m, 0, sizeof(m));
	m.h.rh_len = sizeof(m);
	m.h.rh_type = RSP_HANDSHAKE;
	m.hs.hs_magic = RSP_MAGIC;
	m.hs.hs_vmajor = RSP_VMAJOR;
	m.hs.hs_vminor = RSP_VMINOR;
	m.hs.hs_kind = RSP_KIND_NEW;
	m.hs.hs_hostpid = (uint32_t)getpid();
	memcpy(m.hs.hs_comm, "fuzz_sp", 7);
	while ((n = send(cn->fd, &m, sizeof(m), MSG_NOSIGNAL)) == -1 &&
	    errno == EINTR)
		continue;
	if (n != (ssize_t)sizeof(m))
		die("send handshake", errno);
	if (!recv_all(cn->fd, &r, sizeof(r)))
		finding("no handshake reply: %s", strerror(errno));
	if (r.h.rh_type != RSP_HANDSHAKE_REPLY || r.h.rh_len != sizeof(r) ||
	    r.hr.hr_error != 0)
		finding("valid handshake rejected: type %u length %u error %d",
		    r.h.rh_type, r.h.rh_len, r.hr.hr_error);
}

/*
 * Copy the input into the output buffer, mapping the call number of each
 * SYSCALL message that can be framed and remembering its id.  Framing
 * stops at the first length that does not fit, and the rest goes as it
 * is.  Replies appended after such a rest would be read by the server as
 * part of its messages, so in that case the harness does not serve.
 */
static void
frame_input(struct conn *cn, const uint8_t *p, size_t len)
{
	struct rsp_hdr h;
	struct rsp_syscall sc;
	size_t off = 0, start = cn->outlen;
	unsigned i;

	out_append(cn, p, len);
	while (len - off >= sizeof(h)) {
		memcpy(&h, cn->out + start + off, sizeof(h));
		if (h.rh_len < sizeof(h) || h.rh_len > len - off)
			break;
		if (h.rh_type == RSP_SYSCALL && h.rh_len >= sizeof(h) +
		    sizeof(sc)) {
			memcpy(&sc, cn->out + start + off + sizeof(h),
			    sizeof(sc));
			for (i = 0; i < NSAFE; i++)
				if (safe_calls[i] == sc.sc_num)
					break;
			if (i == NSAFE)
				sc.sc_num = safe_calls[(uint32_t)sc.sc_num %
				    NSAFE];
			memcpy(cn->out + start + off + sizeof(h), &sc,
			    sizeof(sc));
			if (cn->ncalls < MAX_CALLS)
				cn->callids[cn->ncalls++] = h.rh_id;
		}
		off += h.rh_len;
	}
	if (off != len)
		cn->serve = false;
}

static enum reply_mode
next_reply_mode(struct conn *cn)
{

	if (cn->nctl == 0)
		return REPLY_RIGHT;
	cn->nctl--;
	return (enum reply_mode)(*cn->ctl++ % NREPLY_MODES);
}

/* Whether [addr, addr + len) lies in the fake memory. */
static bool
in_fake(uint64_t addr, uint64_t len)
{

	return addr >= FAKE_BASE && addr - FAKE_BASE <= FAKE_SIZE &&
	    len <= FAKE_SIZE - (addr - FAKE_BASE);
}

/* Reply to a COPYIN or COPYINSTR request for cr in mode m. */
static void
reply_copyin(struct conn *cn, const struct rsp_hdr *h,
    const struct rsp_copyreq *cr, enum reply_mode m)
{
	struct rsp_copyin_reply ci;
	const uint8_t *src = NULL;
	size_t dlen = 0, avail;
	uint64_t id = h->rh_id;
	uint8_t *nul;

	memset(&ci, 0, sizeof(ci));
	if (h->rh_type == RSP_COPYIN) {
		if (in_fake(cr->cr_addr, cr->cr_len)) {
			src = cn->fake + (cr->cr_addr - FAKE_BASE);
			dlen = cr->cr_len;
		} else
			ci.ci_error = EFAULT;
	} else if (in_fake(cr->cr_addr, 0)) {
		src = cn->fake + (cr->cr_addr - FAKE_BASE);
		avail = FAKE_SIZE - (cr->cr_addr - FAKE_BASE);
		if (avail > cr->cr_len)
			avail = cr->cr_len;
		if ((nul = memchr(src, '\0', avail)) != NULL)
			dlen = (size_t)(nul - src) + 1;
		else
			ci.ci_error = avail < cr->cr_len ? EFAULT :
			    ENAMETOOLONG;
	} else
		ci.ci_error = EFAULT;

	switch (m) {
	case REPLY_EFAULT:
		ci.ci_error = EFAULT;
		break;
	case REPLY_TOOLONG:
		ci.ci_error = ENAMETOOLONG;
		break;
	case REPLY_SHORT:
		if (dlen > 0)
			dlen--;
		break;
	case REPLY_LONG:
		if (src != NULL && ci.ci_error == 0 && src + dlen <
		    cn->fake + FAKE_SIZE)
			dlen++;
		break;
	case REPLY_WRONGID:
		id += 1000;
		break;
	case REPLY_RESERVED:
		ci.ci_reserved = 1;
		break;
	default:
		break;
	}
	if (ci.ci_error != 0)
		dlen = 0;
	out_message(cn, RSP_COPYIN_REPLY, id, &ci, sizeof(ci), src, dlen);
}

static void
reply_mmap(struct conn *cn, const struct rsp_hdr *h, enum reply_mode m)
{
	struct rsp_anonmmap_reply am;
	uint64_t id = h->rh_id;

	memset(&am, 0, sizeof(am));
	am.am_addr = FAKE_BASE + 2 * FAKE_SIZE;	/* outside the fake memory */
	if (m == REPLY_EFAULT || m == REPLY_TOOLONG)
		am.am_error = ENOMEM;
	else if (m == REPLY_WRONGID)
		id += 1000;
	else if (m == REPLY_RESERVED)
		am.am_reserved = 1;
	if (m == REPLY_SHORT)
		out_message(cn, RSP_ANONMMAP_REPLY, id, &am, sizeof(am) - 1,
		    NULL, 0);
	else
		out_message(cn, RSP_ANONMMAP_REPLY, id, &am, sizeof(am), NULL,
		    0);
}

/* Whether a message of this type and body length may come from a server. */
static bool
server_message_ok(const struct rsp_hdr *h, size_t blen)
{

	switch (h->rh_type) {
	case RSP_SYSCALL_REPLY:
		return blen == sizeof(struct rsp_syscall_reply);
	case RSP_COPYIN:
	case RSP_COPYINSTR:
	case RSP_ANONMMAP:
		return blen == sizeof(struct rsp_copyreq);
	case RSP_COPYOUT:
		return blen >= sizeof(struct rsp_copyout) &&
		    blen - sizeof(struct rsp_copyout) <= RSP_MAXDATA;
	case RSP_RAISE:
		return blen == sizeof(struct rsp_raise);
	case RSP_HANDSHAKE_REPLY:
		return blen == sizeof(struct rsp_handshake_reply);
	case RSP_PREFORK_REPLY:
		return blen == sizeof(struct rsp_prefork_reply);
	default:
		return false;
	}
}

/* Check one whole message from the server and reply if it is a request. */
static void
take_message(struct conn *cn, const uint8_t *m)
{
	struct rsp_hdr h;
	struct rsp_syscall_reply rep;
	struct rsp_copyreq cr;
	struct rsp_copyout co;
	size_t blen;
	enum reply_mode mode;
	int i;

	memcpy(&h, m, sizeof(h));
	blen = h.rh_len - sizeof(h);
	if (!server_message_ok(&h, blen) || h.rh_reserved != 0)
		finding("server sent an invalid message: type %u, length %u, "
		    "reserved %u", h.rh_type, h.rh_len, h.rh_reserved);
	switch (h.rh_type) {
	case RSP_SYSCALL_REPLY:
		memcpy(&rep, m + sizeof(h), sizeof(rep));
		for (i = 0; i < cn->ncalls; i++)
			if (cn->callids[i] == h.rh_id)
				break;
		if (i == cn->ncalls && cn->ncalls < MAX_CALLS)
			finding("reply to call id %llu that was never sent",
			    (unsigned long long)h.rh_id);
		if (rep.sr_reserved != 0)
			finding("reply to call %llu has a reserved field of %u",
			    (unsigned long long)h.rh_id, rep.sr_reserved);
		cn->nreplies++;
		break;
	case RSP_COPYIN:
	case RSP_COPYINSTR:
	case RSP_ANONMMAP:
		memcpy(&cr, m + sizeof(h), sizeof(cr));
		if (h.rh_type != RSP_ANONMMAP && (cr.cr_len == 0 ||
		    cr.cr_len > RSP_MAXDATA))
			finding("copy request of invalid length %llu",
			    (unsigned long long)cr.cr_len);
		if (!cn->serve || cn->wrshut)
			break;
		if ((mode = next_reply_mode(cn)) == REPLY_NONE) {
			cn->noreply = true;
			break;
		}
		if (h.rh_type == RSP_ANONMMAP)
			reply_mmap(cn, &h, mode);
		else
			reply_copyin(cn, &h, &cr, mode);
		break;
	case RSP_COPYOUT:
		memcpy(&co, m + sizeof(h), sizeof(co));
		if (in_fake(co.co_addr, blen - sizeof(co)))
			memcpy(cn->fake + (co.co_addr - FAKE_BASE),
			    m + sizeof(h) + sizeof(co), blen - sizeof(co));
		break;
	default:
		break;
	}
}

/* Take the whole messages read so far. */
static void
take_input(struct conn *cn)
{
	struct rsp_hdr h;
	size_t off = 0;

	while (cn->inlen - off >= sizeof(h)) {
		memcpy(&h, cn->in + off, sizeof(h));
		if (h.rh_len < sizeof(h) || h.rh_len > RSP_MAXMSG)
			finding("server sent a message of invalid length %u",
			    h.rh_len);
		if (h.rh_len > cn->inlen - off)
			break;
		take_message(cn, cn->in + off);
		off += h.rh_len;
	}
	memmove(cn->in, cn->in + off, cn->inlen - off);
	cn->inlen -= off;
}

/* Whether our side is done writing and may shut down. */
static bool
writing_done(const struct conn *cn, long written_at, long now)
{

	if (cn->outdone < cn->outlen)
		return false;
	if (!cn->serve || cn->noreply)
		return true;
	return cn->nreplies >= cn->ncalls || now - written_at > REPLY_WAIT_MS;
}

/* Write the input, read and reply to the server, until it closes. */
static void
converse(struct conn *cn)
{
	struct pollfd pfd;
	long start = now_ms(), written_at = -1, now;
	ssize_t n;

	if (fcntl(cn->fd, F_SETFL, O_NONBLOCK) == -1)
		die("fcntl O_NONBLOCK", errno);
	for (;;) {
		now = now_ms();
		if (cn->outdone == cn->outlen && written_at < 0)
			written_at = now;
		if (!cn->wrshut && writing_done(cn, written_at, now)) {
			(void)shutdown(cn->fd, SHUT_WR);
			cn->wrshut = true;
			start = now;
		}
		if (now - start > CLOSE_WAIT_MS + REPLY_WAIT_MS)
			finding("the server kept the connection open %d ms "
			    "after the client's shutdown", CLOSE_WAIT_MS);

		pfd.fd = cn->fd;
		pfd.events = POLLIN;
		if (!cn->wrshut && cn->outdone < cn->outlen)
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, 10) == -1 && errno != EINTR)
			die("poll", errno);

		if (pfd.revents & POLLOUT) {
			n = send(cn->fd, cn->out + cn->outdone,
			    cn->outlen - cn->outdone, MSG_NOSIGNAL);
			if (n > 0) {
				cn->outdone += (size_t)n;
				written_at = -1;
			} else if (n == -1 && errno != EAGAIN &&
			    errno != EINTR) {
				/* The server closed on us; read what is left. */
				cn->outdone = cn->outlen;
				(void)shutdown(cn->fd, SHUT_WR);
				cn->wrshut = true;
			}
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			if (cn->incap - cn->inlen < 65536) {
				cn->incap = cn->incap * 2 + 65536;
				if ((cn->in = realloc(cn->in, cn->incap)) ==
				    NULL)
					die("realloc", ENOMEM);
			}
			n = recv(cn->fd, cn->in + cn->inlen,
			    cn->incap - cn->inlen, 0);
			if (n == 0 || (n == -1 && errno == ECONNRESET))
				break;
			if (n == -1 && errno != EAGAIN && errno != EINTR)
				die("recv", errno);
			if (n > 0) {
				cn->inlen += (size_t)n;
				take_input(cn);
			}
		}
	}
	/* A message cut short by the close is the server's right. */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conn cn;
	size_t nctl = 0;
	uint8_t flags;
	unsigned i;

	if (size < 1 || size > INPUT_MAX)
		return 0;
	flags = data[0];
	data++;
	size--;
	if ((flags & FL_SERVE) && size > 0) {
		nctl = data[0] < size - 1 ? data[0] : size - 1;
		data++;
		size--;
		size -= nctl;
	}

	free(cn.out);
	free(cn.in);
	memset(&cn, 0, sizeof(cn));
	cn.serve = (flags & FL_SERVE) != 0;
	cn.ctl = data + size;
	cn.nctl = nctl;
	for (i = 0; i < sizeof(fake_names) / sizeof(fake_names[0]); i++)
		memcpy(cn.fake + 16 * i, fake_names[i], sizeof(fake_names[i]));

	cn.fd = connect_server();
	greet(&cn, (flags & FL_HANDSHAKE) != 0);
	frame_input(&cn, data, size);
	converse(&cn);
	close(cn.fd);
	if (verbose)
		fprintf(stderr, "fuzz_sp: flags %#x, %zu bytes, %d calls framed, "
		    "%d replies\n", flags, size, cn.ncalls, cn.nreplies);

	wait_released(base_sockets);
	for_each_entry("/", remove_new_root_entry, 0);
	return 0;
}
