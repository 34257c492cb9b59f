/* SPDX-License-Identifier: MIT */
/*
 * Routines: anchored cycles.
 *
 * A person who repeats a task goes round a cycle: the same steps, in
 * about the same order, again and again, with the odd slip (a stray
 * click, a field copied twice) and with loops inside (six fields copied
 * the same way). Exact repeats (a suffix array's maximal repeats) break
 * at every slip, and the loop inside the task is what repeats most: on
 * real recordings they report the loop body, not the task. So:
 *
 *  1. Every action is a symbol, "Ctrl+C in calc" or "Switch to mail",
 *     kept per user in segments cut at idle, lock, session and gap
 *     records and at pauses longer than the idle cut.
 *  2. Every n-gram of one or two symbols is a candidate anchor. Its
 *     non-overlapping occurrences cut each segment into cycles (from
 *     one occurrence to the next; before the first and after the last
 *     occurrence, the segment's head and tail).
 *  3. A cycle is in the band when its length (in actions) is within a
 *     quarter of the median cycle length of that anchor (and within the
 *     minimum and maximum length); an instance is a cycle in the band
 *     next to another one (a run). An anchor qualifies with at least
 *     min_occurrences instances when at least half of its cycles are
 *     instances (heads and tails count only when in the band).
 *  4. The qualifying anchor whose consistent cycles cover the most
 *     actions wins (ties: the longest median pause before the anchor,
 *     so that a cycle starts where the person paused between two
 *     instances); its consistent cycles are the routine's instances.
 *     Their spans are claimed, and the search goes on for the next
 *     anchor among cycles that touch nothing claimed (lazy greedy: the
 *     cover only shrinks as claims grow). A loop inside a routine
 *     (the field copied six times) lies inside claimed spans, so it is
 *     not reported as a routine of its own.
 *  5. Instances must share 70 % of their steps in order (LCS) with the
 *     most common instance, and so must the median instance: cycles of
 *     free work that came out about as long are not a routine.
 *  6. A routine's actions are its most common instance (its variants
 *     are counted); routines are ranked by occurrences × median
 *     duration.
 *
 * Cost: two passes over the sequence to index the anchors (a hash table
 * and one array of positions per n-gram length), one linear evaluation
 * per anchor (quickselect), and a re-evaluation per anchor and claim
 * round: O(n) time per routine found, plus the LCS check, bounded per
 * routine; 16 bytes per action plus 4 per occurrence of an anchor that
 * can qualify. Whether one can is known while counting (the median of
 * its cycle lengths, from how many are too short or too long), so an
 * anchor whose cycles are mostly shorter than the minimum length costs
 * no positions. One action repeated (or two alternating) is no routine:
 * its anchors' cycles are one or two actions long, a loop below the
 * minimum length, and a run of identical actions is not cut into
 * arbitrary "routines" of min_length copies; such input costs the
 * sequence alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mining/mine/mine-internal.h"

#define SYM(x) ((x) & ~MINE_SEG_START)
#define DEFAULT_MAX_LENGTH 512
#define MAX_ROUTINES 1000
#define MIN_IN_RUNS_PCT 50

struct anchor {
	uint64_t key;
	uint32_t count;		/* non-overlapping occurrences */
	uint32_t off;		/* first position in pos[] */
	uint32_t last;		/* while indexing: last accepted + 1 */
	/* while counting: the segment of the last occurrence, and the
	 * cycles between occurrences, too short and too long */
	uint32_t last_seg, cycles, short_cycles, long_cycles;
	uint32_t pause_ms;	/* median pause before it, once known */
	uint8_t len;
	bool dead;		/* cannot qualify: no positions kept */
	bool has_pause;
};

struct eval {
	uint64_t covered;	/* actions in consistent cycles */
	uint32_t pause_ms;	/* median pause before the anchor */
	uint32_t median;	/* median cycle length */
	size_t consistent, cycles;
	bool ok;
};

struct span {
	uint32_t s, e;		/* [s, e) in global positions */
};

