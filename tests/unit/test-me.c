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
#include <sched.h>
#include <sys/mount.h>
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

/* A store with @days of workload for uids 1000…1002 ending yesterday
 * (about 15 600 records and 13.5 blocks a day). */
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

/* the next tracer logs at debug level (--verbose) */
static bool verbose_tracer;

/*
 * The accounts the tracer sees. The tracer binds a uid to its user name
 * (getpwuid): the workload's users (uids 1000…) must have the names their
 * sessions were recorded with, and this machine has other accounts or
 * none at those uids. So the tracer runs in a mount namespace of its own
 * with a passwd file over /etc/passwd: root, nobody, and each session
 * user of the store (else "tester<uid>" for 1000…1002); @renamed_uid, when
 * set, gets @renamed_to instead (an account that reused the uid).
 */
static unsigned renamed_uid;
static const char *renamed_to;

struct pw_ctx {
	FILE *f;
	bool seen[3];
};

static int
pw_session(void *ctx, const struct tt_session_info *si)
{
	struct pw_ctx *p = ctx;

	if (si->uid >= 1000 && si->uid <= 1002 && !p->seen[si->uid - 1000] && si->user[0] &&
	    si->uid != renamed_uid) {
		p->seen[si->uid - 1000] = true;
		fprintf(p->f, "%s:x:%u:%u::/nonexistent:/bin/sh\n", si->user, si->uid, si->uid);
	}
	return 0;
}

