/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * h_proc: fork, exec, posix_spawn, system, popen, daemon and the file
 * transfer calls of a hijacked program.
 *
 * Run under LD_PRELOAD=librumphijack.so with RUMP_SERVER set:
 *
 *	h_proc exec DIR		exec itself through each exec function in
 *				turn, keeping a rump descriptor open
 *	h_proc fork DIR		children inherit rump descriptors
 *	h_proc spawn DIR	posix_spawn with file actions on rump paths
 *	h_proc closed FD FD DIR	(run by spawn) both descriptors are closed
 *				and the working directory is DIR
 *	h_proc shell DIR	system and popen with a rump working directory
 *	h_proc daemon FILE	daemon(3), then write "daemon ok" to FILE
 *	h_proc xfer DIR HOSTDIR	copy_file_range, sendfile and splice
 *
 * DIR is a directory in the rump namespace (/rump/...).  Each check
 * prints one line; the first failed check prints "FAIL: ..." and exits 1.
 */

#include <sys/types.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The hijack's descriptor offset when RUMPHIJACK does not set fdoff. */
#define RUMP_FDOFF	128

/* The exec functions the chain goes through, in order. */
static const char *const exec_steps[] = {
	"execve", "execv", "execl", "execle", "execlp", "execvp", "execvpe",
	"fexecve"
};
#define NSTEPS	(sizeof(exec_steps) / sizeof(exec_steps[0]))

#define CHECK(cond, ...) do {						\
	if (!(cond))							\
		fail(__LINE__, __VA_ARGS__);				\
} while (0)

extern char **environ;

static const char *self;	/* this program's absolute path */

static void __attribute__((__noreturn__, __format__(__printf__, 2, 3)))
fail(int line, const char *fmt, ...)
{
	va_list ap;
	int error = errno;

	printf("FAIL (line %d, pid %ld): ", line, (long)getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %d: %s)\n", error, strerror(error));
	fflush(stdout);
	exit(1);
}

static void
pass(const char *what)
{

	printf("ok %s\n", what);
	fflush(stdout);
}

/* The whole content of path, NUL-terminated, in buf. */
static void
read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	CHECK((fd = open(path, O_RDONLY)) >= 0, "open %s", path);
	CHECK((n = read(fd, buf, size - 1)) >= 0, "read %s", path);
	buf[n] = '\0';
	close(fd);
}

static void
write_file(const char *path, const char *text)
{
	int fd;

	CHECK((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0,
	    "open %s", path);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text),
	    "write %s", path);
	CHECK(close(fd) == 0, "close %s", path);
}

/* Fail unless status is a normal exit with code. */
static void
check_exit(int status, int code, const char *what)
{

	CHECK(WIFEXITED(status), "%s: no normal exit, status %#x", what,
	    status);
	CHECK(WEXITSTATUS(status) == code, "%s: exit code %d, expected %d",
	    what, WEXITSTATUS(status), code);
}

static int
wait_child(pid_t pid)
{
	int status;

	CHECK(waitpid(pid, &status, 0) == pid, "waitpid %ld", (long)pid);
	return status;
}

/* ------------------------------------------------------------------ */
/* exec */

/*
 * One step of the exec chain: check what the earlier images left, log
 * this step in the kept file, and exec the next step with the next exec
 * function.  keep is a rump descriptor, gone one that was close-on-exec.
 */
