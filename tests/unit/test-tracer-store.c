/* SPDX-License-Identifier: MIT */
/*
 * Privacy, down to the bytes on disk: the records of the secret script
 * (tests/interp/privacy-secret.t: typed unlocked, locked and with no
 * session) are written to a real store, and data.mdb is scanned for the
 * secret's key codes and for the times of its keys, in every encoding the
 * store could have used (u64 little and big endian, LEB128, in ns and µs).
 * A positive control shows the scanner finds a time the store does hold.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "interp-script.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

/* a realistic wall clock: 2026-11-26, so times are not small numbers */
#define OFFSET_NS 1795651200000000000ULL

static unsigned char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static bool
contains(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
	return m && memmem(hay, n, needle, m) != NULL;
}

static size_t
leb128(uint64_t v, unsigned char *out)
{
	size_t n = 0;

	do {
		out[n] = v & 0x7f;
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

/* Is @v present in any encoding? */
static bool
has_value(const unsigned char *buf, size_t len, uint64_t v)
{
	unsigned char enc[16];
	size_t n;

	for (int i = 0; i < 8; i++)
		enc[i] = (unsigned char)(v >> (8 * i));
	if (contains(buf, len, enc, 8))
		return true;
	for (int i = 0; i < 8; i++)
		enc[i] = (unsigned char)(v >> (56 - 8 * i));
	if (contains(buf, len, enc, 8))
		return true;
	n = leb128(v, enc);
	return contains(buf, len, enc, n);
}

static bool
has_time(const unsigned char *buf, size_t len, uint64_t ns)
{
	return has_value(buf, len, ns) || has_value(buf, len, ns / 1000);
}

TEST(secret_not_in_store_bytes)
{
	const char *dir = tt_test_tmpdir();
	struct script_run run;
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *c;
	struct tt_query q;
	struct tt_record r;
	char path[4096];
	unsigned char *bytes, seq8[64], seq16[128];
	size_t len, nsecret, nread = 0;
	const size_t per_round = strlen("hunter2 correct horse");

	snprintf(path, sizeof(path), "%s/tests/interp/privacy-secret.t", tt_test_top());
	CHECK_MSG(script_run_file(&run, path), "%s", run.error);
	CHECK_EQ(run.nkeys, 3 * per_round);

	snprintf(path, sizeof(path), "%s/store", dir);
	CHECK_EQ(tt_store_open(&s, path, TT_STORE_CREATE, NULL), 0);
	for (size_t i = 0; i < run.nrecs; i++) {
		r = run.recs[i];
		r.time_ns += OFFSET_NS;
		CHECK_EQ(tt_store_append(s, &r), 0);
	}
	CHECK_EQ(tt_store_close(s), 0);

	/* the records read back: as many, no key record, no interior time */
	CHECK_EQ(tt_store_open(&s, path, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(s, &rd), 0);
	tt_query_init(&q);
	CHECK_EQ(tt_cursor_open(rd, &q, &c), 0);
	while (tt_cursor_next(c, &r) == 1) {
		nread++;
		CHECK(r.kind != TT_KIND_KEY);
		for (size_t k = 1; k < run.nkeys; k++) {
			uint64_t t = run.key_usec[k] * 1000 + OFFSET_NS;

			if (k == per_round - 1)
				continue;	/* the burst's end */
			CHECK(r.time_ns != t && r.time_ns + r.dur_ns != t);
		}
	}
	tt_cursor_close(c);
	tt_reader_close(rd);
	tt_store_close(s);
	CHECK_EQ(nread, run.nrecs);

	snprintf(path, sizeof(path), "%s/store/data.mdb", dir);
	bytes = slurp(path, &len);
	CHECK(bytes != NULL);

	/* positive control: the first record's time is in the file */
	CHECK_MSG(has_time(bytes, len, run.recs[0].time_ns + OFFSET_NS),
		  "the scanner cannot find a time the store holds");

	/* the key codes of each round, as bytes and as 16-bit codes */
	nsecret = per_round;
	for (size_t round = 0; round < 3; round++) {
		for (size_t k = 0; k < nsecret; k++) {
			uint16_t code = run.key_codes[round * nsecret + k];

			seq8[k] = (unsigned char)code;
			memcpy(seq16 + 2 * k, &code, 2);
		}
		CHECK(!contains(bytes, len, seq8, nsecret));
		CHECK(!contains(bytes, len, seq16, 2 * nsecret));
		/* any 4 consecutive codes of the secret */
		for (size_t k = 0; k + 4 <= nsecret; k++)
			CHECK_MSG(!contains(bytes, len, seq8 + k, 4),
				  "4 key codes of the secret at %zu", k);
	}
	/* every key time except the unlocked burst's own start and end */
	for (size_t k = 0; k < run.nkeys; k++) {
		if (k == 0 || k == per_round - 1)
			continue;
		CHECK_MSG(!has_time(bytes, len, run.key_usec[k] * 1000 + OFFSET_NS),
			  "the time of key %zu is in data.mdb", k);
	}
	free(bytes);
	script_run_free(&run);
}

/*
 * The tracer's first record carries a wall-clock time in nanoseconds (the
 * monotonic→realtime offset is not whole microseconds): the store must
 * take it into a fresh block and give it back exactly. (Before the
 * empty-block fix in lib/codec.c this read an uninitialised decoder: it
 * crashed tasktraced under ASan; here it depends on stack contents.)
 */
TEST(nanosecond_first_record)
{
	const char *dir = tt_test_tmpdir();
	struct tt_record in[2] = { 0 }, out;
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *c;
	struct tt_query q;
	char path[4096];
	int n = 0;

	for (int i = 0; i < 2; i++) {
		in[i].kind = TT_KIND_SESSION;
		in[i].uid = 1000;
		in[i].session = 1;
		in[i].seq = (uint64_t)i + 1;
		in[i].time_ns = OFFSET_NS + 123456789 + (uint64_t)i * 1001;
	}
	snprintf(path, sizeof(path), "%s/store", dir);
	CHECK_EQ(tt_store_open(&s, path, TT_STORE_CREATE, NULL), 0);
	CHECK_EQ(tt_store_append(s, &in[0]), 0);
	CHECK_EQ(tt_store_append(s, &in[1]), 0);
	CHECK_EQ(tt_store_close(s), 0);

	CHECK_EQ(tt_store_open(&s, path, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(s, &rd), 0);
	tt_query_init(&q);
	CHECK_EQ(tt_cursor_open(rd, &q, &c), 0);
	while (tt_cursor_next(c, &out) == 1) {
		CHECK(n < 2);
		CHECK_EQ(out.time_ns, in[n].time_ns);
		CHECK_EQ(out.seq, in[n].seq);
		n++;
	}
	tt_cursor_close(c);
	tt_reader_close(rd);
	tt_store_close(s);
	CHECK_EQ(n, 2);
}
