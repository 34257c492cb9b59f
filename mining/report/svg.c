/* SPDX-License-Identifier: MIT */
/*
 * Inline SVG charts for the report (svg.h). Sizes are in CSS pixels; the
 * text metrics are estimates (the report names no font, so the reader's
 * system font is used): labels are cut to a number of characters that
 * fits at 12 px in the common sans-serif fonts, with the full text in
 * the shape's <title>.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mining/format.h"
#include "mining/report/svg.h"

const char *const svg_palette[SVG_PALETTE] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f",
};

#define FONT_PX 12
#define CHAR_PX 6.6		/* average advance at 12 px, generous */
#define GRID "#e3e6ea"
#define INK "#2b2f36"
#define MUTED "#6b7280"

/* --- text --------------------------------------------------------------- */

static void
escape_n(FILE *f, const char *s, size_t len)
{
	struct fmt_buf scratch = { 0 };
	size_t n;
	const char *t = fmt_utf8_clean(s, len, FMT_CLEAN_CONTROL, &scratch, &n);

	if (!t) {
		fputs("\xef\xbf\xbd", f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		switch (t[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(t[i], f); break;
		}
	}
	fmt_buf_free(&scratch);
}

void
svg_escape(FILE *f, const char *s)
{
	escape_n(f, s ? s : "", s ? strlen(s) : 0);
}

size_t
svg_text_len(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void
svg_escape_cut(FILE *f, const char *s, size_t max)
{
	size_t chars = 0, i;

	if (!s)
		s = "";
	if (max < 2)
		max = 2;
	if (svg_text_len(s) <= max) {
		svg_escape(f, s);
		return;
	}
	/* Keep max-1 code points, then the ellipsis. */
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max - 1)
			break;
	}
	escape_n(f, s, i);
	fputs("\xe2\x80\xa6", f);
}

/* --- numbers and scales ------------------------------------------------- */

void
svg_nice_scale(double max, unsigned max_ticks, struct svg_scale *out)
{
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	double raw, mag;

	if (max_ticks < 2)
		max_ticks = 2;
	if (!(max > 0) || !isfinite(max))
		max = 1;
	raw = max / max_ticks;
	mag = pow(10, floor(log10(raw)));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		double step = steps[i] * mag;
		double ticks = ceil(max / step - 1e-9);

		if (ticks <= max_ticks) {
			out->step = step;
			out->ticks = ticks < 1 ? 1 : (unsigned)ticks;
			out->top = step * out->ticks;
			return;
		}
	}
	/* not reached: 10 × mag always fits */
	out->step = 10 * mag;
	out->ticks = (unsigned)ceil(max / out->step);
	out->top = out->step * out->ticks;
}

void
svg_format_number(char *buf, size_t len, double v)
{
	double r = round(v);

	if (fabs(v - r) < 1e-9 * (fabs(v) > 1 ? fabs(v) : 1)) {
		/* an integer, with thousands separators */
		char digits[32], *p = buf;
		long long x = llabs((long long)r);
		int n = snprintf(digits, sizeof(digits), "%lld", x);

		if (len < (size_t)n + (size_t)n / 3 + 2) {
			snprintf(buf, len, "%lld", (long long)r);
			return;
		}
		if (r < 0)
			*p++ = '-';
		for (int i = 0; i < n; i++) {
			*p++ = digits[i];
			if ((n - i - 1) % 3 == 0 && i < n - 1)
				*p++ = ',';
		}
		*p = '\0';
		return;
	}
	snprintf(buf, len, fabs(v) < 1 ? "%.2f" : "%.1f", v);
	/* trim trailing zeros of the fraction: "0.50" → "0.5" */
	char *dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf);
		while (e > dot + 1 && e[-1] == '0')
			*--e = '\0';
	}
}

