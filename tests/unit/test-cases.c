/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/cases.c (the case-rule engine) and the [case.NAME]
 * sections of lib/config.c: the issue's patterns (invoices, INC tickets,
 * SAP order numbers), normalisation, several case types at once, refused
 * patterns with their messages, PCRE2's limits on a catastrophic
 * pattern, hostile input (invalid UTF-8, a 100 KB title), and the
 * pseudonym of an id: the library's known answer and the CLI's equality.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tasktrace/cases.h"
#include "tasktrace/config.h"

struct errors {
	char text[8192];
	int count;
};

static void
collect(void *ctx, const char *msg)
{
	struct errors *e = ctx;
	size_t len = strlen(e->text);

	snprintf(e->text + len, sizeof(e->text) - len, "%s\n", msg);
	e->count++;
}

static int
load(struct tt_config *cfg, struct errors *e, const char *text)
{
	setenv("TASKTRACE_KEYBOARD", "/nonexistent/keyboard", 1);
	memset(e, 0, sizeof(*e));
	return tt_config_load_buffer(cfg, "t.conf", text, strlen(text), collect, e);
}

/* A rule set of one type with one title pattern, or NULL. */
static struct tt_cases *
one(unsigned flags, const char *name, enum tt_case_field f, const char *pat,
    unsigned norm)
{
	struct tt_cases *c = tt_cases_new(flags);
	char err[256];
	size_t off;
	unsigned t;

	if (!c || tt_cases_type(c, name, &t) < 0 ||
	    tt_cases_add(c, t, f, pat, err, sizeof(err), &off) < 0) {
		fprintf(stderr, "pattern %s: %s\n", pat, err);
		tt_cases_free(c);
		return NULL;
	}
	tt_cases_set_norm(c, t, norm);
	return c;
}

static const char *const conf_issue =
	"[case.invoice]\n"
	"# the issue's pattern; its final blank written as [ ] (inih drops\n"
	"# trailing blanks of a value)\n"
	"title = ^Invoice (?<id>[0-9]{4,10})[ ]\n"
	"element = ^Invoice no\\.? (?<id>[0-9]{4,10})$\n"
	"[case.ticket]\n"
	"title = (?i)\\b(?<id>inc-[0-9]+)\\b\n"
	"url = [?&]ticket=(?<id>INC-[0-9]+)\n"
	"normalize = upper\n"
	"store = pseudonym\n"
	"[case.order]\n"
	"title = Sales Order (?<id>[0-9]{10})\\b\n"
	"normalize = strip-leading-zeros\n";

TEST(issue_patterns_from_config)
{
	struct tt_config cfg;
	struct errors e;
	struct tt_case_match m[4];
	size_t n;

	CHECK_MSG(load(&cfg, &e, conf_issue) == 0, "%s", e.text);
	CHECK_EQ(tt_cases_count(cfg.cases), 3);
	CHECK_STR(tt_cases_name(cfg.cases, 0), "invoice");
	CHECK_EQ(tt_cases_patterns(cfg.cases, 0), 2);
	CHECK_EQ(tt_cases_store(cfg.cases, 0), TT_CASE_STORE_CLEAR);
	CHECK_EQ(tt_cases_store(cfg.cases, 1), TT_CASE_STORE_PSEUDONYM);
	CHECK_EQ(tt_cases_norm(cfg.cases, 1), TT_CASE_NORM_UPPER);

	n = tt_cases_match(cfg.cases, "Invoice 4711 - LibreOffice Calc", NULL, NULL, m, 4);
	CHECK_EQ(n, 1);
	CHECK_EQ(m[0].type, 0);
	CHECK_EQ(m[0].field, TT_CASE_TITLE);
	CHECK_STR(m[0].id, "4711");
	/* three digits is not an invoice; no blank after it neither */
	CHECK_EQ(tt_cases_match(cfg.cases, "Invoice 471 - Calc", NULL, NULL, m, 4), 0);
	CHECK_EQ(tt_cases_match(cfg.cases, "Invoice 4711", NULL, NULL, m, 4), 0);
	CHECK_EQ(tt_cases_match(cfg.cases, "Invoices 2026 - Calc", NULL, NULL, m, 4), 0);

	n = tt_cases_match(cfg.cases, "Re: inc-2231 printer jammed - Thunderbird", NULL, NULL, m, 4);
	CHECK_EQ(n, 1);
	CHECK_EQ(m[0].type, 1);
	CHECK_STR(m[0].id, "INC-2231");

	n = tt_cases_match(cfg.cases, "Change Sales Order 0080012345: Overview", NULL, NULL, m, 4);
	CHECK_EQ(n, 1);
	CHECK_EQ(m[0].type, 2);
	CHECK_STR(m[0].id, "80012345");
	tt_config_free(&cfg);
}

