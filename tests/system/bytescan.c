/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-bytescan: the privacy check's eye on raw bytes (system tests).
 *
 * Scans files (the store's data.mdb, exports, the tracer's log) for what
 * would let someone rebuild typed text or its per-key timing:
 *  - the key codes of the secret, 4 in a row, as 8-, 16- and 32-bit
 *    integers in either byte order, as evdev codes and as xkb keycodes
 *    (code + 8);
 *  - strings (the text itself);
 *  - the time of each key event read from the device by another reader
 *    (a raw dump of /dev/input/eventN: struct input_event, CLOCK_REALTIME):
 *    as 64-bit ns or us in either byte order within --tol-us, as decimal
 *    epoch milliseconds (the prefix of ns/us/ms numbers in text) and as an
 *    ISO 8601 UTC time to the millisecond; and each key's offset from the
 *    first key as 32/64-bit ns, us or ms.
 * Times near --allow-ns values (the bursts' own start and end, which the
 * design stores) are not searched.
 *
 * Exit status: 0 nothing found, 1 something found, 2 usage or I/O error.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_NEEDLES 4096
#define MAX_TIMES 1024
#define MAX_HITS_SHOWN 20

struct needle {
	unsigned char bytes[32];
	size_t len;
	char what[96];
};

struct range {
	uint64_t lo, hi;
	char what[96];
};

static struct needle needles[MAX_NEEDLES];
static size_t nneedles;
static struct range ranges[MAX_NEEDLES];
static size_t nranges;

static void
add_needle(const void *b, size_t len, const char *what)
{
	if (nneedles >= MAX_NEEDLES || len > sizeof(needles[0].bytes))
		return;
	memcpy(needles[nneedles].bytes, b, len);
	needles[nneedles].len = len;
	snprintf(needles[nneedles].what, sizeof(needles[0].what), "%s", what);
	nneedles++;
}

static void
add_range(uint64_t lo, uint64_t hi, const char *what)
{
	if (nranges >= MAX_NEEDLES)
		return;
	ranges[nranges].lo = lo;
	ranges[nranges].hi = hi;
	snprintf(ranges[nranges].what, sizeof(ranges[0].what), "%s", what);
	nranges++;
}