/* Counts in a matrix cell: at most 4 characters ("987", "1.2k", "35k"). */
static void
format_compact(char *buf, size_t len, double v)
{
	if (v < 1000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 9950)
		snprintf(buf, len, "%.1fk", v / 1000);
	else if (v < 999500)
		snprintf(buf, len, "%.0fk", v / 1000);
	else
		snprintf(buf, len, "%.1fM", v / 1e6);
}

static void
open_svg(FILE *f, double w, double h, const char *aria)
{
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
		"height=\"%.0f\" role=\"img\" aria-label=\"", w, h, w, h);
	svg_escape(f, aria ? aria : "chart");
	fprintf(f, "\" font-size=\"%d\">\n", FONT_PX);
}

/* --- horizontal bars ---------------------------------------------------- */

#define BAR_ROW 22
#define BAR_H 15
#define BAR_TOP 4
#define BAR_AXIS 36

void
svg_bars(FILE *f, const struct svg_bars *c)
{
	double lw = c->label_width ? c->label_width : 190;
	double note_w = c->notes ? 118 : 24;
	double width = c->width ? c->width : 640;
	double pw = width - lw - note_w;
	double bottom = BAR_TOP + (double)c->n * BAR_ROW;
	double max = 0;
	size_t cut = (size_t)((lw - 12) / CHAR_PX);
	struct svg_scale sc;
	char num[48];

	for (size_t i = 0; i < c->n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	svg_nice_scale(max, 5, &sc);
	open_svg(f, width, bottom + BAR_AXIS, c->aria);

	/* grid and value axis */
	for (unsigned t = 0; t <= sc.ticks; t++) {
		double x = lw + pw * t / sc.ticks;
		svg_format_number(num, sizeof(num), sc.step * t);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
			x, BAR_TOP - 2, x, bottom, t ? GRID : "#9aa1ab",
			x, bottom + 14, MUTED, num);
	}
	if (c->axis) {
		fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">",
			lw + pw / 2, bottom + 30, MUTED);
		svg_escape(f, c->axis);
		fputs("</text>\n", f);
	}
	for (size_t i = 0; i < c->n; i++) {
		double y = BAR_TOP + (double)i * BAR_ROW + (BAR_ROW - BAR_H) / 2.0;
		double w = pw * c->values[i] / sc.top;

		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">",
			lw - 8, y + BAR_H / 2.0 + 4, INK);
		svg_escape_cut(f, c->labels[i], cut);
		fprintf(f, "<title>");
		svg_escape(f, c->labels[i]);
		fprintf(f, "</title></text>\n<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
			"width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"><title>",
			lw, y, w, BAR_H, c->color ? c->color : svg_palette[0]);
		svg_escape(f, c->labels[i]);
		fputs(": ", f);
		if (c->notes) {
			svg_escape(f, c->notes[i]);
		} else {
			svg_format_number(num, sizeof(num), c->values[i]);
			fputs(num, f);
		}
		fputs("</title></rect>\n", f);
		if (c->notes) {
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">", lw + w + 6,
				y + BAR_H / 2.0 + 4, INK);
			svg_escape(f, c->notes[i]);
			fputs("</text>\n", f);
		}
	}
	fputs("</svg>\n", f);
}

/* --- stacked columns ---------------------------------------------------- */

#define ST_LEFT 52
#define ST_TOP 12
#define ST_LEGEND 190

static const char *
series_color(const struct svg_stack *c, size_t j)
{
	if (j + 1 == c->ns && c->ns > 1 && strcmp(c->series[j], "others") == 0)
		return SVG_OTHERS;
	return svg_palette[j % SVG_PALETTE];
}