TEST(several_types_at_once)
{
	struct tt_config cfg;
	struct errors e;
	struct tt_case_match m[4];
	size_t n;

	CHECK_MSG(load(&cfg, &e, conf_issue) == 0, "%s", e.text);
	/* an invoice in the element, a ticket in the URL, an order in the title */
	n = tt_cases_match(cfg.cases, "Sales Order 0000000042 - SAP GUI",
			   "Invoice no. 900017",
			   "https://erp.example/view?id=3&ticket=INC-77", m, 4);
	CHECK_EQ(n, 3);
	CHECK_EQ(m[0].type, 0);
	CHECK_EQ(m[0].field, TT_CASE_ELEMENT);
	CHECK_STR(m[0].id, "900017");
	CHECK_EQ(m[1].type, 1);
	CHECK_EQ(m[1].field, TT_CASE_URL);
	CHECK_STR(m[1].id, "INC-77");
	CHECK_EQ(m[2].type, 2);
	CHECK_STR(m[2].id, "42");
	/* max bounds the output */
	CHECK_EQ(tt_cases_match(cfg.cases, "Sales Order 0000000042 - SAP GUI",
				"Invoice no. 900017", NULL, m, 1), 1);
	CHECK_STR(m[0].id, "900017");
	/* one id per type: the first of the type's patterns that matches */
	n = tt_cases_match(cfg.cases, "Invoice 1234 and Invoice 5678 ", "Invoice 99999", NULL, m, 4);
	CHECK_EQ(n, 1);
	CHECK_STR(m[0].id, "1234");
	CHECK_EQ(m[0].field, TT_CASE_TITLE);
	tt_config_free(&cfg);
}

TEST(normalize)
{
	char out[16];

	CHECK_EQ(tt_cases_normalize(TT_CASE_NORM_STRIP_ZEROS, "000123", 6, out, sizeof(out)), 3);
	CHECK_STR(out, "123");
	CHECK_EQ(tt_cases_normalize(TT_CASE_NORM_STRIP_ZEROS, "0000", 4, out, sizeof(out)), 1);
	CHECK_STR(out, "0");
	CHECK_EQ(tt_cases_normalize(TT_CASE_NORM_UPPER, "inc-7a\xc3\xa4", 8, out, sizeof(out)), 8);
	CHECK_STR(out, "INC-7A\xc3\xa4");	/* ASCII only: ä stays */
	CHECK_EQ(tt_cases_normalize(TT_CASE_NORM_LOWER | TT_CASE_NORM_STRIP_ZEROS,
				    "00AbC", 5, out, sizeof(out)), 3);
	CHECK_STR(out, "abc");
	CHECK_EQ(tt_cases_normalize(0, "0042", 4, out, sizeof(out)), 4);
	CHECK_STR(out, "0042");
	CHECK_EQ(tt_cases_normalize(0, "0123456789abcdef", 16, out, sizeof(out)), -ERANGE);
}

