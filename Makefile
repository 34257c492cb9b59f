# tasktrace — top-level build.
#
# Conventions, so that a new file needs no Makefile edit:
#   lib/*.c                 -> build/libtasktrace.a (linked by every program)
#   admin/*.c, mining/*.c,  -> build/tasktrace          (the admin command: admin/;
#   mining/*/*.c, ship/*.c                               its stages: mining/export,
#                                                        mining/mine, mining/report;
#                                                        what they share: mining/;
#                                                        the shipper: ship/)
#   tracer/*.c              -> build/tasktraced         (system service)
#   collector/*.c           -> build/tasktrace-collector
#   tests/workload/*.c      -> build/tasktrace-workload
#   tests/unit/test-*.c     -> build/tests/test-*       (one program each, run by make check)
#   tests/fuzz/fuzz-*.c     -> build/fuzz/fuzz-*        (libFuzzer, clang)
#   tests/bench/bench-*.c   -> build/bench/bench-*
# Every library comes through pkg-config.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
DESTDIR    ?=

CC         ?= cc
PKG_CONFIG ?= pkg-config
B          ?= build

WARN     := -Wall -Wextra -Werror -Wstrict-prototypes -Wshadow -Wvla \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
CPPFLAGS += -D_GNU_SOURCE -DTT_VERSION='"$(VERSION)"' -Iinclude -Ilib -I.
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SAN)

LIB_PKGS       := lmdb inih libpcre2-8 nettle
MINING_PKGS    := $(LIB_PKGS) json-c libxml-2.0 nettle libpq
TRACER_PKGS    := $(LIB_PKGS) libinput libudev libevdev libsystemd xkbcommon
COLLECTOR_PKGS := $(LIB_PKGS) xcb xcb-ewmh xcb-res wayland-client json-c libsystemd atspi-2 gobject-2.0 glib-2.0 dbus-1
TEST_PKGS      := $(LIB_PKGS) sqlite3 json-c libxml-2.0 nettle

pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
ALL_PKGS   = $(sort $(LIB_PKGS) $(MINING_PKGS) $(TRACER_PKGS) $(COLLECTOR_PKGS) $(TEST_PKGS))

