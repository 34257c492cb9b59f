# make bench-system: CPU used by the reader of a 1 kHz mouse.
# The readers, each on its own replay of the same recording: the floor
# (tasktrace-floor, the smallest libinput reader: udev backend, dispatch,
# every event discarded), `libinput debug-events` (the peer), then
# tasktraced (when built). TT_BENCH_RUNS rounds (/tt/bench-runs, default 1)
# run the three in turn, so that a change of the host's load hits all
# three alike. Guest CPU time under TCG is emulated: compare numbers from
# the same harness only. (The "0 POINTER_MOTION" line of tasktraced is the
# peer's count from its output; tasktraced's own is the "recorded" line.)
# Each round ends with tasktraced's CPU as a ratio to the floor (target
# <= 1.15 in steady state) and to debug-events; the last line sums the
# rounds.
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
	if [ -n "$perf" ]; then
		# profile mode: perf samples the reader in the steady state (its
		# own CPU then counts too: no ratio from such a run)
		perf record -q -F 997 -g -o "/tmp/perf-$pid.data" -p "$pid" -- sleep 20 \
			> /tmp/perf.log 2>&1
	else
		sleep 20
	fi
	b=$(cpu_ticks "$pid"); t1=$(now_ms)
	wait "$rpid"
	REPLAY_RC=$?
	total=$(cpu_ticks "$pid")
	stop_pid "$pid"
	BENCH_TOTAL=$total
	BENCH_STEADY=$((b - a))
	events=$(grep -c 'POINTER_MOTION' /tmp/bench.out)
	cat "$log"
	if [ -n "$perf" ] && [ -s "/tmp/perf-$pid.data" ]; then
		echo "bench: profile of $name (perf, cpu-clock, 20 s steady state):"
		perf report -q -i "/tmp/perf-$pid.data" --stdio --no-children \
			--sort dso,symbol -g none --percent-limit 0.7 2>/dev/null |
			grep -v '^$' | head -n 45 | sed 's/^/# perf: /'
		echo "bench: by library:"
		perf report -q -i "/tmp/perf-$pid.data" --stdio --no-children \
			--sort dso -g none 2>/dev/null | grep -v '^$' | head -n 12 | sed 's/^/# perf: /'
		if [ "$name" = tasktraced ]; then
			echo "bench: tasktraced's callers, by caller chain (inverted):"
			perf report -q -i "/tmp/perf-$pid.data" --stdio --children \
				--sort symbol -g caller,0.5,callee --percent-limit 3 2>/dev/null |
				grep -v '^$' | head -n 120 | sed 's/^/# perf: /'
		fi
		rm -f "/tmp/perf-$pid.data"
	fi
	grep -v '^[-+ ]event[0-9]' /tmp/bench.out | head -n 10 | sed 's/^/# reader: /'
	echo "bench: $name: replay exit $REPLAY_RC, $events POINTER_MOTION, $(grep -c 'BTN_LEFT.*pressed' /tmp/bench.out) clicks, $(grep -c 'POINTER_SCROLL_WHEEL' /tmp/bench.out) wheel lines (sent: 30000 motion frames, 60 clicks, 120 wheel steps)"
	awk -v n="$name" -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" -v tot="$total" 'BEGIN {
		w = (t1 - t0) / 1000
		printf "bench: %s: %.2f CPU s in total (startup included); steady state %.2f CPU s in %.1f s = %.1f %% of one core\n",
			n, tot / 100, (b - a) / 100, w, (b - a) / w
	}'
}

runs=$(cat /tt/bench-runs 2>/dev/null || echo 1)
perf=
if [ -s /tt/bench-perf ] && command -v perf >/dev/null; then
	perf=1
	echo "bench: profile mode (TT_BENCH_PERF=1): perf runs beside each reader; its CPU figures are not comparable"
