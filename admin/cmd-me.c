/* SPDX-License-Identifier: MIT */
/*
 * tasktrace me: what is stored about the person running it, without admin
 * rights, through the tracer's me socket (me-proto.h); and their pause.
 * Records are printed exactly as `tasktrace query` prints them; the names
 * the records refer to come with them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "mining/mine/apptime.h"
#include "admin/cli.h"
#include "admin/recfmt.h"
#include "tasktrace/codec.h"
#include "tasktrace/config.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/me-proto.h"
#include "tasktrace/timefmt.h"

#define DAY_NS (86400ULL * 1000000000ULL)
/* a tracer that stops answering must not hang the command */
#define ANSWER_TIMEOUT_S 30

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktrace me [OPTIONS]\n"
		"       tasktrace me --summary [--since TIME] [--until TIME]\n"
		"       tasktrace me pause DURATION\n"
		"       tasktrace me resume\n"
		"       tasktrace me status\n"
		"\n"
		"Show what tasktrace has stored about you (your uid only), as\n"
		"'tasktrace query' prints it. No admin rights needed: the tracer answers.\n"
		"\n"
		"  --since TIME       records at or after TIME\n"
		"  --until TIME       records before TIME\n"
		"  --format FMT       table (default) or jsonl\n"
		"  --limit N          stop after N records\n"
		"  --summary          time per application per day (UTC) instead\n"
		"  --socket PATH      the tracer's me socket\n"
		"  -h, --help         this help\n"
		"\n"
		"pause DURATION stops recording your input for DURATION (e.g. 30m),\n"
		"if this computer allows it; resume starts it again at once. The pause\n"
		"is stored as a gap, so your administrator sees that you paused.\n");
}

/* --- the names the tracer sent ------------------------------------------------ */

struct name {
	uint64_t key;		/* table << 32 | id; 0: empty slot */
	char *str;
};

struct names {
	struct name *slots;
	size_t n, cap;
};

static uint64_t
hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static struct name *
names_slot(const struct names *nt, uint64_t key)
{
	size_t mask = nt->cap - 1;

	if (!nt->cap)
		return NULL;
	for (size_t i = hash64(key) & mask;; i = (i + 1) & mask)
		if (nt->slots[i].key == key || !nt->slots[i].key)
			return &nt->slots[i];
}

static int
names_put(struct names *nt, uint64_t key, const char *s, size_t len)
{
	struct name *slot;

	if ((nt->n + 1) * 2 > nt->cap) {
		struct names bigger = { .cap = nt->cap ? nt->cap * 2 : 1024 };

		bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return -ENOMEM;
		for (size_t i = 0; i < nt->cap; i++)
			if (nt->slots[i].key)
				*names_slot(&bigger, nt->slots[i].key) = nt->slots[i];
		bigger.n = nt->n;
		free(nt->slots);
		*nt = bigger;
	}
	slot = names_slot(nt, key);
	if (slot->key) {
		free(slot->str);
	} else {
		slot->key = key;
		nt->n++;
	}
	slot->str = strndup(s, len);
	return slot->str ? 0 : -ENOMEM;
}

static void
names_free(struct names *nt)
{
	for (size_t i = 0; i < nt->cap; i++)
		free(nt->slots[i].str);
	free(nt->slots);
}

static const char *
lookup(struct names *nt, uint64_t key)
{
	struct name *slot = names_slot(nt, key);

	return slot && slot->key ? slot->str : NULL;
}

static const char *
string_name(void *ctx, uint32_t id)
{
	return lookup(ctx, (uint64_t)TT_ME_TABLE_STRING << 32 | id);
}

static const char *
device_name(void *ctx, uint32_t id)
{
	return lookup(ctx, (uint64_t)TT_ME_TABLE_DEVICE << 32 | id);
}

static const char *
session_user(void *ctx, uint32_t id)
{
	return lookup(ctx, (uint64_t)TT_ME_TABLE_SESSION << 32 | id);
}

/* --- the summary: time per application per day ---------------------------------- */

struct day_app {
	uint64_t day;
	uint32_t app;
	uint64_t ns;
};

struct summary {
	struct day_app *rows;
	size_t n, cap;
};

