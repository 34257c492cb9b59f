/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-workload: determinism (same arguments, same records; another
 * seed, other records), the structure of a generated day (order, locks,
 * devices, sessions, weekends, proportions, routines) and the command line.
 *
 * The records are read back through the store's reader API. Once the CLI
 * has "tasktrace query --format jsonl", comparing its output is a second,
 * independent way to check determinism.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

/* The build directory: the parent of the tests' directory. */
static const char *
build_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return "build";
	dir[n] = '\0';
	/* .../B/tests/test-workload -> .../B */
	for (int i = 0; i < 2; i++) {
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
	}
	return dir;
}

static const char *
workload_bin(void)
{
	static char path[PATH_MAX + 32];

	if (!path[0])
		snprintf(path, sizeof(path), "%s/tasktrace-workload", build_dir());
	return path;
}

static int
generate(const char *dir, const char *args)
{
	char *out = NULL;
	int st = tt_test_run(&out, "%s --store %s --quiet %s 2>&1", workload_bin(), dir, args);

	if (st != 0)
		fprintf(stderr, "    tasktrace-workload %s: exit %d: %s\n", args, st, out ? out : "");
	free(out);
	return st;
}

/* --- a canonical digest of a store's records --------------------------------- */

struct digest {
	uint64_t h;
	uint64_t records;
};

static void
mix(struct digest *d, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		d->h ^= c[i];
		d->h *= 0x100000001b3ULL;
	}
}

static void
mix_u64(struct digest *d, uint64_t v)
{
	mix(d, &v, sizeof(v));
}

static void
mix_str(struct digest *d, struct tt_reader *rd, uint32_t id)
{
	const char *s;
	size_t len;

	mix_u64(d, id);
	if (id && tt_reader_string(rd, id, &s, &len) == 0)
		mix(d, s, len);
}

/* Every field by name, so padding never matters; strings by content. */
static void
mix_record(struct digest *d, struct tt_reader *rd, const struct tt_record *r)
{
	mix_u64(d, r->time_ns);
	mix_u64(d, r->dur_ns);
	mix_u64(d, r->seq);
	mix_u64(d, r->session);
	mix_u64(d, r->uid);
	mix_u64(d, r->device);
	mix_str(d, rd, r->app);
	mix_str(d, rd, r->title);
	mix_u64(d, r->kind);
	switch (r->kind) {
	case TT_KIND_TYPING:
		for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
			mix_u64(d, r->u.typing.count[c]);
		mix_u64(d, r->u.typing.end);
		break;
	case TT_KIND_KEY:
		mix_str(d, rd, r->u.key.name);
		mix_u64(d, r->u.key.code);
		mix_u64(d, r->u.key.mods);
		break;
	case TT_KIND_BUTTON:
		mix_u64(d, r->u.button.button);
		mix_u64(d, r->u.button.clicks);
		mix_u64(d, r->u.button.mods);
		break;
	case TT_KIND_SCROLL:
		mix_u64(d, (uint64_t)(int64_t)r->u.scroll.v120);
		mix_u64(d, r->u.scroll.events);
		mix_u64(d, r->u.scroll.axis);
		mix_u64(d, r->u.scroll.source);
		break;
	case TT_KIND_MOTION:
		mix_u64(d, r->u.motion.distance);
		mix_u64(d, r->u.motion.events);
		break;
	case TT_KIND_GESTURE:
		mix_u64(d, (uint64_t)(int64_t)r->u.gesture.scale);
		mix_u64(d, r->u.gesture.type);
		mix_u64(d, r->u.gesture.fingers);
		mix_u64(d, r->u.gesture.cancelled);
		break;
	case TT_KIND_FOCUS:
		mix_str(d, rd, r->u.focus.exe);
		mix_str(d, rd, r->u.focus.backend);
		mix_u64(d, r->u.focus.pid);
		mix_u64(d, r->u.focus.flags);
		break;
	case TT_KIND_SESSION:
		mix_u64(d, r->u.session.end);
		break;
	case TT_KIND_DEVICE:
		mix_u64(d, r->u.device.removed);
		break;
	case TT_KIND_GAP:
		mix_u64(d, r->u.gap.lost);
		mix_u64(d, r->u.gap.reason);
		break;
	default:
		break;
	}
}

static int
mix_session(void *ctx, const struct tt_session_info *s)
{
	struct digest *d = ctx;

	mix_u64(d, s->id);
	mix_u64(d, s->uid);
	mix_u64(d, s->start_ns);
	mix(d, s->logind_id, strlen(s->logind_id));
	mix(d, s->seat, strlen(s->seat));
	mix(d, s->user, strlen(s->user));
	return 0;
}

