/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: setup, configuration and path classification.
 *
 * The library is loaded with LD_PRELOAD into unmodified dynamically
 * linked programs.  Its definitions of open, read, stat, opendir, fopen
 * and the rest come before the C library's in symbol lookup, so each call
 * lands here first.  It is sent either to the rump kernel that
 * RUMP_SERVER names, through librumpclient's rump_sys_* calls, or to the
 * host's own function, found with dlsym(RTLD_NEXT).
 *
 * Setup happens once per process, in hijack_init(): from the constructor,
 * or from the first hijacked call if another library's constructor makes
 * one before ours ran.  It reads RUMPHIJACK, connects to the server and
 * takes over the state a hijacked parent passed across execve in the
 * environment.  A hijacked call made on the same thread while setup runs
 * finds the configuration but no connection yet, so its paths go to the
 * host.  Other threads wait for setup to finish.
 *
 * Files: hijack_fd.c contains the descriptor table (the offset split, the
 * aliases of host slots and the dup, close, fcntl and ioctl calls).
 * hijack_file.c contains the calls on open files, hijack_path.c the calls
 * on paths, and hijack_cwd.c the working directory and realpath.
 * hijack_dir.c contains the directory streams, hijack_ftw.c ftw and nftw,
 * and hijack_stdio.c the stdio streams.  hijack_poll.c (poll and select),
 * hijack_proc.c (fork and exec) and hijack_xfer.c (sendfile and
 * copy_file_range) use only the interface in hijack.h.
 */

#include <sys/socket.h>

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "hijack_core.h"

/* RUMPHIJACK when the variable is not set. */
#define HIJACK_DEFAULTCONF	"path=/rump,socket=all:nolocal"

/* Variables that carry the hijack's state across execve. */
#define ENV_DUP2INFO	"RUMPHIJACK__DUP2INFO"
#define ENV_PWDINRUMP	"RUMPHIJACK__PWDINRUMP"
#define ENV_FDMAX	"RUMPHIJACK__FDMAX"

/* Socket families by RUMPHIJACK name, where Linux has them. */
static const struct {
	const char	*name;
	int		family;
} hijack_families[] = {
	{ "local",	AF_LOCAL },
	{ "inet",	AF_INET },
	{ "link",	AF_PACKET },
	{ "route",	AF_NETLINK },
	{ "inet6",	AF_INET6 },
#ifdef AF_MPLS
	{ "mpls",	AF_MPLS },
#endif
};

#define HIJACK_NFAMILY	64

static const char *const hijack_vfsnames[] = {
	"nfssvc", "getvfsstat", "fhcalls"
};

/*
 * The configuration.  Written only by hijack_setup(), before the state
 * becomes HIJACK_READY; read-only afterwards.
 */
int hijack_fdoff = 128;
static struct {
	char	*prefix;	/* path= without trailing slashes, or NULL */
	size_t	prefixlen;
	bool	prefixall;	/* path= is all slashes: every absolute path */
	char	**blanket;	/* blanket= prefixes */
	size_t	nblanket;
	bool	sockfamily[HIJACK_NFAMILY];	/* created in the rump kernel */
	bool	vfs[3];		/* accepted; Linux has none of these calls */
	bool	sysctl;		/* accepted; glibc 2.32 dropped sysctl() */
	bool	modctl;		/* accepted; Linux has no modctl() */
	char	*server;	/* RUMP_SERVER as found at setup */
} hconf;

/* The working directory is in the rump kernel (atomic). */
static bool hijack_pwdrump;

enum {
	HIJACK_UNSET,
	HIJACK_SETTING_UP,
	HIJACK_READY
};
static pthread_mutex_t hijack_initlock = PTHREAD_MUTEX_INITIALIZER;
static int hijack_state;		/* atomic; changed under initlock */
static pthread_t hijack_initthread;	/* valid while HIJACK_SETTING_UP */

