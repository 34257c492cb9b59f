/* SPDX-License-Identifier: MIT */
/*
 * The daemon, without devices: command line and exit codes, start and
 * stop on signals, the "no devices" message, reload, static attribution,
 * and, as root, logind attribution and locking from session files in a
 * private mount namespace (sd-login reads /run/systemd/; a tmpfs of ours
 * is bind-mounted there for the daemon only).
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/store.h"

static char daemon_path[PATH_MAX + 16];

/* build/tests/test-tasktraced → build/tasktraced */
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
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(daemon_path, sizeof(daemon_path), "%s/tasktraced", self);
	return access(daemon_path, X_OK) == 0 ? daemon_path : NULL;
}

static char *
read_file(const char *path)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return strdup("");
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);

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

/* Wait (up to 10 s) until @log contains @what. */
static bool
wait_for(const char *log, const char *what)
{
	for (int i = 0; i < 200; i++) {
		char *s = read_file(log);
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

/*
 * Start tasktraced with @args (NULL-terminated). With @run_systemd, its
 * /run/systemd is that directory (bind-mounted in a private namespace).
 */
static bool
start(struct daemon *d, const char *dir, const char *run_systemd, const char **args)
{
	const char *argv[32];
	int n = 0;

	snprintf(d->log, sizeof(d->log), "%s/daemon.log", dir);
	argv[n++] = daemon_bin();
	while (*args && n < 30)
		argv[n++] = *args++;
	argv[n] = NULL;
	d->pid = fork();
	if (d->pid < 0)
		return false;
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 2);
		dup2(fd, 1);
		if (run_systemd &&
		    (unshare(CLONE_NEWNS) < 0 ||
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		     mount(run_systemd, "/run/systemd", NULL, MS_BIND, NULL) < 0)) {
			perror("namespace");
			_exit(99);
		}
		unsetenv("JOURNAL_STREAM");
		unsetenv("NOTIFY_SOCKET");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return true;
}

/* Send @sig and wait for the exit status (-1 on a timeout). */
static int
stop(struct daemon *d, int sig)
{
	int status;

	kill(d->pid, sig);
	for (int i = 0; i < 200; i++) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(50000);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &status, 0);
	return -1;
}

struct counts {
	unsigned kind[TT_KIND_MAX + 1];
	uint32_t session_uid;
	unsigned gaps_stop;
	uint64_t last_seq_ok;
};

static bool
count_records(const char *store, struct counts *c)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	struct tt_record r;
	uint64_t prev_time = 0;

	memset(c, 0, sizeof(*c));
	c->session_uid = TT_UID_NONE;
	c->last_seq_ok = 1;
	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return false;
	if (tt_reader_open(s, &rd) != 0) {
		tt_store_close(s);
		return false;
	}
	tt_query_init(&q);
	if (tt_cursor_open(rd, &q, &cur) == 0) {
		while (tt_cursor_next(cur, &r) == 1) {
			c->kind[r.kind]++;
			if (r.kind == TT_KIND_SESSION && !r.u.session.end)
				c->session_uid = r.uid;
			if (r.kind == TT_KIND_GAP && r.u.gap.reason == TT_GAP_TRACER_STOP)
				c->gaps_stop++;
			if (r.time_ns < prev_time)
				c->last_seq_ok = 0;
			prev_time = r.time_ns;
		}
		tt_cursor_close(cur);
	}
	tt_reader_close(rd);
	tt_store_close(s);
	return true;
}

static bool
session_named(const char *store, const char *logind_id, uint32_t uid, const char *user)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_session_info si;
	bool found = false;

	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return false;
	if (tt_reader_open(s, &rd) == 0) {
		for (uint32_t id = 1; tt_reader_session(rd, id, &si) == 0; id++)
			if (strcmp(si.logind_id, logind_id) == 0 && si.uid == uid &&
			    (!user || strcmp(si.user, user) == 0))
				found = true;
		tt_reader_close(rd);
	}
	tt_store_close(s);
	return found;
}

static void
print_problem(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "    verify: %s\n", msg);
}

