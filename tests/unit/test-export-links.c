/* SPDX-License-Identifier: MIT */
/*
 * What a local user can make root's `tasktrace export -o` and `report -o`
 * do with links (issue 23, finding 1), acted out as the attacker would:
 * a real world-writable sticky directory (mode 1777, like /tmp), a real
 * unprivileged uid (1000, through setpriv) planting a symbolic link, a
 * hard link, a link in a middle component or a FIFO there, and root
 * exporting onto that name. The file the link names must keep its content
 * and mode, and the export must fail with a message that says why. And
 * the site secret (finding 12): one the attacker owns, one in a directory
 * they can write, a link to a root file whose bytes they know. Needs
 * root and setpriv (util-linux); skipped otherwise, with the reason.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export-fixture.h"
#include "harness.h"

#define ATTACKER 1000
#define SECRET "root only: do not overwrite\n"

static char cli[4096];
static char store[4096];
static char top[4096];		/* the test's directory, traversable by the attacker */

static const char *
tasktrace(void)
{
	const char *b = getenv("TT_BUILD");
	char conf[4096];
	FILE *f;

	if (cli[0])
		return cli;
	snprintf(cli, sizeof(cli), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	snprintf(conf, sizeof(conf), "%s/empty.conf", tt_test_tmpdir());
	f = fopen(conf, "w");
	if (f)
		fclose(f);
	setenv("TASKTRACE_CONFIG", conf, 1);
	setenv("TZ", "UTC", 1);
	unsetenv("TASKTRACE_SECRET");
	unsetenv("TASKTRACE_STORE");
	return cli;
}

static const char *
fixture(void)
{
	if (!store[0]) {
		snprintf(store, sizeof(store), "%s/store", tt_test_tmpdir());
		if (fx_build(store) != 0) {
			fprintf(stderr, "    cannot build the fixture store\n");
			exit(99);
		}
	}
	return store;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/*
 * The scene, fresh for each test: TOP (root's, 0711) holding
 *   TOP/ww        mode 1777, root's: the world-writable sticky directory
 *   TOP/vault     mode 0700, root's, with "shadow" (0600, SECRET)
 * Returns false (and the test skips) when it cannot be acted out here.
 */
static bool
scene(const char *name, char ww[4200], char vault[4200], char shadow[4300])
{
	if (geteuid() != 0)
		return false;
	if (tt_test_run(NULL, "setpriv --reuid=%d --regid=%d --clear-groups true 2>/dev/null",
			ATTACKER, ATTACKER) != 0)
		return false;
	const char *base = tt_test_tmpdir();	/* a new directory, 0700 */

	snprintf(top, sizeof(top), "%s/%s", base, name);
	if (chmod(base, 0711) < 0 || mkdir(top, 0711) < 0)
		return false;
	snprintf(ww, 4200, "%s/ww", top);
	snprintf(vault, 4200, "%s/vault", top);
	snprintf(shadow, 4300, "%s/shadow", vault);
	if (mkdir(ww, 0777) < 0 || chmod(ww, 01777) < 0 || mkdir(vault, 0700) < 0)
		return false;
	FILE *f = fopen(shadow, "w");
	if (!f)
		return false;
	fputs(SECRET, f);
	fclose(f);
	chmod(shadow, 0600);
	return true;
}

/* Run @p cmd as the attacker (uid and gid 1000, no groups). */
#define AS_ATTACKER(fmt, ...) \
	tt_test_run(NULL, "setpriv --reuid=%d --regid=%d --clear-groups " fmt, \
		    ATTACKER, ATTACKER, __VA_ARGS__)

/* The root-only file is as it was: content, mode, one name. */
#define CHECK_UNTOUCHED(shadow)                                            \
	do {                                                               \
		struct stat _st;                                           \
		char *_got = slurp(shadow);                                \
		CHECK(stat(shadow, &_st) == 0);                            \
		CHECK_STR(_got, SECRET);                                   \
		free(_got);                                                \
		CHECK_EQ(_st.st_mode & 07777, 0600);                       \
		CHECK_EQ(_st.st_uid, 0);                                   \
	} while (0)

TEST(symlink_last_component_export)
{
	char ww[4200], vault[4200], shadow[4300], link[4300], *out = NULL;
	struct stat st;

	if (!scene("sym-export", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(link, sizeof(link), "%s/week.csv", ww);
	CHECK_EQ(AS_ATTACKER("ln -s %s %s", shadow, link), 0);
	CHECK_EQ(tt_test_run(&out, "%s export --quiet --store %s --format csv -o %s 2>&1",
			     tasktrace(), fixture(), link), 8);
	CHECK_CONTAINS(out, "week.csv' is a symbolic link");
	free(out);
	CHECK_UNTOUCHED(shadow);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK_EQ(count_files(vault), 1);	/* no temporary file beside it */
	CHECK_EQ(count_files(ww), 1);		/* nor in the sticky directory */
}

TEST(symlink_last_component_report)
{
	char ww[4200], vault[4200], shadow[4300], link[4300], *out = NULL;

	if (!scene("sym-report", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(link, sizeof(link), "%s/week.html", ww);
	CHECK_EQ(AS_ATTACKER("ln -s %s %s", shadow, link), 0);
	CHECK_EQ(tt_test_run(&out, "%s --store %s report --quiet --since 2026-11-26 "
			     "--until 2026-11-28 -o %s 2>&1", tasktrace(), fixture(), link), 8);
	CHECK_CONTAINS(out, "week.html' is a symbolic link");
	free(out);
	CHECK_UNTOUCHED(shadow);
	CHECK_EQ(count_files(vault), 1);
}

/* A dangling link: root's export would create the file it names. */
TEST(symlink_dangling)
{
	char ww[4200], vault[4200], shadow[4300], link[4300], made[4300], *out = NULL;

	if (!scene("sym-dangling", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(link, sizeof(link), "%s/week.csv", ww);
	snprintf(made, sizeof(made), "%s/planted", vault);
	CHECK_EQ(AS_ATTACKER("ln -s %s %s", made, link), 0);
	CHECK_EQ(tt_test_run(&out, "%s export --quiet --store %s -o %s 2>&1",
			     tasktrace(), fixture(), link), 8);
	CHECK_CONTAINS(out, "symbolic link");
	free(out);
	CHECK(access(made, F_OK) != 0);
}

/*
 * A link as a middle component: uid 1000 makes ww/sub -> the vault, root
 * exports to ww/sub/shadow. Refused: the link sits in a directory others
 * can write. (Root's own links in root's directories, /var/run -> /run,
 * are followed: see trusted_link_followed.)
 */
TEST(symlink_middle_component)
{
	char ww[4200], vault[4200], shadow[4300], sub[4300], *out = NULL;

	if (!scene("sym-middle", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(sub, sizeof(sub), "%s/sub", ww);
	CHECK_EQ(AS_ATTACKER("ln -s %s %s", vault, sub), 0);
	CHECK_EQ(tt_test_run(&out, "%s export --quiet --store %s -o %s/shadow 2>&1",
			     tasktrace(), fixture(), sub), 8);
	CHECK_CONTAINS(out, "'sub' is a symbolic link in a directory others can write");
	free(out);
	CHECK_UNTOUCHED(shadow);
	CHECK_EQ(count_files(vault), 1);
	/* and one level further down: ww/d/sub2 -> vault, d the attacker's */
	CHECK_EQ(AS_ATTACKER("sh -c 'mkdir %s/d && ln -s %s %s/d/sub2'", ww, vault, ww), 0);
	CHECK_EQ(tt_test_run(&out, "%s export --quiet --store %s -o %s/d/sub2/shadow 2>&1",
			     tasktrace(), fixture(), ww), 8);
	CHECK_CONTAINS(out, "'sub2' is a symbolic link");
	free(out);
	CHECK_UNTOUCHED(shadow);
}

/* Root's link in root's directory is followed; the export lands behind it. */
TEST(trusted_link_followed)
{
	char ww[4200], vault[4200], shadow[4300], path[4400], *out = NULL;
	struct stat st;

	if (!scene("sym-trusted", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(path, sizeof(path), "%s/to-vault", top);
	CHECK(symlink("vault", path) == 0);
	CHECK_EQ(tt_test_run(&out, "%s export --quiet --store %s -o %s/to-vault/new.csv 2>&1",
			     tasktrace(), fixture(), top), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/new.csv", vault);
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0640);
}

/*
 * A hard link: the attacker's ww/week.csv is another name of the root-only
 * file (fs.protected_hardlinks stops uid 1000 making it here, so root
 * makes it, as a machine with protected_hardlinks=0 would let the
 * attacker). The export replaces the name; the file keeps its content.
 */
TEST(hardlink_replaced_not_written)
{
	char ww[4200], vault[4200], shadow[4300], hard[4300], *out = NULL, *got;
	struct stat st, sh;

	if (!scene("hard", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(hard, sizeof(hard), "%s/week.csv", ww);
	if (AS_ATTACKER("ln %s %s 2>/dev/null", shadow, hard) != 0)
		CHECK(link(shadow, hard) == 0);
	CHECK(stat(shadow, &sh) == 0 && sh.st_nlink == 2);
	CHECK_EQ(tt_test_run(&out, "%s export --quiet --store %s -o %s 2>&1",
			     tasktrace(), fixture(), hard), 0);
	free(out);
	CHECK_UNTOUCHED(shadow);
	CHECK(stat(shadow, &sh) == 0);
	CHECK_EQ(sh.st_nlink, 1);
	CHECK(lstat(hard, &st) == 0 && S_ISREG(st.st_mode));
	CHECK(st.st_ino != sh.st_ino);
	CHECK_EQ(st.st_mode & 0777, 0640);
	got = slurp(hard);
	CHECK(got && strncmp(got, "case_id,", 8) == 0);
	free(got);
}

/* A FIFO planted in the sticky directory would hand the export to its maker. */
TEST(planted_fifo_refused)
{
	char ww[4200], vault[4200], shadow[4300], fifo[4300], *out = NULL;

	if (!scene("fifo", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(fifo, sizeof(fifo), "%s/week.csv", ww);
	CHECK_EQ(AS_ATTACKER("mkfifo -m 0666 %s", fifo), 0);
	/* the old code blocked here waiting for the attacker's reader */
	CHECK_EQ(tt_test_run(&out, "timeout 20 %s export --quiet --store %s -o %s 2>&1",
			     tasktrace(), fixture(), fifo), 6);
	CHECK_CONTAINS(out, "another user's special file");
	free(out);
}

/* A manual export is 0640 under umask 022 (was 0644: readable by all). */
TEST(manual_outputs_0640)
{
	char path[4300], *out = NULL;
	struct stat st;

	snprintf(path, sizeof(path), "%s/plain.csv", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(&out, "umask 022; %s export --quiet --store %s -o %s 2>&1",
			     tasktrace(), fixture(), path), 0);
	free(out);
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 0777, 0640);
	snprintf(path, sizeof(path), "%s/plain.html", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(&out, "umask 022; %s --store %s report --quiet --since 2026-11-26 "
			     "--until 2026-11-28 -o %s 2>&1", tasktrace(), fixture(), path), 0);
	free(out);
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 0777, 0640);
}

/* --- the site secret (issue 23, finding 12) ------------------------------ */

/* 32 bytes the attacker knows, at @p path, mode 0600, owner @p uid. */
static bool
known_secret(const char *path, uid_t uid)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return false;
	fputs("0123456789abcdef0123456789abcdef", f);
	fclose(f);
	return chmod(path, 0600) == 0 && chown(path, uid, uid) == 0;
}

#define PSEUDO_EXPORT(out, secret) \
	tt_test_run(out, "%s export --quiet --store %s -p --secret %s -o - 2>&1", \
		    tasktrace(), fixture(), secret)

/* A secret of the attacker's (mode 0600 and all): its key is theirs. */
TEST(secret_owned_by_another_user)
{
	char ww[4200], vault[4200], shadow[4300], secret[4300], *out = NULL;

	if (!scene("secret-owner", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(secret, sizeof(secret), "%s/secret", vault);
	CHECK(known_secret(secret, ATTACKER));
	CHECK_EQ(PSEUDO_EXPORT(&out, secret), 6);
	CHECK_CONTAINS(out, "belongs to uid 1000");
	free(out);
	/* root's own, in root's directory: fine */
	CHECK(chown(secret, 0, 0) == 0);
	CHECK_EQ(PSEUDO_EXPORT(&out, secret), 0);
	free(out);
}

/* Root's secret in a directory others can write: they can swap it. */
TEST(secret_in_writable_directory)
{
	char ww[4200], vault[4200], shadow[4300], secret[4300], *out = NULL;

	if (!scene("secret-dir", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(secret, sizeof(secret), "%s/secret", ww);
	CHECK(known_secret(secret, 0));
	CHECK_EQ(PSEUDO_EXPORT(&out, secret), 6);
	CHECK_CONTAINS(out, "is writable by others (mode 1777)");
	free(out);
}

/*
 * The attacker's directory, and in it a link to a root-owned 0600 file
 * whose bytes they know: mode and owner of the file the link names would
 * pass, the directory and the link do not.
 */
TEST(secret_link_to_known_root_file)
{
	char ww[4200], vault[4200], shadow[4300], known[4300], home[4300], link[4400];
	char *out = NULL;

	if (!scene("secret-link", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(known, sizeof(known), "%s/known", vault);
	CHECK(known_secret(known, 0));
	snprintf(home, sizeof(home), "%s/home", top);
	CHECK(mkdir(home, 0755) == 0 && chown(home, ATTACKER, ATTACKER) == 0);
	snprintf(link, sizeof(link), "%s/secret", home);
	CHECK_EQ(AS_ATTACKER("ln -s %s %s", known, link), 0);
	CHECK_EQ(PSEUDO_EXPORT(&out, link), 6);
	CHECK_CONTAINS(out, "belongs to uid 1000, who could replace the secret");
	free(out);
	/* even root's own link, in root's directory, is not followed */
	snprintf(link, sizeof(link), "%s/secret-link", top);
	CHECK(symlink(known, link) == 0);
	CHECK_EQ(PSEUDO_EXPORT(&out, link), 6);
	CHECK_CONTAINS(out, "is a symbolic link");
	free(out);
}

/* --- ship --status: a path from the store's id (issue 23, finding 12) ---- */

/*
 * The store is the tracer user's to write; its store id names the cursor
 * file in root's state directory. An id of "../planted" made `ship
 * --status` read STATE/../planted.state (and print its "last error" to
 * root's terminal). The id is rewritten here with mdb_load, as the tracer
 * user could write it; the status must refuse it as damaged (10).
 */
TEST(ship_status_checks_store_id)
{
	char dir[4200], state[4300], planted[4300], load[4300], *out = NULL;
	const char *id = "../planted";
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/evil-store", tt_test_tmpdir());
	CHECK_EQ(fx_build(dir), 0);
	snprintf(load, sizeof(load), "%s/meta.load", tt_test_tmpdir());
	f = fopen(load, "w");
	CHECK(f != NULL);
	fputs("VERSION=3\nformat=bytevalue\ndatabase=meta\ntype=btree\nHEADER=END\n"
	      " 73746f72655f6964\n ", f);
	for (const char *p = id; *p; p++)
		fprintf(f, "%02x", (unsigned char)*p);
	fputs("\nDATA=END\n", f);
	fclose(f);
	CHECK_EQ(tt_test_run(NULL, "mdb_load -s meta -f %s %s", load, dir), 0);
	snprintf(state, sizeof(state), "%s/state", tt_test_tmpdir());
	CHECK(mkdir(state, 0700) == 0);
	snprintf(planted, sizeof(planted), "%s/planted.state", tt_test_tmpdir());
	f = fopen(planted, "w");
	CHECK(f != NULL);
	fprintf(f, "tasktrace-ship 1\nstore %s\nlast_error_ns 1\nlast_error PLANTED\n", id);
	fclose(f);
	tasktrace();
	CHECK_EQ(tt_test_run(&out, "%s --store %s ship --status --state-dir %s 2>&1",
			     tasktrace(), dir, state), 10);
	CHECK_CONTAINS(out, "store id is malformed");
	CHECK(!strstr(out, "PLANTED") && !strstr(out, "../planted"));
	free(out);
}

/* --- the scheduled exports' directory (issue 23, finding 12) ------------- */

/*
 * The old layout: root's exports/ inside the tracer user's directory
 * (/var/lib/tasktrace, owned by tasktraced). The tracer user (uid 1000
 * here) moves exports/ aside and puts a link to the vault in its place;
 * root's export-scheduled --keep 1 would rotate (delete) the vault's
 * tasktrace-*.csv and write its export there. Refused: the directory's
 * parent belongs to another user. A group-writable directory likewise.
 */
TEST(scheduled_dir_swapped_for_link)
{
	char ww[4200], vault[4200], shadow[4300], tracer[4300], exports[4400];
	char old[4400], made[4400], *out = NULL;

	if (!scene("sched", ww, vault, shadow))
		SKIP("needs root and setpriv to act as uid %d", ATTACKER);
	snprintf(old, sizeof(old), "%s/tasktrace-2026-11-20.csv", vault);
	CHECK(known_secret(old, 0));		/* any root file of that name */
	snprintf(tracer, sizeof(tracer), "%s/var-lib-tasktrace", top);
	CHECK(mkdir(tracer, 0750) == 0 && chown(tracer, ATTACKER, ATTACKER) == 0);
	snprintf(exports, sizeof(exports), "%s/exports", tracer);
	CHECK(mkdir(exports, 0750) == 0);
	/* the old layout itself, before any swap: refused, it could be */
	CHECK_EQ(tt_test_run(&out, "%s export-scheduled -q -s %s --dir %s --formats csv "
			     "--keep 1 --group root --since 2026-11-26 --until 2026-11-27 2>&1",
			     tasktrace(), fixture(), exports), 6);
	CHECK_CONTAINS(out, "belongs to another user, so the directory can be swapped");
	free(out);
	/* swapped for a link to the vault */
	CHECK_EQ(AS_ATTACKER("sh -c 'mv %s %s.old && ln -s %s %s'", exports, exports,
			     vault, exports), 0);
	CHECK_EQ(tt_test_run(&out, "%s export-scheduled -q -s %s --dir %s --formats csv "
			     "--keep 1 --group root --since 2026-11-26 --until 2026-11-27 2>&1",
			     tasktrace(), fixture(), exports), 6);
	CHECK_CONTAINS(out, "is a symbolic link; refused");
	free(out);
	CHECK(access(old, F_OK) == 0);		/* not rotated away */
	snprintf(made, sizeof(made), "%s/tasktrace-2026-11-26.csv", vault);
	CHECK(access(made, F_OK) != 0);		/* nothing written there */
	CHECK_UNTOUCHED(shadow);
	/* the link itself, in root's own directory: refused too */
	snprintf(exports, sizeof(exports), "%s/exports-link", top);
	CHECK(symlink(vault, exports) == 0);
	CHECK_EQ(tt_test_run(&out, "%s export-scheduled -q -s %s --dir %s --formats csv "
			     "--keep 1 --group root --since 2026-11-26 --until 2026-11-27 2>&1",
			     tasktrace(), fixture(), exports), 6);
	CHECK_CONTAINS(out, "is a symbolic link; refused");
	free(out);
	CHECK(access(old, F_OK) == 0);
	/* a directory the group can write */
	snprintf(exports, sizeof(exports), "%s/group-writable", top);
	CHECK(mkdir(exports, 0770) == 0 && chmod(exports, 0770) == 0);
	CHECK_EQ(tt_test_run(&out, "%s export-scheduled -q -s %s --dir %s --formats csv "
			     "--group root --since 2026-11-26 --until 2026-11-27 2>&1",
			     tasktrace(), fixture(), exports), 6);
	CHECK_CONTAINS(out, "is writable by group or others");
	free(out);
}
