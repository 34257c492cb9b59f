/* SPDX-License-Identifier: MIT */
/*
 * The export stage (mining/export/): the driver that walks the store,
 * turns records into actions (mining/actions.c) and hands them to a
 * format's writer (csv.c, xes.c, ocel.c, jsonl.c), one per file. The
 * commands that run it (`tasktrace export`, `export-scheduled`) are
 * admin/cmd-export.c; this stage calls nothing of theirs.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/clock.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

#include "tasktrace/config.h"
#include "tasktrace/timefmt.h"

#include "mining/export/export.h"
#include "mining/pseudo.h"
#include "mining/source.h"
#include "mining/tool.h"

#define DEFAULT_GROUP "tasktrace"
#define DAY_NS (86400ULL * 1000000000ULL)
#define MAX_USERS 4096

volatile sig_atomic_t export_interrupted;

static const struct export_format *const formats[] = {
	&export_csv, &export_xes, &export_ocel, &export_jsonl,
};

const struct export_format *
export_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

/* --- progress ---------------------------------------------------------- */

struct progress {
	bool on;
	uint64_t started, last;
	bool shown;
};

static void
progress_tick(struct progress *p, const struct export_input *in,
	      const struct export_stats *st)
{
	uint64_t t = tt_mono_ns();
	double secs;

	if (!p->on || t - p->last < 250000000ULL)
		return;
	p->last = t;
	secs = (double)(t - p->started) / 1e9;
	fprintf(stderr, "\rexport: %" PRIu64 " records, %" PRIu64 " actions, "
		"%.1f MB, %.0f records/s",
		st->records, st->actions, (double)st->bytes / 1e6,
		secs > 0 ? (double)st->records / secs : 0.0);
	if (in->progress)
		fprintf(stderr, ", %.0f%%", 100.0 * in->progress(in->ctx));
	fputs("\033[K", stderr);
	p->shown = true;
}

static void
progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

/* --- the stream -------------------------------------------------------- */

static int
walk(struct export_ctx *x, uint32_t uid, struct export_stats *st,
     struct progress *prog)
{
	const struct export_input *in = x->input;
	struct tt_record r;
	struct action a;
	int rc;

	rc = in->open(in->ctx, uid);
	if (rc < 0)
		return rc;
	while ((rc = in->next(in->ctx, &r)) > 0) {
		if (export_interrupted) {
			rc = -EINTR;
			break;
		}
		st->records++;
		rc = actions_feed(x->actions, &r, &a);
		if (rc < 0)
			break;
		if (rc > 0) {
			st->actions++;
			rc = x->format->action(x, &a);
			if (rc < 0)
				break;
		}
		if ((st->records & 0xffff) == 0) {
			st->bytes = x->out->bytes;
			progress_tick(prog, in, st);
		}
	}
	in->close(in->ctx);
	return rc;
}

int
export_stream(const struct export_format *format, struct output *out,
	      const struct export_input *input,
	      const struct actions_source *names,
	      const struct actions_options *aopts, bool progress,
	      struct export_stats *stats)
{
	struct export_ctx x = {
		.out = out, .format = format, .names = names, .input = input,
	};
	struct progress prog = { .on = progress };
	uint32_t *uids = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	prog.started = prog.last = tt_mono_ns();
	rc = actions_new(&x.actions, aopts, names);
	if (rc < 0)
		return rc;
	rc = format->begin(&x);
	if (rc < 0)
		goto out;
	if (!format->by_user) {
		rc = walk(&x, TT_UID_NONE, stats, &prog);
	} else {
		uids = calloc(MAX_USERS, sizeof(*uids));
		rc = uids ? input->users(input->ctx, uids, MAX_USERS) : -ENOMEM;
		for (int i = 0, n = rc; rc >= 0 && i < n; i++)
			rc = walk(&x, uids[i], stats, &prog);
	}
	if (rc < 0)
		goto out;
	rc = format->end(&x);
out:
	format->destroy(&x);
	stats->bytes = out->bytes;
	progress_done(&prog);
	actions_free(x.actions);
	free(uids);
	fmt_buf_free(&x.line);
	fmt_buf_free(&x.clean);
	return rc < 0 ? rc : 0;
}

/* --- the store as an input --------------------------------------------- */

/* Records between drops of the store map's pages (source.h). */
#define DROP_EVERY (1u << 18)	/* records between drops */

struct store_input {
	struct map_range map;
	uint64_t since_drop;
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	uint32_t only_uid;		/* --user, or TT_UID_NONE */
	uint64_t first_ns, last_ns, at_ns;
	struct actions_strings strings;
};

static int
si_open(void *ctx, uint32_t uid)
{
	struct store_input *si = ctx;
	struct tt_query q = si->q;

	q.uid = uid != TT_UID_NONE ? uid : si->only_uid;
	si->at_ns = si->first_ns;
	return tt_cursor_open(si->rd, &q, &si->cur);
}

static int
si_next(void *ctx, struct tt_record *r)
{
	struct store_input *si = ctx;
	int rc = tt_cursor_next(si->cur, r);

	if (rc > 0)
		si->at_ns = r->time_ns;
	if (si->map.len && ++si->since_drop == DROP_EVERY) {
		madvise(si->map.start, si->map.len, MADV_DONTNEED);
		si->since_drop = 0;
	}
	return rc;
}

static void
si_close(void *ctx)
{
	struct store_input *si = ctx;

	if (si->cur)
		tt_cursor_close(si->cur);
	si->cur = NULL;
}