static int
store_digest(const char *dir, struct digest *d)
{
	struct tt_store *s = NULL;
	struct tt_reader *rd = NULL;
	struct tt_cursor *c = NULL;
	struct tt_query q;
	struct tt_record r;
	int rc;

	d->h = 0xcbf29ce484222325ULL;
	d->records = 0;
	rc = tt_store_open(&s, dir, TT_STORE_RDONLY, NULL);
	if (rc)
		goto out;
	rc = tt_reader_open(s, &rd);
	if (rc)
		goto out;
	tt_query_init(&q);
	rc = tt_cursor_open(rd, &q, &c);
	if (rc)
		goto out;
	while ((rc = tt_cursor_next(c, &r)) == 1) {
		mix_record(d, rd, &r);
		d->records++;
	}
	if (rc == 0)
		rc = tt_reader_sessions(rd, mix_session, d);
out:
	if (rc)
		fprintf(stderr, "    reading %s: %s\n", dir, tt_strerror(rc));
	tt_cursor_close(c);
	tt_reader_close(rd);
	if (s)
		tt_store_close(s);
	return rc;
}

TEST(same_seed_same_records)
{
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	struct digest da, db;

	snprintf(a, sizeof(a), "%s/a", tt_test_tmpdir());
	snprintf(b, sizeof(b), "%s/b", tt_test_tmpdir());
	CHECK_EQ(generate(a, "--days 3 --users 3 --seed 11"), 0);
	CHECK_EQ(generate(b, "--days 3 --users 3 --seed 11"), 0);
	CHECK_EQ(store_digest(a, &da), 0);
	CHECK_EQ(store_digest(b, &db), 0);
	CHECK(da.records > 3 * 3 * 10000);
	CHECK_EQ(da.records, db.records);
	CHECK_MSG(da.h == db.h, "digests differ: %016" PRIx64 " %016" PRIx64, da.h, db.h);
}

/* The same, seen through the admin CLI's JSON Lines, and verified sound. */
TEST(same_seed_same_jsonl)
{
	const char *tmp = tt_test_tmpdir();
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	char *out = NULL;

	snprintf(a, sizeof(a), "%s/tasktrace", build_dir());
	if (access(a, X_OK) != 0) {
		printf("     skipped: %s not built\n", a);
		return;
	}
	snprintf(a, sizeof(a), "%s/a", tmp);
	snprintf(b, sizeof(b), "%s/b", tmp);
	CHECK_EQ(generate(a, "--days 2 --users 2 --seed 12"), 0);
	CHECK_EQ(generate(b, "--days 2 --users 2 --seed 12"), 0);
	CHECK_EQ(tt_test_run(NULL, "%s/tasktrace --store %s query --format jsonl > %s/a.jsonl",
			     build_dir(), a, tmp), 0);
	CHECK_EQ(tt_test_run(NULL, "%s/tasktrace --store %s query --format jsonl > %s/b.jsonl",
			     build_dir(), b, tmp), 0);
	CHECK_EQ(tt_test_run(&out, "test $(wc -l < %s/a.jsonl) -gt 50000 && "
			     "cmp %s/a.jsonl %s/b.jsonl 2>&1", tmp, tmp, tmp), 0);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s/tasktrace --store %s verify 2>&1", build_dir(), a), 0);
	CHECK_CONTAINS(out, "sound");
	free(out);
}

TEST(other_seed_other_records)
{
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	struct digest da, db;

	snprintf(a, sizeof(a), "%s/a", tt_test_tmpdir());
	snprintf(b, sizeof(b), "%s/b", tt_test_tmpdir());
	CHECK_EQ(generate(a, "--days 1 --users 2 --seed 1"), 0);
	CHECK_EQ(generate(b, "--days 1 --users 2 --seed 2"), 0);
	CHECK_EQ(store_digest(a, &da), 0);
	CHECK_EQ(store_digest(b, &db), 0);
	CHECK(da.records > 0 && db.records > 0);
	CHECK(da.h != db.h);
}

/* --- the structure of generated days ------------------------------------------- */

#define USERS 4
#define MAX_DEVICES 64
#define MAX_SESSIONS 256

struct walk {
	struct tt_reader *rd;
	struct tt_record prev;
	uint64_t n;
	bool locked[USERS];
	bool device_present[MAX_DEVICES];
	int session_state[MAX_SESSIONS];	/* 0 unseen, 1 open, 2 ended */
	uint64_t per_day[7][USERS];
	uint64_t classes[TT_CLASS_COUNT];
	uint64_t idle[USERS], active[USERS];
	unsigned alice_copy;			/* Ctrl+C in thunderbird … */
	unsigned alice_paste;			/* … then Ctrl+V in calc */
	bool alice_copied;
	uint32_t tb_app, calc_app;
};