void
hijack_fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("librumphijack: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
hijack_hostsym(const char *name)
{
	void *p;

	if ((p = dlsym(RTLD_NEXT, name)) == NULL)
		hijack_fatal("the C library has no function %s", name);
	return p;
}

void *
hijack_hostfn(void **cache, const char *name)
{
	void *p;

	p = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
	if (p == NULL) {
		p = hijack_hostsym(name);
		__atomic_store_n(cache, p, __ATOMIC_RELEASE);
	}
	return p;
}

int
hijack_efault(void)
{

	errno = EFAULT;
	return -1;
}

/* ------------------------------------------------------------------ */
/* RUMPHIJACK */

static void
conf_path(const char *val)
{
	size_t len = strlen(val);

	if (val[0] != '/')
		hijack_fatal("RUMPHIJACK: path=%s does not start with /", val);
	if (strspn(val, "/") == len) {
		hconf.prefixall = true;
		return;
	}
	if (val[len - 1] == '/')
		hijack_fatal("RUMPHIJACK: path=%s ends in /", val);
	free(hconf.prefix);
	if ((hconf.prefix = strdup(val)) == NULL)
		hijack_fatal("out of memory");
	hconf.prefixlen = len;
	hconf.prefixall = false;
}

static void
conf_blanket(const char *val)
{
	char *copy, *item, *save;

	if ((copy = strdup(val)) == NULL)
		hijack_fatal("out of memory");
	for (item = strtok_r(copy, ":", &save); item != NULL;
	    item = strtok_r(NULL, ":", &save)) {
		size_t len = strlen(item);
		char **nb;

		if (item[0] != '/' || item[len - 1] == '/')
			hijack_fatal("RUMPHIJACK: blanket prefix %s must start "
			    "with / and not end with /", item);
		nb = realloc(hconf.blanket,
		    (hconf.nblanket + 1) * sizeof(*nb));
		if (nb == NULL || (nb[hconf.nblanket] = strdup(item)) == NULL)
			hijack_fatal("out of memory");
		hconf.blanket = nb;
		hconf.nblanket++;
	}
	free(copy);
}

static void
conf_socket(const char *val)
{
	char *copy, *item, *save;
	size_t i;

	if ((copy = strdup(val)) == NULL)
		hijack_fatal("out of memory");
	for (item = strtok_r(copy, ":", &save); item != NULL;
	    item = strtok_r(NULL, ":", &save)) {
		bool on = true;
		const char *name = item;

		if (strcmp(item, "all") == 0) {
			for (i = 1; i < HIJACK_NFAMILY; i++)
				hconf.sockfamily[i] = true;
			continue;
		}
		if (strncmp(item, "no", 2) == 0) {
			on = false;
			name = item + 2;
		}
		for (i = 0; i < sizeof(hijack_families) /
		    sizeof(hijack_families[0]); i++)
			if (strcmp(name, hijack_families[i].name) == 0)
				break;
		if (i == sizeof(hijack_families) / sizeof(hijack_families[0]))
			hijack_fatal("RUMPHIJACK: unknown socket family %s "
			    "(known: all, local, inet, link, route, inet6, "
			    "mpls, each also with no)", item);
		hconf.sockfamily[hijack_families[i].family] = on;
	}
	free(copy);
}

static void
conf_vfs(const char *val)
{
	char *copy, *item, *save;
	size_t i, n = sizeof(hijack_vfsnames) / sizeof(hijack_vfsnames[0]);

	if ((copy = strdup(val)) == NULL)
		hijack_fatal("out of memory");
	for (item = strtok_r(copy, ":", &save); item != NULL;
	    item = strtok_r(NULL, ":", &save)) {
		bool on = true;
		const char *name = item;

		if (strcmp(item, "all") == 0) {
			for (i = 0; i < n; i++)
				hconf.vfs[i] = true;
			continue;
		}
		if (strncmp(item, "no", 2) == 0) {
			on = false;
			name = item + 2;
		}
		for (i = 0; i < n; i++)
			if (strcmp(name, hijack_vfsnames[i]) == 0)
				break;
		if (i == n)
			hijack_fatal("RUMPHIJACK: unknown vfs call %s (known: "
			    "all, nfssvc, getvfsstat, fhcalls)", item);
		hconf.vfs[i] = on;
	}
	free(copy);
}

/* A yes/no value; a bare key (val NULL) means yes. */
static bool
conf_yesno(const char *key, const char *val)
{
	static const char *const yes[] = { "yes", "y", "yep", "tottakai" };
	size_t i;

	if (val == NULL)
		return true;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(val, yes[i]) == 0)
			return true;
	if (strcasecmp(val, "no") == 0 || strcasecmp(val, "n") == 0)
		return false;
	hijack_fatal("RUMPHIJACK: %s=%s is neither yes nor no", key, val);
}

