/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 *
 * tasktrace-replay: create a uinput device from a recording (evemu or
 * `libinput record`) and replay its events with their original timing.
 *
 * Used by the system tests (tests/system/) inside a VM guest, where the
 * real kernel, udev and libinput see the device as if it were plugged in.
 */
#include "recording.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libevdev/libevdev.h>
#include <libevdev/libevdev-uinput.h>

#define EXIT_INVALID_USAGE 2
#define MAX_FILE_SIZE (256u * 1024 * 1024)
#define NSEC_PER_SEC 1000000000LL
/* uinput refuses ABS_MT_SLOT maxima above this (drivers/input/misc/uinput.c
 * limits a uinput device to 100 contacts). */
#define UINPUT_MAX_SLOT 99

struct options {
	double speed;
	bool timing;
	long long max_gap_us;		/* < 0: no limit */
	long hold_ms;
	long wait_reader_ms;		/* 0: do not wait */
	long readers;			/* how many readers to wait for */
	long settle_ms;
	bool parse_only;
	bool verbose;
	bool no_final_syn;		/* leave a cut-off last frame open */
	const char *path;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
		"Usage: tasktrace-replay [OPTIONS] RECORDING\n"
		"\n"
		"Create a uinput device as described by RECORDING (evemu file or\n"
		"`libinput record` YAML), replay its events with their original\n"
		"timing, then destroy the device.\n"
		"\n"
		"Options:\n"
		"  --speed F          replay F times as fast (default 1.0)\n"
		"  --no-timing        write all events at once, no sleeping\n"
		"  --max-gap MS       shorten pauses between events to at most MS\n"
		"  --wait-reader MS   before replaying, wait up to MS for another\n"
		"                     process (e.g. libinput) to open the device\n"
		"  --settle MS        then wait MS more before the first event, so the\n"
		"                     reader finishes setting the device up\n"
		"  --hold MS          keep the device MS after the last event so\n"
		"                     readers can drain it (default 0)\n"
		"  --readers N        with --wait-reader: wait for N readers (default 1)\n"
		"  --no-final-syn     do not close a file cut off mid-frame with a\n"
		"                     SYN_REPORT: the device goes away mid-frame\n"
		"  --parse-only       parse and print a summary; no device\n"
		"  -v, --verbose      print the device node and a summary\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: 0 replayed, 1 runtime failure (uinput), 2 bad usage or\n"
		"malformed recording (reported as FILE:LINE: reason).\n");
}

static int
read_file(const char *path, char **buf_out, size_t *len_out)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	fp = fopen(path, "rb");
	if (!fp)
		return -errno;

	for (;;) {
		size_t n;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nbuf;

			if (ncap > MAX_FILE_SIZE) {
				rc = -EFBIG;
				goto out;
			}
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				rc = -ENOMEM;
				goto out;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp))
				rc = -EIO;
			break;
		}
	}

out:
	fclose(fp);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*buf_out = buf;
	*len_out = len;
	return 0;
}

/*
 * HID devices whose report descriptor has many vendor usages get them mapped
 * onto consecutive ABS codes, running into the ABS_MT_* range (e.g. the
 * Surface Type Cover has 0x28..0x3e). libevdev calls these "fake MT": the
 * code just below ABS_MT_SLOT is set too, and neither it nor libinput treat
 * them as slots. uinput refuses their ABS_MT_SLOT range (> 100 slots), so
 * clamp it for fake MT only; a real MT device with that many slots is
 * refused.
 */
static int
fix_slot_range(struct recording *rec, const char *path)
{
	struct input_absinfo *slot = &rec->absinfo[ABS_MT_SLOT];

	if (!recording_has_code(rec, EV_ABS, ABS_MT_SLOT) ||
	    slot->maximum <= UINPUT_MAX_SLOT)
		return 0;

	if (!recording_has_code(rec, EV_ABS, ABS_MT_SLOT - 1)) {
		fprintf(stderr, "%s: %d touch slots, uinput allows %d\n",
			path, slot->maximum + 1, UINPUT_MAX_SLOT + 1);
		return -EINVAL;
	}

	fprintf(stderr, "%s: note: fake MT axes (ABS 0x%x set), ABS_MT_SLOT maximum %d clamped to %d for uinput\n",
		path, ABS_MT_SLOT - 1, slot->maximum, UINPUT_MAX_SLOT);
	slot->maximum = UINPUT_MAX_SLOT;
	if (slot->minimum > slot->maximum)
		slot->minimum = 0;

	return 0;
}

