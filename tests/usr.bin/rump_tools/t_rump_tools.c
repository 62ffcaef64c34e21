/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of rump.halt, rump.sysctl, rump.mount and rump.umount.
 *
 * A child process boots a kernel with the ext2 file system and serves it
 * on a unix socket.  The tools run as separate processes with RUMP_SERVER
 * pointing at it.  The test talks to the server child over a pair of
 * pipes to have it look at its own kernel: whether a file of the image is
 * readable under /mnt, and whether the kernel has halted.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

#define IMGKEY	"/dev/img"
#define HELLO	"hello from the image\n"

static pid_t server_pid;
static int cmd_fd = -1, reply_fd = -1;
static char tooldir[600];

/* Return 'y' when the server's /mnt/hello.txt has the expected text. */
static char
child_check_file(void)
{
	char buf[64];
	ssize_t n;
	int fd;

	if ((fd = rump_sys_open("/mnt/hello.txt", O_RDONLY)) == -1)
		return 'n';
	n = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	if (n != (ssize_t)strlen(HELLO) || memcmp(buf, HELLO, (size_t)n) != 0)
		return 'n';
	return 'y';
}

/*
 * Run the server child: boot, register the image when there is one, serve,
 * and reply to the commands of the test.  'c' checks the file, 'p' checks
 * that the kernel still runs calls, 'h' that it has halted (then exits).
 */