TEST(config_errors)
{
	struct tt_config cfg;
	struct errors e;

	int rc = load(&cfg, &e,
		      "[case.Invoice]\n"
		      "title = (?<id>x)\n"
		      "[case.inv]\n"
		      "title = Invoice (?<id>[0-9]+\n"
		      "element = Invoice [0-9]+\n"
		      "url = (?<id>a)|(?<id>b)\n"
		      "colour = red\n"
		      "normalize = upper,lower\n"
		      "normalize = upper\n"
		      "store = maybe\n"
		      "[case.t2]\n"
		      "normalize = upper, sideways\n"
		      "title = \n"
		      "[case.none]\n"
		      "store = clear\n");

	CHECK_STR(e.text,
		  "t.conf:1: invalid case name 'Invoice' in [case.Invoice] (use [a-z][a-z0-9_-]*, at most 32 characters)\n"
		  "t.conf:4: invalid pattern 'Invoice (?<id>[0-9]+' for title in [case.inv]: missing closing parenthesis at offset 20\n"
		  "t.conf:5: pattern 'Invoice [0-9]+' for element in [case.inv] has no named group 'id' (write the id's part as (?<id>...))\n"
		  "t.conf:6: invalid pattern '(?<id>a)|(?<id>b)' for url in [case.inv]: two named subpatterns have the same name (PCRE2_DUPNAMES not set) at offset 15\n"
		  "t.conf:7: unknown key 'colour' in [case.inv] (keys: title, element, url, normalize, store)\n"
		  "t.conf:8: normalize cannot be both upper and lower\n"
		  "t.conf:9: duplicate key 'normalize' in [case.inv] (first set at line 8)\n"
		  "t.conf:10: invalid value 'maybe' for store (use clear|pseudonym)\n"
		  "t.conf:12: unknown normalisation 'sideways' (use upper, lower, strip-leading-zeros)\n"
		  "t.conf:13: empty pattern for title in [case.t2]\n"
		  "t.conf:14: [case.none] has no pattern (give title, element or url)\n");
	CHECK_EQ(rc, 11);
	tt_config_free(&cfg);

	/* (?J) allows duplicate names: refused by us, an id must be one group */
	CHECK_EQ(load(&cfg, &e, "[case.x]\ntitle = (?J)(?<id>a)|(?<id>b)\n"), 1);
	CHECK_STR(e.text, "t.conf:2: pattern '(?J)(?<id>a)|(?<id>b)' for title in [case.x] "
		  "has more than one group named 'id' (give one)\n");
	tt_config_free(&cfg);

	/* no [case.*]: no rule set, and matching on it finds nothing */
	CHECK_EQ(load(&cfg, &e, "[store]\nretention_days = 3\n"), 0);
	CHECK(cfg.cases == NULL);
	CHECK_EQ(tt_cases_match(cfg.cases, "Invoice 4711 ", NULL, NULL, NULL, 0), 0);
	tt_config_free(&cfg);
}

/* (a+)+$ on 30 a's and a '!' takes 2^30 steps to fail without limits
 * (minutes); under the match limit it gives up, counts, and the next
 * pattern still runs. Both under JIT and the interpreter. */
static void
catastrophic(unsigned flags)
{
	struct tt_cases *c = tt_cases_new(flags);
	struct tt_case_match m[2];
	struct tt_cases_stats st;
	char title[64], err[256];
	size_t off;
	unsigned t, u;

	CHECK(c);
	CHECK_EQ(tt_cases_type(c, "evil", &t), 0);
	CHECK_EQ(tt_cases_add(c, t, TT_CASE_TITLE, "^(?<id>(a+)+)$", err, sizeof(err), &off), 0);
	CHECK_EQ(tt_cases_type(c, "fine", &u), 0);
	CHECK_EQ(tt_cases_add(c, u, TT_CASE_TITLE, "(?<id>a{3})!", err, sizeof(err), &off), 0);
	memset(title, 'a', 30);
	strcpy(title + 30, "!");
	CHECK_EQ(tt_cases_match(c, title, NULL, NULL, m, 2), 1);
	CHECK_EQ(m[0].type, u);
	CHECK_STR(m[0].id, "aaa");
	tt_cases_stats(c, &st);
	CHECK_EQ(st.limit_hits, 1);
	CHECK_EQ(st.errors, 0);
	CHECK_EQ(st.matches, 1);
	/* the same pattern still matches what it should */
	CHECK_EQ(tt_cases_match(c, "aaaa", NULL, NULL, m, 2), 1);
	CHECK_STR(m[0].id, "aaaa");
	tt_cases_stats(c, &st);
	CHECK_EQ(st.limit_hits, 1);
	tt_cases_free(c);
}