LIB_SRC       := $(sort $(wildcard lib/*.c))
MINING_SRC    := $(sort $(wildcard admin/*.c mining/*.c mining/*/*.c ship/*.c))
TRACER_SRC    := $(sort $(wildcard tracer/*.c))
COLLECTOR_SRC := $(sort $(wildcard collector/*.c))
WORKLOAD_SRC  := $(sort $(wildcard tests/workload/*.c))
UNIT_SRC      := $(sort $(wildcard tests/unit/test-*.c))
FUZZ_SRC      := $(sort $(wildcard tests/fuzz/fuzz-*.c))
BENCH_SRC     := $(sort $(wildcard tests/bench/bench-*.c))
UNIT_BIN      := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_BIN      := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
BENCH_BIN     := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)
MAN_SRC       := $(sort $(wildcard docs/*.scd))
MAN_OUT       := $(MAN_SRC:docs/%.scd=$(B)/man/%)

PROGRAMS := $(B)/tasktrace
ifneq ($(WORKLOAD_SRC),)
PROGRAMS += $(B)/tasktrace-workload
endif
ifneq ($(TRACER_SRC),)
PROGRAMS += $(B)/tasktraced
endif
ifneq ($(COLLECTOR_SRC),)
PROGRAMS += $(B)/tasktrace-collector
endif

.PHONY: all deps check check-unit check-fuzz check-asan bench fuzz fuzz-campaign man \
        install clean
.DELETE_ON_ERROR:

all: $(PROGRAMS) $(UNIT_BIN)

# --- objects ---------------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CPPFLAGS) $(call pkg_cflags,$(ALL_PKGS)) -MMD -MP -c -o $@ $<

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

$(B)/libtasktrace.a: $(call obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/tasktrace: $(call obj,$(MINING_SRC)) $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(MINING_PKGS)) -lm

$(B)/tasktraced: $(call obj,$(TRACER_SRC)) $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TRACER_PKGS)) -lm

$(B)/tasktrace-collector: $(call obj,$(COLLECTOR_SRC)) $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(COLLECTOR_PKGS)) -lm

$(B)/tasktrace-workload: $(call obj,$(WORKLOAD_SRC)) $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(LIB_PKGS) libxml-2.0) -lm

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/obj/tests/unit/harness.o $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS)) -lm

# Tests of the admin command and its stages link their objects (all but
# the command's main).
MINING_OBJ := $(filter-out $(B)/obj/admin/main.o,$(call obj,$(MINING_SRC)))
$(B)/tests/test-export-%: $(B)/obj/tests/unit/test-export-%.o $(B)/obj/tests/unit/harness.o \
		$(MINING_OBJ) $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS) $(MINING_PKGS)) -lm
REPORT_TESTS := $(filter $(B)/tests/test-report%,$(UNIT_BIN))
$(REPORT_TESTS): $(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/obj/tests/unit/harness.o \
		$(MINING_OBJ) $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS) $(MINING_PKGS)) -lm

$(B)/tests/test-mine: $(B)/obj/tests/unit/test-mine.o $(B)/obj/tests/unit/harness.o \
		$(MINING_OBJ) $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS) $(MINING_PKGS)) -lm

$(B)/bench/%: $(B)/obj/tests/bench/%.o $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS)) -lm

# The tracer's interpreter, keymaps, device identity and options are linked
# into its tests and benchmark too (before the library, which they use);
# the tracer's objects see its packages' headers.
TRACER_TEST_OBJ := $(call obj,tracer/interp.c tracer/element-policy.c tracer/keymap.c tracer/keymap-xkb.c \
		   tracer/devices.c tracer/options.c)
TRACER_TEST_PKGS := libevdev xkbcommon libudev
$(B)/obj/tracer/%.o: CPPFLAGS += $(call pkg_cflags,$(TRACER_PKGS))
$(B)/obj/tests/unit/test-interp.o $(B)/obj/tests/unit/test-tracer-store.o \
$(B)/obj/tests/unit/test-devices.o $(B)/obj/tests/unit/interp-script.o \
$(B)/obj/tests/bench/bench-interp.o $(B)/obj/tests/bench/bench-element.o: CPPFLAGS += -Itracer $(call pkg_cflags,$(TRACER_TEST_PKGS))
TRACER_TESTS := $(B)/tests/test-interp $(B)/tests/test-tracer-store $(B)/tests/test-devices
$(TRACER_TESTS): $(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/obj/tests/unit/harness.o \
		$(B)/obj/tests/unit/interp-script.o $(TRACER_TEST_OBJ) $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS) $(TRACER_TEST_PKGS)) -lm
$(B)/bench/bench-interp $(B)/bench/bench-element: $(B)/bench/%: $(B)/obj/tests/bench/%.o $(TRACER_TEST_OBJ) $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(TEST_PKGS) $(TRACER_TEST_PKGS)) -lm

# libFuzzer targets: clang only, built with ASan+UBSan, from the library's sources.
FUZZ_CC     ?= clang
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
$(B)/fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) $(call pkg_cflags,$(LIB_PKGS)) -o $@ $^ $(call pkg_libs,$(LIB_PKGS)) -lm

# The UI-log parser of tasktrace-workload --from-uilog reads XES with libxml2.
$(B)/fuzz/fuzz-uilog: tests/fuzz/fuzz-uilog.c tests/workload/uilog.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -Itests/workload $(call pkg_cflags,$(LIB_PKGS) libxml-2.0) \
		-o $@ $^ $(call pkg_libs,$(LIB_PKGS) libxml-2.0) -lm

# The tracer's element policy reads what a collector (not trusted) sent.
$(B)/fuzz/fuzz-element-policy: tests/fuzz/fuzz-element-policy.c tracer/element-policy.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -Itracer $(call pkg_cflags,$(LIB_PKGS)) \
		-o $@ $^ $(call pkg_libs,$(LIB_PKGS)) -lm

# --- documentation ---------------------------------------------------------
$(B)/man/%: docs/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@

man: $(MAN_OUT)

# --- tests -----------------------------------------------------------------
# `make check` first makes sure the build and test dependencies are present:
# as root it installs what is missing, otherwise it prints the apt-get line.
deps:
	@scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory all man fuzz collector-test-tools
	@scripts/run-tests $(B)

check-unit: all
	@scripts/run-tests $(B) unit

fuzz: $(FUZZ_BIN)

check-fuzz: fuzz
	@scripts/run-tests $(B) fuzz

# Long campaign, not in CI: every target FUZZ_CAMPAIGN_SECONDS (default 600)
# from its seeds plus $(B)/fuzz/corpus-NAME, two at a time, niced; one table
# at the end (tests/fuzz/README).
fuzz-campaign: fuzz
	@scripts/fuzz-campaign $(B)

# Same suite under AddressSanitizer + UndefinedBehaviorSanitizer, own build dir.
check-asan: deps
	@$(MAKE) --no-print-directory B=build/asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TT_SANITIZED=1 scripts/run-tests build/asan unit

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@scripts/run-bench $(B)

# --- install ---------------------------------------------------------------
install: all man
	install -Dm755 $(B)/tasktrace $(DESTDIR)$(BINDIR)/tasktrace
	install -Dm755 $(B)/tasktrace-workload $(DESTDIR)$(BINDIR)/tasktrace-workload
	if [ -x $(B)/tasktraced ]; then install -Dm755 $(B)/tasktraced $(DESTDIR)$(SBINDIR)/tasktraced; fi
	if [ -x $(B)/tasktrace-collector ]; then install -Dm755 $(B)/tasktrace-collector $(DESTDIR)$(BINDIR)/tasktrace-collector; fi
	install -Dm644 docs/tasktrace.conf.example $(DESTDIR)$(SYSCONFDIR)/tasktrace/tasktrace.conf
	sed 's|/usr/bin/|$(BINDIR)/|' systemd/tasktrace-collector.service > $(B)/tasktrace-collector.service
	install -Dm644 $(B)/tasktrace-collector.service $(DESTDIR)$(PREFIX)/lib/systemd/user/tasktrace-collector.service
	sed 's|/usr/bin/|$(BINDIR)/|' collector/tasktrace-collector.desktop > $(B)/tasktrace-collector.desktop
	install -Dm644 $(B)/tasktrace-collector.desktop $(DESTDIR)$(SYSCONFDIR)/xdg/autostart/tasktrace-collector.desktop
	install -Dm644 $(KWIN_SCRIPT_SRC) $(DESTDIR)$(KWIN_SCRIPT)
	# accessibility for the toolkits: installed inactive, the admin enables it
	for f in collector/accessibility/*; do \
		install -Dm644 $$f $(DESTDIR)$(DATADIR)/tasktrace/accessibility/$${f##*/} || exit 1; done
	for m in $(MAN_OUT); do s=$${m##*.}; install -Dm644 $$m $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# --- collector: generated Wayland protocol code, desktop tests --------------
# wayland-scanner turns the vendored protocol XML into a client header and
# its interface tables; both are generated under $(B)/protocol.
WLR_TOPLEVEL     := wlr-foreign-toplevel-management-unstable-v1
WLR_TOPLEVEL_XML := collector/protocol/$(WLR_TOPLEVEL).xml
WLR_TOPLEVEL_H   := $(B)/protocol/$(WLR_TOPLEVEL)-client-protocol.h
WLR_TOPLEVEL_C   := $(B)/protocol/$(WLR_TOPLEVEL)-protocol.c
WLR_TOPLEVEL_O   := $(B)/obj/protocol/$(WLR_TOPLEVEL)-protocol.o

$(WLR_TOPLEVEL_H): $(WLR_TOPLEVEL_XML)
	@mkdir -p $(dir $@)
	wayland-scanner client-header $< $@

$(WLR_TOPLEVEL_C): $(WLR_TOPLEVEL_XML)
	@mkdir -p $(dir $@)
	wayland-scanner private-code $< $@

$(WLR_TOPLEVEL_O): $(WLR_TOPLEVEL_C)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CPPFLAGS) $(call pkg_cflags,wayland-client) -c -o $@ $<

$(call obj,$(COLLECTOR_SRC)): CPPFLAGS += -I$(B)/protocol $(call pkg_cflags,$(COLLECTOR_PKGS))

# The KDE backend loads this script into KWin; the path is compiled in
# (TASKTRACE_KWIN_SCRIPT overrides it, for tests and the build tree).
KWIN_SCRIPT_SRC := collector/kwin/tasktrace-focus.js
KWIN_SCRIPT     := $(DATADIR)/tasktrace/kwin/tasktrace-focus.js
$(B)/obj/collector/backend-kde.o: CPPFLAGS += -DTT_KWIN_SCRIPT='"$(KWIN_SCRIPT)"'
# …and rebuilt when that path changes (e.g. PREFIX given only to install).
$(B)/obj/collector/backend-kde.o: $(B)/kwin-script-path
$(B)/kwin-script-path: FORCE
	@mkdir -p $(dir $@)
	@echo '$(KWIN_SCRIPT)' | cmp -s - $@ || echo '$(KWIN_SCRIPT)' > $@
.PHONY: FORCE
FORCE:
$(call obj,$(COLLECTOR_SRC)): | $(WLR_TOPLEVEL_H)
$(B)/tasktrace-collector: $(WLR_TOPLEVEL_O)

# The receiving end used by the desktop tests until the tracer exists.
$(B)/desktop/focus-sink: $(B)/obj/tests/desktop/focus-sink.o $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

# Switches the X11 focus from one long-lived process, so that latency
# figures do not include a process start per switch.
$(B)/desktop/x11-switch: $(B)/obj/tests/desktop/x11-switch.o $(B)/libtasktrace.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,xcb xcb-ewmh)

