/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: fork, vfork, _Fork, daemon, the exec family, posix_spawn,
 * posix_spawnp, system and popen.
 *
 * A process's rump state is its rump kernel process: the rump descriptors,
 * the aliases of descriptors 0, 1 and 2, and the working directory when it
 * is in the rump kernel.  Each call here carries that state to the new
 * process or image.
 *
 * fork.  The server first copies our kernel process (rumpclient_prefork),
 * then the host forks, and the child connects anew and claims the copy
 * (rumpclient_fork_init).  A child never talks on its parent's
 * connection.  vfork is a fork here, because a vfork child shares the
 * parent's memory, connection state included, and could not connect anew
 * without breaking the parent's.  Programs that use vfork correctly only
 * call exec or _exit in the child, which works the same after a fork.
 *
 * exec.  hijack_execenv adds the hijack's state to the environment, and
 * rumpclient_exec passes the connection on to the new image, whose
 * hijack takes the kernel process over with its descriptors (less the
 * close-on-exec ones).  glibc's execvp, execl and relatives call execve
 * inside the C library, where LD_PRELOAD does not reach, so each has its
 * own wrapper here, with the PATH search of glibc 2.36.  The host kernel
 * can only load host files: a path in the rump namespace fails with
 * EACCES.
 *
 * posix_spawn, system, popen.  glibc starts the child with clone and runs
 * execve and the file actions inside the C library.  Its child would
 * start a new, empty kernel process and apply file actions to host paths
 * only.  Here these calls are a fork and an exec of our own, always,
 * because whether the parent has rump descriptors is not known without
 * asking the server.  Wrappers of the posix_spawn_file_actions functions
 * record each action in a side table, keyed by the address of the
 * posix_spawn_file_actions_t.  The child applies the actions through the
 * hijacked open, close, dup2, chdir, fchdir and close_range, so each goes
 * to the kernel that its descriptor or path belongs to.  An error in the
 * child reaches the parent through a close-on-exec pipe, so posix_spawn
 * returns the errno as glibc's does.  An actions object that contains
 * actions but was not set up through these wrappers is left to glibc's
 * posix_spawn.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "hijack.h"

/* The shell of system and popen, and glibc's PATH when none is set. */
#define PROC_SHELL	"/bin/sh"
#define PROC_DEFPATH	"/bin:/usr/bin"

extern char **environ;

#if defined(__GLIBC_PREREQ) && __GLIBC_PREREQ(2, 34)
#define HAVE_FORK_ASYNC		1	/* _Fork and addclosefrom_np */
#endif
#if defined(__GLIBC_PREREQ) && __GLIBC_PREREQ(2, 35)
#define HAVE_ADDTCSETPGRP	1
#endif

typedef int (*fa_init_t)(posix_spawn_file_actions_t *);
typedef int (*fa_addfd_t)(posix_spawn_file_actions_t *, int);
typedef int (*spawn_t)(pid_t *, const char *,
    const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
    char *const [], char *const []);

static pid_t (*host_fork)(void);
static pid_t (*host_Fork)(void);
static spawn_t host_posix_spawn, host_posix_spawnp;
static fa_init_t host_fa_init, host_fa_destroy;
static int (*host_fa_addopen)(posix_spawn_file_actions_t *, int,
    const char *, int, mode_t);
static fa_addfd_t host_fa_addclose;
static int (*host_fa_adddup2)(posix_spawn_file_actions_t *, int, int);
static int (*host_fa_addchdir)(posix_spawn_file_actions_t *, const char *);
static fa_addfd_t host_fa_addfchdir, host_fa_addclosefrom,
    host_fa_addtcsetpgrp;
static int (*host_pclose)(FILE *);
static int (*host_pipe2)(int *, int);
static int (*host_fcntl)(int, int, ...);
static int (*host_close)(int);
static ssize_t (*host_read)(int, void *, size_t);
static ssize_t (*host_write)(int, const void *, size_t);

static pthread_once_t proc_once = PTHREAD_ONCE_INIT;

/* ------------------------------------------------------------------ */
/* Side tables */

enum spawn_op {
	SPAWN_OPEN,
	SPAWN_CLOSE,
	SPAWN_DUP2,
	SPAWN_CHDIR,
	SPAWN_FCHDIR,
	SPAWN_CLOSEFROM,
	SPAWN_TCSETPGRP
};