/* tt_store_verify(): every record, string, session and reference sound */
static bool
store_sound(const char *store)
{
	struct tt_store *s;
	struct tt_reader *rd;
	uint64_t checked = 0;
	long problems = -1;

	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return false;
	if (tt_reader_open(s, &rd) == 0) {
		problems = tt_store_verify(rd, print_problem, NULL, &checked);
		tt_reader_close(rd);
	}
	tt_store_close(s);
	return problems == 0 && checked > 0;
}

/* A config in @dir with its collector socket there too, plus @extra. */
static bool
write_conf(char *path, size_t cap, const char *dir, const char *extra)
{
	FILE *f;

	snprintf(path, cap, "%s/tasktrace.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "[collector]\nsocket = %s/c.sock\n%s", dir, extra);
	fclose(f);
	return true;
}

TEST(command_line)
{
	const char *bin = daemon_bin();
	const char *dir = tt_test_tmpdir();
	char *out = NULL;

	CHECK_MSG(bin != NULL, "tasktraced is not built");
	CHECK_EQ(tt_test_run(&out, "%s --help", bin), 0);
	CHECK_CONTAINS(out, "Usage: tasktraced");
	CHECK_CONTAINS(out, "Exit status");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --version", bin), 0);
	CHECK_CONTAINS(out, "tasktraced " TT_VERSION);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --no-such-option 2>&1", bin), 2);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --config %s/none.conf 2>&1", bin, dir), 2);
	CHECK_CONTAINS(out, "none.conf");
	free(out);
	CHECK_EQ(tt_test_run(NULL, "printf '[input]\\ntyping_pause = soon\\n' > %s/bad.conf", dir), 0);
	CHECK_EQ(tt_test_run(&out, "%s --config %s/bad.conf 2>&1", bin, dir), 2);
	CHECK_CONTAINS(out, "bad.conf:2:");
	CHECK_CONTAINS(out, "typing_pause");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store /proc/none --static-user 0 2>&1", bin), 1);
	free(out);
}

TEST(start_stop_static)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX], *log;
	const char *args[] = { "--store", store, "--config", conf, "--static-user", "4242", NULL };
	struct daemon d;
	struct counts c;

	CHECK(daemon_bin() != NULL);
	snprintf(store, sizeof(store), "%s/store", dir);
	CHECK(write_conf(conf, sizeof(conf), dir, "[input]\nseats = seat-test\n"));

	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat seat-test"), "never ready");
	log = read_file(d.log);
	CHECK_CONTAINS(log, "no input devices on seat-test; waiting");
	CHECK_CONTAINS(log, "logind is absent: input on seat-test is attributed to");
	CHECK_CONTAINS(log, "uid 4242");
	free(log);

	/* reload, with a new config value and a broken one */
	CHECK(write_conf(conf, sizeof(conf), dir,
			 "[input]\nseats = seat-test\nidle_threshold = 1m\n"));
	kill(d.pid, SIGHUP);
	CHECK_MSG(wait_for(d.log, "configuration reloaded"), "no reload");
	CHECK(write_conf(conf, sizeof(conf), dir, "[input]\nidle_threshold = never\n"));
	kill(d.pid, SIGHUP);
	CHECK_MSG(wait_for(d.log, "keeping the old one"), "bad config accepted");

	CHECK_EQ(stop(&d, SIGTERM), 0);
	CHECK_MSG(wait_for(d.log, "stopped;"), "no clean stop");

	CHECK(count_records(store, &c));
	CHECK_EQ(c.kind[TT_KIND_SESSION], 1);
	CHECK_EQ(c.session_uid, 4242);
	CHECK(session_named(store, "static", 4242, NULL));

	/* a second run marks the time it was not running, and SIGINT works */
	sleep(1);
	CHECK(write_conf(conf, sizeof(conf), dir, "[input]\nseats = seat-test\n"));
	CHECK_EQ(unlink(d.log), 0);
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat seat-test"), "never ready");
	CHECK_EQ(stop(&d, SIGINT), 0);
	CHECK(count_records(store, &c));
	CHECK_EQ(c.gaps_stop, 1);
	CHECK_EQ(c.kind[TT_KIND_SESSION], 2);
	CHECK(c.last_seq_ok);
}

