/* SPDX-License-Identifier: MIT */
/*
 * Task types: "burst co-occurrence segmentation and clustering".
 *
 * The question is which steps belong to the same kind of work. Steps of
 * one task type occur in the same instances, near each other, every
 * time; steps of two types meet only where an instance of one happens to
 * follow an instance of the other. So, over every person's stream:
 *
 *  1. Bursts. A step's occurrences less than W steps apart are one burst
 *     (a loop over fields, a doubled step), up to BURST_MAX steps long:
 *     B(a) bursts of step a.
 *  2. Co-occurrence. C(a,b): bursts of a with b within W steps of one of
 *     its occurrences. Affinity S(a,b) = min(C(a,b)/B(a), C(b,a)/B(b)):
 *     near 1 when a and b make up the same instances, at most the share
 *     of the rarer neighbour type when they only meet at boundaries —
 *     the min keeps a frequent type from swallowing a rare one that it
 *     always follows.
 *  3. Clustering. Steps with at least min_occurrences bursts are joined
 *     where S ≥ THETA (single linkage, so a long task chains through its
 *     neighbouring steps); the components are candidate types. A
 *     component with less than CORE_SHARE of its co-occurrence inside
 *     itself (a step that every type uses) is no type: it is "shared".
 *  4. Labelling. Each action of a type's step gets that type; an action
 *     of a shared or rare step (a slip, a stray click) gets the type of
 *     the labelled neighbour, before or after, that it co-occurs with
 *     more — up to FILL_MAX such actions in a row; a longer stretch is
 *     other work, no task's. One- or two-action islands between two runs of one type
 *     take that type.
 *  5. Instances. A run of one type is cut at idle, lock and session
 *     ends, and before each occurrence of the type's start anchor (or
 *     after its end anchor): the step that most often opens (closes) a
 *     run and occurs once per burst.
 *
 * No labels, no idle hints (instances may follow each other within a
 * second), types of any length, interleaved, one-application tasks (the
 * steps are told apart by element and context, not application), and a
 * single type repeated (one component). Linear in the actions but for the
 * co-occurrence counting (2W per action, on a sample of windows above
 * SAMPLE_ABOVE actions) over a dense matrix of at most KMAX steps, and
 * the steps' affinities with the types computed once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mining/mine/mine-internal.h"

#define W 8
#define BURST_GAP W	/* a step again within this: the same burst */
#define FILL_MAX (2 * W)	/* unlabelled actions a task spans, at most */
#define BURST_MAX (4 * W)	/* a burst is no longer: a step done all day
				   is many bursts, not one */
#define THETA 0.6
#define CORE_SHARE 0.25	/* of a type's co-occurrence, inside it at least */
#define KMAX 1024
#define SAMPLE_ABOVE 1000000u
#define SAMPLE_BLOCK 4096u
#define NONE UINT16_MAX
#define SYM(x) ((x) & ~MINE_SEG_START)

static const char method[] =
	"burst co-occurrence segmentation and clustering: steps that occur in the same "
	"instances form a task type; each person's stream is labelled and cut at the "
	"types' anchors";

struct tk {
	const struct mine_seq *seq;
	const struct mine_options *opts;
	uint32_t *dense;		/* symbol → dense index + 1 (0: rare) */
	uint32_t *sym_of;		/* dense → symbol */
	size_t k;			/* dense steps */
	uint32_t *count, *bursts;	/* per dense step */
	uint32_t *c;			/* k × k: C(a,b) */
	uint32_t *seen;			/* k × k: burst number last counted */
	uint32_t *comp;			/* dense → component */
	bool *core;			/* component is a type */
	bool *is_switch;		/* dense step is "Switch to …" */
	uint32_t *core_ix;		/* component → index among types + 1 */
	uint64_t *aff;			/* k × types: affinity(a, type), or NULL */
	size_t n_core;
	size_t n_comp;
};

