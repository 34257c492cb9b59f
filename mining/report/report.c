/* SPDX-License-Identifier: MIT */
/*
 * The report stage (mining/report/, report.h): aggregation of a mining
 * result into what the page shows, and the page itself, with the charts
 * of svg.c. Nothing here reads the store; admin/cmd-report.c runs it.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mining/report/report.h"
#include "mining/report/svg.h"

#define NS_PER_S 1000000000ULL
#define NS_PER_H (3600ULL * NS_PER_S)
#define STACK_APPS 8		/* series in the per-day chart, then "others" */
#define SHARE_APPS 12		/* bars of the application share */
#define MATRIX_APPS 10		/* rows and columns of the transition matrix */
#define TOP_FLOWS 10
#define TOP_PEOPLE 25
#define MAX_COLUMNS 31		/* columns of the per-day chart */
#define MAX_ACTIONS_SHOWN 12
#define EXAMPLES 3
#define WIDTH 940		/* px of a full-width chart */

/* --- a small string → index table ---------------------------------------- */

struct names {
	const char **s;
	size_t n, cap;
	uint32_t *slot;		/* index + 1; 0: empty */
	size_t nslot;		/* power of two */
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The index of @p s, added when new; -1 when out of memory. */
static long
names_get(struct names *t, const char *s)
{
	size_t i;

	if (2 * (t->n + 1) > t->nslot) {
		size_t ns = t->nslot ? t->nslot * 2 : 64;
		uint32_t *slot = calloc(ns, sizeof(*slot));

		if (!slot)
			return -1;
		for (size_t k = 0; k < t->n; k++) {
			for (i = hash(t->s[k]) & (ns - 1); slot[i]; i = (i + 1) & (ns - 1))
				;
			slot[i] = (uint32_t)k + 1;
		}
		free(t->slot);
		t->slot = slot;
		t->nslot = ns;
	}
	for (i = hash(s) & (t->nslot - 1); t->slot[i]; i = (i + 1) & (t->nslot - 1))
		if (strcmp(t->s[t->slot[i] - 1], s) == 0)
			return t->slot[i] - 1;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		const char **p = realloc(t->s, nc * sizeof(*p));

		if (!p)
			return -1;
		t->s = p;
		t->cap = nc;
	}
	t->s[t->n] = s;
	t->slot[i] = (uint32_t)t->n + 1;
	return (long)t->n++;
}

static void
names_free(struct names *t)
{
	free(t->s);
	free(t->slot);
}

/* --- what the page shows --------------------------------------------------- */

struct app_sum {
	const char *name;
	uint64_t active_ns;
	uint64_t moves;		/* transitions from and to it */
	int rank;		/* in the stacked chart: series; -1: others */
	int mrank;		/* in the matrix: row/column; -1: others */
};

struct person {
	const char *name;
	uint64_t active_ns;
	uint64_t switches;
	unsigned days;
	int32_t last_day;
	size_t top_app;		/* index into apps */
	uint64_t top_app_ns;
	uint64_t cur_app_ns;	/* scratch while summing */
	size_t instances;
};

struct view {
	const struct mine_result *r;
	struct names app_names, user_names;
	struct app_sum *apps;	/* by app_names index */
	size_t *app_order;	/* indexes by active time desc. */
	struct person *people;	/* by user_names index */
	size_t *people_order;
	int32_t first_day, last_day;
	size_t active_days;	/* distinct days with activity */
};

static const char *
app_label(const char *app)
{
	return app && *app ? app : "(no application)";
}

static const struct app_sum *sort_apps;
static const struct person *sort_people;