struct finder {
	const struct mine_options *opts;
	struct mine_act *acts;		/* all users, concatenated */
	uint32_t n;
	uint32_t *seg;			/* segment starts, sorted */
	size_t n_seg;
	uint32_t *user_off;		/* first position of each user */
	size_t n_users;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	uint32_t *slots;
	size_t cap_slots;
	uint32_t *pos;
	uint32_t max_count;		/* occurrences of the largest anchor */
	uint32_t *scratch;		/* cycle lengths, then pauses (ms) */
	struct span *claims;
	size_t n_claims, cap_claims;
	unsigned min_len, max_len, min_occ;
};

#define HUGE_PAGE (2u << 20)

/*
 * Memory for the whole sequence, filled at once: in transparent huge
 * pages where the system gives them on request (madvise mode), so that
 * writing it costs a page fault per 2 MiB instead of one per 4 KiB.
 * The hint may fail: the memory is then as malloc's.
 */
static void *
huge_alloc(size_t size)
{
	void *p;

	if (size < HUGE_PAGE)
		return malloc(size);
	if (posix_memalign(&p, HUGE_PAGE, size) != 0)
		return NULL;
	(void)madvise(p, size & ~(size_t)(HUGE_PAGE - 1), MADV_HUGEPAGE);
	return p;
}

static uint64_t
anchor_hash(const void *ctx, size_t i)
{
	const struct finder *f = ctx;

	return mine_mix(f->anchors[i].key);
}

static struct anchor *
anchor_get(struct finder *f, uint64_t key, uint8_t len)
{
	if (mine_index_reserve(&f->slots, &f->cap_slots, f->n_anchors, 4096, anchor_hash,
			       f) < 0)
		return NULL;
	size_t j = mine_mix(key) & (f->cap_slots - 1);
	while (f->slots[j] != UINT32_MAX) {
		struct anchor *a = &f->anchors[f->slots[j]];
		if (a->key == key)
			return a;
		j = (j + 1) & (f->cap_slots - 1);
	}
	if (f->n_anchors == f->cap_anchors) {
		size_t cap = f->cap_anchors ? f->cap_anchors * 2 : 1024;
		struct anchor *a = realloc(f->anchors, cap * sizeof(*a));
		if (!a)
			return NULL;
		f->anchors = a;
		f->cap_anchors = cap;
	}
	struct anchor *a = &f->anchors[f->n_anchors];
	memset(a, 0, sizeof(*a));
	a->key = key;
	a->len = len;
	f->slots[j] = (uint32_t)f->n_anchors++;
	return a;
}

static uint64_t
key_at(const struct finder *f, uint32_t p, unsigned len)
{
	uint64_t s1 = SYM(f->acts[p].sym);

	if (len == 1)
		return s1;
	return (1ULL << 63) | (s1 << 31) | SYM(f->acts[p + 1].sym);
}

/* Can an n-gram of @p len start at @p p (inside one segment)? */
static bool
fits(const struct finder *f, uint32_t p, unsigned len)
{
	return len == 1 || (p + 1 < f->n && !(f->acts[p + 1].sym & MINE_SEG_START));
}

/*
 * Can anchor @p a never qualify? Its first evaluation (cycles(), with
 * nothing claimed) looks at the median length of its whole cycles, those
 * between two occurrences in one segment: outside [min_len, max_len],
 * the anchor is out, and an anchor out at first is never evaluated
 * again. The counts of short and long cycles decide that exactly,
 * without the lengths. One action repeated is such an anchor (cycles of
 * one or two actions): it costs no positions, so the worst case of a
 * repeat finder costs no more memory than the sequence.
 */
static bool
hopeless(const struct finder *f, const struct anchor *a)
{
	uint32_t nc = a->cycles, k = (nc - 1) / 2;	/* the median's rank */

	return a->count + 1 < f->min_occ || nc == 0 ||
	       a->short_cycles > k ||		/* median < min_len */
	       a->long_cycles >= nc - k;	/* median > max_len */
}

