/* SPDX-License-Identifier: MIT */
/* Logging of the daemons; see tasktrace/log.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tasktrace/log.h"
#include "tasktrace/utf8.h"

static const char *ident = "tasktrace";
static bool verbose_enabled;
static bool journal;

/*
 * JOURNAL_STREAM is inherited by every child of a unit, also by one whose
 * stderr was redirected: only the stream it names is the journal.
 */
static bool
stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void
tt_log_init(const char *name, bool verbose)
{
	ident = name;
	verbose_enabled = verbose;
	journal = stderr_is_journal();
	/* journald reads lines: never hold a message in a buffer */
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IOLBF, 0);
}

void
tt_log_set_verbose(bool verbose)
{
	verbose_enabled = verbose;
}

bool
tt_log_is_verbose(void)
{
	return verbose_enabled;
}

void
tt_log_msg(int prio, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_EMERG] = "error: ", [LOG_ALERT] = "error: ",
		[LOG_CRIT] = "error: ", [LOG_ERR] = "error: ",
		[LOG_WARNING] = "warning: ",
	};
	char msg[2048], out[4 * sizeof(msg)];
	va_list ap;
	int n;

	if (prio == LOG_DEBUG && !verbose_enabled)
		return;
	/* Messages carry peers' strings (a collector's session id, a file
	 * name): a newline in one would start a line of the peer's making,
	 * with a priority prefix of its choosing under journald. Every
	 * control character is shown escaped, whoever formatted it. */
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tt_utf8_escape_controls(out, sizeof(out), msg, strlen(msg));
	if (journal)
		fprintf(stderr, "<%d>", prio);
	else
		fprintf(stderr, "%s: %s", ident,
			prio >= 0 && prio <= LOG_WARNING ? prefix[prio] : "");
	fputs(out, stderr);
	fputc('\n', stderr);
}

bool
tt_log_ratelimit_ok(struct tt_log_ratelimit *rl, uint64_t now_usec)
{
	if (rl->begin == 0 || now_usec - rl->begin > rl->interval_usec) {
		rl->begin = now_usec;
		rl->num = 0;
	}
	if (rl->num == rl->burst) {
		rl->num++;
		log_warn("further messages of this kind are suppressed for a while");
		return false;
	}
	return rl->num++ < rl->burst;
}