static int
cmp_app(const void *a, const void *b)
{
	const struct app_sum *x = &sort_apps[*(const size_t *)a];
	const struct app_sum *y = &sort_apps[*(const size_t *)b];

	if (x->active_ns != y->active_ns)
		return x->active_ns < y->active_ns ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int
cmp_person(const void *a, const void *b)
{
	const struct person *x = &sort_people[*(const size_t *)a];
	const struct person *y = &sort_people[*(const size_t *)b];

	if (x->active_ns != y->active_ns)
		return x->active_ns < y->active_ns ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void
view_free(struct view *v)
{
	names_free(&v->app_names);
	names_free(&v->user_names);
	free(v->apps);
	free(v->app_order);
	free(v->people);
	free(v->people_order);
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *q;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	q = realloc(*p, nc * size);
	if (!q)
		return -ENOMEM;
	memset((char *)q + *cap * size, 0, (nc - *cap) * size);
	*p = q;
	*cap = nc;
	return 0;
}

static int
view_build(struct view *v, const struct mine_result *r)
{
	const struct mine_app_day *ad;
	size_t apps_cap = 0, people_cap = 0;
	uint8_t *day_seen = NULL;

	memset(v, 0, sizeof(*v));
	v->r = r;
	v->first_day = INT32_MAX;
	v->last_day = INT32_MIN;
	for (size_t i = 0; i < r->n_app_days; i++) {
		long a, u;

		ad = &r->app_days[i];
		a = names_get(&v->app_names, app_label(ad->app));
		u = names_get(&v->user_names, ad->user ? ad->user : "");
		if (a < 0 || u < 0 ||
		    grow((void **)&v->apps, &apps_cap, (size_t)a + 1, sizeof(*v->apps)) ||
		    grow((void **)&v->people, &people_cap, (size_t)u + 1, sizeof(*v->people)))
			return -ENOMEM;
		v->apps[a].name = v->app_names.s[a];
		v->apps[a].active_ns += ad->active_ns;
		v->people[u].name = v->user_names.s[u];
		v->people[u].active_ns += ad->active_ns;
		v->people[u].switches += ad->switches_to;
		if (ad->day < v->first_day)
			v->first_day = ad->day;
		if (ad->day > v->last_day)
			v->last_day = ad->day;
	}
	/* Transitions weigh the matrix's choice of applications. */
	for (size_t i = 0; i < r->n_transitions; i++) {
		const struct mine_transition *t = &r->transitions[i];
		long a = names_get(&v->app_names, app_label(t->from));
		long b = names_get(&v->app_names, app_label(t->to));

		if (a < 0 || b < 0 ||
		    grow((void **)&v->apps, &apps_cap, (size_t)(a > b ? a : b) + 1,
			 sizeof(*v->apps)))
			return -ENOMEM;
		v->apps[a].name = v->app_names.s[a];
		v->apps[b].name = v->app_names.s[b];
		v->apps[a].moves += t->count;
		v->apps[b].moves += t->count;
	}
	v->app_order = malloc((v->app_names.n + 1) * sizeof(size_t));
	if (!v->app_order)
		return -ENOMEM;
	for (size_t i = 0; i < v->app_names.n; i++)
		v->app_order[i] = i;
	sort_apps = v->apps;
	qsort(v->app_order, v->app_names.n, sizeof(size_t), cmp_app);
	for (size_t k = 0; k < v->app_names.n; k++) {
		struct app_sum *a = &v->apps[v->app_order[k]];
		a->rank = k < STACK_APPS || (k == STACK_APPS && v->app_names.n == STACK_APPS + 1)
			  ? (int)k : -1;
		a->mrank = -1;
	}

	/* Days with activity; per person days and their top application
	 * (app_days are sorted by user, day). */
	if (v->last_day >= v->first_day) {
		day_seen = calloc((size_t)(v->last_day - v->first_day) + 1, 1);
		if (!day_seen)
			return -ENOMEM;
	}
	for (size_t i = 0; i < r->n_app_days; i++) {
		ad = &r->app_days[i];
		long u = names_get(&v->user_names, ad->user ? ad->user : "");
		struct person *p = &v->people[u];

		if (!day_seen[ad->day - v->first_day]) {
			day_seen[ad->day - v->first_day] = 1;
			v->active_days++;
		}
		if (p->days == 0 || p->last_day != ad->day) {
			p->days++;
			p->last_day = ad->day;
		}
	}
	free(day_seen);
	/* Top application per person: sum per (person, app) with one pass
	 * per person over a scratch array of the apps. */
	uint64_t *per_app = calloc(v->app_names.n + 1, sizeof(*per_app));
	if (!per_app)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_app_days;) {
		const char *user = r->app_days[i].user ? r->app_days[i].user : "";
		long u = names_get(&v->user_names, user);
		size_t j = i;

		for (; j < r->n_app_days &&
		       strcmp(r->app_days[j].user ? r->app_days[j].user : "", user) == 0; j++)
			per_app[names_get(&v->app_names, app_label(r->app_days[j].app))] +=
				r->app_days[j].active_ns;
		for (size_t k = i; k < j; k++) {
			size_t a = (size_t)names_get(&v->app_names, app_label(r->app_days[k].app));
			if (per_app[a] > v->people[u].top_app_ns ||
			    (per_app[a] == v->people[u].top_app_ns &&
			     strcmp(v->app_names.s[a], v->app_names.s[v->people[u].top_app]) < 0)) {
				v->people[u].top_app_ns = per_app[a];
				v->people[u].top_app = a;
			}
		}
		for (size_t k = i; k < j; k++)
			per_app[names_get(&v->app_names, app_label(r->app_days[k].app))] = 0;
		i = j;
	}
	free(per_app);
	for (size_t i = 0; i < r->n_routines; i++) {
		const struct mine_routine *rt = &r->routines[i];
		for (size_t k = 0; k < rt->n_instances; k++) {
			long u = names_get(&v->user_names, rt->instances[k].user ?
					   rt->instances[k].user : "");
			if (u < 0 || grow((void **)&v->people, &people_cap, (size_t)u + 1,
					  sizeof(*v->people)))
				return -ENOMEM;
			v->people[u].name = v->user_names.s[u];
			v->people[u].instances++;
		}
	}
	v->people_order = malloc((v->user_names.n + 1) * sizeof(size_t));
	if (!v->people_order)
		return -ENOMEM;
	for (size_t i = 0; i < v->user_names.n; i++)
		v->people_order[i] = i;
	sort_people = v->people;
	qsort(v->people_order, v->user_names.n, sizeof(size_t), cmp_person);
	return 0;
}

/* --- formatting ------------------------------------------------------------ */

static void
fmt_duration(char *buf, size_t len, uint64_t ns)
{
	double s = (double)ns / 1e9;

	if (s < 10)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 60)
		snprintf(buf, len, "%.0f s", s);
	else if (s < 3600)
		snprintf(buf, len, "%u min %02u s", (unsigned)(s / 60), (unsigned)fmod(s, 60));
	else
		snprintf(buf, len, "%u h %02u min", (unsigned)(s / 3600),
			 (unsigned)fmod(s / 60, 60));
}

static void
fmt_hours(char *buf, size_t len, uint64_t ns)
{
	double h = (double)ns / (double)NS_PER_H;

	svg_format_number(buf, len, h >= 100 ? round(h) : round(h * 10) / 10);
}

