/* SPDX-License-Identifier: MIT */
/*
 * A small chart writer for the HTML report: horizontal bars, stacked
 * columns and a matrix (heat map), written as inline SVG (the HTML
 * syntax of it: no xmlns, no external reference, no script, no url()).
 *
 * Every string given here may come from the store (application and user
 * names are whatever a client or a site chose) and is written escaped:
 * svg_escape() is also what the report uses for its HTML text.
 *
 * Geometry is deterministic and exposed where tests need it: scales come
 * from svg_nice_scale(), and every data shape carries class "bar",
 * "seg" or "cell" and a <title> child (the browser's tooltip, no script
 * needed) with the exact figure.
 *
 * Writing goes to a stdio stream; errors are the stream's (ferror()).
 */
#ifndef TT_MINING_SVG_H
#define TT_MINING_SVG_H

#include <stddef.h>
#include <stdio.h>

/** Colours of series 0 … SVG_PALETTE-1; the last series called
 *  "others" gets SVG_OTHERS. Distinguishable in colour-blind vision
 *  (Tableau 10), readable in greyscale print by their order. */
#define SVG_PALETTE 9
extern const char *const svg_palette[SVG_PALETTE];
#define SVG_OTHERS "#bab0ac"

/**
 * Write @p s as HTML/XML text, also safe inside a double- or
 * single-quoted attribute: & < > " ' are escaped, invalid UTF-8 and the
 * control characters XML cannot carry become U+FFFD.
 */
void
svg_escape(FILE *f, const char *s);

/**
 * svg_escape() of at most @p max characters (code points) of @p s; a
 * longer text is cut and ends with "…". @p max ≥ 2.
 */
void
svg_escape_cut(FILE *f, const char *s, size_t max);

/** Code points in @p s (valid UTF-8 assumed; each stray byte counts one). */
size_t
svg_text_len(const char *s);

/** An axis from 0: @c top ≥ the maximum, in @c ticks steps of @c step,
 *  where step is 1, 2, 2.5 or 5 × 10^k. */
struct svg_scale {
	double top;
	double step;
	unsigned ticks;
};

/** The scale for values up to @p max with at most @p max_ticks steps
 *  (≥ 2). A @p max of 0 or less gives 0 … 1. */
void
svg_nice_scale(double max, unsigned max_ticks, struct svg_scale *out);

/** Format an axis or data value: "0", "12", "2.5", "1,234". */
void
svg_format_number(char *buf, size_t len, double v);

/** Horizontal bars, one per label, top to bottom in the given order. */
struct svg_bars {
	const char *const *labels;
	const double *values;		/**< ≥ 0 */
	const char *const *notes;	/**< optional text after each bar */
	size_t n;
	const char *axis;		/**< the value axis' title, e.g. "hours" */
	const char *color;		/**< fill; NULL: svg_palette[0] */
	const char *aria;		/**< what the chart shows, one line */
	unsigned width;			/**< of the whole chart, px */
	unsigned label_width;		/**< px for the labels (0: 190) */
};

void
svg_bars(FILE *f, const struct svg_bars *c);

/** Stacked columns: one column per x category, one segment per series
 *  (bottom to top in series order), and a legend. */
struct svg_stack {
	const char *const *x;		/**< column labels */
	size_t nx;
	const char *const *series;	/**< legend entries */
	size_t ns;
	const double *v;		/**< nx × ns, v[i * ns + j], ≥ 0 */
	const char *y_axis, *x_axis;	/**< axis titles */
	const char *aria;
	unsigned width, height;		/**< of the plot and legend, px */
};

void
svg_stack(FILE *f, const struct svg_stack *c);

/** A matrix of counts: rows × columns, each cell shaded by its value
 *  (white → dark blue) and labelled with it. */
struct svg_matrix {
	const char *const *rows, *const *cols;
	size_t nr, nc;
	const double *v;		/**< nr × nc, v[r * nc + c], ≥ 0 */
	const char *row_axis, *col_axis;
	const char *aria;
	unsigned cell;			/**< px per cell side (0: 46) */
};

void
svg_matrix(FILE *f, const struct svg_matrix *c);

/** The fill of a matrix cell at @p t of the maximum (0 … 1), "#rrggbb";
 *  darker with larger @p t. Exposed for tests. */
void
svg_shade(double t, char out[8]);

#endif /* TT_MINING_SVG_H */
