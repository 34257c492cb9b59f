# Helpers for the tracer checks (busybox sh): logind files, tasktraced with
# a test config and store, queries. Sourced after lib.sh.
#
# logind is not running in the guest: sd-login reads plain files under
# /run/systemd/ (tests/system/README.md, "logind without systemd"), so a
# check writes them to put seat0 in the state it needs.

TT_DIR=/tmp/tt
TT_UID=1000
TT_USER=alice

# logind_dirs: the directories sd-login needs (machines/ too, or
# sd_login_monitor_new fails with ENOENT)
logind_dirs() {
	mkdir -p /run/systemd/seats /run/systemd/sessions /run/systemd/users /run/systemd/machines
}

# write_atomic FILE TEXT: as logind does, a temporary file renamed into place
write_atomic() {
	printf '%b' "$2" > "$1.tmp" && mv -f "$1.tmp" "$1"
}

# logind_session STATE: seat0's session 1 of $TT_USER is "active",
# "locked" (LOCKED_HINT=yes), or there is "none" (no session on the seat)
logind_session() {
	logind_dirs
	case "$1" in
	active|locked)
		local lock=
		[ "$1" = locked ] && lock='LOCKED_HINT=yes\n'
		write_atomic /run/systemd/sessions/1 "UID=$TT_UID\nUSER=$TT_USER\nACTIVE=1\nSTATE=active\nCLASS=user\nTYPE=wayland\nSEAT=seat0\n$lock"
		write_atomic /run/systemd/seats/seat0 "IS_SEAT0=1\nACTIVE=1\nACTIVE_UID=$TT_UID\nSESSIONS=1\nUIDS=$TT_UID\n"
		;;
	none)
		rm -f /run/systemd/sessions/1
		write_atomic /run/systemd/seats/seat0 "IS_SEAT0=1\n"
		;;
	esac
}

# tracer_conf [EXTRA]: the test configuration in $TT_DIR/tasktrace.conf
tracer_conf() {
	mkdir -p "$TT_DIR"
	printf '[collector]\nsocket = %s/c.sock\n%b' "$TT_DIR" "${1:-}" > "$TT_DIR/tasktrace.conf"
}

# tracer_start STORE [options...]: start tasktraced on seat0 writing STORE;
# its log is $TT_LOG. Waits until it traces the seat. Sets TT_PID.
tracer_start() {
	local store=$1 i=0
	shift
	TT_STORE=$store
	TT_LOG=$store.log
	[ -f "$TT_DIR/tasktrace.conf" ] || tracer_conf
	tasktraced --store "$store" --config "$TT_DIR/tasktrace.conf" "$@" >> "$TT_LOG" 2>&1 &
	TT_PID=$!
	while ! grep -q 'tracing seat' "$TT_LOG" 2>/dev/null && [ $i -lt 300 ]; do
		kill -0 "$TT_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	grep -q 'tracing seat' "$TT_LOG" || { echo "# tasktraced did not start:"; sed 's/^/#   /' "$TT_LOG"; }
}

# tracer_stop [SIGNAL]: stop it (TERM: bursts closed, committed); sets TT_RC
tracer_stop() {
	local i=0
	kill -"${1:-TERM}" "$TT_PID" 2>/dev/null
	while kill -0 "$TT_PID" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -0 "$TT_PID" 2>/dev/null && { echo "# tasktraced ignored SIG${1:-TERM}"; kill -KILL "$TT_PID"; }
	wait "$TT_PID" 2>/dev/null
	TT_RC=$?
}

# tracer_replay RECORDING [replayer options...]: replay RECORDING while the
# running tasktraced reads it (the replayer waits until the tracer holds
# the node open, then 1 s for libinput to finish adding the device)
tracer_replay() {
	local rec=$1
	shift
	timeout 60 tasktrace-replay --wait-reader 20000 --settle "$TT_SETTLE_MS" \
		--max-gap "$TT_MAX_GAP_MS" --hold "$TT_HOLD_MS" -v "$@" "$rec" \
		> "/tmp/$(basename "$rec").tt-replay" 2>&1
	REPLAY_RC=$?
}

# tt_query [options...]: the store's records as JSON Lines in $TT_Q
tt_query() {
	TT_Q=$TT_STORE.jsonl
	tasktrace --store "$TT_STORE" query --format jsonl "$@" > "$TT_Q" 2> "$TT_Q.err"
	TT_QRC=$?
}

# q_count REGEX: records (lines of $TT_Q) matching REGEX
q_count() {
	grep -Ec "$1" "$TT_Q"
}

# q_sum FIELD REGEX: the sum of integer FIELD over the records matching REGEX
q_sum() {
	grep -E "$2" "$TT_Q" | sed -n "s/.*\"$1\": *\(-\{0,1\}[0-9]*\).*/\1/p" |
		awk '{ s += $1 } END { print s + 0 }'
}

# q_values FIELD REGEX: FIELD of each matching record, space-separated
q_values() {
	grep -E "$2" "$TT_Q" | sed -n "s/.*\"$1\": *\"\{0,1\}\([^,}\"]*\).*/\1/p" | tr '\n' ' ' | sed 's/ $//'
}

# tt_verify: `tasktrace verify` on the store; prints its output on failure
tt_verify() {
	local out
	out=$(tasktrace --store "$TT_STORE" verify 2>&1)
	TT_VRC=$?
	[ "$TT_VRC" = 0 ] || echo "$out" | head -n 10 | sed 's/^/#   verify: /'
}

# tt_dump: the records and the tracer's log, for a failed check
tt_dump() {
	[ -n "${TT_Q:-}" ] && [ "${TT_DUMPED_Q:-}" != "$TT_Q" ] || return 0
	TT_DUMPED_Q=$TT_Q
	echo "# --- records ($TT_Q):"
	head -n 40 "$TT_Q" | sed 's/^/#   /'
	echo "# --- tasktraced log:"
	tail -n 20 "$TT_LOG" | sed 's/^/#   /'
}
