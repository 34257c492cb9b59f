/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — cases: business-object ids (invoice 4711, ticket INC-2231,
 * order 80012345) picked out of window titles, UI element names and page
 * URLs by the [case.NAME] rules of tasktrace.conf (issue 20).
 *
 * A rule set holds case types (one per [case.NAME] section, in file
 * order); each type holds one or more PCRE2 patterns, each over one
 * field (title, element name, URL), each with a named group "id". For a
 * focus change, tt_cases_match() tries every type: the first pattern of
 * the type that matches (in file order) and captures a non-empty id gives
 * that type's id, normalised. So one focus change yields at most one id
 * per case type.
 *
 * The inputs are untrusted: an application chooses its window title. So:
 *   - patterns are compiled in UTF-8 mode; a field is searched as valid
 *     UTF-8: when it is not, a copy with each ill-formed part replaced by
 *     U+FFFD (tt_utf8_repair()), and an id holding a U+FFFD is no match.
 *     So invalid UTF-8 never makes an error, and no id contains it (nor
 *     U+FFFD). (Not PCRE2_MATCH_INVALID_UTF: Debian 12's PCRE2 10.42 JIT
 *     misses \S on multi-byte characters with it.);
 *   - only the first TT_CASES_MAX_SUBJECT bytes of a field are searched
 *     (cut back to a character boundary);
 *   - every match runs under PCRE2 limits (TT_CASES_MATCH_LIMIT,
 *     TT_CASES_DEPTH_LIMIT, TT_CASES_HEAP_LIMIT_KIB): a pattern that
 *     backtracks catastrophically gives up there, counts as no match, and
 *     increments the limit_hits counter (struct tt_cases_stats) so the
 *     caller can log it;
 *   - patterns are JIT-compiled where PCRE2's JIT works (x86-64, arm64…),
 *     falling back to the interpreter silently when it does not (or with
 *     TT_CASES_NO_JIT);
 *   - one match-data block is allocated with the rule set and reused: a
 *     match allocates nothing (the interpreter's heap frames aside, which
 *     the heap limit caps).
 *
 * Threads: a rule set is used by one thread at a time (the match data and
 * the counters are in it).
 *
 * Pseudonyms: tt_case_pseudonym() is the keyed HMAC of the exports
 * (tt_pseudonym(), domain "case"), so that `tasktrace secret hash-id`
 * and, later, the tracer give the same pseudonym for the same id.
 */
#ifndef TASKTRACE_CASES_H
#define TASKTRACE_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Longest case-type name ("invoice"), bytes. */
#define TT_CASES_NAME_MAX 32
/** Longest id kept, bytes; a longer capture is no match (overlong). */
#define TT_CASES_ID_MAX 128
/** Bytes of a title, element name or URL that are searched. */
#define TT_CASES_MAX_SUBJECT 4096
/** PCRE2 match limit: backtracking steps per pattern per field. */
#define TT_CASES_MATCH_LIMIT 10000
/** PCRE2 depth limit (interpreter only; JIT ignores it). */
#define TT_CASES_DEPTH_LIMIT 1000
/** PCRE2 heap limit for the interpreter's backtracking frames, KiB. */
#define TT_CASES_HEAP_LIMIT_KIB 256

/** What a pattern reads. */
enum tt_case_field {
	TT_CASE_TITLE = 0,
	TT_CASE_ELEMENT,
	TT_CASE_URL,
	TT_CASE_NFIELDS,
};

/** Normalisations of an id, a bit set; strip first, then the case. */
enum tt_case_norm {
	TT_CASE_NORM_UPPER = 1 << 0,	/**< ASCII a-z to A-Z */
	TT_CASE_NORM_LOWER = 1 << 1,	/**< ASCII A-Z to a-z */
	TT_CASE_NORM_STRIP_ZEROS = 1 << 2, /**< leading '0's, one kept if all are */
};

/** How the tracer is to store a type's ids (the next slice). */
enum tt_case_store {
	TT_CASE_STORE_CLEAR = 0,
	TT_CASE_STORE_PSEUDONYM,
};

/** Flags of tt_cases_new(). */
enum tt_cases_flags {
	TT_CASES_NO_JIT = 1 << 0,	/**< interpreter only (benchmarks, tests) */
};

struct tt_cases;

/** One id found: its case type (index and name) and the normalised id. */
struct tt_case_match {
	unsigned type;				/**< index, tt_cases_name() */
	enum tt_case_field field;		/**< where it was found */
	char id[TT_CASES_ID_MAX + 1];		/**< NUL-terminated UTF-8 */
};