static void
fmt_day(char *buf, size_t len, int32_t day, const char *fmt)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, fmt, &tm);
}

static void
fmt_when(char *buf, size_t len, uint64_t ns)
{
	time_t t = (time_t)(ns / NS_PER_S);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%a %d %b %Y %H:%M", &tm);
}

static void
fmt_percent(char *buf, size_t len, double part, double whole)
{
	double p = whole > 0 ? 100 * part / whole : 0;

	snprintf(buf, len, p < 10 && p > 0 ? "%.1f %%" : "%.0f %%", p);
}

/* --- the page -------------------------------------------------------------- */

static const char css[] =
	":root{--ink:#1f2430;--muted:#5f6b7a;--line:#e3e6ea;--bg:#f5f6f8;--accent:#4e79a7}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:var(--bg);color:var(--ink);"
	"font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\","
	"\"DejaVu Sans\",\"Helvetica Neue\",Arial,sans-serif}\n"
	"main{max-width:1000px;margin:0 auto;padding:28px 24px 40px}\n"
	"header h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}\n"
	".sub{color:var(--muted);margin:0 0 14px}\n"
	"nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin:0 0 18px;font-size:13px}\n"
	"nav a{color:var(--accent);text-decoration:none}\n"
	"section{background:#fff;border:1px solid var(--line);border-radius:8px;"
	"padding:18px 22px 20px;margin:0 0 18px}\n"
	"section h2{font-size:18px;margin:0 0 4px}\n"
	"section h3{font-size:14px;margin:18px 0 6px;color:var(--ink)}\n"
	".lead{color:var(--muted);margin:0 0 12px}\n"
	".kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;margin:0 0 18px}\n"
	".kpi{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}\n"
	".kpi b{display:block;font-size:24px;font-weight:600;letter-spacing:-.01em}\n"
	".kpi span,.kpi small{display:block;color:var(--muted);font-size:12px}\n"
	".kpi small{font-size:11px;color:#8a94a3}\n"
	"svg.chart{display:block;max-width:100%;height:auto;margin:4px 0 6px}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px}\n"
	"td{overflow-wrap:anywhere}\n"
	"th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{font-weight:600;color:var(--muted);font-size:12px;background:#fafbfc}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"ol.steps{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px}\n"
	"ol.steps li{background:#eef3f9;border:1px solid #d6e2ef;border-radius:4px;"
	"padding:1px 6px;font-size:12px;overflow-wrap:anywhere}\n"
	"ol.steps li+li::before{content:\"\\2192\\00a0\";color:var(--muted)}\n"
	"ul.ex{margin:6px 0 0;padding:0;list-style:none;font-size:12px;color:var(--muted);"
	"display:flex;flex-wrap:wrap;gap:2px 16px}\n"
	"ul.ex li:first-child::before{content:\"e.g.\\00a0\";font-style:italic}\n"
	".method{font-size:12px;color:var(--muted);margin:10px 0 0}\n"
	".empty{color:var(--muted);font-style:italic}\n"
	".about{background:#fffbea;border-color:#f0e2a8}\n"
	".about ul{margin:6px 0 0;padding-left:20px}\n"
	"footer{color:var(--muted);font-size:12px;text-align:center}\n"
	"@media (max-width:760px){.kpis{grid-template-columns:repeat(3,1fr)}}\n"
	"@media print{body{background:#fff}section{break-inside:avoid;border:0;padding:0}"
	"nav{display:none}}\n";

static void
text(FILE *f, const char *s)
{
	svg_escape(f, s);
}

static void
kpi(FILE *f, const char *value, const char *label, const char *note)
{
	fputs("<div class=\"kpi\"><b>", f);
	text(f, value);
	fputs("</b><span>", f);
	text(f, label);
	fputs("</span>", f);
	if (note) {
		fputs("<small>", f);
		text(f, note);
		fputs("</small>", f);
	}
	fputs("</div>\n", f);
}

