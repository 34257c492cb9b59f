/* SPDX-License-Identifier: MIT */
/*
 * Case rules: compiled PCRE2 patterns and the bounded matcher. See
 * include/tasktrace/cases.h. Tested in tests/unit/test-cases.c, fuzzed by
 * tests/fuzz/fuzz-cases.c, measured by tests/bench/bench-cases.c.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <nettle/hmac.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/cases.h"
#include "tasktrace/utf8.h"

/* A field repaired to UTF-8: each bad byte may become U+FFFD, 3 bytes. */
#define SCRATCH (3 * TT_CASES_MAX_SUBJECT + 1)
#define REPLACEMENT "\xef\xbf\xbd"

struct pattern {
	pcre2_code *code;
	enum tt_case_field field;
	uint32_t id_group;	/* capture number of (?<id>…) */
};

struct ctype {
	char name[TT_CASES_NAME_MAX + 1];
	unsigned norm;
	enum tt_case_store store;
	struct pattern *pat;
	size_t npat;
};

struct tt_cases {
	unsigned flags;
	struct ctype *types;
	size_t ntypes;
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	uint32_t md_pairs;	/* ovector pairs md has */
	bool jit;		/* every pattern so far is JIT-compiled */
	struct tt_cases_stats st;
	char *scratch[TT_CASE_NFIELDS];	/* repaired fields, SCRATCH bytes each */
};

struct tt_cases *
tt_cases_new(unsigned flags)
{
	struct tt_cases *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->flags = flags;
	c->jit = !(flags & TT_CASES_NO_JIT);
	c->cctx = pcre2_compile_context_create(NULL);
	c->mctx = pcre2_match_context_create(NULL);
	for (int f = 0; f < TT_CASE_NFIELDS; f++) {
		c->scratch[f] = malloc(SCRATCH);
		if (!c->scratch[f]) {
			tt_cases_free(c);
			return NULL;
		}
	}
	if (!c->cctx || !c->mctx) {
		tt_cases_free(c);
		return NULL;
	}
	pcre2_set_match_limit(c->mctx, TT_CASES_MATCH_LIMIT);
	pcre2_set_depth_limit(c->mctx, TT_CASES_DEPTH_LIMIT);
	pcre2_set_heap_limit(c->mctx, TT_CASES_HEAP_LIMIT_KIB);
	return c;
}

void
tt_cases_free(struct tt_cases *c)
{
	if (!c)
		return;
	for (size_t t = 0; t < c->ntypes; t++) {
		for (size_t i = 0; i < c->types[t].npat; i++)
			pcre2_code_free(c->types[t].pat[i].code);
		free(c->types[t].pat);
	}
	free(c->types);
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	pcre2_compile_context_free(c->cctx);
	for (int f = 0; f < TT_CASE_NFIELDS; f++)
		free(c->scratch[f]);
	free(c);
}

bool
tt_cases_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > TT_CASES_NAME_MAX || !(name[0] >= 'a' && name[0] <= 'z'))
		return false;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return false;
	}
	return true;
}