TEST(catastrophic_jit)
{
	struct tt_cases *c = one(0, "x", TT_CASE_TITLE, "(?<id>x)", 0);

	CHECK(c);
	if (!tt_cases_jit(c)) {
		tt_cases_free(c);
		SKIP("PCRE2 has no JIT on this machine");
	}
	tt_cases_free(c);
	catastrophic(0);
}

TEST(catastrophic_interpreter)
{
	catastrophic(TT_CASES_NO_JIT);
}

TEST(invalid_utf8_input)
{
	struct tt_cases *c = one(0, "invoice", TT_CASE_TITLE, "Invoice (?<id>\\S+) end", 0);
	struct tt_case_match m[1];
	struct tt_cases_stats st;

	CHECK(c);
	/* an invalid byte inside the id: no match (an id is valid UTF-8) */
	CHECK_EQ(tt_cases_match(c, "Invoice 47\xff" "11 end", NULL, NULL, m, 1), 0);
	/* a stray continuation byte, a truncated sequence, an overlong NUL,
	 * a surrogate elsewhere in the title: the valid part still matches */
	CHECK_EQ(tt_cases_match(c, "\x80\xc3 Invoice 4711 end \xc0\x80\xed\xa0\x80\xf4", NULL, NULL, m, 1), 1);
	CHECK_STR(m[0].id, "4711");
	CHECK_EQ(tt_cases_match(c, "Invoice \xc3\xa9t\xc3\xa9 end", NULL, NULL, m, 1), 1);
	CHECK_STR(m[0].id, "\xc3\xa9t\xc3\xa9");
	tt_cases_stats(c, &st);
	CHECK_EQ(st.errors, 0);
	CHECK_EQ(st.limit_hits, 0);
	tt_cases_free(c);

	/* "." up to the end: a truncated sequence there must not end up in
	 * the id (nor be read past) */
	for (unsigned flags = 0; flags <= TT_CASES_NO_JIT; flags += TT_CASES_NO_JIT) {
		c = one(flags, "rest", TT_CASE_TITLE, "Invoice (?<id>.+)", 0);
		CHECK(c);
		CHECK_EQ(tt_cases_match(c, "Invoice 4711\xe2\x82", NULL, NULL, m, 1), 0);
		CHECK_EQ(tt_cases_match(c, "Invoice 47\xc3", NULL, NULL, m, 1), 0);
		CHECK_EQ(tt_cases_match(c, "Invoice 4711\xe2\x82\xac", NULL, NULL, m, 1), 1);
		CHECK_STR(m[0].id, "4711\xe2\x82\xac");
		tt_cases_free(c);
	}
}

