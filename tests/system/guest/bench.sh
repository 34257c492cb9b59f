# make bench-system: CPU used by the reader of a 1 kHz mouse.
# The readers: `libinput debug-events` (the peer), then tasktraced (when
# built). Guest CPU time under TCG is emulated: compare numbers from the
# same harness only. (The "0 POINTER_MOTION" line of tasktraced is the
# peer's count from its output; tasktraced's own is the "recorded" line.)
# The last line is the ratio of their CPU seconds (target <= 1.0).
. /tt/guest/lib.sh

rec=/tt/recordings/bench-mouse-1khz.evemu
log=/tmp/bench.replay

# cpu_ticks PID: utime + stime in clock ticks (USER_HZ = 100)
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# bench_reader NAME COMMAND...: run COMMAND as the reader of the replayed
# device and report its CPU use, overall and in a 20 s steady-state window.
bench_reader() {
	local name=$1 pid rpid i=0 a b total t0 t1 events
	shift
	"$@" > /tmp/bench.out 2>&1 &
	pid=$!
	timeout 120 tasktrace-replay --wait-reader 20000 --settle 1000 --hold 500 -v "$rec" > "$log" 2>&1 &
	rpid=$!
	while ! grep -q 'device /dev/input/' "$log" && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 6				# settle (1 s) + 5 s of replay
	a=$(cpu_ticks "$pid"); t0=$(now_ms)
	sleep 20
	b=$(cpu_ticks "$pid"); t1=$(now_ms)
	wait "$rpid"
	REPLAY_RC=$?
	total=$(cpu_ticks "$pid")
	stop_pid "$pid"
	BENCH_TOTAL=$total
	BENCH_STEADY=$((b - a))
	events=$(grep -c 'POINTER_MOTION' /tmp/bench.out)
	cat "$log"
	grep -v '^[-+ ]event[0-9]' /tmp/bench.out | head -n 10 | sed 's/^/# reader: /'
	echo "bench: $name: replay exit $REPLAY_RC, $events POINTER_MOTION, $(grep -c 'BTN_LEFT.*pressed' /tmp/bench.out) clicks, $(grep -c 'POINTER_SCROLL_WHEEL' /tmp/bench.out) wheel lines (sent: 30000 motion frames, 60 clicks, 120 wheel steps)"
	awk -v n="$name" -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" -v tot="$total" 'BEGIN {
		w = (t1 - t0) / 1000
		printf "bench: %s: %.2f CPU s in total (startup included); steady state %.2f CPU s in %.1f s = %.1f %% of one core\n",
			n, tot / 100, (b - a) / 100, w, (b - a) / w
	}'
}

bench_reader "libinput debug-events" libinput debug-events
peer_rc=$REPLAY_RC
peer_total=$BENCH_TOTAL
peer_steady=$BENCH_STEADY

# tasktraced reading the same device, recording into a store (static
# attribution: no logind in the guest); what it made of it, from the store
if command -v tasktraced >/dev/null; then
	printf '[collector]\nsocket = /tmp/bench.sock\n' > /tmp/bench.conf
	bench_reader "tasktraced" tasktraced --store /tmp/bench-store \
		--config /tmp/bench.conf --static-user 0
	tasktrace --store /tmp/bench-store stats 2>&1 | sed -n '/selected/,/^$/p' |
		sed 's/^/# tasktraced records: /'
	tasktrace --store /tmp/bench-store query --format jsonl > /tmp/bench.jsonl
	sum_field() {	# FIELD KIND
		grep "\"kind\":\"$2\"" /tmp/bench.jsonl | sed -n "s/.*\"$1\":\(-\{0,1\}[0-9]*\).*/\1/p" |
			awk '{ s += $1 } END { print s + 0 }'
	}
	echo "bench: tasktraced recorded: $(sum_field events motion) motion events in $(grep -c '"kind":"motion"' /tmp/bench.jsonl) motion records, $(grep -c '"kind":"button".*"button":272' /tmp/bench.jsonl) left clicks, $(sum_field events scroll) wheel events in $(grep -c '"kind":"scroll"' /tmp/bench.jsonl) scroll records, $(grep -c '"kind":"gap"' /tmp/bench.jsonl) gap records (sent: 30000 motion frames, 60 clicks, 120 wheel steps)"
	awk -v pt="$peer_total" -v ps="$peer_steady" -v tt="$BENCH_TOTAL" -v ts="$BENCH_STEADY" 'BEGIN {
		printf "bench: CPU ratio tasktraced / libinput debug-events: %.2f in total (%.2f / %.2f CPU s), %.2f in steady state (%.2f / %.2f CPU s); target <= 1.0\n",
			pt ? tt / pt : 0, tt / 100, pt / 100, ps ? ts / ps : 0, ts / 100, ps / 100
	}'
fi
[ "$peer_rc" -eq 0 ] && [ "$REPLAY_RC" -eq 0 ]