static uint32_t
find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static int
cmp_count_desc(const void *pa, const void *pb, void *ctx)
{
	const uint32_t *cnt = ctx, a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	if (cnt[a] != cnt[b])
		return cnt[a] > cnt[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Dense indexes for the KMAX most frequent steps. */
static int
densify(struct tk *t)
{
	size_t nstr = t->seq->strings->n;
	uint32_t *cnt = calloc(nstr ? nstr : 1, sizeof(*cnt));
	uint32_t *ids = NULL;
	size_t n = 0;

	t->dense = calloc(nstr ? nstr : 1, sizeof(*t->dense));
	if (!cnt || !t->dense)
		goto nomem;
	for (size_t u = 0; u < t->seq->n_users; u++)
		for (size_t i = 0; i < t->seq->users[u].n; i++) {
			uint32_t s = SYM(t->seq->users[u].a[i].sym);
			if (s < nstr && cnt[s]++ == 0)
				n++;
		}
	ids = malloc((n ? n : 1) * sizeof(*ids));
	if (!ids)
		goto nomem;
	n = 0;
	for (size_t s = 0; s < nstr; s++)
		if (cnt[s])
			ids[n++] = (uint32_t)s;
	qsort_r(ids, n, sizeof(*ids), cmp_count_desc, cnt);
	t->k = n < KMAX ? n : KMAX;
	t->sym_of = malloc((t->k ? t->k : 1) * sizeof(*t->sym_of));
	if (!t->sym_of)
		goto nomem;
	t->is_switch = calloc(t->k ? t->k : 1, sizeof(*t->is_switch));
	if (!t->is_switch)
		goto nomem;
	for (size_t i = 0; i < t->k; i++) {
		t->sym_of[i] = ids[i];
		t->dense[ids[i]] = (uint32_t)i + 1;
		t->is_switch[i] = strncmp(t->seq->strings->str[ids[i]], "Switch to ", 10) == 0;
	}
	free(ids);
	free(cnt);
	return 0;
nomem:
	free(ids);
	free(cnt);
	return -ENOMEM;
}

static inline uint32_t
dense_at(const struct tk *t, const struct mine_useq *s, size_t i)
{
	uint32_t sym = SYM(s->a[i].sym);

	return sym < t->seq->strings->n ? t->dense[sym] : 0;
}

/* Steps 1 and 2: bursts and co-occurrence. */
static int
cooccur(struct tk *t)
{
	size_t k = t->k, total = 0;
	uint64_t *last = calloc(k ? k : 1, sizeof(*last));
	uint64_t *first = calloc(k ? k : 1, sizeof(*first));

	t->count = calloc(k ? k : 1, sizeof(*t->count));
	t->bursts = calloc(k ? k : 1, sizeof(*t->bursts));
	t->c = calloc(k ? k * k : 1, sizeof(*t->c));
	t->seen = calloc(k ? k * k : 1, sizeof(*t->seen));
	if (!last || !first || !t->count || !t->bursts || !t->c || !t->seen) {
		free(last);
		free(first);
		return -ENOMEM;
	}
	for (size_t u = 0; u < t->seq->n_users; u++)
		total += t->seq->users[u].n;
	/* Above SAMPLE_ABOVE actions, every step-th block of windows: the
	 * affinities are ratios, and a sample keeps them. */
	size_t step = total > SAMPLE_ABOVE ? (total + SAMPLE_ABOVE - 1) / SAMPLE_ABOVE : 1;
	uint64_t pos = 0;

	for (size_t u = 0; u < t->seq->n_users; u++) {
		const struct mine_useq *s = &t->seq->users[u];
		for (size_t i = 0; i < s->n; i++, pos++) {
			if (step > 1 && (pos / SAMPLE_BLOCK) % step != 0)
				continue;
			uint32_t a = dense_at(t, s, i);
			if (!a--)
				continue;
			t->count[a]++;
			/* positions are counted from 1: 0 is "never seen" */
			if (!last[a] || pos + 1 - last[a] > BURST_GAP || pos + 1 - first[a] >= BURST_MAX) {
				t->bursts[a]++;
				first[a] = pos + 1;
			}
			last[a] = pos + 1;
			size_t lo = i > W ? i - W : 0, hi = i + W < s->n ? i + W : s->n - 1;
			uint32_t *row = t->c + (size_t)a * k, *seen = t->seen + (size_t)a * k;
			for (size_t j = lo; j <= hi; j++) {
				uint32_t b = dense_at(t, s, j);
				if (j == i || !b--)
					continue;
				if (seen[b] != t->bursts[a]) {
					seen[b] = t->bursts[a];
					row[b]++;
				}
			}
		}
		/* no burst runs across people */
		memset(last, 0, k * sizeof(*last));
	}
	free(last);
	free(first);
	free(t->seen);
	t->seen = NULL;
	return 0;
}

/* Step 3: components of S ≥ THETA among frequent steps; types. */
static int
cluster(struct tk *t)
{
	size_t k = t->k;
	unsigned min_occ = t->opts->min_occurrences ? t->opts->min_occurrences : 5;
	uint32_t *parent = malloc((k ? k : 1) * sizeof(*parent));
	uint32_t *root_to = NULL;
	uint64_t *in = NULL, *all = NULL;

	t->comp = malloc((k ? k : 1) * sizeof(*t->comp));
	if (!parent || !t->comp)
		goto nomem;
	for (size_t a = 0; a < k; a++)
		parent[a] = (uint32_t)a;
	for (size_t a = 0; a < k; a++) {
		if (t->bursts[a] < min_occ)
			continue;
		for (size_t b = a + 1; b < k; b++) {
			if (t->bursts[b] < min_occ)
				continue;
			double ab = (double)t->c[a * k + b] / t->bursts[a];
			double ba = (double)t->c[b * k + a] / t->bursts[b];
			if ((ab < ba ? ab : ba) >= THETA) {
				uint32_t ra = find(parent, (uint32_t)a), rb = find(parent, (uint32_t)b);
				if (ra != rb)
					parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
			}
		}
	}
	root_to = malloc((k ? k : 1) * sizeof(*root_to));
	if (!root_to)
		goto nomem;
	memset(root_to, 0xff, (k ? k : 1) * sizeof(*root_to));
	t->n_comp = 0;
	for (size_t a = 0; a < k; a++) {
		uint32_t r = find(parent, (uint32_t)a);
		if (root_to[r] == UINT32_MAX)
			root_to[r] = (uint32_t)t->n_comp++;
		t->comp[a] = root_to[r];
	}
	in = calloc(t->n_comp ? t->n_comp : 1, sizeof(*in));
	all = calloc(t->n_comp ? t->n_comp : 1, sizeof(*all));
	t->core = calloc(t->n_comp ? t->n_comp : 1, sizeof(*t->core));
	if (!in || !all || !t->core)
		goto nomem;
	uint32_t *maxb = (uint32_t *)root_to;	/* reused: per component */
	uint32_t *steps = parent;		/* reused: steps per component */
	memset(maxb, 0, t->n_comp * sizeof(*maxb));
	memset(steps, 0, t->n_comp * sizeof(*steps));
	for (size_t a = 0; a < k; a++) {
		uint32_t ca = t->comp[a];
		steps[ca]++;
		if (t->bursts[a] > maxb[ca])
			maxb[ca] = t->bursts[a];
		for (size_t b = 0; b < k; b++) {
			all[ca] += t->c[a * k + b];
			if (t->comp[b] == ca)
				in[ca] += t->c[a * k + b];
		}
	}
	/* A type: frequent, of two steps at least (one step repeated is no
	 * task), and a good share of its steps' company its own. */
	for (size_t c = 0; c < t->n_comp; c++)
		t->core[c] = maxb[c] >= min_occ && steps[c] >= 2 && all[c] &&
			     (double)in[c] > CORE_SHARE * (double)all[c];
	free(in);
	free(all);
	free(root_to);
	free(parent);
	return 0;
nomem:
	free(in);
	free(all);
	free(root_to);
	free(parent);
	return -ENOMEM;
}

/* Affinity of dense step @p a (0: rare) with component @p c. */
static uint64_t
affinity(const struct tk *t, uint32_t a, uint32_t c)
{
	uint64_t sum = 0;

	if (!a--)
		return 0;
	if (t->aff && t->core_ix[c])
		return t->aff[(size_t)a * t->n_core + t->core_ix[c] - 1];
	for (size_t b = 0; b < t->k; b++)
		if (t->comp[b] == c)
			sum += t->c[a * t->k + b];
	return sum;
}

/* --- instances ----------------------------------------------------------- */

struct inst {
	uint32_t user;		/* index into seq->users */
	uint32_t type;		/* component */
	size_t s, e;		/* [s, e) positions in the user's sequence */
};

struct insts {
	struct inst *v;
	size_t n, cap;
};

static int
inst_push(struct insts *v, uint32_t user, uint32_t type, size_t s, size_t e)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		struct inst *n = realloc(v->v, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		v->v = n;
		v->cap = cap;
	}
	v->v[v->n++] = (struct inst){ user, type, s, e };
	return 0;
}

/* Step 4: label one person's actions; NONE where no type reaches. */
static void
label(const struct tk *t, const struct mine_useq *s, uint16_t *lab)
{
	size_t n = s->n;

	for (size_t i = 0; i < n; i++) {
		uint32_t a = dense_at(t, s, i);
		lab[i] = a && t->core[t->comp[a - 1]] ? (uint16_t)t->comp[a - 1] : NONE;
	}
	/* the unlabelled between two labelled neighbours */
	size_t i = 0;
	while (i < n) {
		if (lab[i] != NONE) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && lab[j] == NONE)
			j++;
		uint16_t prev = i ? lab[i - 1] : NONE, next = j < n ? lab[j] : NONE;
		/* a long stretch of other work is no task's */
		if (j - i > FILL_MAX) {
			i = j;
			continue;
		}
		for (size_t p = i; p < j; p++) {
			if (prev == NONE || next == NONE || prev == next) {
				lab[p] = prev != NONE ? prev : next;
				continue;
			}
			uint32_t a = dense_at(t, s, p);
			lab[p] = affinity(t, a, next) > affinity(t, a, prev) ? next : prev;
		}
		i = j;
	}
	/* a switch of application between two types opens the second */
	for (i = 0; i + 1 < n; i++)
		if (lab[i] != lab[i + 1] && lab[i + 1] != NONE && !(s->a[i + 1].sym & MINE_SEG_START)) {
			uint32_t a = dense_at(t, s, i);
			if (a && t->is_switch[a - 1])
				lab[i] = lab[i + 1];
		}
	/* islands of one or two actions inside one type's run */
	for (i = 1; i < n; i++) {
		if (lab[i] == lab[i - 1])
			continue;
		size_t j = i;
		while (j < n && lab[j] == lab[i] && j - i <= 2)
			j++;
		if (j < n && j - i <= 2 && lab[j] == lab[i - 1] &&
		    !(s->a[i].sym & MINE_SEG_START))
			for (size_t p = i; p < j; p++)
				lab[p] = lab[i - 1];
	}
}