TEST(no_attribution_without_logind)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX], *log;
	const char *args[] = { "--store", store, "--config", conf, "--status",
			       "--foreground", NULL };
	struct daemon d;
	struct counts c;

	snprintf(store, sizeof(store), "%s/store", dir);
	CHECK(write_conf(conf, sizeof(conf), dir, ""));
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat"), "never ready");
	/* --status off a terminal: a plain line now and then */
	CHECK_MSG(wait_for(d.log, "0 devices, 0 records written, app -"), "no status line");
	CHECK_EQ(stop(&d, SIGTERM), 0);
	log = read_file(d.log);
	CHECK_CONTAINS(log, "no static user is configured");
	free(log);
	CHECK(count_records(store, &c));
	CHECK_EQ(c.kind[TT_KIND_SESSION], 0);
}

static bool
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;

	/* as logind does: a temporary file renamed into place */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.tmp", dir);
	f = fopen(tmp, "w");
	if (!f)
		return false;
	fputs(text, f);
	fclose(f);
	return rename(tmp, path) == 0;
}

TEST(logind_sessions_and_lock)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX], run[PATH_MAX + 16], sub[PATH_MAX + 32];
	const char *args[] = { "--store", store, "--config", conf,
			       "--static-user", "4242", NULL };
	static const char *const dirs[] = { "seats", "sessions", "users", "machines" };
	struct daemon d;
	struct counts c;

	if (geteuid() != 0)
		SKIP("needs root for a mount namespace");
	snprintf(store, sizeof(store), "%s/store", dir);
	CHECK(write_conf(conf, sizeof(conf), dir, ""));
	snprintf(run, sizeof(run), "%s/run-systemd", dir);
	CHECK(mkdir(run, 0755) == 0);
	for (size_t i = 0; i < 4; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", run, dirs[i]);
		CHECK(mkdir(sub, 0755) == 0);
	}
	snprintf(sub, sizeof(sub), "%s/sessions", run);
	CHECK(write_file(sub, "7", "UID=1000\nUSER=alice\nACTIVE=1\nSTATE=active\n"
				   "CLASS=user\nTYPE=wayland\nSEAT=seat0\n"));
	snprintf(sub, sizeof(sub), "%s/seats", run);
	CHECK(write_file(sub, "seat0", "IS_SEAT0=1\nACTIVE=7\nACTIVE_UID=1000\n"
				       "SESSIONS=7\nUIDS=1000\n"));

	CHECK(start(&d, dir, run, args));
	CHECK_MSG(wait_for(d.log, "seat seat0: session 7"), "session 7 not seen");

	/* locked, then unlocked */
	snprintf(sub, sizeof(sub), "%s/sessions", run);
	CHECK(write_file(sub, "7", "UID=1000\nUSER=alice\nACTIVE=1\nSTATE=active\n"
				   "CLASS=user\nSEAT=seat0\nLOCKED_HINT=yes\n"));
	CHECK_MSG(wait_for(d.log, "session 7 (locked)"), "lock not seen");
	CHECK(write_file(sub, "7", "UID=1000\nUSER=alice\nACTIVE=1\nSTATE=active\n"
				   "CLASS=user\nSEAT=seat0\n"));
	usleep(300000);

	/* the greeter takes the seat: no user session */
	CHECK(write_file(sub, "c1", "UID=115\nUSER=lightdm\nACTIVE=1\nSTATE=active\n"
				    "CLASS=greeter\nSEAT=seat0\n"));
	snprintf(sub, sizeof(sub), "%s/seats", run);
	CHECK(write_file(sub, "seat0", "IS_SEAT0=1\nACTIVE=c1\nACTIVE_UID=115\n"));
	CHECK_MSG(wait_for(d.log, "seat seat0: no user session"), "greeter not seen");

	CHECK_EQ(stop(&d, SIGTERM), 0);
	CHECK(count_records(store, &c));
	CHECK_EQ(c.kind[TT_KIND_LOCK], 1);
	CHECK_EQ(c.kind[TT_KIND_UNLOCK], 1);
	CHECK_EQ(c.kind[TT_KIND_SESSION], 2);	/* start and end of 7 */
	CHECK(store_sound(store));
	CHECK(session_named(store, "7", 1000, "alice"));
	CHECK(c.last_seq_ok);
}