static void
put(unsigned char *p, uint64_t v, int width, bool be)
{
	for (int i = 0; i < width; i++)
		p[be ? width - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* every run of 4 codes, as integers of each width and byte order */
static void
add_codes(const long *codes, size_t n)
{
	static const int widths[] = { 1, 2, 4 };

	for (int off = 0; off <= 8; off += 8) {
		for (size_t w = 0; w < 3; w++) {
			for (int be = 0; be < (widths[w] > 1 ? 2 : 1); be++) {
				for (size_t i = 0; i + 4 <= n; i++) {
					unsigned char b[16];
					char what[96];

					for (size_t k = 0; k < 4; k++)
						put(b + k * widths[w], (uint64_t)(codes[i + k] + off),
						    widths[w], be);
					snprintf(what, sizeof(what), "key codes %zu..%zu%s as u%d%s", i,
						 i + 3, off ? " (+8, xkb)" : "", widths[w] * 8,
						 widths[w] > 1 ? (be ? "be" : "le") : "");
					add_needle(b, 4 * (size_t)widths[w], what);
				}
			}
		}
	}
}

static bool
allowed(uint64_t t_ns, const uint64_t *allow, size_t nallow, uint64_t tol_ns)
{
	for (size_t i = 0; i < nallow; i++)
		if (t_ns + tol_ns >= allow[i] && t_ns <= allow[i] + tol_ns)
			return true;
	return false;
}

/* Key event times (us, CLOCK_REALTIME) from a raw evdev dump. */
static size_t
read_evdev(const char *path, uint64_t *t_us, size_t cap)
{
	struct {
		int64_t sec, usec;
		uint16_t type, code;
		int32_t value;
	} ev;
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (!f) {
		fprintf(stderr, "tasktrace-bytescan: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (fread(&ev, sizeof(ev), 1, f) == 1)
		if (ev.type == 1 && ev.value != 2 && n < cap)
			t_us[n++] = (uint64_t)ev.sec * 1000000u + (uint64_t)ev.usec;
	fclose(f);
	return n;
}

static void
add_times(const uint64_t *t_us, size_t n, const uint64_t *allow, size_t nallow,
	  uint64_t tol_us)
{
	size_t searched = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t ns = t_us[i] * 1000u, tol_ns = tol_us * 1000u;
		uint64_t rel_us = t_us[i] - t_us[0];
		char what[96], digits[32], iso[64];
		time_t sec;
		struct tm tm;

		if (allowed(ns, allow, nallow, tol_ns))
			continue;
		searched++;
		snprintf(what, sizeof(what), "key event %zu time as ns", i);
		add_range(ns - tol_ns, ns + tol_ns, what);
		snprintf(what, sizeof(what), "key event %zu time as us", i);
		add_range(t_us[i] - tol_us, t_us[i] + tol_us, what);
		/* decimal epoch ms: the start of the ns, us and ms numbers */
		for (int d = -1; d <= 1; d++) {
			uint64_t ms = t_us[i] / 1000u + (uint64_t)(int64_t)d;

			snprintf(digits, sizeof(digits), "%" PRIu64, ms);
			snprintf(what, sizeof(what), "key event %zu time as decimal ms", i);
			add_needle(digits, strlen(digits), what);
			sec = (time_t)(ms / 1000u);
			gmtime_r(&sec, &tm);
			strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
			snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), ".%03u",
				 (unsigned)(ms % 1000u));
			snprintf(what, sizeof(what), "key event %zu time as ISO ms", i);
			add_needle(iso, strlen(iso), what);
		}
		if (i > 0 && rel_us > 2 * tol_us) {
			snprintf(what, sizeof(what), "key event %zu offset as ns", i);
			add_range((rel_us - tol_us) * 1000u, (rel_us + tol_us) * 1000u, what);
			snprintf(what, sizeof(what), "key event %zu offset as us", i);
			add_range(rel_us - tol_us, rel_us + tol_us, what);
		}
	}
	printf("# %zu key events read, %zu searched (%zu are burst edges)\n", n, searched,
	       n - searched);
}

static size_t hits;

static void
hit(const char *file, size_t off, const char *what)
{
	if (hits < MAX_HITS_SHOWN)
		printf("hit %s +%zu: %s\n", file, off, what);
	hits++;
}

static void
scan(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "tasktrace-bytescan: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	do {
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				exit(2);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);

	for (size_t i = 0; i < nneedles; i++) {
		const unsigned char *p = buf, *end = buf + len;

		while (p < end && (p = memmem(p, (size_t)(end - p), needles[i].bytes,
					      needles[i].len))) {
			hit(path, (size_t)(p - buf), needles[i].what);
			p++;
		}
	}
	for (size_t o = 0; nranges && o + 4 <= len; o++) {
		uint64_t le8 = 0, be8 = 0, le4 = 0, be4 = 0;
		bool w8 = o + 8 <= len;

		for (int k = 3; k >= 0; k--) {
			le4 = le4 << 8 | buf[o + (size_t)k];
			be4 = be4 << 8 | buf[o + 3 - (size_t)k];
		}
		if (w8) {
			for (int k = 7; k >= 0; k--) {
				le8 = le8 << 8 | buf[o + (size_t)k];
				be8 = be8 << 8 | buf[o + 7 - (size_t)k];
			}
		}
		if (le4 == 0 && be4 == 0 && le8 == 0)
			continue;
		for (size_t r = 0; r < nranges; r++) {
			const struct range *g = &ranges[r];
			bool small = g->hi <= UINT32_MAX;

			if ((w8 && ((le8 >= g->lo && le8 <= g->hi) || (be8 >= g->lo && be8 <= g->hi))) ||
			    (small && ((le4 >= g->lo && le4 <= g->hi) || (be4 >= g->lo && be4 <= g->hi))))
				hit(path, o, g->what);
		}
	}
	free(buf);
}

static void
usage(FILE *fp)
{
	fprintf(fp, "Usage: tasktrace-bytescan [--codes C,C,...] [--text S]... [--evdev RAW]\n"
		    "       [--allow-ns T]... [--tol-us N] FILE...\n"
		    "Exit status: 0 nothing found, 1 found, 2 usage or I/O error.\n");
}

int
main(int argc, char **argv)
{
	static long codes[256];
	static uint64_t t_us[MAX_TIMES], allow[MAX_TIMES];
	size_t ncodes = 0, ntimes = 0, nallow = 0;
	uint64_t tol_us = 1000;
	const char *evdev = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--codes") == 0 && v) {
			char *s = strdup(v), *save = NULL;

			for (char *t = strtok_r(s, ",", &save); t && ncodes < 256;
			     t = strtok_r(NULL, ",", &save))
				codes[ncodes++] = strtol(t, NULL, 10);
			free(s);
			i++;
		} else if (strcmp(a, "--text") == 0 && v) {
			char what[96];

			snprintf(what, sizeof(what), "text \"%.60s\"", v);
			add_needle(v, strlen(v), what);
			i++;
		} else if (strcmp(a, "--evdev") == 0 && v) {
			evdev = v;
			i++;
		} else if (strcmp(a, "--allow-ns") == 0 && v) {
			if (nallow < MAX_TIMES)
				allow[nallow++] = strtoull(v, NULL, 10);
			i++;
		} else if (strcmp(a, "--tol-us") == 0 && v) {
			tol_us = strtoull(v, NULL, 10);
			i++;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1]) {
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (ncodes >= 4)
		add_codes(codes, ncodes);
	if (evdev) {
		ntimes = read_evdev(evdev, t_us, MAX_TIMES);
		add_times(t_us, ntimes, allow, nallow, tol_us);
	}
	for (; i < argc; i++)
		scan(argv[i]);
	printf("%zu hits\n", hits);
	return hits ? 1 : 0;
}