# Loads the KDE test's KWin script, activates windows through it, and
# plays the rogue caller, on one session-bus connection.
$(B)/desktop/kwin-bus: $(B)/obj/tests/desktop/kwin-bus.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,libsystemd)

.PHONY: collector collector-test-tools check-desktop
collector: $(B)/tasktrace-collector collector-test-tools
collector-test-tools: $(B)/desktop/focus-sink $(B)/desktop/x11-switch $(B)/desktop/kwin-bus

# Real desktops (Xvfb + openbox, headless sway, headless GNOME Shell and
# KWin): needs root to install packages and to run the compositors as an
# unprivileged test user.
check-desktop: deps collector gnome-extension $(B)/tasktraced $(B)/tasktrace
	@tests/desktop/run-desktop-tests $(B)
	@tests/desktop/run-atspi-tests $(B)
	@tests/desktop/run-gnome-tests $(B)
	@tests/desktop/run-kde-tests $(B)

# --- fleet: tasktrace ship against a real PostgreSQL (tests/fleet/) -------
# The tests start their own server (initdb + pg_ctl as user postgres, a
# private socket directory, a free port on 127.0.0.1) and stop it.
$(B)/tasktrace-fleet-fixture: $(B)/obj/tests/fleet/fixture.o $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(LIB_PKGS)) -lm