/* --- the collector socket ------------------------------------------------ */

static bool
send_msg(int fd, enum tt_focus_type type, uint64_t window, const char *app,
	 const char *title)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int n;

	tt_focus_msg_init(&m, type);
	if (type == TT_FOCUS_HELLO) {
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "test", 4);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	}
	if (type == TT_FOCUS_FOCUS) {
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, app, strlen(app));
	}
	if (type == TT_FOCUS_FOCUS || type == TT_FOCUS_TITLE) {
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, window);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, title, strlen(title));
	}
	n = tt_focus_encode(&m, buf, sizeof(buf));
	return n > 0 && send(fd, buf, (size_t)n, 0) == n;
}

/* A collector of another user, from a child that gives up root. */
static int
foreign_collector(const char *sock)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		fd = tt_focus_connect(sock);
		if (fd < 0)
			_exit(3);
		if (!send_msg(fd, TT_FOCUS_HELLO, 0, NULL, NULL) ||
		    !send_msg(fd, TT_FOCUS_FOCUS, 66, "evilapp", "spoofed"))
			_exit(4);
		usleep(200000);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct focus_seen {
	unsigned records, excluded, title_only, redacted, with_title;
	bool evil;
};

static bool
focus_records(const char *store, struct focus_seen *fs)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	struct tt_record r;
	uint32_t evil;

	memset(fs, 0, sizeof(*fs));
	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return false;
	if (tt_reader_open(s, &rd) != 0) {
		tt_store_close(s);
		return false;
	}
	fs->evil = tt_reader_string_id(rd, "evilapp", 7, &evil) == 0 ||
		   tt_reader_string_id(rd, "spoofed", 7, &evil) == 0 ||
		   tt_reader_string_id(rd, "s3cret", 6, &evil) == 0;
	tt_query_init(&q);
	q.kinds = 1u << TT_KIND_FOCUS;
	if (tt_cursor_open(rd, &q, &cur) == 0) {
		while (tt_cursor_next(cur, &r) == 1) {
			fs->records++;
			fs->excluded += !!(r.u.focus.flags & TT_FOCUS_EXCLUDED);
			fs->title_only += !!(r.u.focus.flags & TT_FOCUS_TITLE_ONLY);
			fs->redacted += !!(r.u.focus.flags & TT_FOCUS_TITLE_REDACTED);
			fs->with_title += r.title != 0;
		}
		tt_cursor_close(cur);
	}
	tt_reader_close(rd);
	tt_store_close(s);
	return true;
}

TEST(collector_focus)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX], sock[PATH_MAX + 16], uid[16];
	const char *args[] = { "--store", store, "--config", conf, "--static-user", uid, NULL };
	struct daemon d;
	struct focus_seen fs;
	int fd;

	snprintf(store, sizeof(store), "%s/store", dir);
	snprintf(sock, sizeof(sock), "%s/c.sock", dir);
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	/* the other user's collector must reach the socket */
	CHECK(chmod(dir, 0755) == 0);
	CHECK(write_conf(conf, sizeof(conf), dir,
			 "[privacy]\nredact = pw=[^ ]*\n"));
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat"), "never ready");

	fd = tt_focus_connect(sock);
	CHECK_MSG(fd >= 0, "connect: %s", strerror(-fd));
	CHECK(send_msg(fd, TT_FOCUS_HELLO, 0, NULL, NULL));
	CHECK(send_msg(fd, TT_FOCUS_FOCUS, 1, "firefox", "Inbox"));
	CHECK(send_msg(fd, TT_FOCUS_TITLE, 1, NULL, "Inbox pw=s3cret (1)"));
	CHECK(send_msg(fd, TT_FOCUS_FOCUS, 2, "org.keepassxc.KeePassXC", "Vault"));
	CHECK_MSG(wait_for(d.log, "connected"), "no hello");
	/* one user gets at most 4 connections: the 5th is refused */
	{
		int extra[4];

		for (int i = 0; i < 4; i++)
			extra[i] = tt_focus_connect(sock);
		CHECK_MSG(wait_for(d.log, "refusing a connection"), "no per-user limit");
		for (int i = 0; i < 4; i++)
			if (extra[i] >= 0)
				close(extra[i]);
	}
	usleep(300000);
	if (geteuid() == 0)
		CHECK_EQ(foreign_collector(sock), 0);
	usleep(300000);
	close(fd);	/* no BYE: the focus is unknown from here */
	usleep(200000);
	CHECK_EQ(stop(&d, SIGTERM), 0);

	CHECK(store_sound(store));
	CHECK(focus_records(store, &fs));
	/* firefox, its new title, keepassxc, then "unknown" on the close */
	CHECK_EQ(fs.records, 4);
	CHECK_EQ(fs.title_only, 1);
	CHECK_EQ(fs.redacted, 1);
	CHECK_EQ(fs.excluded, 1);
	CHECK_EQ(fs.with_title, 2);	/* the vault's title is not kept */
	CHECK_MSG(!fs.evil, "a foreign or redacted string reached the store");
}