static bool
write_passwd(const struct tracer *t, const char *path)
{
	struct pw_ctx p = { fopen(path, "w"), { false } };
	struct tt_store *s;
	struct tt_reader *rd;

	if (!p.f)
		return false;
	fprintf(p.f, "root:x:0:0:root:/root:/bin/sh\n"
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	if (renamed_uid) {
		fprintf(p.f, "%s:x:%u:%u::/nonexistent:/bin/sh\n", renamed_to, renamed_uid,
			renamed_uid);
		p.seen[renamed_uid - 1000] = true;
	}
	if (access(t->store, F_OK) == 0 && tt_store_open(&s, t->store, TT_STORE_RDONLY, NULL) == 0) {
		if (tt_reader_open(s, &rd) == 0) {
			tt_reader_sessions(rd, pw_session, &p);
			tt_reader_close(rd);
		}
		tt_store_close(s);
	}
	for (unsigned i = 0; i < 3; i++)
		if (!p.seen[i])
			fprintf(p.f, "tester%u:x:%u:%u::/nonexistent:/bin/sh\n", 1000 + i,
				1000 + i, 1000 + i);
	return fclose(p.f) == 0;
}

/* In the tracer's child: the passwd file over /etc/passwd, for it alone. */
static bool
private_passwd(const char *path)
{
	return unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	       mount(path, "/etc/passwd", NULL, MS_BIND, NULL) == 0;
}

static bool
run_tracer(struct tracer *t, unsigned uid)
{
	static bool registered;
	char uidbuf[16], daemon[PATH_MAX + 16], passwd[PATH_MAX + 16];

	if (!registered)
		registered = atexit(kill_live_tracer) == 0;
	kill_live_tracer();

	snprintf(uidbuf, sizeof(uidbuf), "%u", uid);
	snprintf(daemon, sizeof(daemon), "%s/tasktraced", bindir());
	if (truncate(t->log, 0) < 0 && errno != ENOENT)
		return false;
	snprintf(passwd, sizeof(passwd), "%s/passwd", t->dir);
	if (!write_passwd(t, passwd))
		return false;
	t->pid = fork();
	if (t->pid < 0)
		return false;
	if (t->pid == 0) {
		int fd = open(t->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		if (!private_passwd(passwd)) {
			perror("test-me: a private /etc/passwd for the tracer");
			_exit(126);
		}
		unsetenv("NOTIFY_SOCKET");
		unsetenv("JOURNAL_STREAM");
		execl(daemon, daemon, "--store", t->store, "--config", t->conf,
		      "--static-user", uidbuf, verbose_tracer ? "--verbose" : (char *)NULL,
		      (char *)NULL);
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

/* Strings from the peer come out of the parser cleaned: no C0, C1 or bidi
 * control, no byte of invalid UTF-8; what is printable stays. */
TEST(proto_peer_strings_are_cleaned)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "\033]0;owned\a\033[2K\rfirefox", "?]0;owned??[2K?firefox" },
		{ "a\xc2\x9b" "31mb", "a?31mb" },		/* C1 CSI */
		{ "\xe2\x80\xae" "fdp.exe", "?fdp.exe" },	/* U+202E RLO */
		{ "x\xe2\x81\xa6y\xe2\x81\xa9z", "x?y?z" },	/* LRI … PDI */
		{ "\xd8\x9c\xe2\x80\x8f", "??" },		/* ALM, RLM */
		{ "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80" },
		{ "bad\xff\xc0\x80\xed\xa0\x80", "bad??????" },	/* stray, overlong, surrogate */
		{ "cut\xe2\x80", "cut??" },
		{ "del\x7f", "del?" },
	};
	uint8_t buf[TT_ME_MSG_MAX], body[512];
	struct tt_me_msg m, p;
	struct tt_me_name nm;
	size_t len = 0, off = 0;
	int n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_EQ(tt_me_names_add(body, sizeof(body), &len, TT_ME_TABLE_STRING,
					 (uint32_t)i + 1, cases[i].in, strlen(cases[i].in)), 0);
	m = (struct tt_me_msg){ .type = TT_ME_NAMES, .body = body, .len = len };
	n = tt_me_encode(&m, buf, sizeof(buf));
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(tt_me_names_next(&p, &off, &nm), 1);
		CHECK_MSG(nm.len == strlen(cases[i].out) && memcmp(nm.str, cases[i].out, nm.len) == 0,
			  "case %zu: \"%.*s\"", i, (int)nm.len, nm.str);
	}
	CHECK_EQ(tt_me_names_next(&p, &off, &nm), 0);

	/* an ERROR's text the same way */
	m = (struct tt_me_msg){ .type = TT_ME_ERROR };
	snprintf(m.u.error.text, sizeof(m.u.error.text), "no \xe2\x80\xaeway\xc2\x9b");
	n = tt_me_encode(&m, buf, sizeof(buf));
	CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), 0);
	CHECK_STR(p.u.error.text, "no ?way?");

	/* a name longer than the store's strings is refused */
	{
		static uint8_t big[TT_ME_NAME_MAX + 16];
		char *s = malloc(TT_ME_NAME_MAX + 1);

		memset(s, 'a', TT_ME_NAME_MAX + 1);
		len = 0;
		CHECK_EQ(tt_me_names_add(big, sizeof(big), &len, TT_ME_TABLE_STRING, 1, s,
					 TT_ME_NAME_MAX + 1), 0);
		m = (struct tt_me_msg){ .type = TT_ME_NAMES, .body = big, .len = len };
		n = tt_me_encode(&m, buf, sizeof(buf));
		CHECK_EQ(tt_me_parse(buf, (size_t)n, &p), -EBADMSG);
		free(s);
	}
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

/* --- a uid with no records: the scan is cut into bounded turns ------------------ */

/* The budget of tracer/me.c: blocks decoded per event-loop turn. */
#define TURN_BLOCKS 64

struct scan_line {
	unsigned long long records, blocks, turns, max;
};

/* The scan figures of every answer to @uid the tracer logged (debug). */
static unsigned
scan_lines(const char *log, unsigned uid, struct scan_line *out, unsigned cap)
{
	char *s = slurp(log), *p = s, pat[64];
	unsigned n = 0;

	snprintf(pat, sizeof(pat), "me: uid %u: ", uid);
	while ((p = strstr(p, pat)) && n < cap) {
		p += strlen(pat);
		if (sscanf(p, "%llu records sent; scanned %llu blocks in %llu turns, "
			   "at most %llu blocks a turn", &out[n].records, &out[n].blocks,
			   &out[n].turns, &out[n].max) == 4)
			n++;
	}
	free(s);
	return n;
}