fi
printf '[collector]\nsocket = /tmp/bench.sock\n' > /tmp/bench.conf
rc=0
sum_fs=0; sum_ps=0; sum_ts=0
round=1
while [ "$round" -le "$runs" ]; do
	echo "bench: round $round of $runs"
	bench_reader "floor (tasktrace-floor)" tasktrace-floor
	[ "$REPLAY_RC" -eq 0 ] || rc=1
	grep '^tasktrace-floor:' /tmp/bench.out | sed 's/^/bench: /'
	floor_total=$BENCH_TOTAL
	floor_steady=$BENCH_STEADY

	bench_reader "libinput debug-events" libinput debug-events
	[ "$REPLAY_RC" -eq 0 ] || rc=1
	peer_total=$BENCH_TOTAL
	peer_steady=$BENCH_STEADY

	# tasktraced reading the same device, recording into a store (static
	# attribution: no logind in the guest); what it made of it, from the store
	if command -v tasktraced >/dev/null; then
		rm -rf /tmp/bench-store
		bench_reader "tasktraced" tasktraced --store /tmp/bench-store \
			--config /tmp/bench.conf --static-user 0
		[ "$REPLAY_RC" -eq 0 ] || rc=1
		tasktrace --store /tmp/bench-store stats 2>&1 | sed -n '/selected/,/^$/p' |
			sed 's/^/# tasktraced records: /'
		tasktrace --store /tmp/bench-store query --format jsonl > /tmp/bench.jsonl
		sum_field() {	# FIELD KIND
			grep "\"kind\":\"$2\"" /tmp/bench.jsonl | sed -n "s/.*\"$1\":\(-\{0,1\}[0-9]*\).*/\1/p" |
				awk '{ s += $1 } END { print s + 0 }'
		}
		echo "bench: tasktraced recorded: $(sum_field events motion) motion events in $(grep -c '"kind":"motion"' /tmp/bench.jsonl) motion records, $(grep -c '"kind":"button".*"button":272' /tmp/bench.jsonl) left clicks, $(sum_field events scroll) wheel events in $(grep -c '"kind":"scroll"' /tmp/bench.jsonl) scroll records, $(grep -c '"kind":"gap"' /tmp/bench.jsonl) gap records (sent: 30000 motion frames, 60 clicks, 120 wheel steps)"
		awk -v ft="$floor_total" -v fs="$floor_steady" -v pt="$peer_total" -v ps="$peer_steady" \
		    -v tt="$BENCH_TOTAL" -v ts="$BENCH_STEADY" 'BEGIN {
			printf "bench: CPU ratio tasktraced / floor: %.2f in steady state (%.2f / %.2f CPU s), %.2f in total (%.2f / %.2f CPU s); target <= 1.15 in steady state\n",
				fs ? ts / fs : 0, ts / 100, fs / 100, ft ? tt / ft : 0, tt / 100, ft / 100
			printf "bench: CPU ratio tasktraced / libinput debug-events: %.2f in steady state (%.2f / %.2f CPU s), %.2f in total (%.2f / %.2f CPU s)\n",
				ps ? ts / ps : 0, ts / 100, ps / 100, pt ? tt / pt : 0, tt / 100, pt / 100
			printf "bench: CPU ratio libinput debug-events / floor: %.2f in steady state\n", fs ? ps / fs : 0
		}'
		sum_ts=$((sum_ts + BENCH_STEADY))
	fi
	sum_fs=$((sum_fs + floor_steady))
	sum_ps=$((sum_ps + peer_steady))
	round=$((round + 1))
done
if [ "$sum_ts" -gt 0 ] && [ "$runs" -gt 1 ]; then
	awk -v n="$runs" -v fs="$sum_fs" -v ps="$sum_ps" -v ts="$sum_ts" 'BEGIN {
		printf "bench: %d rounds, steady state: floor %.2f, debug-events %.2f, tasktraced %.2f CPU s; tasktraced / floor %.2f, tasktraced / debug-events %.2f\n",
			n, fs / 100, ps / 100, ts / 100, ts / fs, ts / ps
	}'
fi
[ "$rc" -eq 0 ]