static bool
send_element(int fd, uint64_t window, const char *role, const char *name,
	     const char *url, uint32_t flags)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int n;

	tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, role, strlen(role));
	if (name)
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_NAME, name, strlen(name));
	if (url)
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_URL, url, strlen(url));
	if (flags)
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_ELEMENT_FLAGS, flags);
	if (window)
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, window);
	n = tt_focus_encode(&m, buf, sizeof(buf));
	return n > 0 && send(fd, buf, (size_t)n, 0) == n;
}

static bool
has_string(struct tt_reader *rd, const char *s)
{
	uint32_t id;

	return tt_reader_string_id(rd, s, strlen(s), &id) == 0;
}

/*
 * Issue 18 over the real socket: the tracer greets a collector with a
 * WELCOME that lists ELEMENT, takes ELEMENT reports without dropping the
 * connection, and keeps of them only what the policy allows: a control's
 * name, the password field's role without its name, a URL's host, no
 * content name, nothing of a window that lost the focus.
 */
TEST(collector_element)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX], sock[PATH_MAX + 16], uid[16];
	const char *args[] = { "--store", store, "--config", conf, "--static-user", uid, NULL };
	struct tt_focus_msg w;
	struct tt_store *s;
	struct tt_reader *rd;
	struct focus_seen fs;
	struct daemon d;
	uint8_t buf[TT_FOCUS_MSG_MAX + 1];
	struct pollfd pfd;
	ssize_t n;
	int fd;

	snprintf(store, sizeof(store), "%s/store", dir);
	snprintf(sock, sizeof(sock), "%s/c.sock", dir);
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	CHECK(write_conf(conf, sizeof(conf), dir, "[elements]\ncapture = names\n"));
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat"), "never ready");

	fd = tt_focus_connect(sock);
	CHECK_MSG(fd >= 0, "connect: %s", strerror(-fd));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK_MSG(poll(&pfd, 1, 5000) == 1, "no WELCOME");
	n = recv(fd, buf, sizeof(buf), 0);
	CHECK(n > 0 && tt_focus_parse(buf, (size_t)n, &w) == 0);
	CHECK(w.type == TT_FOCUS_WELCOME && (w.types & (1u << TT_FOCUS_ELEMENT)));

	CHECK(send_msg(fd, TT_FOCUS_HELLO, 0, NULL, NULL));
	CHECK(send_msg(fd, TT_FOCUS_FOCUS, 1, "gedit", "notes"));
	CHECK(send_element(fd, 1, "push button", "Save", NULL, 0));
	CHECK(send_element(fd, 0, "password text", "Secret-Label-7", NULL, 1));
	CHECK(send_element(fd, 1, "table cell", "Alice-Salary-88000", NULL, 0));
	CHECK(send_element(fd, 1, "document web", NULL,
			   "https://u:pw@mail.example.org/inbox?q=Private-Query", 8));
	CHECK(send_element(fd, 7, "push button", "Stale-Window-Button", NULL, 0));
	/* still connected: a FOCUS after the elements is applied */
	CHECK(send_msg(fd, TT_FOCUS_FOCUS, 2, "firefox", "Inbox"));
	usleep(300000);
	close(fd);
	usleep(200000);
	CHECK_EQ(stop(&d, SIGTERM), 0);

	CHECK(store_sound(store));
	CHECK(focus_records(store, &fs));
	CHECK_EQ(fs.records, 3);	/* gedit, firefox, unknown on close */
	CHECK_EQ(tt_store_open(&s, store, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(s, &rd), 0);
	CHECK(has_string(rd, "push button\tSave"));
	CHECK(has_string(rd, "password text"));
	CHECK(has_string(rd, "table cell"));
	CHECK(has_string(rd, "document web\t\thttps://mail.example.org"));
	CHECK(!has_string(rd, "Secret-Label-7") && !has_string(rd, "password text\tSecret-Label-7"));
	CHECK(!has_string(rd, "table cell\tAlice-Salary-88000"));
	CHECK(!has_string(rd, "push button\tStale-Window-Button"));
	tt_reader_close(rd);
	tt_store_close(s);
	/* no byte of the dropped parts anywhere in the store file */
	CHECK_MSG(tt_test_run(NULL, "grep -a -q -e Secret-Label -e Alice-Salary "
			      "-e Private-Query -e Stale-Window -e 'u:pw' '%s/data.mdb'",
			      store) == 1, "a dropped part is in the store file");
}

