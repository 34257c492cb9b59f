/* SPDX-License-Identifier: MIT */
/*
 * The collector socket under attack (issue 23, findings 2, 3, 6, 7 and
 * the slot part of 12), each as the attacker acts: a real tasktraced
 * (no devices needed), real unprivileged uids (nobody and others, from
 * children that give up root), a real notify socket, a real FIFO in a
 * root the user made with their own unshare -Urpf. Needs root (to become
 * other uids); skipped otherwise.
 *
 * The seat's user is nobody ([session] static_user): a window of theirs,
 * or any program they run, is the attacker of findings 2 and 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/store.h"

#define NOBODY 65534

static char daemon_path[PATH_MAX + 16];

/* build/tests/test-tracer-attacks → build/tasktraced */
static const char *
daemon_bin(void)
{
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (daemon_path[0])
		return daemon_path;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return NULL;
	self[n] = '\0';
	for (int i = 0; i < 2; i++) {
		slash = strrchr(self, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	snprintf(daemon_path, sizeof(daemon_path), "%s/tasktraced", self);
	return access(daemon_path, X_OK) == 0 ? daemon_path : NULL;
}

static char *
slurp(const char *path)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return strdup("");
	for (;;) {
		size_t n;

		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	if (!buf)
		return strdup("");
	buf[len] = '\0';
	return buf;
}

static bool
wait_for(const char *log, const char *what)
{
	for (int i = 0; i < 200; i++) {
		char *s = slurp(log);
		bool found = strstr(s, what) != NULL;

		free(s);
		if (found)
			return true;
		usleep(50000);
	}
	return false;
}

struct daemon {
	pid_t pid;
	char log[PATH_MAX];
};

/* tasktraced --store DIR/store --config DIR/tasktrace.conf, its output in
 * DIR/daemon.log (or on @stdout_fd when >= 0), NOTIFY_SOCKET=@notify. */
static bool
start(struct daemon *d, const char *dir, const char *notify, int stdout_fd,
      const char *extra_arg)
{
	char store[PATH_MAX], conf[PATH_MAX];

	snprintf(d->log, sizeof(d->log), "%s/daemon.log", dir);
	snprintf(store, sizeof(store), "%s/store", dir);
	snprintf(conf, sizeof(conf), "%s/tasktrace.conf", dir);
	if (!daemon_bin())
		return false;
	d->pid = fork();
	if (d->pid < 0)
		return false;
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 2);
		dup2(stdout_fd >= 0 ? stdout_fd : fd, 1);
		unsetenv("JOURNAL_STREAM");
		if (notify)
			setenv("NOTIFY_SOCKET", notify, 1);
		else
			unsetenv("NOTIFY_SOCKET");
		execl(daemon_bin(), daemon_bin(), "--store", store, "--config", conf,
		      extra_arg, (char *)NULL);
		_exit(127);
	}
	return wait_for(d->log, "tracing seat");
}

/* SIGTERM, and the exit status; -1 when it did not stop within 10 s. */
static int
stop(struct daemon *d)
{
	int status;

	kill(d->pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(50000);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &status, 0);
	return -1;
}

/* The config: the seat's user is nobody, the socket in @dir, + @extra. */
static bool
setup(const char *dir, const char *extra)
{
	char path[PATH_MAX];
	FILE *f;

	if (chmod(dir, 0755) != 0)	/* other uids reach the socket */
		return false;
	snprintf(path, sizeof(path), "%s/tasktrace.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "[session]\nstatic_user = %d\n[collector]\nsocket = %s/c.sock\n%s",
		NOBODY, dir, extra);
	fclose(f);
	return true;
}

static bool
become(uid_t uid)
{
	return setgroups(0, NULL) == 0 && setgid(uid) == 0 && setuid(uid) == 0;
}

/* A blocking connection, HELLO sent (@session, @backend may be NULL). */
static int
collector(const char *dir, const char *backend, const char *session)
{
	char sock[PATH_MAX];
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int fd, n;

	snprintf(sock, sizeof(sock), "%s/c.sock", dir);
	fd = tt_focus_connect(sock);
	if (fd < 0)
		return fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!backend)
		return fd;
	tt_focus_msg_init(&m, TT_FOCUS_HELLO);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "attack", 6);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, backend, strlen(backend));
	if (session)
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_SESSION_ID, session, strlen(session));
	n = tt_focus_encode(&m, buf, sizeof(buf));
	if (n <= 0 || send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static bool
send_focus(int fd, uint64_t window, const char *app, const char *title, uint32_t pid)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int n;

	tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, window);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, app, strlen(app));
	if (title)
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, title, strlen(title));
	if (pid)
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_PID, pid);
	n = tt_focus_encode(&m, buf, sizeof(buf));
	return n > 0 && send(fd, buf, (size_t)n, MSG_NOSIGNAL) == n;
}

