/* SPDX-License-Identifier: MIT */
/*
 * The me socket under load: a real tasktraced on two months of one heavy
 * user's workload (about 18 000 records a day, over a million records),
 * asked by that user (a child that gives up root for uid 1000).
 *
 * Prints plain "name: value" lines:
 *  - records/s served: a client reading the whole month as fast as it can,
 *    decoding every block;
 *  - the tracer loop's latency, as the round trip of a STATUS request on
 *    another connection (it is answered by the same loop that reads the
 *    input): idle, while the month streams to a fast reader, while a
 *    client that asked for the month does not read, and while two
 *    connections of `nobody` (a uid with no records: every block is
 *    scanned for nothing) ask for everything again and again (issue 23,
 *    finding 4).
 *
 * Needs root (to run as the workload's uid, and to give the tracer a
 * passwd file of its own); skips otherwise.
 */
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sched.h>
#include <sys/mount.h>

#include "tasktrace/codec.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/me-proto.h"
#include "tasktrace/store.h"

#define UID 1000
#define SAMPLES 200

static char bin[PATH_MAX], dir[PATH_MAX], sock[PATH_MAX + 16];

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
connect_me(void)
{
	int fd = tt_focus_connect(sock);

	if (fd >= 0)
		fcntl(fd, F_SETFL, 0);
	return fd;
}

static bool
request(int fd, int type)
{
	struct tt_me_msg m = { .type = (uint8_t)type };
	uint8_t buf[64];
	int n = tt_me_encode(&m, buf, sizeof(buf));

	return send(fd, buf, (size_t)n, 0) == n;
}

/* Median and worst STATUS round trip over @fd, in µs. */
static void
latency(int fd, const char *what)
{
	uint64_t t[SAMPLES];
	uint8_t buf[TT_ME_MSG_MAX + 1];

	for (int i = 0; i < SAMPLES; i++) {
		uint64_t t0 = now_us();

		if (!request(fd, TT_ME_REQ_STATUS) || recv(fd, buf, sizeof(buf), 0) <= 0) {
			printf("loop latency %s: failed\n", what);
			return;
		}
		t[i] = now_us() - t0;
		usleep(2000);
	}
	for (int i = 1; i < SAMPLES; i++)
		for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
			uint64_t x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	printf("loop latency %s: median %llu us, p95 %llu us, p99 %llu us, max %llu us\n",
	       what, (unsigned long long)t[SAMPLES / 2], (unsigned long long)t[SAMPLES * 95 / 100],
	       (unsigned long long)t[SAMPLES * 99 / 100], (unsigned long long)t[SAMPLES - 1]);
}

/* Read one whole answer (all pages); records decoded. */
static unsigned long
read_all(int fd)
{
	static uint8_t buf[TT_ME_MSG_MAX + 1];
	struct tt_me_msg m = { .type = TT_ME_REQ_RECORDS };
	unsigned long n = 0;
	int len = tt_me_encode(&m, buf, sizeof(buf));

	if (send(fd, buf, (size_t)len, 0) != len)
		return 0;
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		struct tt_block_dec dec;
		struct tt_record r;

		if (got <= 0 || tt_me_parse(buf, (size_t)got, &m) < 0)
			return n;
		if (m.type == TT_ME_BLOCK && tt_block_dec_init(&dec, m.body, m.len) == 0)
			while (tt_block_dec_next(&dec, &r) == 1)
				n++;
		if (m.type == TT_ME_END) {
			if (!m.u.end.more)
				return n;
			uint64_t next = m.u.end.next_ns;

			m = (struct tt_me_msg){ .type = TT_ME_REQ_RECORDS };
			m.u.records.since_ns = next;
			len = tt_me_encode(&m, buf, sizeof(buf));
			if (send(fd, buf, (size_t)len, 0) != len)
				return n;
		}
	}
}

static int
as_user(void)
{
	int fd, slow;
	uint64_t t0;
	unsigned long n;
	pid_t reader;

	if (setgroups(0, NULL) < 0 || setgid(UID) < 0 || setuid(UID) < 0)
		return 1;
	fd = connect_me();
	if (fd < 0)
		return 1;
	latency(fd, "idle");

	t0 = now_us();
	{
		int r = connect_me();

		n = read_all(r);
		close(r);
	}
	printf("served: %lu records in %.3f s, %.2f M records/s\n", n,
	       (double)(now_us() - t0) / 1e6, (double)n / (double)(now_us() - t0));

	/* a reader streaming the month while STATUS is timed */
	reader = fork();
	if (reader == 0) {
		int r = connect_me();

		for (int i = 0; i < 3; i++)
			read_all(r);
		_exit(0);
	}
	usleep(20000);
	latency(fd, "while a month streams");
	waitpid(reader, NULL, 0);

	/* a client that asks for the month and does not read */
	slow = connect_me();
	if (!request(slow, TT_ME_REQ_RECORDS))
		return 1;
	usleep(20000);
	latency(fd, "while a client does not read");
	close(slow);
	close(fd);
	return 0;
}