static void
conf_fdoff(const char *val)
{
	char *end;
	long n;

	/* strtol would also take leading blanks and a sign. */
	errno = 0;
	n = strtol(val, &end, 10);
	if (!isdigit((unsigned char)val[0]) || errno != 0 || *end != '\0' ||
	    n < 3 || n >= INT_MAX / 2)
		hijack_fatal("RUMPHIJACK: fdoff=%s is not a number from 3 to "
		    "%d", val, INT_MAX / 2 - 1);
	hijack_fdoff = (int)n;
}

/*
 * Parse RUMPHIJACK: comma-separated key=value items.  Every key but path
 * and blanket and fdoff is also accepted bare where it takes no value.
 */
static void
conf_parse(const char *conf)
{
	char *copy, *item, *save;

	if ((copy = strdup(conf)) == NULL)
		hijack_fatal("out of memory");
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		char *val = strchr(item, '=');

		if (val != NULL)
			*val++ = '\0';
		if (strcmp(item, "sysctl") == 0) {
			hconf.sysctl = conf_yesno(item, val);
			continue;
		}
		if (strcmp(item, "modctl") == 0) {
			hconf.modctl = conf_yesno(item, val);
			continue;
		}
		if (strcmp(item, "path") != 0 && strcmp(item, "blanket") != 0 &&
		    strcmp(item, "socket") != 0 && strcmp(item, "vfs") != 0 &&
		    strcmp(item, "fdoff") != 0)
			hijack_fatal("RUMPHIJACK: unknown key %s (known: path, "
			    "blanket, socket, vfs, sysctl, modctl, fdoff)",
			    item);
		if (val == NULL || *val == '\0')
			hijack_fatal("RUMPHIJACK: %s needs a value", item);
		if (strcmp(item, "path") == 0)
			conf_path(val);
		else if (strcmp(item, "blanket") == 0)
			conf_blanket(val);
		else if (strcmp(item, "socket") == 0)
			conf_socket(val);
		else if (strcmp(item, "vfs") == 0)
			conf_vfs(val);
		else
			conf_fdoff(val);
	}
	free(copy);
}

static void
conf_retry(const char *val)
{
	char *end;
	long n;

	if (strcmp(val, "inftime") == 0) {
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_INFTIME);
		return;
	}
	if (strcmp(val, "once") == 0) {
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE);
		return;
	}
	if (strcmp(val, "die") == 0) {
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_DIE);
		return;
	}
	errno = 0;
	n = strtol(val, &end, 10);
	if (!isdigit((unsigned char)val[0]) || errno != 0 || *end != '\0')
		hijack_fatal("RUMPHIJACK_RETRYCONNECT=%s is not inftime, once, "
		    "die or a number of seconds", val);
	rumpclient_setconnretry((time_t)n);
}

/* ------------------------------------------------------------------ */
/* State passed across execve */

/*
 * Take over the state of the image that exec'ed us, and remove the
 * variables so that they do not reach programs run without the hijack's
 * execve.
 */
static void
env_restore(void)
{
	const char *v;

	if ((v = getenv(ENV_PWDINRUMP)) != NULL) {
		hijack_setpwdinrump(strcmp(v, "true") == 0);
		unsetenv(ENV_PWDINRUMP);
	}
	if ((v = getenv(ENV_FDMAX)) != NULL) {
		char *end;
		long n = strtol(v, &end, 10);

		if (end != v && *end == '\0' && n >= 0 && n < INT_MAX / 2)
			(void)hijack_fdout((int)n);
		unsetenv(ENV_FDMAX);
	}
	if ((v = getenv(ENV_DUP2INFO)) != NULL) {
		char *copy = strdup(v), *item, *save;

		unsetenv(ENV_DUP2INFO);
		if (copy == NULL)
			hijack_fatal("out of memory");
		for (item = strtok_r(copy, ",", &save); item != NULL;
		    item = strtok_r(NULL, ",", &save)) {
			int slot, rfd;
			char c;

			if (sscanf(item, "%d:%d%c", &slot, &rfd, &c) != 2 ||
			    slot < 0 || slot >= hijack_fdoff || rfd < 0) {
				fprintf(stderr, "librumphijack: ignoring "
				    "malformed " ENV_DUP2INFO " item %s\n",
				    item);
				continue;
			}
			hijack_alias_restore(slot, rfd);
		}
		free(copy);
	}
}

