/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-workload — synthetic days of office work, written through the
 * store API, for tests and benchmarks.
 *
 * The generator is deterministic: everything random comes from wl_rng
 * streams seeded from the command line's seed, the user's index and the
 * day's index, never from rand() or the clock. The same arguments give
 * the same records, byte for byte.
 *
 * Files:
 *   workload.h   shared declarations and the PRNG (inline)
 *   catalog.c    static data: applications, titles, shortcuts, devices,
 *                roles and their routines; string interning with cached ids
 *   day.c        one user's working day, into that user's record buffer
 *   main.c       arguments, the day loop, merging users in time order,
 *                appending to the store, the summary
 */
#ifndef TT_WORKLOAD_H
#define TT_WORKLOAD_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"
#include "tasktrace/store.h"

/* --- PRNG: xoshiro256**, seeded through splitmix64 ------------------------- */

struct wl_rng {
	uint64_t s[4];
	double spare;		/* the second normal deviate of Box–Muller */
	bool have_spare;
};

static inline uint64_t
wl_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void
wl_rng_seed(struct wl_rng *r, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ wl_splitmix(&b) ^ (wl_splitmix(&c) << 1);

	for (int i = 0; i < 4; i++)
		r->s[i] = wl_splitmix(&x);
	r->have_spare = false;
}

