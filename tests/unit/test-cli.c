/* SPDX-License-Identifier: MIT */
/*
 * The tasktrace command, run as a user runs it: exit codes and output for
 * good and bad arguments, on real stores made in a temporary directory.
 */
#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

#define T0 1767600000000000000ULL	/* 2026-01-05T08:00:00Z */
#define SEC 1000000000ULL

static char tt[4096];

static const char *
bin(void)
{
	const char *b = getenv("TT_BUILD");

	snprintf(tt, sizeof(tt), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	return tt;
}

/* Two users over two days: focus changes, typing, clicks, a lock. */
static const char *
make_store(void)
{
	static char dir[4096];
	struct tt_store *s;
	struct tt_session_info sa = { .uid = 1000, .start_ns = T0 };
	struct tt_session_info sb = { .uid = 1001, .start_ns = T0 };
	struct tt_record r;
	uint32_t ff, calc, title, ctrl_c;
	uint64_t seq = 1;

	snprintf(dir, sizeof(dir), "%s/store", tt_test_tmpdir());
	if (tt_store_open(&s, dir, TT_STORE_CREATE, NULL))
		return NULL;
	strcpy(sa.user, "alice");
	strcpy(sb.user, "bob");
	tt_store_session_add(s, &sa);
	tt_store_session_add(s, &sb);
	tt_store_intern(s, "firefox", 7, &ff);
	tt_store_intern(s, "libreoffice-calc", 16, &calc);
	tt_store_intern(s, "Q3 \"report\", draft.ods", strlen("Q3 \"report\", draft.ods"), &title);
	tt_store_intern(s, "Ctrl+C", 6, &ctrl_c);
	for (int day = 0; day < 2; day++) {
		for (int i = 0; i < 100; i++) {
			for (int u = 0; u < 2; u++) {
				uint64_t t = T0 + (uint64_t)day * 86400 * SEC + (uint64_t)i * 60 * SEC + (uint64_t)u * SEC;
				memset(&r, 0, sizeof(r));
				r.time_ns = t;
				r.seq = seq++;
				r.session = u ? sb.id : sa.id;
				r.uid = u ? 1001 : 1000;
				r.app = i % 2 ? calc : ff;
				r.title = i % 2 ? title : 0;
				switch (i % 4) {
				case 0:
					r.kind = TT_KIND_FOCUS;
					break;
				case 1:
					r.kind = TT_KIND_TYPING;
					r.dur_ns = 4 * SEC;
					r.u.typing.count[TT_CLASS_LETTER] = 20;
					r.u.typing.count[TT_CLASS_SPACE] = 4;
					break;
				case 2:
					r.kind = TT_KIND_KEY;
					r.u.key.name = ctrl_c;
					r.u.key.code = 46;
					r.u.key.mods = TT_MOD_CTRL;
					break;
				default:
					r.kind = TT_KIND_BUTTON;
					r.dur_ns = 90 * 1000000ULL;
					r.u.button.button = 0x110;
					r.u.button.clicks = 1 + (i % 8 == 3);
					break;
				}
				tt_store_append(s, &r);
			}
		}
	}
	tt_store_close(s);
	return dir;
}

static int
run(char **out, const char *args)
{
	return tt_test_run(out, "%s %s 2>&1 </dev/null", bin(), args);
}

static unsigned
lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

TEST(help_and_version)
{
	char *out;

	CHECK_EQ(run(&out, "--help"), 0);
	CHECK_CONTAINS(out, "query");
	CHECK_CONTAINS(out, "purge");
	CHECK_CONTAINS(out, "Exit status");
	free(out);
	CHECK_EQ(run(&out, "--version"), 0);
	CHECK_CONTAINS(out, "tasktrace ");
	free(out);
	CHECK_EQ(run(&out, "query --help"), 0);
	CHECK_CONTAINS(out, "--since");
	free(out);
}

TEST(usage_errors_exit_2)
{
	char *out;

	CHECK_EQ(run(&out, ""), 2);
	free(out);
	CHECK_EQ(run(&out, "frobnicate"), 2);
	CHECK_CONTAINS(out, "unknown command 'frobnicate'");
	free(out);
	CHECK_EQ(run(&out, "--bogus query"), 2);
	free(out);
	CHECK_EQ(run(&out, "query --since 2026-01-06 --until 2026-01-05"), 2);
	CHECK_CONTAINS(out, "is not before --until");
	free(out);
	CHECK_EQ(run(&out, "query --since yesterday-ish"), 2);
	CHECK_CONTAINS(out, "cannot read 'yesterday-ish' as a time");
	free(out);
	CHECK_EQ(run(&out, "query --since 2026-02-30"), 2);
	free(out);
	CHECK_EQ(run(&out, "query --kind typing,keystroke"), 2);
	CHECK_CONTAINS(out, "unknown kind 'keystroke'");
	free(out);
	CHECK_EQ(run(&out, "query --format xml"), 2);
	CHECK_CONTAINS(out, "unknown format 'xml'");
	free(out);
	CHECK_EQ(run(&out, "query --limit ten"), 2);
	free(out);
	CHECK_EQ(run(&out, "query extra"), 2);
	free(out);
	CHECK_EQ(run(&out, "purge"), 2);
	CHECK_CONTAINS(out, "say what to delete");
	free(out);
	CHECK_EQ(run(&out, "purge --all --user bob"), 2);
	free(out);
}

TEST(missing_and_bad_stores)
{
	char *out, args[4300], path[4200];
	const char *dir = tt_test_tmpdir();
	FILE *f;

	snprintf(args, sizeof(args), "--store %s/nothing query", dir);
	CHECK_EQ(run(&out, args), 3);
	CHECK_CONTAINS(out, "no store there");
	free(out);
	/* usage errors win over a missing store */
	snprintf(args, sizeof(args), "--store %s/nothing query --kind nope", dir);
	CHECK_EQ(run(&out, args), 2);
	free(out);

	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	f = fopen(path, "w");
	fputs("definitely not LMDB, but long enough to have a header ......", f);
	fclose(f);
	snprintf(args, sizeof(args), "--store %s stats", dir);
	CHECK_EQ(run(&out, args), 4);
	CHECK_CONTAINS(out, "not a tasktrace store");
	free(out);
	snprintf(args, sizeof(args), "--store %s verify", dir);
	CHECK_EQ(run(&out, args), 4);
	free(out);
	/* the environment variable names the store too */
	CHECK_EQ(tt_test_run(&out, "TASKTRACE_STORE=%s %s query 2>&1", dir, bin()), 4);
	free(out);
}

TEST(truncated_and_newer_stores)
{
	const char *dir = make_store();
	char *out, args[4400], path[4400];
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;
	uint8_t schema[4] = { 0, 0, 0, 42 };
	MDB_val k = { 6, "schema" }, v = { 4, schema };
	char copy[4300];

	CHECK(dir);
	snprintf(copy, sizeof(copy), "%s.copy", dir);
	CHECK_EQ(tt_test_run(NULL, "cp -a %s %s", dir, copy), 0);

	CHECK_EQ(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 8);
	CHECK_EQ(mdb_env_open(env, dir, 0, 0640), 0);
	CHECK_EQ(mdb_txn_begin(env, NULL, 0, &txn), 0);
	CHECK_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	CHECK_EQ(mdb_put(txn, meta, &k, &v, 0), 0);
	CHECK_EQ(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	snprintf(args, sizeof(args), "--store %s stats", dir);
	CHECK_EQ(run(&out, args), 5);
	CHECK_CONTAINS(out, "newer tasktrace");
	free(out);

	snprintf(path, sizeof(path), "%s/data.mdb", copy);
	CHECK_EQ(truncate(path, 3 * 4096), 0);
	snprintf(args, sizeof(args), "--store %s query", copy);
	CHECK_EQ(run(&out, args), 10);
	CHECK_CONTAINS(out, "truncated");
	free(out);
}

TEST(query_formats_and_filters)
{
	const char *dir = make_store();
	char *out, args[4400];

	CHECK(dir);
	snprintf(args, sizeof(args), "--store %s query", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_EQ(lines(out), 400);
	CHECK_CONTAINS(out, "2026-01-05T08:00:00.000Z  focus");
	CHECK_CONTAINS(out, "20 letter, 4 space; ended by pause");
	CHECK_CONTAINS(out, "Ctrl+C");
	CHECK_CONTAINS(out, "alice");
	free(out);

	snprintf(args, sizeof(args), "--store %s query --user bob --kind key --format jsonl", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_EQ(lines(out), 50);
	CHECK_CONTAINS(out, "\"kind\":\"key\"");
	CHECK_CONTAINS(out, "\"name\":\"Ctrl+C\"");
	CHECK_CONTAINS(out, "\"user\":\"bob\"");
	CHECK(!strstr(out, "alice"));
	free(out);

	snprintf(args, sizeof(args),
		 "--store %s query --since 2026-01-06T00:00Z --until 2026-01-06T08:30Z --format csv", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_EQ(lines(out), 1 + 60);	/* header + 30 minutes × 2 users */
	CHECK_CONTAINS(out, "time,kind,dur_ms,user,app,title,detail\r\n");
	CHECK_CONTAINS(out, "\"Q3 \"\"report\"\", draft.ods\"");
	free(out);

	snprintf(args, sizeof(args), "--store %s query --app libreoffice-calc --limit 7", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_EQ(lines(out), 7);
	free(out);

	/* an application never seen: nothing, and that is no error */
	snprintf(args, sizeof(args), "--store %s query --app gimp", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_EQ(lines(out), 0);
	free(out);

	snprintf(args, sizeof(args), "--store %s query --user nosuchuser", dir);
	CHECK_EQ(run(&out, args), 2);
	CHECK_CONTAINS(out, "no user 'nosuchuser'");
	free(out);
}

TEST(stats_and_verify)
{
	const char *dir = make_store();
	char *out, args[4400];

	CHECK(dir);
	snprintf(args, sizeof(args), "--store %s stats", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_CONTAINS(out, "records   400 in");
	CHECK_CONTAINS(out, "time per application");
	CHECK_CONTAINS(out, "firefox");
	CHECK_CONTAINS(out, "2026-01-06        200 records");
	free(out);
	snprintf(args, sizeof(args), "--store %s stats --json --user alice", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_CONTAINS(out, "\"selected\":200");
	free(out);
	snprintf(args, sizeof(args), "--store %s verify", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_CONTAINS(out, "sound: 400 records");
	free(out);
}

TEST(verify_finds_damage)
{
	const char *dir = make_store();
	char *out, args[4400];
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t garbage[64];

	CHECK(dir);
	/* Damage one block's bytes through LMDB itself: the file stays a
	 * valid LMDB environment, the block does not decode. */
	memset(garbage, 0xee, sizeof(garbage));
	garbage[0] = 1;
	garbage[1] = 1;
	garbage[2] = 3;
	garbage[3] = 0;
	CHECK_EQ(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 8);
	CHECK_EQ(mdb_env_open(env, dir, 0, 0640), 0);
	CHECK_EQ(mdb_txn_begin(env, NULL, 0, &txn), 0);
	CHECK_EQ(mdb_dbi_open(txn, "records", 0, &dbi), 0);
	CHECK_EQ(mdb_cursor_open(txn, dbi, &c), 0);
	CHECK_EQ(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
	v.mv_size = sizeof(garbage);
	v.mv_data = garbage;
	CHECK_EQ(mdb_cursor_put(c, &k, &v, MDB_CURRENT), 0);
	mdb_cursor_close(c);
	CHECK_EQ(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	snprintf(args, sizeof(args), "--store %s verify", dir);
	CHECK_EQ(run(&out, args), 1);
	CHECK_CONTAINS(out, "problem: block at");
	CHECK_CONTAINS(out, "records counter says 400");
	free(out);
	/* a query hitting the block reports it, distinctly */
	snprintf(args, sizeof(args), "--store %s query", dir);
	CHECK_EQ(run(&out, args), 10);
	CHECK_CONTAINS(out, "damaged");
	free(out);
}

TEST(purge_asks_and_deletes)
{
	const char *dir = make_store();
	char *out, args[4400];
	struct tt_store *w;

	CHECK(dir);
	snprintf(args, sizeof(args), "--store %s purge --user bob", dir);
	CHECK_EQ(run(&out, args), 2);	/* stdin is not a terminal */
	CHECK_CONTAINS(out, "add --yes");
	free(out);

	/* the tracer (here: another writer) holds the store */
	CHECK_EQ(tt_store_open(&w, dir, 0, NULL), 0);
	snprintf(args, sizeof(args), "--store %s purge --user bob --yes", dir);
	CHECK_EQ(run(&out, args), 9);
	CHECK_CONTAINS(out, "open for writing by another process");
	free(out);
	tt_store_close(w);

	CHECK_EQ(run(&out, args), 0);
	CHECK_CONTAINS(out, "deleted 200 records");
	free(out);
	snprintf(args, sizeof(args), "--store %s purge --before 2026-01-06 --yes", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_CONTAINS(out, "deleted 100 records");
	free(out);
	snprintf(args, sizeof(args), "--store %s query --format csv", dir);
	CHECK_EQ(run(&out, args), 0);
	CHECK_EQ(lines(out), 101);
	CHECK(!strstr(out, "bob"));
	free(out);
	snprintf(args, sizeof(args), "--store %s verify", dir);
	CHECK_EQ(run(&out, args), 0);
	free(out);
}

TEST(permission_denied_exit_6)
{
	const char *dir = make_store(), *pub;
	char *out;

	CHECK(dir);
	if (getuid() != 0)
		SKIP("only root can run the command as another user");
	chmod(dir, 0700);
	/* The checkout may be in a directory only root can enter: run a copy
	 * from a directory everyone can. */
	pub = tt_test_tmpdir();
	CHECK(chmod(pub, 0755) == 0);
	CHECK_EQ(tt_test_run(NULL, "install -m 755 %s %s/tasktrace", bin(), pub), 0);
	CHECK_EQ(tt_test_run(&out, "setpriv --reuid=65534 --regid=65534 --clear-groups "
			     "%s/tasktrace --store %s stats 2>&1", pub, dir), 6);
	CHECK_CONTAINS(out, "permission denied");
	free(out);
}

TEST(check_config)
{
	const char *dir = tt_test_tmpdir();
	char *out, path[4200], args[4400];
	FILE *f;

	snprintf(args, sizeof(args), "check-config %s/docs/tasktrace.conf.example", tt_test_top());
	CHECK_EQ(run(&out, args), 0);
	CHECK_CONTAINS(out, "valid");
	free(out);

	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	f = fopen(path, "w");
	fputs("[store]\nretention_days = soon\n[nosuch]\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "check-config %s", path);
	CHECK_EQ(run(&out, args), 7);
	CHECK_CONTAINS(out, "bad.conf:2: ");
	CHECK_CONTAINS(out, "bad.conf:3: ");
	CHECK_CONTAINS(out, "2 errors");
	free(out);

	/* a short-burst threshold that would not cover a password */
	f = fopen(path, "w");
	fputs("[privacy]\nmin_burst_keys = 4\n", f);
	fclose(f);
	CHECK_EQ(run(&out, args), 7);
	CHECK_CONTAINS(out, "bad.conf:2: min_burst_keys 4 is out of range (8 to 1000)");
	free(out);

	snprintf(args, sizeof(args), "check-config %s/missing.conf", dir);
	CHECK_EQ(run(&out, args), 7);
	CHECK_CONTAINS(out, "missing.conf: cannot open");
	free(out);

	/* without --store, the store comes from the configuration */
	f = fopen(path, "w");
	fprintf(f, "[store]\npath = %s/from-config\n", dir);
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "env -u TASKTRACE_STORE %s --config %s query 2>&1",
			     bin(), path), 3);
	CHECK_CONTAINS(out, "from-config: no store there");
	free(out);
}