TEST(a_uid_without_records_is_scanned_in_bounded_turns)
{
	struct tracer t;
	struct tt_me_msg m = { .type = TT_ME_REQ_RECORDS };
	struct tt_store_stat st;
	struct tt_store *s;
	struct tt_reader *rd;
	struct scan_line lines[8];
	uint8_t pkt[64];
	pid_t kids[2];
	int len, status;
	unsigned n;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(make_store(&t, 70));
	CHECK_EQ(tt_store_open(&s, t.store, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(s, &rd), 0);
	CHECK_EQ(tt_reader_stat(rd, &st), 0);
	tt_reader_close(rd);
	tt_store_close(s);
	printf("    store: %llu records in %llu blocks\n", (unsigned long long)st.records,
	       (unsigned long long)st.blocks);
	CHECK(st.records >= 1000000);
	verbose_tracer = true;
	CHECK(run_tracer(&t, 1001));
	verbose_tracer = false;

	/* the attacker: two connections of nobody (the most a uid may
	 * have), each asking for everything at once, and reading it all */
	len = tt_me_encode(&m, pkt, sizeof(pkt));
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			bool other;
			unsigned long got;

			_exit(raw_as(&t, 65534, pkt, (size_t)len, &other, &got) == 0 && got == 0 &&
			      !other ? 0 : 1);
		}
	}
	for (int i = 0; i < 2; i++) {
		waitpid(kids[i], &status, 0);
		CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "nobody's answer %d was not an empty END", i);
	}
	CHECK(wait_for(t.log, "me: uid 65534: 0 records sent", 50));
	CHECK_EQ(stop(&t), 0);
	n = scan_lines(t.log, 65534, lines, 8);
	CHECK_EQ(n, 2);
	for (unsigned i = 0; i < n; i++) {
		printf("    nobody's answer %u: %llu blocks scanned in %llu turns, "
		       "at most %llu a turn\n", i, lines[i].blocks, lines[i].turns,
		       lines[i].max);
		/* the whole store was looked at, and found nothing */
		CHECK_EQ(lines[i].records, 0);
		CHECK(lines[i].blocks >= st.blocks);
		/* … one bounded turn at a time, the loop running in between */
		CHECK_MSG(lines[i].max <= TURN_BLOCKS, "a turn of %llu blocks (budget %d)",
			  lines[i].max, TURN_BLOCKS);
		CHECK(lines[i].turns >= st.blocks / TURN_BLOCKS);
	}
}

/* --- pause floods and endless pauses ------------------------------------------------ */

#define PAUSES_PER_DAY 16	/* tracer/me.c */
#define MAX_SEQ 2000

/*
 * As @uid, @n requests: PAUSE for @dur_ns, alternating with RESUME when
 * @alternate, @interval_us apart, a new connection every 50 (the limits
 * must hold across reconnects). @codes[i]: 0 a STATUS answer, an errno
 * from an ERROR answer, -1 no answer.
 */
static bool
pause_seq(const struct tracer *t, unsigned uid, unsigned n, bool alternate, uint64_t dur_ns,
	  unsigned interval_us, int *codes)
{
	int pfd[2], status;
	size_t want = n * sizeof(int);
	pid_t pid;

	if (n > MAX_SEQ || pipe(pfd) < 0)
		return false;
	pid = fork();
	if (pid == 0) {
		static int res[MAX_SEQ];
		uint8_t buf[TT_ME_MSG_MAX + 1];
		int fd = -1;

		close(pfd[0]);
		if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0)
			_exit(99);
		for (unsigned i = 0; i < n; i++) {
			struct tt_me_msg m = { .type = alternate && i % 2 ? TT_ME_REQ_RESUME
								 : TT_ME_REQ_PAUSE };
			ssize_t got;
			int len;

			if (i % 50 == 0) {
				if (fd >= 0)
					close(fd);
				fd = tt_focus_connect(t->msock);
				if (fd < 0)
					_exit(98);
				fcntl(fd, F_SETFL, 0);
			}
			m.u.pause.duration_ns = dur_ns;
			len = tt_me_encode(&m, buf, sizeof(buf));
			res[i] = -1;
			if (send(fd, buf, (size_t)len, MSG_NOSIGNAL) == len &&
			    (got = recv(fd, buf, sizeof(buf), 0)) > 0 &&
			    tt_me_parse(buf, (size_t)got, &m) == 0)
				res[i] = m.type == TT_ME_STATUS ? 0 :
					 m.type == TT_ME_ERROR ? m.u.error.code : -1;
			if (interval_us)
				usleep(interval_us);
		}
		_exit(write(pfd[1], res, want) == (ssize_t)want ? 0 : 97);
	}
	close(pfd[1]);
	{
		size_t got = 0;
		ssize_t r;

		while (got < want && (r = read(pfd[0], (char *)codes + got, want - got)) > 0)
			got += (size_t)r;
		close(pfd[0]);
		waitpid(pid, &status, 0);
		return got == want && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
}

