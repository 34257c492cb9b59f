/* SPDX-License-Identifier: MIT */
/*
 * Element benchmark (issue 18, item 7, the tracer's side):
 *
 *  1. the tracer's cost per element report: parse the packet, bind it to
 *     the focused window, apply the [elements] policy (with a redact
 *     pattern, as a site would have), intern the string in a real store
 *     and hand it to the interpreter — what tracer/focus.c does per
 *     ELEMENT — in ns per report, best of 5 runs of 200 000 reports over
 *     60 distinct elements (people return to the same controls);
 *  2. store bytes per record before and after: the records of the
 *     checked-in workload store (tests/golden/stores/workload, 18 177
 *     records of tasktrace-workload) encoded as blocks with no element
 *     (schema 2's content) and with an element on every action, a new
 *     one at 70 % of clicks, keys and bursts, from a pool of 40 per
 *     application (ids > 127: two-byte varints). Target: ≤ +10 %.
 *
 * Prints one figure per line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "element-policy.h"
#include "interp.h"
#include "tasktrace/codec.h"
#include "tasktrace/config.h"
#include "tasktrace/element.h"
#include "tasktrace/error.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/store.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, int rc)
{
	fprintf(stderr, "bench-element: %s: %s\n", what, tt_strerror(rc));
	exit(1);
}

static void
sink_emit(void *data, const struct tt_record *r)
{
	(void)r;
	++*(uint64_t *)data;
}

static uint32_t
sink_intern(void *data, const char *s, size_t len)
{
	(void)data;
	(void)s;
	return (uint32_t)len;
}

static void
bench_reports(const char *tmp)
{
	enum { N = 200000, DISTINCT = 60 };
	static const char *const roles[] = { "push button", "text", "menu item", "page tab",
					     "check box", "password text", "table cell" };
	uint8_t (*pkt)[TT_FOCUS_MSG_MAX] = malloc(DISTINCT * sizeof(*pkt));
	int len[DISTINCT];
	struct tt_config cfg;
	struct tt_store *s;
	struct interp *it;
	struct interp_keymap *km = malloc(sizeof(*km));
	uint64_t emitted = 0;
	struct interp_sink sink = { sink_emit, sink_intern, &emitted };
	struct interp_event focus = { .type = INTERP_EV_FOCUS, .usec = 1 };
	char dir[4200];
	double best = 1e9;
	const char *conf = "[privacy]\nredact = [0-9]{6,}\n";
	int rc;

	if (tt_config_load_buffer(&cfg, "bench", conf, strlen(conf), NULL, NULL) != 0)
		die("config", -22);
	snprintf(dir, sizeof(dir), "%s/store", tmp);
	if ((rc = tt_store_open(&s, dir, TT_STORE_CREATE, NULL)))
		die(dir, rc);
	keymap_init_physical(km);
	if (interp_new(&it, NULL, km, &sink, 1))
		die("interp", -12);
	focus.u.focus.app = 1;
	interp_process(it, &focus, 1);
	for (int i = 0; i < DISTINCT; i++) {
		struct tt_focus_msg m;
		char name[64];

		tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, roles[i % 7], strlen(roles[i % 7]));
		snprintf(name, sizeof(name), "Control number %d of the form 1234567", i);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_NAME, name, strlen(name));
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, "gedit", 5);
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, 0x1200004);
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_PID, 4242);
		len[i] = tt_focus_encode(&m, pkt[i], sizeof(pkt[i]));
	}
	for (int run = 0; run < 5; run++) {
		double t0 = now();

		for (int i = 0; i < N; i++) {
			struct tt_focus_msg m;
			struct interp_event ev = { .type = INTERP_EV_ELEMENT };
			char str[TT_ELEMENT_STR_MAX];
			uint32_t id = 0;
			bool secret;
			size_t n;
			int k = i % DISTINCT;

			if (tt_focus_parse(pkt[k], (size_t)len[k], &m) != 0 ||
			    !element_bound(&m, true, 0x1200004))
				die("parse", -22);
			n = element_policy(&cfg, &m, str, sizeof(str), &secret);
			if (n && (rc = tt_store_intern(s, str, n, &id)))
				die("intern", rc);
			ev.usec = 2 + (uint64_t)i;
			ev.u.element.element = id;
			ev.u.element.secret = secret;
			interp_process(it, &ev, 1);
		}
		double dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	printf("tracer per element report: %.0f ns (parse, bind, policy with a redact "
	       "pattern, intern in a real store, interpreter; best of 5 x %d)\n",
	       best / N * 1e9, N);
	printf("  at the default [collector] rate_limit of 50 reports/s: %.4f %% of a core\n",
	       best / N * 50 * 100);
	interp_destroy(it);
	tt_store_close(s);
	tt_config_free(&cfg);
	free(km);
	free(pkt);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t
encoded_bytes(const struct tt_record *recs, size_t n)
{
	struct tt_block_enc *enc = malloc(sizeof(*enc));
	uint64_t total = 0;
	int rc;

	tt_block_enc_init(enc);
	for (size_t i = 0; i < n; i++) {
		if (tt_block_enc_full(enc)) {
			total += enc->len;
			tt_block_enc_init(enc);
		}
		if ((rc = tt_block_enc_add(enc, &recs[i])))
			die("encode", rc);
	}
	total += enc->len;
	free(enc);
	return total;
}

static void
bench_bytes(const char *tmp, const char *top)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *c;
	struct tt_query q;
	struct tt_store_stat st;
	struct tt_record *recs;
	char dir[4200], cmd[8600];
	size_t n = 0, actions = 0;
	uint64_t before, after;
	uint32_t cur = 0;
	int rc;

	snprintf(dir, sizeof(dir), "%s/wl", tmp);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp %s/tests/golden/stores/workload/data.mdb %s/",
		 dir, top, dir);
	if (system(cmd) != 0)
		die("copy the workload store", -5);
	if ((rc = tt_store_open(&s, dir, TT_STORE_RDONLY, NULL)))
		die(dir, rc);
	tt_reader_open(s, &rd);
	tt_reader_stat(rd, &st);
	recs = malloc((st.records + 1) * sizeof(*recs));
	tt_query_init(&q);
	tt_cursor_open(rd, &q, &c);
	while (tt_cursor_next(c, &recs[n]) == 1)
		n++;
	tt_cursor_close(c);
	tt_reader_close(rd);
	tt_store_close(s);

	before = encoded_bytes(recs, n);
	for (size_t i = 0; i < n; i++) {
		struct tt_record *r = &recs[i];

		if (r->kind == TT_KIND_FOCUS)
			cur = 0;	/* a new window: no element yet */
		else if ((r->kind == TT_KIND_BUTTON || r->kind == TT_KIND_KEY ||
			  r->kind == TT_KIND_TYPING) && (cur == 0 || rnd() % 10 < 7))
			cur = 1000 + r->app * 40 + (uint32_t)(rnd() % 40);
		r->element = cur;
		actions += r->kind == TT_KIND_BUTTON || r->kind == TT_KIND_KEY ||
			   r->kind == TT_KIND_TYPING || r->kind == TT_KIND_SCROLL;
	}
	after = encoded_bytes(recs, n);
	printf("store blocks, %zu workload records (%zu actions): %.2f bytes/record without "
	       "elements, %.2f with (%+.1f %%; target <= +10 %%: %s)\n",
	       n, actions, (double)before / n, (double)after / n,
	       100.0 * ((double)after - (double)before) / (double)before,
	       after <= before * 1.10 ? "met" : "MISSED");
	free(recs);
}

int
main(void)
{
	char tmp[] = "/tmp/bench-element.XXXXXX", cmd[64];
	const char *top = getenv("TT_TOP");

	if (!mkdtemp(tmp))
		return 1;
	bench_reports(tmp);
	bench_bytes(tmp, top ? top : ".");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) == 0 ? 0 : 1;
}