static struct libevdev *
device_from_recording(const struct recording *rec)
{
	struct libevdev *dev = libevdev_new();

	if (!dev)
		return NULL;

	libevdev_set_name(dev, rec->name);
	libevdev_set_id_bustype(dev, rec->bustype);
	libevdev_set_id_vendor(dev, rec->vendor);
	libevdev_set_id_product(dev, rec->product);
	libevdev_set_id_version(dev, rec->version);

	for (unsigned int p = 0; p <= INPUT_PROP_MAX; p++) {
		if (recording_has_prop(rec, p))
			libevdev_enable_property(dev, p);
	}

	for (unsigned int type = 0; type < EV_CNT; type++) {
		int max = recording_type_max(type);

		for (int code = 0; code <= max; code++) {
			const void *data = NULL;
			int rep[REP_CNT] = { 250, 33 };	/* kernel defaults */

			if (!recording_has_code(rec, type, code))
				continue;
			if (type == EV_ABS)
				data = &rec->absinfo[code];
			else if (type == EV_REP)
				data = &rep[code];
			libevdev_enable_event_code(dev, type, code, data);
		}
	}

	return dev;
}

static void
sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

static void
sleep_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000;
	if (t.tv_nsec >= NSEC_PER_SEC) {
		t.tv_sec++;
		t.tv_nsec -= NSEC_PER_SEC;
	}
	sleep_until(&t);
}

/* How many processes other than us (and udev's own workers, which open
 * devices briefly while probing) hold `devnode` open? */
static int
count_readers(const char *devnode)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;
	bool found = false;
	int readers = 0;
	pid_t self = getpid();

	if (!proc)
		return 0;

	while ((p = readdir(proc))) {
		char path[300], comm[64] = "", target[256];
		DIR *fds;
		struct dirent *fd;
		FILE *fp;

		if (p->d_name[0] < '0' || p->d_name[0] > '9' || atoi(p->d_name) == self)
			continue;

		snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
		fp = fopen(path, "r");
		if (fp) {
			if (!fgets(comm, sizeof(comm), fp))
				comm[0] = '\0';
			fclose(fp);
		}
		if (strstr(comm, "udev"))
			continue;

		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!found && (fd = readdir(fds))) {
			char link[600];
			ssize_t n;

			snprintf(link, sizeof(link), "%s/%s", path, fd->d_name);
			n = readlink(link, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			found = strcmp(target, devnode) == 0;
		}
		closedir(fds);
		readers += found;
		found = false;
	}
	closedir(proc);

	return readers;
}

static int
wait_for_node(struct libevdev_uinput *uidev, const char **devnode_out)
{
	const char *devnode = NULL;

	for (int i = 0; i < 500 && !devnode; i++) {
		devnode = libevdev_uinput_get_devnode(uidev);
		if (devnode && access(devnode, F_OK) != 0)
			devnode = NULL;
		if (!devnode)
			sleep_ms(10);
	}
	if (!devnode)
		return -ENODEV;

	*devnode_out = devnode;
	return 0;
}

/* @nreaders readers must be seen on two polls in a row: a process that
 * opens the node only to look at it and close it again is not reading it. */
static int
wait_for_reader(const char *devnode, long wait_ms, long nreaders)
{
	int seen = 0;

	for (long waited = 0; waited < wait_ms && seen < 2; waited += 20) {
		seen = count_readers(devnode) >= nreaders ? seen + 1 : 0;
		if (seen < 2)
			sleep_ms(20);
	}

	return seen >= 2 ? 0 : -ETIMEDOUT;
}

static void
write_initial_state(struct libevdev_uinput *uidev, const struct recording *rec)
{
	bool any = false;

	for (unsigned int c = 0; c < SW_CNT; c++) {
		if (rec->sw_state[c] && recording_has_code(rec, EV_SW, c)) {
			libevdev_uinput_write_event(uidev, EV_SW, c, rec->sw_state[c]);
			any = true;
		}
	}
	for (unsigned int c = 0; c < LED_CNT; c++) {
		if (rec->led_state[c] && recording_has_code(rec, EV_LED, c)) {
			libevdev_uinput_write_event(uidev, EV_LED, c, rec->led_state[c]);
			any = true;
		}
	}
	if (any)
		libevdev_uinput_write_event(uidev, EV_SYN, SYN_REPORT, 0);
}