TEST(huge_title)
{
	struct tt_cases *c = one(0, "invoice", TT_CASE_TITLE, "Invoice (?<id>[0-9]{4,10})\\b", 0);
	struct tt_case_match m[1];
	struct tt_cases_stats st;
	size_t len = 100 * 1024;
	char *title = malloc(len + 1);

	CHECK(c && title);
	memset(title, 'x', len);
	title[len] = '\0';
	memcpy(title + 10, "Invoice 123456 ", 15);
	CHECK_EQ(tt_cases_match(c, title, NULL, NULL, m, 1), 1);
	CHECK_STR(m[0].id, "123456");
	/* beyond the first TT_CASES_MAX_SUBJECT bytes nothing is searched */
	memcpy(title + 10, "xxxxxxxxxxxxxxx", 15);
	memcpy(title + TT_CASES_MAX_SUBJECT + 100, "Invoice 654321 ", 15);
	CHECK_EQ(tt_cases_match(c, title, NULL, NULL, m, 1), 0);
	memcpy(title + TT_CASES_MAX_SUBJECT - 100, "Invoice 777777 ", 15);
	CHECK_EQ(tt_cases_match(c, title, NULL, NULL, m, 1), 1);
	CHECK_STR(m[0].id, "777777");
	tt_cases_stats(c, &st);
	CHECK_EQ(st.limit_hits, 0);
	CHECK_EQ(st.errors, 0);
	free(title);
	tt_cases_free(c);
}

TEST(empty_unset_and_overlong_ids)
{
	struct tt_cases *c = one(0, "t", TT_CASE_TITLE, "#(?<id>[0-9]*)|@(?<n>[a-z]+)", 0);
	struct tt_case_match m[1];
	struct tt_cases_stats st;
	char title[300];

	CHECK(c);
	CHECK_EQ(tt_cases_match(c, "ticket # open", NULL, NULL, m, 1), 0);	/* empty */
	CHECK_EQ(tt_cases_match(c, "mail @bob", NULL, NULL, m, 1), 0);	/* unset */
	CHECK_EQ(tt_cases_match(c, "ticket #12", NULL, NULL, m, 1), 1);
	CHECK_STR(m[0].id, "12");
	title[0] = '#';
	memset(title + 1, '7', TT_CASES_ID_MAX + 1);
	title[TT_CASES_ID_MAX + 2] = '\0';
	CHECK_EQ(tt_cases_match(c, title, NULL, NULL, m, 1), 0);
	tt_cases_stats(c, &st);
	CHECK_EQ(st.overlong, 1);
	title[TT_CASES_ID_MAX + 1] = '\0';	/* exactly the max is kept */
	CHECK_EQ(tt_cases_match(c, title, NULL, NULL, m, 1), 1);
	CHECK_EQ(strlen(m[0].id), TT_CASES_ID_MAX);
	tt_cases_free(c);
}

/* Known answers, computed independently with Python's hmac module:
 *   hmac.new(b"0123456789abcdef", b"case\0" + id, hashlib.sha256)
 *   .hexdigest()[:16] */
static const struct { const char *id, *pseudonym; } kat[] = {
	{ "4711", "c-aa2eeb9620113ed9" },
	{ "INC-2231", "c-96ab0651f79f5a52" },
	{ "80012345", "c-51f37379dc8cb5ab" },
};

TEST(pseudonym_known_answer)
{
	const uint8_t key[] = "0123456789abcdef";
	char out[TT_CASE_PSEUDONYM_LEN + 1], user[TT_CASE_PSEUDONYM_LEN + 1];

	for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		tt_case_pseudonym(key, 16, kat[i].id, strlen(kat[i].id), out);
		CHECK_STR(out, kat[i].pseudonym);
	}
	/* the domain separates: the same string as a user name differs */
	tt_pseudonym(key, 16, "user", "c-", "4711", 4, user);
	CHECK(strcmp(user, kat[0].pseudonym) != 0);
}