struct anchor {
	uint32_t step;		/* dense + 1; 0: none */
	bool at_end;
};

/* Step 5's anchors: per component, the step opening (closing) most runs. */
static int
anchors(const struct tk *t, uint16_t **labs, struct anchor *out)
{
	size_t k = t->k;
	uint32_t *starts = calloc(k ? k : 1, sizeof(*starts));
	uint32_t *ends = calloc(k ? k : 1, sizeof(*ends));

	if (!starts || !ends) {
		free(starts);
		free(ends);
		return -ENOMEM;
	}
	for (size_t u = 0; u < t->seq->n_users; u++) {
		const struct mine_useq *s = &t->seq->users[u];
		for (size_t i = 0; i < s->n; i++) {
			uint32_t a = dense_at(t, s, i);
			if (!a || labs[u][i] == NONE)
				continue;
			if (i == 0 || labs[u][i - 1] != labs[u][i])
				starts[a - 1]++;
			if (i + 1 == s->n || labs[u][i + 1] != labs[u][i])
				ends[a - 1]++;
		}
	}
	double *best = calloc(t->n_comp ? t->n_comp : 1, sizeof(*best));
	if (!best) {
		free(starts);
		free(ends);
		return -ENOMEM;
	}
	memset(out, 0, t->n_comp * sizeof(*out));
	for (size_t a = 0; a < k; a++) {
		uint32_t c = t->comp[a];
		/* once per burst: else it recurs inside an instance */
		if (!t->core[c] || !t->count[a] ||
		    (double)t->count[a] > 1.2 * (double)t->bursts[a])
			continue;
		double ss = (double)starts[a] * starts[a] / t->count[a];
		double es = (double)ends[a] * ends[a] / t->count[a];
		if (ss > best[c] || es > best[c]) {
			best[c] = ss >= es ? ss : es;
			out[c].step = (uint32_t)a + 1;
			out[c].at_end = es > ss;
		}
	}
	free(best);
	free(starts);
	free(ends);
	return 0;
}