static void
summary_add(struct summary *s, uint64_t day, uint32_t app, uint64_t ns)
{
	for (size_t i = s->n; i-- > 0;)
		if (s->rows[i].day == day && s->rows[i].app == app) {
			s->rows[i].ns += ns;
			return;
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->rows = realloc(s->rows, s->cap * sizeof(*s->rows));
		if (!s->rows)
			abort();
	}
	s->rows[s->n++] = (struct day_app){ day, app, ns };
}

/* A span is cut at midnight (UTC), so each day gets its own part. */
static void
summary_span(void *ctx, uint32_t uid, uint32_t app, uint64_t from, uint64_t to)
{
	(void)uid;
	while (from < to) {
		uint64_t day = from / DAY_NS;
		uint64_t end = (day + 1) * DAY_NS < to ? (day + 1) * DAY_NS : to;

		summary_add(ctx, day, app, end - from);
		from = end;
	}
}

static int
by_day_then_time(const void *a, const void *b)
{
	const struct day_app *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

static void
summary_print(struct summary *s, bool jsonl)
{
	char date[40], app[256];

	if (s->n)
		qsort(s->rows, s->n, sizeof(*s->rows), by_day_then_time);
	if (!jsonl && s->n)
		printf("%-10s  %-40s %10s\n", "day (UTC)", "application", "time");
	for (size_t i = 0; i < s->n; i++) {
		uint64_t sec = s->rows[i].ns / 1000000000ULL;

		tt_date_format_utc(s->rows[i].day * DAY_NS, date, sizeof(date));
		recfmt_string(NULL, s->rows[i].app, app, sizeof(app));
		if (jsonl) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "date", json_object_new_string(date));
			json_object_object_add(o, "app", json_object_new_string(app));
			json_object_object_add(o, "seconds",
					       json_object_new_double((double)s->rows[i].ns / 1e9));
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(o);
		} else {
			printf("%-10s  %-40s %4" PRIu64 "h %02" PRIu64 "m %02" PRIu64 "s\n",
			       date, app, sec / 3600, sec / 60 % 60, sec % 60);
		}
	}
}

/* --- talking to the tracer ----------------------------------------------------- */