static void
exec_step(unsigned step, int keep, int gone, const char *dir)
{
	char buf[4096], cwd[PATH_MAX], arg[3][16], line[64];
	char *argv[7];
	unsigned i;
	ssize_t n;
	int fd;

	/* What survives and what does not. */
	CHECK(keep >= RUMP_FDOFF, "kept descriptor %d", keep);
	CHECK((n = pread(keep, buf, sizeof(buf) - 1, 0)) > 0,
	    "step %u: pread of the kept rump descriptor %d", step, keep);
	buf[n] = '\0';
	for (i = 0; i <= step; i++) {
		snprintf(line, sizeof(line), "step %u %s\n", i,
		    i == 0 ? "start" : exec_steps[i - 1]);
		CHECK(strstr(buf, line) != NULL, "step %u: '%s' missing in %s",
		    step, line, buf);
	}
	if (step > 0) {
		errno = 0;
		CHECK(fcntl(gone, F_GETFD) == -1,
		    "step %u: close-on-exec descriptor %d still open", step,
		    gone);
		CHECK(errno == EBADF,
		    "step %u: fcntl of descriptor %d failed with errno %d, "
		    "expected EBADF", step, gone, errno);
	}
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL, "step %u: getcwd", step);
	CHECK(strcmp(cwd, dir) == 0,
	    "step %u: working directory %s, expected %s", step, cwd, dir);

	if (step == NSTEPS) {
		pass("exec chain kept the rump descriptor and directory");
		printf("all passed\n");
		exit(0);
	}
	snprintf(line, sizeof(line), "step %u %s\n", step + 1,
	    exec_steps[step]);
	CHECK(write(keep, line, strlen(line)) == (ssize_t)strlen(line),
	    "write");

	snprintf(arg[0], sizeof(arg[0]), "%u", step + 1);
	snprintf(arg[1], sizeof(arg[1]), "%d", keep);
	snprintf(arg[2], sizeof(arg[2]), "%d", gone);
	argv[0] = (char *)"h_proc";
	argv[1] = (char *)"exec-step";
	argv[2] = arg[0];
	argv[3] = arg[1];
	argv[4] = arg[2];
	argv[5] = (char *)dir;
	argv[6] = NULL;
	switch (step) {
	case 0:
		execve(self, argv, environ);
		break;
	case 1:
		execv(self, argv);
		break;
	case 2:
		execl(self, argv[0], argv[1], arg[0], arg[1], arg[2], dir,
		    (char *)NULL);
		break;
	case 3:
		execle(self, argv[0], argv[1], arg[0], arg[1], arg[2], dir,
		    (char *)NULL, environ);
		break;
	case 4:
		/* PATH names this program's folder (see exec_start). */
		execlp("h_proc", argv[0], argv[1], arg[0], arg[1], arg[2], dir,
		    (char *)NULL);
		break;
	case 5:
		execvp("h_proc", argv);
		break;
	case 6:
		execvpe("h_proc", argv, environ);
		break;
	case 7:
		CHECK((fd = open(self, O_RDONLY)) >= 0, "open %s", self);
		CHECK(fd < RUMP_FDOFF, "open %s gave %d, above the offset",
		    self, fd);
		fexecve(fd, argv, environ);
		break;
	}
	fail(__LINE__, "%s of %s", exec_steps[step], self);
}

static void
exec_start(const char *dir)
{
	char path[PATH_MAX], *slash, *newpath;
	const char *oldpath = getenv("PATH");
	int keep, gone, rv;

	/* The chain finds this program by PATH in its execlp/execvp steps. */
	snprintf(path, sizeof(path), "%s", self);
	slash = strrchr(path, '/');
	*slash = '\0';
	CHECK(asprintf(&newpath, "/nonexistent:%s:%s", path,
	    oldpath != NULL ? oldpath : "/bin") > 0, "asprintf");
	setenv("PATH", newpath, 1);

	CHECK(chdir(dir) == 0, "chdir %s", dir);
	CHECK((keep = open("kept", O_RDWR | O_CREAT | O_TRUNC, 0644)) >=
	    RUMP_FDOFF, "open kept gave %d", keep);
	CHECK(write(keep, "step 0 start\n", 13) == 13, "write");
	CHECK((gone = open("gone", O_RDWR | O_CREAT | O_CLOEXEC, 0644)) >=
	    RUMP_FDOFF, "open gone gave %d", gone);

	/* Exec failures come back with the host's errno. */
	errno = 0;
	rv = execl("/nonexistent/prog", "prog", (char *)NULL);
	CHECK(rv == -1, "execl of a missing program returned %d", rv);
	CHECK(errno == ENOENT, "execl of a missing program: errno %d, "
	    "expected ENOENT", errno);
	errno = 0;
	rv = execlp("no-such-program-here", "x", (char *)NULL);
	CHECK(rv == -1, "execlp of a missing program returned %d", rv);
	CHECK(errno == ENOENT, "execlp of a missing program: errno %d, "
	    "expected ENOENT", errno);
	errno = 0;
	rv = execl("kept", "kept", (char *)NULL);
	CHECK(rv == -1, "exec of a file in the rump namespace returned %d",
	    rv);
	CHECK(errno == EACCES, "exec of a file in the rump namespace: "
	    "errno %d, expected EACCES", errno);
	pass("exec errors");

	exec_step(0, keep, gone, dir);
}

/* ------------------------------------------------------------------ */
/* fork */