static double
si_progress(void *ctx)
{
	struct store_input *si = ctx;

	if (si->last_ns <= si->first_ns || si->at_ns < si->first_ns)
		return 0;
	return (double)(si->at_ns - si->first_ns) /
	       (double)(si->last_ns - si->first_ns);
}

struct uid_list {
	uint32_t *uids;
	size_t n, max;
};

static int
collect_uid(void *ctx, const struct tt_session_info *s)
{
	struct uid_list *l = ctx;

	for (size_t i = 0; i < l->n; i++)
		if (l->uids[i] == s->uid)
			return 0;
	if (l->n == l->max)
		return -E2BIG;
	l->uids[l->n++] = s->uid;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
si_users(void *ctx, uint32_t *uids, size_t max)
{
	struct store_input *si = ctx;
	struct uid_list l = { uids, 0, max };
	int rc;

	if (si->only_uid != TT_UID_NONE) {
		uids[0] = si->only_uid;
		return 1;
	}
	rc = tt_reader_sessions(si->rd, collect_uid, &l);
	if (rc < 0)
		return rc;
	qsort(uids, l.n, sizeof(*uids), cmp_u32);
	return (int)l.n;
}

static int
si_device(void *ctx, uint32_t id, struct tt_device_info *out)
{
	struct store_input *si = ctx;

	return tt_reader_device(si->rd, id, out);
}

static int
si_string(void *ctx, uint32_t id, const char **s, size_t *len)
{
	struct store_input *si = ctx;

	return actions_string_cached(&si->strings, si->rd, id, s, len);
}

static int
si_session(void *ctx, uint32_t id, struct tt_session_info *out)
{
	struct store_input *si = ctx;
	int rc = tt_reader_session(si->rd, id, out);

	return rc > 0 ? -rc : rc;
}

int
export_run(const struct export_options *o, struct export_stats *stats,
	   char *err, size_t errlen)
{
	const struct export_format *format = export_format_find(o->format);
	struct tt_store *store = NULL;
	struct store_input *si = NULL;
	struct tt_store_stat st;
	struct pseudo *pseudo = NULL;
	struct output out = { .fd = -1 };
	bool out_open = false;
	int rc, code = TT_EXIT_FAIL;

	memset(stats, 0, sizeof(*stats));
	if (!format) {
		snprintf(err, errlen, "unknown format '%s'", o->format);
		return TT_EXIT_USAGE;
	}
	si = calloc(1, sizeof(*si));
	if (!si)
		goto nomem;
	code = source_open(o->store_dir, o->pseudonymize, o->secret, &pseudo,
				 &store, &si->rd, &st, err, errlen);
	if (code != TT_EXIT_OK)
		goto out;
	code = TT_EXIT_FAIL;
	source_find_map(o->store_dir, &si->map);
	tt_query_init(&si->q);
	si->q.since_ns = o->since_ns;
	si->q.until_ns = o->until_ns;
	si->only_uid = TT_UID_NONE;
	si->first_ns = o->since_ns > st.first_ns ? o->since_ns : st.first_ns;
	si->last_ns = o->until_ns && o->until_ns < st.last_ns ? o->until_ns : st.last_ns;
	if (o->user) {
		rc = source_find_user(si->rd, o->user, pseudo, &si->only_uid);
		if (rc < 0) {
			snprintf(err, errlen, "%s: %s", o->store_dir, tt_strerror(rc));
			code = tool_exit_code(rc);
			goto out;
		}
		if (rc == 0) {
			snprintf(err, errlen, "no user '%s' in the store", o->user);
			goto out;
		}
	}

	rc = output_open(&out, o->output);
	if (rc < 0) {
		snprintf(err, errlen, "cannot write %s: %s", o->output, output_strerror(&out, rc));
		code = tool_output_exit_code(rc);
		goto out;
	}
	out_open = true;

	struct export_input in = {
		.open = si_open, .next = si_next, .close = si_close,
		.users = si_users, .device = si_device, .progress = si_progress,
		.ctx = si,
	};
	struct actions_source names = {
		.string = si_string, .session = si_session, .ctx = si,
	};
	struct actions_options aopts = {
		.case_mode = o->case_mode, .idle_gap_ns = o->idle_gap_ns,
		.pseudo = pseudo, .host = st.host_id,
		.activity_element = o->activity_element,
	};
	rc = export_stream(format, &out, &in, &names, &aopts, o->progress, stats);
	if (rc < 0) {
		if (rc == -EINTR) {
			snprintf(err, errlen, "interrupted; nothing written");
			code = TT_EXIT_FAIL;
		} else if (rc == out.err) {
			snprintf(err, errlen, "writing %s: %s", o->output, strerror(-rc));
			code = tool_output_exit_code(rc);
		} else {
			snprintf(err, errlen, "%s: %s", o->store_dir, tt_strerror(rc));
			code = tool_exit_code(rc);
		}
		goto out;
	}
	out_open = false;
	rc = output_commit(&out, o->mode, o->gid);
	if (rc < 0) {
		snprintf(err, errlen, "writing %s: %s", o->output, strerror(-rc));
		code = tool_output_exit_code(rc);
		goto out;
	}
	code = TT_EXIT_OK;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
out:
	if (out_open)
		output_abort(&out);
	source_close(pseudo, store, si ? si->rd : NULL);
	free(si);
	return code;
}