all: $(B)/tasktrace-fleet-fixture

.PHONY: check-fleet
check-fleet: deps all
	@scripts/run-tests $(B) fleet

# --- demo: a store of synthetic office days, and what tasktrace reads from it
.PHONY: demo report-screenshot
demo: deps all
	@rm -rf $(B)/demo-store
	@$(B)/tasktrace-workload --store $(B)/demo-store --days 5 --users 3 --seed 1
	@echo
	@$(B)/tasktrace --store $(B)/demo-store stats --top 8
	@echo
	@$(B)/tasktrace --store $(B)/demo-store report --quiet \
		--no-pseudonymize --title "Demo: three people, one synthetic week" -o $(B)/demo-report.html
	@echo "Report: $(B)/demo-report.html (open it in any browser; it works offline)"
	@echo
	@echo "Try: $(B)/tasktrace --store $(B)/demo-store query --since 2026-01-05T09:00Z --until 2026-01-05T09:05Z"

# The README's picture of the demo report (docs/report-demo.png), taken by
# headless Chromium offline.
report-screenshot: demo
	@tests/report/screenshot $(B)/demo-report.html docs/report-demo.png

# --- packaging: units, sysusers/tmpfiles, completions, packages ------------
# Installed by `make install` too (an extra prerequisite, so the recipe
# above stays the programs' own). Units name /usr/bin and /usr/sbin; they
# are rewritten to BINDIR/SBINDIR. Debian 12 wants system units in
# /lib/systemd/system: packaging/debian/rules passes UNITDIR.
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
SYSTEM_UNITS := $(wildcard systemd/tasktraced.service systemd/tasktrace-export.service \
		systemd/tasktrace-ship.service systemd/tasktrace-ship.timer \
		systemd/tasktrace-export.timer)