static void
test_fork(const char *dir)
{
	char path[PATH_MAX], buf[4096];
	pid_t pids[4], pid;
	int fd, i, status;

	snprintf(path, sizeof(path), "%s/forked", dir);
	CHECK((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644))
	    >= RUMP_FDOFF, "open %s", path);

	/* Children write through the inherited rump descriptor. */
	for (i = 0; i < 4; i++) {
		CHECK((pids[i] = fork()) >= 0, "fork");
		if (pids[i] == 0) {
			char line[32];

			snprintf(line, sizeof(line), "child %d\n", i);
			_exit(write(fd, line, strlen(line)) ==
			    (ssize_t)strlen(line) ? 0 : 1);
		}
	}
	for (i = 0; i < 4; i++) {
		status = wait_child(pids[i]);
		check_exit(status, 0, "child");
	}

	/* A vfork child that execs, with the descriptor as its stdout. */
	pid = vfork();
	CHECK(pid >= 0, "vfork");
	if (pid == 0) {
		if (dup2(fd, STDOUT_FILENO) != STDOUT_FILENO)
			_exit(126);
		execl("/bin/echo", "echo", "vfork child", (char *)NULL);
		_exit(127);
	}
	status = wait_child(pid);
	check_exit(status, 0, "vfork child");
	close(fd);

	read_file(path, buf, sizeof(buf));
	for (i = 0; i < 4; i++) {
		char line[32];

		snprintf(line, sizeof(line), "child %d\n", i);
		CHECK(strstr(buf, line) != NULL, "'%s' missing: %s", line, buf);
	}
	CHECK(strstr(buf, "vfork child\n") != NULL, "vfork line missing: %s",
	    buf);
	CHECK(strlen(buf) == 4 * 8 + 12, "%zu bytes: %s", strlen(buf), buf);
	pass("fork and vfork children share rump descriptors");

	/* The child has its own copy of the kernel process. */
	CHECK((fd = open(path, O_RDONLY)) >= RUMP_FDOFF, "open");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		_exit(close(fd) == 0 ? 0 : 1);
	status = wait_child(pid);
	check_exit(status, 0, "child close");
	CHECK(read(fd, buf, 5) == 5, "the parent's descriptor closed too");
	close(fd);
	pass("fork child closes its own copy");
}

/* ------------------------------------------------------------------ */
/* posix_spawn */