/* One recorded file action. */
struct spawn_action {
	enum spawn_op	sa_op;
	int		sa_fd;		/* descriptor acted on, or the lowest */
	int		sa_newfd;	/* SPAWN_DUP2: the target */
	int		sa_oflag;	/* SPAWN_OPEN */
	mode_t		sa_mode;	/* SPAWN_OPEN */
	char		*sa_path;	/* SPAWN_OPEN, SPAWN_CHDIR: own copy */
};

/* The actions recorded for one posix_spawn_file_actions_t. */
struct spawn_record {
	struct spawn_record *sr_next;
	const posix_spawn_file_actions_t *sr_key;
	struct spawn_action *sr_actions;
	size_t		sr_nactions;
	size_t		sr_maxactions;	/* allocated entries */
};

/* A stream opened by popen and the child that serves it. */
struct popen_entry {
	struct popen_entry *pe_next;
	FILE		*pe_fp;
	int		pe_fd;
	pid_t		pe_pid;
};

/*
 * The side tables.  Each list is under its lock.  Both locks are taken
 * around fork (pthread_atfork), so a child finds them free and the lists
 * whole.
 */
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct spawn_record *spawn_records;
static pthread_mutex_t popen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct popen_entry *popen_entries;

/* Signal dispositions that system saves while children run. */
static pthread_mutex_t system_lock = PTHREAD_MUTEX_INITIALIZER;
static int system_users;		/* system_lock: calls running */
static struct sigaction system_intr;	/* system_lock */
static struct sigaction system_quit;	/* system_lock */

static void
proc_atfork_prepare(void)
{

	pthread_mutex_lock(&spawn_lock);
	pthread_mutex_lock(&popen_lock);
}

static void
proc_atfork_release(void)
{

	pthread_mutex_unlock(&popen_lock);
	pthread_mutex_unlock(&spawn_lock);
}

/* A host symbol that older C libraries lack; NULL when missing. */
static void *
proc_optsym(const char *name)
{

	return dlsym(RTLD_NEXT, name);
}

static void
proc_resolve(void)
{

	host_fork = hijack_hostsym("fork");
	host_Fork = proc_optsym("_Fork");
	host_posix_spawn = hijack_hostsym("posix_spawn");
	host_posix_spawnp = hijack_hostsym("posix_spawnp");
	host_fa_init = hijack_hostsym("posix_spawn_file_actions_init");
	host_fa_destroy = hijack_hostsym("posix_spawn_file_actions_destroy");
	host_fa_addopen = hijack_hostsym("posix_spawn_file_actions_addopen");
	host_fa_addclose = hijack_hostsym("posix_spawn_file_actions_addclose");
	host_fa_adddup2 = hijack_hostsym("posix_spawn_file_actions_adddup2");
	host_fa_addchdir = proc_optsym("posix_spawn_file_actions_addchdir_np");
	host_fa_addfchdir =
	    proc_optsym("posix_spawn_file_actions_addfchdir_np");
	host_fa_addclosefrom =
	    proc_optsym("posix_spawn_file_actions_addclosefrom_np");
	host_fa_addtcsetpgrp =
	    proc_optsym("posix_spawn_file_actions_addtcsetpgrp_np");
	host_pclose = hijack_hostsym("pclose");
	host_pipe2 = hijack_hostsym("pipe2");
	host_fcntl = hijack_hostsym("fcntl");
	host_close = hijack_hostsym("close");
	host_read = hijack_hostsym("read");
	host_write = hijack_hostsym("write");
	pthread_atfork(proc_atfork_prepare, proc_atfork_release,
	    proc_atfork_release);
}

static void
proc_init(void)
{

	hijack_init();
	pthread_once(&proc_once, proc_resolve);
}

/*
 * Move host descriptor fd to a number of 3 or more, out of the way of the
 * aliases of 0, 1 and 2 and of file actions on the standard descriptors.
 * The result is close-on-exec.  Returns the descriptor, or -1 with errno.
 */
static int
proc_hostfd_up(int fd)
{
	int nfd, error;

	if (fd > 2)
		return fd;
	nfd = host_fcntl(fd, F_DUPFD_CLOEXEC, 3);
	error = errno;
	host_close(fd);
	errno = error;
	return nfd;
}