/*
 * The tracer gives a uid's records only to the account with the user name
 * they were recorded under; this machine's uid 1000 (if any) has another.
 * So the tracer runs with a passwd file of its own over /etc/passwd, in a
 * mount namespace of its own: root, nobody, and the workload's user.
 */
static int
name_of_1000(void *ctx, const struct tt_session_info *si)
{
	if (si->uid == UID && si->user[0])
		snprintf(ctx, 64, "%s", si->user);
	return 0;
}

static bool
write_passwd(const char *store, const char *path)
{
	char name[64] = "bench";
	struct tt_store *s;
	struct tt_reader *rd;
	FILE *f;

	if (tt_store_open(&s, store, TT_STORE_RDONLY, NULL) == 0) {
		if (tt_reader_open(s, &rd) == 0) {
			tt_reader_sessions(rd, name_of_1000, name);
			tt_reader_close(rd);
		}
		tt_store_close(s);
	}
	f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "root:x:0:0:root:/root:/bin/sh\n"
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
		"%s:x:%d:%d::/nonexistent:/bin/sh\n", name, UID, UID);
	return fclose(f) == 0;
}

/* A connection of nobody asking for everything, over and over. */
static pid_t
nobody_scanner(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(1);
		fd = connect_me();
		for (;;)
			read_all(fd);
	}
	return pid;
}

/* The seat user's round trip while two nobody connections scan. */
static int
as_user_under_scan(void)
{
	pid_t scanners[2];
	pid_t user;
	int status;

	for (int i = 0; i < 2; i++)
		scanners[i] = nobody_scanner();
	usleep(50000);
	user = fork();
	if (user == 0) {
		int fd;

		if (setgroups(0, NULL) < 0 || setgid(UID) < 0 || setuid(UID) < 0)
			_exit(1);
		fd = connect_me();
		latency(fd, "while two nobody connections scan");
		fflush(stdout);
		_exit(0);
	}
	waitpid(user, &status, 0);
	for (int i = 0; i < 2; i++) {
		kill(scanners[i], SIGKILL);
		waitpid(scanners[i], NULL, 0);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int
main(void)
{
	char self[PATH_MAX], store[PATH_MAX + 16], conf[PATH_MAX + 16], log[PATH_MAX + 16];
	char passwd[PATH_MAX + 16];
	char cmd[PATH_MAX * 3], date[16];
	time_t start = time(NULL) - 61 * 86400;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t tracer, user;
	int status, rc;
	FILE *f;

	if (geteuid() != 0) {
		printf("skipped: needs root (runs as the workload's uid)\n");
		return 0;
	}
	if (len < 0)
		return 1;
	self[len] = '\0';
	*strrchr(self, '/') = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(bin, sizeof(bin), "%s", self);
	snprintf(dir, sizeof(dir), "/tmp/tt-bench-me.XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755) < 0)
		return 1;
	snprintf(store, sizeof(store), "%s/store", dir);
	snprintf(conf, sizeof(conf), "%s/tasktrace.conf", dir);
	snprintf(log, sizeof(log), "%s/tracer.log", dir);
	snprintf(sock, sizeof(sock), "%s/me.sock", dir);
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&start));
	snprintf(cmd, sizeof(cmd), "%s/tasktrace-workload --store %s --days 60 --users 1 "
		 "--seed 3 --weekends --start %s --quiet", bin, store, date);
	if (system(cmd) != 0)
		return 1;
	snprintf(passwd, sizeof(passwd), "%s/passwd", dir);
	if (!write_passwd(store, passwd))
		return 1;
	f = fopen(conf, "w");
	if (!f)
		return 1;
	fprintf(f, "[collector]\nsocket = %s/c.sock\n[input]\nseats = seat-bench\n", dir);
	fclose(f);

	tracer = fork();
	if (tracer == 0) {
		char daemon[PATH_MAX + 16];
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount(passwd, "/etc/passwd", NULL, MS_BIND, NULL) != 0) {
			perror("bench-me: a private /etc/passwd for the tracer");
			_exit(126);
		}
		unsetenv("NOTIFY_SOCKET");
		snprintf(daemon, sizeof(daemon), "%s/tasktraced", bin);
		execl(daemon, daemon, "--store", store, "--config", conf, "--static-user", "1000",
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		usleep(50000);
	fflush(stdout);
	user = fork();
	if (user == 0) {
		int code = as_user();

		fflush(stdout);
		_exit(code);
	}
	waitpid(user, &status, 0);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	if (rc == 0)
		rc = as_user_under_scan();
	kill(tracer, SIGTERM);
	waitpid(tracer, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}