static void
test_spawn(const char *dir)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char path[PATH_MAX], sub[PATH_MAX / 2], buf[4096], expect[PATH_MAX + 64];
	char *argv[] = { (char *)"sh", (char *)"-c",
	    (char *)"pwd; echo out; echo err >&2; cat", NULL };
	char fdarg[2][16], *checkargv[6];
	pid_t pid;
	int status, in, dfd, error;

	snprintf(sub, sizeof(sub), "%s/spawned", dir);
	(void)mkdir(sub, 0755);
	snprintf(path, sizeof(path), "%s/input", dir);
	write_file(path, "from the input file\n");
	CHECK((in = open(path, O_RDONLY)) >= RUMP_FDOFF, "open %s", path);

	/*
	 * stdout and stderr to rump files by path, stdin from a rump
	 * descriptor, the working directory in the rump kernel.
	 */
	CHECK(posix_spawn_file_actions_init(&fa) == 0, "init");
	CHECK(posix_spawn_file_actions_addchdir_np(&fa, sub) == 0, "chdir");
	CHECK(posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "out",
	    O_WRONLY | O_CREAT | O_TRUNC, 0644) == 0, "addopen");
	CHECK(posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO,
	    STDERR_FILENO) == 0, "adddup2");
	CHECK(posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO) == 0,
	    "adddup2 stdin");
	CHECK(posix_spawn_file_actions_addclose(&fa, in) == 0, "addclose");
	CHECK(posix_spawnattr_init(&attr) == 0, "attr");
	CHECK(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP) == 0,
	    "setflags");
	CHECK(posix_spawnattr_setpgroup(&attr, 0) == 0, "setpgroup");
	error = posix_spawnp(&pid, "sh", &fa, &attr, argv, environ);
	CHECK(error == 0, "posix_spawnp: %s", strerror(error));
	status = wait_child(pid);
	check_exit(status, 0, "spawned shell");
	snprintf(path, sizeof(path), "%s/out", sub);
	read_file(path, buf, sizeof(buf));
	snprintf(expect, sizeof(expect), "%s\nout\nerr\nfrom the input file\n",
	    sub);
	CHECK(strcmp(buf, expect) == 0, "output '%s', expected '%s'", buf,
	    expect);
	/* The child read to the end through the shared file offset. */
	CHECK(pread(in, buf, 4, 0) == 4, "the parent's descriptor was closed");
	pass("posix_spawnp with file actions on rump paths");

	/* posix_spawn (no search) with the same actions object reused. */
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0, "destroy");
	CHECK(posix_spawn_file_actions_init(&fa) == 0, "init");
	snprintf(path, sizeof(path), "%s/echoed", dir);
	CHECK(posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, path,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644) == 0, "addopen");
	argv[0] = (char *)"echo";
	argv[1] = (char *)"spawned";
	argv[2] = NULL;
	error = posix_spawn(&pid, "/bin/echo", &fa, NULL, argv, environ);
	CHECK(error == 0, "posix_spawn: %s", strerror(error));
	status = wait_child(pid);
	check_exit(status, 0, "spawned echo");
	read_file(path, buf, sizeof(buf));
	CHECK(strcmp(buf, "spawned\n") == 0, "output '%s'", buf);
	pass("posix_spawn to a rump file");

	/*
	 * fchdir to a rump directory descriptor, then closefrom: the child
	 * starts in the directory and has neither descriptor.
	 */
	CHECK((dfd = open(sub, O_RDONLY | O_DIRECTORY)) >= RUMP_FDOFF,
	    "open %s", sub);
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0, "destroy");
	CHECK(posix_spawn_file_actions_init(&fa) == 0, "init");
	CHECK(posix_spawn_file_actions_addfchdir_np(&fa, dfd) == 0,
	    "addfchdir_np");
	CHECK(posix_spawn_file_actions_addclosefrom_np(&fa, 3) == 0,
	    "addclosefrom_np");
	snprintf(fdarg[0], sizeof(fdarg[0]), "%d", in);
	snprintf(fdarg[1], sizeof(fdarg[1]), "%d", dfd);
	checkargv[0] = (char *)"h_proc";
	checkargv[1] = (char *)"closed";
	checkargv[2] = fdarg[0];
	checkargv[3] = fdarg[1];
	checkargv[4] = sub;
	checkargv[5] = NULL;
	error = posix_spawn(&pid, self, &fa, NULL, checkargv, environ);
	CHECK(error == 0, "posix_spawn: %s", strerror(error));
	status = wait_child(pid);
	check_exit(status, 0, "spawned h_proc closed");
	close(dfd);
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0, "destroy");
	CHECK(posix_spawn_file_actions_init(&fa) == 0, "init");
	pass("posix_spawn with fchdir and closefrom");

	/* Errors reach the parent as return values. */
	error = posix_spawn(&pid, "/nonexistent/prog", &fa, NULL, argv,
	    environ);
	CHECK(error == ENOENT, "missing program: %d", error);
	error = posix_spawnp(&pid, "no-such-program-here", NULL, NULL, argv,
	    environ);
	CHECK(error == ENOENT, "missing program in PATH: %d", error);
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0, "destroy");
	CHECK(posix_spawn_file_actions_init(&fa) == 0, "init");
	snprintf(path, sizeof(path), "%s/no/such/dir/file", dir);
	CHECK(posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, path,
	    O_WRONLY | O_CREAT, 0644) == 0, "addopen");
	error = posix_spawn(&pid, "/bin/echo", &fa, NULL, argv, environ);
	CHECK(error == ENOENT, "open action on a missing rump folder: %d",
	    error);
	CHECK(posix_spawn_file_actions_destroy(&fa) == 0, "destroy");
	posix_spawnattr_destroy(&attr);
	close(in);
	pass("posix_spawn errors");
}

/*
 * The child of the closefrom spawn: descriptors fd1 and fd2 are closed
 * and the working directory is dir.
 */
static void __attribute__((__noreturn__))
check_closed(int fd1, int fd2, const char *dir)
{
	char cwd[PATH_MAX];

	errno = 0;
	CHECK(fcntl(fd1, F_GETFD) == -1, "descriptor %d is open", fd1);
	CHECK(errno == EBADF, "fcntl of %d", fd1);
	errno = 0;
	CHECK(fcntl(fd2, F_GETFD) == -1, "descriptor %d is open", fd2);
	CHECK(errno == EBADF, "fcntl of %d", fd2);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	CHECK(strcmp(cwd, dir) == 0, "working directory %s, expected %s", cwd,
	    dir);
	exit(0);
}