/* A host pipe with both ends above 2, close-on-exec; 0 or an errno. */
static int
proc_pipe(int fds[2])
{
	int error;

	if (host_pipe2(fds, O_CLOEXEC) != 0)
		return errno;
	fds[0] = proc_hostfd_up(fds[0]);
	error = errno;
	fds[1] = proc_hostfd_up(fds[1]);
	if (fds[0] >= 0 && fds[1] >= 0)
		return 0;
	if (fds[1] < 0)
		error = errno;
	if (fds[0] >= 0)
		host_close(fds[0]);
	if (fds[1] >= 0)
		host_close(fds[1]);
	return error;
}

/* ------------------------------------------------------------------ */
/* fork */

/*
 * Fork with hostfork (fork or _Fork) so that the child gets a copy of our
 * kernel process.  A child that cannot connect to the rump kernel runs
 * on with a message, and its rump calls fail with ENOTCONN.  The parent
 * frees the prefork handle with rumpclient_fork_vparent.
 */
static pid_t
proc_fork(pid_t (*hostfork)(void))
{
	struct rumpclient_fork *rf;
	pid_t pid;
	int error;

	if ((rf = rumpclient_prefork()) == NULL) {
		if (errno != ENOTCONN)
			return -1;
		/*
		 * The server is gone: there is no kernel process to copy.
		 * The child's rump calls fail as the parent's do, and a
		 * shell can still run host programs.
		 */
		return hostfork();
	}
	pid = hostfork();
	if (pid < 0) {
		error = errno;
		rumpclient_fork_cancel(rf);
		errno = error;
		return -1;
	}
	if (pid > 0) {
		rumpclient_fork_vparent(rf);
	} else if (rumpclient_fork_init(rf) != 0) {
		error = errno;
		fprintf(stderr, "librumphijack: child %ld could not attach to "
		    "the rump kernel: %s\n", (long)getpid(), strerror(error));
		errno = error;
	}
	return pid;
}

pid_t
fork(void)
{

	proc_init();
	return proc_fork(host_fork);
}

pid_t
vfork(void)
{

	proc_init();
	return proc_fork(host_fork);
}

#ifdef HAVE_FORK_ASYNC
pid_t
_Fork(void)
{

	proc_init();
	return proc_fork(host_Fork != NULL ? host_Fork : host_fork);
}
#endif

/*
 * daemon, with the fork above, and the working directory and the
 * standard descriptors changed through the hijacked calls, so that a rump
 * working directory and rump aliases of 0, 1 and 2 are left too.
 */