static int
connect_tracer(const char *override)
{
	char path[TT_FOCUS_SOCKET_PATH_MAX];
	struct tt_config cfg;
	struct timeval tv = { .tv_sec = ANSWER_TIMEOUT_S };
	int fd;

	/* the socket is next to the collector's; an unreadable or broken
	 * configuration leaves the default */
	if (tt_config_load(&cfg, tool.config_path, true, NULL, NULL) != 0) {
		tt_config_free(&cfg);
		tt_config_init(&cfg);
	}
	fd = tt_me_socket_path(override, cfg.collector.socket ? cfg.collector.socket :
			       TT_FOCUS_SOCKET_DEFAULT, path, sizeof(path));
	tt_config_free(&cfg);
	if (fd < 0) {
		tool_error("the me socket path is too long");
		return -1;
	}
	fd = tt_focus_connect(path);
	if (fd < 0) {
		if (fd == -ENOENT || fd == -ECONNREFUSED)
			tool_error("%s: the tracer is not running (tasktraced), or has no "
				  "me socket", path);
		else
			tool_error("%s: %s", path, strerror(-fd));
		return -1;
	}
	/* blocking from here, with a time limit on every answer */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static bool
send_request(int fd, const struct tt_me_msg *m)
{
	uint8_t buf[64];
	int n = tt_me_encode(m, buf, sizeof(buf));

	if (n < 0 || send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n) {
		tool_error("asking the tracer: %s", n < 0 ? strerror(-n) : strerror(errno));
		return false;
	}
	return true;
}

/* Read one answer; TT_EXIT_OK or an exit code (the error printed). */
static int
receive(int fd, uint8_t *buf, struct tt_me_msg *m)
{
	ssize_t n = recv(fd, buf, TT_ME_MSG_MAX + 1, 0);

	if (n < 0) {
		tool_error("reading the tracer's answer: %s",
			  errno == EAGAIN ? "no answer in time" : strerror(errno));
		return TT_EXIT_FAIL;
	}
	if (n == 0) {
		tool_error("the tracer closed the connection");
		return TT_EXIT_FAIL;
	}
	if (tt_me_parse(buf, (size_t)n, m) < 0) {
		tool_error("the tracer's answer is not understood (another version?)");
		return TT_EXIT_FAIL;
	}
	if (m->type == TT_ME_ERROR) {
		tool_error("%s", m->u.error.text);
		return m->u.error.code == EPERM ? TT_EXIT_PERM :
		       m->u.error.code == ERANGE || m->u.error.code == EINVAL ?
		       TT_EXIT_USAGE : TT_EXIT_FAIL;
	}
	return TT_EXIT_OK;
}

struct reading {
	enum recfmt_format fmt;
	unsigned long long limit, n;
	struct summary *summary;
	struct apptime at;
};

/* The records of one BLOCK; false when the output has what it wants. */
static int
block(struct reading *rdg, const struct tt_me_msg *m)
{
	struct tt_block_dec dec;
	struct tt_record r;
	uint32_t me = (uint32_t)getuid();
	int rc = tt_block_dec_init(&dec, m->body, m->len);

	while (rc == 0 && (rc = tt_block_dec_next(&dec, &r)) == 1) {
		rc = 0;
		if (r.uid != me) {
			tool_error("the tracer sent a record of another user; stopping");
			return TT_EXIT_FAIL;
		}
		if (rdg->limit && rdg->n >= rdg->limit)
			return TT_EXIT_OK;
		rdg->n++;
		if (rdg->summary)
			apptime_feed(&rdg->at, &r);
		else
			recfmt_print(NULL, &r, rdg->fmt);
	}
	if (rc < 0) {
		tool_error("the tracer sent a damaged block of records");
		return TT_EXIT_FAIL;
	}
	return TT_EXIT_OK;
}

static int
read_records(int fd, uint64_t since, uint64_t until, struct reading *rdg, struct names *nt)
{
	static uint8_t buf[TT_ME_MSG_MAX + 1];
	struct tt_me_msg req = { .type = TT_ME_REQ_RECORDS }, m;
	int ret;

	req.u.records.since_ns = since;
	req.u.records.until_ns = until;
	if (!send_request(fd, &req))
		return TT_EXIT_FAIL;
	for (;;) {
		if ((ret = receive(fd, buf, &m)))
			return ret;
		switch (m.type) {
		case TT_ME_NAMES: {
			struct tt_me_name nm;
			size_t off = 0;

			while (tt_me_names_next(&m, &off, &nm) == 1)
				if (names_put(nt, (uint64_t)nm.table << 32 | nm.id, nm.str, nm.len) < 0)
					return TT_EXIT_FAIL;
			break;
		}
		case TT_ME_BLOCK:
			if ((ret = block(rdg, &m)))
				return ret;
			break;
		case TT_ME_END:
			if (!m.u.end.more || (rdg->limit && rdg->n >= rdg->limit))
				return TT_EXIT_OK;
			/* the next page */
			req.u.records.since_ns = m.u.end.next_ns;
			if (!send_request(fd, &req))
				return TT_EXIT_FAIL;
			break;
		default:
			tool_error("the tracer answered %s to a request for records",
				  tt_me_type_name(m.type));
			return TT_EXIT_FAIL;
		}
	}
}

static int
print_status(const struct tt_me_msg *m)
{
	char t[40], d[32];
	uint64_t max_s = m->u.status.pause_max_ns / 1000000000ULL;

	if (m->u.status.paused_until_ns)
		printf("recording: paused until %s (tasktrace me resume to end it now)\n",
		       tt_time_format_utc(m->u.status.paused_until_ns, t, sizeof(t)));
	else
		printf("recording: on\n");
	if (!max_s)
		printf("pausing:   not allowed on this computer\n");
	else {
		if (max_s % 3600 == 0)
			snprintf(d, sizeof(d), "%" PRIu64 "h", max_s / 3600);
		else if (max_s % 60 == 0)
			snprintf(d, sizeof(d), "%" PRIu64 "m", max_s / 60);
		else
			snprintf(d, sizeof(d), "%" PRIu64 "s", max_s);
		printf("pausing:   allowed, up to %s at a time (tasktrace me pause DURATION)\n", d);
	}
	return TT_EXIT_OK;
}

static int
control(int fd, int argc, char **argv)
{
	static uint8_t buf[TT_ME_MSG_MAX + 1];
	struct tt_me_msg req = { 0 }, m;
	const char *what = argv[optind];
	int ret;

	if (strcmp(what, "pause") == 0) {
		if (argc - optind != 2) {
			tool_error("me pause: give one duration, e.g. 'tasktrace me pause 30m'");
			return TT_EXIT_USAGE;
		}
		req.type = TT_ME_REQ_PAUSE;
		if (tt_parse_duration(argv[optind + 1], &req.u.pause.duration_ns) < 0 ||
		    req.u.pause.duration_ns == 0) {
			tool_error("me pause: '%s' is not a duration (e.g. 90s, 30m, 1h)",
				  argv[optind + 1]);
			return TT_EXIT_USAGE;
		}
	} else if (strcmp(what, "resume") == 0 || strcmp(what, "status") == 0) {
		if (argc - optind != 1) {
			tool_error("me %s: unexpected argument '%s'", what, argv[optind + 1]);
			return TT_EXIT_USAGE;
		}
		req.type = what[0] == 'r' ? TT_ME_REQ_RESUME : TT_ME_REQ_STATUS;
	} else {
		tool_error("me: unknown action '%s' (pause, resume, status)", what);
		return TT_EXIT_USAGE;
	}
	if (fd < 0 && (fd = connect_tracer(NULL)) < 0)
		return TT_EXIT_FAIL;
	if (!send_request(fd, &req))
		return TT_EXIT_FAIL;
	if ((ret = receive(fd, buf, &m)))
		return ret;
	if (m.type != TT_ME_STATUS) {
		tool_error("the tracer answered %s", tt_me_type_name(m.type));
		return TT_EXIT_FAIL;
	}
	return print_status(&m);
}

int
cmd_me(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "summary", no_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct reading rdg = { .fmt = RECFMT_TABLE };
	struct summary summary = { 0 };
	struct names nt = { 0 };
	struct recfmt_names rn = { string_name, device_name, session_user, &nt };
	uint64_t since = 0, until = 0;
	const char *socket_path = NULL;
	bool want_summary = false;
	int ch, fd, ret;

	while ((ch = getopt_long(argc, argv, "+f:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			if (!cli_parse_time("--since", optarg, &since))
				return TT_EXIT_USAGE;
			break;
		case 'U':
			if (!cli_parse_time("--until", optarg, &until))
				return TT_EXIT_USAGE;
			break;
		case 'f':
			if (strcmp(optarg, "table") == 0)
				rdg.fmt = RECFMT_TABLE;
			else if (strcmp(optarg, "jsonl") == 0)
				rdg.fmt = RECFMT_JSONL;
			else {
				tool_error("--format: unknown format '%s' (table, jsonl)", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		case 'n': {
			char *end;

			rdg.limit = strtoull(optarg, &end, 10);
			if (*end || !*optarg || optarg[0] == '-') {
				tool_error("--limit: '%s' is not a count", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		}
		case 's':
			want_summary = true;
			break;
		case 'k':
			socket_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return TT_EXIT_OK;
		default:
			usage(stderr);
			return TT_EXIT_USAGE;
		}
	}
	if (until && until <= since) {
		tool_error("--until is not after --since");
		return TT_EXIT_USAGE;
	}
	if (optind < argc) {
		if (want_summary || since || until || rdg.limit) {
			tool_error("me %s: takes no --since, --until, --limit or --summary",
				  argv[optind]);
			return TT_EXIT_USAGE;
		}
		fd = -1;
		if (socket_path && (fd = connect_tracer(socket_path)) < 0)
			return TT_EXIT_FAIL;
		ret = control(fd, argc, argv);
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if ((fd = connect_tracer(socket_path)) < 0)
		return TT_EXIT_FAIL;
	recfmt_set_names(&rn);
	if (want_summary) {
		rdg.summary = &summary;
		rdg.at.span = summary_span;
		rdg.at.ctx = &summary;
	}
	ret = read_records(fd, since, until, &rdg, &nt);
	close(fd);
	if (ret == TT_EXIT_OK && want_summary)
		summary_print(&summary, rdg.fmt == RECFMT_JSONL);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_error("writing the output: %m");
		ret = TT_EXIT_IO;
	}
	recfmt_set_names(NULL);
	free(summary.rows);
	names_free(&nt);
	return ret;
}