static bool
is_input(unsigned kind)
{
	return kind == TT_KIND_TYPING || kind == TT_KIND_KEY || kind == TT_KIND_BUTTON ||
	       kind == TT_KIND_SCROLL || kind == TT_KIND_MOTION || kind == TT_KIND_GESTURE ||
	       kind == TT_KIND_TOUCH || kind == TT_KIND_TABLET;
}

static bool
str_is(struct tt_reader *rd, uint32_t id, const char *want)
{
	const char *s;
	size_t len;

	return id && tt_reader_string(rd, id, &s, &len) == 0 && len == strlen(want) &&
	       memcmp(s, want, len) == 0;
}

static bool
str_has_prefix(struct tt_reader *rd, uint32_t id, const char *prefix)
{
	const char *s;
	size_t len;

	return id && tt_reader_string(rd, id, &s, &len) == 0 && len >= strlen(prefix) &&
	       memcmp(s, prefix, strlen(prefix)) == 0;
}

static bool
str_has(struct tt_reader *rd, uint32_t id, const char *needle)
{
	const char *s;
	size_t len;

	return id && tt_reader_string(rd, id, &s, &len) == 0 && memmem(s, len, needle, strlen(needle));
}

/* One record; false (with a message) on the first violation. */
static bool
walk_one(struct walk *w, const struct tt_record *r)
{
	unsigned u = r->uid == TT_UID_NONE ? USERS : r->uid - 1000;
	/* 2026-01-05 is a Monday: day 0 … 6 of the week. */
	uint64_t day = r->time_ns / 86400000000000ULL - 20458;

#define FAIL(...) do { tt_test_fail(__FILE__, __LINE__, __VA_ARGS__); \
		       fprintf(stderr, "    at record %" PRIu64 " (kind %u, uid %u)\n", \
			       r->seq, r->kind, r->uid); return false; } while (0)

	if (!tt_record_valid(r))
		FAIL("invalid record");
	if (r->time_ns % 1000 || r->dur_ns % 1000)
		FAIL("times are not whole microseconds");
	if (w->n > 0 && (r->time_ns < w->prev.time_ns || r->seq != w->prev.seq + 1))
		FAIL("not in (time, seq) order, or seq not incrementing");
	if (r->uid != TT_UID_NONE && u >= USERS)
		FAIL("unknown uid");
	if (day >= 7)
		FAIL("record outside the week");
	if (day >= 5)
		FAIL("record on a weekend");
	if (u < USERS)
		w->per_day[day][u]++;

	/* Sessions: records of a session come after its start, before its end. */
	if (r->session >= MAX_SESSIONS)
		FAIL("too many sessions");
	if (r->kind == TT_KIND_SESSION) {
		if (r->u.session.end ? w->session_state[r->session] != 1 :
				       w->session_state[r->session] != 0)
			FAIL("session start/end out of order");
		w->session_state[r->session] = r->u.session.end ? 2 : 1;
	} else if (r->session && w->session_state[r->session] != 1) {
		FAIL("record outside its session");
	}
	if (!r->session && r->kind != TT_KIND_DEVICE)
		FAIL("a record other than a device without a session");

	/* Locks: nothing typed, pressed or moved between a lock and its unlock. */
	if (r->kind == TT_KIND_LOCK) {
		if (w->locked[u])
			FAIL("locked twice");
		w->locked[u] = true;
	} else if (r->kind == TT_KIND_UNLOCK) {
		if (!w->locked[u])
			FAIL("unlock without lock");
		w->locked[u] = false;
	} else if (u < USERS && w->locked[u] && is_input(r->kind)) {
		FAIL("input while locked");
	}
	if (r->kind == TT_KIND_SESSION && r->u.session.end && w->locked[u])
		FAIL("session ended while locked");
	if (r->kind == TT_KIND_IDLE)
		w->idle[u < USERS ? u : 0]++;
	if (r->kind == TT_KIND_ACTIVE)
		w->active[u < USERS ? u : 0]++;

	/* Devices: removed only when added. */
	if (r->device >= MAX_DEVICES)
		FAIL("device id out of range");
	if (r->kind == TT_KIND_DEVICE) {
		if (r->u.device.removed && !w->device_present[r->device])
			FAIL("device removed that was not added");
		w->device_present[r->device] = !r->u.device.removed;
	} else if (is_input(r->kind) && !w->device_present[r->device]) {
		FAIL("input from a device not added");
	}

	switch (r->kind) {
	case TT_KIND_TYPING:
		for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
			w->classes[c] += r->u.typing.count[c];
		break;
	case TT_KIND_KEY:
		if (!r->u.key.code || !r->u.key.name)
			FAIL("key without code or name");
		if (str_has_prefix(w->rd, r->u.key.name, "Ctrl+") != !!(r->u.key.mods & TT_MOD_CTRL) ||
		    str_has(w->rd, r->u.key.name, "Alt+") != !!(r->u.key.mods & TT_MOD_ALT) ||
		    str_has(w->rd, r->u.key.name, "Shift+") != !!(r->u.key.mods & TT_MOD_SHIFT) ||
		    str_has(w->rd, r->u.key.name, "Super+") != !!(r->u.key.mods & TT_MOD_SUPER))
			FAIL("key name and modifier mask disagree");
		if (r->uid == 1000 && str_is(w->rd, r->u.key.name, "Ctrl+C") && r->app == w->tb_app) {
			w->alice_copy++;
			w->alice_copied = true;
		}
		if (r->uid == 1000 && str_is(w->rd, r->u.key.name, "Ctrl+V") &&
		    r->app == w->calc_app && w->alice_copied) {
			w->alice_paste++;
			w->alice_copied = false;
		}
		break;
	case TT_KIND_BUTTON:
		if (r->u.button.clicks == 1 &&
		    (r->dur_ns < 60000000 || r->dur_ns > 180000000))
			FAIL("single click held %" PRIu64 " ns", r->dur_ns);
		break;
	case TT_KIND_SCROLL:
		if (r->u.scroll.source == TT_SCROLL_WHEEL && r->u.scroll.v120 % 120)
			FAIL("wheel scroll not in notches");
		break;
	case TT_KIND_FOCUS:
		if (!r->app || !r->u.focus.exe || !r->u.focus.pid ||
		    !(str_is(w->rd, r->u.focus.backend, "x11") ||
		      str_is(w->rd, r->u.focus.backend, "sway")))
			FAIL("focus without app, exe, pid or backend");
		if (!r->title && !(r->u.focus.flags & TT_FOCUS_EXCLUDED))
			FAIL("focus without a title");
		break;
	default:
		break;
	}
	w->prev = *r;
	w->n++;
	return true;