static int
cut(const struct tk *t, uint16_t **labs, const struct anchor *anc, struct insts *v)
{
	for (size_t u = 0; u < t->seq->n_users; u++) {
		const struct mine_useq *s = &t->seq->users[u];
		const uint16_t *lab = labs[u];
		size_t start = 0;
		for (size_t i = 0; i < s->n; i++) {
			if (lab[i] == NONE) {
				start = i + 1;
				continue;
			}
			const struct anchor *an = &anc[lab[i]];
			uint32_t a = dense_at(t, s, i);
			bool brk = i > start && (lab[i - 1] != lab[i] || (s->a[i].sym & MINE_SEG_START) ||
				   (an->step && !an->at_end && a == an->step));
			if (brk) {
				int rc = inst_push(v, (uint32_t)u, lab[start], start, i);
				if (rc < 0)
					return rc;
				start = i;
			}
			bool last = i + 1 == s->n || lab[i + 1] == NONE ||
				    (an->step && an->at_end && a == an->step &&
				     lab[i + 1] == lab[i]);
			if (last) {
				int rc = inst_push(v, (uint32_t)u, lab[i], start, i + 1);
				if (rc < 0)
					return rc;
				start = i + 1;
			}
		}
	}
	return 0;
}

/* --- results --------------------------------------------------------------- */