static int
replay_events(struct libevdev_uinput *uidev, const struct recording *rec,
	      const struct options *opts, double *elapsed_out)
{
	struct timespec start, now;
	long long offset_us = 0;	/* where we are on the replay timeline */

	clock_gettime(CLOCK_MONOTONIC, &start);

	for (size_t i = 0; i < rec->nevents; i++) {
		const struct recording_event *e = &rec->events[i];
		int rc;

		if (opts->timing && i > 0 && e->time_us > rec->events[i - 1].time_us) {
			long long gap = e->time_us - rec->events[i - 1].time_us;
			long long ns;
			struct timespec t = start;

			if (opts->max_gap_us >= 0 && gap > opts->max_gap_us)
				gap = opts->max_gap_us;
			offset_us += gap;
			ns = (long long)(offset_us * 1000.0 / opts->speed);
			t.tv_sec += ns / NSEC_PER_SEC;
			t.tv_nsec += ns % NSEC_PER_SEC;
			if (t.tv_nsec >= NSEC_PER_SEC) {
				t.tv_sec++;
				t.tv_nsec -= NSEC_PER_SEC;
			}
			sleep_until(&t);
		}

		rc = libevdev_uinput_write_event(uidev, e->type, e->code, e->value);
		if (rc < 0) {
			fprintf(stderr, "%s:%u: writing event failed: %s\n",
				opts->path, e->line, strerror(-rc));
			return rc;
		}
	}

	/* A file cut off mid-frame would leave the last events pending. */
	if (rec->nevents > 0 && !opts->no_final_syn &&
	    !(rec->events[rec->nevents - 1].type == EV_SYN &&
	      rec->events[rec->nevents - 1].code == SYN_REPORT))
		libevdev_uinput_write_event(uidev, EV_SYN, SYN_REPORT, 0);

	clock_gettime(CLOCK_MONOTONIC, &now);
	*elapsed_out = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;

	return 0;
}

static void
print_summary(const struct recording *rec, const char *path)
{
	size_t frames = 0;
	double duration = 0;

	for (size_t i = 0; i < rec->nevents; i++) {
		if (rec->events[i].type == EV_SYN && rec->events[i].code == SYN_REPORT)
			frames++;
	}
	if (rec->nevents > 0)
		duration = (rec->events[rec->nevents - 1].time_us - rec->events[0].time_us) / 1e6;

	printf("%s: %s \"%s\" %04x:%04x:%04x:%04x, %zu events, %zu frames, %.3f s\n",
	       path, recording_format_name(rec->format), rec->name, rec->bustype,
	       rec->vendor, rec->product, rec->version, rec->nevents, frames, duration);
}

static size_t
count_undeclared(const struct recording *rec)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->nevents; i++) {
		const struct recording_event *e = &rec->events[i];

		if (e->type != EV_SYN && !recording_has_code(rec, e->type, e->code))
			n++;
	}

	return n;
}