/* [privacy] exclude_users: that user's input is never recorded. */
TEST(excluded_user)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX];
	const char *args[] = { "--store", store, "--config", conf, "--static-user", "4242", NULL };
	struct daemon d;
	struct counts c;

	snprintf(store, sizeof(store), "%s/store", dir);
	CHECK(write_conf(conf, sizeof(conf), dir, "[privacy]\nexclude_users = 4242\n"));
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat"), "never ready");
	CHECK_EQ(stop(&d, SIGTERM), 0);
	CHECK(count_records(store, &c));
	CHECK_EQ(c.kind[TT_KIND_SESSION], 0);
}

TEST(retention_at_start)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX];
	const char *args[] = { "--store", store, "--config", conf, "--static-user", "4242", NULL };
	const uint64_t day = 86400ULL * 1000000000ULL;
	struct tt_store *s;
	struct tt_record r;
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	struct daemon d;
	uint64_t now = (uint64_t)time(NULL) * 1000000000ULL, old = 0, recent = 0;
	uint32_t title;

	CHECK(daemon_bin() != NULL);
	snprintf(store, sizeof(store), "%s/store", dir);
	/* 100 days of one record a day, the oldest with a title of its own */
	CHECK_EQ(tt_store_open(&s, store, TT_STORE_CREATE, NULL), 0);
	CHECK_EQ(tt_store_intern(s, "an old window title", 19, &title), 0);
	for (unsigned i = 0; i < 100; i++) {
		memset(&r, 0, sizeof(r));
		r.kind = TT_KIND_IDLE;
		r.uid = TT_UID_NONE;
		r.time_ns = now - (100 - i) * day + 3600ULL * 1000000000ULL;
		r.seq = i + 1;
		r.title = i < 10 ? title : 0;
		CHECK_EQ(tt_store_append(s, &r), 0);
	}
	CHECK_EQ(tt_store_close(s), 0);

	CHECK(write_conf(conf, sizeof(conf), dir,
			 "[input]\nseats = seat-test\n[store]\nretention_days = 30\n"));
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat seat-test"), "never ready");
	CHECK_EQ(stop(&d, SIGTERM), 0);
	{
		char *log = read_file(d.log);
		CHECK_CONTAINS(log, "retention: deleted 70 records older than 30 days");
		free(log);
	}

	CHECK_EQ(tt_store_open(&s, store, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(s, &rd), 0);
	tt_query_init(&q);
	q.kinds = 1u << TT_KIND_IDLE;
	CHECK_EQ(tt_cursor_open(rd, &q, &cur), 0);
	while (tt_cursor_next(cur, &r) == 1) {
		if (r.time_ns < now - 30 * day)
			old++;
		else
			recent++;
	}
	tt_cursor_close(cur);
	uint32_t id;
	CHECK_EQ(tt_reader_string_id(rd, "an old window title", 19, &id), ENOENT);
	tt_reader_close(rd);
	tt_store_close(s);
	CHECK_EQ(old, 0);
	CHECK_EQ(recent, 30);
	CHECK(store_sound(store));
}

