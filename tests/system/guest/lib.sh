# Helpers for the guest checks (busybox sh). Sourced by suite.sh.
#
# Each check prints "ok NAME" or "FAIL NAME: expected ... got ..."; the
# suite ends with "N passed, N failed".

TT_PASS=0
TT_FAIL=0
TT_HOLD_MS=${TT_HOLD_MS:-500}
TT_MAX_GAP_MS=${TT_MAX_GAP_MS:-1000}
TT_SETTLE_MS=${TT_SETTLE_MS:-1000}

pass() {
	echo "ok $1"
	TT_PASS=$((TT_PASS + 1))
}

fail() {
	echo "FAIL $1: $2"
	TT_FAIL=$((TT_FAIL + 1))
	li_dump
	tt_dump 2>/dev/null || true
}

# On the first failure per replay, show what libinput said, so that a
# failure seen once on a loaded host can be understood from the log.
li_dump() {
	[ -n "${LI_OUT:-}" ] && [ "${TT_DUMPED:-}" != "$LI_OUT" ] || return 0
	TT_DUMPED=$LI_OUT
	echo "# --- libinput log ($(basename "$LI_OUT")):"
	{ grep -Ev '^[-+ ]event[0-9]+ ' "$LI_OUT.all"; cat "$LI_OUT.err"; } |
		head -n 20 | sed 's/^/#   /'
	echo "# --- libinput events, by type:"
	awk '{ print $2 }' "$LI_OUT" | sort | uniq -c | sed 's/^/#   /'
}

# expect_eq NAME EXPECTED GOT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected $2, got $3"; fi
}

# expect_near NAME EXPECTED TOLERANCE GOT
expect_near() {
	if [ "$4" -ge $(($2 - $3)) ] 2>/dev/null && [ "$4" -le $(($2 + $3)) ]; then
		pass "$1"
	else
		fail "$1" "expected $2 +- $3, got $4"
	fi
}

# expect_ge NAME MIN GOT
expect_ge() {
	if [ "$3" -ge "$2" ] 2>/dev/null; then pass "$1"; else fail "$1" "expected >= $2, got $3"; fi
}

# expect_match NAME REGEX TEXT
expect_match() {
	if echo "$3" | grep -Eq "$2"; then pass "$1"; else fail "$1" "expected /$2/, got '$3'"; fi
}

# stop_pid PID: SIGINT (libinput tools exit cleanly and flush), then KILL
stop_pid() {
	local i=0
	kill -INT "$1" 2>/dev/null
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "# pid $1 ignored SIGINT, killing it"
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
}

now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

# replay_libinput RECORDING [libinput options...]
# Replays RECORDING with tasktrace-replay while `libinput debug-events`
# (udev backend, seat0) reads it. With TT_READERS=2 (a tasktraced running
# beside it) the replay waits until both hold the node open. Sets LI_OUT (the tool's output, only the
# lines of the replayed device's event node; $LI_OUT.all is all of its
# stdout, where the tools also print libinput's log, $LI_OUT.err its
# stderr), LI_DEV (that node, e.g.
# event0), LI_ADDED (its DEVICE_ADDED line) and REPLAY_RC.
replay_libinput() {
	local rec=$1 base out pid t0
	shift
	base=$(basename "$rec")
	out=/tmp/$base.libinput
	t0=$(now_ms)
	libinput debug-events --show-keycodes "$@" > "$out.all" 2> "$out.err" &
	pid=$!
	timeout 60 tasktrace-replay --wait-reader "${TT_WAIT_READER_MS:-20000}" --readers "${TT_READERS:-1}" \
		--settle "$TT_SETTLE_MS" --max-gap "$TT_MAX_GAP_MS" \
		--hold "$TT_HOLD_MS" -v "$rec" > "/tmp/$base.replay" 2>&1
	REPLAY_RC=$?
	stop_pid "$pid"
	LI_DEV=$(sed -n 's/^[-+ ]\(event[0-9]*\) *DEVICE_ADDED.*/\1/p' "$out.all" | tail -n 1)
	LI_ADDED=$(grep -E "^[-+ ]$LI_DEV +DEVICE_ADDED" "$out.all" | tail -n 1)
	grep -E "^[-+ ]$LI_DEV " "$out.all" > "$out"
	LI_OUT=$out
	echo "# $base: replay exit $REPLAY_RC, $(wc -l < "$out") libinput lines, $(($(now_ms) - t0)) ms"
}

# li_count REGEX: lines of the replayed device's output matching REGEX
li_count() {
	grep -Ec "$1" "$LI_OUT"
}

# replay_evdev RECORDING
# Replays RECORDING while `libinput record` reads the raw evdev node: what
# the kernel delivered, whether or not libinput accepts the device. Sets
# EV_OUT (the YAML it wrote) and REPLAY_RC.
replay_evdev() {
	local rec=$1 base log node rpid lpid i=0
	base=$(basename "$rec")
	log=/tmp/$base.replay-evdev
	EV_OUT=/tmp/$base.record
	: > "$log"
	rm -f "$EV_OUT"
	timeout 60 tasktrace-replay --wait-reader 20000 --settle "$TT_SETTLE_MS" \
		--max-gap "$TT_MAX_GAP_MS" --hold "$TT_HOLD_MS" -v "$rec" > "$log" 2>&1 &
	rpid=$!
	while ! grep -q 'device /dev/input/' "$log" && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	node=$(sed -n 's|.*device \(/dev/input/event[0-9]*\).*|\1|p' "$log")
	if [ -n "$node" ]; then
		libinput record -o "$EV_OUT" "$node" > /dev/null 2>&1 &
		lpid=$!
	fi
	wait "$rpid"
	REPLAY_RC=$?
	[ -n "$node" ] && stop_pid "$lpid"
	touch "$EV_OUT"
	echo "# $base (evdev): replay exit $REPLAY_RC, node ${node:-none}, $(grep -c '^  - evdev:' "$EV_OUT") frames recorded"
}