static void
write_header(FILE *f, const struct view *v, const struct report_options *o)
{
	const struct mine_totals *t = &v->r->totals;
	char a[96], b[64], buf[64];
	double hours = (double)t->active_ns / (double)NS_PER_H;
	uint64_t first = o->since_ns ? o->since_ns : t->first_ns;
	uint64_t last = o->until_ns ? o->until_ns - 1 : t->last_ns;

	fputs("<header>\n<h1>", f);
	text(f, o->title ? o->title : "Work patterns");
	fputs("</h1>\n<p class=\"sub\">", f);
	if (first && last >= first) {
		fmt_day(a, sizeof(a), (int32_t)(first / NS_PER_S / 86400), "%a %d %b %Y");
		fmt_day(b, sizeof(b), (int32_t)(last / NS_PER_S / 86400), "%a %d %b %Y");
		text(f, a);
		if (strcmp(a, b)) {
			fputs(" \xe2\x80\x93 ", f);
			text(f, b);
		}
		fputs(" (UTC)", f);
	} else {
		fputs("No records selected", f);
	}
	if (o->host) {
		fputs(" \xc2\xb7 host ", f);
		text(f, o->host);
	}
	if (o->user) {
		fputs(" \xc2\xb7 only ", f);
		text(f, o->user);
	}
	if (o->pseudonymized)
		fputs(" \xc2\xb7 people pseudonymised", f);
	if (o->generated_ns) {
		time_t g = (time_t)(o->generated_ns / NS_PER_S);
		struct tm tm;
		gmtime_r(&g, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
		fputs(" \xc2\xb7 generated ", f);
		text(f, buf);
	}
	fputs("</p>\n</header>\n<nav>"
	      "<a href=\"#tasks\">Task types</a>"
	      "<a href=\"#time\">Time per application</a>"
	      "<a href=\"#moves\">Switches and copy-paste</a>"
	      "<a href=\"#routines\">Routines</a>"
	      "<a href=\"#people\">People</a>"
	      "<a href=\"#about\">About this report</a></nav>\n", f);

	fputs("<div class=\"kpis\" id=\"overview\">\n", f);
	snprintf(buf, sizeof(buf), "%zu", t->users);
	kpi(f, buf, t->users == 1 ? "person" : "people", NULL);
	snprintf(buf, sizeof(buf), "%zu", v->active_days);
	svg_format_number(b, sizeof(b), (double)t->days);
	snprintf(a, sizeof(a), "%s person-days", b);
	kpi(f, buf, v->active_days == 1 ? "day" : "days", a);
	fmt_hours(buf, sizeof(buf), t->active_ns);
	kpi(f, buf, "active hours", NULL);
	fmt_percent(buf, sizeof(buf), (double)t->idle_ns, (double)(t->idle_ns + t->active_ns));
	kpi(f, buf, "idle share", "of active + idle time");
	svg_format_number(buf, sizeof(buf),
			  hours > 0 ? round(10 * (double)t->switches / hours) / 10 : 0);
	kpi(f, buf, "switches per hour", "between applications");
	svg_format_number(buf, sizeof(buf), (double)t->records);
	kpi(f, buf, "records", NULL);
	fputs("</div>\n", f);
}

/* Columns of the per-day chart: days, or weeks/months when there are more
 * days than fit. Returns the bucket of @p day. */
enum bucket { BY_DAY, BY_WEEK, BY_MONTH };

static int32_t
bucket_of(enum bucket b, int32_t day)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	switch (b) {
	case BY_DAY:
		return day;
	case BY_WEEK:
		/* the Monday on or before: 1970-01-01 was a Thursday */
		return day - (int32_t)(((day % 7) + 7 + 3) % 7);
	case BY_MONTH:
	default:
		gmtime_r(&t, &tm);
		return (tm.tm_year + 1900) * 12 + tm.tm_mon;
	}
}

static void
bucket_label(enum bucket b, int32_t key, char *buf, size_t len)
{
	switch (b) {
	case BY_DAY:
		fmt_day(buf, len, key, "%a %d %b");
		break;
	case BY_WEEK:
		fmt_day(buf, len, key, "wk %d %b");
		break;
	case BY_MONTH:
		snprintf(buf, len, "%04d-%02d", key / 12, key % 12 + 1);
		break;
	}
}

static int
write_time(FILE *f, struct view *v)
{
	const struct mine_result *r = v->r;
	size_t napps = v->app_names.n, ns, nx = 0;
	enum bucket b = BY_DAY;
	size_t ndays, *col = NULL;
	double *vals = NULL, *share = NULL;
	const char **series = NULL, **xlab = NULL, **labels = NULL, **notes = NULL;
	char (*xbuf)[32] = NULL, (*nbuf)[48] = NULL, others[48];
	int rc = -ENOMEM;

	fputs("<section id=\"time\">\n<h2>Where the time goes</h2>\n"
	      "<p class=\"lead\">Active time per application (focused, with input; idle "
	      "and locked time excluded), summed over everyone.</p>\n", f);
	if (!napps || v->first_day > v->last_day) {
		fputs("<p class=\"empty\">No active time in the selection.</p>\n</section>\n", f);
		return 0;
	}
	if (v->last_day - v->first_day + 1 > MAX_COLUMNS)
		b = BY_WEEK;
	if (b == BY_WEEK && (v->last_day - v->first_day) / 7 + 2 > MAX_COLUMNS)
		b = BY_MONTH;
	/* the column of each day: every bucket from the first to the last,
	 * empty ones included */
	ndays = (size_t)(v->last_day - v->first_day) + 1;
	col = malloc(ndays * sizeof(*col));
	if (!col)
		goto out;
	for (size_t d = 0; d < ndays; d++) {
		int32_t day = v->first_day + (int32_t)d;
		if (d == 0 || bucket_of(b, day) != bucket_of(b, day - 1))
			nx++;
		col[d] = nx - 1;
	}
	ns = napps > STACK_APPS + 1 ? STACK_APPS + 1 : napps;
	vals = calloc(nx * ns, sizeof(*vals));
	series = calloc(ns, sizeof(*series));
	xlab = calloc(nx, sizeof(*xlab));
	xbuf = calloc(nx, sizeof(*xbuf));
	if (!vals || !series || !xlab || !xbuf)
		goto out;
	for (size_t k = 0; k < ns; k++)
		series[k] = k == STACK_APPS && napps > STACK_APPS + 1 ? "others" :
			    v->apps[v->app_order[k]].name;
	for (size_t d = 0; d < ndays; d++) {
		if (d && col[d] == col[d - 1])
			continue;
		bucket_label(b, bucket_of(b, v->first_day + (int32_t)d), xbuf[col[d]],
			     sizeof(xbuf[0]));
		xlab[col[d]] = xbuf[col[d]];
	}
	for (size_t i = 0; i < r->n_app_days; i++) {
		const struct mine_app_day *ad = &r->app_days[i];
		long a = names_get(&v->app_names, app_label(ad->app));
		int rank = v->apps[a].rank;

		vals[col[ad->day - v->first_day] * ns + (rank < 0 ? STACK_APPS : (size_t)rank)] +=
			(double)ad->active_ns / (double)NS_PER_H;
	}
	svg_stack(f, &(struct svg_stack){
		.x = xlab, .nx = nx, .series = series, .ns = ns, .v = vals,
		.y_axis = "hours",
		.x_axis = b == BY_DAY ? "day (UTC)" : b == BY_WEEK ? "week (UTC)" : "month (UTC)",
		.aria = "Active hours per application and day, stacked",
		.width = WIDTH, .height = 320,
	});

	/* the share of each application */
	size_t nsh = napps > SHARE_APPS + 1 ? SHARE_APPS + 1 : napps;
	double total = (double)r->totals.active_ns;
	share = calloc(nsh, sizeof(*share));
	labels = calloc(nsh, sizeof(*labels));
	notes = calloc(nsh, sizeof(*notes));
	nbuf = calloc(nsh, sizeof(*nbuf));
	if (!share || !labels || !notes || !nbuf)
		goto out;
	if (!(total > 0))
		for (size_t k = 0; k < napps; k++)
			total += (double)v->apps[k].active_ns;
	for (size_t k = 0; k < napps; k++) {
		size_t slot = k < nsh - 1 || nsh == napps ? k : nsh - 1;
		share[slot] += (double)v->apps[v->app_order[k]].active_ns / (double)NS_PER_H;
		labels[slot] = slot == k ? v->apps[v->app_order[k]].name : NULL;
	}
	if (nsh < napps) {
		snprintf(others, sizeof(others), "%zu others", napps - (nsh - 1));
		labels[nsh - 1] = others;
	}
	for (size_t k = 0; k < nsh; k++) {
		char h[24], p[16];
		svg_format_number(h, sizeof(h), round(share[k] * 10) / 10);
		fmt_percent(p, sizeof(p), share[k] * (double)NS_PER_H, total);
		snprintf(nbuf[k], sizeof(nbuf[k]), "%s h \xc2\xb7 %s", h, p);
		notes[k] = nbuf[k];
	}
	fputs("<h3>Share of active time</h3>\n", f);
	svg_bars(f, &(struct svg_bars){
		.labels = labels, .values = share, .notes = notes, .n = nsh,
		.axis = "hours", .aria = "Active hours per application",
		.width = WIDTH,
	});
	fputs("</section>\n", f);
	rc = 0;
out:
	free(col);
	free(vals);
	free(series);
	free(xlab);
	free(xbuf);
	free(share);
	free(labels);
	free(notes);
	free(nbuf);
	return rc;
}