/* Store "name=val" in *areap and append it to env. */
static void
env_add(char **env, size_t *np, char **areap, const char *name,
    const char *val)
{
	int len;

	len = sprintf(*areap, "%s=%s", name, val);
	env[(*np)++] = *areap;
	*areap += len + 1;
}

static bool
env_has(char *const envp[], const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return true;
	return false;
}

char **
hijack_execenv(char *const envp[])
{
	static const char *const ours[] = {
		ENV_DUP2INFO, ENV_PWDINRUMP, ENV_FDMAX
	};
	char *dup2info, fdmax[16], *area, **env;
	const char *preload = NULL;
	bool carry, addpreload = false, addserver = false;
	size_t n, i, j, areasize;
	Dl_info dli;

	hijack_init();
	dup2info = hijack_alias_encode();
	snprintf(fdmax, sizeof(fdmax), "%d", hijack_fdmax());
	carry = dup2info != NULL || hijack_pwdinrump();

	/*
	 * A program run with a cleared environment would lose the
	 * descriptors and working directory it inherits from us, so the
	 * hijack itself is carried along when there is state to carry.
	 */
	if (carry && !env_has(envp, "LD_PRELOAD") &&
	    dladdr((void *)hijack_init, &dli) != 0 && dli.dli_fname != NULL) {
		preload = dli.dli_fname;
		addpreload = true;
	}
	if (carry && hconf.server != NULL && !env_has(envp, "RUMP_SERVER") &&
	    !env_has(envp, "RUMP__PARSEDSERVER"))
		addserver = true;

	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	areasize = sizeof(ENV_DUP2INFO) + sizeof(ENV_PWDINRUMP) +
	    sizeof(ENV_FDMAX) + sizeof(fdmax) + 16 +
	    (dup2info != NULL ? strlen(dup2info) : 0) +
	    (addpreload ? strlen(preload) + 16 : 0) +
	    (addserver ? strlen(hconf.server) + 16 : 0);
	env = malloc((n + 6) * sizeof(*env) + areasize);
	if (env == NULL) {
		free(dup2info);
		return NULL;
	}
	area = (char *)(env + n + 6);

	for (i = j = 0; i < n; i++) {
		size_t k;
		bool skip = false;

		for (k = 0; k < sizeof(ours) / sizeof(ours[0]); k++) {
			size_t len = strlen(ours[k]);

			if (strncmp(envp[i], ours[k], len) == 0 &&
			    envp[i][len] == '=')
				skip = true;
		}
		if (!skip)
			env[j++] = envp[i];
	}
	if (dup2info != NULL)
		env_add(env, &j, &area, ENV_DUP2INFO, dup2info);
	if (hijack_pwdinrump())
		env_add(env, &j, &area, ENV_PWDINRUMP, "true");
	if (hijack_fdmax() >= 0)
		env_add(env, &j, &area, ENV_FDMAX, fdmax);
	if (addpreload)
		env_add(env, &j, &area, "LD_PRELOAD", preload);
	if (addserver)
		env_add(env, &j, &area, "RUMP_SERVER", hconf.server);
	env[j] = NULL;
	free(dup2info);
	return env;
}

void
hijack_freeenv(char **env)
{

	free(env);
}

/* ------------------------------------------------------------------ */
/* Setup */

static void
hijack_setup(void)
{
	const char *conf, *v;

	if ((conf = getenv("RUMPHIJACK")) == NULL)
		conf = HIJACK_DEFAULTCONF;
	conf_parse(conf);
	if ((v = getenv("RUMPHIJACK_RETRYCONNECT")) != NULL)
		conf_retry(v);
	if ((v = getenv("RUMP_SERVER")) != NULL &&
	    (hconf.server = strdup(v)) == NULL)
		hijack_fatal("out of memory");

	/*
	 * Without the server the program cannot do what it was started
	 * for, and running it on host paths instead could touch files the
	 * user meant to keep apart: stop here.
	 */
	if (rumpclient_init() == -1) {
		if (hconf.server == NULL || hconf.server[0] == '\0')
			hijack_fatal("RUMP_SERVER is not set: set it to the "
			    "server's address, such as unix:///tmp/sock");
		hijack_fatal("cannot connect to the rump kernel at %s: %s "
		    "(is rump_server running there?)", hconf.server,
		    strerror(errno));
	}
	env_restore();
	hijack_umask_sync();
}