static unsigned
count_str(const char *s, const char *what)
{
	unsigned n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

TEST(a_pause_flood_is_bounded)
{
	static int codes[MAX_SEQ];
	struct tracer t;
	char out[PATH_MAX + 32], *s;
	unsigned ok, eperm, eagain, gaps_nobody, gaps, lines;

	CHECK(bindir());
	CHECK(start(&t, "user_pause_max = 10m\n"));
	CHECK(run_tracer(&t, 1001));
	snprintf(out, sizeof(out), "%s/q.out", t.dir);

	/* nobody, who has no session here, pauses and resumes 1 000 times */
	CHECK(pause_seq(&t, 65534, 1000, true, 60ULL * 1000000000, 0, codes));
	ok = eperm = 0;
	for (unsigned i = 0; i < 1000; i += 2) {
		ok += codes[i] == 0;
		eperm += codes[i] == EPERM;
	}
	printf("    nobody: %u of 500 pauses accepted, %u refused (EPERM)\n", ok, eperm);
	CHECK_EQ(ok, 0);
	CHECK_EQ(eperm, 500);

	/* the seat's user does the same: rate-limited, and a day's count */
	CHECK(pause_seq(&t, 1001, 1000, true, 60ULL * 1000000000, 0, codes));
	ok = eagain = 0;
	for (unsigned i = 0; i < 1000; i += 2) {
		ok += codes[i] == 0;
		eagain += codes[i] == EAGAIN;
	}
	printf("    the seat's user: %u of 500 pauses accepted, %u refused (EAGAIN)\n", ok,
	       eagain);
	CHECK(ok >= 1 && ok <= PAUSES_PER_DAY);
	CHECK_EQ(stop(&t), 0);

	/* what that left: gap records and log lines, counted by the admin */
	CHECK_EQ(admin(&t, out, "query", "--user 65534 --format jsonl"), 0);
	s = slurp(out);
	gaps_nobody = count_str(s, "\"reason\":\"paused-by-user\"");
	free(s);
	CHECK_EQ(admin(&t, out, "query", "--format jsonl"), 0);
	s = slurp(out);
	gaps = count_str(s, "\"reason\":\"paused-by-user\"");
	free(s);
	s = slurp(t.log);
	lines = count_str(s, "recording paused") + count_str(s, "pause renewed") +
		count_str(s, "recording again");
	free(s);
	printf("    left: %u gap records (%u of nobody), %u log lines of pauses\n", gaps,
	       gaps_nobody, lines);
	CHECK_EQ(gaps_nobody, 0);
	CHECK(gaps <= PAUSES_PER_DAY);
	CHECK(lines <= 2 * PAUSES_PER_DAY);
}

TEST(a_pause_cannot_be_renewed_forever)
{
	static int codes[MAX_SEQ];
	struct tracer t;
	unsigned accepted = 0;
	int refused = -1;
	char *s;

	CHECK(bindir());
	/* a day's pauses: 4 × 1 s here */
	CHECK(start(&t, "user_pause_max = 1s\n"));
	CHECK(run_tracer(&t, 1001));
	/* renewed every 0.6 s for 12 s: on main the pause never ended */
	CHECK(pause_seq(&t, 1001, 20, false, 1000000000ULL, 600000, codes));
	for (unsigned i = 0; i < 20; i++) {
		if (codes[i] == 0 && refused < 0)
			accepted++;
		if (codes[i] != 0 && refused < 0)
			refused = codes[i];
	}
	printf("    %u renewals accepted, then %s\n", accepted,
	       refused < 0 ? "none refused" : strerror(refused));
	CHECK_MSG(refused == EDQUOT, "never refused for the day's pauses (%d)", refused);
	/* 4 s of pauses at 0.6 s a request: about 7 requests */
	CHECK(accepted >= 4 && accepted <= 9);
	CHECK_MSG(wait_for(t.log, "recording again after a pause", 30), "never resumed");
	s = slurp(t.log);
	CHECK_CONTAINS(s, "pause renewed");
	free(s);
	CHECK_EQ(stop(&t), 0);
}

/* --- a uid reused by a new account ------------------------------------------------ */

TEST(a_new_account_with_an_old_uid_reads_nothing_of_the_old)
{
	struct tracer t;
	struct tt_me_msg m = { .type = TT_ME_REQ_RECORDS };
	uint8_t pkt[64];
	bool other;
	unsigned long n;
	int len;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(make_store(&t, 4));
	len = tt_me_encode(&m, pkt, sizeof(pkt));

	/* the account that was recorded: its records, as before */
	CHECK(run_tracer(&t, 1001));
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len, &other, &n), 0);
	printf("    uid 1000 under its recorded name: %lu records\n", n);
	CHECK(n > 1000 && !other);
	CHECK_EQ(stop(&t), 0);

	/* that user deleted, and uid 1000 given to a new account, mallory */
	renamed_uid = 1000;
	renamed_to = "mallory";
	CHECK(run_tracer(&t, 1001));
	renamed_uid = 0;
	CHECK_EQ(raw_as(&t, 1000, pkt, (size_t)len, &other, &n), 0);
	printf("    uid 1000 as a new account: %lu records\n", n);
	CHECK_MSG(n == 0, "the new account read %lu records of the old one", n);
	/* the others are unaffected */
	CHECK_EQ(raw_as(&t, 1001, pkt, (size_t)len, &other, &n), 0);
	CHECK(n > 1000 && !other);
	CHECK_EQ(stop(&t), 0);
}

