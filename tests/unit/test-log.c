/* SPDX-License-Identifier: MIT */
/*
 * The daemons' logger (lib/log.c): journald's "<N>" prefix only when
 * stderr is the stream JOURNAL_STREAM names, the program's name and
 * "error: "/"warning: " otherwise, debug only when verbose, the rate
 * limit; and the clocks of tasktrace/clock.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/clock.h"
#include "tasktrace/log.h"

/*
 * Run the logger in a child whose stderr is a fresh file; @p journal:
 * JOURNAL_STREAM names that file (1), another file (0), or is unset (-1).
 * Returns the file's content (malloc'd).
 */
static const char *peer_arg;	/* when set, the child logs only this */

static char *
logged(int journal, bool verbose)
{
	char path[4096], *buf;
	struct stat st;
	pid_t pid;
	FILE *f;
	long n;
	int fd, status;

	snprintf(path, sizeof(path), "%s/stderr-%d-%d", tt_test_tmpdir(), journal, verbose);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || fstat(fd, &st) != 0)
		return NULL;
	pid = fork();
	if (pid == 0) {
		char env[64];

		dup2(fd, STDERR_FILENO);
		snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino + (journal == 0));
		if (journal >= 0)
			setenv("JOURNAL_STREAM", env, 1);
		else
			unsetenv("JOURNAL_STREAM");
		tt_log_init("tasktrace-test", verbose);
		if (peer_arg) {
			log_info("collector connected (session %s)", peer_arg);
			_exit(0);
		}
		log_error("broken %d", 1);
		log_warn("odd");
		log_info("fine");
		log_debug("detail");
		_exit(0);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

TEST(journal_prefix_when_stderr_is_the_journal)
{
	char *out = logged(1, false);

	CHECK(out);
	CHECK_STR(out, "<3>broken 1\n<4>odd\n<6>fine\n");
	free(out);
}

TEST(plain_lines_when_journal_stream_names_another_file)
{
	char *out = logged(0, false);

	CHECK(out);
	CHECK_STR(out, "tasktrace-test: error: broken 1\n"
		       "tasktrace-test: warning: odd\n"
		       "tasktrace-test: fine\n");
	free(out);
}

/* A peer's string with a newline and a priority prefix (finding 6 of
 * issue 23): it stays on its one line, escaped, at its own priority. */
TEST(peer_strings_cannot_forge_a_line)
{
	char *out;

	peer_arg = "x\n<0>forged emergency\x1b[2K\xc2\x9b\xe2\x80\xae\xd8\x9c";
	out = logged(1, false);
	peer_arg = NULL;
	CHECK(out);
	CHECK_STR(out, "<6>collector connected (session x\\n<0>forged emergency"
		       "\\x1b[2K\\x9b\\u202e\\u061c)\n");
	free(out);
}

TEST(plain_lines_and_debug_when_verbose)
{
	char *out = logged(-1, true);

	CHECK(out);
	CHECK_STR(out, "tasktrace-test: error: broken 1\n"
		       "tasktrace-test: warning: odd\n"
		       "tasktrace-test: fine\n"
		       "tasktrace-test: detail\n");
	free(out);
}

TEST(ratelimit_burst_then_quiet_then_again)
{
	struct tt_log_ratelimit rl = TT_LOG_RATELIMIT_INIT(1000000, 3);
	int ok = 0;

	for (int i = 0; i < 10; i++)
		ok += tt_log_ratelimit_ok(&rl, 5000000 + (uint64_t)i * 1000);
	CHECK_EQ(ok, 3);
	/* the interval is over: a new burst */
	CHECK(tt_log_ratelimit_ok(&rl, 5000000 + 1000001 + 1));
}

TEST(clocks)
{
	uint64_t m1 = tt_mono_ns(), m2 = tt_mono_ns();
	uint64_t wall = tt_now_ns();

	CHECK(m2 >= m1);
	/* 2020-01-01 < now < 2100-01-01 */
	CHECK(wall > 1577836800ULL * 1000000000ULL);
	CHECK(wall < 4102444800ULL * 1000000000ULL);
	CHECK(tt_clock_ns(CLOCK_REALTIME) >= wall);
}