static inline uint64_t
wl_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
wl_next(struct wl_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = wl_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = wl_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static inline double
wl_unit(struct wl_rng *r)
{
	return (double)(wl_next(r) >> 11) * 0x1p-53;
}

/* Uniform in [0, n), n < 2^32. */
static inline uint32_t
wl_below(struct wl_rng *r, uint32_t n)
{
	return (uint32_t)(((wl_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline int64_t
wl_range(struct wl_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(wl_unit(r) * (double)(hi - lo + 1));
}

static inline bool
wl_chance(struct wl_rng *r, double p)
{
	return wl_unit(r) < p;
}

/* Exponential with the given mean. */
static inline double
wl_exp(struct wl_rng *r, double mean)
{
	return -mean * log(1.0 - wl_unit(r));
}

/* Log-normal with the given median and shape. */
double
wl_lognormal(struct wl_rng *r, double median, double sigma);

/* Index into @p w (n weights, not all zero), chosen by weight. */
unsigned
wl_pick(struct wl_rng *r, const uint16_t *w, unsigned n);

/* --- the catalog -------------------------------------------------------------- */

/* Interned string with its cached id (0: not interned yet). */
struct wl_str {
	const char *s;
	uint32_t id;
};

enum wl_app_index {
	WL_APP_FIREFOX,
	WL_APP_THUNDERBIRD,
	WL_APP_CALC,
	WL_APP_WRITER,
	WL_APP_CODE,
	WL_APP_NAUTILUS,
	WL_APP_SLACK,
	WL_APP_TERMINAL,
	WL_APP_EVINCE,
	WL_APP_KEEPASSXC,
	WL_APP_COUNT
};

/* What a person does in a focus period of an application. */
enum wl_action {
	WL_ACT_TYPE,
	WL_ACT_KEY,
	WL_ACT_CLICK,
	WL_ACT_SCROLL,
	WL_ACT_MOTION,
	WL_ACT_COUNT
};

#define WL_MAX_APP_KEYS 12
#define WL_TITLE_POOL 512

struct wl_app {
	struct wl_str id[2];		/* per backend: x11, sway */
	struct wl_str exe[2];
	const char *suffix;		/* appended to every title */
	const char *const *titles;	/* NULL-terminated fixed titles */
	const char *numbered;		/* printf pattern with %u, or NULL */
	unsigned number_base;
	uint32_t *fixed_ids;		/* cached ids of titles[] */
	uint32_t numbered_ids[WL_TITLE_POOL];
	uint16_t act_weight[WL_ACT_COUNT];
	uint16_t class_weight[TT_CLASS_COUNT];	/* per mille, letters the rest */
	double burst_median;		/* keys per typing burst */
	double think_ms;		/* mean pause between actions */
	double title_change;		/* chance that a click or key changes the title */
	uint8_t keys[WL_MAX_APP_KEYS];	/* indexes into wl_keys */
	uint16_t key_weight[WL_MAX_APP_KEYS];
	bool excluded;			/* deny-listed: nothing recorded */
};

struct wl_key {
	struct wl_str name;
	uint16_t code;
	uint8_t mods;
};

enum wl_key_index {
	WL_KEY_CTRL_C, WL_KEY_CTRL_V, WL_KEY_CTRL_X, WL_KEY_CTRL_Z, WL_KEY_CTRL_S,
	WL_KEY_CTRL_A, WL_KEY_CTRL_F, WL_KEY_CTRL_T, WL_KEY_CTRL_W, WL_KEY_CTRL_L,
	WL_KEY_CTRL_TAB, WL_KEY_CTRL_SHIFT_T, WL_KEY_CTRL_SHIFT_C, WL_KEY_CTRL_SHIFT_V,
	WL_KEY_CTRL_SHIFT_P, WL_KEY_CTRL_P, WL_KEY_CTRL_R, WL_KEY_CTRL_N,
	WL_KEY_CTRL_K, WL_KEY_CTRL_B, WL_KEY_CTRL_HOME, WL_KEY_CTRL_ENTER,
	WL_KEY_CTRL_SLASH, WL_KEY_ALT_TAB, WL_KEY_SUPER_L, WL_KEY_ESCAPE, WL_KEY_F2,
	WL_KEY_F5, WL_KEY_PAGEDOWN, WL_KEY_PAGEUP, WL_KEY_HOME, WL_KEY_END, WL_KEY_UP,
	WL_KEY_DOWN, WL_KEY_LEFT, WL_KEY_RIGHT,
	WL_KEY_COUNT
};

/* One step of a repetitive routine. */
enum wl_op {
	WL_OP_END = 0,
	WL_OP_SWITCH,		/* arg: app; Alt+Tab or a click, then focus */
	WL_OP_NEXT_TITLE,	/* the current app shows the next numbered title */
	WL_OP_KEY,		/* arg: key */
	WL_OP_CLICK,		/* arg: clicks (1 or 2) */
	WL_OP_TYPE,		/* arg: 0 short field (digits), 1 a line, 2 a text */
	WL_OP_SCROLL,
	WL_OP_WAIT,		/* arg: seconds (mean) */
};

struct wl_step {
	uint8_t op;
	uint8_t arg;
	uint8_t title;		/* WL_OP_SWITCH: fixed title index + 1, 0 any */
};

#define WL_MAX_STEPS 24

struct wl_role {
	const char *name;
	uint16_t app_weight[WL_APP_COUNT];
	struct wl_step routine[WL_MAX_STEPS];
	unsigned routine_batches;	/* batches per day (mean) */
	unsigned routine_reps;		/* repetitions per batch (mean) */
};

struct wl_device_model {
	const char *name;
	uint16_t bus, vendor, product;
	uint32_t classes;
};

extern struct wl_app wl_apps[WL_APP_COUNT];
extern struct wl_key wl_keys[WL_KEY_COUNT];
extern const struct wl_role wl_roles[];
extern const unsigned wl_role_count;
extern const struct wl_device_model wl_keyboards[], wl_mice[], wl_touchpads[];
extern const unsigned wl_keyboard_count, wl_mouse_count, wl_touchpad_count;
extern struct wl_str wl_backends[2];

/* The user name of user @p i ("alice", …, then "user21", …), into buf. */
void
wl_user_name(unsigned i, char *buf, size_t size);

/* Allocate the catalog's caches. 0 or -ENOMEM. */
int
wl_catalog_init(void);

void
wl_catalog_fini(void);

/* --- generation --------------------------------------------------------------- */

/* Everything shared by all users of a run. */
struct wl_gen {
	struct tt_store *store;
	int err;			/* first store error, sticky */
	uint64_t seed;
	double density;			/* 1.0: the default day */
	unsigned next_logind;		/* logind session ids: "2", "3", … */
	uint64_t strings;		/* strings interned */
	uint64_t sessions;
};

/* Intern @p s once; later calls return the cached id. */
uint32_t
wl_intern(struct wl_gen *g, struct wl_str *s);

/* Intern a string with its cache slot given separately. */
uint32_t
wl_intern_slot(struct wl_gen *g, const char *s, uint32_t *slot);

/* A user's records of one day, in time order within the user. */
struct wl_buf {
	struct tt_record *rec;
	size_t n, cap;
};

struct wl_user {
	unsigned index;
	char name[64];
	uint32_t uid;
	const struct wl_role *role;
	unsigned backend;		/* 0 x11, 1 sway */
	bool laptop;			/* has a touchpad */
	int start_min;			/* usual start, minutes after midnight UTC */
	double key_ms;			/* typing speed: ms per key */
	double think;			/* personal pace factor */
	unsigned mouse_hz;
	uint32_t dev_kbd, dev_mouse, dev_touchpad;
	struct wl_buf buf;
	unsigned title_next[WL_APP_COUNT];	/* next numbered title */
};

/* Register the user's devices. 0 or a store error. */
int
wl_user_init(struct wl_gen *g, struct wl_user *u, unsigned index);

/*
 * Generate user @p u's day @p day_index, starting at midnight
 * @p midnight_us (UTC, microseconds), into u->buf (replacing what was
 * there). Records have seq 0; the caller numbers them when merging.
 * 0, -ENOMEM, or the store error of a session or string registration.
 */
int
wl_day_generate(struct wl_gen *g, struct wl_user *u, unsigned day_index,
		uint64_t midnight_us);

/*
 * Write the events of the UI log at @p path (Action Logger CSV or XES)
 * into a new store, as records (uilog-store.c). Returns the exit code:
 * 0, 1 (a store or I/O failure), 2 (a log that does not parse).
 */
/*
 * Mixing (the task-recognition quality harness): with several logs, or
 * @c seed set, the instances of all logs (XES traces; CSV instances as
 * uilog.h cuts them) are shuffled with @c seed into one person's stream
 * and re-timed: each instance keeps its own gaps (at least 1 ms, so row
 * order is time order), 0.5–3 s between instances. @c one_app forces
 * every step's application to one name. @c truth, when set, is a file
 * that gets one line per record-making event: "time_ns log instance".
 */
struct wl_uilog_mix {
	bool mix;
	uint64_t seed;
	const char *one_app;
	const char *truth;
};

int
wl_from_uilog(const char *const *paths, size_t n_paths, const char *store_dir,
	      const struct wl_uilog_mix *mix, bool quiet);

#endif /* TT_WORKLOAD_H */