int
daemon(int nochdir, int noclose)
{
	pid_t pid;
	int fd;

	proc_init();
	if ((pid = proc_fork(host_fork)) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	if (!nochdir)
		(void)chdir("/");
	if (!noclose && (fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			(void)close(fd);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* exec */

/* execve with the hijack's state; returns only on failure. */
static int
proc_execve(const char *path, char *const argv[], char *const envp[])
{
	const char *rpath;
	char **env;
	int error;

	if (path != NULL && hijack_rumppath(path, &rpath)) {
		errno = EACCES;
		return -1;
	}
	if ((env = hijack_execenv(envp)) == NULL)
		return -1;
	(void)rumpclient_exec(path, argv, env);
	error = errno;
	hijack_freeenv(env);
	errno = error;
	return -1;
}

/*
 * Run path, a file without an executable format, with the shell, as
 * glibc's execvp does: sh path argv[1] ...
 */
static int
proc_execsh(const char *path, char *const argv[], char *const envp[])
{
	char **shargv;
	size_t argc = 0, i;
	int error;

	while (argv != NULL && argv[argc] != NULL)
		argc++;
	if ((shargv = calloc(argc + 2, sizeof(*shargv))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	shargv[0] = (char *)PROC_SHELL;
	shargv[1] = (char *)path;
	for (i = 1; i < argc; i++)
		shargv[i + 1] = argv[i];
	proc_execve(PROC_SHELL, shargv, envp);
	error = errno;
	free(shargv);
	errno = error;
	return -1;
}

/*
 * execvpe: search PATH for file unless it contains a slash.  With
 * shfallback, a file of unknown format is run by the shell, as glibc's
 * exec functions do (its posix_spawnp does not).  Returns only on failure.
 */
static int
proc_execvpe(const char *file, char *const argv[], char *const envp[],
    bool shfallback)
{
	char buf[PATH_MAX];
	const char *path, *dir, *end;
	size_t flen, dlen;
	bool eacces = false;

	if (file == NULL || *file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/') != NULL) {
		proc_execve(file, argv, envp);
		if (errno == ENOEXEC && shfallback)
			proc_execsh(file, argv, envp);
		return -1;
	}
	flen = strlen(file);
	if (flen > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((path = getenv("PATH")) == NULL)
		path = PROC_DEFPATH;

	/* An empty element of PATH is the current directory. */
	for (dir = path;; dir = end + 1) {
		end = strchrnul(dir, ':');
		dlen = (size_t)(end - dir);
		if (dlen + flen + 2 <= sizeof(buf)) {
			memcpy(buf, dir, dlen);
			if (dlen > 0)
				buf[dlen++] = '/';
			memcpy(buf + dlen, file, flen + 1);
			proc_execve(buf, argv, envp);
			if (errno == ENOEXEC && shfallback)
				proc_execsh(buf, argv, envp);
			switch (errno) {
			case EACCES:
				eacces = true;
				break;
			case ENOENT:
			case ENOTDIR:
			case ESTALE:
			case ENODEV:
			case ETIMEDOUT:
				break;
			default:
				return -1;
			}
		}
		if (*end == '\0')
			break;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}

int
execve(const char *path, char *const argv[], char *const envp[])
{

	proc_init();
	return proc_execve(path, argv, envp);
}

int
execv(const char *path, char *const argv[])
{

	proc_init();
	return proc_execve(path, argv, environ);
}

int
execvp(const char *file, char *const argv[])
{

	proc_init();
	return proc_execvpe(file, argv, environ, true);
}

int
execvpe(const char *file, char *const argv[], char *const envp[])
{

	proc_init();
	return proc_execvpe(file, argv, envp, true);
}

/*
 * The argument list of execl, execle and execlp as a vector, from arg0 to
 * the terminating NULL; with envpp set, the environment pointer that
 * follows the NULL is stored there.  NULL with errno on failure.
 */
static char **
proc_argv(const char *arg0, va_list ap, char *const **envpp)
{
	va_list count;
	char **argv;
	size_t argc = 1, i;

	va_copy(count, ap);
	if (arg0 != NULL)
		while (va_arg(count, char *) != NULL)
			argc++;
	va_end(count);
	if ((argv = calloc(argc + 1, sizeof(*argv))) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	argv[0] = (char *)arg0;
	if (arg0 != NULL)
		for (i = 1; i <= argc; i++)
			argv[i] = va_arg(ap, char *);
	if (envpp != NULL)
		*envpp = va_arg(ap, char *const *);
	return argv;
}

int
execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv;
	int error;

	proc_init();
	va_start(ap, arg0);
	argv = proc_argv(arg0, ap, NULL);
	va_end(ap);
	if (argv == NULL)
		return -1;
	proc_execve(path, argv, environ);
	error = errno;
	free(argv);
	errno = error;
	return -1;
}

int
execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	char *const *envp;
	char **argv;
	int error;

	proc_init();
	va_start(ap, arg0);
	argv = proc_argv(arg0, ap, &envp);
	va_end(ap);
	if (argv == NULL)
		return -1;
	proc_execve(path, argv, envp);
	error = errno;
	free(argv);
	errno = error;
	return -1;
}

int
execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	char **argv;
	int error;

	proc_init();
	va_start(ap, arg0);
	argv = proc_argv(arg0, ap, NULL);
	va_end(ap);
	if (argv == NULL)
		return -1;
	proc_execvpe(file, argv, environ, true);
	error = errno;
	free(argv);
	errno = error;
	return -1;
}

/*
 * fexecve runs the file behind a host descriptor through /proc/self/fd,
 * as glibc does when execveat is missing.  A rump descriptor cannot be
 * loaded by the host kernel: EACCES.
 */
int
fexecve(int fd, char *const argv[], char *const envp[])
{
	char path[sizeof("/proc/self/fd/") + 3 * sizeof(int)];
	int rfd;

	proc_init();
	if (fd < 0 || envp == NULL) {
		errno = fd < 0 ? EBADF : EINVAL;
		return -1;
	}
	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP) {
		errno = EACCES;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return proc_execve(path, argv, envp);
}

/* ------------------------------------------------------------------ */
/* posix_spawn file actions */

/* The record of fa.  Called with spawn_lock held. */
static struct spawn_record *
spawn_find(const posix_spawn_file_actions_t *fa)
{
	struct spawn_record *sr;

	for (sr = spawn_records; sr != NULL; sr = sr->sr_next)
		if (sr->sr_key == fa)
			return sr;
	return NULL;
}

static void
spawn_record_free(struct spawn_record *sr)
{
	size_t i;

	for (i = 0; i < sr->sr_nactions; i++)
		free(sr->sr_actions[i].sa_path);
	free(sr->sr_actions);
	free(sr);
}

/* Drop the record of fa, if any.  Called with spawn_lock held. */
static void
spawn_forget(const posix_spawn_file_actions_t *fa)
{
	struct spawn_record **srp, *sr;

	for (srp = &spawn_records; (sr = *srp) != NULL; srp = &sr->sr_next) {
		if (sr->sr_key == fa) {
			*srp = sr->sr_next;
			spawn_record_free(sr);
			return;
		}
	}
}

int
posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	struct spawn_record *sr;
	int error;

	proc_init();
	if ((sr = calloc(1, sizeof(*sr))) == NULL)
		return ENOMEM;
	if ((error = host_fa_init(fa)) != 0) {
		free(sr);
		return error;
	}
	sr->sr_key = fa;
	pthread_mutex_lock(&spawn_lock);
	/* Memory reused without a destroy leaves a stale record. */
	spawn_forget(fa);
	sr->sr_next = spawn_records;
	spawn_records = sr;
	pthread_mutex_unlock(&spawn_lock);
	return 0;
}

int
posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{

	proc_init();
	pthread_mutex_lock(&spawn_lock);
	spawn_forget(fa);
	pthread_mutex_unlock(&spawn_lock);
	return host_fa_destroy(fa);
}

/*
 * Record action sa for fa once hostadd, glibc's own recording of it, has
 * succeeded; hostadd's error otherwise.  sa's path is given to the record
 * or freed.  An object without a record (set up behind our back) only
 * gets glibc's recording.
 */
static int
spawn_add(posix_spawn_file_actions_t *fa, struct spawn_action *sa,
    int (*hostadd)(posix_spawn_file_actions_t *, const struct spawn_action *))
{
	struct spawn_record *sr;
	struct spawn_action *na;
	size_t max;
	int error;

	pthread_mutex_lock(&spawn_lock);
	sr = spawn_find(fa);
	if (sr != NULL && sr->sr_nactions == sr->sr_maxactions) {
		max = sr->sr_maxactions == 0 ? 8 : 2 * sr->sr_maxactions;
		na = reallocarray(sr->sr_actions, max, sizeof(*na));
		if (na == NULL) {
			error = ENOMEM;
			goto out;
		}
		sr->sr_actions = na;
		sr->sr_maxactions = max;
	}
	if ((error = hostadd(fa, sa)) == 0 && sr != NULL) {
		sr->sr_actions[sr->sr_nactions++] = *sa;
		sa->sa_path = NULL;
	}
out:
	pthread_mutex_unlock(&spawn_lock);
	free(sa->sa_path);
	return error;
}

static int
spawn_hostadd(posix_spawn_file_actions_t *fa, const struct spawn_action *sa)
{

	switch (sa->sa_op) {
	case SPAWN_OPEN:
		return host_fa_addopen(fa, sa->sa_fd, sa->sa_path, sa->sa_oflag,
		    sa->sa_mode);
	case SPAWN_CLOSE:
		return host_fa_addclose(fa, sa->sa_fd);
	case SPAWN_DUP2:
		return host_fa_adddup2(fa, sa->sa_fd, sa->sa_newfd);
	case SPAWN_CHDIR:
		return host_fa_addchdir != NULL ?
		    host_fa_addchdir(fa, sa->sa_path) : ENOSYS;
	case SPAWN_FCHDIR:
		return host_fa_addfchdir != NULL ?
		    host_fa_addfchdir(fa, sa->sa_fd) : ENOSYS;
	case SPAWN_CLOSEFROM:
		return host_fa_addclosefrom != NULL ?
		    host_fa_addclosefrom(fa, sa->sa_fd) : ENOSYS;
	case SPAWN_TCSETPGRP:
		return host_fa_addtcsetpgrp != NULL ?
		    host_fa_addtcsetpgrp(fa, sa->sa_fd) : ENOSYS;
	}
	return EINVAL;
}

/* Record an action with a path, copying the path. */
static int
spawn_addpath(posix_spawn_file_actions_t *fa, enum spawn_op op, int fd,
    const char *path, int oflag, mode_t mode)
{
	struct spawn_action sa = {
		.sa_op = op, .sa_fd = fd, .sa_oflag = oflag, .sa_mode = mode
	};

	proc_init();
	if (path == NULL)
		return EINVAL;
	if ((sa.sa_path = strdup(path)) == NULL)
		return ENOMEM;
	return spawn_add(fa, &sa, spawn_hostadd);
}

static int
spawn_addfd(posix_spawn_file_actions_t *fa, enum spawn_op op, int fd,
    int newfd)
{
	struct spawn_action sa = { .sa_op = op, .sa_fd = fd, .sa_newfd = newfd };

	proc_init();
	return spawn_add(fa, &sa, spawn_hostadd);
}

int
posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd,
    const char *path, int oflag, mode_t mode)
{

	return spawn_addpath(fa, SPAWN_OPEN, fd, path, oflag, mode);
}

int
posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{

	return spawn_addfd(fa, SPAWN_CLOSE, fd, -1);
}

int
posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd,
    int newfd)
{

	return spawn_addfd(fa, SPAWN_DUP2, fd, newfd);
}

int
posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa,
    const char *path)
{

	return spawn_addpath(fa, SPAWN_CHDIR, -1, path, 0, 0);
}

int
posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa,
    int fd)
{

	return spawn_addfd(fa, SPAWN_FCHDIR, fd, -1);
}

#ifdef HAVE_FORK_ASYNC
int
posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa,
    int from)
{

	return spawn_addfd(fa, SPAWN_CLOSEFROM, from, -1);
}
#endif