static int
write_moves(FILE *f, struct view *v)
{
	const struct mine_result *r = v->r;
	size_t *order = NULL, n = 0, dim;
	const char **names = NULL, **labels = NULL, **notes = NULL;
	double *m = NULL, *counts = NULL;
	char (*lbuf)[160] = NULL, (*nbuf)[96] = NULL;
	int rc = -ENOMEM;

	fputs("<section id=\"moves\">\n<h2>Switches and copy-paste</h2>\n"
	      "<p class=\"lead\">How often people moved from one application (row) to "
	      "the next (column), and where what was copied was pasted.</p>\n", f);
	if (!r->n_transitions) {
		fputs("<p class=\"empty\">No application switches in the selection.</p>\n", f);
	} else {
		/* the applications with the most moves */
		order = malloc(v->app_names.n * sizeof(*order));
		if (!order)
			goto out;
		for (size_t i = 0; i < v->app_names.n; i++)
			if (v->apps[i].moves)
				order[n++] = i;
		/* selection by moves, then shown in order of active time */
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				const struct app_sum *x = &v->apps[order[i]], *y = &v->apps[order[j]];
				if (y->moves > x->moves ||
				    (y->moves == x->moves && strcmp(y->name, x->name) < 0)) {
					size_t t = order[i];
					order[i] = order[j];
					order[j] = t;
				}
			}
		dim = n > MATRIX_APPS + 1 ? MATRIX_APPS + 1 : n;
		names = calloc(dim, sizeof(*names));
		m = calloc(dim * dim, sizeof(*m));
		if (!names || !m)
			goto out;
		for (size_t k = 0; k < dim; k++) {
			bool other = k == MATRIX_APPS && n > MATRIX_APPS + 1;
			names[k] = other ? "others" : v->apps[order[k]].name;
			if (!other)
				v->apps[order[k]].mrank = (int)k;
		}
		for (size_t i = 0; i < r->n_transitions; i++) {
			const struct mine_transition *t = &r->transitions[i];
			int a = v->apps[names_get(&v->app_names, app_label(t->from))].mrank;
			int b = v->apps[names_get(&v->app_names, app_label(t->to))].mrank;
			size_t ra = a < 0 ? dim - 1 : (size_t)a, rb = b < 0 ? dim - 1 : (size_t)b;
			m[ra * dim + rb] += (double)t->count;
		}
		svg_matrix(f, &(struct svg_matrix){
			.rows = names, .cols = names, .nr = dim, .nc = dim, .v = m,
			.row_axis = "from", .col_axis = "to",
			.aria = "Application switches: from (rows) to (columns)",
		});
	}

	fputs("<h3>Copy \xe2\x86\x92 paste between applications</h3>\n", f);
	if (!r->n_flows) {
		fputs("<p class=\"empty\">No copy followed by a paste in another "
		      "application.</p>\n", f);
	} else {
		size_t nf = r->n_flows > TOP_FLOWS ? TOP_FLOWS : r->n_flows;
		labels = calloc(nf, sizeof(*labels));
		notes = calloc(nf, sizeof(*notes));
		counts = calloc(nf, sizeof(*counts));
		lbuf = calloc(nf, sizeof(*lbuf));
		nbuf = calloc(nf, sizeof(*nbuf));
		if (!labels || !notes || !counts || !lbuf || !nbuf)
			goto out;
		for (size_t i = 0; i < nf; i++) {
			const struct mine_flow *fl = &r->flows[i];
			char d[32], c[32];
			snprintf(lbuf[i], sizeof(lbuf[i]), "%s \xe2\x86\x92 %s",
				 app_label(fl->from), app_label(fl->to));
			fmt_duration(d, sizeof(d), fl->median_ns);
			svg_format_number(c, sizeof(c), (double)fl->count);
			snprintf(nbuf[i], sizeof(nbuf[i]), "%s \xc2\xb7 median %s", c, d);
			labels[i] = lbuf[i];
			notes[i] = nbuf[i];
			counts[i] = (double)fl->count;
		}
		svg_bars(f, &(struct svg_bars){
			.labels = labels, .values = counts, .notes = notes, .n = nf,
			.axis = "copy-paste flows", .color = svg_palette[1],
			.aria = "Copy in one application followed by paste in another",
			.width = WIDTH, .label_width = 300,
		});
		if (r->n_flows > nf)
			fprintf(f, "<p class=\"lead\">%zu more pairs of applications not "
				"shown.</p>\n", r->n_flows - nf);
	}
	fputs("</section>\n", f);
	rc = 0;