void
hijack_init(void)
{
	int state;

	state = __atomic_load_n(&hijack_state, __ATOMIC_ACQUIRE);
	if (state == HIJACK_READY)
		return;
	if (state == HIJACK_SETTING_UP &&
	    pthread_equal(hijack_initthread, pthread_self()))
		return;

	pthread_mutex_lock(&hijack_initlock);
	if (hijack_state == HIJACK_UNSET) {
		hijack_initthread = pthread_self();
		__atomic_store_n(&hijack_state, HIJACK_SETTING_UP,
		    __ATOMIC_RELEASE);
		hijack_setup();
		__atomic_store_n(&hijack_state, HIJACK_READY,
		    __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&hijack_initlock);
}

static void __attribute__((__constructor__))
hijack_ctor(void)
{

	hijack_init();
}

/* ------------------------------------------------------------------ */
/* Paths */

/* Whether the connection is up; false while setup is still running. */
static bool
hijack_connected(void)
{

	hijack_init();
	return __atomic_load_n(&hijack_state, __ATOMIC_ACQUIRE) ==
	    HIJACK_READY;
}

enum hijack_match
hijack_matchpath(const char *path, const char **rpathp)
{
	const char *p;
	size_t i;

	/* The host fails a bad pointer with EFAULT. */
	if (hijack_badaddr(path) || !hijack_connected())
		return HIJACK_MATCH_NONE;
	if (path[0] != '/') {
		if (!hijack_pwdinrump())
			return HIJACK_MATCH_NONE;
		*rpathp = path;
		return HIJACK_MATCH_CWD;
	}

	if (hconf.prefixall) {
		*rpathp = path;
		return HIJACK_MATCH_PREFIX;
	}
	if (hconf.prefix != NULL) {
		/* "//rump/x" names the same file as "/rump/x". */
		for (p = path; p[0] == '/' && p[1] == '/'; p++)
			continue;
		if (strncmp(p, hconf.prefix, hconf.prefixlen) == 0 &&
		    (p[hconf.prefixlen] == '\0' || p[hconf.prefixlen] == '/')) {
			p += hconf.prefixlen;
			while (p[0] == '/' && p[1] == '/')
				p++;
			*rpathp = *p != '\0' ? p : "/";
			return HIJACK_MATCH_PREFIX;
		}
	}
	for (i = 0; i < hconf.nblanket; i++) {
		if (strncmp(path, hconf.blanket[i],
		    strlen(hconf.blanket[i])) == 0) {
			*rpathp = path;
			return HIJACK_MATCH_BLANKET;
		}
	}
	return HIJACK_MATCH_NONE;
}

bool
hijack_rumppath(const char *path, const char **rpathp)
{

	return hijack_matchpath(path, rpathp) != HIJACK_MATCH_NONE;
}

enum hijack_kind
hijack_atpath(int dirfd, const char *path, int *rdirfdp,
    const char **rpathp)
{
	int rfd;

	if (path != NULL && !hijack_badaddr(path) &&
	    (path[0] == '/' || dirfd == AT_FDCWD)) {
		if (!hijack_rumppath(path, rpathp))
			return HIJACK_HOST;
		*rdirfdp = AT_FDCWD;
		return HIJACK_RUMP;
	}
	if (path == NULL && dirfd == AT_FDCWD)
		return HIJACK_HOST;
	if (hijack_fdkind(dirfd, &rfd) != HIJACK_RUMP)
		return HIJACK_HOST;
	*rdirfdp = rfd;
	*rpathp = path;
	return HIJACK_RUMP;
}

const char *
hijack_prefix(size_t *lenp)
{

	if (hconf.prefixall || hconf.prefix == NULL)
		return NULL;
	*lenp = hconf.prefixlen;
	return hconf.prefix;
}

bool
hijack_sockfamily(int family)
{

	hijack_init();
	return family >= 0 && family < HIJACK_NFAMILY &&
	    hconf.sockfamily[family];
}

bool
hijack_pwdinrump(void)
{

	return __atomic_load_n(&hijack_pwdrump, __ATOMIC_ACQUIRE);
}

void
hijack_setpwdinrump(bool inrump)
{

	__atomic_store_n(&hijack_pwdrump, inrump, __ATOMIC_RELEASE);
}