/* ------------------------------------------------------------------ */
/* system and popen */

static void
test_shell(const char *dir)
{
	char buf[4096], path[PATH_MAX];
	FILE *fp;
	size_t n;
	int status, out, saved;

	CHECK(chdir(dir) == 0, "chdir %s", dir);
	status = system("echo by-system > sysout; pwd >> sysout");
	check_exit(status, 0, "system");
	snprintf(path, sizeof(path), "%s/sysout", dir);
	read_file(path, buf, sizeof(buf));
	CHECK(strncmp(buf, "by-system\n", 10) == 0, "system wrote '%s'", buf);
	CHECK(strncmp(buf + 10, dir, strlen(dir)) == 0,
	    "system's pwd wrote '%s'", buf + 10);
	status = system("exit 3");
	check_exit(status, 3, "system exit 3");
	CHECK(system(NULL) != 0, "system(NULL) finds no shell");
	pass("system in a rump working directory");

	/* popen reading: the child starts in the rump directory. */
	CHECK((fp = popen("cat sysout", "r")) != NULL, "popen r");
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	status = pclose(fp);
	check_exit(status, 0, "popen r");
	CHECK(strncmp(buf, "by-system\n", 10) == 0, "popen read '%s'", buf);

	/* popen writing into a rump file. */
	CHECK((fp = popen("cat > popenout", "w")) != NULL, "popen w");
	CHECK(fputs("through popen\n", fp) >= 0, "fputs");
	status = pclose(fp);
	check_exit(status, 0, "popen w");
	snprintf(path, sizeof(path), "%s/popenout", dir);
	read_file(path, buf, sizeof(buf));
	CHECK(strcmp(buf, "through popen\n") == 0, "popen wrote '%s'", buf);

	errno = 0;
	fp = popen("true", "rw");
	CHECK(fp == NULL, "popen accepted mode rw");
	CHECK(errno == EINVAL, "popen mode rw: errno %d, expected EINVAL",
	    errno);
	CHECK((fp = popen("exit 5", "re")) != NULL, "popen re");
	status = pclose(fp);
	check_exit(status, 5, "popen exit 5");
	pass("popen in a rump working directory");

	/* A child of system writes to our stdout, a rump alias. */
	snprintf(path, sizeof(path), "%s/alias", dir);
	CHECK((out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0,
	    "open");
	fflush(stdout);
	CHECK((saved = dup(STDOUT_FILENO)) >= 0, "dup");
	CHECK(dup2(out, STDOUT_FILENO) == STDOUT_FILENO, "dup2");
	status = system("echo to-stdout");
	CHECK(dup2(saved, STDOUT_FILENO) == STDOUT_FILENO, "dup2 back");
	close(saved);
	close(out);
	check_exit(status, 0, "system to a rump stdout");
	read_file(path, buf, sizeof(buf));
	CHECK(strcmp(buf, "to-stdout\n") == 0, "alias got '%s'", buf);
	pass("system child writes to a rump stdout");
}

/* ------------------------------------------------------------------ */
/* daemon */

static void
test_daemon(const char *path)
{
	int fd;

	CHECK((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0,
	    "open %s", path);
	CHECK(daemon(0, 0) == 0, "daemon");

	/* The daemon: its cwd is / and 0-2 are /dev/null, fd is kept. */
	if (write(fd, "daemon ok\n", 10) != 10)
		_exit(1);
	close(fd);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* copy_file_range, sendfile and splice */

#define XFER_SIZE	(300 * 1000 + 7)

static void
fill_pattern(char *buf, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)((i * 31 + seed) % 251);
}

static void
check_content(int fd, const char *want, size_t len, const char *what)
{
	char *got = malloc(len + 1);
	ssize_t n;

	CHECK(got != NULL, "malloc");
	CHECK((n = pread(fd, got, len + 1, 0)) == (ssize_t)len,
	    "%s: %zd bytes, expected %zu", what, n, len);
	CHECK(memcmp(got, want, len) == 0, "%s: content differs", what);
	free(got);
}

static void
test_xfer(const char *dir, const char *hostdir)
{
	char path[PATH_MAX], hpath[PATH_MAX], *data, buf[64];
	off_t inoff, outoff;
	ssize_t n;
	size_t done;
	int host, rump, back, p[2], rdir;

	CHECK((data = malloc(XFER_SIZE)) != NULL, "malloc");
	fill_pattern(data, XFER_SIZE, 3);
	snprintf(hpath, sizeof(hpath), "%s/xfer.src", hostdir);
	CHECK((host = open(hpath, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0,
	    "open %s", hpath);
	CHECK(host < RUMP_FDOFF, "open %s gave %d, above the offset", hpath,
	    host);
	CHECK(write(host, data, XFER_SIZE) == XFER_SIZE, "write");
	CHECK(lseek(host, 0, SEEK_SET) == 0, "lseek");
	snprintf(path, sizeof(path), "%s/xfer.dst", dir);
	CHECK((rump = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) >=
	    RUMP_FDOFF, "open %s", path);

	/* Host to rump with the file offsets, as cp does. */
	for (done = 0; done < XFER_SIZE; done += (size_t)n) {
		n = copy_file_range(host, NULL, rump, NULL, 1 << 20, 0);
		CHECK(n > 0, "copy_file_range returned %zd", n);
	}
	CHECK(copy_file_range(host, NULL, rump, NULL, 100, 0) == 0,
	    "copy_file_range at the end of the input");
	CHECK(lseek(host, 0, SEEK_CUR) == XFER_SIZE, "input file offset");
	CHECK(lseek(rump, 0, SEEK_CUR) == XFER_SIZE, "output file offset");
	check_content(rump, data, XFER_SIZE, "host to rump");
	pass("copy_file_range host to rump");

	/* Rump to host with explicit offsets; the file offsets stay. */
	snprintf(hpath, sizeof(hpath), "%s/xfer.back", hostdir);
	CHECK((back = open(hpath, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0,
	    "open %s", hpath);
	inoff = 1000;
	outoff = 5;
	n = copy_file_range(rump, &inoff, back, &outoff, 5000, 0);
	CHECK(n == 5000, "copy_file_range returned %zd", n);
	CHECK(inoff == 6000, "input offset %lld", (long long)inoff);
	CHECK(outoff == 5005, "output offset %lld", (long long)outoff);
	CHECK(lseek(rump, 0, SEEK_CUR) == XFER_SIZE, "input file offset moved");
	CHECK(lseek(back, 0, SEEK_CUR) == 0, "output file offset moved");
	CHECK(pread(back, buf, 10, 5) == 10, "pread");
	CHECK(memcmp(buf, data + 1000, 10) == 0, "copied bytes differ");
	pass("copy_file_range rump to host with offsets");

	/* Rump to rump; overlapping ranges of one file are rejected. */
	inoff = 0;
	outoff = 100;
	errno = 0;
	n = copy_file_range(rump, &inoff, rump, &outoff, 200, 0);
	CHECK(n == -1, "overlapping ranges: returned %zd", n);
	CHECK(errno == EINVAL,
	    "overlapping ranges: errno %d, expected EINVAL", errno);
	errno = 0;
	n = copy_file_range(host, NULL, rump, NULL, 10, 1);
	CHECK(n == -1, "flags: returned %zd", n);
	CHECK(errno == EINVAL, "flags: errno %d, expected EINVAL", errno);
	snprintf(path, sizeof(path), "%s", dir);
	CHECK((rdir = open(path, O_RDONLY | O_DIRECTORY)) >= RUMP_FDOFF,
	    "open %s", path);
	errno = 0;
	n = copy_file_range(rdir, NULL, host, NULL, 10, 0);
	CHECK(n == -1, "directory: returned %zd", n);
	CHECK(errno == EISDIR, "directory: errno %d, expected EISDIR", errno);
	close(rdir);
	snprintf(path, sizeof(path), "%s/xfer.dst", dir);
	CHECK((rdir = open(path, O_RDONLY)) >= RUMP_FDOFF, "open %s", path);
	errno = 0;
	n = copy_file_range(host, NULL, rdir, NULL, 10, 0);
	CHECK(n == -1, "read-only output: returned %zd", n);
	CHECK(errno == EBADF, "read-only output: errno %d, expected EBADF",
	    errno);
	close(rdir);
	pass("copy_file_range errors");

	/* sendfile from rump to host, with and without an offset. */
	CHECK(ftruncate(back, 0) == 0, "ftruncate");
	CHECK(lseek(back, 0, SEEK_SET) == 0, "lseek");
	CHECK(lseek(rump, 0, SEEK_SET) == 0, "lseek");
	for (done = 0; done < XFER_SIZE; done += (size_t)n) {
		n = sendfile(back, rump, NULL, XFER_SIZE);
		CHECK(n > 0, "sendfile returned %zd", n);
	}
	check_content(back, data, XFER_SIZE, "sendfile rump to host");
	inoff = XFER_SIZE - 10;
	CHECK(lseek(host, 0, SEEK_SET) == 0, "lseek");
	n = sendfile(rump, host, &inoff, 100);
	CHECK(n == 10, "sendfile with an offset returned %zd", n);
	CHECK(inoff == XFER_SIZE, "input offset %lld", (long long)inoff);
	CHECK(lseek(host, 0, SEEK_CUR) == 0, "input file offset moved");
	pass("sendfile between host and rump");

	/* splice from a host pipe into a rump file and back. */
	CHECK(pipe(p) == 0, "pipe");
	CHECK(write(p[1], "spliced", 7) == 7, "write pipe");
	outoff = 3;
	n = splice(p[0], NULL, rump, &outoff, 100, 0);
	CHECK(n == 7, "splice into rump returned %zd", n);
	CHECK(outoff == 10, "output offset %lld", (long long)outoff);
	CHECK(pread(rump, buf, 7, 3) == 7, "pread");
	CHECK(memcmp(buf, "spliced", 7) == 0, "spliced bytes differ");
	inoff = 3;
	n = splice(rump, &inoff, p[1], NULL, 7, 0);
	CHECK(n == 7, "splice out of rump returned %zd", n);
	CHECK(inoff == 10, "input offset %lld", (long long)inoff);
	CHECK(read(p[0], buf, 7) == 7, "read pipe");
	CHECK(memcmp(buf, "spliced", 7) == 0, "bytes through the pipe differ");
	errno = 0;
	n = splice(rump, NULL, back, NULL, 10, 0);
	CHECK(n == -1, "splice without a pipe: returned %zd", n);
	CHECK(errno == EINVAL,
	    "splice without a pipe: errno %d, expected EINVAL", errno);
	errno = 0;
	n = splice(p[0], &inoff, rump, NULL, 10, 0);
	CHECK(n == -1, "splice with a pipe offset: returned %zd", n);
	CHECK(errno == ESPIPE,
	    "splice with a pipe offset: errno %d, expected ESPIPE", errno);
	errno = 0;
	n = splice(p[0], NULL, rump, NULL, 10, SPLICE_F_NONBLOCK);
	CHECK(n == -1,
	    "splice from an empty pipe, non-blocking: returned %zd", n);
	CHECK(errno == EAGAIN,
	    "splice from an empty pipe, non-blocking: errno %d, "
	    "expected EAGAIN", errno);
	pass("splice between pipes and rump files");

	close(p[0]);
	close(p[1]);
	close(back);
	close(rump);
	close(host);
	free(data);
}

int
main(int argc, char **argv)
{
	static char selfbuf[PATH_MAX];
	ssize_t n;

	CHECK((n = readlink("/proc/self/exe", selfbuf, sizeof(selfbuf) - 1)) >
	    0, "readlink /proc/self/exe");
	selfbuf[n] = '\0';
	self = selfbuf;

	if (argc == 3 && strcmp(argv[1], "exec") == 0)
		exec_start(argv[2]);
	else if (argc == 6 && strcmp(argv[1], "exec-step") == 0)
		exec_step((unsigned)atoi(argv[2]), atoi(argv[3]),
		    atoi(argv[4]), argv[5]);
	else if (argc == 3 && strcmp(argv[1], "fork") == 0)
		test_fork(argv[2]);
	else if (argc == 5 && strcmp(argv[1], "closed") == 0)
		check_closed(atoi(argv[2]), atoi(argv[3]), argv[4]);
	else if (argc == 3 && strcmp(argv[1], "spawn") == 0)
		test_spawn(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "shell") == 0)
		test_shell(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "daemon") == 0)
		test_daemon(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "xfer") == 0)
		test_xfer(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: h_proc exec|fork|spawn|shell DIR\n"
		    "       h_proc daemon FILE\n"
		    "       h_proc xfer DIR HOSTDIR\n");
		return 2;
	}
	printf("all passed\n");
	return 0;
}
