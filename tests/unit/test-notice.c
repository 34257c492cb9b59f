/* SPDX-License-Identifier: MIT */
/*
 * The collector's first-session notice over a real session bus: a private
 * dbus-daemon, and python3-dbusmock's notification_daemon template owning
 * org.freedesktop.Notifications and logging every Notify call. The
 * collector runs with no display (it shows the notice, then exits 3), in a
 * home of its own: shown once, not again, again when the text or the
 * policy changes, and not remembered when no server takes it.
 */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define PYTHON "/usr/bin/python3"

struct bus {
	char dir[PATH_MAX];
	char address[PATH_MAX + 32];
	char mocklog[PATH_MAX + 32];
	pid_t daemon, mock;
};

static char collector[PATH_MAX + 32];

static bool
find_collector(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return false;
	self[n] = '\0';
	for (int i = 0; i < 2; i++) {
		if (!(slash = strrchr(self, '/')))
			return false;
		*slash = '\0';
	}
	snprintf(collector, sizeof(collector), "%s/tasktrace-collector", self);
	return access(collector, X_OK) == 0;
}

static bool
have_tools(void)
{
	return access("/usr/bin/dbus-daemon", X_OK) == 0 &&
	       tt_test_run(NULL, PYTHON " -c 'import dbusmock' 2>/dev/null") == 0;
}