#ifdef HAVE_ADDTCSETPGRP
int
posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *fa,
    int fd)
{

	return spawn_addfd(fa, SPAWN_TCSETPGRP, fd, -1);
}
#endif

/* ------------------------------------------------------------------ */
/* posix_spawn */

/*
 * Move the child's error pipe *errfdp out of the way of an action on
 * descriptor fd.  Returns 0 or an errno.
 */
static int
spawn_clear(int *errfdp, int fd)
{
	int nfd;

	if (fd != *errfdp)
		return 0;
	if ((nfd = host_fcntl(*errfdp, F_DUPFD_CLOEXEC, 3)) < 0)
		return errno;
	host_close(*errfdp);
	*errfdp = nfd;
	return 0;
}

/*
 * Apply one file action in the child, through the hijacked calls so that
 * each goes to the kernel its descriptor or path belongs to.  Returns 0 or
 * an errno.
 */
static int
spawn_apply(const struct spawn_action *sa, int *errfdp)
{
	int fd, flags, error;

	switch (sa->sa_op) {
	case SPAWN_OPEN:
		if ((error = spawn_clear(errfdp, sa->sa_fd)) != 0)
			return error;
		if ((fd = open(sa->sa_path, sa->sa_oflag, sa->sa_mode)) < 0)
			return errno;
		if (fd != sa->sa_fd) {
			error = dup2(fd, sa->sa_fd) < 0 ? errno : 0;
			(void)close(fd);
			return error;
		}
		return 0;
	case SPAWN_CLOSE:
		/* As in glibc, closing a descriptor that is not open is fine. */
		if (sa->sa_fd != *errfdp)
			(void)close(sa->sa_fd);
		return 0;
	case SPAWN_DUP2:
		if (sa->sa_fd == sa->sa_newfd) {
			/* dup2 onto itself clears close-on-exec (POSIX 2024). */
			if ((flags = fcntl(sa->sa_fd, F_GETFD)) < 0 ||
			    fcntl(sa->sa_fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
				return errno;
			return 0;
		}
		if ((error = spawn_clear(errfdp, sa->sa_newfd)) != 0)
			return error;
		return dup2(sa->sa_fd, sa->sa_newfd) < 0 ? errno : 0;
	case SPAWN_CHDIR:
		return chdir(sa->sa_path) < 0 ? errno : 0;
	case SPAWN_FCHDIR:
		return fchdir(sa->sa_fd) < 0 ? errno : 0;
	case SPAWN_CLOSEFROM:
		/* Everything from sa_fd up, except the error pipe. */
		if (sa->sa_fd < *errfdp &&
		    close_range((unsigned)sa->sa_fd, (unsigned)*errfdp - 1, 0) < 0)
			return errno;
		fd = sa->sa_fd > *errfdp ? sa->sa_fd : *errfdp + 1;
		return close_range((unsigned)fd, ~0U, 0) < 0 ? errno : 0;
	case SPAWN_TCSETPGRP:
		return tcsetpgrp(sa->sa_fd, getpgrp()) < 0 ? errno : 0;
	}
	return EINVAL;
}

/*
 * The child's part of posix_spawn: the attributes, then the file actions,
 * then the exec.  Returns the errno of what failed, with every signal
 * blocked.  The error pipe *errfdp may move out of an action's way.
 */
static int
spawn_child(const char *path, const struct spawn_action *actions,
    size_t nactions, const posix_spawnattr_t *attr, char *const argv[],
    char *const envp[], bool search, const sigset_t *parentmask,
    int *errfdp)
{
	struct sched_param param;
	struct sigaction dfl;
	sigset_t set;
	pid_t pgroup;
	short flags = 0;
	int policy, sig, error;
	size_t i;

	if (attr != NULL)
		posix_spawnattr_getflags(attr, &flags);

	if ((flags & POSIX_SPAWN_SETSIGDEF) != 0) {
		posix_spawnattr_getsigdefault(attr, &set);
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		for (sig = 1; sig < NSIG; sig++)
			if (sigismember(&set, sig) == 1)
				(void)sigaction(sig, &dfl, NULL);
	}
	if ((flags & POSIX_SPAWN_SETSID) != 0 && setsid() < 0)
		return errno;
	if ((flags & POSIX_SPAWN_SETPGROUP) != 0) {
		posix_spawnattr_getpgroup(attr, &pgroup);
		if (setpgid(0, pgroup) != 0)
			return errno;
	}
	if ((flags & POSIX_SPAWN_SETSCHEDULER) != 0) {
		posix_spawnattr_getschedpolicy(attr, &policy);
		posix_spawnattr_getschedparam(attr, &param);
		if (sched_setscheduler(0, policy, &param) < 0)
			return errno;
	} else if ((flags & POSIX_SPAWN_SETSCHEDPARAM) != 0) {
		posix_spawnattr_getschedparam(attr, &param);
		if (sched_setparam(0, &param) < 0)
			return errno;
	}
	if ((flags & POSIX_SPAWN_RESETIDS) != 0 &&
	    (setegid(getgid()) != 0 || seteuid(getuid()) != 0))
		return errno;

	for (i = 0; i < nactions; i++)
		if ((error = spawn_apply(&actions[i], errfdp)) != 0)
			return error;

	if ((flags & POSIX_SPAWN_SETSIGMASK) != 0)
		posix_spawnattr_getsigmask(attr, &set);
	else
		set = *parentmask;
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	if (search)
		proc_execvpe(path, argv, envp, false);
	else
		proc_execve(path, argv, envp);
	error = errno;
	sigfillset(&set);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	return error;
}

static int
spawn_run(pid_t *pidp, const char *path, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
    bool search)
{
	const struct spawn_action *actions = NULL;
	struct spawn_record *sr = NULL;
	size_t nactions = 0;
	sigset_t all, saved;
	int pfd[2], error, childerror;
	ssize_t n;
	pid_t pid;

	proc_init();
	if (fa != NULL) {
		pthread_mutex_lock(&spawn_lock);
		if ((sr = spawn_find(fa)) != NULL) {
			actions = sr->sr_actions;
			nactions = sr->sr_nactions;
		}
		pthread_mutex_unlock(&spawn_lock);
		if (sr == NULL && fa->__used != 0)
			return (search ? host_posix_spawnp : host_posix_spawn)(
			    pidp, path, fa, attr, argv, envp);
	}
	if ((error = proc_pipe(pfd)) != 0)
		return error;

	/*
	 * No handler of the parent runs in the child before its exec.  The
	 * child sets its own mask just before the exec.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	pid = proc_fork(host_fork);
	if (pid == 0) {
		host_close(pfd[0]);
		error = spawn_child(path, actions, nactions, attr, argv, envp,
		    search, &saved, &pfd[1]);
		(void)host_write(pfd[1], &error, sizeof(error));
		_exit(127);
	}
	error = pid < 0 ? errno : 0;
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	host_close(pfd[1]);

	/* The pipe ends with the exec, or carries the child's errno. */
	if (pid > 0) {
		do
			n = host_read(pfd[0], &childerror, sizeof(childerror));
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)sizeof(childerror)) {
			error = childerror;
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				continue;
		} else if (pidp != NULL) {
			*pidp = pid;
		}
	}
	host_close(pfd[0]);
	return error;
}