out:
	free(order);
	free(names);
	free(m);
	free(labels);
	free(notes);
	free(counts);
	free(lbuf);
	free(nbuf);
	return rc;
}

static void
write_tasks(FILE *f, const struct view *v, const struct report_options *o)
{
	const struct mine_result *r = v->r;
	size_t top = o->top_routines ? o->top_routines : 10;
	size_t n = r->n_tasks < top ? r->n_tasks : top;
	char buf[64], d[32];

	fputs("<section id=\"tasks\">\n<h2>Task types</h2>\n", f);
	if (!n) {
		fputs("<p class=\"empty\">No kind of task was done often enough to be "
		      "recognised in the selection.</p>\n", f);
	} else {
		fprintf(f, "<p class=\"lead\">The kinds of work of the working days: "
			"instances of the same steps, wherever they fall in the day. "
			"Ranked by the time they took. %zu task type%s found",
			r->n_tasks, r->n_tasks == 1 ? "" : "s");
		if (n < r->n_tasks)
			fprintf(f, "; the top %zu shown", n);
		fputs(". The routines below are the loops inside them.</p>\n", f);
		fputs("<table>\n<thead><tr><th class=\"n\">#</th><th>Task type: its "
		      "name, its main variant's steps, and examples</th><th class=\"n\">"
		      "Instances</th><th class=\"n\">People</th><th class=\"n\">Median"
		      "</th><th class=\"n\">Hours saved</th></tr></thead>\n<tbody>\n", f);
	}
	for (size_t i = 0; i < n; i++) {
		const struct mine_task *tk = &r->tasks[i];
		size_t shown = tk->n_steps > MAX_ACTIONS_SHOWN ? MAX_ACTIONS_SHOWN - 1 :
			       tk->n_steps;

		fprintf(f, "<tr><td class=\"n\">T%zu</td><td><b>", i + 1);
		text(f, tk->name);
		fprintf(f, "</b> (%zu variant%s)<ol class=\"steps\">", tk->variants,
			tk->variants == 1 ? "" : "s");
		for (size_t k = 0; k < shown; k++) {
			fputs("<li>", f);
			text(f, tk->steps[k]);
			fputs("</li>", f);
		}
		if (shown < tk->n_steps)
			fprintf(f, "<li>\xe2\x80\xa6 %zu more</li>", tk->n_steps - shown);
		fputs("</ol><ul class=\"ex\">", f);
		for (size_t k = 0; k < tk->n_instances && k < EXAMPLES; k++) {
			size_t idx = tk->n_instances <= EXAMPLES ? k :
				     k * (tk->n_instances - 1) / (EXAMPLES - 1);
			const struct mine_instance *in = &tk->instances[idx];

			fmt_when(buf, sizeof(buf), in->start_ns);
			fmt_duration(d, sizeof(d), in->end_ns > in->start_ns ?
				     in->end_ns - in->start_ns : 0);
			fputs("<li>", f);
			text(f, buf);
			fputs(" \xc2\xb7 ", f);
			text(f, in->user ? in->user : "");
			fputs(" \xc2\xb7 ", f);
			text(f, d);
			fputs("</li>", f);
		}
		svg_format_number(buf, sizeof(buf), (double)tk->n_instances);
		fmt_duration(d, sizeof(d), tk->median_ns);
		fprintf(f, "</ul></td><td class=\"n\">%s</td><td class=\"n\">%zu</td>"
			"<td class=\"n\">%s</td>", buf, tk->users, d);
		svg_format_number(buf, sizeof(buf), round(tk->hours_saved * 10) / 10);
		fprintf(f, "<td class=\"n\">%s</td></tr>\n", buf);
	}
	if (n)
		fputs("</tbody>\n</table>\n", f);
	fputs("<p class=\"method\">Method: ", f);
	text(f, r->task_method && *r->task_method ? r->task_method : "not stated");
	fputs(".</p>\n</section>\n", f);
}