TEST(pseudonym_cli_equals_library)
{
	const char *dir = tt_test_tmpdir();
	const char *b = getenv("TT_BUILD");
	const uint8_t key[] = "0123456789abcdef";
	char tt[4096], conf[4096], lib[TT_CASE_PSEUDONYM_LEN + 1], *out = NULL;
	FILE *f;

	snprintf(tt, sizeof(tt), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	CHECK(tt_test_run(NULL, "printf 0123456789abcdef > %s/secret && chmod 600 %s/secret",
			  dir, dir) == 0);
	snprintf(conf, sizeof(conf), "%s/t.conf", dir);
	f = fopen(conf, "w");
	CHECK(f);
	fputs(conf_issue, f);
	fclose(f);

	/* ids on the command line, in order */
	CHECK_EQ(tt_test_run(&out, "%s --config %s/t.conf secret hash-id --secret %s/secret "
			     "4711 INC-2231 2>&1", tt, dir, dir), 0);
	tt_case_pseudonym(key, 16, "4711", 4, lib);
	CHECK_MSG(out && strncmp(out, lib, TT_CASE_PSEUDONYM_LEN) == 0, "%s vs %s", out, lib);
	CHECK_STR(out, "c-aa2eeb9620113ed9\nc-96ab0651f79f5a52\n");
	free(out);
	out = NULL;
	/* --case applies the type's normalisation first (strip-leading-zeros),
	 * ids on standard input */
	CHECK_MSG(tt_test_run(&out, "printf '0080012345\\n' | %s --config %s/t.conf secret "
			      "hash-id --case order --secret %s/secret 2>&1", tt, dir, dir) == 0,
		  "%s", out ? out : "");
	tt_case_pseudonym(key, 16, "80012345", 8, lib);
	CHECK_MSG(out && strncmp(out, lib, TT_CASE_PSEUDONYM_LEN) == 0, "%s vs %s", out, lib);
	free(out);
	out = NULL;
	/* upper for tickets */
	CHECK_EQ(tt_test_run(&out, "%s --config %s/t.conf secret hash-id --case ticket "
			     "--secret %s/secret inc-2231 2>&1", tt, dir, dir), 0);
	CHECK_STR(out, "c-96ab0651f79f5a52\n");
	free(out);
	out = NULL;
	/* an unknown case type is an error, nothing printed on stdout */
	CHECK_EQ(tt_test_run(&out, "%s --config %s/t.conf secret hash-id --case nope "
			     "--secret %s/secret 1 2>&1", tt, dir, dir), 2);
	CHECK_STR(out, "tasktrace: secret hash-id: no [case.nope] in the configuration\n");
	free(out);
}

TEST(check_config_cli)
{
	const char *dir = tt_test_tmpdir();
	const char *b = getenv("TT_BUILD");
	char tt[4096], *out = NULL;

	snprintf(tt, sizeof(tt), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	CHECK(tt_test_run(NULL, "printf '[case.inv]\\ntitle = ^Invoice (?<id>[0-9]+\\n"
			  "url = x\\n[case.t]\\ntitle = (?<id>INC-[0-9]+)\\nstore = pseudonym\\n'"
			  " > %s/bad.conf", dir) == 0);
	CHECK_EQ(tt_test_run(&out, "%s check-config %s/bad.conf 2>&1", tt, dir), 7);
	CHECK_MSG(out && strstr(out, "bad.conf:2: invalid pattern '^Invoice (?<id>[0-9]+' for "
				"title in [case.inv]: missing closing parenthesis at offset 21\n"),
		  "%s", out ? out : "");
	CHECK_MSG(strstr(out, "bad.conf:3: pattern 'x' for url in [case.inv] has no named group 'id'"),
		  "%s", out);
	CHECK_MSG(strstr(out, "bad.conf: 2 errors\n"), "%s", out);
	free(out);
	out = NULL;
	CHECK(tt_test_run(NULL, "printf '[case.inv]\\ntitle = ^Invoice (?<id>[0-9]+)\\n"
			  "element = ^No (?<id>[0-9]+)$\\n[case.t]\\ntitle = (?<id>INC-[0-9]+)\\n"
			  "store = pseudonym\\n' > %s/good.conf", dir) == 0);
	CHECK_EQ(tt_test_run(&out, "%s check-config %s/good.conf 2>&1 | sed 1d", tt, dir), 0);
	CHECK_STR(out, "case inv: 2 patterns, ids stored in clear\n"
		  "case t: 1 pattern, ids stored as pseudonyms\n");
	free(out);
}