int
posix_spawn(pid_t *pidp, const char *path, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{

	return spawn_run(pidp, path, fa, attr, argv, envp, false);
}

int
posix_spawnp(pid_t *pidp, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{

	return spawn_run(pidp, file, fa, attr, argv, envp, true);
}

/* ------------------------------------------------------------------ */
/* system and popen */

/* Run "sh -c command" in a child and wait for it, as system(3) does. */
static int
proc_system(const char *command)
{
	struct sigaction ign;
	sigset_t chld, saved;
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)command, NULL };
	int status = -1, error = 0;
	pid_t pid;

	/* SIGINT and SIGQUIT are ignored while any system call waits. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	pthread_mutex_lock(&system_lock);
	if (system_users++ == 0) {
		sigaction(SIGINT, &ign, &system_intr);
		sigaction(SIGQUIT, &ign, &system_quit);
	}
	pthread_mutex_unlock(&system_lock);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, &saved);

	pid = proc_fork(host_fork);
	if (pid == 0) {
		sigaction(SIGINT, &system_intr, NULL);
		sigaction(SIGQUIT, &system_quit, NULL);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		proc_execve(PROC_SHELL, argv, environ);
		_exit(127);
	}
	if (pid < 0)
		error = errno;
	else
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				error = errno;
				status = -1;
				break;
			}
		}

	pthread_mutex_lock(&system_lock);
	if (--system_users == 0) {
		sigaction(SIGINT, &system_intr, NULL);
		sigaction(SIGQUIT, &system_quit, NULL);
	}
	pthread_mutex_unlock(&system_lock);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (status == -1)
		errno = error;
	return status;
}

int
system(const char *command)
{

	proc_init();
	/* Without a command, whether a shell can be run. */
	if (command == NULL)
		return proc_system("exit 0") == 0;
	return proc_system(command);
}