/** Counters since the rule set was made. */
struct tt_cases_stats {
	uint64_t matches;	/**< tt_cases_match() calls */
	uint64_t limit_hits;	/**< a pattern gave up at a PCRE2 limit */
	uint64_t errors;	/**< any other PCRE2 match error */
	uint64_t overlong;	/**< an id longer than TT_CASES_ID_MAX, dropped */
};

/** A new empty rule set (flags: enum tt_cases_flags); NULL on ENOMEM. */
struct tt_cases *
tt_cases_new(unsigned flags);

/** Free a rule set; NULL is fine. */
void
tt_cases_free(struct tt_cases *c);

/** Is @p name a valid case-type name: [a-z][a-z0-9_-]*, at most
 *  TT_CASES_NAME_MAX bytes? */
bool
tt_cases_valid_name(const char *name);

/**
 * The index of case type @p name, adding it when new.
 * @return 0 and *index, -EINVAL (invalid name), -ENOMEM
 */
int
tt_cases_type(struct tt_cases *c, const char *name, unsigned *index);

/**
 * Compile @p pattern over @p field for type @p type.
 *
 * @param[out] err     on -EINVAL, a message: PCRE2's, or "has no named
 *                     group 'id'"
 * @param[out] offset  on -EINVAL, the offset in the pattern PCRE2 gave
 *                     (bytes), or SIZE_MAX when there is none
 * @return 0, -EINVAL, -ENOMEM
 */
int
tt_cases_add(struct tt_cases *c, unsigned type, enum tt_case_field field,
	     const char *pattern, char *err, size_t errlen, size_t *offset);

/** Set a type's normalisation (enum tt_case_norm bits) and storage. */
void
tt_cases_set_norm(struct tt_cases *c, unsigned type, unsigned norm);
void
tt_cases_set_store(struct tt_cases *c, unsigned type, enum tt_case_store store);

/** Number of case types (0 for NULL). */
size_t
tt_cases_count(const struct tt_cases *c);
/** A type's name, normalisation, storage and pattern count. */
const char *
tt_cases_name(const struct tt_cases *c, unsigned type);
unsigned
tt_cases_norm(const struct tt_cases *c, unsigned type);
enum tt_case_store
tt_cases_store(const struct tt_cases *c, unsigned type);
size_t
tt_cases_patterns(const struct tt_cases *c, unsigned type);
/** Is a type's pattern JIT-compiled? (false when PCRE2 has no JIT here) */
bool
tt_cases_jit(const struct tt_cases *c);

/**
 * The ids of the cases in front of a person: try every type's patterns on
 * @p title, @p element and @p url (each may be NULL: no such field).
 *
 * @param[out] out  up to @p max matches, in type order
 * @return the number of matches written (0 … max); never fails: limit
 *         hits and errors count in the stats and are no match.
 */
size_t
tt_cases_match(struct tt_cases *c, const char *title, const char *element,
	       const char *url, struct tt_case_match *out, size_t max);

/** The counters; NULL @p c gives zeros. */
void
tt_cases_stats(const struct tt_cases *c, struct tt_cases_stats *st);

/**
 * Normalise @p id of @p len bytes by @p norm into @p out (NUL-terminated).
 * @return the length, or -ERANGE when it does not fit in @p size
 */
int
tt_cases_normalize(unsigned norm, const char *id, size_t len,
		   char *out, size_t size);

/** Pseudonyms of case ids: "c-" and 16 hex digits. */
#define TT_CASE_PSEUDONYM_LEN 18

/**
 * The pseudonym of a (normalised) case id under the site secret @p key:
 * tt_pseudonym(key, "case", "c-", id). The case type is not part of it,
 * so that an ERP's id column hashes the same whatever the type is called.
 */
void
tt_case_pseudonym(const uint8_t *key, size_t key_len, const char *id, size_t len,
		  char out[TT_CASE_PSEUDONYM_LEN + 1]);

/**
 * The keyed pseudonym of the exports: HMAC-SHA-256(key, domain ‖ 0 ‖
 * name), its first 64 bits as 16 hex digits after @p prefix (at most 2
 * characters). mining/pseudo.c's pseudo_name() is this.
 */
void
tt_pseudonym(const uint8_t *key, size_t key_len, const char *domain,
	     const char *prefix, const char *name, size_t len, char *out);

#endif /* TASKTRACE_CASES_H */