/*
 * Index every anchor: count its non-overlapping occurrences and the
 * lengths of the cycles between them, then list the occurrences of the
 * anchors that can qualify. Sets f->max_count. Returns 0 or -ENOMEM.
 */
static int
index_anchors(struct finder *f)
{
	size_t total = 0;

	for (unsigned len = 1; len <= 2; len++) {
		uint32_t sid = 0;	/* segment of p */
		for (uint32_t p = 0; p < f->n; p++) {
			sid += p && (f->acts[p].sym & MINE_SEG_START);
			if (!fits(f, p, len))
				continue;
			struct anchor *a = anchor_get(f, key_at(f, p, len), (uint8_t)len);
			if (!a)
				return -ENOMEM;
			if (a->count && p < a->last)
				continue;
			if (a->count && a->last_seg == sid) {
				uint32_t cl = p - (a->last - len);
				a->cycles++;
				a->short_cycles += cl < f->min_len;
				a->long_cycles += cl > f->max_len;
			}
			a->count++;
			a->last = p + len;
			a->last_seg = sid;
		}
	}
	f->max_count = 0;
	for (size_t i = 0; i < f->n_anchors; i++) {
		struct anchor *a = &f->anchors[i];
		a->dead = hopeless(f, a);
		if (a->dead)
			a->count = 0;
		a->off = (uint32_t)total;
		total += a->count;
		if (a->count > f->max_count)
			f->max_count = a->count;
		a->count = 0;
		a->last = 0;
	}
	f->pos = malloc((total ? total : 1) * sizeof(*f->pos));
	if (!f->pos)
		return -ENOMEM;
	for (unsigned len = 1; len <= 2; len++) {
		for (uint32_t p = 0; p < f->n; p++) {
			if (!fits(f, p, len))
				continue;
			struct anchor *a = anchor_get(f, key_at(f, p, len), (uint8_t)len);
			if (a->dead || (a->count && p < a->last))
				continue;
			f->pos[a->off + a->count++] = p;
			a->last = p + len;
		}
	}
	free(f->slots);
	f->slots = NULL;
	return 0;
}

/*
 * The segment that holds @p p: the index of the last segment start <= p,
 * searched from @p from on (a walk goes forward, mostly a few segments
 * at a time: galloping, then binary search).
 */