/* As nobody: HELLO and one FOCUS of @app/@title, kept open @ms. */
static int
report_as_nobody(const char *dir, const char *app, const char *title, unsigned ms)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd;

		if (!become(NOBODY))
			_exit(2);
		fd = collector(dir, "x11", NULL);
		if (fd < 0)
			_exit(3);
		if (!send_focus(fd, 7, app, title, 0))
			_exit(4);
		usleep(ms * 1000);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool
store_has(const char *dir, const char *str)
{
	char store[PATH_MAX];
	struct tt_store *s;
	struct tt_reader *rd;
	uint32_t id;
	bool found = false;

	snprintf(store, sizeof(store), "%s/store", dir);
	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return false;
	if (tt_reader_open(s, &rd) == 0) {
		found = tt_reader_string_id(rd, str, strlen(str), &id) == 0;
		tt_reader_close(rd);
	}
	tt_store_close(s);
	return found;
}

/* --- finding 3: the app id in sd_notify STATUS= and on root's terminal ---- */

/*
 * Did the tracer close @fd within @ms? It writes nothing to a collector
 * but one WELCOME after accepting (focus-proto.h); anything else read, or
 * nothing at all in time, is "still open".
 */
static bool
closed_by_tracer(int fd, void *buf, size_t size, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct tt_focus_msg m;
	ssize_t n;

	for (int packets = 0; packets < 2; packets++) {
		if (poll(&p, 1, ms) != 1)
			return false;
		n = recv(fd, buf, size, 0);
		if (n == 0)
			return true;
		if (n < 0 || tt_focus_parse(buf, (size_t)n, &m) != 0 ||
		    m.type != TT_FOCUS_WELCOME)
			return false;
	}
	return false;
}

