/* SPDX-License-Identifier: MIT */
/*
 * Interpreter + store ingest throughput, on a realistic stream of
 * normalised events: pointer gestures from a 1 kHz mouse (most of the
 * events, as in real use), clicks and double clicks, wheel scrolling,
 * typing bursts with shortcuts and navigation keys, focus changes, the
 * odd idle period. The stream is generated on the fly (deterministic), so
 * memory is the interpreter's and the store's own.
 *
 * Prints plain "name: value" lines. Targets (DESIGN.md): >= 1,000,000
 * events/s on one core, peak RSS < 8 MiB after 10 M events.
 *
 * Usage: bench-interp [EVENTS] (default 10,000,000)
 */
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "interp.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

#define BATCH 1024

struct gen {
	uint64_t rng;
	uint64_t now;		/* usec */
	uint32_t apps[8];
	/* the segment being generated */
	int kind;
	int left;
	int step;
};

static uint32_t
rnd(struct gen *g, uint32_t n)
{
	/* xorshift64* */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (uint32_t)((g->rng * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

static const uint16_t text_keys[] = {
	KEY_A, KEY_S, KEY_D, KEY_F, KEY_J, KEY_K, KEY_L, KEY_E, KEY_R, KEY_T,
	KEY_I, KEY_O, KEY_N, KEY_SPACE, KEY_SPACE, KEY_DOT, KEY_COMMA, KEY_1,
	KEY_BACKSPACE, KEY_ENTER,
};

/* Fill @ev with up to @max events; returns how many. */
static size_t
generate(struct gen *g, struct interp_event *ev, size_t max)
{
	size_t n = 0;

#define PUT(...) do { ev[n] = (struct interp_event){ __VA_ARGS__ }; ev[n].usec = g->now; n++; } while (0)
	while (n + 8 <= max) {
		if (g->left == 0) {
			uint32_t r = rnd(g, 100);

			g->now += 200000 + rnd(g, 2000000);	/* a pause */
			if (r < 1 && rnd(g, 20) == 0)
				g->now += 360000000;		/* idle */
			g->kind = r < 55 ? 0 : r < 75 ? 1 : r < 85 ? 2 : r < 97 ? 3 : 4;
			g->left = g->kind == 0 ? 50 + (int)rnd(g, 400) :
				  g->kind == 1 ? 1 + (int)rnd(g, 2) :
				  g->kind == 2 ? 3 + (int)rnd(g, 20) :
				  g->kind == 3 ? 10 + (int)rnd(g, 60) : 1;
		}
		switch (g->kind) {
		case 0:	/* pointer gesture, 1 kHz */
			g->now += 1000;
			PUT(.type = INTERP_EV_MOTION, .device = 2,
			    .u.motion = { (double)rnd(g, 9) - 4, (double)rnd(g, 9) - 4 });
			break;
		case 1:	/* a click (double clicks happen: 1-2 per segment) */
			PUT(.type = INTERP_EV_BUTTON, .device = 2,
			    .u.button = { BTN_LEFT, 1 });
			g->now += 60000 + rnd(g, 60000);
			PUT(.type = INTERP_EV_BUTTON, .device = 2,
			    .u.button = { BTN_LEFT, 0 });
			g->now += 100000;
			break;
		case 2:	/* wheel */
			g->now += 15000 + rnd(g, 30000);
			PUT(.type = INTERP_EV_AXIS, .device = 2,
			    .u.axis = { 120, TT_AXIS_VERTICAL, TT_SCROLL_WHEEL });
			break;
		case 3: {	/* typing, some shortcuts and navigation */
			uint32_t r = rnd(g, 40);

			g->now += 60000 + rnd(g, 180000);
			if (r == 0) {
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { KEY_LEFTCTRL, 1 });
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { KEY_C, 1 });
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { KEY_C, 0 });
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { KEY_LEFTCTRL, 0 });
			} else if (r == 1) {
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { KEY_DOWN, 1 });
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { KEY_DOWN, 0 });
			} else {
				uint16_t k = text_keys[rnd(g, sizeof(text_keys) / sizeof(text_keys[0]))];

				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { k, 1 });
				g->now += 30000 + rnd(g, 50000);
				PUT(.type = INTERP_EV_KEY, .device = 1, .u.key = { k, 0 });
			}
			break;
		}
		case 4:	/* focus change */
			PUT(.type = INTERP_EV_FOCUS,
			    .u.focus = { .app = g->apps[rnd(g, 8)], .title = g->apps[rnd(g, 8)] });
			break;
		}
		g->left--;
	}