static pid_t
spawn(const char *address, const char *const argv[], const char *out)
{
	pid_t pid = fork();

	if (pid == 0) {
		FILE *f = freopen(out, "w", stdout);

		(void)f;
		dup2(1, 2);
		setenv("DBUS_SESSION_BUS_ADDRESS", address, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static bool
wait_file(const char *path, const char *needle)
{
	for (int i = 0; i < 100; i++) {
		char *s = NULL;

		if (tt_test_run(&s, "cat %s 2>/dev/null", path) == 0 && s &&
		    (!needle || strstr(s, needle))) {
			free(s);
			return true;
		}
		free(s);
		usleep(100000);
	}
	return false;
}

static bool
mock_start(struct bus *b)
{
	char out[PATH_MAX + 32];
	const char *argv[] = { PYTHON, "-m", "dbusmock", "--template", "notification_daemon",
			       "-l", b->mocklog, NULL };

	snprintf(out, sizeof(out), "%s/mock.out", b->dir);
	b->mock = spawn(b->address, argv, out);
	/* ready once the name is owned */
	for (int i = 0; i < 100; i++) {
		if (tt_test_run(NULL, "DBUS_SESSION_BUS_ADDRESS=%s dbus-send --session --print-reply "
				"--dest=org.freedesktop.DBus / org.freedesktop.DBus.GetNameOwner "
				"string:org.freedesktop.Notifications >/dev/null 2>&1",
				b->address) == 0)
			return true;
		usleep(100000);
	}
	return false;
}

static void
mock_stop(struct bus *b)
{
	if (b->mock > 0) {
		kill(b->mock, SIGTERM);
		waitpid(b->mock, NULL, 0);
		b->mock = 0;
	}
}

static bool
bus_start(struct bus *b)
{
	char sock[PATH_MAX + 16], out[PATH_MAX + 32];
	const char *argv[] = { "/usr/bin/dbus-daemon", "--session", "--nofork",
			       b->address + 0, NULL };
	char addr_opt[PATH_MAX + 48];

	memset(b, 0, sizeof(*b));
	snprintf(b->dir, sizeof(b->dir), "%s", tt_test_tmpdir());
	snprintf(sock, sizeof(sock), "%s/bus", b->dir);
	snprintf(b->address, sizeof(b->address), "unix:path=%s", sock);
	snprintf(b->mocklog, sizeof(b->mocklog), "%s/notify.log", b->dir);
	snprintf(addr_opt, sizeof(addr_opt), "--address=%s", b->address);
	snprintf(out, sizeof(out), "%s/bus.out", b->dir);
	argv[3] = addr_opt;
	b->daemon = spawn(b->address, argv, out);
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		usleep(50000);
	return access(sock, F_OK) == 0 && mock_start(b);
}

static void
bus_stop(struct bus *b)
{
	mock_stop(b);
	if (b->daemon > 0) {
		kill(b->daemon, SIGTERM);
		waitpid(b->daemon, NULL, 0);
		b->daemon = 0;
	}
}

/* A failed check returns early: the bus and its server go at exit. */
static struct bus *live_bus;

static void
stop_live_bus(void)
{
	if (live_bus)
		bus_stop(live_bus);
}

/* Run the collector as a fresh session would (no display): its status. */
static int
run_collector(const struct bus *b, const char *conf_body)
{
	FILE *f;
	char conf[PATH_MAX + 32];

	snprintf(conf, sizeof(conf), "%s/tasktrace.conf", b->dir);
	f = fopen(conf, "w");
	if (!f)
		return -1;
	fputs(conf_body, f);
	fclose(f);
	return tt_test_run(NULL, "cd %s && env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_STATE_HOME "
			   "HOME=%s/home DBUS_SESSION_BUS_ADDRESS=%s TASKTRACE_CONFIG=%s "
			   "%s >> %s/collector.log 2>&1", b->dir, b->dir, b->address, conf,
			   collector, b->dir);
}

static int
notifications(const struct bus *b)
{
	char *s = NULL;
	int n = 0;

	if (tt_test_run(&s, "grep -c ' Notify ' %s 2>/dev/null", b->mocklog) >= 0 && s)
		n = atoi(s);
	free(s);
	return n;
}

TEST(notice_once_and_after_a_change)
{
	static struct bus b;	/* stopped at exit, should a check fail */
	char *s = NULL, state[PATH_MAX + 64];
	struct stat st;

	if (!have_tools()) {
		printf("    skipped: dbus-daemon or python3-dbusmock missing\n");
		return;
	}
	CHECK(find_collector());
	live_bus = &b;
	atexit(stop_live_bus);
	CHECK(bus_start(&b));
	snprintf(state, sizeof(state), "%s/home/.local/state/tasktrace/notice", b.dir);

	/* first session: shown, with the default text, and remembered */
	CHECK_EQ(run_collector(&b, ""), 3);
	CHECK(wait_file(b.mocklog, "Notify"));
	CHECK_EQ(notifications(&b), 1);
	CHECK_EQ(tt_test_run(&s, "cat %s", b.mocklog), 0);
	CHECK_CONTAINS(s, "\"tasktrace\"");
	CHECK_CONTAINS(s, "Your use of this computer is recorded");
	CHECK_CONTAINS(s, "tasktrace me");
	CHECK_CONTAINS(s, "never which keys you type");
	free(s);
	CHECK(stat(state, &st) == 0);
	*strrchr(state, '/') = '\0';
	CHECK(stat(state, &st) == 0);
	CHECK_EQ(st.st_mode & 0077, 0);	/* the state directory is private */
	strcat(state, "/notice");

	/* the next sessions: not again */
	CHECK_EQ(run_collector(&b, ""), 3);
	CHECK_EQ(run_collector(&b, ""), 3);
	CHECK_EQ(notifications(&b), 1);

	/* the site's own text: shown again, as written */
	CHECK_EQ(run_collector(&b, "[privacy]\nnotice = Recorded here: apps and times."
			       "\\nSee yours with tasktrace me.\n"), 3);
	CHECK_EQ(notifications(&b), 2);
	CHECK_EQ(tt_test_run(&s, "cat %s", b.mocklog), 0);
	CHECK_CONTAINS(s, "Recorded here: apps and times.\nSee yours with tasktrace me.");
	free(s);
	CHECK_EQ(run_collector(&b, "[privacy]\nnotice = Recorded here: apps and times."
			       "\\nSee yours with tasktrace me.\n"), 3);
	CHECK_EQ(notifications(&b), 2);

	/* a policy change changes the default text: shown again */
	CHECK_EQ(run_collector(&b, "[privacy]\nuser_pause_max = 30m\n"), 3);
	CHECK_EQ(notifications(&b), 3);
	CHECK_EQ(tt_test_run(&s, "cat %s", b.mocklog), 0);
	CHECK_CONTAINS(s, "pause recording for up to 30 minutes");
	free(s);
	CHECK_EQ(run_collector(&b, "[privacy]\ncapture_titles = no\nuser_pause_max = 30m\n"), 3);
	CHECK_EQ(notifications(&b), 4);

	/* no server on the bus: not shown, so not remembered; shown at the
	 * next session that has one */
	mock_stop(&b);
	CHECK_EQ(run_collector(&b, "[privacy]\nnotice = New rules.\n"), 3);
	CHECK_EQ(tt_test_run(&s, "cat %s/collector.log", b.dir), 0);
	CHECK_CONTAINS(s, "did not take it");
	free(s);
	CHECK(mock_start(&b));
	CHECK_EQ(run_collector(&b, "[privacy]\nnotice = New rules.\n"), 3);
	CHECK(wait_file(b.mocklog, "New rules."));
	CHECK_EQ(run_collector(&b, "[privacy]\nnotice = New rules.\n"), 3);
	CHECK_EQ(notifications(&b), 1);	/* the new mock's log */
	/* --no-notice: nothing */
	CHECK_EQ(tt_test_run(NULL, "env -u DISPLAY -u WAYLAND_DISPLAY HOME=%s/home2 "
			     "DBUS_SESSION_BUS_ADDRESS=%s %s --no-notice 2>/dev/null",
			     b.dir, b.address, collector), 3);
	CHECK_EQ(notifications(&b), 1);
	bus_stop(&b);
	live_bus = NULL;
}