#undef FAIL
}

TEST(structure_of_a_week)
{
	char dir[PATH_MAX + 8];
	struct tt_store *s = NULL;
	struct tt_cursor *c = NULL;
	struct tt_query q;
	struct tt_record r;
	struct walk *w = calloc(1, sizeof(*w));
	uint64_t keys = 0;
	int rc;

	CHECK(w);
	snprintf(dir, sizeof(dir), "%s/week", tt_test_tmpdir());
	/* Monday 2026-01-05 to Sunday 2026-01-11. */
	CHECK_EQ(generate(dir, "--days 7 --users 4 --seed 5"), 0);
	CHECK_EQ(tt_store_open(&s, dir, TT_STORE_RDONLY, NULL), 0);
	rc = tt_reader_open(s, &w->rd);
	if (rc == 0) {
		/* Both apps were seen: alice is a clerk. */
		rc = tt_reader_string_id(w->rd, "thunderbird", 11, &w->tb_app);
		if (rc == 0)
			rc = tt_reader_string_id(w->rd, "libreoffice-calc", 16, &w->calc_app);
	}
	tt_query_init(&q);
	if (rc == 0)
		rc = tt_cursor_open(w->rd, &q, &c);
	while (rc == 0 && (rc = tt_cursor_next(c, &r)) == 1) {
		rc = 0;
		if (!walk_one(w, &r))
			break;
	}
	tt_cursor_close(c);
	tt_reader_close(w->rd);
	tt_store_close(s);
	if (tt_test_failed()) {
		free(w);
		return;
	}
	CHECK_MSG(rc == 0, "reading: %s", tt_strerror(rc));

	/* Every working day, every user, a heavy but plausible amount. */
	for (unsigned d = 0; d < 5; d++) {
		for (unsigned u = 0; u < USERS; u++) {
			CHECK_MSG(w->per_day[d][u] >= 12000 && w->per_day[d][u] <= 30000,
				  "day %u user %u: %" PRIu64 " records", d, u, w->per_day[d][u]);
		}
	}
	for (unsigned u = 0; u < USERS; u++) {
		CHECK(!w->locked[u]);
		CHECK_EQ(w->idle[u], w->active[u]);
	}
	for (unsigned i = 1; i < MAX_SESSIONS; i++)
		CHECK(w->session_state[i] != 1);

	/* letters ≫ space > punct > digits, erase about 5 %. */
	for (unsigned c2 = 0; c2 < TT_CLASS_COUNT; c2++)
		keys += w->classes[c2];
	CHECK(w->classes[TT_CLASS_LETTER] > 3 * w->classes[TT_CLASS_SPACE]);
	CHECK(w->classes[TT_CLASS_SPACE] > w->classes[TT_CLASS_PUNCT]);
	CHECK(w->classes[TT_CLASS_PUNCT] > w->classes[TT_CLASS_DIGIT] / 2);
	CHECK(w->classes[TT_CLASS_ERASE] * 100 >= keys * 3 &&
	      w->classes[TT_CLASS_ERASE] * 100 <= keys * 8);

	/* The clerk's routine: copy from a mail, paste into the sheet. */
	CHECK_MSG(w->alice_paste >= 5 * 20, "%u copy-paste routines in a week", w->alice_paste);
	free(w);
}