#undef PUT
	return n;
}

struct sink_ctx {
	struct tt_store *store;
	uint64_t records;
	int err;
};

static void
emit_store(void *data, const struct tt_record *r)
{
	struct sink_ctx *c = data;
	int rc = tt_store_append(c->store, r);

	if (rc && !c->err)
		c->err = rc;
	c->records++;
}

static void
emit_count(void *data, const struct tt_record *r)
{
	struct sink_ctx *c = data;

	(void)r;
	c->records++;
}

static uint32_t
intern_store(void *data, const char *s, size_t len)
{
	struct sink_ctx *c = data;
	uint32_t id = 0;

	if (c->store)
		tt_store_intern(c->store, s, len, &id);
	return id ? id : 1;
}

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run @events through the interpreter into @store (or nowhere). */
static int
run(struct tt_store *store, uint64_t events, const char *label)
{
	static struct interp_event buf[BATCH];
	struct sink_ctx ctx = { .store = store };
	struct interp_sink sink = {
		.emit = store ? emit_store : emit_count,
		.intern = intern_store,
		.data = &ctx,
	};
	struct interp_keymap *km = malloc(sizeof(*km));
	struct gen g = { .rng = 0x9e3779b97f4a7c15ULL, .now = 1000000 };
	struct interp *it;
	struct interp_event sess = { .type = INTERP_EV_SESSION, .usec = 1000000 };
	uint64_t done = 0;
	double c0, w0, cpu, wall;

	if (!km)
		return 1;
	keymap_init_physical(km);
	if (interp_new(&it, NULL, km, &sink, 1) != 0)
		return 1;
	free(km);
	interp_set_clock_offset(it, 1795651200000000000LL);
	for (int i = 0; i < 8; i++) {
		char name[32];

		snprintf(name, sizeof(name), "app-%d", i);
		g.apps[i] = intern_store(&ctx, name, strlen(name));
	}
	sess.u.session.session = 1;
	sess.u.session.uid = 1000;
	sess.u.session.state = INTERP_SESSION_ACTIVE;
	interp_process(it, &sess, 1);

	c0 = cpu_seconds();
	w0 = wall_seconds();
	while (done < events) {
		size_t n = generate(&g, buf, BATCH);
		uint64_t deadline;

		if (n > events - done)
			n = (size_t)(events - done);
		/* deliver the deadlines that fall before this batch, as the
		 * daemon's timer would */
		deadline = interp_process(it, buf, n);
		if (deadline != INTERP_NEVER && deadline < g.now) {
			struct interp_event t = { .type = INTERP_EV_TIMEOUT, .usec = deadline };

			interp_process(it, &t, 1);
		}
		done += n;
	}
	interp_flush(it, g.now);
	if (store && tt_store_commit(store) != 0)
		return 1;
	cpu = cpu_seconds() - c0;
	wall = wall_seconds() - w0;
	interp_destroy(it);
	if (ctx.err) {
		fprintf(stderr, "store: %s\n", tt_strerror(ctx.err));
		return 1;
	}
	printf("%s events: %llu\n", label, (unsigned long long)done);
	printf("%s records: %llu (%.1f events per record)\n", label,
	       (unsigned long long)ctx.records, (double)done / (double)ctx.records);
	printf("%s virtual time: %.1f h\n", label, (double)(g.now - 1000000) / 3600e6);
	printf("%s cpu: %.3f s, wall: %.3f s\n", label, cpu, wall);
	printf("%s throughput: %.0f events/s (cpu), %.0f events/s (wall), "
	       "target >= 1000000\n", label, (double)done / cpu, (double)done / wall);
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
	char dir[] = "/tmp/bench-interp-XXXXXX";
	char path[64];
	struct tt_store *store;
	struct rusage ru;
	struct stat st;
	int rc;

	if (run(NULL, events, "interp-only"))
		return 1;
	if (!mkdtemp(dir))
		return 1;
	rc = tt_store_open(&store, dir, TT_STORE_CREATE, NULL);
	if (rc) {
		fprintf(stderr, "%s: %s\n", dir, tt_strerror(rc));
		return 1;
	}
	if (run(store, events, "interp+store"))
		return 1;
	tt_store_close(store);
	getrusage(RUSAGE_SELF, &ru);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (stat(path, &st) == 0)
		printf("store file: %lld bytes\n", (long long)st.st_size);
	printf("peak RSS: %.2f MiB after %llu events (x2 runs), target < 8 MiB\n",
	       (double)ru.ru_maxrss / 1024.0, (unsigned long long)events);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return 0;
}