/* --- a window's title and app id reach `tasktrace me` cleaned --------------------- */

/* A collector of uid 1001 reporting one focus: @app, @title. */
static bool
report_focus(const struct tracer *t, const char *app, const char *title)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct tt_focus_msg m;
		uint8_t buf[TT_FOCUS_MSG_MAX];
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
		tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, app, strlen(app));
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, title, strlen(title));
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, 7);
		len = tt_focus_encode(&m, buf, sizeof(buf));
		if (send(fd, buf, (size_t)len, 0) != len)
			_exit(96);
		usleep(300000);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(a_window_cannot_drive_the_terminal_of_me)
{
	struct tracer t;
	char out[PATH_MAX + 32], *s = NULL;
	bool seen = false;

	CHECK(bindir());
	CHECK(start(&t, ""));
	CHECK(run_tracer(&t, 1001));
	snprintf(out, sizeof(out), "%s/me.out", t.dir);
	/* any program on the desktop chooses its app id and title */
	CHECK(report_focus(&t, "\033]0;owned\a\033[2K\r\xe2\x80\xae" "ppa\xc2\x9b" "31m-marker",
			   "\xe2\x80\xae" "fdp.exe \xc2\x9b" "31m marker-title"));
	for (int i = 0; i < 50 && !seen; i++) {
		CHECK_EQ(run_as(&t, 1001, out, "--format table"), 0);
		free(s);
		s = slurp(out);
		seen = strstr(s, "31m-marker") != NULL;
		if (!seen)
			usleep(100000);
	}
	CHECK_MSG(seen, "the focus was never shown");
	CHECK_MSG(!strchr(s, '\033') && !strchr(s, '\a') && !strchr(s, '\r'),
		  "a C0 control reached the terminal");
	CHECK_MSG(!strstr(s, "\xc2\x9b"), "a C1 control reached the terminal");
	CHECK_MSG(!strstr(s, "\xe2\x80\xae"), "U+202E reached the terminal");
	free(s);
	CHECK_EQ(stop(&t), 0);
}
