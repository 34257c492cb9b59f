/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — configuration: /etc/tasktrace/tasktrace.conf.
 *
 * The file is INI: "[section]" headers, "key = value" lines (':' works as
 * well as '='), and comment lines starting with '#' or ';'. A ';' preceded
 * by whitespace starts a comment at the end of a line; '#' does so only at
 * the start of one. Leading whitespace is insignificant: there are no
 * multi-line values. Lines are at most TT_CONFIG_MAX_LINE bytes. Sections
 * may appear more than once; keys may not, except those marked
 * "repeatable" below, whose values accumulate.
 *
 * Syntax is read by libinih through ini_parse_stream() with a line reader
 * of our own. Why the stream API and not ini_parse_file(): inih, as Debian
 * builds it, neither passes line numbers to the handler nor reports more
 * than the first syntax error, and it splits over-long lines silently. Our
 * reader hands inih one line at a time, so it knows the line number of
 * every handler call, sees every section header (inih does not call the
 * handler for those), notices lines inih rejected (a key line for which the
 * handler was not called), rejects over-long lines and NUL bytes instead of
 * letting them be split, and strips leading whitespace so that inih's
 * continuation lines can never turn an indented "key = value" into part of
 * the previous value. The semantics (sections, keys, values) are ours.
 *
 * Strictness. Each of these is an error, reported as "FILE:LINE: message"
 * through the caller's callback, and the load fails:
 *   - a syntax error (a line that is not a header, a key line or a
 *     comment; a header without its ']'; an over-long line; a NUL byte);
 *   - an unknown section (its keys are then ignored), an unknown key, a
 *     key before the first section header;
 *   - a second value for a key that is not repeatable;
 *   - a malformed or out-of-range value, invalid UTF-8 in a key or value,
 *     a regular expression that does not compile.
 * All errors of a file are reported, in line order, not only the first.
 * Values are quoted in messages with non-printable bytes and invalid UTF-8
 * escaped as \xNN, so a message is always printable.
 *
 * Sections and keys (defaults in brackets; durations as for
 * tt_parse_duration(), sizes as for tt_parse_size(), booleans as for
 * tt_parse_bool(); lists are comma-separated, blanks around items ignored):
 *
 *   [store]
 *     path             absolute directory of the LMDB store [/var/lib/tasktrace]
 *     map_size         size, 1M … 16T, the store's disk budget [1G]
 *     retention_days   0 … 36500; 0 keeps data forever [90]
 *     commit_interval  duration, 1ms … 1s: the writer commits at least
 *                      this often [1s]
 *   [input]
 *     seats            list of logind seat names ("seat…") [seat0]
 *     tapping          bool: touchpad tap-to-click [yes]
 *     keyboard_layout, keyboard_variant, keyboard_model, keyboard_options
 *                      XKB names for shortcut naming. When none of the four
 *                      is set, all four are read from /etc/default/keyboard
 *                      (tt_config_keyboard_path()); when any is set, that
 *                      file is not read, so settings never mix.
 *     typing_pause     duration, 50ms … 1m: a pause that ends a typing
 *                      burst [1.5s]
 *     idle_threshold   duration, 1s … 24h [5m]
 *     double_click     duration, 50ms … 5s [400ms]
 *   [privacy]
 *     exclude_users    list of user names or numeric uids whose input is
 *                      never recorded; repeatable [none]
 *     deny_apps        list of app ids / WM_CLASS fnmatch(3) globs: nothing
 *                      is recorded while such an application has focus;
 *                      repeatable; an empty value clears the list
 *                      [TT_CONFIG_DEFAULT_DENY_APPS]
 *     capture_titles   bool [yes]
 *     redact           POSIX extended regex (regcomp(3)); every match in a
 *                      window title is replaced by "…"; repeatable [none]
 *     max_title        bytes a stored title keeps, 1 … 4096 [256]
 *     user_pause_max   duration, 0 … 7d: the longest pause a user may ask
 *                      for with `tasktrace me pause`; 0 forbids it [0]
 *     notice           the text of the desktop notice shown at a user's
 *                      first session and after it changes [a built-in
 *                      text naming what is recorded and `tasktrace me`]
 *     min_burst_keys   a typing burst of fewer keys is stored as "fewer
 *                      than N keys" only, 8 … 1000 [20]
 *   [session]
 *     static_user      user name or uid owning input when logind is absent
 *     static_seat      seat used with it [seat0 when static_user is set]
 *   [collector]
 *     socket           absolute path of the focus socket, at most 107
 *                      bytes [/run/tasktrace/collector.sock]
 *     rate_limit       messages per second per uid (all its connections,
 *                      across reconnects), 1 … 10000 [50]
 *     string_budget    bytes of new strings one uid's reports may add to the
 *                      store per hour, 4K … 1G [1M]
 *     string_budget_total  the same for all uids together, 4K … 1G [4M]
 *   [export]
 *     dir              absolute path [/var/lib/tasktrace-exports]
 *     keep             exports kept per format, 0 … 100000; 0 keeps all [14]
 *     formats          list of csv, xes, ocel, jsonl [csv,xes]
 *     secret           absolute path of the pseudonymisation key
 *                      [/etc/tasktrace/secret]
 *     pseudonymize     bool [no]
 *     case             user-day | idle | focus: how events are cut into
 *                      cases [user-day]
 *     report           no | daily | weekly: also write an HTML report of
 *                      each exported day, or of each week (Monday to
 *                      Sunday, UTC, after its Sunday is exported) [no]
 *   [ship]             (tasktrace ship: records to a central PostgreSQL)
 *     server           libpq connection string, e.g. "host=db.example.org
 *                      dbname=tasktrace user=tasktrace_ship" [unset]
 *     service          a service of pg_service.conf(5) instead [unset]
 *                      (exactly one of server and service to ship)
 *     ca               absolute path: CA certificate that signed the
 *                      server's [/etc/tasktrace/ship/ca.crt]
 *     cert, key        absolute paths: this host's client certificate and
 *                      its key [/etc/tasktrace/ship/client.crt, client.key]
 *     plaintext        bool: allow a connection that is not TLS with
 *                      verify-full (a local socket, a test) [no]
 *     batch            records per transaction, 100 … 1000000 [50000]
 *     budget           duration, 1s … 24h: a run starts no batch after it,
 *                      and no statement runs past it [4m]
 *     lock_timeout     duration, 100ms … 1h: the longest wait for a lock on
 *                      the server [10s]
 *     statement_timeout duration, 1s … 24h: the longest one statement may
 *                      run [5m]
 *     users            keep | pseudonymize: user names on the server
 *                      [pseudonymize]
 *     titles           keep | pseudonymize | drop: window titles [drop]
 *     state_dir        absolute path: the cursor and retry state
 *                      [/var/lib/tasktrace-ship]
 *   [case.NAME]        (one case type, NAME [a-z][a-z0-9_-]*: cases.h)
 *     title, element, url  a PCRE2 pattern with a named group "id", over
 *                      the window title, the UI element name, the page
 *                      URL; repeatable, one pattern a line (no lists:
 *                      patterns hold commas); at least one is needed
 *     normalize        list of upper, lower, strip-leading-zeros [none]
 *     store            clear | pseudonym [clear]
 *   Trailing blanks of a value are dropped, and " ;" starts a comment:
 *   write a pattern's final blank as [ ] or \x20, a ';' as \x3b.
 *   [elements]         (the UI element of each record, from the collector)
 *     capture          off | roles | names: keep no element, its role only,
 *                      or role and (for controls) name and URL host [names]
 *     links            role | names: whether a link keeps its text [role]
 *     unknown_text     hidden | coarse: a text field that may be secret
 *                      (no name, or a toolkit class name such as
 *                      "GtkEntry") is typed into as into a password field,
 *                      or like any field [coarse]
 *     url_paths        list of fnmatch(3) globs over "host/path": a URL
 *                      that matches keeps its path (never its query or
 *                      fragment); others keep scheme and host; repeatable
 *                      [none]
 *
 * Paths are injectable (for tests and for "tasktrace check-config"): the
 * config file by TASKTRACE_CONFIG (or the caller's --config), the keyboard
 * defaults by TASKTRACE_KEYBOARD.
 *
 * Errors: functions return 0, a positive count of configuration errors
 * where documented, or a negative errno.
 *
 * Threads: the functions share no state; a struct tt_config is used by one
 * thread at a time, or read-only by any number.
 */
#ifndef TASKTRACE_CONFIG_H
#define TASKTRACE_CONFIG_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tt_cases;

/** The config file read when neither TASKTRACE_CONFIG nor a path is given. */
#define TT_CONFIG_PATH "/etc/tasktrace/tasktrace.conf"
/** The Debian keyboard-configuration file, see keyboard(5). */
#define TT_CONFIG_KEYBOARD_PATH "/etc/default/keyboard"
/** Longest line, in bytes, without its newline (inih's buffer, less 2). */
#define TT_CONFIG_MAX_LINE 198

/** The default deny-list: the common password managers' Wayland app ids
 *  and X11 WM_CLASS names (KeePassXC, KeePass 2, 1Password, Bitwarden,
 *  GNOME Passwords and Keys, KWalletManager, GNOME Secrets, pass's qtpass). */
#define TT_CONFIG_DEFAULT_DENY_APPS \
	"keepassxc,org.keepassxc.KeePassXC,KeePass2,keepass2,1password,1Password," \
	"bitwarden,Bitwarden,org.gnome.seahorse.Application,seahorse," \
	"org.kde.kwalletmanager5,kwalletmanager5,org.gnome.World.Secrets,QtPass"

/** Export formats, a bit set in struct tt_config_export.formats. */
enum tt_export_format {
	TT_EXPORT_CSV = 1 << 0,
	TT_EXPORT_XES = 1 << 1,
	TT_EXPORT_OCEL = 1 << 2,
	TT_EXPORT_JSONL = 1 << 3,
};

/** How the mining stage cuts events into cases. */
enum tt_case_mode {
	TT_CASE_USER_DAY = 0,	/**< one case per user per day */
	TT_CASE_IDLE,		/**< a new case after each idle period */
	TT_CASE_FOCUS,		/**< a new case at each focus change */
};

/** Reports written by the scheduled export. */
enum tt_export_report {
	TT_REPORT_NO = 0,
	TT_REPORT_DAILY,
	TT_REPORT_WEEKLY,
};

/** What [ship] sends of a name: users and titles. */
enum tt_ship_names {
	TT_SHIP_KEEP = 0,
	TT_SHIP_PSEUDONYMIZE,
	TT_SHIP_DROP,		/**< titles only */
};

/** [elements] capture: what of the element in front is kept. */
enum tt_elements_capture {
	TT_ELEMENTS_OFF = 0,
	TT_ELEMENTS_ROLES,
	TT_ELEMENTS_NAMES,
};
/** [elements] links. */
enum tt_elements_links { TT_LINKS_ROLE = 0, TT_LINKS_NAMES };
/** [elements] unknown_text. */
enum tt_elements_unknown { TT_UNKNOWN_TEXT_HIDDEN = 0, TT_UNKNOWN_TEXT_COARSE };

/** One [privacy] redact pattern, compiled. */
struct tt_config_regex {
	char *pattern;		/**< the source text, as in the file */
	regex_t re;		/**< compiled with REG_EXTENDED */
};

/**
 * The configuration. Every string and array is owned by the struct and
 * released by tt_config_free(). Lists are NULL-terminated arrays of
 * strings, never NULL themselves (an empty list is { NULL }). Optional
 * strings are NULL when unset. Durations are in nanoseconds.
 */
struct tt_config {
	struct tt_config_store {
		char *path;
		uint64_t map_size;
		unsigned retention_days;
		uint64_t commit_interval_ns;
	} store;
	struct tt_config_input {
		char **seats;
		bool tapping;
		char *keyboard_layout;		/* optional */
		char *keyboard_variant;		/* optional */
		char *keyboard_model;		/* optional */
		char *keyboard_options;		/* optional */
		uint64_t typing_pause_ns;
		uint64_t idle_threshold_ns;
		uint64_t double_click_ns;
	} input;
	struct tt_config_privacy {
		char **exclude_users;
		char **deny_apps;
		bool capture_titles;
		struct tt_config_regex *redact;
		size_t nredact;
		unsigned max_title;
		/* the traced person's side (tasktrace me, the notice) */
		uint64_t user_pause_max_ns;	/* 0: users may not pause */
		char *notice;			/* NULL: the built-in text */
		unsigned min_burst_keys;
	} privacy;
	struct tt_config_session {
		char *static_user;		/* optional */
		char *static_seat;		/* optional */
	} session;
	struct tt_config_collector {
		char *socket;
		unsigned rate_limit;
		uint64_t string_budget;		/* bytes of new strings per uid per hour */
		uint64_t string_budget_total;	/* … of all uids together */
	} collector;
	struct tt_config_export {
		char *dir;
		unsigned keep;
		unsigned formats;		/* enum tt_export_format bits */
		char *secret;
		bool pseudonymize;
		enum tt_case_mode case_mode;
		enum tt_export_report report;
	} export;
	struct tt_config_ship {
		char *server;			/* optional */
		char *service;			/* optional */
		char *ca, *cert, *key;
		bool plaintext;
		unsigned batch;
		uint64_t budget_ns;
		uint64_t lock_timeout_ns, statement_timeout_ns;
		unsigned users;			/* enum tt_ship_names */
		unsigned titles;		/* enum tt_ship_names */
		char *state_dir;
	} ship;
	/* [case.NAME] sections (tasktrace.conf(5), cases.h): the compiled
	 * case rules, in file order; NULL when the file has none. */
	struct tt_cases *cases;
	struct tt_config_elements {
		unsigned capture;		/* enum tt_elements_capture */
		unsigned links;			/* enum tt_elements_links */
		unsigned unknown_text;		/* enum tt_elements_unknown */
		char **url_paths;		/* fnmatch globs over host/path */
	} elements;
};

/**
 * Error callback: @p msg is one complete message, "FILE:LINE: text" for
 * a problem at a line or "FILE: text" for one with the whole file, with
 * no trailing newline. It is valid only during the call.
 */
typedef void (*tt_config_error_fn)(void *ctx, const char *msg);

/**
 * Fill @p cfg with the compiled-in defaults (the keyboard settings stay
 * unset: they come from tt_config_load()). Call tt_config_free() after.
 *
 * @return 0, or -ENOMEM (@p cfg is then freeable).
 */
int
tt_config_init(struct tt_config *cfg);

/**
 * Release everything @p cfg owns and zero it. Safe on a zeroed struct and
 * twice in a row.
 */
void
tt_config_free(struct tt_config *cfg);

/**
 * The config file to read by default: $TASKTRACE_CONFIG when set and not
 * empty, else TT_CONFIG_PATH. The string belongs to the environment or is
 * static; do not free it.
 */
const char *
tt_config_default_path(void);

/** $TASKTRACE_KEYBOARD when set and not empty, else TT_CONFIG_KEYBOARD_PATH. */
const char *
tt_config_keyboard_path(void);

/**
 * Load a configuration: defaults, then the file, then the keyboard
 * defaults (see the header comment).
 *
 * @param[out] cfg   always left initialised, whatever the result: call
 *                   tt_config_free(). On errors it holds the defaults
 *                   overridden by the values that did parse; do not run
 *                   with it.
 * @param[in] path   the file; NULL for tt_config_default_path()
 * @param[in] missing_ok  a missing file (ENOENT) gives the defaults instead
 *                   of an error. With @p path NULL this is ignored: a
 *                   missing default is fine unless TASKTRACE_CONFIG named
 *                   it, since a file someone named must exist.
 * @param[in] err    called once per error, in line order; may be NULL
 * @param[in] ctx    passed to @p err
 *
 * @return
 *   - 0: the file (or its absence) gave a valid configuration;
 *   - > 0: the number of errors in the file, each reported through @p err;
 *   - -ENOENT, -EACCES, -EISDIR, …: the file could not be read (also
 *     reported through @p err as "FILE: message");
 *   - -ENOMEM.
 *
 * To reload (SIGHUP), load into a fresh struct and replace the running
 * one only when the result is 0: a broken file never half-applies.
 */
int
tt_config_load(struct tt_config *cfg, const char *path, bool missing_ok,
	       tt_config_error_fn err, void *ctx);

/**
 * As tt_config_load(), on @p len bytes in memory (which may hold any
 * bytes, NUL included). @p name stands for the file name in messages.
 * The keyboard defaults are read as by tt_config_load().
 *
 * @return as tt_config_load(), without the file errors.
 */
int
tt_config_load_buffer(struct tt_config *cfg, const char *name,
		      const char *buf, size_t len,
		      tt_config_error_fn err, void *ctx);

/**
 * Read XKBLAYOUT, XKBVARIANT, XKBMODEL and XKBOPTIONS from a
 * keyboard(5) file (shell assignments, values optionally quoted) into
 * @p cfg's keyboard settings, replacing them. Other lines are ignored.
 *
 * @param[in] path  the file; NULL for tt_config_keyboard_path()
 * @return 0 (also when the file does not exist: nothing changes),
 *         -errno when it cannot be read, -ENOMEM.
 */
int
tt_config_read_keyboard(struct tt_config *cfg, const char *path);

/**
 * Value parsers, shared by the config file and the CLI's flags. Each takes
 * the whole string: no leading or trailing blanks, nothing after the
 * value. Each returns 0 and sets *out, or -EINVAL (malformed) or -ERANGE
 * (does not fit), leaving *out alone.
 */

/**
 * A duration: a decimal number, optionally with a fraction, followed by
 * a unit: ns, us, ms, s, m (minutes), h, d. "0" alone is zero. Examples:
 * 300ms, 1.5s, 5m, 2h. The value must be a whole number of nanoseconds
 * and at most UINT64_MAX ns (about 584 years).
 */
int
tt_parse_duration(const char *s, uint64_t *out_ns);

/**
 * A size in bytes: a decimal integer, optionally followed by K, M, G, T, P
 * or E (powers of 1024), optionally followed by "iB". Examples: 4096,
 * 512M, 4G, 1GiB.
 */
int
tt_parse_size(const char *s, uint64_t *out_bytes);

/** A boolean, case-insensitively: yes/no, true/false, on/off, 1/0. */
int
tt_parse_bool(const char *s, bool *out);

/**
 * An unsigned decimal integer from 0 to @p max: digits only (no sign, no
 * blanks, no 0x). -ERANGE when larger than @p max.
 */
int
tt_parse_uint(const char *s, uint64_t max, uint64_t *out);

/**
 * Apply the redaction and length policy to a window title: replace every
 * match of every redact pattern (in file order) by "…", then cut the
 * result to at most max_title bytes without splitting a UTF-8 sequence.
 *
 * @param[out] out  the new title (malloc'd), NULL when capture_titles is off
 * @return 0 or -ENOMEM
 */
int
tt_config_redact_title(const struct tt_config *cfg, const char *title,
		       char **out);

#endif /* TASKTRACE_CONFIG_H */