/* A sandboxed process (its own pid namespace, as Flatpak gives): the
 * focus record names the sandbox's app, not an executable path. */
static pid_t
sandboxed(const char *root)
{
	char path[PATH_MAX + 64], line[64];
	pid_t pid = fork();
	FILE *f;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);	/* unshare complains when its child is killed */
		execlp("unshare", "unshare", "--pid", "--fork", "--root", root,
		       "/bin/busybox", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	/* the sandboxed process is unshare's child */
	for (int i = 0; i < 100; i++) {
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

static bool
send_focus_pid(int fd, uint64_t window, const char *app, uint32_t pid)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int n;

	tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, app, strlen(app));
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, window);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_PID, pid);
	n = tt_focus_encode(&m, buf, sizeof(buf));
	return n > 0 && send(fd, buf, (size_t)n, 0) == n;
}

TEST(sandboxed_application)
{
	const char *dir = tt_test_tmpdir();
	char store[PATH_MAX], conf[PATH_MAX], uid[16], root1[PATH_MAX], root2[PATH_MAX];
	char sock[PATH_MAX + 16];
	const char *args[] = { "--store", store, "--config", conf, "--static-user", uid, NULL };
	struct daemon d;
	pid_t flat, plain;
	uint32_t id;
	int fd;

	if (geteuid() != 0)
		SKIP("new pid namespaces need root");
	if (access("/bin/busybox", X_OK) != 0)
		SKIP("the sandbox needs /bin/busybox (busybox-static)");
	snprintf(store, sizeof(store), "%s/store", dir);
	snprintf(sock, sizeof(sock), "%s/c.sock", dir);
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	snprintf(root1, sizeof(root1), "%s/flatpak", dir);
	snprintf(root2, sizeof(root2), "%s/plain", dir);
	CHECK_EQ(tt_test_run(NULL, "mkdir -p %s/bin %s/bin && cp /bin/busybox %s/bin/ && "
			     "cp /bin/busybox %s/bin/ && printf '[Application]\\nname=org.example.Maps\\n"
			     "runtime=runtime/x\\n' > %s/.flatpak-info",
			     root1, root2, root1, root2, root1), 0);
	flat = sandboxed(root1);
	plain = sandboxed(root2);
	CHECK(flat > 0 && plain > 0);

	CHECK(write_conf(conf, sizeof(conf), dir, ""));
	CHECK(start(&d, dir, NULL, args));
	CHECK_MSG(wait_for(d.log, "tracing seat"), "never ready");
	fd = tt_focus_connect(sock);
	CHECK(fd >= 0);
	CHECK(send_msg(fd, TT_FOCUS_HELLO, 0, NULL, NULL));
	CHECK(send_focus_pid(fd, 1, "org.example.Maps", (uint32_t)flat));
	CHECK(send_focus_pid(fd, 2, "other", (uint32_t)plain));
	CHECK(send_focus_pid(fd, 3, "self", (uint32_t)getpid()));
	usleep(300000);
	close(fd);
	CHECK_EQ(stop(&d, SIGTERM), 0);
	kill(flat, SIGKILL);
	kill(plain, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	struct tt_store *s;
	struct tt_reader *rd;
	CHECK_EQ(tt_store_open(&s, store, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(s, &rd), 0);
	/* the sandbox's own word, and the record says so */
	CHECK_EQ(tt_reader_string_id(rd, "claimed:flatpak:org.example.Maps", 32, &id), 0);
	CHECK_EQ(tt_reader_string_id(rd, "sandbox:busybox", 15, &id), 0);
	{
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		CHECK(n > 0);
		CHECK_EQ(tt_reader_string_id(rd, self, (size_t)n, &id), 0);
	}
	tt_reader_close(rd);
	tt_store_close(s);
}