static uint64_t
seq_hash(const struct mine_useq *s, size_t a, size_t b)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (size_t i = a; i < b; i++)
		h = mine_mix(h ^ SYM(s->a[i].sym));
	return mine_mix(h ^ (b - a));
}

struct vcount {
	uint64_t hash;
	size_t n, example;	/* an instance with it */
};

static int
cmp_vcount(const void *pa, const void *pb)
{
	const struct vcount *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->example < b->example ? -1 : a->example > b->example;
}

static int
cmp_vhash(const void *pa, const void *pb)
{
	const struct vcount *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->example < b->example ? -1 : a->example > b->example;
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static int
cmp_task(const void *pa, const void *pb)
{
	const struct mine_task *a = pa, *b = pb;

	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	if (a->n_instances != b->n_instances)
		return a->n_instances > b->n_instances ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* A type's name: its two most telling steps — frequent in its instances,
 * rare elsewhere, one with an element's name first. */
static int
task_name(const struct tk *t, uint32_t c, const uint32_t *in_type, char **out)
{
	const char **str = (const char **)t->seq->strings->str;
	double best[2] = { -1, -1 };
	size_t pick[2] = { 0, 0 };

	for (size_t a = 0; a < t->k; a++) {
		if (t->comp[a] != c || !t->count[a])
			continue;
		double purity = (double)in_type[a] / t->count[a];
		double score = purity * purity * t->bursts[a];
		if (strchr(str[t->sym_of[a]], '\''))
			score *= 2;	/* names what it acts on */
		if (strncmp(str[t->sym_of[a]], "Switch to ", 10) == 0)
			score /= 10;	/* says where, not what */
		if (score > best[0]) {
			best[1] = best[0];
			pick[1] = pick[0];
			best[0] = score;
			pick[0] = a;
		} else if (score > best[1]) {
			best[1] = score;
			pick[1] = a;
		}
	}
	if (best[0] < 0)
		return -EINVAL;
	const char *a = str[t->sym_of[pick[0]]];
	const char *b = best[1] >= 0 ? str[t->sym_of[pick[1]]] : NULL;
	size_t len = strlen(a) + (b ? strlen(b) + 5 : 0) + 1;
	*out = malloc(len);
	if (!*out)
		return -ENOMEM;
	snprintf(*out, len, "%s%s%s", a, b ? " · " : "", b ? b : "");
	return 0;
}

static int
build_tasks(const struct tk *t, struct insts *v, struct mine_result *r)
{
	const struct mine_seq *seq = t->seq;
	unsigned min_occ = t->opts->min_occurrences ? t->opts->min_occurrences : 5;
	size_t *per = calloc(t->n_comp ? t->n_comp : 1, sizeof(*per));
	uint32_t *in_type = calloc(t->k ? t->k : 1, sizeof(*in_type));
	int rc = -ENOMEM;

	if (!per || !in_type)
		goto out;
	/* one action alone is no instance of a task */
	size_t kept = 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].e - v->v[i].s >= 2)
			v->v[kept++] = v->v[i];
	v->n = kept;
	for (size_t i = 0; i < v->n; i++)
		per[v->v[i].type]++;
	size_t n_types = 0;
	for (size_t c = 0; c < t->n_comp; c++)
		n_types += per[c] >= min_occ;
	r->tasks = calloc(n_types ? n_types : 1, sizeof(*r->tasks));
	if (!r->tasks)
		goto out;
	for (size_t c = 0; c < t->n_comp; c++) {
		if (per[c] < min_occ)
			continue;
		struct mine_task *tk = &r->tasks[r->n_tasks];
		size_t n = per[c];
		uint64_t *durs = malloc(n * sizeof(*durs));
		struct vcount *vc = calloc(n, sizeof(*vc));
		bool *seen = calloc(seq->n_users ? seq->n_users : 1, sizeof(*seen));
		tk->instances = calloc(n, sizeof(*tk->instances));
		if (!durs || !vc || !seen || !tk->instances) {
			free(durs);
			free(vc);
			free(seen);
			free(tk->instances);
			tk->instances = NULL;
			goto out;
		}
		r->n_tasks++;
		memset(in_type, 0, t->k * sizeof(*in_type));
		size_t m = 0, nv = 0;
		for (size_t i = 0; i < v->n; i++) {
			const struct inst *in = &v->v[i];
			if (in->type != c)
				continue;
			const struct mine_useq *s = &seq->users[in->user];
			uint64_t start = s->a[in->s].start_ns, end = start;
			for (size_t p = in->s; p < in->e; p++) {
				uint64_t e = s->a[p].start_ns + (uint64_t)s->a[p].dur_us * 1000;
				if (e > end)
					end = e;
				uint32_t a = dense_at(t, s, p);
				if (a)
					in_type[a - 1]++;
			}
			tk->instances[m] = (struct mine_instance){
				.user = seq->strings->str[s->name], .start_ns = start, .end_ns = end,
			};
			tk->events += in->e - in->s;
			durs[m] = end - start;
			tk->total_ns += durs[m];
			if (!seen[in->user]) {
				seen[in->user] = true;
				tk->users++;
			}
			vc[m] = (struct vcount){ seq_hash(s, in->s, in->e), 1, i };
			m++;
		}
		tk->n_instances = m;
		qsort(durs, m, sizeof(*durs), cmp_u64);
		tk->median_ns = m ? durs[m / 2] : 0;
		if (m && m % 2 == 0)
			tk->median_ns = (durs[m / 2 - 1] + durs[m / 2]) / 2;
		tk->hours_saved = (double)m * (double)tk->median_ns / 3.6e12;
		/* variants: equal hashes together, then the largest group */
		qsort(vc, m, sizeof(*vc), cmp_vhash);
		for (size_t q = 0; q < m;) {
			size_t e = q;
			while (e < m && vc[e].hash == vc[q].hash)
				e++;
			vc[nv++] = (struct vcount){ vc[q].hash, e - q, vc[q].example };
			q = e;
		}
		qsort(vc, nv, sizeof(*vc), cmp_vcount);
		tk->variants = nv;
		const struct inst *main_v = &v->v[vc[0].example];
		const struct mine_useq *ms = &seq->users[main_v->user];
		tk->n_steps = main_v->e - main_v->s;
		tk->steps = malloc((tk->n_steps ? tk->n_steps : 1) * sizeof(*tk->steps));
		free(durs);
		free(vc);
		free(seen);
		if (!tk->steps)
			goto out;
		for (size_t p = 0; p < tk->n_steps; p++)
			tk->steps[p] = seq->strings->str[SYM(ms->a[main_v->s + p].sym)];
		char *name = NULL;
		rc = task_name(t, (uint32_t)c, in_type, &name);
		if (rc < 0)
			goto out;
		tk->name = name;
		rc = -ENOMEM;
	}
	qsort(r->tasks, r->n_tasks, sizeof(*r->tasks), cmp_task);
	rc = 0;
out:
	free(per);
	free(in_type);
	return rc;
}