int
tt_cases_type(struct tt_cases *c, const char *name, unsigned *index)
{
	struct ctype *nt;

	if (!tt_cases_valid_name(name))
		return -EINVAL;
	for (size_t t = 0; t < c->ntypes; t++) {
		if (strcmp(c->types[t].name, name) == 0) {
			*index = (unsigned)t;
			return 0;
		}
	}
	nt = realloc(c->types, (c->ntypes + 1) * sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	c->types = nt;
	nt = &c->types[c->ntypes];
	memset(nt, 0, sizeof(*nt));
	snprintf(nt->name, sizeof(nt->name), "%s", name);
	*index = (unsigned)c->ntypes++;
	return 0;
}

int
tt_cases_add(struct tt_cases *c, unsigned type, enum tt_case_field field,
	     const char *pattern, char *err, size_t errlen, size_t *offset)
{
	struct ctype *t = &c->types[type];
	struct pattern *np;
	pcre2_code *code;
	PCRE2_SIZE off = 0;
	uint32_t ncap = 0;
	int ec, idn;

	*offset = SIZE_MAX;
	/* \C could split a UTF-8 character: refused (NEVER_BACKSLASH_C).
	 * Not PCRE2_MATCH_INVALID_UTF: with it, PCRE2 10.42's JIT (Debian 12)
	 * fails to match \S on a multi-byte character ("Invoice (\S+) end"
	 * misses "Invoice été end"; the interpreter finds it). Subjects are
	 * made valid UTF-8 before matching instead (subject()). */
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C,
			     &ec, &off, c->cctx);
	if (!code) {
		PCRE2_UCHAR msg[256];

		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", ec);
		if (ec == PCRE2_ERROR_NOMEMORY)
			return -ENOMEM;
		snprintf(err, errlen, "%s", (const char *)msg);
		*offset = off;
		return -EINVAL;
	}
	idn = pcre2_substring_number_from_name(code, (PCRE2_SPTR)"id");
	if (idn < 0) {
		snprintf(err, errlen, idn == PCRE2_ERROR_NOUNIQUESUBSTRING ?
			 "has more than one group named 'id' (give one)" :
			 "has no named group 'id' (write the id's part as (?<id>...))");
		pcre2_code_free(code);
		return -EINVAL;
	}
	if (!(c->flags & TT_CASES_NO_JIT)) {
		/* PCRE2_ERROR_JIT_BADOPTION: built without JIT (or not for
		 * this CPU); the interpreter then runs the pattern. */
		if (pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) != 0)
			c->jit = false;
	}
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncap);
	if (!c->md || ncap + 1 > c->md_pairs) {
		pcre2_match_data *md = pcre2_match_data_create(ncap + 1, NULL);

		if (!md) {
			pcre2_code_free(code);
			return -ENOMEM;
		}
		pcre2_match_data_free(c->md);
		c->md = md;
		c->md_pairs = ncap + 1;
	}
	np = realloc(t->pat, (t->npat + 1) * sizeof(*np));
	if (!np) {
		pcre2_code_free(code);
		return -ENOMEM;
	}
	t->pat = np;
	t->pat[t->npat++] = (struct pattern){ code, field, (uint32_t)idn };
	return 0;
}

void
tt_cases_set_norm(struct tt_cases *c, unsigned type, unsigned norm)
{
	c->types[type].norm = norm;
}

void
tt_cases_set_store(struct tt_cases *c, unsigned type, enum tt_case_store store)
{
	c->types[type].store = store;
}

size_t
tt_cases_count(const struct tt_cases *c)
{
	return c ? c->ntypes : 0;
}

const char *
tt_cases_name(const struct tt_cases *c, unsigned type)
{
	return c->types[type].name;
}

unsigned
tt_cases_norm(const struct tt_cases *c, unsigned type)
{
	return c->types[type].norm;
}

enum tt_case_store
tt_cases_store(const struct tt_cases *c, unsigned type)
{
	return c->types[type].store;
}

size_t
tt_cases_patterns(const struct tt_cases *c, unsigned type)
{
	return c->types[type].npat;
}

bool
tt_cases_jit(const struct tt_cases *c)
{
	return c && c->jit && c->ntypes > 0;
}