static size_t
seg_find(const struct finder *f, uint32_t p, size_t from)
{
	size_t lo = from, step = 1, hi;

	while (lo + step < f->n_seg && f->seg[lo + step] <= p) {
		lo += step;
		step *= 2;
	}
	hi = lo + step < f->n_seg ? lo + step : f->n_seg;
	while (lo + 1 < hi) {		/* seg[lo] <= p < seg[hi] */
		size_t mid = (lo + hi) / 2;
		if (f->seg[mid] <= p)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t
seg_end(const struct finder *f, size_t i)
{
	return i + 1 < f->n_seg ? f->seg[i + 1] : f->n;
}

/*
 * Does [s, e) touch a claimed span? Claims are disjoint and sorted, and a
 * walk asks in order: *cur is the first claim that may end after s.
 */
static bool
claimed(const struct finder *f, size_t *cur, uint32_t s, uint32_t e)
{
	size_t lo = *cur, step = 1, hi;

	if (lo < f->n_claims && f->claims[lo].e <= s) {
		while (lo + step < f->n_claims && f->claims[lo + step].e <= s) {
			lo += step;
			step *= 2;
		}
		/* claims[lo].e <= s; the first with e > s is in (lo, hi] */
		hi = lo + step < f->n_claims ? lo + step : f->n_claims;
		lo++;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (f->claims[mid].e <= s)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	*cur = lo;
	return lo < f->n_claims && f->claims[lo].s < e;
}

static uint32_t
select_kth(uint32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		uint32_t pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/*
 * Walk the cycles of anchor @p a that touch no claim, in two passes: the
 * first collects lengths and pauses, the second counts the consistent
 * cycles and hands each to @p fn (when not NULL). Fills @p ev.
 */
typedef int (*cycle_fn)(void *ctx, uint32_t s, uint32_t e);

struct walk {
	int pass;
	size_t nc;
	uint32_t lo, hi;
	size_t claim;		/* claimed()'s cursor */
	struct eval *ev;
	cycle_fn fn;
	void *ctx;
	/* pass 1: the cycle before, until the next one says if it is in a run */
	uint32_t prev_s, prev_e;
	bool prev_in, prev_emitted;
};

static int
emit(struct finder *f, struct walk *w, uint32_t s, uint32_t e)
{
	(void)f;
	w->ev->consistent++;
	w->ev->covered += e - s;
	return w->fn ? w->fn(w->ctx, s, e) : 0;
}

/*
 * One cycle [s, e). A partial one (a segment's head before the anchor's
 * first occurrence, its tail after the last) is a cut-off cycle: it
 * counts when it is in the band, and is left out of the median and of
 * the share of cycles in runs when it is not.
 */
static int
one_cycle(struct finder *f, struct walk *w, uint32_t s, uint32_t e, bool partial)
{
	uint32_t len = e - s;
	bool in;
	int rc;

	if (claimed(f, &w->claim, s, e))
		return 0;
	if (w->pass == 0) {
		if (!partial)
			f->scratch[w->nc++] = len;
		return 0;
	}
	in = len >= w->lo && len <= w->hi && len >= f->min_len && len <= f->max_len;
	if (!partial || in)
		w->nc++;
	/* An instance is a cycle in the band next to another one: a run of
	 * repetitions, not a length that came up by chance. */
	if (in && w->prev_in && w->prev_e == s) {
		if (!w->prev_emitted && (rc = emit(f, w, w->prev_s, w->prev_e)) < 0)
			return rc;
		if ((rc = emit(f, w, s, e)) < 0)
			return rc;
		w->prev_emitted = true;
	} else {
		w->prev_emitted = false;
	}
	w->prev_s = s;
	w->prev_e = e;
	w->prev_in = in;
	return 0;
}

static uint32_t
pause_before(const struct finder *f, uint32_t p)
{
	if (f->acts[p].sym & MINE_SEG_START)
		return UINT32_MAX;	/* the person came back here */
	const struct mine_act *prev = &f->acts[p - 1];
	uint64_t pe = prev->start_ns + (uint64_t)prev->dur_us * 1000;
	uint64_t gap = f->acts[p].start_ns > pe ? (f->acts[p].start_ns - pe) / 1000000 : 0;

	return gap >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)gap;
}

/*
 * The median pause before the occurrences of @p a: claims leave it
 * alone (it is over all of them), so it is worked out once, and only
 * for an anchor that qualifies (it breaks ties between those). Reading
 * the actions before each occurrence is a cache miss apiece.
 */
static uint32_t
anchor_pause(struct finder *f, struct anchor *a)
{
	const uint32_t *P = f->pos + a->off;

	if (!a->has_pause) {
		for (size_t k = 0; k < a->count; k++)
			f->scratch[k] = pause_before(f, P[k]);
		a->pause_ms = a->count ? select_kth(f->scratch, a->count,
						    (a->count - 1) / 2) : 0;
		a->has_pause = true;
	}
	return a->pause_ms;
}

static int
cycles(struct finder *f, struct anchor *a, struct eval *ev,
       cycle_fn fn, void *ctx)
{
	const uint32_t *P = f->pos + a->off;
	struct walk w = { .ev = ev, .fn = fn, .ctx = ctx };
	int rc;

	memset(ev, 0, sizeof(*ev));
	for (w.pass = 0; w.pass < 2; w.pass++) {
		uint32_t cur_end = 0;
		size_t si = 0;

		w.claim = 0;
		if (w.pass == 1) {
			if (w.nc == 0)
				return 0;
			ev->cycles = w.nc;
			ev->median = select_kth(f->scratch, w.nc, (w.nc - 1) / 2);
			if (ev->median < f->min_len || ev->median > f->max_len)
				return 0;
			w.lo = ev->median - ev->median / 4;
			w.hi = ev->median + ev->median / 4;
		}
		w.nc = 0;
		for (size_t k = 0; k < a->count; k++) {
			uint32_t p = P[k], e;

			if (k == 0 || p >= cur_end) {
				/* first occurrence in its segment: the head */
				si = seg_find(f, p, si);
				uint32_t s = f->seg[si];
				cur_end = seg_end(f, si);
				w.prev_in = false;
				if (p > s && (rc = one_cycle(f, &w, s, p, true)) < 0)
					return rc;
			}
			bool tail = !(k + 1 < a->count && P[k + 1] < cur_end);
			e = tail ? cur_end : P[k + 1];
			if ((rc = one_cycle(f, &w, p, e, tail)) < 0)
				return rc;
		}
	}
	ev->ok = ev->consistent >= f->min_occ &&
		 ev->consistent * 100 >= ev->cycles * MIN_IN_RUNS_PCT;
	if (ev->ok)
		ev->pause_ms = anchor_pause(f, a);
	return 0;
}

/* --- the lazy greedy choice --------------------------------------------- */

struct cand {
	uint64_t covered;
	uint32_t pause_ms;
	uint32_t anchor;
	size_t round;		/* claims round of the evaluation */
};

static bool
cand_better(const struct cand *x, const struct cand *y, const struct finder *f)
{
	if (x->covered != y->covered)
		return x->covered > y->covered;
	if (x->pause_ms != y->pause_ms)
		return x->pause_ms > y->pause_ms;
	return f->anchors[x->anchor].key < f->anchors[y->anchor].key;
}

static void
heap_down(struct cand *h, size_t n, size_t i, const struct finder *f)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && cand_better(&h[l], &h[m], f))
			m = l;
		if (l + 1 < n && cand_better(&h[l + 1], &h[m], f))
			m = l + 1;
		if (m == i)
			return;
		struct cand t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void
heap_up(struct cand *h, size_t i, const struct finder *f)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!cand_better(&h[i], &h[p], f))
			return;
		struct cand t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

/* --- building a routine ------------------------------------------------- */

struct inst {
	uint32_t s, e;
	uint64_t hash;
};

struct collect {
	struct finder *f;
	struct inst *v;
	size_t n, cap;
};

static int
collect_cycle(void *ctx, uint32_t s, uint32_t e)
{
	struct collect *c = ctx;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct inst *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uint32_t p = s; p < e; p++)
		h = mine_mix(h ^ SYM(c->f->acts[p].sym));
	c->v[c->n++] = (struct inst){ s, e, h ^ (e - s) };
	return 0;
}

