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
 *    first key of its file as 64-bit ns or 32/64-bit us (within
 *    --offset-tol-us, default 1: both readers see the same kernel time
 *    stamp of each event, truncated to the us on each reader's clock, so
 *    their differences agree to 1 us), and its interval from the key
 *    event before it, the same ways.
 *  Integers are looked for in 32- and 64-bit windows at every byte offset,
 *  either byte order, and as unsigned LEB128 varints (the store's codec).
 *  Offsets and intervals in us are looked for in windows only from 65536
 *  us and as varints only from 16384 us: a smaller number is two bytes
 *  and zeros, which an LMDB file or a varint stream holds by chance every
 *  few kilobytes (60 ms typing has 20 to 40 ms intervals: their ns forms
 *  are still searched).
 *    --evdev may be given several times.
 *  - a typing burst's class counts (--counts, in record.h's class order,
 *    missing ones 0): as the block codec writes them (eight varints in a
 *    row, both block versions), as eight u16/u32 in either byte order (a
 *    record in memory), and each nonzero count as text the readers print
 *    ("letter":7, 7 letter, letter=7);
 *  - a burst's length (--length): as text ("keys":11, 11 keys, keys=11).
 *  --counts and --length may be given several times.
 * --list-keys RAW prints the key events of a raw dump ("US CODE VALUE",
 * the time in epoch microseconds) and exits.
 * Times near --allow-ns values, or the start and end of --allow-record
 * TIME:DUR (the records' own times, which the design stores), are not
 * searched, nor offsets and intervals equal to a difference of two of them.
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
	bool w8only;		/* 64-bit windows only */
	bool whole_us;		/* ns from kernel us stamps: a multiple of 1000 */
	bool varint_only;	/* too small for fixed windows */
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
add_range(uint64_t lo, uint64_t hi, bool w8only, const char *what)
{
	if (nranges >= MAX_NEEDLES)
		return;
	ranges[nranges].lo = lo;
	ranges[nranges].hi = hi;
	ranges[nranges].w8only = w8only;
	ranges[nranges].whole_us = false;
	ranges[nranges].varint_only = false;
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

static const char *const class_names[8] = {
	"letter", "digit", "punct", "space", "enter", "tab", "erase", "modifier",
};

/* A burst's class counts, in every form a store, a record in memory or a
 * reader could hold them. */
static void
add_counts(const char *list)
{
	unsigned long c[8] = { 0 };
	unsigned char b[32];
	char what[96], text[64], *s = strdup(list), *save = NULL;
	size_t n = 0, len = 0;

	for (char *t = strtok_r(s, ",", &save); t && n < 8; t = strtok_r(NULL, ",", &save))
		c[n++] = strtoul(t, NULL, 10);
	free(s);
	/* varints: the block codec's typing payload */
	for (size_t i = 0; i < 8; i++) {
		unsigned long v = c[i];

		do {
			b[len++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
			v >>= 7;
		} while (v && len < sizeof(b) - 4);
	}
	snprintf(what, sizeof(what), "counts %s as varints", list);
	add_needle(b, len, what);
	for (int w = 2; w <= 4; w += 2) {
		for (int be = 0; be < 2; be++) {
			for (size_t i = 0; i < 8; i++)
				put(b + i * (size_t)w, c[i], w, be);
			snprintf(what, sizeof(what), "counts %s as u%d%s", list, w * 8,
				 be ? "be" : "le");
			add_needle(b, 8 * (size_t)w, what);
		}
	}
	for (size_t i = 0; i < 8; i++) {
		static const char *const forms[] = { "\"%s\":%lu,", "\"%s\":%lu}",
						     "%2$lu %1$s", "%s=%lu" };

		if (!c[i])
			continue;
		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			snprintf(text, sizeof(text), forms[f], class_names[i], c[i]);
			snprintf(what, sizeof(what), "count as text '%s'", text);
			add_needle(text, strlen(text), what);
		}
	}
}

/* A burst's length, as the readers print it. */
static void
add_length(unsigned long n)
{
	static const char *const forms[] = { "\"keys\":%lu,", "\"keys\":%lu}",
					     "%lu keys", "keys=%lu" };
	char text[64], what[96];

	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		snprintf(text, sizeof(text), forms[f], n);
		snprintf(what, sizeof(what), "length as text '%s'", text);
		add_needle(text, strlen(text), what);
	}
}

/* Is @d_ns (a key offset or interval) one of the differences between two
 * allowed times? The store holds its records' times, so their differences
 * are in it too (the block codec writes deltas), and one of them may come
 * within the tolerance of a key interval by chance. */
static bool
allowed_diff(uint64_t d_ns, const uint64_t *allow, size_t nallow, uint64_t tol_ns)
{
	for (size_t i = 0; i < nallow; i++)
		for (size_t j = 0; j < nallow; j++)
			if (allow[i] > allow[j] && d_ns + tol_ns >= allow[i] - allow[j] &&
			    d_ns <= allow[i] - allow[j] + tol_ns)
				return true;
	return false;
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
read_evdev(const char *path, uint64_t *t_us, size_t cap, size_t n)
{
	struct {
		int64_t sec, usec;
		uint16_t type, code;
		int32_t value;
	} ev;
	FILE *f = fopen(path, "rb");

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

/* An offset or interval in us: in windows from 65536, as a varint from
 * 16384 (see the top of the file). */
static void
add_us_range(uint64_t us, uint64_t tol, const char *what)
{
	if (us < 16384)
		return;
	add_range(us - tol, us + tol, false, what);
	ranges[nranges - 1].varint_only = us < 65536;
}

static void
add_times(const uint64_t *t_us, const size_t *first, size_t n, const uint64_t *allow,
	  size_t nallow, uint64_t tol_us, uint64_t rel_tol_us)
{
	size_t searched = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t ns = t_us[i] * 1000u, tol_ns = tol_us * 1000u;
		uint64_t rel_us = t_us[i] - t_us[first[i]];
		char what[96], digits[32], iso[64];
		time_t sec;
		struct tm tm;

		if (allowed(ns, allow, nallow, tol_ns))
			continue;
		searched++;
		snprintf(what, sizeof(what), "key event %zu time as ns", i);
		add_range(ns - tol_ns, ns + tol_ns, true, what);
		snprintf(what, sizeof(what), "key event %zu time as us", i);
		add_range(t_us[i] - tol_us, t_us[i] + tol_us, true, what);
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
		/* both readers see the kernel's one time stamp per event:
		 * offsets agree to the microsecond */
		if (rel_us > 1000 && !allowed_diff(rel_us * 1000u, allow, nallow, rel_tol_us * 1000u)) {
			snprintf(what, sizeof(what), "key event %zu offset as ns", i);
			add_range((rel_us - rel_tol_us) * 1000u, (rel_us + rel_tol_us) * 1000u,
				  true, what);
			ranges[nranges - 1].whole_us = true;
			snprintf(what, sizeof(what), "key event %zu offset as us", i);
			add_us_range(rel_us, rel_tol_us, what);
		}
		if (i > first[i] && t_us[i] - t_us[i - 1] > 1000 &&
		    !allowed_diff((t_us[i] - t_us[i - 1]) * 1000u, allow, nallow, rel_tol_us * 1000u)) {
			uint64_t d = t_us[i] - t_us[i - 1];

			snprintf(what, sizeof(what), "key event %zu interval as ns", i);
			add_range((d - rel_tol_us) * 1000u, (d + rel_tol_us) * 1000u, true, what);
			ranges[nranges - 1].whole_us = true;
			snprintf(what, sizeof(what), "key event %zu interval as us", i);
			add_us_range(d, rel_tol_us, what);
		}
	}
	printf("# %zu key events read, %zu searched (%zu are record edges)\n", n, searched,
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
		uint64_t var = 0;
		bool isvar = false;

		/* an unsigned LEB128 varint starting here (the store's block
		 * codec writes times, deltas and durations so). Only where a
		 * varint can start: not after a byte >= 0x80, which would make
		 * this the tail of a longer varint. Every varint the codec
		 * writes follows a byte < 0x80 (the end of the varint before,
		 * a head without HEAD_DUR, a context byte, the block header)
		 * but a record's time delta after a head with HEAD_DUR (0x80),
		 * and that is a difference of record times, which the design
		 * stores. The tails of the block's ns varints matched key
		 * intervals in us by chance (tests/system/README.md). */
		for (size_t k = 0; k < 10 && o + k < len && (o == 0 || buf[o - 1] < 0x80); k++) {
			var |= (uint64_t)(buf[o + k] & 0x7f) << (7 * k);
			if (!(buf[o + k] & 0x80)) {
				isvar = k > 0;	/* one byte: too small to matter */
				break;
			}
		}
		if (le4 == 0 && be4 == 0 && le8 == 0 && !isvar)
			continue;
		for (size_t r = 0; r < nranges; r++) {
			const struct range *g = &ranges[r];
			bool small = !g->w8only && g->hi <= UINT32_MAX;

			/* an offset or interval in ns is a difference of two kernel
			 * us stamps: a whole number of us (LMDB's page headers hold
			 * small integers that look like ns intervals otherwise) */
#define IN(v) ((v) >= g->lo && (v) <= g->hi && (!g->whole_us || (v) % 1000u == 0))
			if (!g->varint_only &&
			    ((w8 && (IN(le8) || IN(be8))) || (small && (IN(le4) || IN(be4)))))
				hit(path, o, g->what);
			else if (isvar && IN(var)) {
				char what[128];

				snprintf(what, sizeof(what), "%s (varint)", g->what);
				hit(path, o, what);
			}
#undef IN
		}
	}
	free(buf);
}

static void
usage(FILE *fp)
{
	fprintf(fp, "Usage: tasktrace-bytescan [--codes C,C,...] [--text S]... [--evdev RAW]\n"
		    "       [--counts N,N,...]... [--length N]...\n"
		    "   or: tasktrace-bytescan --list-keys RAW\n"
		    "       [--allow-ns T]... [--allow-record T:DUR]... [--tol-us N]\n"
		    "       [--offset-tol-us N] FILE...\n"
		    "Exit status: 0 nothing found, 1 found, 2 usage or I/O error.\n");
}

int
main(int argc, char **argv)
{
	static long codes[256];
	static uint64_t t_us[MAX_TIMES], allow[MAX_TIMES];
	static size_t first[MAX_TIMES];
	size_t ncodes = 0, ntimes = 0, nallow = 0;
	uint64_t tol_us = 200, rel_tol_us = 1;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--list-keys") == 0 && v) {
			struct {
				int64_t sec, usec;
				uint16_t type, code;
				int32_t value;
			} ev;
			FILE *f = fopen(v, "rb");

			if (!f) {
				fprintf(stderr, "tasktrace-bytescan: %s: %s\n", v, strerror(errno));
				return 2;
			}
			while (fread(&ev, sizeof(ev), 1, f) == 1)
				if (ev.type == 1)
					printf("%" PRId64 " %u %d\n", ev.sec * 1000000 + ev.usec,
					       ev.code, ev.value);
			fclose(f);
			return 0;
		} else if (strcmp(a, "--codes") == 0 && v) {
			char *s = strdup(v), *save = NULL;

			for (char *t = strtok_r(s, ",", &save); t && ncodes < 256;
			     t = strtok_r(NULL, ",", &save))
				codes[ncodes++] = strtol(t, NULL, 10);
			free(s);
			i++;
		} else if (strcmp(a, "--counts") == 0 && v) {
			add_counts(v);
			i++;
		} else if (strcmp(a, "--length") == 0 && v) {
			add_length(strtoul(v, NULL, 10));
			i++;
		} else if (strcmp(a, "--text") == 0 && v) {
			char what[96];

			snprintf(what, sizeof(what), "text \"%.60s\"", v);
			add_needle(v, strlen(v), what);
			i++;
		} else if (strcmp(a, "--evdev") == 0 && v) {
			/* offsets count from the first key event of each file */
			size_t n0 = ntimes;

			ntimes = read_evdev(v, t_us, MAX_TIMES, ntimes);
			for (size_t k = n0; k < ntimes; k++)
				first[k] = n0;
			i++;
		} else if (strcmp(a, "--allow-ns") == 0 && v) {
			if (nallow < MAX_TIMES)
				allow[nallow++] = strtoull(v, NULL, 10);
			i++;
		} else if (strcmp(a, "--allow-record") == 0 && v) {
			/* TIME_NS:DUR_NS, a record's start and end */
			char *end;
			uint64_t t = strtoull(v, &end, 10);

			if (nallow + 2 <= MAX_TIMES) {
				allow[nallow++] = t;
				if (*end == ':' && strtoull(end + 1, NULL, 10) > 0)
					allow[nallow++] = t + strtoull(end + 1, NULL, 10);
			}
			i++;
		} else if (strcmp(a, "--tol-us") == 0 && v) {
			tol_us = strtoull(v, NULL, 10);
			i++;
		} else if (strcmp(a, "--offset-tol-us") == 0 && v) {
			rel_tol_us = strtoull(v, NULL, 10);
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
	if (ntimes)
		add_times(t_us, first, ntimes, allow, nallow, tol_us, rel_tol_us);
	for (; i < argc; i++)
		scan(argv[i]);
	printf("%zu hits\n", hits);
	return hits ? 1 : 0;
}