int
tt_cases_normalize(unsigned norm, const char *id, size_t len, char *out, size_t size)
{
	if (norm & TT_CASE_NORM_STRIP_ZEROS) {
		while (len > 1 && id[0] == '0') {
			id++;
			len--;
		}
	}
	if (len + 1 > size)
		return -ERANGE;
	for (size_t i = 0; i < len; i++) {
		char ch = id[i];

		if ((norm & TT_CASE_NORM_UPPER) && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		else if ((norm & TT_CASE_NORM_LOWER) && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		out[i] = ch;
	}
	out[len] = '\0';
	return (int)len;
}

/* One pattern on one subject: 1 and the id in m->id, or 0. */
static int
try_pattern(struct tt_cases *c, const struct ctype *t, const struct pattern *p,
	    const char *subject, size_t len, struct tt_case_match *m)
{
	PCRE2_SIZE *ov;
	size_t so, eo;
	int rc;

	rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_UTF_CHECK,
			 c->md, c->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		c->st.limit_hits++;
		return 0;
	}
	if (rc < 0) {
		c->st.errors++;
		return 0;
	}
	ov = pcre2_get_ovector_pointer(c->md);
	so = ov[2 * p->id_group];
	eo = ov[2 * p->id_group + 1];
	/* (?<id>…) in an alternative that did not match is unset; \K can
	 * put the end before the start. An empty id names nothing. */
	if ((rc > 0 && p->id_group >= (uint32_t)rc) || so == PCRE2_UNSET ||
	    eo <= so || eo > len)
		return 0;
	/* An id with a replaced byte is not the id the application showed. */
	if (memmem(subject + so, eo - so, REPLACEMENT, 3))
		return 0;
	if (eo - so > TT_CASES_ID_MAX ||
	    tt_cases_normalize(t->norm, subject + so, eo - so, m->id, sizeof(m->id)) < 0) {
		c->st.overlong++;
		return 0;
	}
	m->field = p->field;
	return 1;
}

/* The part of field f that is searched, as valid UTF-8: its first
 * TT_CASES_MAX_SUBJECT bytes (cut at a character), copied with invalid
 * bytes replaced by U+FFFD only when there are any. */
static const char *
subject(struct tt_cases *c, int f, const char *s, size_t *len)
{
	size_t n = strnlen(s, TT_CASES_MAX_SUBJECT);

	if (n == TT_CASES_MAX_SUBJECT) {
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (tt_utf8_valid(s, n)) {
		*len = n;
		return s;
	}
	*len = tt_utf8_repair(c->scratch[f], SCRATCH, s, n);
	return c->scratch[f];
}

size_t
tt_cases_match(struct tt_cases *c, const char *title, const char *element,
	       const char *url, struct tt_case_match *out, size_t max)
{
	const char *subj[TT_CASE_NFIELDS] = { title, element, url };
	size_t len[TT_CASE_NFIELDS];
	size_t n = 0;

	if (!c)
		return 0;
	c->st.matches++;
	for (int f = 0; f < TT_CASE_NFIELDS; f++) {
		len[f] = 0;
		if (subj[f])
			subj[f] = subject(c, f, subj[f], &len[f]);
	}
	for (size_t ti = 0; ti < c->ntypes && n < max; ti++) {
		const struct ctype *t = &c->types[ti];

		for (size_t i = 0; i < t->npat; i++) {
			const struct pattern *p = &t->pat[i];

			if (!subj[p->field])
				continue;
			if (try_pattern(c, t, p, subj[p->field], len[p->field], &out[n])) {
				out[n++].type = (unsigned)ti;
				break;
			}
		}
	}
	return n;
}

void
tt_cases_stats(const struct tt_cases *c, struct tt_cases_stats *st)
{
	if (c)
		*st = c->st;
	else
		memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------------ */
/* Pseudonyms                                                           */

void
tt_pseudonym(const uint8_t *key, size_t key_len, const char *domain,
	     const char *prefix, const char *name, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t plen = strnlen(prefix, 2);
	uint8_t zero = 0;

	hmac_sha256_set_key(&ctx, key_len, key);
	/* The domain separates users from hosts from case ids: the same
	 * string in two domains gets unrelated pseudonyms. */
	hmac_sha256_update(&ctx, strlen(domain), (const uint8_t *)domain);
	hmac_sha256_update(&ctx, 1, &zero);
	hmac_sha256_update(&ctx, len, (const uint8_t *)name);
	hmac_sha256_digest(&ctx, sizeof(digest), digest);
	explicit_bzero(&ctx, sizeof(ctx));

	memcpy(out, prefix, plen);
	for (size_t i = 0; i < 8; i++) {
		out[plen + 2 * i] = hex[digest[i] >> 4];
		out[plen + 2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[plen + 16] = '\0';
	explicit_bzero(digest, sizeof(digest));
}

void
tt_case_pseudonym(const uint8_t *key, size_t key_len, const char *id, size_t len,
		  char out[TT_CASE_PSEUDONYM_LEN + 1])
{
	tt_pseudonym(key, key_len, "case", "c-", id, len, out);
}