static void
write_routines(FILE *f, const struct view *v, const struct report_options *o)
{
	const struct mine_result *r = v->r;
	size_t top = o->top_routines ? o->top_routines : 10;
	size_t n = r->n_routines < top ? r->n_routines : top;
	double saved = 0;
	char buf[64], d[32];

	for (size_t i = 0; i < r->n_routines; i++)
		saved += r->routines[i].hours_saved;
	fputs("<section id=\"routines\">\n<h2>Routines worth automating</h2>\n", f);
	if (!n) {
		fputs("<p class=\"empty\">No routine was repeated often enough to be "
		      "found in the selection.</p>\n", f);
	} else {
		fprintf(f, "<p class=\"lead\">The same sequence of actions, repeated. "
			"Ranked by occurrences \xc3\x97 median duration. %zu routine%s found",
			r->n_routines, r->n_routines == 1 ? "" : "s");
		if (n < r->n_routines)
			fprintf(f, "; the top %zu shown", n);
		svg_format_number(buf, sizeof(buf), round(saved * 10) / 10);
		fprintf(f, "; estimated hours saved by automating all: %s.</p>\n", buf);
		fputs("<table>\n<thead><tr><th class=\"n\">#</th><th>Routine: its actions, "
		      "and examples</th><th class=\"n\">Occurrences</th><th class=\"n\">"
		      "People</th><th class=\"n\">Median</th><th class=\"n\">Hours saved"
		      "</th></tr></thead>\n<tbody>\n", f);
	}
	for (size_t i = 0; i < n; i++) {
		const struct mine_routine *rt = &r->routines[i];
		size_t shown = rt->n_actions > MAX_ACTIONS_SHOWN ? MAX_ACTIONS_SHOWN - 1 :
			       rt->n_actions;

		fprintf(f, "<tr><td class=\"n\">%zu</td><td><ol class=\"steps\">", i + 1);
		for (size_t k = 0; k < shown; k++) {
			fputs("<li>", f);
			text(f, rt->actions[k]);
			fputs("</li>", f);
		}
		if (shown < rt->n_actions)
			fprintf(f, "<li>\xe2\x80\xa6 %zu more</li>", rt->n_actions - shown);
		fputs("</ol><ul class=\"ex\">", f);
		for (size_t k = 0; k < rt->n_instances && k < EXAMPLES; k++) {
			/* spread over the instances: first, middle, last */
			size_t idx = rt->n_instances <= EXAMPLES ? k :
				     k * (rt->n_instances - 1) / (EXAMPLES - 1);
			const struct mine_instance *in = &rt->instances[idx];

			fmt_when(buf, sizeof(buf), in->start_ns);
			fmt_duration(d, sizeof(d), in->end_ns > in->start_ns ?
				     in->end_ns - in->start_ns : 0);
			fputs("<li>", f);
			text(f, buf);
			fputs(" \xc2\xb7 ", f);
			text(f, in->user ? in->user : "");
			fputs(" \xc2\xb7 ", f);
			text(f, d);
			fputs("</li>", f);
		}
		svg_format_number(buf, sizeof(buf), (double)rt->occurrences);
		fmt_duration(d, sizeof(d), rt->median_ns);
		fprintf(f, "</ul></td><td class=\"n\">%s</td><td class=\"n\">%zu</td>"
			"<td class=\"n\">%s</td>", buf, rt->users, d);
		svg_format_number(buf, sizeof(buf), round(rt->hours_saved * 10) / 10);
		fprintf(f, "<td class=\"n\">%s</td></tr>\n", buf);
	}
	if (n)
		fputs("</tbody>\n</table>\n", f);
	fputs("<p class=\"method\">Method: ", f);
	text(f, r->method && *r->method ? r->method : "not stated");
	fputs(". Hours saved is an estimate: the time the found instances took, "
	      "which automation could at best remove.</p>\n</section>\n", f);
}