static void
child_main(const char *url, const char *img, int cmdin, int replyout)
{
	char cmd, reply;
	int error;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(100);
	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump_init: %s\n", strerror(error));
		_exit(1);
	}
	if (img != NULL) {
		error = rump_pub_etfs_register(IMGKEY, img, RUMP_ETFS_BLK);
		if (error != 0) {
			fprintf(stderr, "etfs: %s\n", strerror(error));
			_exit(1);
		}
	}
	if (rump_sys_mkdir("/mnt", 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "mkdir /mnt: %s\n", strerror(errno));
		_exit(1);
	}
	if ((error = rump_init_server(url)) != 0) {
		fprintf(stderr, "rump_init_server: %s\n", strerror(error));
		_exit(1);
	}
	while (read(cmdin, &cmd, 1) == 1) {
		switch (cmd) {
		case 'c':
			reply = child_check_file();
			break;
		case 'p':
			reply = rump_sys_getpid() > 0 ? 'y' : 'n';
			break;
		case 'h':
			reply = rump_sys_getpid() == -1 ? 'y' : 'n';
			(void)write(replyout, &reply, 1);
			_exit(reply == 'y' ? 0 : 3);
		default:
			reply = '?';
		}
		if (write(replyout, &reply, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

/* Start the server child, with the image img when not NULL. */
static void
start_server(const char *img)
{
	struct sockaddr_un sun;
	char cwd[400], path[512], url[600];
	int tochild[2], fromchild[2], fd, i;

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(path, sizeof(path), "%s/sock", cwd);
	snprintf(url, sizeof(url), "unix://%s", path);
	(void)unlink(path);
	ATF_REQUIRE(pipe(tochild) == 0);
	ATF_REQUIRE(pipe(fromchild) == 0);
	server_pid = fork();
	ATF_REQUIRE(server_pid != -1);
	if (server_pid == 0) {
		close(tochild[1]);
		close(fromchild[0]);
		child_main(url, img, tochild[0], fromchild[1]);
	}
	close(tochild[0]);
	close(fromchild[1]);
	cmd_fd = tochild[1];
	reply_fd = fromchild[0];

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	for (i = 0; i < 1000; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		ATF_REQUIRE(fd >= 0);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			close(fd);
			break;
		}
		close(fd);
		ATF_REQUIRE_MSG(waitpid(server_pid, NULL, WNOHANG) == 0,
		    "the server exited");
		usleep(10 * 1000);
	}
	ATF_REQUIRE_MSG(i < 1000, "the server did not come up");
	ATF_REQUIRE(setenv("RUMP_SERVER", url, 1) == 0);
}

/* Send a command to the server child and return its one-byte reply. */
static char
ask(char cmd)
{
	char reply;

	ATF_REQUIRE(write(cmd_fd, &cmd, 1) == 1);
	ATF_REQUIRE_MSG(read(reply_fd, &reply, 1) == 1,
	    "the server child did not reply to '%c'", cmd);
	return reply;
}

static void
stop_server(void)
{
	int status;

	if (server_pid <= 0)
		return;
	kill(server_pid, SIGKILL);
	waitpid(server_pid, &status, 0);
	server_pid = 0;
}

/*
 * Run the tool with arguments (NULL-terminated) and return its exit
 * status.  Its output goes to the files "out" and "err".
 */
static int
run(const char *tool, ...)
{
	char *argv[16], path[700];
	va_list ap;
	pid_t pid;
	int argc = 0, status, fd;

	snprintf(path, sizeof(path), "%s/%s", tooldir, tool);
	argv[argc++] = (char *)tool;
	va_start(ap, tool);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		alarm(30);
		fd = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		fd = open("err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execv(path, argv);
		_exit(127);
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(status), "%s died with a signal", tool);
	return WEXITSTATUS(status);
}

/* Find the tools: bin/ of the build tree, three levels above srcdir. */
static void
setup(const atf_tc_t *tc)
{

	snprintf(tooldir, sizeof(tooldir), "%s/../../../bin",
	    atf_tc_get_config_var_wd(tc, "srcdir", "."));
}

/* Return the contents of the file name, at most 64 KiB. */
static const char *
slurp(const char *name)
{
	static char buf[65536];
	ssize_t n;
	int fd;

	ATF_REQUIRE((fd = open(name, O_RDONLY)) >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ATF_REQUIRE(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

#define RUN_OK(...) do {						\
	int rc_ = run(__VA_ARGS__, (char *)NULL);			\
	ATF_REQUIRE_EQ_MSG(rc_, 0, "exit %d, stderr: %s", rc_,		\
	    slurp("err"));						\
} while (0)

#define OUT_HAS(text)							\
	ATF_CHECK_MSG(strstr(slurp("out"), (text)) != NULL,		\
	    "stdout lacks '%s': %s", (text), slurp("out"))
#define ERR_HAS(text)							\
	ATF_CHECK_MSG(strstr(slurp("err"), (text)) != NULL,		\
	    "stderr lacks '%s': %s", (text), slurp("err"))

/* Halt with the tool, then have the server child confirm and exit. */
static void
halt_case(const char *flag)
{
	int status;

	start_server(NULL);
	ATF_REQUIRE_EQ(ask('p'), 'y');
	if (flag != NULL)
		RUN_OK("rump.halt", flag);
	else
		RUN_OK("rump.halt");
	ATF_CHECK_EQ(ask('h'), 'y');
	ATF_REQUIRE(waitpid(server_pid, &status, 0) == server_pid);
	server_pid = 0;
	ATF_CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "server child status %#x", status);
}

ATF_TC(halt);
ATF_TC_HEAD(halt, tc)
{
	atf_tc_set_md_var(tc, "descr", "rump.halt halts the server's kernel");
}
ATF_TC_BODY(halt, tc)
{

	setup(tc);
	halt_case(NULL);
}

ATF_TC(halt_nosync);
ATF_TC_HEAD(halt_nosync, tc)
{
	atf_tc_set_md_var(tc, "descr", "rump.halt -n halts without a sync");
}
ATF_TC_BODY(halt_nosync, tc)
{

	setup(tc);
	halt_case("-n");
}

ATF_TC(sysctl);
ATF_TC_HEAD(sysctl, tc)
{
	atf_tc_set_md_var(tc, "descr", "rump.sysctl reads, sets and lists");
}
ATF_TC_BODY(sysctl, tc)
{
	const char *out;

	setup(tc);
	start_server(NULL);
	RUN_OK("rump.sysctl", "kern.hostname");
	OUT_HAS("kern.hostname = ");
	RUN_OK("rump.sysctl", "kern.hostname=tools-test");
	OUT_HAS("kern.hostname: ");
	OUT_HAS(" -> tools-test\n");
	out = slurp("out");
	ATF_CHECK_MSG(strchr(out, '\n') == strrchr(out, '\n'),
	    "not one line: %s", out);
	RUN_OK("rump.sysctl", "-n", "kern.hostname");
	ATF_CHECK_STREQ(slurp("out"), "tools-test\n");
	RUN_OK("rump.sysctl", "kern.hostname=other");
	RUN_OK("rump.sysctl", "kern");
	OUT_HAS("kern.hostname = other\n");
	RUN_OK("rump.sysctl", "-a");
	OUT_HAS("kern.ostype = ");
	OUT_HAS("kern.hostname = other\n");
	ATF_CHECK_EQ(run("rump.sysctl", "kern.nosuchnode", (char *)NULL), 1);
	ERR_HAS("rump.sysctl: kern.nosuchnode: No such file or directory");
	ATF_CHECK_EQ(run("rump.sysctl", "kern.ostype=x", (char *)NULL), 1);
	ERR_HAS("rump.sysctl: kern.ostype: ");
	ATF_REQUIRE_EQ(ask('p'), 'y');
	stop_server();
}

ATF_TC(mount);
ATF_TC_HEAD(mount, tc)
{
	atf_tc_set_md_var(tc, "descr", "rump.mount and rump.umount an ext2 "
	    "image that the server registered");
	atf_tc_set_md_var(tc, "require.progs", "mke2fs");
}
ATF_TC_BODY(mount, tc)
{
	FILE *f;

	setup(tc);
	ATF_REQUIRE(mkdir("tree", 0755) == 0);
	ATF_REQUIRE((f = fopen("tree/hello.txt", "w")) != NULL);
	fputs(HELLO, f);
	fclose(f);
	ATF_REQUIRE(system("mke2fs -q -F -t ext2 -b 1024 -d tree img 4M "
	    ">/dev/null 2>&1") == 0);
	start_server("img");

	ATF_REQUIRE_EQ(ask('c'), 'n');
	ATF_CHECK_EQ(run("rump.mount", "-t", "ext2fs", IMGKEY, "/nodir",
	    (char *)NULL), 1);
	ERR_HAS("rump.mount: /nodir: No such file or directory");
	ATF_REQUIRE_EQ(ask('c'), 'n');

	RUN_OK("rump.mount", "-t", "ext2fs", IMGKEY, "/mnt");
	ATF_CHECK_EQ(ask('c'), 'y');
	RUN_OK("rump.umount", "/mnt");
	ATF_CHECK_EQ(ask('c'), 'n');
	ATF_CHECK_EQ(run("rump.umount", "/mnt", (char *)NULL), 1);
	ERR_HAS("rump.umount: /mnt: ");

	RUN_OK("rump.mount", "-r", "-t", "ext2fs", IMGKEY, "/mnt");
	ATF_CHECK_EQ(ask('c'), 'y');
	RUN_OK("rump.umount", "-f", "/mnt");
	ATF_CHECK_EQ(ask('c'), 'n');
	stop_server();
	ATF_CHECK(system("e2fsck -fn img >/dev/null 2>&1") == 0);
}

ATF_TC(usage);
ATF_TC_HEAD(usage, tc)
{
	atf_tc_set_md_var(tc, "descr", "bad command lines exit 2");
}
ATF_TC_BODY(usage, tc)
{

	setup(tc);
	ATF_CHECK_EQ(run("rump.halt", "-x", (char *)NULL), 2);
	ERR_HAS("usage: rump.halt");
	ATF_CHECK_EQ(run("rump.halt", "extra", (char *)NULL), 2);
	ATF_CHECK_EQ(run("rump.sysctl", (char *)NULL), 2);
	ERR_HAS("usage: rump.sysctl");
	ATF_CHECK_EQ(run("rump.sysctl", "-a", "kern", (char *)NULL), 2);
	ATF_CHECK_EQ(run("rump.mount", "/dev/img", "/mnt", (char *)NULL), 2);
	ERR_HAS("usage: rump.mount");
	ATF_CHECK_EQ(run("rump.mount", "-t", "ext2fs", "/dev/img",
	    (char *)NULL), 2);
	ATF_CHECK_EQ(run("rump.umount", (char *)NULL), 2);
	ERR_HAS("usage: rump.umount");
	ATF_CHECK_EQ(run("rump.umount", "-z", "/mnt", (char *)NULL), 2);
}

ATF_TC(noserver);
ATF_TC_HEAD(noserver, tc)
{
	atf_tc_set_md_var(tc, "descr", "without a server the tools exit 1");
}
ATF_TC_BODY(noserver, tc)
{
	static const char *tools[] = { "rump.halt", "rump.sysctl",
	    "rump.mount", "rump.umount" };
	char want[128];
	size_t i;

	setup(tc);
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "%s: RUMP_SERVER is not set",
		    tools[i]);
		unsetenv("RUMP_SERVER");
		ATF_CHECK_EQ(i == 2 ?
		    run(tools[i], "-t", "ext2fs", "a", "b", (char *)NULL) :
		    run(tools[i], i == 0 ? (char *)NULL : "kern",
		    (char *)NULL), 1);
		ERR_HAS(want);
		setenv("RUMP_SERVER", "", 1);
		ATF_CHECK_EQ(i == 2 ?
		    run(tools[i], "-t", "ext2fs", "a", "b", (char *)NULL) :
		    run(tools[i], i == 0 ? (char *)NULL : "kern",
		    (char *)NULL), 1);
		ERR_HAS(want);
		snprintf(want, sizeof(want), "%s: cannot connect to the rump "
		    "kernel at unix:///nonexistent/sock: No such file or "
		    "directory", tools[i]);
		setenv("RUMP_SERVER", "unix:///nonexistent/sock", 1);
		ATF_CHECK_EQ(i == 2 ?
		    run(tools[i], "-t", "ext2fs", "a", "b", (char *)NULL) :
		    run(tools[i], i == 0 ? (char *)NULL : "kern",
		    (char *)NULL), 1);
		ERR_HAS(want);
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, halt);
	ATF_TP_ADD_TC(tp, halt_nosync);
	ATF_TP_ADD_TC(tp, sysctl);
	ATF_TP_ADD_TC(tp, mount);
	ATF_TP_ADD_TC(tp, usage);
	ATF_TP_ADD_TC(tp, noserver);
	return 0;
}