void
svg_stack(FILE *f, const struct svg_stack *c)
{
	double width = c->width ? c->width : 860;
	double height = c->height ? c->height : 300;
	double pw = width - ST_LEFT - ST_LEGEND - 12;
	double slot = c->nx ? pw / (double)c->nx : pw;
	bool rotate = slot < 48;
	double bottom_margin = rotate ? 76 : 44;
	double ph = height - ST_TOP - bottom_margin;
	double bottom = ST_TOP + ph;
	double bw = slot * (c->nx > 20 ? 0.78 : 0.66);
	size_t every = rotate ? (size_t)ceil(15.0 / slot) : 1;
	double max = 0;
	struct svg_scale sc;
	char num[48];

	for (size_t i = 0; i < c->nx; i++) {
		double tot = 0;
		for (size_t j = 0; j < c->ns; j++)
			tot += c->v[i * c->ns + j];
		if (tot > max)
			max = tot;
	}
	svg_nice_scale(max, 5, &sc);
	open_svg(f, width, height, c->aria);

	for (unsigned t = 0; t <= sc.ticks; t++) {
		double y = bottom - ph * t / sc.ticks;
		svg_format_number(num, sizeof(num), sc.step * t);
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>\n",
			ST_LEFT, y, ST_LEFT + pw, y, t ? GRID : "#9aa1ab",
			ST_LEFT - 6, y + 4, MUTED, num);
	}
	if (c->y_axis) {
		fprintf(f, "<text class=\"axis\" transform=\"rotate(-90)\" x=\"%.1f\" y=\"14\" "
			"text-anchor=\"middle\" fill=\"%s\">", -(ST_TOP + ph / 2), MUTED);
		svg_escape(f, c->y_axis);
		fputs("</text>\n", f);
	}
	if (c->x_axis) {
		fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			"fill=\"%s\">", ST_LEFT + pw / 2, height - 4, MUTED);
		svg_escape(f, c->x_axis);
		fputs("</text>\n", f);
	}
	for (size_t i = 0; i < c->nx; i++) {
		double x = ST_LEFT + slot * (double)i + (slot - bw) / 2;
		double cx = ST_LEFT + slot * ((double)i + 0.5);
		double y = bottom;

		for (size_t j = 0; j < c->ns; j++) {
			double v = c->v[i * c->ns + j];
			double h = ph * v / sc.top;

			if (!(v > 0))
				continue;
			y -= h;
			fprintf(f, "<rect class=\"seg\" x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" "
				"height=\"%.2f\" fill=\"%s\"><title>", x, y, bw, h,
				series_color(c, j));
			svg_escape(f, c->x[i]);
			fputs(" \xc2\xb7 ", f);
			svg_escape(f, c->series[j]);
			svg_format_number(num, sizeof(num), round(v * 10) / 10);
			fprintf(f, ": %s</title></rect>\n", num);
		}
		if (i % every)
			continue;
		if (rotate) {
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
				"transform=\"rotate(-45 %.1f %.1f)\" fill=\"%s\">",
				cx + 4, bottom + 12, cx + 4, bottom + 12, INK);
			svg_escape_cut(f, c->x[i], 12);
		} else {
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">",
				cx, bottom + 16, INK);
			svg_escape_cut(f, c->x[i], (size_t)(slot / CHAR_PX) + 1);
		}
		fputs("</text>\n", f);
	}

	/* legend: the top series first, as they stack */
	double lx = width - ST_LEGEND + 8;
	for (size_t k = 0; k < c->ns; k++) {
		size_t j = c->ns - 1 - k;
		double ly = ST_TOP + 4 + (double)k * 20;

		fprintf(f, "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
			"height=\"12\" rx=\"2\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">",
			lx, ly, series_color(c, j), lx + 18, ly + 10, INK);
		svg_escape_cut(f, c->series[j], 24);
		fputs("<title>", f);
		svg_escape(f, c->series[j]);
		fputs("</title></text></g>\n", f);
	}
	fputs("</svg>\n", f);
}

/* --- matrix ------------------------------------------------------------- */