static int
write_people(FILE *f, const struct view *v, const struct report_options *o)
{
	size_t np = v->user_names.n, shown = np > TOP_PEOPLE ? TOP_PEOPLE : np;
	const char **labels = NULL, **notes = NULL;
	double *hours = NULL;
	char (*nbuf)[80] = NULL, buf[64], pct[24];

	fputs("<section id=\"people\">\n<h2>People</h2>\n<p class=\"lead\">", f);
	fputs(o->pseudonymized ? "Each person under a keyed pseudonym (the same as in "
	      "the exports of this site); the names are not in this file."
	      : "Each person by user name.", f);
	if (np > shown)
		fprintf(f, " The %zu with the most active time are shown, then the other "
			"%zu together.", shown, np - shown);
	fputs("</p>\n", f);
	if (!np) {
		fputs("<p class=\"empty\">Nobody was active in the selection.</p>\n</section>\n", f);
		return 0;
	}
	labels = calloc(shown, sizeof(*labels));
	notes = calloc(shown, sizeof(*notes));
	hours = calloc(shown, sizeof(*hours));
	nbuf = calloc(shown, sizeof(*nbuf));
	if (!labels || !notes || !hours || !nbuf) {
		free(labels);
		free(notes);
		free(hours);
		free(nbuf);
		return -ENOMEM;
	}
	for (size_t k = 0; k < shown; k++) {
		const struct person *p = &v->people[v->people_order[k]];
		labels[k] = *p->name ? p->name : "(unknown)";
		hours[k] = (double)p->active_ns / (double)NS_PER_H;
		fmt_hours(buf, sizeof(buf), p->active_ns);
		snprintf(nbuf[k], sizeof(nbuf[k]), "%s h", buf);
		notes[k] = nbuf[k];
	}
	svg_bars(f, &(struct svg_bars){
		.labels = labels, .values = hours, .notes = notes, .n = shown,
		.axis = "active hours", .color = svg_palette[2],
		.aria = "Active hours per person", .width = WIDTH,
	});
	fputs("<table>\n<thead><tr><th>Person</th><th class=\"n\">Days</th>"
	      "<th class=\"n\">Active hours</th><th class=\"n\">Hours per day</th>"
	      "<th class=\"n\">Switches per hour</th><th>Main application</th>"
	      "<th class=\"n\">Routine instances</th></tr></thead>\n<tbody>\n", f);
	struct person rest = { .name = "" };
	size_t nrest = 0;
	for (size_t k = 0; k <= shown; k++) {
		const struct person *p;
		double h;

		if (k == shown) {
			if (!nrest)
				break;
			p = &rest;
		} else {
			p = &v->people[v->people_order[k]];
		}
		h = (double)p->active_ns / (double)NS_PER_H;
		fputs("<tr><td>", f);
		if (k == shown)
			fprintf(f, "%zu others", nrest);
		else
			text(f, labels[k]);
		fmt_hours(buf, sizeof(buf), p->active_ns);
		fprintf(f, "</td><td class=\"n\">%u</td><td class=\"n\">%s</td>", p->days, buf);
		svg_format_number(buf, sizeof(buf), p->days ? round(10 * h / p->days) / 10 : 0);
		fprintf(f, "<td class=\"n\">%s</td>", buf);
		svg_format_number(buf, sizeof(buf), h > 0 ? round(10 * (double)p->switches / h) / 10 : 0);
		fprintf(f, "<td class=\"n\">%s</td><td>", buf);
		if (k < shown && p->top_app_ns) {
			text(f, v->app_names.s[p->top_app]);
			fmt_percent(pct, sizeof(pct), (double)p->top_app_ns, (double)p->active_ns);
			fprintf(f, " <span class=\"lead\">(%s)</span>", pct);
		} else if (k < shown) {
			fputs("\xe2\x80\x94", f);
		}
		fprintf(f, "</td><td class=\"n\">%zu</td></tr>\n", p->instances);
		if (k == shown)
			break;
		/* the rest, summed, for the last row */
		if (k + 1 == shown) {
			for (size_t j = shown; j < np; j++) {
				const struct person *q = &v->people[v->people_order[j]];
				rest.active_ns += q->active_ns;
				rest.switches += q->switches;
				rest.days += q->days;
				rest.instances += q->instances;
				nrest++;
			}
		}
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
	free(labels);
	free(notes);
	free(hours);
	free(nbuf);
	return 0;
}

static void
write_about(FILE *f, const struct report_options *o)
{
	fputs("<section id=\"about\" class=\"about\">\n<h2>About this report</h2>\n"
	      "<p>Made by tasktrace from records of input and window focus. What the "
	      "records cannot show:</p>\n<ul>\n"
	      "<li><b>No text.</b> Typing is stored as bursts (how long, how many "
	      "keys of each class), never the keys or words; copy and paste are "
	      "shortcuts, never what was copied.</li>\n"
	      "<li><b>No screenshots</b> and no screen content: an application is "
	      "known by its name and window title only.</li>\n"
	      "<li><b>Locked and idle time is absent.</b> While the screen is locked "
	      "nothing is recorded; time without input beyond the idle threshold is "
	      "counted as idle, not as work in an application. Reading, thinking, "
	      "phone calls and meetings away from the keyboard look alike.</li>\n"
	      "<li><b>Deny-listed applications are blank.</b> Nothing is recorded "
	      "while they have focus (password managers by default", f);
	if (o->deny_apps && o->deny_apps[0]) {
		size_t n = 0;
		fputs("; on the machine that wrote this report: ", f);
		for (; o->deny_apps[n] && n < 8; n++) {
			if (n)
				fputs(", ", f);
			text(f, o->deny_apps[n]);
		}
		if (o->deny_apps[n])
			fputs(", \xe2\x80\xa6", f);
	}
	fputs("). Users excluded by the site are not recorded at all.</li>\n"
	      "<li><b>Routines are patterns, not processes.</b> They are found from "
	      "the order of actions alone; whether one is worth automating needs the "
	      "people who do it.</li>\n</ul>\n</section>\n", f);
}

int
report_write(FILE *f, const struct mine_result *r, const struct report_options *o)
{
	struct view v;
	int rc;

	rc = view_build(&v, r);
	if (rc < 0)
		goto out;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"tasktrace " TT_VERSION "\">\n<title>", f);
	text(f, o->title ? o->title : "Work patterns");
	fputs(" \xe2\x80\x94 tasktrace</title>\n<style>\n", f);
	fputs(css, f);
	fputs("</style>\n</head>\n<body>\n<main>\n", f);
	write_header(f, &v, o);
	write_tasks(f, &v, o);
	if ((rc = write_time(f, &v)) < 0)
		goto out;
	if ((rc = write_moves(f, &v)) < 0)
		goto out;
	write_routines(f, &v, o);
	if ((rc = write_people(f, &v, o)) < 0)
		goto out;
	write_about(f, o);
	fputs("<footer>tasktrace " TT_VERSION " \xc2\xb7 all times UTC</footer>\n"
	      "</main>\n</body>\n</html>\n", f);
	rc = ferror(f) ? -EIO : 0;
out:
	view_free(&v);
	return rc;
}