static int
cmp_inst_hash(const void *pa, const void *pb)
{
	const struct inst *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->s < b->s ? -1 : a->s > b->s;
}

static int
cmp_inst_pos(const void *pa, const void *pb)
{
	const struct inst *a = pa, *b = pb;

	return a->s < b->s ? -1 : a->s > b->s;
}

static size_t
user_of(const struct finder *f, uint32_t p)
{
	size_t lo = 0, hi = f->n_users;

	while (lo < hi) {		/* last user whose offset <= p */
		size_t mid = (lo + hi) / 2;
		if (f->user_off[mid] <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

static int
cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	return a->s < b->s ? -1 : a->s > b->s;
}

/* Longest common subsequence of two step ranges, two rows of DP. */
static uint32_t
lcs(const struct finder *f, uint32_t as, uint32_t ae, uint32_t bs, uint32_t be,
    uint32_t *row)
{
	uint32_t n = be - bs, *prev = row, *cur = row + n + 1;

	memset(prev, 0, (n + 1) * sizeof(*prev));
	for (uint32_t i = as; i < ae; i++) {
		uint32_t si = SYM(f->acts[i].sym);
		cur[0] = 0;
		for (uint32_t j = 1; j <= n; j++) {
			if (si == SYM(f->acts[bs + j - 1].sym))
				cur[j] = prev[j - 1] + 1;
			else
				cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		}
		uint32_t *t = prev;
		prev = cur;
		cur = t;
	}
	return prev[n];
}

/*
 * Are the instances one routine, or cycles that came out about equally
 * long by chance (in free work, with several anchors, that happens)? The
 * instances of a routine share most of their steps in order: each one's
 * LCS with the most common instance, over the longer length, must reach
 * COHERENCE_PCT, or the instance is dropped; and the median over the
 * instances must reach it, or the whole candidate is. When comparing all
 * would cost too much (many long instances), the median is taken over
 * COHERENCE_SAMPLE instances spread over the list and none is dropped.
 */
#define COHERENCE_SAMPLE 32
#define COHERENCE_PCT 70
#define COHERENCE_BUDGET (1ULL << 31)	/* DP cells */

static bool
coherent(const struct finder *f, struct collect *c, uint32_t rs, uint32_t re)
{
	uint32_t rlen = re - rs, *row, *ratios;
	uint64_t cells = 0;
	size_t n, kept = 0;
	bool all, ok;

	for (size_t k = 0; k < c->n && cells <= COHERENCE_BUDGET; k++)
		cells += (uint64_t)(c->v[k].e - c->v[k].s) * rlen;
	all = cells <= COHERENCE_BUDGET;
	n = all ? c->n : (c->n < COHERENCE_SAMPLE ? c->n : COHERENCE_SAMPLE);
	row = malloc(2 * (rlen + 1) * sizeof(*row));
	ratios = malloc(n * sizeof(*ratios));
	if (!row || !ratios) {
		free(row);
		free(ratios);
		return true;	/* no verdict without memory: keep it */
	}
	for (size_t k = 0; k < n; k++) {
		const struct inst *in = &c->v[all ? k : k * c->n / n];
		uint32_t len = in->e - in->s, m = len > rlen ? len : rlen;
		ratios[k] = (uint32_t)(100ULL * lcs(f, in->s, in->e, rs, re, row) / m);
		if (all && ratios[k] >= COHERENCE_PCT)
			c->v[kept++] = *in;
	}
	if (all)
		c->n = kept;
	ok = select_kth(ratios, n, (n - 1) / 2) >= COHERENCE_PCT &&
	     c->n >= f->min_occ;
	free(row);
	free(ratios);
	return ok;
}

static int
make_routine(struct finder *f, const struct mine_seq *seq, struct collect *c,
	     struct mine_routine *out)
{
	struct mine_strings *str = seq->strings;
	uint64_t *durs;
	size_t best = 0, best_n = 0, variants = 0;

	memset(out, 0, sizeof(*out));
	/* the most common variant, and how many there are */
	qsort(c->v, c->n, sizeof(*c->v), cmp_inst_hash);
	for (size_t i = 0; i < c->n;) {
		size_t j = i;
		while (j < c->n && c->v[j].hash == c->v[i].hash)
			j++;
		variants++;
		if (j - i > best_n || (j - i == best_n && c->v[i].s < c->v[best].s)) {
			best = i;
			best_n = j - i;
		}
		i = j;
	}
	uint32_t bs = c->v[best].s, be = c->v[best].e;
	qsort(c->v, c->n, sizeof(*c->v), cmp_inst_pos);
	if (!coherent(f, c, bs, be))
		return 1;
	/* the variants among the instances kept */
	qsort(c->v, c->n, sizeof(*c->v), cmp_inst_hash);
	variants = 0;
	for (size_t i = 0; i < c->n; i++)
		variants += i == 0 || c->v[i].hash != c->v[i - 1].hash;
	qsort(c->v, c->n, sizeof(*c->v), cmp_inst_pos);

	out->n_actions = be - bs;
	out->actions = calloc(out->n_actions, sizeof(*out->actions));
	out->instances = calloc(c->n, sizeof(*out->instances));
	durs = calloc(c->n, sizeof(*durs));
	if (!out->actions || !out->instances || !durs) {
		free(durs);
		return -ENOMEM;
	}
	for (uint32_t p = bs; p < be; p++)
		out->actions[p - bs] = str->str[SYM(f->acts[p].sym)];
	bool *seen = calloc(f->n_users ? f->n_users : 1, sizeof(*seen));
	if (!seen) {
		free(durs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct mine_act *first = &f->acts[c->v[i].s];
		uint64_t end = first->start_ns;
		/* the last record's end: the latest end in the instance */
		for (uint32_t p = c->v[i].s; p < c->v[i].e; p++) {
			uint64_t e = f->acts[p].start_ns + (uint64_t)f->acts[p].dur_us * 1000;
			if (e > end)
				end = e;
		}
		size_t u = user_of(f, c->v[i].s);
		out->instances[i].user = str->str[seq->users[u].name];
		out->instances[i].start_ns = first->start_ns;
		out->instances[i].end_ns = end;
		durs[i] = end - first->start_ns;
		out->total_ns += durs[i];
		if (!seen[u]) {
			seen[u] = true;
			out->users++;
		}
	}
	free(seen);
	out->n_instances = out->occurrences = c->n;
	out->median_ns = mine_median_u64(durs, c->n);
	out->hours_saved = (double)out->occurrences * (double)out->median_ns / 3.6e12;
	out->variants = variants;
	free(durs);

	/* claim the instances' spans */
	if (f->n_claims + c->n > f->cap_claims) {
		size_t cap = (f->n_claims + c->n) * 2;
		struct span *s = realloc(f->claims, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		f->claims = s;
		f->cap_claims = cap;
	}
	for (size_t i = 0; i < c->n; i++)
		f->claims[f->n_claims++] = (struct span){ c->v[i].s, c->v[i].e };
	qsort(f->claims, f->n_claims, sizeof(*f->claims), cmp_span);
	return 0;
}

static int
cmp_routine(const void *pa, const void *pb)
{
	const struct mine_routine *a = pa, *b = pb;
	double x = (double)a->occurrences * (double)a->median_ns;
	double y = (double)b->occurrences * (double)b->median_ns;

	if (x != y)
		return x > y ? -1 : 1;
	if (a->occurrences != b->occurrences)
		return a->occurrences > b->occurrences ? -1 : 1;
	if (a->n_instances && b->n_instances &&
	    a->instances[0].start_ns != b->instances[0].start_ns)
		return a->instances[0].start_ns < b->instances[0].start_ns ? -1 : 1;
	return 0;
}

static const char method[] =
	"anchored cycles: per user, segments cut at idle, lock, session and "
	"pauses over the idle cut; the 1- or 2-action anchor whose consistent "
	"cycles (length within 25% of the median) cover the most actions, "
	"greedily, non-overlapping";

int
mine_routines(struct mine_seq *seq, const struct mine_options *opts,
	      struct mine_result *r)
{
	struct finder f;
	struct cand *heap = NULL;
	size_t n_heap = 0, total = 0, round = 0, max_routines;
	struct collect col = { .f = &f };
	int rc = 0;

	memset(&f, 0, sizeof(f));
	r->method = method;
	f.opts = opts;
	f.min_len = opts->min_length ? opts->min_length : 1;
	f.max_len = opts->max_length ? opts->max_length : DEFAULT_MAX_LENGTH;
	f.min_occ = opts->min_occurrences ? opts->min_occurrences : 1;
	max_routines = opts->max_routines ? opts->max_routines : MAX_ROUTINES;

	for (size_t u = 0; u < seq->n_users; u++)
		total += seq->users[u].n;
	if (total >= UINT32_MAX) {
		/* positions are 32-bit: mine the first 4 G actions */
		total = UINT32_MAX - 1;
	}
	f.n_users = seq->n_users;
	f.user_off = calloc(seq->n_users ? seq->n_users : 1, sizeof(*f.user_off));
	if (seq->n_users == 1 && seq->users[0].n == total && total) {
		/* one user: the sequence as it is, no copy */
		f.acts = seq->users[0].a;
		f.n = (uint32_t)total;
		seq->users[0].a = NULL;
		seq->users[0].n = seq->users[0].cap = 0;
		f.acts[0].sym |= MINE_SEG_START;
	} else {
		f.acts = huge_alloc((total ? total : 1) * sizeof(*f.acts));
	}
	if (!f.user_off || !f.acts) {
		rc = -ENOMEM;
		goto out;
	}
	/* concatenate, freeing each user's array as it is copied */
	for (size_t u = 0; u < seq->n_users && f.n < total; u++) {
		struct mine_useq *s = &seq->users[u];
		size_t n = s->n < total - f.n ? s->n : total - f.n;
		f.user_off[u] = f.n;
		if (n)
			memcpy(f.acts + f.n, s->a, n * sizeof(*s->a));
		if (n)
			f.acts[f.n].sym |= MINE_SEG_START;
		f.n += (uint32_t)n;
		free(s->a);
		s->a = NULL;
		s->n = s->cap = 0;
	}
	for (uint32_t p = 0; p < f.n; p++)
		f.n_seg += !!(f.acts[p].sym & MINE_SEG_START);
	f.seg = malloc((f.n_seg ? f.n_seg : 1) * sizeof(*f.seg));
	if (!f.seg) {
		rc = -ENOMEM;
		goto out;
	}
	f.n_seg = 0;
	for (uint32_t p = 0; p < f.n; p++)
		if (f.acts[p].sym & MINE_SEG_START)
			f.seg[f.n_seg++] = p;
	if (f.n == 0)
		goto out;
	rc = index_anchors(&f);
	if (rc < 0)
		goto out;
	/* a walk keeps one length or one pause per occurrence */
	f.scratch = malloc((f.max_count ? f.max_count : 1) * sizeof(*f.scratch));
	if (!f.scratch) {
		rc = -ENOMEM;
		goto out;
	}

	/* every anchor once, unclaimed: the heap's upper bounds */
	heap = malloc((f.n_anchors ? f.n_anchors : 1) * sizeof(*heap));
	if (!heap) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < f.n_anchors; i++) {
		struct eval ev;
		if (f.anchors[i].dead)
			continue;
		rc = cycles(&f, &f.anchors[i], &ev, NULL, NULL);
		if (rc < 0)
			goto out;
		if (!ev.ok)
			continue;
		heap[n_heap] = (struct cand){ ev.covered, ev.pause_ms, (uint32_t)i, 0 };
		heap_up(heap, n_heap++, &f);
	}
	while (n_heap && r->n_routines < max_routines) {
		struct cand top = heap[0];
		struct eval ev;

		if (top.round != round) {
			rc = cycles(&f, &f.anchors[top.anchor], &ev, NULL, NULL);
			if (rc < 0)
				goto out;
			heap[0] = heap[--n_heap];
			heap_down(heap, n_heap, 0, &f);
			if (ev.ok) {
				heap[n_heap] = (struct cand){ ev.covered, ev.pause_ms,
							      top.anchor, round };
				heap_up(heap, n_heap++, &f);
			}
			continue;
		}
		heap[0] = heap[--n_heap];
		heap_down(heap, n_heap, 0, &f);
		col.n = 0;
		rc = cycles(&f, &f.anchors[top.anchor], &ev, collect_cycle, &col);
		if (rc < 0)
			goto out;
		if (col.n == 0)
			continue;
		if (r->n_routines % 16 == 0) {
			struct mine_routine *v = realloc(r->routines,
				(r->n_routines + 16) * sizeof(*v));
			if (!v) {
				rc = -ENOMEM;
				goto out;
			}
			r->routines = v;
		}
		rc = make_routine(&f, seq, &col, &r->routines[r->n_routines]);
		if (rc == 1)
			continue;	/* not one routine: the anchor is dropped */
		r->n_routines++;
		if (rc < 0)
			goto out;
		round++;
	}
	if (r->n_routines)
		qsort(r->routines, r->n_routines, sizeof(*r->routines), cmp_routine);
out:
	free(col.v);
	free(heap);
	free(f.acts);
	free(f.user_off);
	free(f.seg);
	free(f.anchors);
	free(f.slots);
	free(f.pos);
	free(f.scratch);
	free(f.claims);
	return rc;
}