static bool
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int
parse_options(int argc, char **argv, struct options *opts)
{
	enum { OPT_SPEED = 256, OPT_NO_TIMING, OPT_MAX_GAP, OPT_WAIT_READER,
	       OPT_HOLD, OPT_PARSE_ONLY, OPT_SETTLE, OPT_NO_FINAL_SYN, OPT_READERS };
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "no-timing", no_argument, NULL, OPT_NO_TIMING },
		{ "max-gap", required_argument, NULL, OPT_MAX_GAP },
		{ "wait-reader", required_argument, NULL, OPT_WAIT_READER },
		{ "hold", required_argument, NULL, OPT_HOLD },
		{ "settle", required_argument, NULL, OPT_SETTLE },
		{ "parse-only", no_argument, NULL, OPT_PARSE_ONLY },
		{ "no-final-syn", no_argument, NULL, OPT_NO_FINAL_SYN },
		{ "readers", required_argument, NULL, OPT_READERS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		long v;
		char *end;

		switch (c) {
		case OPT_SPEED:
			errno = 0;
			opts->speed = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(opts->speed > 0.001) ||
			    opts->speed > 1000000) {
				fprintf(stderr, "tasktrace-replay: bad --speed '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case OPT_NO_TIMING:
			opts->timing = false;
			break;
		case OPT_MAX_GAP:
			if (!parse_long(optarg, 0, 86400000, &v)) {
				fprintf(stderr, "tasktrace-replay: bad --max-gap '%s'\n", optarg);
				return -EINVAL;
			}
			opts->max_gap_us = v * 1000LL;
			break;
		case OPT_WAIT_READER:
			if (!parse_long(optarg, 0, 3600000, &opts->wait_reader_ms)) {
				fprintf(stderr, "tasktrace-replay: bad --wait-reader '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case OPT_HOLD:
			if (!parse_long(optarg, 0, 3600000, &opts->hold_ms)) {
				fprintf(stderr, "tasktrace-replay: bad --hold '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case OPT_SETTLE:
			if (!parse_long(optarg, 0, 3600000, &opts->settle_ms)) {
				fprintf(stderr, "tasktrace-replay: bad --settle '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case OPT_PARSE_ONLY:
			opts->parse_only = true;
			break;
		case OPT_NO_FINAL_SYN:
			opts->no_final_syn = true;
			break;
		case OPT_READERS:
			if (!parse_long(optarg, 1, 64, &opts->readers)) {
				fprintf(stderr, "tasktrace-replay: bad --readers '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'v':
			opts->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}

	if (optind != argc - 1) {
		usage(stderr);
		return -EINVAL;
	}
	opts->path = argv[optind];

	return 0;
}

int
main(int argc, char **argv)
{
	struct options opts = {
		.speed = 1.0,
		.timing = true,
		.readers = 1,
		.max_gap_us = -1,
	};
	struct recording_error err;
	struct recording *rec = NULL;
	struct libevdev *dev = NULL;
	struct libevdev_uinput *uidev = NULL;
	const char *devnode = NULL;
	char *buf = NULL;
	size_t len = 0;
	double elapsed = 0;
	size_t undeclared;
	int rc, ret = EXIT_INVALID_USAGE;

	if (parse_options(argc, argv, &opts) < 0)
		return EXIT_INVALID_USAGE;

	rc = read_file(opts.path, &buf, &len);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", opts.path, strerror(-rc));
		return EXIT_INVALID_USAGE;
	}

	rc = recording_parse(buf, len, &rec, &err);
	free(buf);
	if (rc < 0) {
		if (rc == -EINVAL)
			fprintf(stderr, "%s:%u: %s\n", opts.path, err.line, err.reason);
		else
			fprintf(stderr, "%s: %s\n", opts.path, strerror(-rc));
		return EXIT_INVALID_USAGE;
	}

	if (opts.parse_only || opts.verbose)
		print_summary(rec, opts.path);
	undeclared = count_undeclared(rec);
	if (undeclared > 0)
		fprintf(stderr, "%s: warning: %zu events use codes the device does not declare; the kernel drops them\n",
			opts.path, undeclared);
	if (opts.parse_only) {
		ret = 0;
		goto out;
	}

	ret = EXIT_FAILURE;
	if (fix_slot_range(rec, opts.path) < 0)
		goto out;
	dev = device_from_recording(rec);
	if (!dev) {
		fprintf(stderr, "tasktrace-replay: out of memory\n");
		goto out;
	}

	rc = libevdev_uinput_create_from_device(dev, LIBEVDEV_UINPUT_OPEN_MANAGED, &uidev);
	if (rc < 0) {
		fprintf(stderr, "tasktrace-replay: cannot create uinput device: %s\n",
			strerror(-rc));
		goto out;
	}
	write_initial_state(uidev, rec);

	if (wait_for_node(uidev, &devnode) < 0) {
		fprintf(stderr, "tasktrace-replay: device node did not appear\n");
		goto out;
	}
	if (opts.verbose)
		fprintf(stderr, "tasktrace-replay: device %s\n", devnode);
	if (opts.wait_reader_ms > 0 &&
	    wait_for_reader(devnode, opts.wait_reader_ms, opts.readers) < 0) {
		fprintf(stderr, "tasktrace-replay: nobody opened %s within %ld ms\n",
			devnode, opts.wait_reader_ms);
		goto out;
	}
	if (opts.settle_ms > 0)
		sleep_ms(opts.settle_ms);

	rc = replay_events(uidev, rec, &opts, &elapsed);
	if (rc < 0)
		goto out;
	if (opts.verbose)
		fprintf(stderr, "tasktrace-replay: replayed %zu events in %.3f s\n",
			rec->nevents, elapsed);

	if (opts.hold_ms > 0)
		sleep_ms(opts.hold_ms);
	ret = 0;

out:
	if (uidev)
		libevdev_uinput_destroy(uidev);
	libevdev_free(dev);
	recording_free(rec);
	return ret;
}