.PHONY: install-system security deb rpm check-packages check-packages-vm
install: install-system

install-system:
	for u in $(SYSTEM_UNITS); do \
		sed -e 's|/usr/sbin/|$(SBINDIR)/|g' -e 's|/usr/bin/|$(BINDIR)/|g' $$u > $(B)/$${u##*/} && \
		install -Dm644 $(B)/$${u##*/} $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; done
	install -Dm644 systemd/tasktrace.sysusers $(DESTDIR)$(SYSUSERSDIR)/tasktrace.conf
	install -Dm644 systemd/tasktrace.tmpfiles $(DESTDIR)$(TMPFILESDIR)/tasktrace.conf
	install -Dm644 packaging/completions/tasktrace.bash $(DESTDIR)$(BASHCOMPDIR)/tasktrace
	install -Dm644 packaging/completions/_tasktrace $(DESTDIR)$(ZSHCOMPDIR)/_tasktrace
	for f in docs/fleet/*.sql docs/fleet/README.md; do \
		install -Dm644 $$f $(DESTDIR)$(PREFIX)/share/tasktrace/fleet/$${f##*/} || exit 1; done
	@echo "Installed. On a live system: systemd-sysusers tasktrace.conf;" \
	      "systemd-tmpfiles --create tasktrace.conf; systemctl daemon-reload"

# Sandbox exposure of the system units (systemd-analyze security), target
# <= 2.5; fails only when systemd-analyze exists and a unit is above it.
security:
	@scripts/unit-security 2.5

# Debian packages into $(B)/deb/ (packaging/debian, built from a copy of
# the tracked tree so the checkout stays clean).
deb:
	@scripts/build-deb $(B)/deb

# RPMs into $(B)/rpm/ (rpmbuild --nodeps: Debian cannot resolve RPM
# BuildRequires; they are listed in the spec for real RPM systems).
rpm:
	@scripts/build-rpm $(B)/rpm

# Install, reinstall, remove and purge the .debs in an overlay of this
# machine's root (root; the real root is never written).
check-packages: deb
	@tests/packaging/install-test $(B)/deb

# The same .debs on a real init: qemu guest, systemd as PID 1 over a 9p
# root (root; TCG, ~2 min): tasktraced active, sandboxed, reads a keyboard
# plugged in after start. Not under /tmp (the guest's /tmp is a tmpfs).
check-packages-vm: deb $(B)/tasktrace-replay
	@B=$(B) tests/packaging/vm-install $(B)/deb

# --- system tests (tests/system/) ------------------------------------------
# tasktrace-replay: the recording parser plus the uinput replayer. The parser
# (tests/system/replay/recording.c) is pure and is also linked into its unit
# test and fuzz target. The YAML layer is Debian's libyaml.
REPLAY_SRC  := $(sort $(wildcard tests/system/replay/*.c))
REPLAY_PKGS := libevdev yaml-0.1

$(B)/obj/tests/system/replay/%.o: TEST_PKGS += $(REPLAY_PKGS)

$(B)/tasktrace-replay: $(call obj,$(REPLAY_SRC))
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(REPLAY_PKGS))

$(B)/tests/test-recording: $(B)/obj/tests/system/replay/recording.o
$(B)/tests/test-recording: TEST_PKGS += yaml-0.1
$(B)/fuzz/fuzz-evemu: tests/system/replay/recording.c
$(B)/fuzz/fuzz-evemu: LIB_PKGS += yaml-0.1

# The report's browser test appends a hostile application to a workload
# store with this (tests/report/).
$(B)/tasktrace-hostile: $(B)/obj/tests/report/hostile.o $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(LIB_PKGS)) -lm

all: $(B)/tasktrace-hostile

# tasktrace-bytescan: the privacy check's byte scanner (guest only)
$(B)/tasktrace-bytescan: $(B)/obj/tests/system/bytescan.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

# tasktrace-collector-standin: the collector's protocol from stdin (guest only)
$(B)/tasktrace-collector-standin: $(B)/obj/tests/system/collector-standin.o $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^


# tasktrace-floor: the smallest libinput reader, bench-system's floor
# (guest only): udev backend, dispatch, every event discarded.
$(B)/obj/tests/system/floor.o: TEST_PKGS += libinput libudev
$(B)/tasktrace-floor: $(B)/obj/tests/system/floor.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,libinput libudev)

# tasktrace-plant: a planted leak for the privacy check (guest only): one
# record holding a key interval, appended through the store's own codec
$(B)/tasktrace-plant: $(B)/obj/tests/system/plant.o $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(LIB_PKGS))

# tasktrace-focus-send: the soak's collector stand-in (guest only)
$(B)/tasktrace-focus-send: $(B)/obj/tests/system/focus-send.o $(B)/libtasktrace.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(LIB_PKGS))

all: $(B)/tasktrace-replay $(B)/tasktrace-bytescan $(B)/tasktrace-floor $(B)/tasktrace-plant \
	$(B)/tasktrace-focus-send $(B)/tasktrace-collector-standin

# `make check-system`: the guest suite in a qemu VM with Debian's kernel
# (tests/system/README.md). `make check-system REPLAY=file` boots, replays
# that one recording and prints what came out. `make bench-system`: CPU
# used by the reader of a generated 1 kHz mouse, in the guest.
.PHONY: check-system bench-system soak
check-system: deps
	@$(MAKE) --no-print-directory $(B)/tasktrace-replay $(B)/tasktrace-bytescan $(B)/tasktrace-plant \
		$(B)/tasktrace-collector-standin $(B)/tasktraced $(B)/tasktrace
	@B=$(B) tests/system/run $(if $(REPLAY),--replay $(REPLAY))

bench-system: deps
	@$(MAKE) --no-print-directory $(B)/tasktrace-replay $(B)/tasktrace-floor $(B)/tasktraced $(B)/tasktrace
	@B=$(B) tests/system/run --bench

# `make soak` (not in CI): SOAK_MINUTES (default 60) of human-like input
# into tasktraced in the VM, shipped every 5 minutes to a PostgreSQL on this
# machine's loopback; RSS and CPU every 10 s (tests/system/README.md).
SOAK_MINUTES ?= 60
soak: deps
	@$(MAKE) --no-print-directory $(B)/tasktrace-replay $(B)/tasktrace-focus-send $(B)/tasktraced $(B)/tasktrace
	@B=$(B) SOAK_MINUTES=$(SOAK_MINUTES) tests/system/run --soak

# --- the main job: the tracer on this machine's input devices -------------
.PHONY: run
run: deps all
	@scripts/run-tracer $(B)

# --- GNOME Shell extension (collector/gnome/) -------------------------------
# One source, two builds: shell 40–44 load extension.js as a legacy script
# (imports.gi, init()), 45+ as an ES module (export default class).
# The build puts a header before collector/gnome/focus.js and the entry
# points after it. `make install` installs the build for the gnome-shell of
# this machine (or GNOME_SHELL_EXT=legacy|esm; legacy when none is found,
# as Debian 12 and RHEL 9 ship 43 and 40), into
# /usr/share/gnome-shell/extensions/, plus the dconf system database that
# enables it for every user (collector/gnome/00-tasktrace, locks).
GNOME_UUID    := tasktrace@tasktrace.org
GNOME_EXT_SRC := collector/gnome/focus.js
GNOME_LEGACY  := $(B)/gnome-shell/legacy/$(GNOME_UUID)
GNOME_ESM     := $(B)/gnome-shell/esm/$(GNOME_UUID)
GNOME_SHELL_MAJOR = $(shell gnome-shell --version 2>/dev/null | sed -n 's/^GNOME Shell \([0-9]*\).*/\1/p')
GNOME_SHELL_EXT ?= $(if $(filter 4[5-9] [5-9][0-9],$(GNOME_SHELL_MAJOR)),esm,legacy)
DATADIR       ?= $(PREFIX)/share
LIBEXECDIR    ?= $(PREFIX)/lib/tasktrace

$(GNOME_LEGACY)/extension.js: collector/gnome/legacy-head.js $(GNOME_EXT_SRC) collector/gnome/legacy-tail.js
$(GNOME_ESM)/extension.js: collector/gnome/esm-head.js $(GNOME_EXT_SRC) collector/gnome/esm-tail.js
$(GNOME_LEGACY)/extension.js $(GNOME_ESM)/extension.js:
	@mkdir -p $(dir $@)
	cat $^ > $@
$(GNOME_LEGACY)/metadata.json: collector/gnome/metadata.json.in
	@mkdir -p $(dir $@)
	sed 's/@SHELL_VERSIONS@/"40", "41", "42", "43", "44"/' $< > $@
$(GNOME_ESM)/metadata.json: collector/gnome/metadata.json.in
	@mkdir -p $(dir $@)
	sed 's/@SHELL_VERSIONS@/"45", "46", "47", "48"/' $< > $@

.PHONY: gnome-extension install-gnome
gnome-extension: $(GNOME_LEGACY)/extension.js $(GNOME_LEGACY)/metadata.json \
		 $(GNOME_ESM)/extension.js $(GNOME_ESM)/metadata.json
all: gnome-extension
install: install-gnome

install-gnome: gnome-extension
	for f in extension.js metadata.json; do \
		install -Dm644 $(B)/gnome-shell/$(GNOME_SHELL_EXT)/$(GNOME_UUID)/$$f \
			$(DESTDIR)$(DATADIR)/gnome-shell/extensions/$(GNOME_UUID)/$$f || exit 1; done
	install -Dm644 collector/gnome/00-tasktrace $(DESTDIR)$(SYSCONFDIR)/dconf/db/local.d/00-tasktrace
	install -Dm644 collector/gnome/locks-tasktrace $(DESTDIR)$(SYSCONFDIR)/dconf/db/local.d/locks/tasktrace
	install -Dm755 collector/gnome/dconf-setup $(DESTDIR)$(LIBEXECDIR)/gnome-dconf-setup
	@echo "GNOME Shell extension ($(GNOME_SHELL_EXT) build) installed. On a live system:" \
	      "$(LIBEXECDIR)/gnome-dconf-setup install (dconf profile + dconf update)"