TEST(records_per_day_scales)
{
	char lo[PATH_MAX + 8], hi[PATH_MAX + 8];
	struct digest dl, dh;

	snprintf(lo, sizeof(lo), "%s/lo", tt_test_tmpdir());
	snprintf(hi, sizeof(hi), "%s/hi", tt_test_tmpdir());
	CHECK_EQ(generate(lo, "--days 1 --users 4 --seed 3 --records-per-day 5000"), 0);
	CHECK_EQ(generate(hi, "--days 1 --users 4 --seed 3 --records-per-day 60000"), 0);
	CHECK_EQ(store_digest(lo, &dl), 0);
	CHECK_EQ(store_digest(hi, &dh), 0);
	CHECK_MSG(dl.records >= 4 * 3500 && dl.records <= 4 * 6500, "%" PRIu64, dl.records);
	CHECK_MSG(dh.records >= 4 * 45000 && dh.records <= 4 * 75000, "%" PRIu64, dh.records);
}

TEST(start_date_and_weekends)
{
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	struct digest da, db;

	snprintf(a, sizeof(a), "%s/sat", tt_test_tmpdir());
	snprintf(b, sizeof(b), "%s/satw", tt_test_tmpdir());
	/* A Saturday and a Sunday: nothing, unless weekends are work days. */
	CHECK_EQ(generate(a, "--days 2 --users 2 --seed 1 --start 2026-01-10"), 0);
	CHECK_EQ(generate(b, "--days 2 --users 2 --seed 1 --start 2026-01-10 --weekends"), 0);
	CHECK_EQ(store_digest(a, &da), 0);
	CHECK_EQ(store_digest(b, &db), 0);
	CHECK_EQ(da.records, 0);
	CHECK(db.records > 2 * 2 * 10000);
}

TEST(command_line)
{
	const char *bin = workload_bin();
	const char *tmp = tt_test_tmpdir();
	char *out = NULL;

	CHECK_EQ(tt_test_run(&out, "%s --help", bin), 0);
	CHECK_CONTAINS(out, "--records-per-day");
	free(out);

	CHECK_EQ(tt_test_run(&out, "%s --days 1 --users 1 --seed 1 2>&1", bin), 2);
	CHECK_CONTAINS(out, "required");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s/x --days 0 --users 1 --seed 1 2>&1", bin, tmp), 2);
	CHECK_CONTAINS(out, "--days");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s/x --days 1 --users 1 --seed x 2>&1", bin, tmp), 2);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s/x --days 1 --users 1 --seed 1 "
			     "--start 2026-02-30 2>&1", bin, tmp), 2);
	CHECK_CONTAINS(out, "start");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s/x --days 1 --users 1 --seed 1 --bogus 2>&1",
			     bin, tmp), 2);
	CHECK_CONTAINS(out, "--bogus");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s/x --days 1 --users 1 --seed 1 extra 2>&1",
			     bin, tmp), 2);
	free(out);

	/* A store that cannot be created: the store's own error text, exit 1. */
	CHECK_EQ(tt_test_run(&out, "%s --store /dev/null/store --days 1 --users 1 --seed 1 2>&1",
			     bin), 1);
	CHECK_CONTAINS(out, "/dev/null/store: ");
	free(out);

	/* The summary. */
	CHECK_EQ(tt_test_run(&out, "%s --store %s/y --days 1 --users 1 --seed 1", bin, tmp), 0);
	CHECK_CONTAINS(out, "records");
	CHECK_CONTAINS(out, "typing");
	CHECK_CONTAINS(out, "bytes per record");
	free(out);
}