void
svg_shade(double t, char out[8])
{
	static const double stops[3][3] = {
		{ 239, 243, 250 }, { 107, 160, 205 }, { 16, 52, 105 },
	};
	double u, rgb[3];
	int k;

	if (!(t > 0))
		t = 0;
	if (t > 1)
		t = 1;
	/* square root: small counts stay visible beside a dominant one */
	t = sqrt(t);
	k = t < 0.5 ? 0 : 1;
	u = (t - 0.5 * k) * 2;
	for (int i = 0; i < 3; i++)
		rgb[i] = stops[k][i] + (stops[k + 1][i] - stops[k][i]) * u;
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround(rgb[0]),
		 (unsigned)lround(rgb[1]), (unsigned)lround(rgb[2]));
}

#define MX_LEFT 170
#define MX_TOP 120

void
svg_matrix(FILE *f, const struct svg_matrix *c)
{
	double cs = c->cell ? c->cell : 46;
	double width = MX_LEFT + cs * (double)c->nc + 130;
	double height = MX_TOP + cs * (double)c->nr + 48;
	double max = 0;
	char shade[8], num[48];

	for (size_t i = 0; i < c->nr * c->nc; i++)
		if (c->v[i] > max)
			max = c->v[i];
	open_svg(f, width, height, c->aria);

	if (c->row_axis || c->col_axis) {
		fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">",
			MX_LEFT - 8, MX_TOP - 8, MUTED);
		svg_escape(f, c->row_axis ? c->row_axis : "");
		fputs(" \xe2\x86\x93 ", f);
		svg_escape(f, c->col_axis ? c->col_axis : "");
		fputs(" \xe2\x86\x92</text>\n", f);
	}
	for (size_t j = 0; j < c->nc; j++) {
		double x = MX_LEFT + cs * ((double)j + 0.5);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" transform=\"rotate(-45 %.1f %d)\" "
			"fill=\"%s\">", x, MX_TOP - 6, x, MX_TOP - 6, INK);
		svg_escape_cut(f, c->cols[j], 20);
		fputs("<title>", f);
		svg_escape(f, c->cols[j]);
		fputs("</title></text>\n", f);
	}
	for (size_t i = 0; i < c->nr; i++) {
		double y = MX_TOP + cs * (double)i;

		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">",
			MX_LEFT - 8, y + cs / 2 + 4, INK);
		svg_escape_cut(f, c->rows[i], (size_t)((MX_LEFT - 16) / CHAR_PX));
		fputs("<title>", f);
		svg_escape(f, c->rows[i]);
		fputs("</title></text>\n", f);
		for (size_t j = 0; j < c->nc; j++) {
			double v = c->v[i * c->nc + j];
			double t = max > 0 ? v / max : 0;
			double x = MX_LEFT + cs * (double)j;

			svg_shade(t, shade);
			fprintf(f, "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"%s\" stroke=\"#fff\"><title>",
				x, y, cs, cs, v > 0 ? shade : "#f7f8fa");
			svg_escape(f, c->rows[i]);
			fputs(" \xe2\x86\x92 ", f);
			svg_escape(f, c->cols[j]);
			svg_format_number(num, sizeof(num), v);
			fprintf(f, ": %s</title></rect>\n", num);
			if (v > 0) {
				format_compact(num, sizeof(num), v);
				fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
					"fill=\"%s\" font-size=\"11\">%s</text>\n", x + cs / 2,
					y + cs / 2 + 4, sqrt(t) > 0.55 ? "#fff" : INK, num);
			}
		}
	}
	/* legend: five steps from 0 to the maximum */
	double ly = MX_TOP + cs * (double)c->nr + 18;
	fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">fewer</text>\n",
		MX_LEFT - 8, ly + 11, MUTED);
	for (int k = 0; k < 5; k++) {
		svg_shade((k + 1) / 5.0, shade);
		fprintf(f, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"28\" height=\"14\" "
			"fill=\"%s\"/>\n", MX_LEFT + 28.0 * k, ly, shade);
	}
	svg_format_number(num, sizeof(num), max);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">more (max %s)</text>\n",
		MX_LEFT + 28.0 * 5 + 8, ly + 11, MUTED, num);
	fputs("</svg>\n", f);
}