TEST(app_id_cannot_inject_into_notify_or_terminal)
{
	static const char evil[] = "evil\nWATCHDOG=trigger\nWATCHDOG_USEC=1\x1b]0;owned\a\x1b[2K";
	const char *dir = tt_test_tmpdir();
	char notify[PATH_MAX], *log;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dgram[4096], term[65536];
	size_t term_len = 0;
	unsigned statuses = 0, evil_statuses = 0, injected = 0;
	struct daemon d;
	int ns, master, slave, rc;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	CHECK(setup(dir, ""));
	/* systemd's end of sd_notify: a datagram socket */
	snprintf(notify, sizeof(notify), "%s/notify.sock", dir);
	CHECK(strlen(notify) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, notify, strlen(notify) + 1);
	ns = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(ns >= 0);
	CHECK(bind(ns, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	/* root's terminal of `make run` / --status */
	master = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(master >= 0);
	CHECK(grantpt(master) == 0 && unlockpt(master) == 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	CHECK(slave >= 0);

	CHECK(start(&d, dir, notify, slave, "--status"));
	close(slave);
	rc = report_as_nobody(dir, evil, "a title", 2600);
	CHECK_EQ(stop(&d), 0);
	CHECK_EQ(rc, 0);

	/* every datagram the tracer sent */
	for (;;) {
		ssize_t n = recv(ns, dgram, sizeof(dgram) - 1, MSG_DONTWAIT);

		if (n < 0)
			break;
		dgram[n] = '\0';
		if (strncmp(dgram, "STATUS=", 7) == 0) {
			statuses++;
			evil_statuses += strstr(dgram, "app evil") != NULL;
		}
		/* a line the app id started */
		injected += strstr(dgram, "\nWATCHDOG=trigger") != NULL ||
			    strstr(dgram, "\nWATCHDOG_USEC=") != NULL;
	}
	close(ns);
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0 || term_len >= sizeof(term) - 1)
			break;
		n = read(master, term + term_len, sizeof(term) - 1 - term_len);
		if (n <= 0)
			break;
		term_len += (size_t)n;
	}
	term[term_len] = '\0';
	close(master);
	log = slurp(d.log);
	CHECK_MSG(statuses >= 2, "only %u STATUS datagrams; log:\n%s", statuses, log);
	free(log);
	CHECK_MSG(evil_statuses >= 1, "the app never reached STATUS");
	CHECK_MSG(injected == 0, "%u datagrams carried lines of the app id's making", injected);
	/* the status line's own "\r\033[K" is the only escape on the terminal */
	CHECK_MSG(strstr(term, "app evil") != NULL, "no status line with the app: %s", term);
	CHECK_MSG(strstr(term, "\x1b]0;owned") == NULL, "the app id set the terminal's title");
	CHECK_MSG(strstr(term, "\x1b[2K") == NULL, "the app id erased a line");
	CHECK_MSG(strstr(term, "\nWATCHDOG") == NULL, "the app id broke the status line");
}

/* --- finding 6: HELLO floods and forges the journal --------------------- */

static unsigned
count_lines(const char *s, const char *prefix, unsigned *with_prefix)
{
	unsigned n = 0;

	*with_prefix = 0;
	for (const char *p = s; *p; p++) {
		if (p == s || p[-1] == '\n') {
			n++;
			*with_prefix += strncmp(p, prefix, strlen(prefix)) == 0;
		}
	}
	return n;
}

TEST(hello_flood_is_bounded_and_cannot_forge_lines)
{
	const char *dir = tt_test_tmpdir();
	unsigned before, after, forged;
	struct daemon d;
	char *log;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	CHECK(setup(dir, ""));
	CHECK(start(&d, dir, NULL, -1, NULL));
	log = slurp(d.log);
	before = count_lines(log, "<0>", &forged);
	free(log);

	/* nobody, 2000 times: connect, HELLO with a forged line, close */
	pid = fork();
	if (pid == 0) {
		unsigned ok = 0;

		if (!become(NOBODY))
			_exit(2);
		for (int i = 0; i < 2000; i++) {
			int fd = collector(dir, "x11", "x\n<0>forged emergency");

			if (fd >= 0) {
				ok++;
				usleep(200);
				close(fd);
			}
		}
		_exit(ok > 100 ? 0 : 3);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
	usleep(500000);
	CHECK_EQ(stop(&d), 0);
	log = slurp(d.log);
	after = count_lines(log, "<0>", &forged);
	/* a few "connected" lines, one "suppressed", the stop: not 2000 */
	CHECK_MSG(after - before <= 40, "%u log lines for 2000 HELLOs:\n%.2000s",
		  after - before, log);
	CHECK_MSG(forged == 0, "%u lines forged with a priority prefix", forged);
	CHECK_CONTAINS(log, "session x <0>forged emergency");
	free(log);
}

TEST(backend_outside_its_alphabet_is_refused)
{
	const char *dir = tt_test_tmpdir();
	struct daemon d;
	char buf[64];
	bool closed = false;
	int fd;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	CHECK(setup(dir, ""));
	CHECK(start(&d, dir, NULL, -1, NULL));
	/* root's own connection will do: the check is on the name */
	fd = collector(dir, "X11 <evil>", NULL);
	if (fd >= 0) {
		/* the tracer writes only its WELCOME: then end of file */
		closed = closed_by_tracer(fd, buf, sizeof(buf), 3000);
		close(fd);
	}
	CHECK_EQ(stop(&d), 0);
	CHECK(fd >= 0);
	CHECK_MSG(closed, "a HELLO with backend \"X11 <evil>\" was accepted");
	CHECK_MSG(wait_for(d.log, "outside [a-z0-9-]"), "no warning");
}

/* --- finding 2: a reconnect loop with new titles -------------------------- */

/* Records of @uid in the store. */
static long
records_of(const char *dir, uint32_t uid)
{
	char store[PATH_MAX];
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	struct tt_record r;
	long n = 0;

	snprintf(store, sizeof(store), "%s/store", dir);
	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return -1;
	if (tt_reader_open(s, &rd) != 0) {
		tt_store_close(s);
		return -1;
	}
	tt_query_init(&q);
	if (tt_cursor_open(rd, &q, &cur) == 0) {
		while (tt_cursor_next(cur, &r) == 1)
			n += r.uid == uid;
		tt_cursor_close(cur);
	}
	tt_reader_close(rd);
	tt_store_close(s);
	return n;
}

TEST(reconnect_flood_cannot_erase_history_nor_stop_commits)
{
	const char *dir = tt_test_tmpdir();
	const struct tt_store_options so = { .map_size = 8ULL << 20 };
	const long victims = 20000;
	char store[PATH_MAX];
	struct tt_store *s;
	struct daemon d;
	uint64_t now = (uint64_t)time(NULL) * 1000000000ULL;
	pid_t pid;
	int status, flood = -1, after;
	long left;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	/* another user's hour of records, in an 8 MiB store */
	snprintf(store, sizeof(store), "%s/store", dir);
	CHECK_EQ(tt_store_open(&s, store, TT_STORE_CREATE, &so), 0);
	for (long i = 0; i < victims; i++) {
		struct tt_record r;

		memset(&r, 0, sizeof(r));
		r.kind = TT_KIND_IDLE;
		r.uid = 1000;
		r.time_ns = now - 3600ULL * 1000000000ULL + (uint64_t)i * 100000000ULL;
		r.seq = (uint64_t)i + 1;
		CHECK_EQ(tt_store_append(s, &r), 0);
	}
	CHECK_EQ(tt_store_close(s), 0);
	CHECK_EQ(records_of(dir, 1000), victims);

	/* a small budget, so that 6 s of the flood meet it (the message
	 * rate, 50/s for the uid however often it reconnects, bounds the
	 * rest: 6 s are 300 reports) */
	CHECK(setup(dir, "[store]\nmap_size = 8M\n[collector]\nstring_budget = 64K\n"));
	CHECK(start(&d, dir, NULL, -1, NULL));
	/* the seat's user, for 6 s: connect, HELLO, 50 FOCUS with new
	 * 500-byte titles, close, again */
	pid = fork();
	if (pid == 0) {
		struct timespec t0, t1;
		char title[501];
		unsigned long k = 0;

		if (!become(NOBODY))
			_exit(2);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			int fd = collector(dir, "x11", NULL);

			if (fd < 0) {
				usleep(1000);
			} else {
				for (int i = 0; i < 50; i++) {
					memset(title, 'a' + (int)(k % 26), 500);
					snprintf(title, 24, "%020lu:", k++);
					title[21] = 'x';
					title[500] = '\0';
					if (!send_focus(fd, k, "flood", title, 0))
						break;
				}
				close(fd);
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
		} while (t1.tv_sec - t0.tv_sec < 6);
		_exit(0);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		flood = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	sleep(2);
	/* recording goes on: a new title after the flood is committed */
	after = report_as_nobody(dir, "editor", "after the flood", 1500);
	CHECK_EQ(stop(&d), 0);
	CHECK_EQ(flood, 0);
	CHECK_EQ(after, 0);

	left = records_of(dir, 1000);
	CHECK_MSG(left == victims, "the flood left %ld of the other user's %ld records",
		  left, victims);
	CHECK_MSG(store_has(dir, "after the flood"),
		  "nothing was committed after the flood");
	CHECK_MSG(wait_for(d.log, "over its budget of new strings"), "no budget warning");
}

/* --- finding 7: a FIFO at /proc/<pid>/root/.flatpak-info ------------------- */

/* As nobody: unshare -Urpf into @root, running busybox sleep; the pid of
 * the sandboxed process (unshare's child), or -1. */
static pid_t
user_sandbox(const char *root, pid_t *outer)
{
	char path[PATH_MAX + 64], line[64];
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		if (!become(NOBODY))
			_exit(2);
		execlp("unshare", "unshare", "-Urpf", "--root", root,
		       "/bin/busybox", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	*outer = pid;
	for (int i = 0; i < 100; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
		f = fopen(path, "r");
		if (f) {
			bool got = fgets(line, sizeof(line), f) && atoi(line) > 0;

			fclose(f);
			if (got)
				return atoi(line);
		}
		usleep(20000);
	}
	return -1;
}

TEST(flatpak_info_fifo_link_or_huge_file_is_no_claim)
{
	const char *dir = tt_test_tmpdir();
	char root[PATH_MAX], big[PATH_MAX], link[PATH_MAX];
	pid_t inner, outer, inner2, outer2, inner3, outer3;
	struct daemon d;
	int rc;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	if (access("/bin/busybox", X_OK) != 0)
		SKIP("the sandbox needs /bin/busybox (busybox-static)");
	/* the user's own root: a FIFO where Flatpak puts its file */
	snprintf(root, sizeof(root), "%s/fifo-root", dir);
	CHECK_EQ(tt_test_run(NULL, "mkdir -p %s/bin && cp /bin/busybox %s/bin/ && "
			     "mkfifo -m 0666 %s/.flatpak-info", root, root, root), 0);
	/* and one whose file is too large to be Flatpak's */
	snprintf(big, sizeof(big), "%s/big-root", dir);
	CHECK_EQ(tt_test_run(NULL, "mkdir -p %s/bin && cp /bin/busybox %s/bin/ && "
			     "{ printf '[Application]\\nname=org.example.Big\\n'; "
			     "yes '#' | head -c 100000; } > %s/.flatpak-info",
			     big, big, big), 0);
	/* and one whose file is a link to a file only root may read: the
	 * link's absolute target resolves in the tracer's root, not theirs */
	snprintf(link, sizeof(link), "%s/link-root", dir);
	CHECK_EQ(tt_test_run(NULL, "mkdir -p %s/bin && cp /bin/busybox %s/bin/ && "
			     "printf '[Application]\\nname=org.example.Stolen\\n' > %s/secret && "
			     "chmod 0600 %s/secret && ln -s %s/secret %s/.flatpak-info",
			     link, link, dir, dir, dir, link), 0);
	CHECK(chmod(dir, 0755) == 0);
	inner = user_sandbox(root, &outer);
	inner2 = user_sandbox(big, &outer2);
	inner3 = user_sandbox(link, &outer3);
	CHECK_MSG(inner > 0 && inner2 > 0 && inner3 > 0, "unshare -Urpf as nobody did not start");

	CHECK(setup(dir, ""));
	CHECK(start(&d, dir, NULL, -1, NULL));
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			int fd;

			if (!become(NOBODY))
				_exit(2);
			fd = collector(dir, "x11", NULL);
			if (fd < 0 || !send_focus(fd, 1, "fifo", NULL, (uint32_t)inner) ||
			    !send_focus(fd, 2, "big", NULL, (uint32_t)inner2) ||
			    !send_focus(fd, 3, "link", NULL, (uint32_t)inner3))
				_exit(3);
			usleep(1500000);
			_exit(0);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	}
	rc = stop(&d);
	kill(outer, SIGKILL);
	kill(outer2, SIGKILL);
	kill(outer3, SIGKILL);
	kill(inner, SIGKILL);
	kill(inner2, SIGKILL);
	kill(inner3, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	CHECK_MSG(rc == 0, "the tracer did not stop (%d): blocked on the FIFO", rc);
	/* no claim from either; the sandbox's command name instead */
	CHECK(!store_has(dir, "claimed:flatpak:org.example.Big"));
	CHECK(!store_has(dir, "flatpak:org.example.Big"));
	CHECK_MSG(!store_has(dir, "flatpak:org.example.Stolen") &&
		  !store_has(dir, "claimed:flatpak:org.example.Stolen"),
		  "a link made the tracer read a file only root may read");
	CHECK(store_has(dir, "sandbox:busybox"));
}

/* --- finding 12: slots ------------------------------------------------------ */

TEST(eight_uids_cannot_take_the_seat_users_slot)
{
	const char *dir = tt_test_tmpdir();
	struct daemon d;
	pid_t holders[8];
	int ready[2], held = 0, rc;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	CHECK(setup(dir, ""));
	CHECK(start(&d, dir, NULL, -1, NULL));
	CHECK(pipe(ready) == 0);
	/* 8 uids, 4 connections each, with HELLO, holding them */
	for (int u = 0; u < 8; u++) {
		holders[u] = fork();
		if (holders[u] == 0) {
			int fds[4];

			close(ready[0]);
			if (!become((uid_t)(60001 + u)))
				_exit(2);
			/* a full backlog says EAGAIN: try again */
			for (int i = 0; i < 4; i++)
				for (int tries = 0; tries < 200; tries++) {
					fds[i] = collector(dir, "x11", NULL);
					if (fds[i] != -EAGAIN)
						break;
					usleep(10000);
				}
			(void)fds;
			if (write(ready[1], "x", 1) != 1)
				_exit(3);
			pause();
			_exit(0);
		}
	}
	close(ready[1]);
	for (int u = 0; u < 8; u++) {
		char c;

		held += read(ready[0], &c, 1) == 1;
	}
	close(ready[0]);
	usleep(300000);
	rc = report_as_nobody(dir, "seat-app", "the seat's window", 1500);
	CHECK_EQ(stop(&d), 0);
	for (int u = 0; u < 8; u++) {
		kill(holders[u], SIGKILL);
		waitpid(holders[u], NULL, 0);
	}
	CHECK_EQ(held, 8);
	CHECK_MSG(rc == 0, "the seat user's collector found no slot (its HELLO failed: %d)", rc);
	CHECK_MSG(store_has(dir, "seat-app"), "the seat user's collector found no slot");
}

TEST(a_connection_without_hello_times_out)
{
	const char *dir = tt_test_tmpdir();
	struct daemon d;
	struct pollfd p;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		SKIP("needs root to act as another uid");
	CHECK(setup(dir, ""));
	CHECK(start(&d, dir, NULL, -1, NULL));
	pid = fork();
	if (pid == 0) {
		char buf[64];
		int fd;

		if (!become(NOBODY))
			_exit(2);
		fd = collector(dir, NULL, NULL);
		if (fd < 0)
			_exit(3);
		(void)p;
		/* the tracer writes only its WELCOME: then end of file */
		if (!closed_by_tracer(fd, buf, sizeof(buf), 12000))
			_exit(4);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK_EQ(stop(&d), 0);
	CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "a silent connection kept its slot for 12 s (child status %d)",
		  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}
