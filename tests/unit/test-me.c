/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace me` against a real tasktraced over its real me socket, as
 * ordinary users (the tests run as root and give it up in children: uids
 * 1000 and 1001 own records in a month of workload, 65534 owns none):
 * a user sees exactly their own records, as `query` prints them; raw and
 * forged requests never reach another uid's data; a client that does not
 * read is dropped while the collector's events keep being recorded and
 * committed; pause and resume, refused beyond [privacy] user_pause_max and
 * where it is off, leave a gap the admin sees in stats and exports.
 * Also the protocol's codec itself (me-proto.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/codec.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/me-proto.h"
#include "tasktrace/store.h"

#define DAY_NS (86400ULL * 1000000000ULL)

static char bin_dir[PATH_MAX];

/* build/tests/test-me → build */
static const char *
bindir(void)
{
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (bin_dir[0])
		return bin_dir;
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
	snprintf(bin_dir, sizeof(bin_dir), "%s", self);
	return bin_dir;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	n = (long)fread(buf, 1, (size_t)n, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static bool
wait_for(const char *log, const char *what, int tenths)
{
	for (int i = 0; i < tenths; i++) {
		char *s = slurp(log);
		bool found = strstr(s, what) != NULL;

		free(s);
		if (found)
			return true;
		usleep(100000);
	}
	return false;
}

struct tracer {
	pid_t pid;
	char dir[PATH_MAX];
	char store[PATH_MAX + 16];
	char conf[PATH_MAX + 16];
	char log[PATH_MAX + 16];
	char csock[PATH_MAX + 16];
	char msock[PATH_MAX + 16];
};

/* A store with @days of workload for uids 1000…1002 ending yesterday. */
static bool
make_store(struct tracer *t, unsigned days)
{
	time_t start = time(NULL) - (time_t)(days + 1) * 86400;
	char date[16];

	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&start));
	return tt_test_run(NULL, "%s/tasktrace-workload --store %s --days %u --users 3 "
			   "--seed 5 --weekends --records-per-day 4500 --start %s --quiet",
			   bindir(), t->store, days, date) == 0;
}

/* Records of uid 1001 with UI elements, an hour ago: me must send the
 * element strings' names too, or its lines differ from query's. */
static bool
add_elements(struct tracer *t)
{
	struct tt_store *s;
	struct tt_record r;
	uint32_t el, pw;
	uint64_t t0 = ((uint64_t)time(NULL) - 3600) * 1000000000ULL;
	bool ok;

	if (tt_store_open(&s, t->store, TT_STORE_CREATE, NULL) != 0)
		return false;
	ok = tt_store_intern(s, "push button\tSave", 16, &el) == 0 &&
	     tt_store_intern(s, "password text", 13, &pw) == 0;
	memset(&r, 0, sizeof(r));
	r.kind = TT_KIND_BUTTON;
	r.time_ns = t0;
	r.seq = 1ULL << 40;
	r.uid = 1001;
	r.element = el;
	r.dur_ns = 80000000;
	r.u.button.button = 0x110;
	r.u.button.clicks = 1;
	ok = ok && tt_store_append(s, &r) == 0;
	memset(&r.u, 0, sizeof(r.u));
	r.kind = TT_KIND_TYPING;
	r.time_ns = t0 + 5000000000ULL;
	r.seq++;
	r.element = pw;
	r.u.typing.end = TT_BURST_HIDDEN;
	ok = ok && tt_store_append(s, &r) == 0;
	return tt_store_close(s) == 0 && ok;
}

/* Start tasktraced, the seat's user being @uid, with [privacy] @privacy. */
static bool
start(struct tracer *t, const char *privacy)
{
	FILE *f;

	snprintf(t->dir, sizeof(t->dir), "%s", tt_test_tmpdir());
	/* other users must reach the sockets in it */
	if (chmod(t->dir, 0755) < 0)
		return false;
	snprintf(t->store, sizeof(t->store), "%s/store", t->dir);
	snprintf(t->conf, sizeof(t->conf), "%s/tasktrace.conf", t->dir);
	snprintf(t->log, sizeof(t->log), "%s/daemon.log", t->dir);
	snprintf(t->csock, sizeof(t->csock), "%s/c.sock", t->dir);
	snprintf(t->msock, sizeof(t->msock), "%s/me.sock", t->dir);
	f = fopen(t->conf, "w");
	if (!f)
		return false;
	fprintf(f, "[collector]\nsocket = %s\n[store]\ncommit_interval = 100ms\n"
		"[input]\nseats = seat-test\n[privacy]\n%s", t->csock, privacy);
	fclose(f);
	return true;
}

/* A tracer a failed test left running is stopped before the next one
 * starts, and at exit: no test leaves a process behind. */
static pid_t live_tracer;

static void
kill_live_tracer(void)
{
	if (live_tracer > 0) {
		kill(live_tracer, SIGKILL);
		waitpid(live_tracer, NULL, 0);
		live_tracer = 0;
	}
}

static bool
run_tracer(struct tracer *t, unsigned uid)
{
	static bool registered;
	char uidbuf[16], daemon[PATH_MAX + 16];

	if (!registered)
		registered = atexit(kill_live_tracer) == 0;
	kill_live_tracer();

	snprintf(uidbuf, sizeof(uidbuf), "%u", uid);
	snprintf(daemon, sizeof(daemon), "%s/tasktraced", bindir());
	if (truncate(t->log, 0) < 0 && errno != ENOENT)
		return false;
	t->pid = fork();
	if (t->pid < 0)
		return false;
	if (t->pid == 0) {
		int fd = open(t->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		unsetenv("NOTIFY_SOCKET");
		unsetenv("JOURNAL_STREAM");
		execl(daemon, daemon, "--store", t->store, "--config", t->conf,
		      "--static-user", uidbuf, (char *)NULL);
		_exit(127);
	}
	live_tracer = t->pid;
	return wait_for(t->log, "tracing seat", 100);
}

static int
stop(struct tracer *t)
{
	int status;

	kill(t->pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			live_tracer = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		usleep(50000);
	}
	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
	live_tracer = 0;
	return -1;
}

/*
 * A copy of build/tasktrace that every user may run: the checkout may be
 * in a directory only root can enter (/root, a mktemp -d).
 */
static const char *
public_bindir(void)
{
	static char dir[PATH_MAX];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s", tt_test_tmpdir());
		if (chmod(dir, 0755) != 0 ||
		    tt_test_run(NULL, "install -m 755 %s/tasktrace %s/", bindir(), dir) != 0)
			dir[0] = '\0';
	}
	return dir;
}

/* Run build/tasktrace ARGS as @uid, stdout into @out; its exit status. */
static int
run_as(const struct tracer *t, unsigned uid, const char *out, const char *args)
{
	const char *pub = public_bindir();
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char cmd[PATH_MAX * 2];
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0)
			_exit(99);
		setenv("TASKTRACE_CONFIG", t->conf, 1);
		unsetenv("TASKTRACE_ME_SOCKET");
		snprintf(cmd, sizeof(cmd), "%s/tasktrace me %s", pub, args);
		if (chdir("/") < 0)
			_exit(99);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The admin's view, with the tracer running: `tasktrace query ARGS`. */
static int
admin(const struct tracer *t, const char *out, const char *cmd, const char *args)
{
	return tt_test_run(NULL, "%s/tasktrace --store %s %s %s > %s", bindir(), t->store,
			   cmd, args, out);
}

static unsigned
count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* --- the protocol -------------------------------------------------------------- */

TEST(proto_round_trip)
{
	uint8_t buf[TT_ME_MSG_MAX], body[256];
	struct tt_me_msg m = { .type = TT_ME_REQ_RECORDS }, p;
	struct tt_me_name nm;
	size_t len = 0, off = 0;
	int n;

	m.u.records.since_ns = 1;
	m.u.records.until_ns = UINT64_MAX;
	n = tt_me_encode(&m, buf, sizeof(buf));
	CHECK_EQ(n, 24);
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), 0);
	CHECK_EQ(p.u.records.until_ns == UINT64_MAX, 1);
	/* every cut of the packet is refused, as is one byte more */
	for (int i = 0; i < n; i++)
		CHECK_EQ(tt_me_parse(buf, (size_t)i, &p), -EBADMSG);
	CHECK_EQ(tt_me_parse(buf, (size_t)n + 1, &p), -EBADMSG);
	buf[2] = 2;
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), -EPROTONOSUPPORT);
	buf[2] = 1;
	buf[3] = 99;
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), -EBADMSG);

	CHECK_EQ(tt_me_names_add(body, sizeof(body), &len, TT_ME_TABLE_STRING, 7, "firefox", 7), 0);
	CHECK_EQ(tt_me_names_add(body, sizeof(body), &len, TT_ME_TABLE_SESSION, 2, "bob", 3), 0);
	CHECK_EQ(tt_me_names_add(body, 20, &len, TT_ME_TABLE_STRING, 8, "x", 1), -ENOSPC);
	m = (struct tt_me_msg){ .type = TT_ME_NAMES, .body = body, .len = len };
	n = tt_me_encode(&m, buf, sizeof(buf));
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), 0);
	CHECK_EQ(tt_me_names_next(&p, &off, &nm), 1);
	CHECK_EQ(nm.id, 7);
	CHECK(nm.len == 7 && memcmp(nm.str, "firefox", 7) == 0);
	CHECK_EQ(tt_me_names_next(&p, &off, &nm), 1);
	CHECK_EQ(nm.table, TT_ME_TABLE_SESSION);
	CHECK_EQ(tt_me_names_next(&p, &off, &nm), 0);
	/* an entry claiming more bytes than the packet has */
	buf[TT_ME_HEADER_SIZE + 5] = 0xff;
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), -EBADMSG);

	m = (struct tt_me_msg){ .type = TT_ME_ERROR };
	m.u.error.code = EPERM;
	snprintf(m.u.error.text, sizeof(m.u.error.text), "no\n\033[2J");
	n = tt_me_encode(&m, buf, sizeof(buf));
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), 0);
	CHECK_EQ(p.u.error.code, EPERM);
	CHECK_STR(p.u.error.text, "no??[2J");
}

/* --- a user's own records ------------------------------------------------------- */

TEST(own_records_as_query_prints_them)
{
	struct tracer t;
	char out[PATH_MAX + 32], ref[PATH_MAX + 32];
	char *a, *b;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(make_store(&t, 30));
	CHECK(add_elements(&t));
	CHECK(run_tracer(&t, 1001));
	snprintf(out, sizeof(out), "%s/me.out", t.dir);
	snprintf(ref, sizeof(ref), "%s/query.out", t.dir);

	/* the same lines as the admin's query of that uid */
	CHECK_EQ(run_as(&t, 1001, out, "--format table"), 0);
	CHECK_EQ(admin(&t, ref, "query", "--user 1001"), 0);
	a = slurp(out);
	b = slurp(ref);
	/* more than one page: the client asked for the rest itself */
	CHECK_MSG(count_lines(a) > TT_ME_PAGE_RECORDS, "only %u lines", count_lines(a));
	CHECK_MSG(strcmp(a, b) == 0, "me and query differ");
	CHECK_CONTAINS(a, "left on 'Save' push button");
	CHECK_CONTAINS(a, "hidden on password text");
	free(a);
	free(b);

	/* jsonl: every record is uid 1001's, and a time window works */
	CHECK_EQ(run_as(&t, 1000, out, "--format jsonl --since -3d"), 0);
	CHECK_EQ(admin(&t, ref, "query", "--user 1000 --format jsonl --since -3d"), 0);
	a = slurp(out);
	b = slurp(ref);
	CHECK(count_lines(a) > 1000);
	CHECK(strstr(a, "\"uid\":1001") == NULL && strstr(a, "\"uid\":1002") == NULL);
	CHECK_MSG(strcmp(a, b) == 0, "me --since and query --since differ");
	free(a);
	free(b);

	/* someone with no records gets none, and no error */
	CHECK_EQ(run_as(&t, 65534, out, ""), 0);
	a = slurp(out);
	CHECK_STR(a, "");
	free(a);

	/* the summary: time per application per day */
	CHECK_EQ(run_as(&t, 1001, out, "--summary"), 0);
	a = slurp(out);
	CHECK_CONTAINS(a, "application");
	CHECK_MSG(count_lines(a) > 30, "a summary of %u lines", count_lines(a));
	free(a);
	CHECK_EQ(run_as(&t, 1001, out, "--format csv 2>/dev/null"), 2);
	CHECK_EQ(stop(&t), 0);
	/* without a tracer: a clear error */
	CHECK_EQ(run_as(&t, 1001, out, "2>&1 >/dev/null | grep -q 'tracer is not running'"), 0);
}

static bool last_more;	/* the last raw answer's END said there is more */

/* One raw request as @uid; the uids of every record of the answer in
 * @seen_other (another uid than @uid) and @n; -1: the connection was
 * dropped, 0: END received. */
static int
raw_as(const struct tracer *t, unsigned uid, const void *req, size_t len,
       bool *seen_other, unsigned long *n)
{
	int pfd[2];
	pid_t pid;
	int status;
	struct { int result; bool other; unsigned long n; bool more; } res = { -2, false, 0, false };

	if (pipe(pfd) < 0)
		return -3;
	pid = fork();
	if (pid == 0) {
		static uint8_t buf[TT_ME_MSG_MAX + 1];
		int fd;

		close(pfd[0]);
		if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0)
			_exit(99);
		fd = tt_focus_connect(t->msock);
		fcntl(fd, F_SETFL, 0);
		if (fd < 0 || send(fd, req, len, MSG_NOSIGNAL) != (ssize_t)len)
			_exit(98);
		for (;;) {
			struct tt_me_msg m;
			ssize_t got = recv(fd, buf, sizeof(buf), 0);

			if (got <= 0) {
				res.result = -1;
				break;
			}
			if (tt_me_parse(buf, (size_t)got, &m) < 0)
				break;
			if (m.type == TT_ME_END) {
				res.result = 0;
				res.more = m.u.end.more;
				break;
			}
			if (m.type == TT_ME_BLOCK) {
				struct tt_block_dec dec;
				struct tt_record r;

				tt_block_dec_init(&dec, m.body, m.len);
				while (tt_block_dec_next(&dec, &r) == 1) {
					res.n++;
					res.other |= r.uid != uid;
				}
			}
			if (m.type == TT_ME_ERROR || m.type == TT_ME_STATUS) {
				res.result = m.type;
				break;
			}
		}
		if (write(pfd[1], &res, sizeof(res)) != sizeof(res))
			_exit(97);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &res, sizeof(res)) != sizeof(res))
		res.result = -4;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	*seen_other = res.other;
	*n = res.n;
	last_more = res.more;
	return res.result;
}

TEST(another_users_data_is_never_sent)
{
	struct tracer t;
	uint8_t pkt[128];
	struct tt_me_msg m = { .type = TT_ME_REQ_RECORDS };
	bool other;
	unsigned long n;
	int len;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(make_store(&t, 4));
	CHECK(run_tracer(&t, 1001));

	/* a plain request: only the peer's records */
	len = tt_me_encode(&m, pkt, sizeof(pkt));
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len, &other, &n), 0);
	CHECK(n > 1000 && !last_more);
	CHECK_MSG(!other, "uid 1000 got another uid's record");

	/* "as uid 1000, for uid 1001": there is no field for it; a uid
	 * appended to the body makes the packet invalid, and it is dropped */
	memcpy(pkt + len, &(uint32_t){ 1001 }, 4);
	pkt[4] += 4;
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len + 4, &other, &n), -1);
	CHECK_EQ(n, 0);

	/* an answer type sent as a request (a STATUS naming uid 1001) */
	m = (struct tt_me_msg){ .type = TT_ME_STATUS };
	m.u.status.uid = 1001;
	len = tt_me_encode(&m, pkt, sizeof(pkt));
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len, &other, &n), -1);
	/* garbage, and another protocol on this socket */
	CHECK_EQ(raw_as(&t, 1000, "hello", 5, &other, &n), -1);
	m = (struct tt_me_msg){ .type = TT_ME_REQ_RECORDS };
	len = tt_me_encode(&m, pkt, sizeof(pkt));
	pkt[0] = 'T';
	pkt[1] = 'F';
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len, &other, &n), -1);

	/* a client cannot claim other credentials: the kernel refuses
	 * SCM_CREDENTIALS naming a uid that is not the sender's */
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct ucred cred = { .pid = getpid(), .uid = 1001, .gid = 1001 };
			char cbuf[CMSG_SPACE(sizeof(cred))] = { 0 };
			struct iovec iov = { pkt, (size_t)len };
			struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
					     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
			struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
			int fd;

			pkt[1] = 'M';
			if (setgroups(0, NULL) < 0 || setgid(1000) < 0 || setuid(1000) < 0)
				_exit(99);
			fd = tt_focus_connect(t.msock);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_CREDENTIALS;
			cm->cmsg_len = CMSG_LEN(sizeof(cred));
			memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
			_exit(sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 && errno == EPERM ? 0 : 1);
		}
		waitpid(pid, &status, 0);
		CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "a forged SCM_CREDENTIALS was accepted");
	}
	/* root is an ordinary peer too: uid 0 has no records here */
	pkt[1] = 'M';
	CHECK_EQ(raw_as(&t, 0, pkt, (size_t)len, &other, &n), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(stop(&t), 0);
	{
		char *log = slurp(t.log);

		CHECK_CONTAINS(log, "invalid request; disconnecting");
		free(log);
	}
}

/* --- a client that does not read ------------------------------------------------ */

/* A collector of uid 1001 (the seat's user) reporting a new focus every
 * 100 ms, "live-1" … "live-N", for @n reports. */
static pid_t
collector(const struct tracer *t, unsigned n)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct tt_focus_msg m;
		uint8_t buf[TT_FOCUS_MSG_MAX];
		char app[32];
		int fd, len;

		if (setgroups(0, NULL) < 0 || setgid(1001) < 0 || setuid(1001) < 0)
			_exit(99);
		fd = tt_focus_connect(t->csock);
		if (fd < 0)
			_exit(98);
		tt_focus_msg_init(&m, TT_FOCUS_HELLO);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "test", 4);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
		len = tt_focus_encode(&m, buf, sizeof(buf));
		if (send(fd, buf, (size_t)len, 0) != len)
			_exit(97);
		for (unsigned i = 1; i <= n; i++) {
			snprintf(app, sizeof(app), "live-%u", i);
			tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, app, strlen(app));
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, i);
			len = tt_focus_encode(&m, buf, sizeof(buf));
			if (send(fd, buf, (size_t)len, 0) != len)
				_exit(96);
			usleep(100000);
		}
		_exit(0);
	}
	return pid;
}

/* Is the focus record of "live-@i" committed? */
static bool
committed(const char *store, unsigned i)
{
	struct tt_store *s;
	struct tt_reader *rd;
	char app[32];
	uint32_t id;
	bool found = false;

	snprintf(app, sizeof(app), "live-%u", i);
	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) != 0)
		return false;
	if (tt_reader_open(s, &rd) == 0) {
		found = tt_reader_string_id(rd, app, strlen(app), &id) == 0;
		tt_reader_close(rd);
	}
	tt_store_close(s);
	return found;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

TEST(a_client_that_does_not_read_stalls_nothing)
{
	struct tracer t;
	struct tt_me_msg m = { .type = TT_ME_REQ_RECORDS };
	uint8_t pkt[64], buf[TT_ME_MSG_MAX + 1];
	const unsigned reports = 70;
	uint64_t worst = 0;
	unsigned seen = 0;
	char out[PATH_MAX + 32];
	pid_t coll;
	int fd, len, status;
	ssize_t got;
	bool other;
	unsigned long n;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(make_store(&t, 30));
	CHECK(run_tracer(&t, 1001));
	snprintf(out, sizeof(out), "%s/me.out", t.dir);

	/* a month of records asked for, and never read (as root here: the
	 * seat's user is 1001, asked for below through a child) */
	fd = -1;
	{
		int sv[2];
		pid_t pid;

		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
		pid = fork();
		if (pid == 0) {
			/* connect as 1001, hand the socket back, then go */
			struct msghdr mh = { 0 };
			char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
			struct iovec iov = { "x", 1 };
			struct cmsghdr *cm;
			int c;

			if (setgroups(0, NULL) < 0 || setgid(1001) < 0 || setuid(1001) < 0)
				_exit(99);
			c = tt_focus_connect(t.msock);
			mh.msg_iov = &iov;
			mh.msg_iovlen = 1;
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &c, sizeof(int));
			_exit(c >= 0 && sendmsg(sv[1], &mh, 0) == 1 ? 0 : 1);
		}
		{
			struct msghdr mh = { 0 };
			char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
			char x;
			struct iovec iov = { &x, 1 };

			mh.msg_iov = &iov;
			mh.msg_iovlen = 1;
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			if (recvmsg(sv[0], &mh, 0) == 1 && CMSG_FIRSTHDR(&mh))
				memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
		}
		waitpid(pid, &status, 0);
		close(sv[0]);
		close(sv[1]);
	}
	CHECK(fd >= 0);
	len = tt_me_encode(&m, pkt, sizeof(pkt));
	CHECK(send(fd, pkt, (size_t)len, 0) == len);

	/* meanwhile the collector's events keep coming, and each is in the
	 * store within a bound far above the commit interval (100 ms) */
	coll = collector(&t, reports);
	for (uint64_t t0 = now_ms(); seen < reports && now_ms() - t0 < 30000;) {
		uint64_t sent_at = t0 + 100ULL * seen;	/* about when it was sent */

		if (committed(t.store, seen + 1)) {
			uint64_t lag = now_ms() > sent_at ? now_ms() - sent_at : 0;

			if (lag > worst)
				worst = lag;
			seen++;
			continue;
		}
		usleep(20000);
	}
	waitpid(coll, &status, 0);
	printf("    %u focus reports committed while a client did not read; "
	       "worst lag %llu ms\n", seen, (unsigned long long)worst);
	CHECK_EQ(seen, reports);
	CHECK_MSG(worst < 3000, "the tracer stalled: %llu ms", (unsigned long long)worst);

	/* another user is answered meanwhile, one capped page at a time */
	m = (struct tt_me_msg){ .type = TT_ME_REQ_RECORDS };
	len = tt_me_encode(&m, pkt, sizeof(pkt));
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len, &other, &n), 0);
	CHECK(!other);
	CHECK_MSG(last_more && n >= TT_ME_PAGE_RECORDS && n < TT_ME_PAGE_RECORDS + 100,
		  "a page of %lu records", n);

	/* the one that does not read was dropped: what was queued, then EOF */
	CHECK_MSG(wait_for(t.log, "does not read its answer; dropped", 100), "not dropped");
	{
		unsigned long packets = 0;

		while ((got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			packets++;
		CHECK_EQ(got, 0);
		printf("    the dropped client had %lu packets queued\n", packets);
		CHECK(packets > 0 && packets < 64);
	}
	close(fd);
	CHECK_EQ(stop(&t), 0);
}

/* --- pause --------------------------------------------------------------------------- */

TEST(pause_and_resume)
{
	struct tracer t;
	char out[PATH_MAX + 32], *s;
	pid_t coll;
	int status;

	CHECK(bindir());
	CHECK(start(&t, "user_pause_max = 10m\n"));
	CHECK(run_tracer(&t, 1001));
	snprintf(out, sizeof(out), "%s/me.out", t.dir);

	CHECK_EQ(run_as(&t, 1001, out, "status"), 0);
	s = slurp(out);
	CHECK_CONTAINS(s, "recording: on");
	CHECK_CONTAINS(s, "up to 10m");
	free(s);
	/* longer than the site allows: refused, and says the limit */
	CHECK_EQ(run_as(&t, 1001, out, "pause 11m 2>&1"), 2);
	s = slurp(out);
	CHECK_CONTAINS(s, "at most 10m");
	free(s);
	CHECK_EQ(run_as(&t, 1001, out, "pause soon 2>&1"), 2);

	/* a pause of 2 s: what the collector reports meanwhile is not kept */
	CHECK_EQ(run_as(&t, 1001, out, "pause 2s"), 0);
	s = slurp(out);
	CHECK_CONTAINS(s, "recording: paused until");
	free(s);
	coll = collector(&t, 5);
	waitpid(coll, &status, 0);
	CHECK_MSG(wait_for(t.log, "recording again after a pause", 50), "never resumed");
	/* a pause ended early by resume */
	CHECK_EQ(run_as(&t, 1001, out, "pause 5m"), 0);
	usleep(300000);
	CHECK_EQ(run_as(&t, 1001, out, "resume"), 0);
	s = slurp(out);
	CHECK_CONTAINS(s, "recording: on");
	free(s);
	/* a pause still running when the tracer stops is written too */
	CHECK_EQ(run_as(&t, 1001, out, "pause 5m"), 0);
	usleep(200000);
	CHECK_EQ(stop(&t), 0);

	for (unsigned i = 1; i <= 5; i++)
		CHECK_MSG(!committed(t.store, i), "live-%u was recorded during a pause", i);
	/* the gaps: the user sees them, the admin counts them */
	CHECK_EQ(run_tracer(&t, 1001), true);
	CHECK_EQ(run_as(&t, 1001, out, "--format jsonl | grep -c '\"reason\":\"paused-by-user\"'"), 0);
	s = slurp(out);
	CHECK_STR(s, "3\n");
	free(s);
	CHECK_EQ(admin(&t, out, "verify", ""), 0);	/* the late gaps found their place */
	CHECK_EQ(admin(&t, out, "stats", ""), 0);
	s = slurp(out);
	CHECK_CONTAINS(s, "in total, by users (tasktrace me pause)");
	free(s);
	CHECK_EQ(admin(&t, out, "export", "--format csv --quiet"), 0);
	s = slurp(out);
	CHECK_CONTAINS(s, ",Paused,");
	free(s);
	CHECK_EQ(stop(&t), 0);
}

TEST(pause_not_allowed_by_default)
{
	struct tracer t;
	char out[PATH_MAX + 32], *s;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(run_tracer(&t, 1001));
	snprintf(out, sizeof(out), "%s/me.out", t.dir);
	CHECK_EQ(run_as(&t, 1001, out, "pause 1m 2>&1"), 6);
	s = slurp(out);
	CHECK_CONTAINS(s, "pausing is not allowed on this computer");
	free(s);
	CHECK_EQ(run_as(&t, 1001, out, "status"), 0);
	s = slurp(out);
	CHECK_CONTAINS(s, "not allowed");
	free(s);
	CHECK_EQ(stop(&t), 0);
}