int
mine_tasks(const struct mine_seq *seq, const struct mine_options *opts,
	   struct mine_result *r)
{
	struct tk t = { .seq = seq, .opts = opts };
	struct insts v = { 0 };
	struct anchor *anc = NULL;
	uint16_t **labs = NULL;
	int rc;

	r->task_method = method;
	if (opts->no_tasks)
		return 0;
	if ((rc = densify(&t)) < 0 || (rc = cooccur(&t)) < 0 || (rc = cluster(&t)) < 0)
		goto out;
	/* no type at all (one action a million times): nothing to label */
	bool any = false;
	for (size_t c = 0; c < t.n_comp; c++)
		any |= t.core[c];
	if (!any)
		goto out;
	rc = -ENOMEM;
	/* affinities of every step with every type, once (the labelling
	 * asks for them per unlabelled action) */
	t.core_ix = calloc(t.n_comp, sizeof(*t.core_ix));
	if (!t.core_ix)
		goto out;
	for (size_t c = 0; c < t.n_comp; c++)
		if (t.core[c])
			t.core_ix[c] = (uint32_t)++t.n_core;
	if (t.n_core <= 256 && (t.aff = calloc(t.k * t.n_core, sizeof(*t.aff)))) {
		for (size_t a = 0; a < t.k; a++)
			for (size_t b = 0; b < t.k; b++)
				if (t.core_ix[t.comp[b]])
					t.aff[a * t.n_core + t.core_ix[t.comp[b]] - 1] +=
						t.c[a * t.k + b];
	}
	labs = calloc(seq->n_users ? seq->n_users : 1, sizeof(*labs));
	anc = calloc(t.n_comp ? t.n_comp : 1, sizeof(*anc));
	if (!labs || !anc)
		goto out;
	for (size_t u = 0; u < seq->n_users; u++) {
		labs[u] = malloc((seq->users[u].n ? seq->users[u].n : 1) * sizeof(**labs));
		if (!labs[u])
			goto out;
		label(&t, &seq->users[u], labs[u]);
	}
	if ((rc = anchors(&t, labs, anc)) < 0 || (rc = cut(&t, labs, anc, &v)) < 0)
		goto out;
	rc = build_tasks(&t, &v, r);
out:
	if (labs)
		for (size_t u = 0; u < seq->n_users; u++)
			free(labs[u]);
	free(labs);
	free(anc);
	free(v.v);
	free(t.dense);
	free(t.sym_of);
	free(t.count);
	free(t.bursts);
	free(t.c);
	free(t.seen);
	free(t.comp);
	free(t.core);
	free(t.is_switch);
	free(t.core_ix);
	free(t.aff);
	return rc;
}

void
mine_tasks_link(struct mine_result *r)
{
	for (size_t i = 0; i < r->n_routines; i++) {
		struct mine_routine *rt = &r->routines[i];
		rt->task = -1;
		if (!rt->n_instances)
			continue;
		const struct mine_instance *f = &rt->instances[0];
		for (size_t k = 0; k < r->n_tasks && rt->task < 0; k++)
			for (size_t j = 0; j < r->tasks[k].n_instances; j++) {
				const struct mine_instance *in = &r->tasks[k].instances[j];
				if (in->start_ns <= f->start_ns && f->start_ns <= in->end_ns &&
				    strcmp(in->user, f->user) == 0) {
					rt->task = (long)k;
					break;
				}
			}
	}
}

void
mine_tasks_free(struct mine_result *r)
{
	for (size_t i = 0; i < r->n_tasks; i++) {
		free((char *)r->tasks[i].name);
		free(r->tasks[i].steps);
		free(r->tasks[i].instances);
	}
	free(r->tasks);
	r->tasks = NULL;
	r->n_tasks = 0;
}