FILE *
popen(const char *command, const char *mode)
{
	struct popen_entry *pe, *other;
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)command, NULL };
	const char *m;
	bool reading = false, writing = false, cloexec = false;
	int pfd[2], mine, theirs, target, error;
	pid_t pid;

	proc_init();
	for (m = mode; m != NULL && *m != '\0'; m++) {
		if (*m == 'r')
			reading = true;
		else if (*m == 'w')
			writing = true;
		else if (*m == 'e')
			cloexec = true;
		else
			break;
	}
	if (mode == NULL || *m != '\0' || reading == writing) {
		errno = EINVAL;
		return NULL;
	}
	if ((pe = calloc(1, sizeof(*pe))) == NULL)
		return NULL;
	if ((error = proc_pipe(pfd)) != 0) {
		free(pe);
		errno = error;
		return NULL;
	}
	mine = reading ? pfd[0] : pfd[1];
	theirs = reading ? pfd[1] : pfd[0];
	target = reading ? STDOUT_FILENO : STDIN_FILENO;

	pid = proc_fork(host_fork);
	if (pid == 0) {
		/* POSIX: the child closes the streams of earlier popens. */
		for (other = popen_entries; other != NULL;
		    other = other->pe_next)
			host_close(other->pe_fd);
		host_close(mine);
		if (dup2(theirs, target) < 0)
			_exit(127);
		proc_execve(PROC_SHELL, argv, environ);
		_exit(127);
	}
	error = errno;
	host_close(theirs);
	if (pid < 0)
		goto fail;
	if (!cloexec)
		host_fcntl(mine, F_SETFD, 0);
	if ((pe->pe_fp = fdopen(mine, reading ? "r" : "w")) == NULL) {
		/* Closing our end first lets the child finish. */
		error = errno;
		host_close(mine);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			continue;
		free(pe);
		errno = error;
		return NULL;
	}
	pe->pe_fd = mine;
	pe->pe_pid = pid;
	pthread_mutex_lock(&popen_lock);
	pe->pe_next = popen_entries;
	popen_entries = pe;
	pthread_mutex_unlock(&popen_lock);
	return pe->pe_fp;

fail:
	host_close(mine);
	free(pe);
	errno = error;
	return NULL;
}

int
pclose(FILE *fp)
{
	struct popen_entry **pep, *pe;
	int status;
	pid_t pid;

	proc_init();
	pthread_mutex_lock(&popen_lock);
	for (pep = &popen_entries; (pe = *pep) != NULL; pep = &pe->pe_next)
		if (pe->pe_fp == fp)
			break;
	if (pe != NULL)
		*pep = pe->pe_next;
	pthread_mutex_unlock(&popen_lock);
	if (pe == NULL)
		return host_pclose(fp);

	pid = pe->pe_pid;
	free(pe);
	fclose(fp);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}
