/* SPDX-License-Identifier: MIT */
/*
 * The report's renderer and chart module without a store: escaping,
 * scales, the geometry of bars, stacked columns and the matrix, and pages
 * written from mining results built here — hostile names, many
 * applications and people (top-N with "others"), an empty result — read
 * back for what must and must not be in them. Every <svg> of a page must
 * be well-formed XML (libxml2), which an unescaped name would break.
 */
#include <errno.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mining/report/report.h"
#include "mining/report/svg.h"
#include "harness.h"

#define HOSTILE "<script>document.title='pwned'</script>"
#define DAY0 20458	/* 2026-01-05, a Monday */

/* --- helpers --------------------------------------------------------------- */

/* Run @p fn(f, arg) into a string. */
static char *
capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, arg);
	fclose(f);
	return buf;
}

static void
do_escape(FILE *f, const void *s)
{
	svg_escape(f, s);
}

static void
do_cut8(FILE *f, const void *s)
{
	svg_escape_cut(f, s, 8);
}

static void
do_bars(FILE *f, const void *c)
{
	svg_bars(f, c);
}

static void
do_stack(FILE *f, const void *c)
{
	svg_stack(f, c);
}

static void
do_matrix(FILE *f, const void *c)
{
	svg_matrix(f, c);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The numeric attribute @p name of the @p k-th element starting with
 * @p tag ("<rect class=\"bar\""); NAN when absent. */
static double
attr(const char *s, const char *tag, int k, const char *name)
{
	const char *p = s, *end;
	char key[32];

	for (int i = 0; i <= k; i++) {
		p = strstr(p, tag);
		if (!p)
			return NAN;
		if (i < k)
			p += strlen(tag);
	}
	end = strchr(p, '>');
	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(p, key);
	if (!p || p > end)
		return NAN;
	return strtod(p + strlen(key), NULL);
}

/* Every <svg>…</svg> of @p html parses as XML. Returns how many. */
static int
svgs_well_formed(const char *html)
{
	int n = 0;

	for (const char *p = html; (p = strstr(p, "<svg")); n++) {
		const char *e = strstr(p, "</svg>");
		xmlDocPtr doc;

		if (!e)
			return -1;
		e += strlen("</svg>");
		doc = xmlReadMemory(p, (int)(e - p), "chart.svg", "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (!doc)
			return -1;
		xmlFreeDoc(doc);
		p = e;
	}
	return n;
}

/* Nothing that would make a browser fetch or run anything. */
static const char *
external_reference(const char *html)
{
	static const char *const bad[] = {
		"http", "//", "url(", "@import", "@font-face", "<script", "<link",
		"<img", "<iframe", "<object", "<embed", " src=", "javascript:",
		"onload", "onerror", "xlink:href",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(html, bad[i]))
			return bad[i];
	for (const char *p = html; (p = strstr(p, "href=\"")); p += 6)
		if (p[6] != '#')
			return "href not to an anchor";
	return NULL;
}

/* --- a mining result, built here ------------------------------------------ */

struct fixture {
	struct mine_result r;
	char **strings;
	size_t nstrings;
};

static const char *
str(struct fixture *fx, const char *fmt, unsigned i)
{
	char buf[128];

	snprintf(buf, sizeof(buf), fmt, i);
	fx->strings = realloc(fx->strings, (fx->nstrings + 1) * sizeof(char *));
	return fx->strings[fx->nstrings++] = strdup(buf);
}

/* @p apps applications, @p users people, @p days days; app 1 and user 1
 * carry hostile names. */
static void
fixture_build(struct fixture *fx, unsigned apps, unsigned users, unsigned days,
	      unsigned routines)
{
	struct mine_result *r = &fx->r;
	size_t k = 0;

	memset(fx, 0, sizeof(*fx));
	r->app_days = calloc((size_t)apps * users * days + 1, sizeof(*r->app_days));
	for (unsigned u = 0; u < users; u++) {
		const char *user = u == 1 ? HOSTILE : str(fx, "user%02u", u);
		for (unsigned d = 0; d < days; d++) {
			for (unsigned a = 0; a < apps; a++) {
				struct mine_app_day *ad = &r->app_days[k++];
				ad->user = user;
				ad->app = a == 1 ? HOSTILE " & \"quotes\"" :
					  a == 2 ? "" : str(fx, "app-%u", a);
				ad->day = DAY0 + (int32_t)d;
				/* app a: (apps - a) × 10 minutes a day */
				ad->active_ns = (uint64_t)(apps - a) * 600000000000ULL;
				ad->switches_to = apps - a;
				r->totals.active_ns += ad->active_ns;
				r->totals.switches += ad->switches_to;
			}
			r->totals.days++;
		}
	}
	r->n_app_days = k;
	r->totals.users = users;
	r->totals.records = 123456789;
	r->totals.idle_ns = r->totals.active_ns / 4;
	r->totals.first_ns = (uint64_t)DAY0 * 86400 * 1000000000ULL;
	r->totals.last_ns = r->totals.first_ns + (uint64_t)days * 86400 * 1000000000ULL - 1;

	r->transitions = calloc((size_t)apps * apps + 1, sizeof(*r->transitions));
	for (unsigned a = 0; a < apps; a++)
		for (unsigned b = 0; b < apps; b++) {
			if (a == b)
				continue;
			struct mine_transition *t = &r->transitions[r->n_transitions++];
			t->from = r->app_days[a].app;
			t->to = r->app_days[b].app;
			t->count = (uint64_t)(apps - a) * (apps - b);
			t->median_dwell_ns = 30000000000ULL;
		}
	r->flows = calloc(apps + 1, sizeof(*r->flows));
	for (unsigned a = 0; a + 1 < apps && a < 12; a++) {
		struct mine_flow *fl = &r->flows[r->n_flows++];
		fl->from = r->app_days[a].app;
		fl->to = r->app_days[a + 1].app;
		fl->count = 100 - a;
		fl->median_ns = 4500000000ULL;
	}
	r->routines = calloc(routines + 1, sizeof(*r->routines));
	for (unsigned i = 0; i < routines; i++) {
		struct mine_routine *rt = &r->routines[r->n_routines++];
		rt->n_actions = 3 + i % 14;
		rt->actions = calloc(rt->n_actions, sizeof(char *));
		for (size_t j = 0; j < rt->n_actions; j++)
			rt->actions[j] = j == 1 ? "Switch to " HOSTILE : str(fx, "Shortcut Ctrl+%c in calc",
									   'A' + (unsigned)j);
		rt->n_instances = rt->occurrences = 20 - i % 10;
		rt->instances = calloc(rt->n_instances, sizeof(*rt->instances));
		for (size_t j = 0; j < rt->n_instances; j++) {
			rt->instances[j].user = r->app_days[(j % users) * apps * days].user;
			rt->instances[j].start_ns = r->totals.first_ns + 9 * 3600000000000ULL +
						    j * 600000000000ULL;
			rt->instances[j].end_ns = rt->instances[j].start_ns + 42000000000ULL;
		}
		rt->users = users < rt->n_instances ? users : rt->n_instances;
		rt->median_ns = 42000000000ULL;
		rt->total_ns = rt->median_ns * rt->n_instances;
		rt->hours_saved = (double)rt->total_ns / 3.6e12;
	}
	r->method = "suffix array over each person's actions <cut at idle>";
}

static void
fixture_free(struct fixture *fx)
{
	for (size_t i = 0; i < fx->nstrings; i++)
		free(fx->strings[i]);
	free(fx->strings);
	for (size_t i = 0; i < fx->r.n_routines; i++) {
		free(fx->r.routines[i].actions);
		free(fx->r.routines[i].instances);
	}
	free(fx->r.routines);
	free(fx->r.app_days);
	free(fx->r.transitions);
	free(fx->r.flows);
}

static char *
render(const struct mine_result *r, const struct report_options *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return NULL;
	rc = report_write(f, r, o);
	fclose(f);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* --- escaping -------------------------------------------------------------- */

TEST(escape_markup)
{
	char *s = capture(do_escape, "<script>alert(1)</script> & \"x\" 'y'");

	CHECK_STR(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;");
	free(s);
}

TEST(escape_invalid_utf8_and_controls)
{
	/* a stray continuation byte, a truncated sequence, ESC, and a
	 * correct "é" */
	char *s = capture(do_escape, "a\x80" "b\xc3" "c\x1b" "d\xc3\xa9");

	CHECK_STR(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xc3\xa9");
	free(s);
}

TEST(escape_cut_counts_code_points)
{
	char *s = capture(do_cut8, "\xc3\xa9t\xc3\xa9 \xc3\xa0 la plage");	/* "été à la plage" */

	/* 7 code points, then the ellipsis */
	CHECK_STR(s, "\xc3\xa9t\xc3\xa9 \xc3\xa0 l\xe2\x80\xa6");
	free(s);
	s = capture(do_cut8, "<<<<<<<<<<");
	CHECK_STR(s, "&lt;&lt;&lt;&lt;&lt;&lt;&lt;\xe2\x80\xa6");
	free(s);
	s = capture(do_cut8, "short");
	CHECK_STR(s, "short");
	free(s);
}

/* --- numbers --------------------------------------------------------------- */

TEST(nice_scale)
{
	static const struct { double max; unsigned ticks; double top, step; } t[] = {
		{ 7.3, 5, 8, 2 }, { 10, 5, 10, 2 }, { 0.9, 5, 1, 0.2 },
		{ 12345, 5, 12500, 2500 }, { 1, 4, 1, 0.25 }, { 0, 5, 1, 0.2 },
		{ 99, 5, 100, 20 }, { 41, 5, 50, 10 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct svg_scale sc;
		svg_nice_scale(t[i].max, t[i].ticks, &sc);
		CHECK_MSG(fabs(sc.top - t[i].top) < 1e-9 && fabs(sc.step - t[i].step) < 1e-9,
			  "max %g: top %g step %g, want %g %g", t[i].max, sc.top, sc.step,
			  t[i].top, t[i].step);
		CHECK(sc.ticks <= t[i].ticks && sc.top >= t[i].max);
		CHECK(fabs(sc.step * sc.ticks - sc.top) < 1e-9);
	}
}

TEST(number_format)
{
	static const struct { double v; const char *s; } t[] = {
		{ 0, "0" }, { 12, "12" }, { 2.5, "2.5" }, { 1234, "1,234" },
		{ 1234567, "1,234,567" }, { 0.25, "0.25" }, { 0.5, "0.5" }, { 12.3, "12.3" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		svg_format_number(buf, sizeof(buf), t[i].v);
		CHECK_STR(buf, t[i].s);
	}
}

/* --- chart geometry -------------------------------------------------------- */

TEST(bars_geometry)
{
	static const char *const labels[] = { "calc", "mail " HOSTILE, "idle" };
	static const double values[] = { 10, 5, 0 };
	struct svg_bars c = {
		.labels = labels, .values = values, .n = 3, .axis = "hours",
		.width = 600, .label_width = 150,
	};
	char *s = capture(do_bars, &c);
	double w0 = attr(s, "<rect class=\"bar\"", 0, "width");
	double w1 = attr(s, "<rect class=\"bar\"", 1, "width");
	double w2 = attr(s, "<rect class=\"bar\"", 2, "width");

	CHECK(s);
	CHECK_EQ(count(s, "<rect class=\"bar\""), 3);
	/* scale 0 … 10: the longest bar fills the plot (600 - 150 - 24) */
	CHECK_MSG(fabs(w0 - 426) < 0.11, "w0 %g", w0);
	CHECK_MSG(fabs(w0 - 2 * w1) < 0.11, "w0 %g w1 %g", w0, w1);
	CHECK(w2 == 0);
	CHECK(attr(s, "<rect class=\"bar\"", 0, "x") == 150);
	CHECK(attr(s, "<rect class=\"bar\"", 1, "y") > attr(s, "<rect class=\"bar\"", 0, "y"));
	CHECK_CONTAINS(s, ">hours</text>");
	CHECK(!strstr(s, "<script"));
	CHECK_EQ(svgs_well_formed(s), 1);
	free(s);
}

TEST(stack_geometry)
{
	static const char *const x[] = { "Mon", "Tue" };
	static const char *const series[] = { "calc", "mail", "others" };
	/* Mon: 1 + 2 + 3 = 6; Tue: 3 + 0 + 0 = 3 */
	static const double v[] = { 1, 2, 3, 3, 0, 0 };
	struct svg_stack c = {
		.x = x, .nx = 2, .series = series, .ns = 3, .v = v,
		.y_axis = "hours", .x_axis = "day", .width = 700, .height = 300,
	};
	char *s = capture(do_stack, &c);
	double h[4], y[4];

	CHECK(s);
	/* the zero segments are not drawn */
	CHECK_EQ(count(s, "<rect class=\"seg\""), 4);
	for (int i = 0; i < 4; i++) {
		h[i] = attr(s, "<rect class=\"seg\"", i, "height");
		y[i] = attr(s, "<rect class=\"seg\"", i, "y");
	}
	/* proportional heights, stacked without gaps, Mon twice Tue */
	CHECK(fabs(h[1] - 2 * h[0]) < 0.02 && fabs(h[2] - 3 * h[0]) < 0.02);
	CHECK(fabs(y[0] - (y[1] + h[1])) < 0.02 && fabs(y[1] - (y[2] + h[2])) < 0.02);
	CHECK(fabs((h[0] + h[1] + h[2]) - 2 * h[3]) < 0.03);
	/* both columns stand on the same base line */
	CHECK(fabs((y[0] + h[0]) - (y[3] + h[3])) < 0.02);
	/* "others" is grey, the others take the palette in order */
	CHECK_CONTAINS(s, "fill=\"" SVG_OTHERS "\"><title>Mon");
	CHECK(attr(s, "<rect class=\"seg\"", 0, "x") < attr(s, "<rect class=\"seg\"", 3, "x"));
	CHECK_EQ(count(s, "<g class=\"legend\">"), 3);
	CHECK_EQ(svgs_well_formed(s), 1);
	free(s);
}

TEST(matrix_geometry_and_shade)
{
	static const char *const names[] = { "calc", HOSTILE };
	static const double v[] = { 0, 10, 1, 0 };
	struct svg_matrix c = {
		.rows = names, .cols = names, .nr = 2, .nc = 2, .v = v,
		.row_axis = "from", .col_axis = "to", .cell = 40,
	};
	char *s = capture(do_matrix, &c), prev[8] = "", cur[8];
	int last = 3 * 255 + 1;

	CHECK(s);
	CHECK_EQ(count(s, "<rect class=\"cell\""), 4);
	CHECK(attr(s, "<rect class=\"cell\"", 1, "x") - attr(s, "<rect class=\"cell\"", 0, "x") == 40);
	CHECK(attr(s, "<rect class=\"cell\"", 2, "y") - attr(s, "<rect class=\"cell\"", 0, "y") == 40);
	CHECK_CONTAINS(s, "calc \xe2\x86\x92 &lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;: 10<");
	/* shading: darker (smaller r+g+b) with every step up */
	for (int k = 0; k <= 10; k++) {
		unsigned r, g, b;
		svg_shade(k / 10.0, cur);
		CHECK(sscanf(cur, "#%2x%2x%2x", &r, &g, &b) == 3);
		CHECK_MSG((int)(r + g + b) < last, "shade %s after %s", cur, prev);
		last = (int)(r + g + b);
		memcpy(prev, cur, sizeof(cur));
	}
	CHECK_EQ(svgs_well_formed(s), 1);
	free(s);
}

/* --- pages ----------------------------------------------------------------- */

TEST(page_escapes_every_store_string)
{
	struct fixture fx;
	struct report_options o = { .title = "Team " HOSTILE, .host = "h-" HOSTILE };
	char *html;

	fixture_build(&fx, 5, 3, 5, 4);
	html = render(&fx.r, &o);
	CHECK(html);
	CHECK_MSG(!strstr(html, "<script"), "a raw <script in the page");
	CHECK_MSG(!strstr(html, "'pwned'"), "a raw quote of a name in the page");
	/* the title, app, user and action names all appear, as text */
	CHECK(count(html, "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;") >= 6);
	CHECK_CONTAINS(html, "&amp; &quot;quotes&quot;");
	CHECK_CONTAINS(html, "&lt;cut at idle&gt;");
	CHECK(svgs_well_formed(html) >= 5);
	fixture_free(&fx);
	free(html);
}

TEST(page_has_no_external_reference)
{
	struct fixture fx;
	struct report_options o = { .host = "0123456789abcdef", .generated_ns = 1 };
	char *html;
	const char *bad;

	fixture_build(&fx, 6, 4, 3, 3);
	html = render(&fx.r, &o);
	CHECK(html);
	bad = external_reference(html);
	CHECK_MSG(!bad, "the page has \"%s\"", bad);
	fixture_free(&fx);
	free(html);
}

TEST(page_sections_and_figures)
{
	struct fixture fx;
	static char *deny[] = { "keepassxc", "1password", NULL };
	struct report_options o = { .pseudonymized = true, .deny_apps = deny };
	char *html;

	fixture_build(&fx, 4, 2, 5, 12);
	html = render(&fx.r, &o);
	CHECK(html);
	CHECK_CONTAINS(html, "<!DOCTYPE html>");
	CHECK_CONTAINS(html, "<h2>Where the time goes</h2>");
	CHECK_CONTAINS(html, "<h2>Switches and copy-paste</h2>");
	CHECK_CONTAINS(html, "<h2>Routines worth automating</h2>");
	CHECK_CONTAINS(html, "<h2>People</h2>");
	CHECK_CONTAINS(html, "<h2>About this report</h2>");
	CHECK_CONTAINS(html, "keepassxc, 1password");
	CHECK_CONTAINS(html, "pseudonym");
	/* headline figures: 2 people, 5 days (10 person-days), 4 apps of
	 * (4+3+2+1)×10 min = 100 min a day each → 2·5·100 min = 16.7 h,
	 * idle 1/5 of the whole, 1,234… records */
	CHECK_CONTAINS(html, "<b>2</b><span>people</span>");
	CHECK_CONTAINS(html, "<b>5</b><span>days</span><small>10 person-days</small>");
	CHECK_CONTAINS(html, "<b>16.7</b><span>active hours</span>");
	CHECK_CONTAINS(html, "<b>20 %</b><span>idle share</span>");
	CHECK_CONTAINS(html, "<b>123,456,789</b><span>records</span>");
	/* 10 switches per day and person in 100 min: 6 per hour */
	CHECK_CONTAINS(html, "<b>6</b><span>switches per hour</span>");
	/* the top 10 of 12 routines, three examples each */
	CHECK_EQ(count(html, "<ol class=\"steps\">"), 10);
	CHECK_EQ(count(html, "<ul class=\"ex\">"), 10);
	CHECK_EQ(count(html, "<ul class=\"ex\"><li>") , 10);
	CHECK_CONTAINS(html, "the top 10 shown");
	CHECK_CONTAINS(html, "Mon 05 Jan 2026 09:00");
	CHECK_CONTAINS(html, "Method: suffix array");
	/* one column per day, Monday to Friday */
	CHECK_CONTAINS(html, ">Mon 05 Jan</text>");
	CHECK_CONTAINS(html, ">Fri 09 Jan</text>");
	/* the application without a name */
	CHECK_CONTAINS(html, "(no application)");
	fixture_free(&fx);
	free(html);
}

TEST(page_top_n_with_others)
{
	struct fixture fx;
	struct report_options o = { 0 };
	char *html, *sec;

	/* 40 applications, 60 people, 45 days: weeks, 8 apps + others,
	 * 25 people + "35 others", a matrix of 10 + others */
	fixture_build(&fx, 40, 60, 45, 30);
	html = render(&fx.r, &o);
	CHECK(html);
	sec = strstr(html, "<section id=\"time\">");
	CHECK(sec);
	CHECK_EQ(count(sec, "<g class=\"legend\">") - count(strstr(sec, "</section>"), "<g class=\"legend\">"), 9);
	CHECK_CONTAINS(html, ">others<title>others</title>");
	CHECK_CONTAINS(html, "28 others");	/* the share: 12 of 40 shown */
	/* 2,400 application-days a day: still 45 days */
	CHECK_CONTAINS(html, "<b>45</b><span>days</span><small>2,700 person-days</small>");
	CHECK_CONTAINS(html, "week (UTC)");
	CHECK_CONTAINS(html, ">wk 05 Jan</text>");
	/* 45 days from a Monday: 7 weeks, all columns labelled */
	CHECK_EQ(count(html, "\">wk "), 7);
	CHECK_EQ(count(html, "<rect class=\"cell\""), 11 * 11);
	CHECK_CONTAINS(html, "<td>35 others</td>");
	CHECK_EQ(count(strstr(html, "<section id=\"people\">"), "<tr><td>"), 26);
	/* a screenful: no chart taller than 800 px */
	for (const char *p = html; (p = strstr(p, "<svg")); p++)
		CHECK(attr(p, "<svg", 0, "height") <= 800);
	CHECK(strlen(html) < 400 * 1024);
	CHECK(!external_reference(html));
	fixture_free(&fx);
	free(html);
}

TEST(page_of_nothing)
{
	struct mine_result r = { .method = NULL };
	struct report_options o = { 0 };
	char *html = render(&r, &o);

	CHECK(html);
	CHECK_CONTAINS(html, "No records selected");
	CHECK_CONTAINS(html, "No active time in the selection.");
	CHECK_CONTAINS(html, "No application switches in the selection.");
	CHECK_CONTAINS(html, "No routine was repeated often enough");
	CHECK_CONTAINS(html, "Nobody was active in the selection.");
	CHECK_CONTAINS(html, "<b>0</b><span>people</span>");
	CHECK(!external_reference(html));
	CHECK_CONTAINS(html, "</html>");
	free(html);
}

TEST(write_error_is_reported)
{
	struct fixture fx;
	struct report_options o = { 0 };
	FILE *f = fopen("/dev/full", "w");
	int rc;

	CHECK(f);
	setvbuf(f, NULL, _IONBF, 0);
	fixture_build(&fx, 3, 2, 2, 2);
	rc = report_write(f, &fx.r, &o);
	fclose(f);
	fixture_free(&fx);
	CHECK(rc == -EIO);
}
